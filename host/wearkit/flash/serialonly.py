"""Boards whose firmware never changes here (virtual boards): flashing them is provisioning.

A virtual board's "firmware" is the interpreter it runs; what `wearkit flash` can give it
is what `wearkit provision` gives every board: the runtime, its name, its radio group.
"""

from __future__ import annotations

from wearkit.errors import FlashError, LinkError
from wearkit.flash import FlashOptions, FlashResult, ProgressCallback, Reporter, Target
from wearkit.link import open_link
from wearkit.provision import provision_board


def flash(target: Target, options: FlashOptions, on_progress: ProgressCallback) -> FlashResult:
    """Provision the board on ``target.port`` over its serial line."""
    report = Reporter(target.label, on_progress)
    if target.port is None:
        raise FlashError(f"{target.label}: no serial port to reach it on")
    if options.firmware is not None:
        raise FlashError(
            f"{target.label}: a {target.profile.name} takes no firmware file; leave --firmware out"
        )
    try:
        with open_link(target.port, soft_reset=True) as link:
            done = provision_board(
                link, target.profile, name=options.name, group=options.group, on_progress=report
            )
    except LinkError as exc:
        raise FlashError(f"{target.label}: {exc}") from None
    return FlashResult(target.label, target.port, None, done.files, f"{done.name} is ready")
