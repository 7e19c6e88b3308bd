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
from wearkit.errors import ActivityError, BoardExecError, WearkitError

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



# -- activities and runs ------------------------------------------------------------------


def _find_activity(name: str) -> Any:
    from wearkit.activities import load_activity, load_catalogue

    if Path(name).is_dir():
        return load_activity(Path(name))
    catalogue = load_catalogue()
    for activity in catalogue:
        if activity.slug == name:
            return activity
    known = ", ".join(a.slug for a in catalogue)
    raise ActivityError(f"no activity {name!r}; known: {known} (or give an activity folder)")


@main.command()
@click.option("--json", "as_json", is_flag=True, help="One JSON list, for scripts.")
@click.option("--family", help="Only activities this board family can run.")
@friendly_errors
def activities(as_json: bool, family: str | None) -> None:
    """List the badge activities and the board families that can run them."""
    from wearkit.activities import load_catalogue, targets

    profiles = load_profiles()
    rows: list[dict[str, Any]] = []
    for activity in load_catalogue():
        fams = [p.id for p in targets(activity, profiles.values())]
        if family and family not in fams:
            continue
        rows.append({
            "slug": activity.slug, "title": activity.title, "level": activity.level,
            "minutes": activity.minutes, "requires": list(activity.requires),
            "themes": list(activity.themes), "families": fams,
            "badge": activity.badge.name, "tasks": [t.id for t in activity.tasks],
        })  # fmt: skip
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    for row in rows:
        click.echo(f"{row['slug']:<20} {row['title']:<32} {row['level']:<12} "
                   f"needs {', '.join(row['requires']) or 'nothing'}; "
                   f"runs on {', '.join(row['families'])}")  # fmt: skip


_MARKS = {"done": "x", "failed": "-"}  # a checklist's boxes: [x] done, [-] failed, [ ] pending


class _Renderer:
    """Shows a run's events: readable lines, or JSON lines with --json."""

    def __init__(self, as_json: bool) -> None:
        self.as_json = as_json
        self.last_reading = 0.0

    def __call__(self, event: Any) -> None:
        if self.as_json:
            click.echo(json.dumps({"event": event.kind, "at": round(event.at, 3), **event.data},
                                  default=str))  # fmt: skip
            sys.stdout.flush()
            return
        data = event.data
        if event.kind == "runtime":
            click.echo(f"installing the kit runtime: {data['file']} ({data['bytes']} bytes)")
        elif event.kind == "started":
            click.echo(f"board ready: {data['runtime']}")
        elif event.kind == "reading" and event.at - self.last_reading >= 0.5:
            self.last_reading = event.at
            values = " ".join(f"{k}={v}" for k, v in (data["values"] or {}).items())
            click.echo(f"  {data['t_ms'] / 1000:7.1f}s  {values}")
        elif event.kind == "report":
            click.echo(f"  {data['t_ms'] / 1000:7.1f}s  {data['name']} = {data['value']}")
        elif event.kind == "event":
            click.echo(f"  {data['t_ms'] / 1000:7.1f}s  event: {data['name']}")
        elif event.kind == "console":
            click.echo(f"  board> {data['text']}")
        elif event.kind == "task":
            mark = _MARKS.get(data["state"], " ")
            click.echo(f"[{mark}] {data['title']}  ({data['detail']})")
        elif event.kind == "completed":
            click.echo(f"*** badge earned: {data['badge']} ***")
        elif event.kind == "finished":
            click.echo(f"run {data['outcome']}:")
            for task in data["tasks"]:
                mark = _MARKS.get(task["state"], " ")
                click.echo(f"  [{mark}] {task['title']}  ({task['detail']})")
            if data.get("traceback"):
                click.echo(data["traceback"].replace("\r\n", "\n").rstrip(), err=True)


def _exit_for(outcome: Any) -> None:
    sys.exit(0 if outcome.complete else 1)


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

    chosen = _find_activity(activity)
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
            board_name=found.name if found else port, store=store, on_event=_Renderer(as_json),
            timeout=timeout, sign_off=sign_off, learner=learner,
        )  # fmt: skip
    _exit_for(outcome)


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
    renderer = _ClassroomRenderer(as_json)
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
        _find_activity(activity), family=family, scenario=scenario, speed=speed,
        baud=baud or None, on_event=_Renderer(as_json),
    )  # fmt: skip
    _exit_for(outcome)



