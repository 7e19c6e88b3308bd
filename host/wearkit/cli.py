"""The `wearkit` command: a thin edge over the library.

Every command turns a WearkitError into one line that says what went wrong and how to
fix it (exit status 2), never a traceback.
"""

from __future__ import annotations

import functools
import json
import signal
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from wearkit import __version__
from wearkit.boards import get_profile, load_profiles
from wearkit.errors import BoardExecError, WearkitError

F = TypeVar("F", bound=Callable[..., Any])

EXIT_ERROR = 2


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
            sys.exit(130)

    return wrapper  # type: ignore[return-value]


@click.group()
@click.version_option(__version__, prog_name="wearkit")
def main() -> None:
    """wearkit: run badge activities on micro:bit, Circuit Playground and ESP32 boards."""


# -- boards -------------------------------------------------------------------------------


@main.command()
@click.option("--json", "as_json", is_flag=True, help="One JSON list, for scripts.")
@click.option("--all", "show_all", is_flag=True, help="Also list unknown serial devices.")
@friendly_errors
def boards(as_json: bool, show_all: bool) -> None:
    """List connected boards: USB boards matched to a profile, and running virtual boards."""
    from wearkit.ports import find_boards

    found = find_boards(load_profiles(), include_unknown=show_all)
    if as_json:
        click.echo(json.dumps([b.as_dict() for b in found], indent=2))
        return
    if not found:
        click.echo("no boards found: plug one in, or start virtual boards with `wearkit sim`")
        return
    width = max(len(b.port) for b in found)
    for board in found:
        family = board.family or "unknown"
        click.echo(f"{board.port:<{width}}  {family:<15} {board.name:<6} {board.kind:<8} "
                   f"{board.detail}".rstrip())  # fmt: skip


@main.command("exec")
@click.argument("port")
@click.argument("code")
@click.option("--timeout", default=10.0, show_default=True, help="Seconds before Ctrl-C.")
@click.option("--reset", is_flag=True, help="Soft-reset the board first.")
@friendly_errors
def exec_command(port: str, code: str, timeout: float, reset: bool) -> None:
    """Run CODE on the board at PORT and print its output (exit 1 if it raised)."""
    from wearkit.link import SerialLink

    with SerialLink(port, soft_reset=reset) as link:
        def show(data: bytes) -> None:
            click.echo(data.decode("utf-8", "replace").replace("\r\n", "\n"), nl=False)

        try:
            link.exec(code, on_output=show, timeout=timeout)
        except BoardExecError as exc:
            click.echo(exc.traceback.replace("\r\n", "\n").rstrip(), err=True)
            sys.exit(1)


@main.command()
@click.argument("port")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("dest", required=False)
@click.option("--compress/--no-compress", default=None,
              help="Send deflate-compressed (default: when the firmware has deflate).")  # fmt: skip
@friendly_errors
def put(port: str, file: Path, dest: str | None, compress: bool | None) -> None:
    """Copy FILE to the board at PORT (as DEST, default its name) and verify it."""
    from wearkit.link import SerialLink

    data = file.read_bytes()
    with SerialLink(port) as link, click.progressbar(
        length=len(data), label=f"{file.name} -> {port}", file=sys.stderr
    ) as bar:
        state = {"done": 0}

        def progress(done: int, total: int) -> None:
            bar.update(done - state["done"])
            state["done"] = done

        result = link.put(data, dest or file.name, progress=progress, compress=compress)
    rate = result.size / result.seconds if result.seconds else 0.0
    how = "compressed" if result.compressed else "plain"
    click.echo(f"{result.dest}: {result.size} bytes in {result.seconds:.2f} s "
               f"({rate:,.0f} bytes/s, {how}), verified")  # fmt: skip


# -- virtual boards -----------------------------------------------------------------------


@main.command()
@click.option("--boards", "count", default=1, show_default=True, help="How many boards.")
@click.option("--family", default="microbit-v2", show_default=True,
              help="Board profile to simulate (see boards/*.toml).")  # fmt: skip
@click.option("--baud", default=115200, show_default=True,
              help="Line speed to throttle to; 0 for unthrottled.")  # fmt: skip
@click.option("--speed", default=1.0, show_default=True,
              help="How much faster than real time the boards' clocks run.")  # fmt: skip
@click.option("--scenario", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Sensor trace (CSV) the boards replay.")  # fmt: skip
@friendly_errors
def sim(count: int, family: str, baud: int, speed: float, scenario: Path | None) -> None:
    """Start virtual boards and keep them running until Ctrl-C.

    Prints one line per board, PORT FAMILY NAME; `wearkit boards` lists them too.
    """
    from wearkit.sim import interpreter_command, start_fleet

    interpreter_command()  # says what is missing on machines that cannot run boards
    if count < 1:
        raise click.BadParameter("at least 1", param_hint="--boards")
    profile = get_profile(family)
    stopped = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    with start_fleet(profile, count, baud=baud or None, speed=speed, scenario=scenario) as fleet:
        for board in fleet.boards:
            click.echo(f"{board.port} {profile.id} {board.name}")
        sys.stdout.flush()
        try:
            while not stopped.wait(0.5):
                pass
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
