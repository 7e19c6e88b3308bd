"""`wearkit run`, `wearkit try` and `wearkit demo`: an activity on boards, real or virtual."""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import click

from wearkit.boards import BoardProfile, get_profile, load_profiles, preferred_profiles
from wearkit.cli.activities import find_activity
from wearkit.cli.app import EXIT_ERROR, EXIT_INTERRUPTED, friendly_errors, main, stop_on_signals
from wearkit.cli.render import ClassroomRenderer, Output, RunRenderer, exit_code
from wearkit.errors import ActivityError, BoardError
from wearkit.runlog import learner_problem


@main.command()
@click.argument("activity")
@click.option(
    "--port",
    "ports",
    multiple=True,
    help="A board's serial port (see `wearkit boards`); repeat for several.",
)
@click.option(
    "--all", "every_board", is_flag=True, help="Every connected board that can run the activity."
)
@click.option("--family", help="Board family, if `wearkit boards` cannot tell.")
@click.option("--json", "as_json", is_flag=True, help="Events as JSON lines (see README).")
@click.option(
    "--timeout",
    type=float,
    callback=lambda _ctx, _param, value: _seconds(value),
    help="Seconds before the script is stopped (at most a day).",
)
@click.option(
    "--sign-off",
    "sign_off",
    multiple=True,
    metavar="TASK",
    help="Sign off a facilitator task (repeatable).",
)
@click.option(
    "--learner",
    "learners",
    multiple=True,
    metavar="[BOARD=]REF",
    help="An opaque learner reference (no names) for the completion; "
    "BOARD=REF per board (its port or name) in a classroom run.",
)
@click.option(
    "--store", "store_url", help="Database URL (default: a SQLite file in your data folder)."
)
@friendly_errors
def run(
    activity: str,
    ports: tuple[str, ...],
    every_board: bool,
    family: str | None,
    as_json: bool,
    timeout: float | None,
    sign_off: tuple[str, ...],
    learners: tuple[str, ...],
    store_url: str | None,
) -> None:
    """Run ACTIVITY on a board (--port) or a classroom (--port ... or --all).

    Exit 0 when it is complete (on every board), 1 when incomplete, 2 on an error,
    130 when stopped with Ctrl-C.
    """
    from wearkit.activities import require_support, targets
    from wearkit.classroom import Seat
    from wearkit.discovery import find_boards
    from wearkit.store import open_store

    chosen = find_activity(activity)
    for task_id in sign_off:
        if not chosen.task(task_id).by_facilitator:
            raise click.BadParameter(
                f"task {task_id!r} of {chosen.slug} is checked by the board, not signed off",
                param_hint="--sign-off",
            )
    profiles = load_profiles()
    connected = {b.port: b for b in find_boards(profiles)}
    if every_board:
        fitting = {p.id for p in targets(chosen, profiles.values())}
        ports = tuple(p for p, b in connected.items() if b.family in fitting)
        if not ports:
            raise ActivityError(f"no connected board can run {chosen.slug}; see `wearkit boards`")
    if not ports:
        raise click.UsageError("give --port PORT (repeatable) or --all")
    if family is not None:
        get_profile(family, profiles)  # an unknown family is named before any board is touched
    seats = []
    for port in dict.fromkeys(ports):
        found = connected.get(port)
        seat_family = family or (found.family if found else None)
        if seat_family is None:
            raise BoardError(
                f"{port}: which board is this? `wearkit boards` does not know it; give "
                f"--family (one of {', '.join(sorted(profiles))})"
            )
        require_support(chosen, get_profile(seat_family, profiles), profiles.values())
        seats.append(Seat(port, seat_family, found.name if found else Path(port).name))
    seats = _with_learners(seats, learners)
    store = open_store(store_url)
    _say_warnings(store)
    with stop_on_signals() as stop:
        out = Output(stop)
        if len(seats) == 1:
            outcome = _run_one(
                chosen, seats[0], profiles, store, as_json, out, timeout, sign_off, stop
            )
            outcomes = [outcome]
        else:
            outcomes = _run_classroom(
                chosen, seats, profiles, store, as_json, out, timeout, sign_off, stop
            )
    if stop.is_set() and not out.closed:
        sys.exit(EXIT_INTERRUPTED)
    sys.exit(exit_code(outcomes))


