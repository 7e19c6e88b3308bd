"""Serving the hub with waitress (it runs on Windows school laptops and Linux servers)."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask
from waitress.server import create_server  # type: ignore[import-untyped]


def serve(
    app: Flask, host: str, port: int, threads: int = 8, ready: Callable[[str], None] | None = None
) -> None:
    """Serve ``app`` until interrupted; ``ready`` is told the address once listening."""
    server = create_server(app, host=host, port=port, threads=threads, ident="wearkit-hub")
    if ready is not None:
        ready(f"http://{host}:{server.effective_port}")
    server.run()
