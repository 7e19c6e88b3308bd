"""Scenario files: the sensor traces a virtual board replays, checked on the host.

A scenario is a CSV text file: a header row naming ``t`` and sensor channels (the names in
:data:`wearkit.sensors.SENSORS`), then one row per moment. The board's own reader
(``firmware/sim/common/_simcore.py``) is tiny and trusts its input, so every rule it relies on
is checked here, before any board is touched, with one line naming the row and column.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Iterator
from pathlib import Path

from wearkit import paths
from wearkit.errors import ActivityError
from wearkit.sensors import SENSORS, TIME_COLUMN, Sensor

GUIDE = "see activities/README.md"
#: Every column a scenario may have, in the order messages list them.
COLUMNS = (TIME_COLUMN, *SENSORS)


def validate_scenario(path: Path) -> None:
    """Raise ActivityError with one line naming the first problem of scenario ``path``."""
    for problem in scenario_problems(path):
        raise ActivityError(problem)


def scenario_problems(path: Path) -> Iterator[str]:
    """Every problem of scenario ``path``, one line each, in file order."""
    where = paths.shown(path)
    text, problem = _read(path, where)
    if problem is not None:
        yield problem
        return
    # Split on bare commas, exactly as the board does: CSV quoting means nothing there.
    rows = [
        (number, [cell.strip() for cell in line.split(",")])
        for number, line in enumerate(text.split("\n"), start=1)
        if line.strip() and not line.strip().startswith("#")
    ]
    if not rows:
        yield (
            f"{where}: empty; a scenario needs a header row such as 't,light' and one row "
            f"per moment ({GUIDE})"
        )
        return
    header_row, header = rows[0]
    problem = _header_problem(header, header_row)
    if problem is not None:
        yield f"{where}: {problem}"
        return
    if len(rows) == 1:
        yield f"{where}: no rows after the header; add one row per moment ({GUIDE})"
        return
    last_t = -math.inf
    for number, cells in rows[1:]:
        if len(cells) > len(header):
            yield (
                f"{where}: row {number}: {len(cells)} cells but the header has {len(header)} "
                "columns; remove the extra cells (a radio message cannot hold ',')"
            )
            continue
        cells += [""] * (len(header) - len(cells))
        for name, cell in zip(header, cells, strict=True):
            if name == TIME_COLUMN:
                problem, t = _time_problem(cell, last_t)
                last_t = t if t is not None else last_t
            else:
                problem = _cell_problem(SENSORS[name], cell)
            if problem is not None:
                yield f"{where}: row {number}, column '{name}': {problem}"


def _read(path: Path, where: str) -> tuple[str, str | None]:
    """The file's text, or why it cannot be a scenario."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return "", f"{where}: no such file; a scenario is a CSV file such as scenarios/pass.csv"
    except IsADirectoryError:
        return "", f"{where}: is a folder; give a scenario's CSV file"
    except OSError as exc:
        return "", f"{where}: cannot read: {exc.strerror}"
    if data.startswith(b"\xef\xbb\xbf"):
        return "", f"{where}: starts with a byte-order mark; save it as plain UTF-8 CSV ({GUIDE})"
    bad = data.find(b"\0")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        bad = exc.start if bad < 0 else min(bad, exc.start)
    if bad >= 0:
        return "", (
            f"{where}: not a text file (byte {bad} is 0x{data[bad]:02x}); "
            f"a scenario is a CSV text file in UTF-8 ({GUIDE})"
        )
    return text, None


def _header_problem(header: list[str], row: int) -> str | None:
    if all(_number(cell) is not None for cell in header):
        return f"row {row}: no header row; start with the column names, such as 't,light' ({GUIDE})"
    seen: set[str] = set()
    for name in header:
        if name == "":
            return f"row {row}: an empty column name; remove the stray ',' in the header"
        if name not in COLUMNS:
            close = difflib.get_close_matches(name, COLUMNS, n=1)
            hint = f"did you mean '{close[0]}'? " if close else ""
            return f"row {row}, column '{name}': unknown column ({hint}known: {', '.join(COLUMNS)})"
        if name in seen:
            return f"row {row}, column '{name}': named twice; keep one column per channel"
        seen.add(name)
    if TIME_COLUMN not in header:
        return f"row {row}: no 't' column; add one first: seconds on the board's clock ({GUIDE})"
    return None


def _number(cell: str) -> float | None:
    # Python reads '1_000' as a number; the board's float() does not.
    if "_" in cell:
        return None
    try:
        return float(cell)
    except ValueError:
        return None


def _not_a_number(cell: str) -> str:
    return f"'{cell}' is not a number; scenario values are numbers ({GUIDE})"


def _time_problem(cell: str, last_t: float) -> tuple[str | None, float | None]:
    if cell == "":
        return "empty; every row needs its time", None
    t = _number(cell)
    if t is None:
        return _not_a_number(cell), None
    if not math.isfinite(t):
        return f"'{cell}' is not a finite number; t is seconds on the board's clock", None
    if t < 0:
        return f"{cell} is before the start; t counts seconds from 0", None
    if t < last_t:
        return f"{cell} comes after {last_t:g}; rows go in time order (t never goes back)", t
    return None, t


def _cell_problem(sensor: Sensor, cell: str) -> str | None:
    if cell == "":  # an empty cell leaves the channel's value as it was
        return None
    if sensor.kind == "text":
        size = len(cell.encode())
        rule = (
            f"""a message is {sensor.low:g} to {sensor.high:g} bytes of text without ',' or '"'"""
        )
        if '"' in cell:
            return f"""'{cell}' holds a '"'; {rule}"""
        if not sensor.low <= size <= sensor.high:
            return f"'{cell}' is {size} bytes; {rule}"
        return None
    value = _number(cell)
    if value is None:
        return _not_a_number(cell)
    return sensor.problem(value)
