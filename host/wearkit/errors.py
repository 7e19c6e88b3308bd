"""The one exception tree of wearkit.

Lower layers raise these; only the CLI and the web edge catch them and turn them
into a one-line message with the fix.
"""

from __future__ import annotations


class WearkitError(Exception):
    """Root of every error wearkit raises on purpose."""


class BoardError(WearkitError):
    """A board profile is invalid, or a board does not match/support what was asked."""


class LinkError(WearkitError):
    """Talking to a board over its serial line failed (gone, silent, or confused)."""


class BoardExecError(LinkError):
    """Code run on the board raised an exception; ``traceback`` is the board's text."""

    def __init__(self, message: str, traceback: str, output: str = "") -> None:
        super().__init__(message)
        self.traceback = traceback
        self.output = output


class FlashError(WearkitError):
    """Putting firmware on a board failed."""


class SimError(WearkitError):
    """A virtual board cannot start or run here."""


class ActivityError(WearkitError):
    """An activity folder (activity.toml, main.py, scenarios) is invalid."""


class StoreError(WearkitError):
    """The run/completion store cannot be opened or written."""


class BadgeServiceError(WearkitError):
    """The badge service refused or could not be reached."""
