"""The application factory: one engine, the catalogue, the issuer, three blueprints."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask import Flask, current_app, request
from sqlalchemy import Engine

from wearkit.activities import load_catalogue
from wearkit.activities.model import Activity
from wearkit.badges import ob3
from wearkit.badges.ob2 import IssuerInfo
from wearkit.badges.urls import HubUrls
from wearkit.hub import db

DEFAULT_ISSUER = "wearkit badge programme"


@dataclass
class Hub:
    """What every request of one hub process shares."""

    engine: Engine
    activities: Mapping[str, Activity]
    signing_key: str
    issuer_name: str
    public_url: str | None
    tokens: db.HostTokens

    @property
    def urls(self) -> HubUrls:
        """The documents' URLs: the configured public address, else the request's."""
        return HubUrls(self.public_url or request.url_root)

    @property
    def issuer(self) -> IssuerInfo:
        """The programme as issuer."""
        return IssuerInfo(self.issuer_name, self.urls.base)


def hub() -> Hub:
    """The current application's `Hub`."""
    found: Hub = current_app.extensions["wearkit_hub"]
    return found


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """The hub's Flask app. Config: ``DATABASE_URL`` (default: SQLite in the data folder),
    ``PUBLIC_URL`` (the address in badge documents; default: the request's),
    ``ISSUER_NAME``, ``ACTIVITIES`` (a catalogue folder; default: the bundled one)."""
    app = Flask(__name__)
    app.config.from_mapping(DATABASE_URL=None, PUBLIC_URL=None, ISSUER_NAME=None, ACTIVITIES=None)
    if test_config:
        app.config.from_mapping(test_config)
    engine = db.open_engine(app.config["DATABASE_URL"])
    app.secret_key = db.setting(engine, "session_secret", lambda: ob3.new_signing_key()[-60:])
    app.config.update(SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax")
    catalogue = load_catalogue(app.config["ACTIVITIES"])
    app.extensions["wearkit_hub"] = Hub(
        engine=engine,
        activities={a.slug: a for a in catalogue},
        signing_key=db.setting(engine, "signing_key", ob3.new_signing_key),
        issuer_name=app.config["ISSUER_NAME"]
        or db.setting(engine, "issuer_name", lambda: DEFAULT_ISSUER),
        public_url=app.config["PUBLIC_URL"],
        tokens=db.HostTokens(engine),
    )
    from wearkit.hub.api import bp as api
    from wearkit.hub.documents import bp as documents
    from wearkit.hub.pages import bp as pages

    for blueprint in (api, documents, pages):
        app.register_blueprint(blueprint)
    return app
