"""Create the schema on first use, and bring an older store up to date in place.

Opening never writes when the schema is current, so a read-only store can still be read.
"""

from __future__ import annotations

from sqlalchemy import Connection, Engine, Table, func, insert, inspect, select, text
from sqlalchemy.schema import CreateTable

from wearkit.errors import StoreError
from wearkit.store.engine import now
from wearkit.store.schema import (
    SCHEMA_VERSION,
    TASK_STATES,
    completions,
    metadata,
    outbox,
    runs,
    schema_version,
    task_results,
)

# Any constant: serialises schema changes between processes opening one PostgreSQL store.
_PG_LOCK = 0x7765_6172


def prepare_schema(engine: Engine, label: str) -> None:
    """Create the tables, or migrate version 1 in place; refuse a newer schema."""
    with engine.connect() as conn:
        found = _version(conn)
        conn.rollback()
    if found == SCHEMA_VERSION:
        return
    _refuse_newer(found, label)
    with engine.connect() as conn:
        sqlite = conn.dialect.name == "sqlite"
        if sqlite:
            # A table rebuild must not trip (or cascade) the foreign keys pointing at it;
            # SQLite only lets this change outside a transaction, so on the raw connection
            # (SQLAlchemy would begin one first).
            _pragma(conn, "foreign_keys=OFF")
        try:
            conn.execution_options(wearkit_write=True)
            with conn.begin():
                if not sqlite:
                    conn.execute(select(func.pg_advisory_xact_lock(_PG_LOCK)))
                found = _version(conn)  # another process may have done it meanwhile
                _refuse_newer(found, label)
                if found is None:
                    metadata.create_all(conn)
                elif found == 1:
                    _from_1(conn)
                if found != SCHEMA_VERSION:
                    conn.execute(
                        insert(schema_version).values(version=SCHEMA_VERSION, applied_at=now())
                    )
                if sqlite and conn.exec_driver_sql("PRAGMA foreign_key_check").first():
                    raise StoreError(f"migrating the store {label!r} broke a foreign key")
        finally:
            if sqlite:
                _pragma(conn, "foreign_keys=ON")


def _pragma(conn: Connection, setting: str) -> None:
    cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(f"PRAGMA {setting}")
    finally:
        cursor.close()


def _version(conn: Connection) -> int | None:
    if not inspect(conn).has_table(schema_version.name):
        return None
    found = conn.execute(select(func.max(schema_version.c.version))).scalar()
    return None if found is None else int(found)


def _refuse_newer(found: int | None, label: str) -> None:
    if found is not None and found > SCHEMA_VERSION:
        raise StoreError(
            f"the store {label!r} has schema version {found}, newer than this "
            f"wearkit's {SCHEMA_VERSION}: upgrade wearkit, or use another --store"
        )


def _from_1(conn: Connection) -> None:
    """Version 1 to 2: new columns, completions by key alone."""
    for column in ("learner", "host", "pid", "pid_started"):
        _add_column(conn, runs, column)
    for column in ("badge_activity", "badge_learner"):
        _add_column(conn, outbox, column)
    states = ", ".join(f"'{s}'" for s in TASK_STATES)
    if conn.dialect.name == "sqlite":
        # SQLite cannot alter a constraint or a NOT NULL: rebuild those two tables.
        _rebuild(conn, task_results, {})
        _rebuild(conn, completions, {})
    else:
        for statement in (
            "ALTER TABLE task_results DROP CONSTRAINT state_known",
            f"ALTER TABLE task_results ADD CONSTRAINT state_known CHECK (state IN ({states}))",
            "ALTER TABLE completions ALTER COLUMN run_id DROP NOT NULL",
            "ALTER TABLE completions DROP CONSTRAINT IF EXISTS completions_run_id_key",
            "ALTER TABLE completions ALTER COLUMN idempotency_key TYPE VARCHAR(64)",
            "ALTER TABLE outbox ALTER COLUMN idempotency_key TYPE VARCHAR(64)",
        ):
            conn.execute(text(statement))
        _add_column(conn, completions, "evidence")
    # Each learner's first queued badge of an activity keeps it; later ones were queued
    # before the rule and stay as they are (badge_learner NULL), delivered or not.
    conn.execute(
        text(
            "UPDATE outbox SET badge_activity = (SELECT c.activity_slug FROM completions c "
            "WHERE c.id = outbox.completion_id)"
        )
    )
    conn.execute(
        text(
            "UPDATE outbox SET badge_learner = (SELECT c.learner FROM completions c "
            "WHERE c.id = outbox.completion_id) WHERE id IN (SELECT MIN(o.id) FROM outbox o "
            "JOIN completions c ON c.id = o.completion_id WHERE c.learner IS NOT NULL "
            "GROUP BY c.activity_slug, c.learner)"
        )
    )
    for table in (runs, completions, outbox):
        for index in table.indexes:
            index.create(conn, checkfirst=True)
    # Runs a version-1 wearkit left running name no owner to ask: none is still going.
    conn.execute(
        runs.update()
        .where(runs.c.outcome == "running")
        .values(
            outcome="interrupted",
            ended_at=now(),
            error="closed when the store was upgraded: the wearkit that ran it had stopped",
        )
    )


def _add_column(conn: Connection, table: Table, name: str) -> None:
    column = table.c[name]
    kind = column.type.compile(dialect=conn.dialect)
    conn.execute(text(f"ALTER TABLE {table.name} ADD COLUMN {column.name} {kind}"))


def _rebuild(conn: Connection, table: Table, computed: dict[str, str]) -> None:
    """SQLite's documented way to change a table: create the new one, copy, swap."""
    old = {c["name"] for c in inspect(conn).get_columns(table.name)}
    columns = [c.name for c in table.columns if c.name in old]
    sources = [computed.get(name, name) for name in columns]
    create = str(CreateTable(table).compile(dialect=conn.dialect))
    new = f"{table.name}__new"
    conn.execute(text(create.replace(f"TABLE {table.name} ", f"TABLE {new} ", 1)))
    conn.execute(
        text(
            f"INSERT INTO {new} ({', '.join(columns)}) "
            f"SELECT {', '.join(sources)} FROM {table.name}"
        )
    )
    conn.execute(text(f"DROP TABLE {table.name}"))
    conn.execute(text(f"ALTER TABLE {new} RENAME TO {table.name}"))
    for index in table.indexes:
        index.create(conn, checkfirst=True)
