"""How a file crosses the raw REPL: the code that writes it, piece by piece (no I/O).

A put is a few ``exec`` steps against the put helper (firmware/_wkput.py): the first
opens the staging file, the last closes it and has the board check size and digest
before it gives the file its name, so a small file is one round trip. Source text goes
as bytes literals with minimal escaping (about 1% over the data); where the firmware
has ``deflate`` and ``binascii``, each piece goes deflated on its own and base64-coded
(fewer bytes than the text for source code), inflated on the board straight into the
file.
"""

from __future__ import annotations

import base64
import hashlib
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass

from wearkit import paths

HELPER = "_wkput.py"
DEFLATE_WBITS = 10  # a 1 KB window: small enough for a board's heap to inflate
STAGING = ".part"  # a file being written; removed on the board by the next put helper


@dataclass(frozen=True)
class Step:
    """One ``exec`` of a put: its code, and how far through the data it gets."""

    code: str
    done: int  # bytes of the file written once this step has run
    sent: int  # bytes of code this step sends


@dataclass(frozen=True)
class Helper:
    """The put helper as this host knows it: its version and its text to send inline."""

    version: str
    source: str


def helper() -> Helper:
    """The put helper from firmware/_wkput.py (its ``WK_V`` and its compacted text)."""
    text = (paths.firmware_dir() / HELPER).read_text(encoding="utf-8")
    found = re.search(r"^WK_V = (\d+)", text, re.MULTILINE)
    return Helper(found.group(1) if found else "?", compact(text))


def put_steps(
    data: bytes, dest: str, *, features: set[str], compress: bool, chunk_size: int = 4096
) -> Iterator[Step]:
    """The code that writes ``data`` to ``dest`` and verifies it, one step per exec.

    Uses the staging name ``dest + ".part"`` where the firmware can rename a file, so
    a put cut short never leaves a half-written ``dest``.
    """
    target = dest + STAGING if "rename" in features else dest
    kind = "sha256" if "hashlib" in features else "sum31"
    pieces = _pieces(data, compress, chunk_size)
    end = f"wk_end({target!r},{dest!r},{len(data)},{digest(kind, data)!r})"
    done = 0
    for index, (size, call) in enumerate(pieces):
        lines = [call]
        if index == 0:
            lines.insert(0, f"wk_open({target!r})")
        if index == len(pieces) - 1:
            lines.append(end)
        code = "\n".join(lines)
        done += size
        yield Step(code, done, len(code))


def _pieces(data: bytes, compress: bool, chunk_size: int) -> list[tuple[int, str]]:
    """(bytes of the file, the call that writes them) for each piece of ``data``."""
    if not data:
        return [(0, "pass")]
    if not compress:
        return [
            (len(data[i : i + chunk_size]), "w(" + bytes_literal(data[i : i + chunk_size]) + ")")
            for i in range(0, len(data), chunk_size)
        ]
    # Source text deflates to about a third: a piece of 3 x chunk_size of the file sends
    # about chunk_size bytes of base64, so a board holds no more per step than plain.
    step = chunk_size * 3
    return [
        (len(data[i : i + step]), f"wk_z('{deflate_b64(data[i : i + step])}',{DEFLATE_WBITS})")
        for i in range(0, len(data), step)
    ]


def deflate_b64(data: bytes) -> str:
    """``data`` as a raw deflate stream (1 KB window), base64-coded."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -DEFLATE_WBITS)
    return base64.b64encode(packer.compress(data) + packer.flush()).decode("ascii")


def digest(kind: str, data: bytes) -> str:
    """The digest the put helper prints: sha256, or its 32-bit rolling sum."""
    if kind == "sha256":
        return hashlib.sha256(data).hexdigest()
    total = 0
    for byte in data:
        total = (total * 31 + byte) & 0xFFFFFFFF
    return f"{total:08x}"


_PLAIN = frozenset(range(0x20, 0x7F)) - {ord("\\"), ord("'")}
_ESCAPES = {0x0A: "\n", 0x09: "\t", 0x27: "\\'", 0x5C: "\\\\"}
_TABLE = [chr(b) if b in _PLAIN else _ESCAPES.get(b, f"\\x{b:02x}") for b in range(256)]


def bytes_literal(chunk: bytes) -> str:
    """A triple-quoted bytes literal that costs about 1% over the data for source text.

    ``repr`` would escape every newline; here newlines and tabs go as themselves and
    only quotes, backslashes, carriage returns and non-ASCII bytes are escaped.
    """
    return "b'''" + "".join(_TABLE[b] for b in chunk) + "'''"


def compact(source: str) -> str:
    """Drop comments, blank lines and most indentation: fewer bytes on a slow line."""
    lines = []
    for line in source.splitlines():
        body = line.lstrip(" ")
        if not body or body.startswith("#"):
            continue
        lines.append(" " * ((len(line) - len(body)) // 4) + body)
    return "\n".join(lines) + "\n"
