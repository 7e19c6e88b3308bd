"""`wearkit sim` and `wearkit live`: virtual boards and their sensors."""

from __future__ import annotations

import signal
import sys
import threading
from pathlib import Path

import click

from wearkit.boards import get_profile
from wearkit.cli.app import friendly_errors, main


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


@main.command()
@click.argument("port")
@click.argument("values", nargs=-1, required=True)
@friendly_errors
def live(port: str, values: tuple[str, ...]) -> None:
    """Set a running virtual board's sensors: VALUES like light=200 button_a=1 (temp= clears).

    Live values override the board's scenario until cleared.
    """
    from wearkit.errors import SimError
    from wearkit.sim import registry
    from wearkit.sim.live import write_live

    board = next((b for b in registry.registered() if b["port"] == port), None)
    if board is None:
        raise SimError(f"{port} is not a running virtual board; `wearkit boards` lists them")
    parsed: dict[str, float | int | None] = {}
    for item in values:
        name, sep, text = item.partition("=")
        if not sep:
            raise SimError(f"{item!r}: expected SENSOR=VALUE, like light=200")
        try:
            number = float(text) if text else None
            parsed[name] = int(number) if number is not None and number.is_integer() else number
        except ValueError:
            raise SimError(f"{item!r}: {text!r} is not a number") from None
    now = write_live(Path(board["folder"]) / "state", parsed)
    click.echo(" ".join(f"{k}={v:g}" for k, v in sorted(now.items())) or "no live values")
