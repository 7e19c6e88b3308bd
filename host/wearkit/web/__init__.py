"""The companion web app: a classroom of boards run from one browser tab.

`create_app` puts a Flask application on a running classroom `Engine` and a store; `wearkit
serve` serves it with waitress. One blueprint per area: the dashboard and board pages
(pages.py), the catalogue, the session and roster (session.py), the student view
(student.py), completions, the virtual boards' panel (sim.py), the JSON API (api.py), the
event stream (stream.py) and signing in (auth.py). Pages are rendered on the server with
small scripts (static/js) and a vendored plot library (static/vendor): no CDN, no build.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from flask import Flask
from werkzeug.security import generate_password_hash

from wearkit.classroom import roster as rosters
from wearkit.classroom.engine import Engine
from wearkit.errors import WearkitError
from wearkit.store import Store
from wearkit.web import errors, security
from wearkit.web.state import Classroom

if TYPE_CHECKING:
    from wearkit.sim import Fleet

#: The shortest passcode LAN mode accepts.
PASSCODE_MIN = 6


def passcode_problem(passcode: str | None) -> str | None:
    """Why ``passcode`` cannot guard the facilitator's pages on a network, or None."""
    if not passcode:
        return (
            "serving on the network needs a facilitator passcode: give --passcode, or run "
            "without --host to stay on this computer (127.0.0.1)"
        )
    if len(passcode) < PASSCODE_MIN:
        return f"the passcode must have at least {PASSCODE_MIN} characters"
    return None


def create_app(
    engine: Engine,
    store: Store,
    *,
    fleet: Fleet | None = None,
    passcode: str | None = None,
    lan: bool = False,
    roster: rosters.Roster | None = None,
    config: Mapping[str, Any] | None = None,
) -> Flask:
    """A Flask app serving ``engine``'s classroom and ``store``'s completions.

    ``lan``: the app is reachable from other computers, so the facilitator must sign in
    with ``passcode`` (WearkitError without one). ``roster`` defaults to the one kept in
    the data folder; ``config`` overrides Flask settings (tests: ``{"TESTING": True}``).
    """
    if lan:
        problem = passcode_problem(passcode)
        if problem is not None:
            raise WearkitError(problem)
    app = Flask(__name__)
    app.config["SECRET_KEY"] = security.secret_key()
    app.config["MAX_CONTENT_LENGTH"] = 64 * 1024
    app.config["SESSION_COOKIE_NAME"] = "wearkit_session"
    app.config["SESSION_COOKIE_HTTPONLY"] = True
    app.config["SESSION_COOKIE_SAMESITE"] = "Strict"
    app.json.sort_keys = False  # type: ignore[attr-defined]
    app.config.update(config or {})
    app.extensions["wearkit"] = Classroom(
        engine=engine,
        store=store,
        roster=roster if roster is not None else rosters.load(),
        fleet=fleet,
        lan=lan,
        passcode_hash=generate_password_hash(passcode) if passcode else None,
    )
    errors.init_app(app)
    security.init_app(app)

    from wearkit.web import api, auth, completions, pages, session, sim, stream, student

    for blueprint in (
        pages.dashboard,
        pages.catalogue,
        session.bp,
        student.bp,
        completions.bp,
        sim.bp,
        api.bp,
        stream.bp,
        auth.bp,
    ):
        app.register_blueprint(blueprint)
    return app


__all__ = ["PASSCODE_MIN", "create_app", "passcode_problem"]
