"""Printable claim cards: one per learner, with the claim code, its address and a QR code."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape

import segno

from wearkit.activities.model import Activity
from wearkit.badges.receipts import Delivered

_STYLE = """
body { font-family: DejaVu Sans, Arial, sans-serif; color: #000; margin: 0; }
.card { width: 85mm; height: 55mm; border: 1px dashed #555; padding: 4mm; margin: 2mm;
        display: inline-flex; gap: 3mm; box-sizing: border-box; page-break-inside: avoid;
        vertical-align: top; }
.card svg { width: 28mm; height: 28mm; flex: none; }
h2 { font-size: 11pt; margin: 0 0 1mm; }
p { font-size: 8.5pt; margin: 0 0 1mm; }
.code { font-family: DejaVu Sans Mono, monospace; font-size: 14pt; font-weight: bold;
        letter-spacing: 0.5mm; }
"""


def claim_cards_html(
    delivered: Sequence[Delivered], activities: Mapping[str, Activity], title: str
) -> str:
    """An HTML page of claim cards (A4, ten a page) for every delivered item with a code."""
    cards = []
    for item in delivered:
        if not item.claim_code or not item.claim_url:
            continue
        activity = activities.get(item.activity)
        name = activity.badge.name if activity else item.activity
        qr = segno.make(item.claim_url, error="m").svg_inline(scale=4, title="Claim link")
        cards.append(
            '<section class="card">'
            f"{qr}<div><h2>{escape(name)}</h2>"
            f"<p>For: {escape(item.learner or item.board_name or 'the learner')}</p>"
            f'<p>Your code:</p><p class="code">{escape(item.claim_code)}</p>'
            f"<p>Claim your badge at {escape(item.claim_url)} (or scan the code) with "
            "your email or a parent's.</p></div></section>"
        )
    body = "\n".join(cards) or "<p>No delivered badge has a claim code yet.</p>"
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{escape(title)}'
        f"</title><style>{_STYLE}</style></head><body><main><h1>{escape(title)}</h1>"
        f"{body}</main></body></html>"
    )
