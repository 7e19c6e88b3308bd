"""The `wearkit` command group and the one place errors become messages."""

from __future__ import annotations

import contextlib
import functools
import importlib
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from types import FrameType
from typing import Any, TypeVar

import click

from wearkit import __version__
from wearkit.errors import WearkitError

F = TypeVar("F", bound=Callable[..., Any])

EXIT_ERROR = 2
EXIT_INTERRUPTED = 130  # as a shell reports a command ended by Ctrl-C


def friendly_errors(func: F) -> F:
    """Print a WearkitError as ``error: ...`` and exit 2."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except WearkitError as exc:
            for line in str(exc).splitlines() or ["error"]:
                click.echo(f"error: {line}", err=True)
            sys.exit(EXIT_ERROR)
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            sys.exit(EXIT_INTERRUPTED)
        except BrokenPipeError:
            # The reader went away (`wearkit boards | head`): nothing is wrong with a board.
            # Point stdout at nothing so the interpreter's final flush stays quiet.
            with contextlib.suppress(OSError):
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(1)

    return wrapper  # type: ignore[return-value]


#: Which module defines each command: a command's module is imported only when that
#: command runs (or `--help` lists them all), so `wearkit put` starts in a few dozen ms
#: instead of importing the classroom, the activities and the simulator it never uses.
COMMANDS = {
    "activities": "wearkit.cli.activities",
    "badges": "wearkit.cli.badges",
    "boards": "wearkit.cli.boards",
    "check": "wearkit.cli.activities",
    "demo": "wearkit.cli.run",
    "exec": "wearkit.cli.boards",
    "fault": "wearkit.cli.sim",
    "flash": "wearkit.cli.flash",
    "hub": "wearkit.cli.hub",
    "live": "wearkit.cli.sim",
    "provision": "wearkit.cli.flash",
    "put": "wearkit.cli.boards",
    "run": "wearkit.cli.run",
    "serve": "wearkit.cli.serve",
    "sim": "wearkit.cli.sim",
    "try": "wearkit.cli.run",
}


class LazyGroup(click.Group):
    """A command group that imports a command's module on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(super().list_commands(ctx)) | set(COMMANDS))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in COMMANDS and cmd_name not in self.commands:
            importlib.import_module(COMMANDS[cmd_name])  # its decorators register it here
        return super().get_command(ctx, cmd_name)


@click.group(cls=LazyGroup)
@click.version_option(__version__, prog_name="wearkit")
def main() -> None:
    """wearkit: run badge activities on micro:bit, Circuit Playground and ESP32 boards."""


@contextlib.contextmanager
def stop_on_signals() -> Iterator[threading.Event]:
    """Turn Ctrl-C and SIGTERM into a ``stop`` event that runs watch: every board is
    interrupted and every run is recorded as interrupted, with its frames. A second
    Ctrl-C while boards are stopping only says so (no traceback)."""
    stop = threading.Event()
    finished = threading.Event()

    def handler(signum: int, _frame: FrameType | None) -> None:
        if stop.is_set():
            if not finished.is_set():
                with contextlib.suppress(OSError):
                    click.echo("still stopping the boards ...", err=True)
            return
        stop.set()

    previous = {sig: signal.signal(sig, handler) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield stop
    finally:
        finished.set()
        for sig, old in previous.items():
            # Once stopping, further signals are ignored: a second Ctrl-C while wearkit
            # writes its last lines and exits must not kill it half-way (or print a
            # traceback). Ignored, not handled: the interpreter resets its own handlers
            # to the default on its way out.
            signal.signal(sig, signal.SIG_IGN if stop.is_set() else old)
