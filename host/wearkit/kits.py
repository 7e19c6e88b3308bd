"""A Blinka board's kit as data: which breakout gives which capability, on which bus and
address or pin (the ``[kit.<capability>]`` tables of ``boards/blinka-*.toml``, or a
school's own kit file holding just a ``[kit]`` table), and how its adapter is reached (the
profile's ``[blinka]`` table).

Checked here with every problem named by file and field, so a school that wires its own
kit gets ``ourkit.toml: field 'kit.accel.address': ...`` instead of a driver's traceback.
The hardware layer (firmware/kithal_blinka.py) and the virtual Blinka board read the same
data, as JSON in the ``WEARKIT_KIT`` environment variable of the board's process.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from wearkit import _toml, paths
from wearkit.errors import BoardError

#: A part: the capability it gives, its driver module, the I2C addresses it can have
#: (empty: not on I2C).
PARTS: dict[str, tuple[str, str, tuple[int, ...]]] = {
    "lis3dh": ("accel", "adafruit_lis3dh", (0x18, 0x19)),
    "lsm6ds": ("accel", "adafruit_lsm6ds.lsm6dsox", (0x6A, 0x6B)),
    "veml7700": ("light", "adafruit_veml7700", (0x10,)),
    "mcp9808": ("temp", "adafruit_mcp9808", tuple(range(0x18, 0x20))),
    "neopixel": ("pixels", "neopixel", ()),
}
#: What a Blinka kit can give: one part each, buttons on pins.
KIT_CAPABILITIES = ("accel", "light", "temp", "buttons", "pixels")
_PIN = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
_ENV = re.compile(r"^[A-Z][A-Z0-9_]*$")
AddProblem = Callable[[str, str], None]


@dataclass(frozen=True)
class Kit:
    """The parts of one Blinka kit, by capability, as checked data."""

    parts: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)

    @property
    def capabilities(self) -> frozenset[str]:
        """What this kit gives (``buttons`` once a button is wired)."""
        return frozenset(self.parts)

    def drivers(self) -> list[str]:
        """The driver modules the kit's parts need (for a clear "not installed" line)."""
        return sorted({PARTS[p["part"]][1] for p in self.parts.values() if "part" in p})

    def to_json(self, name: str) -> str:
        """The kit as the hardware layer reads it (``WEARKIT_KIT``)."""
        return json.dumps({"name": name, "parts": self.parts}, sort_keys=True)


@dataclass(frozen=True)
class Adapter:
    """How a Blinka board is reached and found: Blinka's environment switches
    (``BLINKA_FT232H``), the one line that tells a user what to do when the board cannot be
    opened, the USB ids of its adapter, or the start of the computer's own model name
    (``/proc/device-tree/model``: a Raspberry Pi is the board)."""

    env: Mapping[str, str] = field(default_factory=dict)
    fix: str = "check the wiring of the kit"
    usb: tuple[tuple[int, int], ...] = ()
    model: str = ""


def parse_kit(table: object, add: AddProblem, where: str = "kit") -> Kit:
    """The ``[kit]`` table ``table``; every problem goes to ``add(field, message)``."""
    if not isinstance(table, dict):
        add(where, f"expected a table like [{where}.accel], got {table!r}")
        return Kit()
    parts: dict[str, dict[str, Any]] = {}
    taken: dict[int, str] = {}
    for cap, spec in table.items():
        at = f"{where}.{cap}"
        if cap not in KIT_CAPABILITIES:
            add(at, f"unknown capability (a Blinka kit has: {', '.join(KIT_CAPABILITIES)})")
            continue
        if not isinstance(spec, dict):
            add(at, f"expected a table like [{at}], got {spec!r}")
            continue
        part = _buttons(spec, add, at) if cap == "buttons" else _part(cap, spec, add, at, taken)
        if part is not None:
            parts[cap] = part
    return Kit(parts)


def _part(
    cap: str, spec: Mapping[str, Any], add: AddProblem, at: str, taken: dict[int, str]
) -> dict[str, Any] | None:
    fitting = sorted(p for p, (c, _, _) in PARTS.items() if c == cap)
    name = spec.get("part")
    if name not in fitting:
        add(f"{at}.part", f"expected one of {', '.join(fitting)}, got {name!r}")
        return None
    addresses = PARTS[name][2]
    known = {"part", "address"} if addresses else {"part", "pin", "count"}
    for key in spec:
        if key not in known:
            add(f"{at}.{key}", f"unknown field (known: {', '.join(sorted(known))})")
    if not addresses:
        pin, count = spec.get("pin"), spec.get("count")
        if not isinstance(pin, str) or not _PIN.match(pin):
            add(f"{at}.pin", f'expected a pin name of `board` like "D18", got {pin!r}')
        if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= 256:
            add(f"{at}.count", f"expected a number of pixels from 1 to 256, got {count!r}")
        return {"part": name, "pin": pin, "count": count}
    address = spec.get("address", addresses[0])
    if isinstance(address, bool) or address not in addresses:
        shown = ", ".join(f"0x{a:02X}" for a in addresses)
        got = f"0x{address:02X}" if isinstance(address, int) else repr(address)
        add(f"{at}.address", f"a {name} answers at {shown} (as wired), not {got}")
        return None
    if address in taken:
        add(f"{at}.address", f"0x{address:02X} is taken by the {taken[address]} on the same bus")
    taken[address] = name
    return {"part": name, "bus": "i2c", "address": address}