def _diagnostic_line(d: Any) -> str:
    """One line a user can click on: file:line:col, the message's first line, the stubs."""
    from wearkit.paths import shown

    first = d.message.splitlines()[0] if d.message else ""
    where = f"{shown(d.file)}:{d.line}:{d.column}"
    return f"{where}: {d.severity}: {first} [{d.rule}] (against {d.stubs})"


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--skip-types", is_flag=True, help="Validate activity.toml only; no pyright.")
@friendly_errors
def check(paths: tuple[Path, ...], skip_types: bool) -> None:
    """Check activities (default: the whole catalogue) and the firmware.

    Validates each activity.toml and type-checks each main.py and the kit runtime with
    pyright against the stubs of every board family the activity targets. Exit 1 if
    anything is wrong.
    """
    from wearkit import check as checking
    from wearkit.activities import load_activity
    from wearkit.paths import activities_dir

    folders = list(paths) or sorted(
        p for p in activities_dir().iterdir() if (p / "activity.toml").is_file()
    )
    problems: list[str] = []
    valid: list[Path] = []
    for folder in folders:
        try:
            activity = load_activity(folder)
        except ActivityError as exc:
            problems.extend(str(exc).splitlines())
            continue
        problems.extend(f"warning: {w}" for w in activity.warnings)
        valid.append(folder)
    if not skip_types:
        def say(message: str) -> None:
            click.echo(message, err=True)

        diagnostics = checking.check_firmware(progress=say)
        diagnostics += checking.check_activities(valid, progress=say)
        problems.extend(_diagnostic_line(d) for d in diagnostics)
    problems = list(dict.fromkeys(problems))  # boards sharing stubs report alike
    for line in problems:
        click.echo(line)
    errors = [line for line in problems if not line.startswith("warning:")]
    click.echo(f"checked {len(folders)} activities and the firmware: "
               f"{len(errors) or 'no'} problem{'s' if len(errors) != 1 else ''}")  # fmt: skip
    sys.exit(1 if errors else 0)



class _ClassroomRenderer:
    """One line per board event worth a facilitator's glance; a table at the end."""

    def __init__(self, as_json: bool) -> None:
        self.as_json = as_json

    def __call__(self, seat: Any, event: Any) -> None:
        if self.as_json:
            click.echo(json.dumps({"board": seat.name, "port": seat.port, "event": event.kind,
                                   **event.data}, default=str))  # fmt: skip
            return
        tag = f"[{seat.name} {seat.family}]"
        data = event.data
        if event.kind == "task" and data["state"] == "done":
            click.echo(f"{tag} [x] {data['title']}  ({data['detail']})")
        elif event.kind == "completed":
            click.echo(f"{tag} *** badge earned: {data['badge']} ***")
        elif event.kind == "state" and data["state"] in ("lost", "error"):
            click.echo(f"{tag} {data['state']}: {data['error']}")
        elif event.kind == "finished":
            click.echo(f"{tag} run {data['outcome']}")

    def summary(self, results: list[Any]) -> None:
        if self.as_json:
            return
        click.echo("")
        click.echo(f"{'board':<6} {'family':<15} {'outcome':<12} tasks done")
        for result in results:
            outcome = result.outcome.outcome if result.outcome else result.state
            done = (sum(t["state"] == "done" for t in result.outcome.tasks)
                    if result.outcome else 0)  # fmt: skip
            total = len(result.outcome.tasks) if result.outcome else 0
            click.echo(f"{result.seat.name:<6} {result.seat.family:<15} {outcome:<12} "
                       f"{done}/{total}")  # fmt: skip


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

    activity = _find_activity(slug)
    fitting = {p.id: p for p in targets(activity, load_profiles().values())}
    families = [fitting[f] for f in PREFERRED_FAMILIES if f in fitting and f != "virtual"]
    families = families or list(fitting.values())
    renderer = _ClassroomRenderer(as_json)
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


if __name__ == "__main__":
    main()
