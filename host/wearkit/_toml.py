"""The one TOML loader, and the list of problems a data file collects while it is checked.

Every TOML file wearkit reads (board profiles, activities) goes through :func:`load`, so a
syntax error always reads the same: one line naming the file, line and column.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

from wearkit import paths
from wearkit.errors import WearkitError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

_AT = re.compile(r"\s*\(at (?:line (\d+), column (\d+)|end of document)\)\s*$")


def load(path: Path, error: type[WearkitError]) -> dict[str, Any]:
    """The TOML table in ``path``; an unreadable or invalid file raises ``error`` with one
    line such as ``boards/x.toml: line 3, column 7: not valid TOML: Invalid value``."""
    where = paths.shown(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise error(f"{where}: no such file") from None
    except UnicodeDecodeError as exc:
        raise error(f"{where}: byte {exc.start} is not UTF-8 text; save it as UTF-8") from None
    except OSError as exc:
        raise error(f"{where}: cannot read: {exc.strerror}") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc).splitlines()[0] if str(exc) else "syntax error"
        found = _AT.search(message)
        if found is None:
            raise error(f"{where}: not valid TOML: {message}") from None
        line, column = found.groups()
        at = f"line {line}, column {column}" if line else "at the end of the file"
        raise error(f"{where}: {at}: not valid TOML: {message[: found.start()]}") from None


class Problems:
    """Every problem found in one or more data files, so an author fixes them all at once."""

    def __init__(self) -> None:
        self.items: list[str] = []
        self.warnings: list[str] = []

    def add(self, where: str, message: str) -> None:
        """Record a problem at ``where`` (a file, or ``file:line``)."""
        self.items.append(f"{where}: {message}")

    def field(self, where: str, name: str, message: str) -> None:
        """Record a problem with the field ``name`` of the file at ``where``."""
        self.add(where, f"field '{name}': {message}")

    def warn(self, where: str, message: str) -> None:
        """Record something worth fixing that does not stop the file from loading."""
        self.warnings.append(f"{where}: {message}")

    def raise_any(self, error: type[WearkitError]) -> None:
        """Raise ``error`` listing every problem, one a line, if there is any."""
        if self.items:
            raise error("\n".join(self.items))
