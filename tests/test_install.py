"""`pip install .` (not editable) gives a wearkit that finds its firmware, boards, activities."""

from __future__ import annotations

import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_wheel_carries_the_bundled_folders(tmp_path: Path) -> None:
    wheel_dir = tmp_path / "wheel"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheel_dir), str(ROOT)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    env_dir = tmp_path / "env"
    venv.create(env_dir)
    python = env_dir / "bin" / "python"
    # Reuse this environment's dependencies (no network), but not its editable wearkit:
    # a path listed in a .pth file is not scanned for further .pth files.
    site = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    ours = next(p for p in sys.path if p.endswith("site-packages"))
    (Path(site) / "deps.pth").write_text(ours + "\n")
    wheel = next(wheel_dir.glob("wearkit-*.whl"))
    subprocess.run(
        [python, "-m", "pip", "install", "--no-deps", "-q", str(wheel)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    probe = (
        "import wearkit.paths as p, wearkit.boards as b;"
        "print(p.firmware_dir()); print(sorted(b.load_profiles()));"
        "print((p.firmware_dir() / '_wkput.py').is_file())"
    )
    out = subprocess.run(
        [python, "-c", probe], check=True, capture_output=True, text=True, cwd=tmp_path,
        timeout=60,
    ).stdout.splitlines()  # fmt: skip
    assert "_bundled" in out[0] and str(env_dir) in out[0]
    assert "microbit-v2" in out[1] and out[2] == "True"
    help_text = subprocess.run(
        [env_dir / "bin" / "wearkit", "--help"], check=True, capture_output=True, text=True
    ).stdout
    assert "sim" in help_text and "boards" in help_text
