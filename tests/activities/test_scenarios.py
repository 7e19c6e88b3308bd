"""Scenario files checked on the host (wearkit.activities.scenarios): one line per problem."""

from __future__ import annotations

from pathlib import Path

import pytest

from wearkit.activities.scenarios import scenario_problems, validate_scenario
from wearkit.errors import ActivityError


@pytest.fixture
def scenario(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """``night-light/scenarios/x.csv`` under a temporary working folder (not yet written)."""
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "night-light" / "scenarios"
    folder.mkdir(parents=True)
    return folder / "x.csv"


def message(path: Path) -> str:
    with pytest.raises(ActivityError) as caught:
        validate_scenario(path)
    text = str(caught.value)
    assert "\n" not in text
    return text


WHERE = "night-light/scenarios/x.csv"


def test_a_good_scenario_passes(scenario: Path) -> None:
    scenario.write_text(
        "# dark, then bright\nt,ax,az,light,button_a,radio\n0,0,-1000,120,0,\n"
        "2.5,,-1500,,1,hello\n2.5,,,,0\n\n3,5,,255,,\n",
        encoding="utf-8",
    )
    validate_scenario(scenario)


def test_a_missing_file(scenario: Path) -> None:
    assert message(scenario) == (
        f"{WHERE}: no such file; a scenario is a CSV file such as scenarios/pass.csv"
    )


def test_binary_bytes(scenario: Path) -> None:
    scenario.write_bytes(b"t,light\n0,1\x00\xff\xfe")
    assert message(scenario) == (
        f"{WHERE}: not a text file (byte 11 is 0x00); a scenario is a CSV text file in UTF-8 "
        "(see activities/README.md)"
    )


def test_undecodable_bytes(scenario: Path) -> None:
    scenario.write_bytes(b"t,light\n0,\xe9\n")
    assert message(scenario).startswith(f"{WHERE}: not a text file (byte 10 is 0xe9)")


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n"])
def test_an_empty_file(scenario: Path, text: str) -> None:
    scenario.write_text(text, encoding="utf-8")
    assert message(scenario) == (
        f"{WHERE}: empty; a scenario needs a header row such as 't,light' and one row per "
        "moment (see activities/README.md)"
    )


def test_a_header_without_rows(scenario: Path) -> None:
    scenario.write_text("t,light\n", encoding="utf-8")
    assert message(scenario) == (
        f"{WHERE}: no rows after the header; add one row per moment (see activities/README.md)"
    )


def test_no_header(scenario: Path) -> None:
    scenario.write_text("0,120\n1,20\n", encoding="utf-8")
    assert message(scenario) == (
        f"{WHERE}: row 1: no header row; start with the column names, such as 't,light' "
        "(see activities/README.md)"
    )


def test_no_t_column(scenario: Path) -> None:
    scenario.write_text("light\n120\n", encoding="utf-8")
    assert message(scenario) == (
        f"{WHERE}: row 1: no 't' column; add one first: seconds on the board's clock "
        "(see activities/README.md)"
    )


def test_an_unknown_column_lists_the_known_ones(scenario: Path) -> None:
    scenario.write_text("t,lux\n0,1\n", encoding="utf-8")
    assert message(scenario) == (
        f"{WHERE}: row 1, column 'lux': unknown column (known: t, ax, ay, az, light, temp, "
        "sound, button_a, button_b, touch_A1, touch_A2, touch_A3, touch_A4, touch_A5, "
        "touch_A6, touch_A7, radio)"
    )


def test_an_unknown_column_suggests_a_close_one(scenario: Path) -> None:
    scenario.write_text("t,ligth\n0,1\n", encoding="utf-8")
    assert message(scenario).startswith(
        f"{WHERE}: row 1, column 'ligth': unknown column (did you mean 'light'? known: t, ax,"
    )


def test_a_column_named_twice(scenario: Path) -> None:
    scenario.write_text("t,light,light\n0,1,2\n", encoding="utf-8")
    assert message(scenario) == (
        f"{WHERE}: row 1, column 'light': named twice; keep one column per channel"
    )


def test_a_non_number(scenario: Path) -> None:
    scenario.write_text("t,light\n0,120\n1,20\n2,bright\n", encoding="utf-8")
    assert message(scenario) == (
        f"{WHERE}: row 4, column 'light': 'bright' is not a number; scenario values are "
        "numbers (see activities/README.md)"
    )


@pytest.mark.parametrize("value", ["nan", "inf", "-Infinity"])
def test_a_non_finite_value(scenario: Path, value: str) -> None:
    scenario.write_text(f"t,temp\n0,{value}\n", encoding="utf-8")
    assert message(scenario).startswith(
        f"{WHERE}: row 2, column 'temp': temp must be a finite number, not"
    )


def test_a_non_finite_time(scenario: Path) -> None:
    scenario.write_text("t,temp\ninf,20\n", encoding="utf-8")
    assert message(scenario) == (
        f"{WHERE}: row 2, column 't': 'inf' is not a finite number; t is seconds on the "
        "board's clock"
    )


def test_a_value_outside_the_sensors_range(scenario: Path) -> None:
    scenario.write_text("t,light\n0,300\n", encoding="utf-8")
    assert message(scenario) == (
        f"{WHERE}: row 2, column 'light': light must be between 0 and 255, not 300"
    )


def test_a_button_is_pressed_or_not(scenario: Path) -> None:
    scenario.write_text("t,button_a\n0,2\n", encoding="utf-8")
    assert message(scenario) == (
        f"{WHERE}: row 2, column 'button_a': button_a is 0 (released) or 1 (pressed), not 2"
    )


def test_time_going_back(scenario: Path) -> None:
    scenario.write_text("t,light\n0,1\n2,1\n1.5,1\n", encoding="utf-8")
    assert message(scenario) == (
        f"{WHERE}: row 4, column 't': 1.5 comes after 2; rows go in time order (t never goes back)"
    )


def test_negative_time(scenario: Path) -> None:
    scenario.write_text("t,light\n-1,1\n", encoding="utf-8")
    assert message(scenario) == (
        f"{WHERE}: row 2, column 't': -1 is before the start; t counts seconds from 0"
    )


def test_a_row_without_its_time(scenario: Path) -> None:
    scenario.write_text("light,t\n1\n", encoding="utf-8")
    assert message(scenario) == f"{WHERE}: row 2, column 't': empty; every row needs its time"


def test_a_row_with_more_cells_than_the_header(scenario: Path) -> None:
    scenario.write_text("t,light\n0,1\n1,2,3\n", encoding="utf-8")
    assert message(scenario) == (
        f"{WHERE}: row 3: 3 cells but the header has 2 columns; remove the extra cells "
        "(a radio message cannot hold ',')"
    )


def test_a_radio_message_is_short_text(scenario: Path) -> None:
    scenario.write_text("t,radio\n0,hi\n1," + "x" * 33 + '\n2,say "hi"\n', encoding="utf-8")
    where = f"{WHERE}: row"
    assert list(scenario_problems(scenario)) == [
        f"{where} 3, column 'radio': '{'x' * 33}' is 33 bytes; a message is 1 to 32 bytes of "
        """text without ',' or '"'""",
        f"""{where} 4, column 'radio': 'say "hi"' holds a '"'; a message is 1 to 32 bytes of """
        """text without ',' or '"'""",
    ]


def test_a_byte_order_mark(scenario: Path) -> None:
    scenario.write_bytes(b"\xef\xbb\xbft,light\n0,1\n")
    assert message(scenario) == (
        f"{WHERE}: starts with a byte-order mark; save it as plain UTF-8 CSV "
        "(see activities/README.md)"
    )


def test_every_problem_is_listed_for_authors(scenario: Path) -> None:
    scenario.write_text("t,light\n0,x\n1,300\n", encoding="utf-8")
    assert len(list(scenario_problems(scenario))) == 2
