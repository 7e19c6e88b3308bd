"""The session's roster: students by nickname, the board each one uses, the class code.

Students are 10-14: the roster keeps a nickname (never a surname or an address) and gives
each student an opaque learner reference (``wk-`` and random letters) that completions
carry instead of any name. Students join from their own laptop with the class code; a new
code shuts out everyone who joined with the old one.

Pure data and rules here; `load`/`save` keep it in a small JSON file (in the wearkit data
folder) so a restarted `wearkit serve` keeps its class.
"""

from __future__ import annotations

import contextlib
import json
import re
import secrets
import threading
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from wearkit import paths
from wearkit.errors import WearkitError

#: Class-code letters: no 0/O, 1/I/L, 2/Z, 5/S, 8/B that read alike on a projector.
CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
CODE_LENGTH = 6
NICKNAME_LIMIT = 20
NICKNAME = re.compile(r"^[^\W_][\w' .-]*$")
LEARNER_PREFIX = "wk-"


class RosterError(WearkitError):
    """A roster change that cannot be made; ``field`` names what was wrong."""

    def __init__(self, message: str, *, field: str, status: int = 422) -> None:
        super().__init__(message)
        self.field = field
        self.status = status


def nickname_problem(nickname: str) -> str | None:
    """Why ``nickname`` cannot be a student's nickname, or None if it can."""
    shown = nickname[:24]
    if not nickname.strip():
        return "give a nickname"
    if len(nickname) > NICKNAME_LIMIT:
        return f"{shown!r}... is too long: a nickname has at most {NICKNAME_LIMIT} characters"
    if "@" in nickname or "://" in nickname:
        return f"{shown!r} looks like an address: use a nickname (like RedFox or Sam J), no email"
    if not NICKNAME.match(nickname):
        return (
            f"{shown!r}: a nickname starts with a letter or digit and has only letters, "
            "digits, spaces, '.', '-' or an apostrophe"
        )
    words = nickname.split()
    if len(words) >= 2 and all(w[:1].isupper() and len(w) > 1 for w in words):
        return (
            f"{shown!r} looks like a first name and a surname: keep surnames out of the "
            "roster (use a nickname like RedFox, or a first name and an initial: Sam J)"
        )
    return None


def new_code() -> str:
    """A fresh class code: 6 characters that cannot be misread."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normal_code(code: str) -> str:
    """A code as typed by a student (any case, spaces or dashes) in its canonical form."""
    return re.sub(r"[\s-]", "", code).upper()


def new_learner() -> str:
    """An opaque learner reference: nothing in it says who the student is."""
    return LEARNER_PREFIX + secrets.token_hex(6)


@dataclass
class Student:
    """One student of the session."""

    nickname: str
    learner: str
    board: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Roster:
    """The class: its code and its students. Thread-safe; every change is saved."""

    code: str = field(default_factory=new_code)
    students: list[Student] = field(default_factory=list)
    path: Path | None = None
    _lock: threading.RLock = field(default_factory=threading.RLock, repr=False, compare=False)

    def as_dict(self) -> dict[str, Any]:
        """What ``GET /api/roster`` answers."""
        with self._lock:
            return {"code": self.code, "students": [s.as_dict() for s in self.students]}

    def student(self, nickname: str) -> Student | None:
        """The student called ``nickname`` (any case), or None."""
        with self._lock:
            wanted = nickname.strip().casefold()
            return next((s for s in self.students if s.nickname.casefold() == wanted), None)

    def by_learner(self, learner: str | None) -> Student | None:
        """The student with learner reference ``learner``, or None."""
        with self._lock:
            return next((s for s in self.students if learner and s.learner == learner), None)

    def on_board(self, board: str) -> Student | None:
        """The student assigned to ``board``, or None."""
        with self._lock:
            return next((s for s in self.students if s.board == board), None)

    def learners(self) -> dict[str, str]:
        """Board name -> learner reference of the student using it."""
        with self._lock:
            return {s.board: s.learner for s in self.students if s.board}

    def nicknames(self) -> dict[str, str]:
        """Learner reference -> nickname."""
        with self._lock:
            return {s.learner: s.nickname for s in self.students}

    def add(self, nickname: str) -> Student:
        """Add a student (RosterError if the nickname is not one, or is taken)."""
        nickname = " ".join(nickname.split())
        problem = nickname_problem(nickname)
        if problem is not None:
            raise RosterError(problem, field="nickname")
        with self._lock:
            if self.student(nickname) is not None:
                raise RosterError(
                    f"{nickname!r} is already in the roster: give each student their own nickname",
                    field="nickname",
                    status=409,
                )
            student = Student(nickname, new_learner())
            self.students.append(student)
            self.save()
            return student

    def remove(self, nickname: str) -> None:
        """Take a student off the roster (their completions keep their learner reference)."""
        with self._lock:
            student = self._known(nickname)
            self.students.remove(student)
            self.save()

    def assign(self, nickname: str, board: str | None) -> Student:
        """Give ``board`` to a student (None: no board). A board has one student at a time:
        whoever had it before loses it."""
        with self._lock:
            student = self._known(nickname)
            if board:
                for other in self.students:
                    if other.board == board and other is not student:
                        other.board = None
            student.board = board or None
            self.save()
            return student

    def renew_code(self) -> str:
        """A new class code: students who joined with the old one must join again."""
        with self._lock:
            self.code = new_code()
            self.save()
            return self.code

    def code_matches(self, code: str) -> bool:
        """Whether ``code`` (as a student typed it) is this class's code."""
        return secrets.compare_digest(normal_code(code).encode(), self.code.encode())

    def _known(self, nickname: str) -> Student:
        student = self.student(nickname)
        if student is None:
            raise RosterError(
                f"no student {nickname[:24]!r} in the roster", field="nickname", status=404
            )
        return student

    # -- keeping it -----------------------------------------------------------------------

    def save(self) -> None:
        """Write the roster to its file (if it has one), atomically."""
        if self.path is None:
            return
        with self._lock:
            data = self.as_dict()
        with contextlib.suppress(OSError):  # a read-only home only costs persistence
            paths.write_atomic(self.path, json.dumps(data, indent=1))


def default_path() -> Path:
    """Where `wearkit serve` keeps its roster."""
    return paths.data_dir() / "roster.json"


def load(path: Path | None = None) -> Roster:
    """The roster kept at ``path`` (default: the data folder), or a new one if there is
    none or it cannot be read."""
    path = path or default_path()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        students = [
            Student(str(s["nickname"]), str(s["learner"]), s.get("board") or None)
            for s in data["students"]
        ]
        code = str(data["code"])
        if len(code) != CODE_LENGTH or set(code) - set(CODE_ALPHABET):
            code = new_code()
    except (OSError, ValueError, KeyError, TypeError):
        return Roster(path=path)
    return Roster(code=code, students=students, path=path)
