"""The one TOML loader (wearkit._toml): a bad file is one line naming file, line and column."""

from __future__ import annotations

from pathlib import Path

import pytest

from wearkit._toml import load
from wearkit.errors import ActivityError, BoardError


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def test_a_syntax_error_names_the_line_and_column(tmp_path: Path) -> None:
    (tmp_path / "x.toml").write_text('id = "a"\nname = \n', encoding="utf-8")
    with pytest.raises(BoardError) as caught:
        load(tmp_path / "x.toml", BoardError)
    assert str(caught.value) == "x.toml: line 2, column 8: not valid TOML: Invalid value"


def test_an_unfinished_file(tmp_path: Path) -> None:
    (tmp_path / "x.toml").write_text("requires = [\n", encoding="utf-8")
    with pytest.raises(ActivityError) as caught:
        load(tmp_path / "x.toml", ActivityError)
    assert str(caught.value).startswith("x.toml: at the end of the file: not valid TOML:")


def test_missing_and_undecodable_files(tmp_path: Path) -> None:
    with pytest.raises(BoardError, match=r"^x.toml: no such file$"):
        load(tmp_path / "x.toml", BoardError)
    (tmp_path / "x.toml").write_bytes(b'id = "\xff"\n')
    with pytest.raises(BoardError, match=r"^x.toml: byte 6 is not UTF-8 text; save it as UTF-8$"):
        load(tmp_path / "x.toml", BoardError)


def test_a_good_file_loads(tmp_path: Path) -> None:
    (tmp_path / "x.toml").write_text('id = "a"\n[memory]\nheap = 1\n', encoding="utf-8")
    assert load(tmp_path / "x.toml", BoardError) == {"id": "a", "memory": {"heap": 1}}