def _with_learners(seats: list[Any], learners: Sequence[str]) -> list[Any]:
    """Attach learner references: REF for a single board, BOARD=REF (port or name) for any."""
    from dataclasses import replace

    by_board: dict[str, str] = {}
    for given in learners:
        board, _, ref = given.rpartition("=")
        if not board and len(seats) > 1:
            raise click.BadParameter(
                f"{given!r}: with several boards, say whose: BOARD=REF (a port or a board name)",
                param_hint="--learner",
            )
        problem = learner_problem(ref)
        if problem is not None:
            raise click.BadParameter(problem, param_hint="--learner")
        by_board[board or seats[0].port] = ref
    known = {s.port for s in seats} | {s.name for s in seats}
    for board in by_board:
        if board not in known:
            raise click.BadParameter(
                f"{board!r} is not one of the boards of this run "
                f"({', '.join(s.name for s in seats)})",
                param_hint="--learner",
            )
    return [replace(s, learner=by_board.get(s.port) or by_board.get(s.name)) for s in seats]


def _run_one(
    activity: Any,
    seat: Any,
    profiles: Mapping[str, BoardProfile],
    store: Any,
    as_json: bool,
    out: Output,
    timeout: float | None,
    sign_off: Sequence[str],
    stop: Any,
) -> Any:
    from wearkit.classroom import run_activity
    from wearkit.classroom.run import StoppedBeforeStart
    from wearkit.link import open_link

    with open_link(seat.port) as link:
        try:
            return run_activity(
                link,
                activity,
                seat=seat,
                profile=profiles[seat.family],
                log=store,
                on_event=RunRenderer(as_json, out),
                timeout=timeout,
                sign_off=sign_off,
                stop=stop,
            )
        except StoppedBeforeStart:
            return None  # Ctrl-C while the runtime went on: nothing ran, nothing to record


def _seconds(value: float | None) -> float | None:
    if value is not None and not 0 < value <= 24 * 3600:  # also refuses nan
        raise click.BadParameter(f"give seconds above 0 and at most 86400, not {value}")
    return value


def _say_warnings(store: Any) -> None:
    """What opening the store found that the facilitator must know (kept completions)."""
    for warning in store.warnings:
        click.echo(f"warning: {warning}", err=True)


def _run_classroom(
    activity: Any,
    seats: Sequence[Any],
    profiles: Mapping[str, BoardProfile],
    store: Any,
    as_json: bool,
    out: Output,
    timeout: float | None,
    sign_off: Sequence[str],
    stop: Any,
) -> list[Any]:
    from wearkit.classroom import start_activity

    renderer = ClassroomRenderer(as_json, out)
    results = start_activity(
        seats,
        activity,
        profiles=profiles,
        log=store,
        on_event=renderer,
        timeout=timeout,
        sign_off=sign_off,
        stop=stop,
    )
    renderer.summary(results)
    if any(r.state != "done" for r in results) and not stop.is_set():
        sys.exit(EXIT_ERROR)
    return [r.outcome for r in results]


@main.command("try")
@click.argument("activity")
@click.option("--family", help="Board family to simulate (default: the first that fits).")
@click.option(
    "--scenario",
    default="pass",
    show_default=True,
    help="pass, fail, another scenario's name, or a CSV file.",
)
@click.option("--speed", default=20.0, show_default=True, help="Board clock speed-up.")
@click.option("--baud", default=115200, show_default=True, help="0 for an unthrottled line.")
@click.option("--json", "as_json", is_flag=True, help="Events as JSON lines (see README).")
@friendly_errors
def try_command(
    activity: str, family: str | None, scenario: str, speed: float, baud: int, as_json: bool
) -> None:
    """Try ACTIVITY on a fresh virtual board playing a scenario: an author's one-line test.

    Facilitator tasks are signed off automatically (as "try"); nothing is recorded. Exit
    0 when complete, 1 when incomplete, 2 when the board or the simulator failed.
    """
    from wearkit.classroom.tryout import try_activity

    outcome = try_activity(
        find_activity(activity),
        family=family,
        scenario=scenario,
        speed=speed,
        baud=baud or None,
        on_event=RunRenderer(as_json),
    )
    sys.exit(exit_code([outcome]))


