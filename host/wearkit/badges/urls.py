"""Where the hub publishes each badge document: one place, so the ids inside the documents
and the routes that answer them never disagree."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class HubUrls:
    """The stable URLs of a hub whose public address is ``base`` (no trailing slash)."""

    base: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "base", self.base.rstrip("/"))

    @property
    def issuer(self) -> str:
        """The OB 2.0 issuer profile."""
        return f"{self.base}/ob2/issuer"

    @property
    def revocations(self) -> str:
        """The OB 2.0 revocation list."""
        return f"{self.base}/ob2/revocations"

    def badge_class(self, slug: str) -> str:
        """The OB 2.0 badge class (and OB 3.0 achievement) of activity ``slug``."""
        return f"{self.base}/ob2/badges/{slug}"

    def badge_image(self, slug: str) -> str:
        """The plain PNG image of activity ``slug``'s badge."""
        return f"{self.base}/ob2/badges/{slug}.png"

    def assertion(self, award_id: str, suffix: str = "") -> str:
        """The OB 2.0 hosted assertion (``suffix`` ``.png`` or ``.svg``: baked)."""
        return f"{self.base}/ob2/assertions/{award_id}{suffix}"

    def credential(self, award_id: str, suffix: str = "") -> str:
        """The OB 3.0 credential (``suffix`` ``.png``: baked)."""
        return f"{self.base}/ob3/credentials/{award_id}{suffix}"

    def badge_page(self, award_id: str) -> str:
        """The learner's page for one badge."""
        return f"{self.base}/badges/{award_id}"

    def claim(self, code: str) -> str:
        """The page where a learner or a parent claims an award with an email."""
        return f"{self.base}/claim/{code}"
