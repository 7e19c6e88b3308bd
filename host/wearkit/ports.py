"""Finding boards: USB serial ports matched to board profiles, plus running virtual boards."""

from __future__ import annotations

from collections.abc import Mapping
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
    kind: str  # "usb" or "virtual"
    detail: str = ""

    def as_dict(self) -> dict[str, str | None]:
        """JSON-friendly form for `wearkit boards --json`."""
        return asdict(self)


def find_boards(
    profiles: Mapping[str, BoardProfile], *, include_unknown: bool = False
) -> list[FoundBoard]:
    """USB boards whose ids match a profile (most specific rule first), then virtual boards."""
    found: list[FoundBoard] = []
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
                name=serial_number[-5:].upper() or "-",
                kind="usb",
                detail=detail,
            )
        )
    for info in registry.registered():
        found.append(
            FoundBoard(
                port=info["port"],
                family=info["family"],
                name=info["name"],
                kind="virtual",
                detail=f"pid {info['pid']}",
            )
        )
    return found
