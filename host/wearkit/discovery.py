"""Finding boards: one registry of port sources, each listing the boards it can see.

A source is a function from the board profiles to the boards it finds; `find_boards`
asks every source in `SOURCES` in turn. Today: USB serial ports (pyserial's
``list_ports``) matched to the profiles' USB rules, most specific first, and the virtual
boards that `wearkit sim` (or a fleet) registered. A new kind of port (a board's drive, a
Blinka board) is one more entry, never a new branch in the callers.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass

from serial.tools import list_ports

from wearkit.boards import BoardProfile, match_port
from wearkit.sim import registry


@dataclass(frozen=True)
class FoundBoard:
    """A board a facilitator can use: where it is, what it is, what to call it."""

    port: str
    family: str | None  # profile id; None for an unknown USB serial device
    name: str
    kind: str  # the source that found it: "usb" or "virtual"
    detail: str = ""

    def as_dict(self) -> dict[str, str | None]:
        """JSON-friendly form for `wearkit boards --json`."""
        return asdict(self)


#: A port source: (profiles, include_unknown) -> the boards it sees now.
PortSource = Callable[[Mapping[str, BoardProfile], bool], list[FoundBoard]]


def usb_serial_boards(
    profiles: Mapping[str, BoardProfile], include_unknown: bool = False
) -> list[FoundBoard]:
    """USB serial ports whose ids match a profile; with ``include_unknown``, every port."""
    found = []
    for port in sorted(list_ports.comports(), key=lambda p: p.device):
        match = match_port(port, profiles.values())
        if match is None and not include_unknown:
            continue
        serial_number = port.serial_number or ""
        detail = f"{port.vid or 0:04X}:{port.pid or 0:04X}"
        if match is not None and match.rule.bootloader:
            detail += " bootloader"
        found.append(
            FoundBoard(
                port=port.device,
                family=match.profile.id if match else None,
                # DAPLink and CircuitPython serial numbers end in digits unique per board.
                name=serial_number[-5:].upper() or "-",
                kind="usb",
                detail=detail,
            )
        )
    return found


def virtual_boards(
    profiles: Mapping[str, BoardProfile], include_unknown: bool = False
) -> list[FoundBoard]:
    """The running virtual boards registered by `wearkit sim` or a fleet, oldest first."""
    return [
        FoundBoard(
            port=info["port"],
            family=info["family"],
            name=info["name"],
            kind="virtual",
            detail=f"pid {info['pid']}",
        )
        for info in registry.registered()
    ]


#: Every port source, asked in this order.
SOURCES: dict[str, PortSource] = {"usb": usb_serial_boards, "virtual": virtual_boards}


def find_boards(
    profiles: Mapping[str, BoardProfile],
    *,
    include_unknown: bool = False,
    sources: Mapping[str, PortSource] | None = None,
) -> list[FoundBoard]:
    """Every board the port sources see now: USB boards matched to a profile, then virtual.

    ``include_unknown`` adds USB serial devices no profile matches (family None);
    ``sources`` replaces `SOURCES` (e.g. ``{"virtual": virtual_boards}``).
    """
    found: list[FoundBoard] = []
    for source in (sources if sources is not None else SOURCES).values():
        found.extend(source(profiles, include_unknown))
    return found
