"""Typed reading of activity.toml tables, recording a problem for each wrong field."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from wearkit._toml import Problems


def fmt(value: float) -> str:
    """``value`` as an author wrote it: ``20`` rather than ``20.0``."""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def is_number(value: Any) -> bool:
    """Whether ``value`` is an int or float (a bool is neither, here)."""
    return isinstance(value, int | float) and not isinstance(value, bool)


def unknown_keys(
    problems: Problems, where: str, data: Mapping[str, Any], known: Sequence[str], what: str
) -> None:
    """Record each key of ``data`` not in ``known``, suggesting the closest known one."""
    for key in data:
        if key in known:
            continue
        close = difflib.get_close_matches(key, known, n=1)
        hint = f"did you mean '{close[0]}'?" if close else f"known: {', '.join(known)}"
        problems.add(where, f"unknown {what} '{key}' ({hint})")


class Fields:
    """Typed access to one TOML table, recording a problem for each wrong or missing field."""

    def __init__(self, problems: Problems, where: str, prefix: str = "") -> None:
        self.problems = problems
        self.where = where
        self.prefix = prefix

    def bad(self, key: str, message: str) -> None:
        """Record that field ``key`` is wrong."""
        self.problems.field(self.where, self.prefix + key, message)

    def text(self, data: Mapping[str, Any], key: str, required: bool = True) -> str | None:
        """The non-empty string ``data[key]``, stripped; None if absent or wrong."""
        if key not in data:
            if required:
                self.bad(key, f'missing; add `{key} = "..."`')
            return None
        value = data[key]
        if not isinstance(value, str) or not value.strip():
            self.bad(key, f"expected a non-empty string, got {value!r}")
            return None
        return value.strip()

    def number(
        self, data: Mapping[str, Any], key: str, *, integer: bool = False, positive: bool = True
    ) -> float | None:
        """The number ``data[key]``; None if absent or wrong."""
        if key not in data:
            self.bad(key, f"missing; add `{key} = ...`")
            return None
        value = data[key]
        kind = "an integer" if integer else "a number"
        if not is_number(value) or (integer and not isinstance(value, int)):
            self.bad(key, f"expected {kind}, got {value!r}")
            return None
        if positive and value <= 0:
            self.bad(key, f"expected {kind} above 0, got {value!r}")
            return None
        return float(value)

    def names(
        self, data: Mapping[str, Any], key: str, allowed: Iterable[str], required: bool = True
    ) -> tuple[str, ...]:
        """The list of names ``data[key]``, each one of ``allowed`` and listed once."""
        known = sorted(allowed)
        if key not in data:
            if required:
                self.bad(key, f"missing; add `{key} = [...]` (one or more of {', '.join(known)})")
            return ()
        value = data[key]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.bad(key, f"expected a list of strings, got {value!r}")
            return ()
        good: list[str] = []
        for item in value:
            if item not in known:
                self.bad(key, f"unknown value {item!r} (known: {', '.join(known)})")
            elif item in good:
                self.bad(key, f"{item!r} is listed twice")
            else:
                good.append(item)
        return tuple(good)
