"""The badge delivery settings: which connector sends the outbox, and its address and
secrets. One TOML file, ``badges.toml`` in wearkit's data folder (``WEARKIT_HOME``)::

    connector = "hub"            # hub | badgr | webhook

    [hub]                        # the programme's badge service (`wearkit hub`)
    url = "https://badges.example.org"
    token = "wkh_..."            # printed by `wearkit hub add-host NAME`

    [badgr]                      # Badgr / Canvas Credentials v2
    url = "https://api.badgr.io"
    username = "programme@example.org"
    password = "..."
    learner_url = "https://school.example.org/learners/{learner}"  # recipient (type url)
    [badgr.badgeclasses]         # activity slug = Badgr badge class entityId
    step-counter = "abc123"

    [webhook]                    # a plain JSON POST, signed
    url = "https://example.org/hooks/badges"
    secret = "..."               # HMAC-SHA256 key of the X-Wearkit-Signature header

    [delivery]
    timeout = 10                 # seconds one request may take
    first_retry = 2              # seconds before the first retry (doubling, with jitter)
    max_retry = 600              # the longest wait between two tries
    batch = 100                  # completions per request, where the service takes batches
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from wearkit import _toml, paths
from wearkit._toml import Problems
from wearkit.errors import BadgeServiceError

CONNECTOR_NAMES = ("hub", "badgr", "webhook")
#: The most completions one batch request may carry (the hub refuses more).
BATCH_LIMIT = 500
_DELIVERY_DEFAULTS = {"timeout": 10.0, "first_retry": 2.0, "max_retry": 600.0}


def config_path() -> Path:
    """Where the badge delivery settings live: ``badges.toml`` in the data folder."""
    return paths.data_dir() / "badges.toml"


@dataclass(frozen=True)
class DeliveryConfig:
    """The settings of one connector and of the retries."""

    connector: str
    settings: Mapping[str, Any]  # the connector's own table
    timeout: float = 10.0
    first_retry: float = 2.0
    max_retry: float = 600.0
    batch: int = 100
    path: Path = field(default_factory=config_path)


def load_config(path: Path | None = None) -> DeliveryConfig:
    """Read and check the settings; BadgeServiceError naming the file, field and fix."""
    path = path or config_path()
    where = paths.shown(path)
    if not path.is_file():
        raise BadgeServiceError(
            f'{where}: no badge delivery settings; write it with connector = "hub" and a '
            "[hub] table (url, and the token `wearkit hub add-host NAME` printed)"
        )
    data = _toml.load(path, BadgeServiceError)
    problems = Problems()
    name = data.get("connector")
    if name not in CONNECTOR_NAMES:
        problems.field(where, "connector", f"expected one of {', '.join(CONNECTOR_NAMES)}")
        problems.raise_any(BadgeServiceError)
    settings = data.get(str(name))
    if not isinstance(settings, dict):
        problems.field(where, str(name), f"missing; add a [{name}] table")
        problems.raise_any(BadgeServiceError)
    assert isinstance(settings, dict)
    url = settings.get("url")
    if not isinstance(url, str) or not url.startswith(("http://", "https://")):
        problems.field(where, f"{name}.url", f"expected an http(s) address, got {url!r}")
    required = {"hub": ("token",), "badgr": ("username", "password"), "webhook": ("secret",)}
    for key in required[str(name)]:
        if not isinstance(settings.get(key), str) or not settings[key]:
            problems.field(where, f"{name}.{key}", "missing; give it as a string")
    delivery = data.get("delivery", {})
    numbers = dict(_DELIVERY_DEFAULTS)
    if not isinstance(delivery, dict):
        problems.field(where, "delivery", "expected a [delivery] table")
        delivery = {}
    delivery = dict(delivery)
    batch = delivery.pop("batch", 100)
    if isinstance(batch, bool) or not isinstance(batch, int) or not 1 <= batch <= BATCH_LIMIT:
        problems.field(where, "delivery.batch", f"expected 1 to {BATCH_LIMIT}, got {batch!r}")
    for key, value in delivery.items():
        if key not in numbers:
            known = ", ".join([*numbers, "batch"])
            problems.field(where, f"delivery.{key}", f"unknown (known: {known})")
        elif isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
            problems.field(where, f"delivery.{key}", f"expected seconds above 0, got {value!r}")
        else:
            numbers[key] = float(value)
    problems.raise_any(BadgeServiceError)
    return DeliveryConfig(str(name), settings, path=path, batch=int(batch), **numbers)
