"""`wearkit sim`, `wearkit live` and `wearkit fault`: virtual boards, their sensors, faults."""

from __future__ import annotations

import math
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
    from wearkit.sim import check_baud, check_count, check_speed, interpreter_command, start_fleet

    # Every input first, then what this machine lacks: nothing starts on a bad line.
    check_count(count)
    check_speed(speed)
    check_baud(baud)
    profile = get_profile(family)
    interpreter_command()  # says what is missing on machines that cannot run boards
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
    from wearkit.sim.live import check_live, write_live

    parsed: dict[str, float | int | None] = {}
    for item in values:
        name, sep, text = item.partition("=")
        if not sep:
            raise SimError(f"{item!r}: expected SENSOR=VALUE, like light=200")
        try:
            number = float(text) if text else None
        except ValueError:
            raise SimError(f"{item!r}: {text!r} is not a number") from None
        is_whole = number is not None and math.isfinite(number) and number.is_integer()
        parsed[name] = int(number) if is_whole and number is not None else number
    check_live(parsed)  # before looking for the board: the same line whatever the port
    now = write_live(registry.state_dir_of(port), parsed)
    click.echo(" ".join(f"{k}={v:g}" for k, v in sorted(now.items())) or "no live values")


@main.command()
@click.argument("port")
@click.argument("kind", metavar="FAULT", type=click.Choice(["noise", "unplug", "stall", "reset"]))
@click.option("--bytes", "count", type=int, help="noise: how many bytes in the burst [32].")
@click.option("--seconds", type=float, help="stall: how long no byte moves [2].")
@friendly_errors
def fault(port: str, kind: str, count: int | None, seconds: float | None) -> None:
    """Inject a fault into a virtual board that `wearkit sim` runs in another terminal.

    FAULT is noise (a burst of random bytes at a line boundary), unplug (the port closes),
    stall (nothing moves for --seconds) or reset (the reset button: main.py runs again).
    """
    from wearkit.sim.faults import check_fault, request_fault

    params = {"bytes": count, "seconds": seconds}
    given = {k: v for k, v in params.items() if v is not None}
    check_fault(kind, given)
    request_fault(port, kind, **given)
    click.echo(f"{kind} sent to {port}")