def _buttons(spec: Mapping[str, Any], add: AddProblem, at: str) -> dict[str, Any] | None:
    found: dict[str, Any] = {}
    for key, pin in spec.items():
        if key not in ("a", "b"):
            add(f"{at}.{key}", "unknown button (kit has buttons 'a' and 'b')")
        elif not isinstance(pin, str) or not _PIN.match(pin):
            add(f"{at}.{key}", f'expected a pin name of `board` like "D17", got {pin!r}')
        else:
            found[key] = pin
    if not found:
        add(at, 'expected a = "<pin>" and/or b = "<pin>" (wired to ground: pressed reads low)')
        return None
    return found


def parse_adapter(table: object, add: AddProblem) -> Adapter:
    """The profile's ``[blinka]`` table: ``env`` (Blinka's switches) and ``fix``."""
    if not isinstance(table, dict):
        add("blinka", f"expected a table like [blinka], got {table!r}")
        return Adapter()
    for key in table:
        if key not in ("env", "fix", "usb", "model"):
            add(f"blinka.{key}", "unknown field (known: env, fix, model, usb)")
    env = table.get("env", {})
    if not isinstance(env, dict) or not all(
        isinstance(v, str) and _ENV.match(k) for k, v in env.items()
    ):
        add("blinka.env", f'expected a table of strings like {{BLINKA_FT232H = "1"}}, got {env!r}')
        env = {}
    fix = table.get("fix", Adapter.fix)
    if not isinstance(fix, str) or not fix.strip():
        add("blinka.fix", f"expected the line that says what to do, got {fix!r}")
        fix = Adapter.fix
    usb = table.get("usb", [])
    if not isinstance(usb, list) or not all(
        isinstance(i, list) and len(i) == 2 and all(_usb_id(v) for v in i) for i in usb
    ):
        add("blinka.usb", f"expected [[vid, pid], ...] like [[0x0403, 0x6014]], got {usb!r}")
        usb = []
    model = table.get("model", "")
    if not isinstance(model, str):
        add(
            "blinka.model",
            f'expected the start of the model name like "Raspberry Pi", got {model!r}',
        )
        model = ""
    return Adapter(dict(env), fix, tuple((int(v), int(p)) for v, p in usb), model)


def _usb_id(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 0xFFFF


def check_profile_kit(data: Mapping[str, Any], add: AddProblem, caps: frozenset[str]) -> Kit | None:
    """A profile's ``[kit]`` and ``[blinka]`` (both or neither): its kit, or None."""
    if "kit" not in data and "blinka" not in data:
        return None
    if "kit" not in data or "blinka" not in data:
        add("kit" if "kit" not in data else "blinka", "a Blinka profile needs [kit] and [blinka]")
    kit = parse_kit(data.get("kit", {}), add)
    parse_adapter(data.get("blinka", {}), add)
    if "kit" in data and set(caps) != set(kit.capabilities):
        add(
            "capabilities",
            f"a Blinka board has what its kit has: expected {sorted(kit.capabilities)}, "
            f"got {sorted(caps)}",
        )
    return kit


def adapter_of(extra: Mapping[str, Any]) -> Adapter:
    """The (already checked) ``[blinka]`` table a profile keeps in ``extra``."""
    return parse_adapter(extra.get("blinka", {}), lambda _f, _m: None)


def blinka_url(family: str, *, kit: Path | None = None, sim: Path | None = None) -> str:
    """The port URL of a Blinka board of ``family`` (`wearkit.link.process` opens it): with
    a school's own kit file, or the folder of a virtual board."""
    query = {k: str(v) for k, v in (("kit", kit), ("sim", sim)) if v is not None}
    tail = "?" + urlencode(query, quote_via=quote, safe="/:\\") if query else ""
    return f"blinka:{family}{tail}"


def load_kit_file(path: Path) -> Kit:
    """A school's own kit file: a TOML file with one ``[kit]`` table; BoardError naming
    the file and every wrong field."""
    data = _toml.load(path, BoardError)
    problems: list[str] = []
    shown = paths.shown(path)

    def add(name: str, message: str) -> None:
        problems.append(f"{shown}: field '{name}': {message}")

    for key in data:
        if key != "kit":
            add(key, "unknown field (a kit file holds one [kit] table)")
    kit = parse_kit(data.get("kit", {}), add)
    if "kit" not in data:
        add("kit", "missing; describe the parts as [kit.accel], [kit.light], ...")
    if problems:
        raise BoardError("\n".join(problems))
    return kit
