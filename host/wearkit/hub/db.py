"""Opening the hub's database, and the settings and host tokens kept in it.

Settings every process must share (the issuer's signing key, the session secret) are created
once with an insert that skips a conflict, then read back: two processes starting together
agree on one value.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import Engine, create_engine, event, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import ArgumentError, IntegrityError, SQLAlchemyError

from wearkit import paths
from wearkit.errors import BadgeServiceError
from wearkit.hub.schema import hosts, metadata, settings

HOST_TOKEN_PREFIX = "wkh_"
ADMIN_TOKEN_PREFIX = "wka_"
_PG_LOCK = 0x6875_6221


def default_url() -> str:
    """The hub's SQLite file in the data folder."""
    return f"sqlite:///{paths.data_dir() / 'hub.db'}"


def now() -> datetime:
    """The current time, aware, in UTC."""
    return datetime.now(timezone.utc)


def open_engine(url: str | None = None) -> Engine:
    """An engine on ``url`` (default: the SQLite file) with the hub's tables created."""
    url = url or default_url()
    try:
        parsed = make_url(url)
        if parsed.get_backend_name() == "postgresql" and parsed.drivername == "postgresql":
            parsed = parsed.set(drivername="postgresql+psycopg")
        if parsed.get_backend_name() == "sqlite":
            engine = create_engine(parsed, connect_args={"timeout": 30})
            event.listen(engine, "connect", _sqlite_settings)
        elif parsed.get_backend_name() == "postgresql":
            # No ping before each use: a connection the server dropped fails one request
            # (answered 500, which a deliverer retries) and the pool is then renewed.
            engine = create_engine(parsed, pool_size=10, max_overflow=20, pool_recycle=3600)
        else:
            raise ValueError(f"the hub runs on SQLite or PostgreSQL, not {parsed.drivername}")
        with engine.begin() as conn:
            if conn.dialect.name == "postgresql":  # hub processes starting together
                conn.execute(select(func.pg_advisory_xact_lock(_PG_LOCK)))
            metadata.create_all(conn)
    except (ArgumentError, SQLAlchemyError, ImportError, ValueError) as exc:
        shown = url.split("@")[-1]
        raise BadgeServiceError(
            f"cannot open the hub database {shown!r}: {str(exc).splitlines()[0]}; give "
            "--db sqlite:////path/hub.db or postgresql://user:password@host/database"
        ) from exc
    return engine


def _sqlite_settings(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def insert(conn: Connection, table: Any) -> Any:
    """An INSERT that can say ON CONFLICT DO NOTHING on either backend."""
    return (postgresql if conn.dialect.name == "postgresql" else sqlite).insert(table)


def setting(engine: Engine, key: str, make: Any) -> str:
    """The shared setting ``key``; the first process to ask stores ``make()``."""
    with engine.begin() as conn:
        found = conn.execute(select(settings.c.value).where(settings.c.key == key)).scalar()
        if found is not None:
            return str(found)
        conn.execute(insert(conn, settings).values(key=key, value=make()).on_conflict_do_nothing())
        return str(conn.execute(select(settings.c.value).where(settings.c.key == key)).scalar())


def token_hash(token: str) -> str:
    """What the hub keeps of a token (tokens are random, so one SHA-256 is enough)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def add_host(engine: Engine, name: str) -> str:
    """Register classroom host ``name``; its new token (shown once, kept only hashed)."""
    name = name.strip()
    if not name or len(name) > 100:
        raise BadgeServiceError("a host name is 1 to 100 characters, such as 'st-marys-lab-1'")
    token = HOST_TOKEN_PREFIX + secrets.token_urlsafe(32)
    try:
        with engine.begin() as conn:
            conn.execute(
                hosts.insert().values(name=name, token_hash=token_hash(token), created_at=now())
            )
    except IntegrityError:
        raise BadgeServiceError(
            f"a host called {name!r} is already registered: choose another name"
        ) from None
    return token


def host_for_token(engine: Engine, token: str) -> int | None:
    """The id of the host whose token is ``token``; None if no host has it."""
    with engine.connect() as conn:
        found = conn.execute(
            select(hosts.c.id).where(hosts.c.token_hash == token_hash(token))
        ).scalar()
    return None if found is None else int(found)


class HostTokens:
    """`host_for_token` remembered for ``ttl`` seconds per token, so a busy host's requests
    do not each cost a database round trip (an unknown token is always looked up)."""

    def __init__(self, engine: Engine, ttl: float = 60.0) -> None:
        self.engine = engine
        self.ttl = ttl
        self._known: dict[str, tuple[int, float]] = {}

    def host_for(self, token: str) -> int | None:
        """The id of the host whose token is ``token``; None if no host has it."""
        if not token:
            return None
        key = token_hash(token)
        known = self._known.get(key)
        if known is not None and time.monotonic() - known[1] < self.ttl:
            return known[0]
        host_id = host_for_token(self.engine, token)
        if host_id is not None:
            if len(self._known) > 10_000:
                self._known.clear()
            self._known[key] = (host_id, time.monotonic())
        return host_id


def new_admin_token(engine: Engine) -> str:
    """A new programme admin token (the previous one stops working)."""
    token = ADMIN_TOKEN_PREFIX + secrets.token_urlsafe(32)
    with engine.begin() as conn:
        conn.execute(settings.delete().where(settings.c.key == "admin_token_hash"))
        conn.execute(settings.insert().values(key="admin_token_hash", value=token_hash(token)))
    return token


def is_admin_token(engine: Engine, token: str) -> bool:
    """Whether ``token`` is the programme admin token."""
    with engine.connect() as conn:
        found = conn.execute(
            select(settings.c.value).where(settings.c.key == "admin_token_hash")
        ).scalar()
    return found is not None and secrets.compare_digest(str(found), token_hash(token))
