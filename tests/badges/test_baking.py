"""Baked images carry the badge: OB 2.0 in PNG and SVG, OB 3.0 in PNG."""

from __future__ import annotations

import json

from wearkit.activities.model import Activity
from wearkit.badges import baking, ob2, ob3
from wearkit.badges.images import badge_png, badge_svg
from wearkit.badges.ob2 import IssuedAward, IssuerInfo
from wearkit.badges.urls import HubUrls


def test_baked_png_and_svg_unbake_to_the_same_assertion(
    urls: HubUrls, award: IssuedAward, step_counter: Activity
) -> None:
    assertion = json.dumps(ob2.assertion(urls, award))
    png = baking.bake_png(badge_png(step_counter), assertion)
    svg = baking.bake_svg(badge_svg(step_counter), assertion)
    assert baking.unbake(png) == baking.unbake(svg.encode()) == assertion
    assert baking.svg_verify_url(svg) == urls.assertion(award.award_id)


def test_an_unbaked_image_carries_nothing(step_counter: Activity) -> None:
    assert baking.unbake(badge_png(step_counter)) is None
    assert baking.unbake_credential_png(badge_png(step_counter)) is None


def test_a_credential_baked_in_png_still_verifies(
    urls: HubUrls, issuer: IssuerInfo, award: IssuedAward, step_counter: Activity
) -> None:
    text = ob3.dumps(ob3.credential(urls, issuer, award, ob3.new_signing_key()))
    png = baking.bake_credential_png(badge_png(step_counter), text)
    assert baking.unbake_credential_png(png) == text
    assert baking.unbake(png) is None  # not mistaken for an OB 2.0 badge
    assert ob3.verify(baking.unbake_credential_png(png) or "") == urls.credential("a1b2c3")
