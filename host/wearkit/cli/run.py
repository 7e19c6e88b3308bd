"""`wearkit run`, `wearkit try` and `wearkit demo`: an activity on boards, real or virtual."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from wearkit.boards import get_profile, load_profiles
from wearkit.cli.activities import find_activity
from wearkit.cli.app import EXIT_ERROR, friendly_errors, main
from wearkit.cli.render import ClassroomRenderer, RunRenderer, exit_for
from wearkit.errors import ActivityError


@main.command()
@click.argument("activity")
@click.option("--port", "ports", multiple=True,
              help="A board's serial port (see `wearkit boards`); repeat for several.")  # fmt: skip
@click.option("--all", "every_board", is_flag=True,
              help="Every connected board that can run the activity.")  # fmt: skip
@click.option("--family", help="Board family, if `wearkit boards` cannot tell.")
@click.option("--json", "as_json", is_flag=True, help="Events as JSON lines.")
@click.option("--timeout", type=float, help="Seconds before the script is stopped.")
@click.option("--sign-off", "sign_off", multiple=True, metavar="TASK",
              help="Sign off a facilitator task (repeatable).")  # fmt: skip
@click.option("--learner", help="An opaque learner reference for the completion (no names).")
@click.option("--store", "store_url",
              help="Database URL (default: a SQLite file in your data folder).")  # fmt: skip
@friendly_errors
def run(activity: str, ports: tuple[str, ...], every_board: bool, family: str | None,
        as_json: bool, timeout: float | None, sign_off: tuple[str, ...], learner: str | None,
        store_url: str | None) -> None:  # fmt: skip
    """Run ACTIVITY on a board (--port) or a classroom (--port ... or --all).

    Exit 0 when it is complete (on every board), 1 when incomplete, 2 on an error.
    """
    from wearkit.activities import require_support, targets
    from wearkit.link import SerialLink
    from wearkit.ports import find_boards
    from wearkit.runs import run_activity
    from wearkit.store import open_store

    chosen = find_activity(activity)
    profiles = load_profiles()
    connected = {b.port: b for b in find_boards(profiles)}
    if every_board:
        fitting = {p.id for p in targets(chosen, profiles.values())}
        ports = tuple(p for p, b in connected.items() if b.family in fitting)
        if not ports:
            raise ActivityError(f"no connected board can run {chosen.slug}; see `wearkit boards`")
    if not ports:
        raise click.UsageError("give --port PORT (repeatable) or --all")
    if len(ports) > 1:
        _run_classroom(chosen, ports, connected, family, as_json, timeout, sign_off, store_url)
        return
    port = ports[0]
    found = connected.get(port)
    family = family or (found.family if found else None)
    if family:
        require_support(chosen, get_profile(family, profiles), profiles.values())
    store = open_store(store_url)
    with SerialLink(port) as link:
        outcome = run_activity(
            link, chosen, board_family=family or "unknown",
            board_name=found.name if found else port, store=store, on_event=RunRenderer(as_json),
            timeout=timeout, sign_off=sign_off, learner=learner,
        )  # fmt: skip
    exit_for(outcome)


def _run_classroom(activity: Any, ports: tuple[str, ...], connected: dict[str, Any],
                   family: str | None, as_json: bool, timeout: float | None,
                   sign_off: tuple[str, ...], store_url: str | None) -> None:  # fmt: skip
    from wearkit.activities import require_support
    from wearkit.classroom import Seat, start_activity
    from wearkit.store import open_store

    seats = []
    for port in ports:
        found = connected.get(port)
        seat_family = family or (found.family if found else None) or "unknown"
        if seat_family != "unknown":
            profiles = load_profiles()
            require_support(activity, get_profile(seat_family, profiles), profiles.values())
        seats.append(Seat(port, seat_family, found.name if found else port))
    renderer = ClassroomRenderer(as_json)
    results = start_activity(seats, activity, store=open_store(store_url), on_event=renderer,
                             timeout=timeout, sign_off=sign_off)  # fmt: skip
    renderer.summary(results)
    if any(r.state != "done" for r in results):
        sys.exit(EXIT_ERROR)
    sys.exit(0 if all(r.outcome and r.outcome.complete for r in results) else 1)


@main.command("try")
@click.argument("activity")
@click.option("--family", help="Board family to simulate (default: the first that fits).")
@click.option("--scenario", default="pass", show_default=True,
              help="pass, fail, another scenario's name, or a CSV file.")  # fmt: skip
@click.option("--speed", default=20.0, show_default=True, help="Board clock speed-up.")
@click.option("--baud", default=115200, show_default=True, help="0 for an unthrottled line.")
@click.option("--json", "as_json", is_flag=True, help="Events as JSON lines.")
@friendly_errors
def try_command(activity: str, family: str | None, scenario: str, speed: float, baud: int,
                as_json: bool) -> None:  # fmt: skip
    """Try ACTIVITY on a fresh virtual board playing a scenario: an author's one-line test.

    Facilitator tasks are signed off automatically (as "try"); nothing is recorded.
    """
    from wearkit.tryout import try_activity

    outcome = try_activity(
        find_activity(activity), family=family, scenario=scenario, speed=speed,
        baud=baud or None, on_event=RunRenderer(as_json),
    )  # fmt: skip
    exit_for(outcome)


@main.command()
@click.option("--boards", "count", default=4, show_default=True, help="Boards in the classroom.")
@click.option("--activity", "slug", default="step-counter", show_default=True)
@click.option("--speed", default=10.0, show_default=True, help="Board clock speed-up.")
@click.option("--store", "store_url", help="Keep the runs in this database (default: memory).")
@click.option("--json", "as_json", is_flag=True, help="Events as JSON lines.")
@friendly_errors
def demo(count: int, slug: str, speed: float, store_url: str | None, as_json: bool) -> None:
    """A virtual classroom runs an activity: boards of every family that fits, at once.

    Every board plays the activity's pass scenario but the last, which plays fail (a
    student still working on it). Facilitator tasks are signed off as "demo". Nothing
    reaches your real store unless --store says so.
    """
    import tempfile

    from wearkit.activities import targets
    from wearkit.classroom import Seat, start_activity
    from wearkit.sim import start_fleet
    from wearkit.store import open_store
    from wearkit.tryout import PREFERRED_FAMILIES

    activity = find_activity(slug)
    fitting = {p.id: p for p in targets(activity, load_profiles().values())}
    families = [fitting[f] for f in PREFERRED_FAMILIES if f in fitting and f != "virtual"]
    families = families or list(fitting.values())
    renderer = ClassroomRenderer(as_json)
    with tempfile.TemporaryDirectory(prefix="wearkit-demo-") as root:
        store = open_store(store_url or f"sqlite:///{Path(root) / 'demo.db'}")
        fleets = []
        try:
            for index in range(count):
                profile = families[index % len(families)]
                scenario = "fail" if count > 2 and index == count - 1 else "pass"
                fleets.append(start_fleet(
                    profile, 1, speed=speed, folder=Path(root) / str(index),
                    scenario=activity.scenarios.get(scenario),
                ))  # fmt: skip
            seats = [Seat(f.boards[0].port, f.boards[0].profile.id, f.boards[0].name)
                     for f in fleets]  # fmt: skip
            if not as_json:
                click.echo(f"{count} virtual boards run {activity.title!r} "
                           f"(clock x{speed:g}, 115200 baud):")  # fmt: skip
                for seat in seats:
                    click.echo(f"  {seat.name} {seat.family} {seat.port}")
            results = start_activity(
                seats, activity, store=store, on_event=renderer,
                sign_off=[t.id for t in activity.tasks if t.by_facilitator],
                signed_off_by="demo",
                timeout=activity.time_limit / speed * 1.5 + 15,
            )  # fmt: skip
        finally:
            for fleet in fleets:
                fleet.close()
        earned = len(store.completions())
    renderer.summary(results)
    if not as_json:
        click.echo(f"{earned} badges earned and recorded "
                   f"({'in ' + store_url if store_url else 'in a throwaway store'})")  # fmt: skip
