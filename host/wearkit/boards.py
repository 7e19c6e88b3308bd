"""Board profiles (``boards/*.toml``) and matching USB serial ports to them.

Board differences are data: code branches on a profile's capabilities and its
``flash`` method, never on a board's name.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from wearkit import _toml, kits, paths, sensors
from wearkit.errors import BoardError

CAPABILITIES = frozenset(
    {"accel", "light", "temp", "sound", "buttons", "touch", "pixels", "display", "radio"}
)
RUNTIMES = frozenset({"micropython", "circuitpython", "cpython"})  # cpython: Blinka boards
FLASH_METHODS = frozenset({"hex-drive", "uf2-drive", "esptool", "sim", "none"})


@dataclass(frozen=True)
class UsbRule:
    """One way a board shows up on USB: vendor id, product id, optional serial prefixes."""

    vid: int
    pid: int
    serial_prefix: tuple[str, ...] = ()
    bootloader: bool = False

    @property
    def specificity(self) -> int:
        """Rules with serial-number prefixes are more specific than bare VID:PID rules."""
        return 1 if self.serial_prefix else 0

    def matches(self, vid: int | None, pid: int | None, serial: str | None) -> bool:
        """Whether a port with these USB ids belongs to this rule."""
        if vid != self.vid or pid != self.pid:
            return False
        if not self.serial_prefix:
            return True
        return bool(serial) and any(
            serial.upper().startswith(p.upper())  # type: ignore[union-attr]
            for p in self.serial_prefix
        )


@dataclass(frozen=True)
class SimPart:
    """How a virtual board's sensor part reads, from a profile's ``[sim.<capability>]`` table.

    In kit's units (milli-g, 0-255 light, °C): ``range`` clips readings as the real part's
    full scale does (None: the sensor table's range), ``resolution`` makes every reading a
    whole number of steps (0: exact), ``lag_ms`` is the time constant of the part's first-order
    response (0: it follows at once).
    """

    range: tuple[float, float] | None = None
    resolution: float = 0.0
    lag_ms: float = 0.0


#: The capabilities a profile may describe in ``[sim.<name>]``: those with number channels.
SIM_PARTS = frozenset(s.capability for s in sensors.SENSORS.values() if s.kind == "number")
_SIM_PART_KEYS = ("range", "resolution", "lag_ms")


@dataclass(frozen=True)
class BoardProfile:
    """A board family as data, loaded from ``boards/<id>.toml``."""

    id: str
    name: str
    runtime: str
    platform: str
    hal: str  # the kit hardware layer module (firmware/<hal>.py) this family runs
    flash: str
    capabilities: frozenset[str]
    stubs: str
    heap: int
    flash_size: int
    drive_labels: tuple[str, ...] = ()
    usb: tuple[UsbRule, ...] = ()
    sim_modules: str = "virtual"
    sim_heap: int = 131072
    sim_parts: Mapping[str, SimPart] = field(default_factory=dict)  # [sim.<capability>]
    mpy_arch: str | None = None  # ship the runtime as .mpy for this arch where it matches
    try_order: int | None = None  # `wearkit try` simulates the fitting family lowest first
    stubs_companions: tuple[str, ...] = ()  # PyPI packages installed beside the stubs
    circuitpython_board: str | None = None  # the stubs' board definition for `board`
    typecheck_hal: bool = True  # whether `wearkit check` checks its hal against its stubs
    kit: kits.Kit | None = None  # a Blinka board's [kit]: its parts, buses and pins
    extra: Mapping[str, Any] = field(default_factory=dict)
    path: Path | None = None

    def has(self, capability: str) -> bool:
        """Whether this board family has ``capability``."""
        return capability in self.capabilities


class _Problems:
    """Collects every problem in one file so a user fixes them all in one go."""

    def __init__(self, where: str) -> None:
        self.where = where
        self.items: list[str] = []

    def add(self, field_name: str, message: str) -> None:
        self.items.append(f"{self.where}: field '{field_name}': {message}")


def _want(
    problems: _Problems, data: Mapping[str, Any], key: str, kind: type, prefix: str = ""
) -> Any:
    name = prefix + key
    if key not in data:
        problems.add(name, f"missing; add `{key} = ...`")
        return None
    value = data[key]
    if kind is int and isinstance(value, bool):
        problems.add(name, f"expected an integer, got {value!r}")
        return None
    if not isinstance(value, kind):
        problems.add(name, f"expected {_kind_name(kind)}, got {value!r}")
        return None
    return value


def _kind_name(kind: type) -> str:
    return {str: "a string", int: "an integer", list: "a list", dict: "a table"}.get(
        kind, kind.__name__
    )


def _usb_id(problems: _Problems, rule: Mapping[str, Any], key: str, index: int) -> int | None:
    value = _want(problems, rule, key, int, f"usb[{index}].")
    if value is not None and not 0 <= value <= 0xFFFF:
        problems.add(f"usb[{index}].{key}", f"expected a 16-bit USB id like 0x0D28, got {value:#x}")
        return None
    return value  # type: ignore[no-any-return]


_KNOWN_KEYS = {
    "id", "name", "runtime", "platform", "flash", "drive_labels", "capabilities", "stubs",
    "memory", "usb", "sim", "esptool", "hal", "mpy_arch", "try_order", "stubs_companions",
    "circuitpython_board", "typecheck_hal", "kit", "blinka", "firmware",
}  # fmt: skip


def parse_profile(data: Mapping[str, Any], path: Path) -> BoardProfile:
    """Validate one profile's TOML data; raise BoardError listing every problem."""
    problems = _Problems(paths.shown(path))
    for key in data:
        if key not in _KNOWN_KEYS:
            problems.add(key, f"unknown field (known: {', '.join(sorted(_KNOWN_KEYS))})")
    board_id = _want(problems, data, "id", str)
    if board_id is not None and board_id != path.stem:
        problems.add("id", f"expected {path.stem!r} (the file's name), got {board_id!r}")
    name = _want(problems, data, "name", str)
    runtime = _want(problems, data, "runtime", str)
    if runtime is not None and runtime not in RUNTIMES:
        problems.add("runtime", f"expected one of {', '.join(sorted(RUNTIMES))}, got {runtime!r}")
    platform = _want(problems, data, "platform", str)
    hal = _want(problems, data, "hal", str)
    if hal is not None and not (paths.firmware_dir() / f"{hal}.py").is_file():
        problems.add("hal", f"no firmware/{hal}.py; name one of the kithal_*.py hardware layers")
    mpy_arch = data.get("mpy_arch")
    if mpy_arch is not None and not isinstance(mpy_arch, str):
        problems.add("mpy_arch", f'expected a string like "armv6m", got {mpy_arch!r}')
        mpy_arch = None
    flash = _want(problems, data, "flash", str)
    if flash is not None and flash not in FLASH_METHODS:
        problems.add("flash", f"expected one of {', '.join(sorted(FLASH_METHODS))}, got {flash!r}")
    stubs = _want(problems, data, "stubs", str)
    companions = data.get("stubs_companions", [])
    if not isinstance(companions, list) or not all(isinstance(c, str) for c in companions):
        problems.add(
            "stubs_companions",
            f'expected a list of PyPI names like ["adafruit-x"], got {companions!r}',
        )
        companions = []
    cp_board = data.get("circuitpython_board")
    if cp_board is not None and (not isinstance(cp_board, str) or runtime != "circuitpython"):
        problems.add(
            "circuitpython_board",
            f'expected a CircuitPython board name like "circuitplayground_express" on a '
            f"circuitpython board, got {cp_board!r}",
        )
        cp_board = None
    typecheck_hal = data.get("typecheck_hal", True)
    if not isinstance(typecheck_hal, bool):
        problems.add("typecheck_hal", f"expected true or false, got {typecheck_hal!r}")
        typecheck_hal = True
    try_order = data.get("try_order")
    if try_order is not None and (
        not isinstance(try_order, int) or isinstance(try_order, bool) or try_order < 1
    ):
        problems.add(
            "try_order", f"expected a whole number from 1 (tried first), got {try_order!r}"
        )
        try_order = None
    caps = _want(problems, data, "capabilities", list) or []
    for cap in caps:
        if cap not in CAPABILITIES:
            problems.add(
                "capabilities",
                f"unknown capability {cap!r} (known: {', '.join(sorted(CAPABILITIES))})",
            )
    labels = data.get("drive_labels", [])
    if not isinstance(labels, list) or not all(isinstance(x, str) for x in labels):
        problems.add("drive_labels", f"expected a list of strings, got {labels!r}")
        labels = []
    memory = _want(problems, data, "memory", dict) or {}
    heap = _want(problems, memory, "heap", int, "memory.")
    flash_size = _want(problems, memory, "flash", int, "memory.")
    rules: list[UsbRule] = []
    usb = data.get("usb", [])
    if not isinstance(usb, list):
        problems.add("usb", "expected [[usb]] tables")
        usb = []
    for index, rule in enumerate(usb):
        if not isinstance(rule, dict):
            problems.add(f"usb[{index}]", f"expected a table, got {rule!r}")
            continue
        vid = _usb_id(problems, rule, "vid", index)
        pid = _usb_id(problems, rule, "pid", index)
        prefixes = rule.get("serial_prefix", [])
        if not isinstance(prefixes, list) or not all(isinstance(p, str) for p in prefixes):
            problems.add(
                f"usb[{index}].serial_prefix", f'expected a list like ["9900"], got {prefixes!r}'
            )
            prefixes = []
        if vid is not None and pid is not None:
            rules.append(UsbRule(vid, pid, tuple(prefixes), bool(rule.get("bootloader", False))))
    sim = data.get("sim", {})
    sim_modules = "virtual"
    sim_heap = 131072
    if sim:
        sim_modules = _want(problems, sim, "modules", str, "sim.") or "virtual"
        known = sim_module_sets()
        if sim_modules not in known:
            problems.add(
                "sim.modules",
                f"expected one of {', '.join(known)} (folders of firmware/sim/), "
                f"got {sim_modules!r}",
            )
        sim_heap = _want(problems, sim, "heap", int, "sim.") or sim_heap
        for key in sim:
            if key not in ("modules", "heap") and key not in SIM_PARTS:
                problems.add(
                    f"sim.{key}",
                    f"unknown field (known: modules, heap, and a table for a sensor part: "
                    f"{', '.join(sorted(SIM_PARTS))})",
                )
        sim_parts = _sim_parts(problems, sim, frozenset(caps))
    else:
        sim_parts = {}
    kit = kits.check_profile_kit(data, problems.add, frozenset(caps))
    if problems.items:
        raise BoardError("\n".join(problems.items))
    return BoardProfile(
        id=board_id,
        name=name,
        runtime=runtime,
        platform=platform,
        hal=hal,
        flash=flash,
        capabilities=frozenset(caps),
        stubs=stubs,
        heap=heap,
        flash_size=flash_size,
        drive_labels=tuple(labels),
        usb=tuple(rules),
        sim_modules=sim_modules,
        sim_heap=sim_heap,
        sim_parts=sim_parts,
        mpy_arch=mpy_arch,
        try_order=try_order,
        stubs_companions=tuple(companions),
        circuitpython_board=cp_board,
        typecheck_hal=typecheck_hal,
        kit=kit,
        extra={k: v for k, v in data.items() if k in ("esptool", "blinka", "firmware")},
        path=path,
    )


def _number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _sim_parts(
    problems: _Problems, sim: Mapping[str, Any], caps: frozenset[str]
) -> dict[str, SimPart]:
    """The profile's ``[sim.<capability>]`` tables, each checked against the sensor table."""
    parts: dict[str, SimPart] = {}
    for cap in sorted(SIM_PARTS & set(sim)):
        table = sim[cap]
        where = f"sim.{cap}"
        if not isinstance(table, dict):
            problems.add(where, f"expected a table like [{where}], got {table!r}")
            continue
        if cap not in caps:
            problems.add(where, f"the board has no {cap!r} capability to simulate")
        for key in table:
            if key not in _SIM_PART_KEYS:
                problems.add(
                    f"{where}.{key}", f"unknown field (known: {', '.join(_SIM_PART_KEYS)})"
                )
        low_most, high_most = _channel_span(cap)
        span: tuple[float, float] | None = None
        if "range" in table:
            got = table["range"]
            if (
                isinstance(got, list)
                and len(got) == 2
                and all(_number(v) for v in got)
                and low_most <= got[0] < got[1] <= high_most
            ):
                span = (float(got[0]), float(got[1]))
            else:
                problems.add(
                    f"{where}.range",
                    f"expected [low, high] with {_fmt(low_most)} <= low < high <= "
                    f"{_fmt(high_most)}, got {got!r}",
                )
        numbers = {}
        for key in ("resolution", "lag_ms"):
            got = table.get(key, 0)
            if not _number(got) or got < 0:
                problems.add(f"{where}.{key}", f"expected a number from 0, got {got!r}")
                got = 0
            numbers[key] = float(got)
        parts[cap] = SimPart(span, numbers["resolution"], numbers["lag_ms"])
    return parts


def _channel_span(cap: str) -> tuple[float, float]:
    """The widest range the sensor table allows the number channels of ``cap``."""
    rows = [s for s in sensors.SENSORS.values() if s.capability == cap and s.kind == "number"]
    return min(s.low for s in rows), max(s.high for s in rows)


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def sim_module_sets() -> list[str]:
    """The simulated native-module sets a profile's ``sim.modules`` may name: the folders of
    ``firmware/sim/`` (``common`` is shared by all)."""
    root = paths.firmware_dir() / "sim"
    return sorted(p.name for p in root.iterdir() if p.is_dir() and p.name != "common")


def load_profile(path: Path) -> BoardProfile:
    """Load and validate one ``boards/<id>.toml``."""
    return parse_profile(_toml.load(path, BoardError), path)


def preferred_profiles(profiles: Iterable[BoardProfile]) -> list[BoardProfile]:
    """``profiles`` in the order `wearkit try` prefers them: by ``try_order``, then the
    profiles without one, each group by id."""
    return sorted(profiles, key=lambda p: (p.try_order is None, p.try_order or 0, p.id))


def load_profiles(folder: Path | None = None) -> dict[str, BoardProfile]:
    """Load every profile in ``folder`` (the bundled ``boards/`` by default), keyed by id."""
    folder = folder or paths.boards_dir()
    profiles: dict[str, BoardProfile] = {}
    problems: list[str] = []
    for path in sorted(folder.glob("*.toml")):
        try:
            profile = load_profile(path)
        except BoardError as exc:
            problems.append(str(exc))
            continue
        profiles[profile.id] = profile
    problems += _stubs_disagreements(profiles.values())
    if problems:
        raise BoardError("\n".join(problems))
    if not profiles:
        raise BoardError(f"{paths.shown(folder)}: no board profiles (*.toml) found")
    return profiles


def _stubs_disagreements(profiles: Iterable[BoardProfile]) -> list[str]:
    """One stubs environment serves every profile naming its package, so they must agree."""
    first: dict[str, BoardProfile] = {}
    found: list[str] = []
    for profile in profiles:
        other = first.setdefault(profile.stubs, profile)
        for name in ("stubs_companions", "circuitpython_board"):
            mine, theirs = getattr(profile, name), getattr(other, name)
            if mine != theirs:
                found.append(
                    f"{paths.shown(profile.path or profile.id)}: field '{name}': {mine!r} differs "
                    f"from {theirs!r} in {other.id}.toml, which uses the same stubs "
                    f"{profile.stubs}; make them match"
                )
    return found


def get_profile(board_id: str, profiles: Mapping[str, BoardProfile] | None = None) -> BoardProfile:
    """The profile called ``board_id``, or a BoardError listing the known ones."""
    profiles = profiles if profiles is not None else load_profiles()
    try:
        return profiles[board_id]
    except KeyError:
        known = ", ".join(sorted(profiles))
        raise BoardError(f"unknown board family {board_id!r}; known: {known}") from None


class PortLike(Protocol):
    """The parts of pyserial's ``ListPortInfo`` that matching reads."""

    vid: int | None
    pid: int | None
    serial_number: str | None


@dataclass(frozen=True)
class Match:
    """A port matched to a profile, and the rule that matched it."""

    profile: BoardProfile
    rule: UsbRule


def match_port(port: PortLike, profiles: Iterable[BoardProfile]) -> Match | None:
    """The most specific profile rule matching ``port``, or None for an unknown device."""
    candidates = [
        Match(profile, rule)
        for profile in profiles
        for rule in profile.usb
        if rule.matches(port.vid, port.pid, port.serial_number)
    ]
    if not candidates:
        return None
    return max(candidates, key=lambda m: m.rule.specificity)
