"""Completions kept aside while the store cannot be written (a full disk, a read-only file).

A kept completion is one small JSON file named after its idempotency key: in a folder
beside the SQLite file (``wearkit.db.kept/``), else in the user's data folder, else in the
temp folder. Every open of the store writes the kept completions of that store into it
(idempotent by key, with the one-badge rule for their outbox rows) and removes their files
once committed.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import tempfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import SQLAlchemyError

from wearkit import paths
from wearkit.errors import StoreError
from wearkit.runlog import CompletionRecord
from wearkit.store.engine import StoreBase, reason, shown_url, sqlite_file
from wearkit.store.outbox import check_completion, write_completion
from wearkit.store.schema import runs

_FORMAT = "wearkit-kept-completion/1"


class KeptMixin(StoreBase):
    """`keep_aside` and writing kept completions back once the store can take them."""

    def _identity(self) -> str:
        """What a kept file says about its store, so a shared folder is not mixed up."""
        file = sqlite_file(self._engine.url)
        return f"sqlite:///{file}" if file else shown_url(self._engine.url)

    def _kept_folders(self) -> list[Callable[[], Path]]:
        """Where completions are kept, the preferred first (lazily: each may fail)."""
        file = sqlite_file(self._engine.url)
        folders: list[Callable[[], Path]] = []
        if file is not None:
            folders.append(lambda: file.with_name(file.name + ".kept"))
        folders.append(lambda: paths.data_dir() / "kept-completions")
        folders.append(lambda: Path(tempfile.gettempdir()) / "wearkit-kept-completions")
        return folders

    def keep_aside(self, run_id: int | None, completion: CompletionRecord) -> str:
        """Keep a completion the store cannot write now as a JSON file; return its path.

        A StoreError if no folder can take it: its message holds the completion as JSON,
        so whoever shows it to the facilitator shows the badge.
        """
        text = json.dumps(
            {
                "format": _FORMAT,
                "store": self._identity(),
                "run_id": run_id,
                "completion": _completion_json(completion),
            },
            sort_keys=True,
            default=str,
        )
        name = re.sub(r"[^A-Za-z0-9_-]", "_", completion.idempotency_key) + ".json"
        tried: list[str] = []
        for folder in self._kept_folders():
            try:
                where = folder()
                return str(_write_durably(where / name, text))
            except OSError as exc:
                tried.append(f"{exc.filename or 'a folder'} ({exc.strerror or exc})")
        raise StoreError(
            f"cannot write completion {completion.idempotency_key} to the store "
            f"{self.label!r} nor keep it in {'; '.join(tried)}: free disk space, and keep "
            f"this line, it is the badge: {text}"
        )

    def kept_aside(self) -> list[Path]:
        """The files of this store's completions still waiting to be written."""
        return [path for path, _run, _completion in self._kept_files()]

    def write_kept_aside(self) -> int:
        """Write the kept completions into the store, removing each file once committed.

        Returns how many were new to the store. A StoreError if the store still cannot be
        written (the files stay) or a kept file cannot be read.
        """
        written = 0
        problems: list[str] = []
        for path, run_id, completion in self._kept_files(problems):
            with self._writing() as conn:
                if run_id is not None:
                    found = conn.execute(select(runs.c.id).where(runs.c.id == run_id)).first()
                    run_id = None if found is None else run_id
                written += write_completion(conn, run_id, completion)
                if run_id is not None:
                    # Its run could not be closed either (the same full disk): it was
                    # complete, whatever the next open of the store guessed.
                    conn.execute(
                        update(runs)
                        .where(runs.c.id == run_id, runs.c.outcome.in_(("running", "interrupted")))
                        .values(outcome="complete")
                    )
            with contextlib.suppress(OSError):
                path.unlink()  # if it stays, the next open writes it again: a no-op
        if problems:
            raise StoreError(f"cannot read kept completions: {'; '.join(problems)}")
        return written

    def _kept_files(
        self, problems: list[str] | None = None
    ) -> list[tuple[Path, int | None, CompletionRecord]]:
        identity = self._identity()
        if identity == "sqlite://":
            return []  # an in-memory store is gone with its process: nothing is its own
        found: dict[Path, tuple[Path, int | None, CompletionRecord]] = {}
        for folder in self._kept_folders():
            try:
                listed = sorted(folder().glob("*.json"))
            except OSError:
                continue
            for path in listed:
                try:
                    data = json.loads(path.read_text(encoding="utf-8"))
                    if not isinstance(data, dict) or data.get("format") != _FORMAT:
                        continue
                    if data.get("store") != identity:
                        continue
                    run_id = None if data["run_id"] is None else int(data["run_id"])
                    completion = _completion_record(data["completion"])
                    check_completion(completion)
                    found[path] = (path, run_id, completion)
                except (OSError, ValueError, LookupError, TypeError, StoreError) as exc:
                    if problems is not None:
                        problems.append(f"{path}: {exc}; fix or remove the file")
        return list(found.values())


def write_kept_on_open(store: KeptMixin) -> list[str]:
    """Write kept completions while opening; one-line warnings for what had to wait."""
    try:
        store.write_kept_aside()
    except StoreError as exc:
        return [str(exc)]
    except SQLAlchemyError as exc:  # pragma: no cover - _writing wraps these
        return [reason(exc)]
    return []


def _write_durably(path: Path, text: str) -> Path:
    """Write ``path`` whole or not at all, and on disk before returning."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        with open(tmp, "w", encoding="utf-8") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        os.replace(tmp, path)
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    with contextlib.suppress(OSError, AttributeError):
        folder = os.open(path.parent, os.O_RDONLY)  # Windows cannot open a folder: fine
        try:
            os.fsync(folder)
        finally:
            os.close(folder)
    return path


def _completion_json(completion: CompletionRecord) -> dict[str, Any]:
    return {
        "activity_slug": completion.activity_slug,
        "board_name": completion.board_name,
        "learner": completion.learner,
        "completed_at": completion.completed_at.isoformat(),
        "idempotency_key": completion.idempotency_key,
        "evidence": dict(completion.evidence),
    }


def _completion_record(data: dict[str, Any]) -> CompletionRecord:
    return CompletionRecord(
        activity_slug=str(data["activity_slug"]),
        board_name=str(data["board_name"]),
        learner=None if data["learner"] is None else str(data["learner"]),
        completed_at=datetime.fromisoformat(data["completed_at"]),
        idempotency_key=str(data["idempotency_key"]),
        evidence=dict(data.get("evidence") or {}),
    )
