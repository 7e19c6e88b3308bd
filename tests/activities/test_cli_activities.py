"""`wearkit activities` checks its options (wearkit.cli.activities)."""

from __future__ import annotations

from click.testing import CliRunner

from wearkit.cli import main


def test_an_unknown_family_is_an_error() -> None:
    result = CliRunner().invoke(main, ["activities", "--family", "bogus"])
    assert result.exit_code == 2
    assert result.output.strip() == (
        "error: unknown board family 'bogus'; known: blinka-ft232h, blinka-mcp2221, blinka-pi, "
        "cpb, cpx, esp32-wearable, microbit-v1, "
        "microbit-v2, virtual"
    )


def test_a_known_family_lists_what_it_runs() -> None:
    result = CliRunner().invoke(main, ["activities", "--family", "cpx", "--json"])
    assert result.exit_code == 0
    assert '"step-counter"' in result.output
