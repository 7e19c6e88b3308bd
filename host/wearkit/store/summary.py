"""A bounded summary of all a run's samples, kept or not."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from wearkit.store import schema


class SampleSummary:
    """Count, time span and min/max per numeric reading of all a run's samples.

    Bounded: at most ``SUMMARY_KEYS_LIMIT`` keys; a list reading counts per element
    (``accel[0]``, ``accel[1]``, ...).
    """

    def __init__(self, data: Mapping[str, Any] | None) -> None:
        self.data: dict[str, Any] = dict(data) if data else {"count": 0, "keys": {}}
        self.data["keys"] = dict(self.data.get("keys", {}))
        self.changed = False

    def add(self, t_ms: int | None, name: str | None, value: Any) -> None:
        """Count one sample and widen the spans of its numeric readings."""
        self.changed = True
        self.data["count"] = int(self.data.get("count", 0)) + 1
        if t_ms is not None:
            self.data.setdefault("first_t_ms", t_ms)
            self.data["last_t_ms"] = t_ms
        readings: Mapping[str, Any] = value if isinstance(value, Mapping) else {name or "": value}
        for key, reading in readings.items():
            if isinstance(reading, (list, tuple)):
                for index, item in enumerate(reading):
                    self._number(f"{key}[{index}]", item)
            else:
                self._number(str(key), reading)

    def _number(self, key: str, value: Any) -> None:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return
        if not math.isfinite(value):
            return
        keys: dict[str, Any] = self.data["keys"]
        span = keys.get(key)
        if span is None:
            if len(keys) >= schema.SUMMARY_KEYS_LIMIT:
                return
            keys[key] = {"min": value, "max": value}
        elif value < span["min"]:
            keys[key] = {"min": value, "max": span["max"]}
        elif value > span["max"]:
            keys[key] = {"min": span["min"], "max": value}
