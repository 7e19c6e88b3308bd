"""The one table of simulated sensor channels: scenario columns and live values.

A virtual board's sensors are fed by channels with these names, from a scenario CSV
(one column each, plus ``t``) or from live values (`wearkit live`, the web app's sliders).
Every check of a channel's name or value reads this table; nothing else lists them.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

Kind = Literal["number", "binary", "text"]


@dataclass(frozen=True)
class Sensor:
    """One channel: what it measures, the capability it belongs to, the values it takes."""

    name: str
    capability: str
    kind: Kind
    low: float
    high: float
    unit: str
    default: float | None = None

    def problem(self, value: float) -> str | None:
        """Why ``value`` cannot be this channel's reading, or None if it can."""
        if self.kind == "text":
            return None
        if not math.isfinite(value):
            return f"{self.name} must be a finite number, not {value!r}"
        if self.kind == "binary" and value not in (0, 1):
            return f"{self.name} is 0 (released) or 1 (pressed), not {_fmt(value)}"
        if not self.low <= value <= self.high:
            unit = f" {self.unit}" if self.unit else ""
            return (
                f"{self.name} must be between {_fmt(self.low)} and {_fmt(self.high)}{unit}, "
                f"not {_fmt(value)}"
            )
        return None


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _table() -> dict[str, Sensor]:
    rows = [
        Sensor("ax", "accel", "number", -16000, 16000, "milli-g", 0),
        Sensor("ay", "accel", "number", -16000, 16000, "milli-g", 0),
        Sensor("az", "accel", "number", -16000, 16000, "milli-g", -1000),
        Sensor("light", "light", "number", 0, 255, "", 120),
        Sensor("temp", "temp", "number", -40, 125, "°C", 21),
        Sensor("sound", "sound", "number", 0, 255, "", 10),
        Sensor("button_a", "buttons", "binary", 0, 1, "", 0),
        Sensor("button_b", "buttons", "binary", 0, 1, "", 0),
        *(Sensor(f"touch_A{n}", "touch", "binary", 0, 1, "", 0) for n in range(1, 8)),
        # A message the board receives at that time: 1 to 32 bytes of text, no ',' or '"'.
        Sensor("radio", "radio", "text", 1, 32, "bytes"),
    ]
    return {row.name: row for row in rows}


#: Every channel by name, in the order scenario files and messages list them.
SENSORS: Mapping[str, Sensor] = _table()
#: The channels a person can set by hand while a board runs (not radio messages).
LIVE: Mapping[str, Sensor] = {k: v for k, v in SENSORS.items() if v.kind != "text"}
#: The time column of a scenario: seconds on the board's clock.
TIME_COLUMN = "t"
