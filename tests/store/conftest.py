"""Fixtures of the store tests: a store in a real SQLite file, a private data folder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from wearkit.store import Store, open_store


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A data folder of this test's own (kept completions fall back there)."""
    folder = tmp_path / "home"
    monkeypatch.setenv("WEARKIT_HOME", str(folder))
    return folder


@pytest.fixture
def db_url(tmp_path: Path, home: Path) -> str:
    return f"sqlite:///{tmp_path / 'wearkit.db'}"


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    with open_store(db_url) as opened:
        yield opened
