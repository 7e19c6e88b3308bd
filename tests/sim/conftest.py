"""Fixtures for the virtual board's tests: `wearkit` as a process, a board run by
`wearkit sim` in another process, and a plain pyserial raw-REPL helper (so these tests
read the line exactly as bytes, without the host's link)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator

import pytest
import serial

Wearkit = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def run_wearkit(wearkit: Wearkit) -> Wearkit:
    """The `wearkit` command, run as a user runs it (the suite's `wearkit` fixture)."""
    return wearkit


@pytest.fixture
def sim_port() -> Iterator[str]:
    """The port of a virtual micro:bit v2 that a real `wearkit sim` process runs."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "wearkit.cli", "sim", "--baud", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=os.environ.copy(),
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    try:
        assert line.startswith("/dev/"), line
        yield line.split()[0]
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate()


def read_until(port: serial.Serial, marker: bytes, seconds: float = 10) -> bytes:
    """Read from ``port`` until ``marker`` arrives (or ``seconds`` pass); return it all."""
    data = b""
    end = time.monotonic() + seconds
    while marker not in data and time.monotonic() < end:
        data += port.read(port.in_waiting or 1)
    return data


def enter_raw_repl(port: serial.Serial) -> None:
    """Interrupt whatever runs and enter the raw REPL, as a host does."""
    port.write(b"\r\x03\x03\x01")
    assert b"raw REPL; CTRL-B to exit\r\n>" in read_until(port, b"exit\r\n>")


def start_code(port: serial.Serial, code: str) -> bytes:
    """Send ``code`` to the raw REPL and run it; return what came after its ``OK``."""
    port.write(code.encode() + b"\x04")
    answer = read_until(port, b"OK", 5)
    assert answer.startswith(b"OK"), answer
    return answer[2:]


def raw_eval(port_path: str, expression: str) -> str:
    """Print ``expression`` on the board at ``port_path``; its text."""
    with serial.Serial(port_path, 115200, timeout=0.1) as port:
        enter_raw_repl(port)
        answer = start_code(port, f"print(repr({expression}))")
        answer += read_until(port, b"\x04>")
    output, _, error = answer.partition(b"\x04")
    assert error.startswith(b"\x04"), error
    return output.decode().strip()
