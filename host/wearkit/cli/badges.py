"""`wearkit badges`: what the outbox holds, delivering it, claim cards."""

from __future__ import annotations

import csv
import sys
from datetime import datetime, timezone
from pathlib import Path

import click

from wearkit.cli.app import friendly_errors, main, stop_on_signals

_ALL = datetime(9999, 1, 1, tzinfo=timezone.utc)
STORE_HELP = "SQLAlchemy URL of the store (default: the SQLite file in the data folder)."


@main.group()
def badges() -> None:
    """Badge deliveries from this classroom host to the badge service."""


def _rows(store_url: str | None) -> list[dict[str, str]]:
    from wearkit.badges.status import deliveries
    from wearkit.store import open_store

    with open_store(store_url) as store:
        found = deliveries(store)
    found.sort(key=lambda r: r["state"] != "delivered")  # delivered first, as before
    return [
        {
            "state": row["state"],
            "activity": row["activity"],
            "learner": row["learner"] or "",
            "claim_code": row["claim_code"] or "",
            "detail": row["claim_url"] or ""
            if row["state"] == "delivered"
            else f"{row['last_error']} (next try {row['next_attempt_at']})"
            if row["state"] == "failing"
            else "",
            "key": row["key"],
        }
        for row in found
    ]


@badges.command("list")
@click.option("--store", "store_url", help=STORE_HELP)
@friendly_errors
def list_(store_url: str | None) -> None:
    """Show pending, delivered and failing deliveries (with the reason)."""
    rows = _rows(store_url)
    if not rows:
        click.echo("no badges earned yet")
    for row in rows:
        line = f"{row['state']:<9} {row['activity']:<18} {row['learner'] or '-':<14}"
        click.echo(f"{line} {row['claim_code']:<12} {row['detail']}".rstrip())
    counts = {s: sum(r["state"] == s for r in rows) for s in ("pending", "failing", "delivered")}
    click.echo(", ".join(f"{n} {s}" for s, n in counts.items()), err=True)


@badges.command()
@click.option("--store", "store_url", help=STORE_HELP)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path))
@friendly_errors
def export(store_url: str | None, output: Path | None) -> None:
    """Write every delivery and its state as CSV."""
    rows = _rows(store_url)
    out = output.open("w", newline="", encoding="utf-8") if output else sys.stdout
    writer = csv.DictWriter(out, ["state", "activity", "learner", "claim_code", "detail", "key"])
    writer.writeheader()
    writer.writerows(rows)
    if output:
        out.close()


@badges.command()
@click.option("--store", "store_url", help=STORE_HELP)
@click.option("--once", is_flag=True, help="One pass over what is due, then exit.")
@friendly_errors
def deliver(store_url: str | None, once: bool) -> None:
    """Send the outbox to the badge service named in badges.toml (until Ctrl-C)."""
    from wearkit.badges.deliverer import DeliveryEvent, open_deliverer
    from wearkit.store import open_store

    def show(event: DeliveryEvent) -> None:
        what = f"{event.item.payload.get('activity')} {event.item.payload.get('learner') or ''}"
        if event.kind == "delivered":
            click.echo(f"delivered {what.strip()} {event.message}".rstrip())
        else:
            click.echo(f"failed    {what.strip()}: {event.message}", err=True)

    with open_store(store_url) as store, open_deliverer(store, on_event=show) as deliverer:
        if once:
            result = deliverer.deliver_due()
            click.echo(f"{result.delivered} delivered, {result.failed} failed", err=True)
            if result.failed:
                sys.exit(1)
            return
        with stop_on_signals() as stop:
            deliverer.run(stop)


@badges.command()
@click.option("--store", "store_url", help=STORE_HELP)
@friendly_errors
def resend(store_url: str | None) -> None:
    """Try every failing delivery again now, instead of at its next retry."""
    from wearkit.store import open_store
    from wearkit.store.engine import now

    with open_store(store_url) as store:
        waiting = [i for i in store.pending_outbox(100_000, now=_ALL) if i.attempts > 0]
        for item in waiting:
            store.outbox_failed(item.id, item.last_error or "resend asked", now())
    click.echo(f"{len(waiting)} failing deliveries due again now; run `wearkit badges deliver`")


@badges.command()
@click.option("--store", "store_url", help=STORE_HELP)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              default=Path("claim-cards.html"), show_default=True)  # fmt: skip
@click.option("--title", default="Your wearkit badge", show_default=True)
@friendly_errors
def card(store_url: str | None, output: Path, title: str) -> None:
    """Write printable claim cards (HTML) for every delivered badge with a claim code."""
    from wearkit.activities import load_catalogue
    from wearkit.badges.cards import claim_cards_html
    from wearkit.badges.receipts import Receipts, receipts_path
    from wearkit.store import open_store

    with open_store(store_url) as store:
        delivered = Receipts(receipts_path(store)).all()
    activities = {a.slug: a for a in load_catalogue()}
    output.write_text(claim_cards_html(delivered, activities, title), encoding="utf-8")
    with_code = sum(1 for d in delivered if d.claim_code)
    click.echo(f"{with_code} claim cards written to {output}")
