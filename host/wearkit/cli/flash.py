"""`wearkit flash` and `wearkit provision`: a box of boards becomes a ready classroom.

Thin: boards come from `wearkit.discovery`, the work from `wearkit.flash` and
`wearkit.provision`, many at once from `wearkit.flash.batch`. Progress is a bar per board
(rich) or, with ``--json``, one `FlashProgress` JSON line per event, then one ``result``
line per board.
"""

from __future__ import annotations

import itertools
import json
import sys
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import click

from wearkit.boards import BoardProfile, get_profile, load_profiles
from wearkit.cli.app import friendly_errors, main, stop_on_signals
from wearkit.discovery import BOOTLOADER, CIRCUITPY, DRIVE, SERIAL, FoundBoard, find_boards
from wearkit.errors import BoardError, FlashError, LinkError
from wearkit.flash import FlashOptions, FlashProgress, Target, claimed, flash_board
from wearkit.flash.batch import BatchResult, run_batch

# Which boards `flash --all` takes, by state: drives and boot drives; serial ports only of
# boards flashed through their serial line (a micro:bit's and a CPX's go by their drive).
_FLASH_STATES = {DRIVE, BOOTLOADER, CIRCUITPY}
_SERIAL_METHODS = {"esptool", "sim"}


class Progress:
    """Shows every board's progress: rich bars on a terminal, JSON lines with --json."""

    def __init__(self, as_json: bool) -> None:
        self.as_json = as_json
        self._lock = threading.Lock()
        self._bars: Any = None
        self._tasks: dict[str, Any] = {}

    def __enter__(self) -> Progress:
        if not self.as_json:
            from rich.console import Console
            from rich.progress import BarColumn, Progress, TextColumn

            columns = (TextColumn("{task.fields[board]:<10}"), BarColumn())
            self._bars = Progress(
                *columns, TextColumn("{task.description}"), console=Console(stderr=True)
            )
            self._bars.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._bars is not None:
            self._bars.stop()

    def event(self, event: FlashProgress) -> None:
        with self._lock:
            if self.as_json:
                _line(json.dumps(event.to_json()))
                return
            task = self._tasks.get(event.board)
            if task is None:
                task = self._tasks[event.board] = self._bars.add_task("", board=event.board)
            text = f"{event.step}: {event.message}" if event.message else event.step
            fields: dict[str, Any] = {"description": text[:70]}
            if event.total:
                fields.update(total=event.total, completed=event.done)
            if event.step == "done":
                fields.update(total=1, completed=1)
            self._bars.update(task, **fields)

    def result(self, result: BatchResult[Any]) -> None:
        with self._lock:
            if self.as_json:
                row = {"v": 1, "event": "result", "board": result.label, "ok": result.ok,
                       "message": result.message, "error": result.error}  # fmt: skip
                _line(json.dumps(row))
            elif not result.ok:
                self._bars.console.print(f"[{result.label}] failed: {result.error}", markup=False)


def _line(text: str) -> None:
    try:
        click.echo(text)
        sys.stdout.flush()
    except BrokenPipeError:
        pass


def _summary(results: Sequence[BatchResult[Any]], as_json: bool) -> None:
    if as_json:
        return
    for result in results:
        said = result.message if result.ok else f"FAILED: {result.error}"
        click.echo(f"{result.label:<12} {said}")
    failed = sum(not r.ok for r in results)
    click.echo(
        f"{len(results) - failed} of {len(results)} boards ready" if results else "no boards"
    )


def _key(board: FoundBoard) -> str:
    return board.uid or board.port


def _pick(
    found: Sequence[FoundBoard], wanted: Sequence[str], every: bool, accepts: Callable[..., bool]
) -> list[FoundBoard]:
    """The boards named (by port, drive or name) or, with --all, every board ``accepts``."""
    if wanted and every:
        raise click.UsageError("give PORT/DRIVE arguments or --all, not both")
    if not wanted and not every:
        raise click.UsageError(
            "give PORT or DRIVE arguments, or --all (`wearkit boards` lists them)"
        )
    if every:
        chosen: dict[str, FoundBoard] = {}
        for board in found:  # drives first: a micro:bit's drive is how it is flashed
            if accepts(board) and board.family is not None:
                chosen.setdefault(_key(board), board)
        return list(chosen.values())
    picked = []
    for name in wanted:
        matches = [b for b in found if name in (b.port, b.name) or Path(name) == Path(b.port)]
        if not matches:
            raise BoardError(f"{name}: no board there; `wearkit boards` lists the boards it sees")
        if matches[0].family is None:
            raise BoardError(f"{name}: no board profile matches it; see `wearkit boards --all`")
        picked.append(matches[0])
    return picked


