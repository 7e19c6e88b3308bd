"""The session's roster: nicknames only, opaque learner references, a class code."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from wearkit.classroom.roster import (
    CODE_ALPHABET,
    CODE_LENGTH,
    Roster,
    RosterError,
    load,
    nickname_problem,
)
from wearkit.runlog import learner_problem


@pytest.mark.parametrize(
    "nickname", ["RedFox", "Sam J", "sam jones", "Zoë", "Kai-7", "O'Hara", "Red fox"]
)
def test_nicknames_are_taken(nickname: str) -> None:
    assert nickname_problem(nickname) is None


@pytest.mark.parametrize(
    ("nickname", "why"),
    [
        ("", "give a nickname"),
        ("Samantha Jones", "surname"),
        ("Ali Ben Musa", "surname"),
        ("sam@school.org", "email"),
        ("x" * 21, "at most 20"),
        ("<b>hi</b>", "starts with a letter"),
        ("_hidden", "starts with a letter"),
    ],
)
def test_names_addresses_and_odd_text_are_refused_with_why(nickname: str, why: str) -> None:
    problem = nickname_problem(nickname)
    assert problem is not None and why in problem


def test_each_student_gets_an_opaque_learner_reference(tmp_path: Path) -> None:
    roster = Roster(path=tmp_path / "roster.json")
    sam, kai = roster.add("Sam J"), roster.add("Kai")
    assert sam.learner != kai.learner
    assert learner_problem(sam.learner) is None  # completions take it
    assert "sam" not in sam.learner.lower()
    with pytest.raises(RosterError, match="already") as taken:
        roster.add("sam j")
    assert taken.value.field == "nickname" and taken.value.status == 409
    with pytest.raises(RosterError, match="surname"):
        roster.add("Samantha Jones")


def test_a_board_has_one_student_at_a_time(tmp_path: Path) -> None:
    roster = Roster(path=tmp_path / "roster.json")
    roster.add("Sam J")
    roster.add("Kai")
    roster.assign("Sam J", "ZOVIT")
    roster.assign("kai", "ZOVIT")
    assert roster.on_board("ZOVIT") is roster.student("Kai")
    assert roster.student("Sam J").board is None  # type: ignore[union-attr]
    assert roster.learners() == {"ZOVIT": roster.student("Kai").learner}  # type: ignore[union-attr]
    with pytest.raises(RosterError) as unknown:
        roster.assign("Nobody", "ZOVIT")
    assert unknown.value.status == 404


def test_class_codes_are_unambiguous_and_typed_any_way(tmp_path: Path) -> None:
    roster = Roster(path=tmp_path / "roster.json")
    assert len(roster.code) == CODE_LENGTH and set(roster.code) <= set(CODE_ALPHABET)
    assert not set("01OIL25SZ8B") & set(CODE_ALPHABET)
    typed = f" {roster.code[:3].lower()}-{roster.code[3:]} "
    assert roster.code_matches(typed)
    assert roster.renew_code() == roster.code == load(tmp_path / "roster.json").code
    assert not roster.code_matches("ZZZZZZ")


def test_the_roster_survives_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "roster.json"
    roster = Roster(path=path)
    sam = roster.add("Sam J")
    roster.assign("Sam J", "ZOVIT")
    again = load(path)
    assert again.code == roster.code
    assert again.student("Sam J") == sam
    assert again.on_board("ZOVIT") == sam
    path.write_text("{not json")
    fresh = load(path)
    assert fresh.students == [] and len(fresh.code) == CODE_LENGTH
    roster.save()
    assert json.loads(path.read_text())["students"][0]["nickname"] == "Sam J"
