"""`wearkit hub`: the programme's badge service, and registering classroom hosts."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from sqlalchemy import Engine

from wearkit.cli.app import friendly_errors, main


@main.group(invoke_without_command=True)
@click.option("--db", "db_url", help="SQLAlchemy URL (default: hub.db in the data folder).")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8750, show_default=True, type=int, help="Port to listen on.")
@click.option("--public-url", help="The address learners reach (used in badge documents).")
@click.option("--issuer-name", help="The programme's name, shown on badges.")
@click.option("--threads", default=8, show_default=True, type=int, help="Request threads.")
@click.pass_context
@friendly_errors
def hub(
    ctx: click.Context,
    db_url: str | None,
    host: str,
    port: int,
    public_url: str | None,
    issuer_name: str | None,
    threads: int,
) -> None:
    """Serve the badge service (or run one of its commands)."""
    ctx.obj = {"db": db_url}
    if ctx.invoked_subcommand is not None:
        return
    from wearkit.hub import create_app
    from wearkit.hub.serve import serve

    app = create_app({"DATABASE_URL": db_url, "PUBLIC_URL": public_url, "ISSUER_NAME": issuer_name})
    try:
        serve(app, host, port, threads, ready=lambda url: click.echo(f"hub serving on {url}"))
    except OSError as exc:
        from wearkit.errors import BadgeServiceError

        raise BadgeServiceError(
            f"cannot listen on {host}:{port}: {exc.strerror}; choose another --port"
        ) from None


def _engine(ctx: click.Context, db_url: str | None) -> Engine:
    from wearkit.hub import db

    return db.open_engine(db_url or (ctx.obj or {}).get("db"))


@hub.command("add-host")
@click.argument("name")
@click.option("--db", "db_url", help="SQLAlchemy URL of the hub database.")
@click.pass_context
@friendly_errors
def add_host(ctx: click.Context, name: str, db_url: str | None) -> None:
    """Register a classroom host; print its token (put it in that host's badges.toml)."""
    from wearkit.hub import db

    token = db.add_host(_engine(ctx, db_url), name)
    click.echo(token)
    click.echo(f"host {name!r} registered; this token is shown once, keep it safe", err=True)


@hub.command("admin-token")
@click.option("--db", "db_url", help="SQLAlchemy URL of the hub database.")
@click.pass_context
@friendly_errors
def admin_token(ctx: click.Context, db_url: str | None) -> None:
    """Print a new programme admin token (revoking, export); the old one stops working."""
    from wearkit.hub import db

    click.echo(db.new_admin_token(_engine(ctx, db_url)))


@hub.command("export")
@click.option("--db", "db_url", help="SQLAlchemy URL of the hub database.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path))
@click.pass_context
@friendly_errors
def export(ctx: click.Context, db_url: str | None, output: Path | None) -> None:
    """Write every award as CSV (to stdout, or --output)."""
    from wearkit.hub import awards

    text = awards.export_csv(_engine(ctx, db_url))
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")