@main.command()
@click.option(
    "--boards",
    "count",
    default=4,
    show_default=True,
    help="Boards in the classroom (1 to 64).",
)
@click.option("--activity", "slug", default="step-counter", show_default=True)
@click.option("--speed", default=10.0, show_default=True, help="Board clock speed-up.")
@click.option("--store", "store_url", help="Keep the runs in this database (default: memory).")
@click.option("--json", "as_json", is_flag=True, help="Events as JSON lines (see README).")
@friendly_errors
def demo(count: int, slug: str, speed: float, store_url: str | None, as_json: bool) -> None:
    """A virtual classroom runs an activity: boards of every family that fits, at once.

    Every board plays the activity's pass scenario but the last (with 3 boards or more),
    which plays a student still working on it (its fail scenario). Facilitator tasks are
    signed off as "demo". Nothing reaches your real store unless --store says so.
    """
    import tempfile

    from wearkit.activities import targets
    from wearkit.classroom import Seat, deadline, start_activity
    from wearkit.sim import check_count, check_speed, start_fleet
    from wearkit.store import open_store

    check_count(count)
    check_speed(speed)
    activity = find_activity(slug)
    profiles = load_profiles()
    fitting = preferred_profiles(targets(activity, profiles.values()))
    # The plain `virtual` board is for tests, Blinka kits are not a box of boards: a demo
    # shows the boards a school hands out.
    families = [p for p in fitting if p.flash not in ("sim", "none")] or fitting
    with tempfile.TemporaryDirectory(prefix="wearkit-demo-") as root, stop_on_signals() as stop:
        out = Output(stop)
        renderer = ClassroomRenderer(as_json, out)
        store = open_store(store_url or f"sqlite:///{Path(root) / 'demo.db'}")
        _say_warnings(store)
        fleets = []
        try:
            for index in range(count):
                profile = families[index % len(families)]
                scenario = "fail" if count > 2 and index == count - 1 else "pass"
                fleets.append(
                    start_fleet(
                        profile,
                        1,
                        speed=speed,
                        folder=Path(root) / str(index),
                        scenario=activity.scenarios.get(scenario),
                    )
                )
            seats = [
                Seat(f.boards[0].port, f.boards[0].profile.id, f.boards[0].name) for f in fleets
            ]
            if not as_json:
                out.line(
                    f"{count} virtual boards run {activity.title!r} "
                    f"(clock x{speed:g}, 115200 baud):"
                )
                for index, seat in enumerate(seats):
                    part = (
                        "  <- plays a student still working on it (fail scenario)"
                        if count > 2 and index == count - 1
                        else ""
                    )
                    out.line(f"  {seat.name} {seat.family:<15} {seat.port}{part}")
            results = start_activity(
                seats,
                activity,
                profiles=profiles,
                log=store,
                on_event=renderer,
                sign_off=[t.id for t in activity.tasks if t.by_facilitator],
                signed_off_by="demo",
                timeout=deadline(activity, speed),
                stop=stop,
            )
        finally:
            for fleet in fleets:
                fleet.close()
        earned = sum(1 for r in results if r.outcome is not None and r.outcome.complete)
        renderer.summary(results)
        if not as_json:
            where = f"in {store_url}" if store_url else "in a throwaway store"
            out.line(f"{earned} badges earned and recorded ({where})")
    if stop.is_set() and not out.closed:
        sys.exit(EXIT_INTERRUPTED)