def _flashable(profiles: dict[str, BoardProfile]) -> Callable[[FoundBoard], bool]:
    def accepts(board: FoundBoard) -> bool:
        if board.family is None:
            return False
        if board.is_drive:
            return board.state in _FLASH_STATES
        return board.state == SERIAL and profiles[board.family].flash in _SERIAL_METHODS

    return accepts


def _scanner(profiles: dict[str, BoardProfile], accepts: Callable[[FoundBoard], bool]) -> Any:
    def scan() -> list[FoundBoard]:
        found = find_boards(profiles, drives=True)
        return [b for b in found if accepts(b)]

    return scan


def _target(board: FoundBoard, profiles: dict[str, BoardProfile]) -> Target:
    profile = profiles[board.family or ""]
    if board.is_drive:
        return Target(profile, board.name, drive=Path(board.port), uid=board.uid)
    return Target(profile, board.name, port=board.port, uid=board.uid)


def _names(given: Sequence[str], boards: Sequence[FoundBoard]) -> dict[str, str]:
    """--name NAME (one board) or --name PORT=NAME ...: the name wanted per board key."""
    names: dict[str, str] = {}
    for item in given:
        where, sep, name = item.rpartition("=")
        if not sep:
            if len(boards) != 1:
                raise click.BadParameter(
                    "with several boards, give --name PORT=NAME for each", param_hint="--name"
                )
            names[_key(boards[0])] = name
            continue
        match = next((b for b in boards if where in (b.port, b.name)), None)
        if match is None:
            raise click.BadParameter(f"{where}: not one of the boards chosen", param_hint="--name")
        names[_key(match)] = name
    return names


def _groups(group: str | None) -> Callable[[BoardProfile], int | None]:
    """--group N for every radio board, or --group pairs: 1, 1, 2, 2, ... in order."""
    if group is None:
        return lambda profile: None
    if group == "pairs":
        counter = itertools.count(2)
        lock = threading.Lock()

        def next_pair(profile: BoardProfile) -> int | None:
            if not profile.has("radio"):
                return None
            with lock:
                return next(counter) // 2

        return next_pair
    if not group.isdigit() or not 0 <= int(group) <= 255:
        raise click.BadParameter("a number from 0 to 255, or pairs", param_hint="--group")
    return lambda profile: int(group) if profile.has("radio") else None


_COMMON = [
    click.option("--all", "every", is_flag=True,
                 help="Every board connected, and any plugged in while it runs."),
    click.option("--name", "names", multiple=True,
                 help="NAME for one board, or PORT=NAME (repeatable)."),
    click.option("--group", help="Radio group for radio boards: 0-255, or 'pairs' (1,1,2,2,...)."),
    click.option("--json", "as_json", is_flag=True, help="One JSON event per line."),
    click.option("--settle", default=3.0, show_default=True,
                 help="With --all: seconds to wait for more boards after the last is done."),
]  # fmt: skip


def _common(func: Any) -> Any:
    for option in reversed(_COMMON):
        func = option(func)
    return func


@main.command()
@click.argument("boards", nargs=-1)
@_common
@click.option("--firmware", help="A firmware file or https URL (#sha256=... to check it).")
@click.option("--no-runtime", is_flag=True, help="Only the firmware: no runtime, name or group.")
@click.option(
    "--hex-out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the micro:bit hex to FILE instead of flashing (drag it on by hand).",
)
@click.option("--family", help="With --hex-out: microbit-v1 or microbit-v2.")
@click.option("--activity", help="With --hex-out: the activity whose script runs at start-up.")
@friendly_errors
def flash(
    boards: tuple[str, ...], every: bool, names: tuple[str, ...], group: str | None,
    as_json: bool, settle: float, firmware: str | None, no_runtime: bool,
    hex_out: Path | None, family: str | None, activity: str | None,
) -> None:  # fmt: skip
    """Put firmware, the runtime and a name on boards: drives (MICROBIT, CPLAYBOOT,
    CIRCUITPY) and ESP32 ports, or with --hex-out a hex file for one micro:bit family."""
    profiles = load_profiles()
    if hex_out is not None:
        _hex_out(hex_out, family, names, group, activity, firmware, profiles)
        return
    if family or activity:
        raise click.UsageError("--family and --activity go with --hex-out")
    accepts = _flashable(profiles)
    chosen = _pick(find_boards(profiles, drives=True), boards, every, accepts)
    wanted = _names(names, chosen)
    group_of = _groups(group)
    _run(chosen, profiles, as_json, settle, every, accepts, lambda board, show: flash_board(
        _target(board, profiles),
        FlashOptions(
            firmware=firmware, name=wanted.get(_key(board)), runtime=not no_runtime,
            group=group_of(profiles[board.family or ""]),
            find_port=lambda uid: _serial_port(uid, profiles),
        ),
        show,
    ).message)  # fmt: skip


