"""A recipient's identity as Open Badges carries it: an email hashed with a salt, never the
address itself."""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass

from wearkit.errors import BadgeServiceError

_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$")


@dataclass(frozen=True)
class HashedRecipient:
    """``identity`` is ``sha256$`` and the hex SHA-256 of the email followed by ``salt``."""

    identity: str
    salt: str


def normalise_email(email: str) -> str:
    """``email`` trimmed and lower-cased; BadgeServiceError if it is not an address."""
    address = email.strip().lower()
    if len(address) > 254 or not _EMAIL.match(address):
        raise BadgeServiceError(
            f"{email[:40]!r} is not an email address: give one like name@example.org"
        )
    return address


def hash_email(email: str, salt: str | None = None) -> HashedRecipient:
    """The salted hash of ``email`` (a new random salt unless one is given)."""
    salt = salt if salt is not None else secrets.token_hex(16)
    digest = hashlib.sha256((normalise_email(email) + salt).encode("utf-8")).hexdigest()
    return HashedRecipient(f"sha256${digest}", salt)
