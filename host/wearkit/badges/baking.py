"""Baking: a badge's metadata carried inside its image.

OB 2.0 (openbadges-bakery): the hosted assertion JSON in a PNG ``iTXt`` chunk with the
keyword ``openbadges``, or an ``<openbadges:assertion>`` element in the SVG. OB 3.0: the
signed credential JSON in a PNG ``iTXt`` chunk with the keyword ``openbadgecredential``.
"""

from __future__ import annotations

import contextlib
import io
import tempfile
import warnings
from collections.abc import Iterator
from typing import Any

import openbadges_bakery  # type: ignore[import-untyped]
from defusedxml.minidom import parseString  # type: ignore[import-untyped]
from openbadgeslib import baking as ob3_baking

from wearkit.errors import BadgeServiceError

OB3_KEYWORD = ob3_baking.ITXT_KEYWORD_OB3


def bake_png(png: bytes, assertion_json: str) -> bytes:
    """``png`` with the OB 2.0 assertion ``assertion_json`` baked in."""
    return _bake(png, assertion_json)


def bake_svg(svg: str, assertion_json: str) -> str:
    """``svg`` with the OB 2.0 assertion ``assertion_json`` baked in."""
    return _bake(svg.encode("utf-8"), assertion_json).decode("utf-8")


@contextlib.contextmanager
def _quiet_bakery() -> Iterator[None]:
    """The bakery calls a deprecated rfc3986 API; its warning is not ours to show."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        yield


def _bake(image: bytes, assertion_json: str) -> bytes:
    with tempfile.TemporaryFile() as out, _quiet_bakery():
        try:
            baked: Any = openbadges_bakery.bake(io.BytesIO(image), assertion_json, out)
        except Exception as exc:
            raise BadgeServiceError(f"cannot bake the badge image: {exc}") from exc
        baked.seek(0)
        return bytes(baked.read())


def unbake(image: bytes) -> str | None:
    """The OB 2.0 assertion baked into a PNG or SVG ``image``; None if there is none.

    From an SVG this is the whole assertion (the element's text), not only its ``verify``
    URL, which is what the bakery answers for a hosted assertion."""
    try:
        if image.lstrip().startswith(b"<"):
            return _svg_assertion(image)
        with _quiet_bakery():
            found = openbadges_bakery.unbake(io.BytesIO(image))
    except Exception as exc:
        raise BadgeServiceError(f"cannot read the badge image: {exc}") from exc
    if isinstance(found, bytes):
        return found.decode("utf-8")
    return None if found is None else str(found)


def svg_verify_url(svg: str) -> str | None:
    """The ``verify`` URL of the assertion baked into ``svg`` (a hosted assertion's id)."""
    nodes = parseString(svg.encode("utf-8")).getElementsByTagName("openbadges:assertion")
    return str(nodes[0].getAttribute("verify")) or None if nodes else None


def _svg_assertion(svg: bytes) -> str | None:
    nodes = parseString(svg).getElementsByTagName("openbadges:assertion")
    if not nodes:
        return None
    texts = [n.nodeValue for n in nodes[0].childNodes if n.nodeType == n.CDATA_SECTION_NODE]
    return str(texts[0]) if texts else None


def bake_credential_png(png: bytes, credential_json: str) -> bytes:
    """``png`` with the OB 3.0 credential ``credential_json`` baked in."""
    try:
        return ob3_baking.bake_png(png, credential_json, keyword=OB3_KEYWORD)
    except Exception as exc:
        raise BadgeServiceError(f"cannot bake the credential image: {exc}") from exc


def unbake_credential_png(png: bytes) -> str | None:
    """The OB 3.0 credential baked into ``png``; None if there is none."""
    try:
        return ob3_baking.extract_png(png, keyword=OB3_KEYWORD)
    except Exception as exc:
        raise BadgeServiceError(f"cannot read the credential image: {exc}") from exc