def _serial_port(uid: str, profiles: dict[str, BoardProfile]) -> str | None:
    from wearkit.discovery import serial_port_of

    return serial_port_of(uid, profiles)


@main.command()
@click.argument("ports", nargs=-1)
@_common
@friendly_errors
def provision(
    ports: tuple[str, ...], every: bool, names: tuple[str, ...], group: str | None,
    as_json: bool, settle: float,
) -> None:  # fmt: skip
    """Put the runtime, a short name (shown at start-up) and a radio group on boards that
    run MicroPython or CircuitPython, over their serial ports; only what differs."""
    profiles = load_profiles()

    def accepts(board: FoundBoard) -> bool:
        return board.state == SERIAL and not board.is_drive and board.family is not None

    chosen = _pick(find_boards(profiles), ports, every, accepts)
    wanted = _names(names, chosen)
    group_of = _groups(group)

    def work(board: FoundBoard, show: Callable[[FlashProgress], None]) -> str:
        from wearkit.flash import Reporter
        from wearkit.link import open_link
        from wearkit.provision import provision_board

        profile = profiles[board.family or ""]
        try:
            with open_link(board.port, soft_reset=True) as link:
                done = provision_board(
                    link, profile, name=wanted.get(_key(board)), group=group_of(profile),
                    on_progress=Reporter(board.name, show),
                )  # fmt: skip
        except LinkError as exc:
            show(FlashProgress(board.name, "failed", message=str(exc)))
            raise
        show(FlashProgress(board.name, "done", 1, 1, f"{done.name} is ready"))
        extra = f", radio group {done.group}" if done.group else ""
        return f"{done.name}{extra}: " + (
            f"put {', '.join(done.files)}" if done.files else "already ready"
        )

    _run(chosen, profiles, as_json, settle, every, accepts, work)


def _run(
    chosen: list[FoundBoard], profiles: dict[str, BoardProfile], as_json: bool, settle: float,
    every: bool, accepts: Callable[[FoundBoard], bool],
    work: Callable[[FoundBoard, Callable[[FlashProgress], None]], str],
) -> None:  # fmt: skip
    if not chosen and not every:
        raise click.UsageError("no boards chosen")
    with stop_on_signals() as stop, Progress(as_json) as progress:
        results = run_batch(
            chosen,
            lambda board: work(board, progress.event),
            key=_key,
            label=lambda board: board.name,
            scan=_scanner(profiles, accepts) if every else None,
            busy=lambda board: claimed(board.port),
            on_result=progress.result,
            settle=settle,
            stop=stop,
        )
    _summary(results, as_json)
    if stop.is_set():
        sys.exit(130)
    sys.exit(0 if results and all(r.ok for r in results) else 1)


def _hex_out(
    out: Path, family: str | None, names: Sequence[str], group: str | None,
    activity: str | None, firmware: str | None, profiles: dict[str, BoardProfile],
) -> None:  # fmt: skip
    from wearkit.flash.firmware import load_firmware
    from wearkit.flash.hexdrive import build_hex

    if family is None:
        raise click.UsageError("--hex-out needs --family microbit-v1 or microbit-v2")
    profile = get_profile(family, profiles)
    if profile.flash != "hex-drive":
        raise click.BadParameter(f"a {profile.name} takes no hex file", param_hint="--family")
    if len(names) > 1 or any("=" in n for n in names):
        raise click.BadParameter("one NAME for the hex", param_hint="--name")
    main_py = None
    if activity is not None:
        from wearkit.cli.activities import find_activity

        main_py = (find_activity(activity).path / "main.py").read_bytes()
    radio = _groups(group)(profile)
    base = None
    if firmware is not None:
        _, data = load_firmware(firmware, profile, step=lambda *a: None)
        base = data.decode("ascii", errors="replace")
    built = build_hex(
        profile, name=names[0] if names else None, group=radio, main=main_py, base=base
    )
    try:
        out.write_text(built.text, encoding="ascii")
    except OSError as exc:
        raise FlashError(f"{out}: cannot write the hex ({exc.strerror or exc})") from None
    click.echo(
        f"{out}: {len(built.text):,} bytes, {built.micropython.split(';')[0]} with "
        f"{', '.join(built.files)}; copy it onto the MICROBIT drive"
    )
