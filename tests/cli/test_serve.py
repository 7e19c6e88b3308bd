"""`wearkit serve` refuses what would be unsafe or cannot work, before anything starts."""

from __future__ import annotations

import os
import subprocess
import sys


def serve(*args: str) -> subprocess.CompletedProcess[str]:
    """`wearkit serve ARGS` with no terminal to ask a passcode on (as in CI or a service)."""
    env = {k: v for k, v in os.environ.items() if k != "WEARKIT_PASSCODE"}
    return subprocess.run(
        [sys.executable, "-m", "wearkit.cli", "serve", *args],
        input="",
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )


def test_lan_mode_without_a_passcode_refuses_to_start() -> None:
    result = serve("--host", "0.0.0.0", "--port", "5999")
    assert result.returncode == 2
    assert "passcode" in result.stderr and "--passcode" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_short_passcode_is_refused_and_never_echoed() -> None:
    result = serve("--host", "0.0.0.0", "--passcode", "abc12")
    assert result.returncode == 2 and "at least 6" in result.stderr
    assert "abc12" not in result.stderr + result.stdout


def test_family_without_sim_is_refused() -> None:
    result = serve("--family", "cpx")
    assert result.returncode == 2 and "--sim" in result.stderr
