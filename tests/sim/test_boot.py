"""What a (re)starting interpreter shows the host, without a process (sans-IO)."""

from __future__ import annotations

from wearkit.sim.boot import ENTER_RAW, RAW_BANNER, BootOutput

BANNER = b"MicroPython v1.24 on 2024-01-01; linux version\r\nUse Ctrl-D to exit\r\n"


def test_raw_restart_hides_the_banner_and_asks_for_raw_mode_at_the_prompt() -> None:
    boot = BootOutput(wants_raw=True, spawned_at=0.0)
    boot.from_host(b"print(1)")
    assert boot.from_interpreter(BANNER) == (b"", b"")
    assert boot.from_interpreter(b">>> ") == (b"", ENTER_RAW)
    shown, to_board = boot.from_interpreter(b"\r\n" + RAW_BANNER + b">")
    assert shown == RAW_BANNER + b">" and to_board == b"print(1)"  # held input released
    assert not boot.booting


def test_friendly_start_shows_main_py_output_and_holds_ctrl_c() -> None:
    boot = BootOutput(wants_raw=False, spawned_at=100.0)
    boot.from_host(b"\x03")
    assert boot.held_interrupt
    assert not boot.interrupt_due(100.1)  # too early: the launcher would die of it
    assert boot.from_interpreter(b"main started\n") == (b"main started\n", b"")
    assert boot.interrupt_due(100.1)  # main.py runs: it can take a KeyboardInterrupt
    assert not boot.held_interrupt


def test_a_ctrl_c_is_dropped_once_the_prompt_is_up() -> None:
    boot = BootOutput(wants_raw=False, spawned_at=0.0)
    boot.from_host(b"\x03")
    assert boot.from_interpreter(BANNER + b">>> ") == (BANNER + b">>> ", b"")
    assert not boot.interrupt_due(5.0) and not boot.held_interrupt
