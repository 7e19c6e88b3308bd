"""`wearkit flash` and `wearkit provision` as a facilitator runs them: a separate process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import micropython_microbit_fs as mbfs
import pytest

from tests.flash.conftest import V1_UID
from wearkit.boards import BoardProfile
from wearkit.paths import activities_dir
from wearkit.sim import start_fleet
from wearkit.sim.drive import DapLinkDrive


def _wearkit(*args: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "wearkit.cli", *args], stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True, env=env or os.environ.copy(),
    )  # fmt: skip


def _events(process: subprocess.Popen[str], on_event: Any = None) -> list[dict[str, Any]]:
    """Its JSON events, read as they come (``on_event`` sees each); stderr kept in .errors."""
    events = []
    assert process.stdout is not None and process.stderr is not None
    with process.stdout, process.stderr:
        for line in process.stdout:
            event = json.loads(line)
            events.append(event)
            if on_event is not None:
                on_event(event)
        process.wait(timeout=120)
        process.errors = process.stderr.read()  # type: ignore[attr-defined]
    return events


def test_hex_out_writes_the_hex_to_drag_on_by_hand(tmp_path: Path) -> None:
    out = tmp_path / "class.hex"
    done = subprocess.run(
        [sys.executable, "-m", "wearkit.cli", "flash", "--hex-out", str(out), "--family",
         "microbit-v1", "--name", "tab3", "--activity", "night-light"],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "copy it onto the MICROBIT drive" in done.stdout
    files = {f.name: f.content for f in mbfs.get_files(out.read_text())}
    assert files["main.py"] == (activities_dir() / "night-light" / "main.py").read_bytes()
    assert files["kitcfg.txt"] == b"TAB3 0\n" and "kithal_microbit.py" in files


def test_hex_out_without_a_family_says_which() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "wearkit.cli", "flash", "--hex-out", "x.hex"],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 2 and "--family microbit-v1 or microbit-v2" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.faults
def test_a_board_unplugged_mid_provision_is_reported_and_the_rest_finish(
    profiles: dict[str, BoardProfile], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A home of its own: `--all` must see these three boards, not another test's fleet.
    monkeypatch.setenv("WEARKIT_HOME", str(tmp_path / "home"))
    with start_fleet(profiles["microbit-v2"], 3, baud=115200, folder=tmp_path / "b") as fleet:
        victim = fleet.boards[1]

        def pull(event: dict[str, Any]) -> None:
            if event["board"] == victim.name and event.get("step") == "runtime" and event["done"]:
                if not victim.unplugged:
                    victim.unplug()

        process = _wearkit("provision", "--all", "--json", "--settle", "0")
        events = _events(process, pull)
    results = {e["board"]: e for e in events if e["event"] == "result"}
    assert sorted(results) == sorted(b.name for b in fleet.boards)
    assert not results[victim.name]["ok"]
    assert "the board went away" in results[victim.name]["error"]
    assert "plug it back in" in results[victim.name]["error"]
    assert all(results[b.name]["ok"] for b in fleet.boards if b is not victim)
    assert process.returncode == 1


def test_flash_all_picks_up_a_micro_bit_plugged_in_while_it_runs(
    microbit: DapLinkDrive, media: Path, profiles: dict[str, BoardProfile]
) -> None:
    env = {**os.environ, "WEARKIT_DRIVES": str(media)}
    later: list[DapLinkDrive] = []

    def plug(event: dict[str, Any]) -> None:
        if not later and event["event"] == "flash":
            later.append(
                DapLinkDrive(media, profiles["microbit-v1"], V1_UID, label="MICROBIT1").start()
            )

    try:
        process = _wearkit("flash", "--all", "--json", "--settle", "2", env=env)
        events = _events(process, plug)
    finally:
        for drive in later:
            drive.close()
    results = {e["board"]: e for e in events if e["event"] == "result"}
    assert sorted(results) == ["45678", "4E0E5"], process.errors  # type: ignore[attr-defined]
    assert all(r["ok"] for r in results.values()) and process.returncode == 0
    assert later[0].flashed == 1 and microbit.flashed == 1
