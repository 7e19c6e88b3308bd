"""A school's own kit, as a file: every mistake named by file and field before any board
is touched, and the kit it describes is the one the board runs."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.blinka.conftest import OpenBlinka
from wearkit.boards import load_profiles
from wearkit.errors import BoardError, LinkError
from wearkit.kits import blinka_url, load_kit_file
from wearkit.link import open_link

BOARDS = Path(__file__).parents[2] / "boards"


def test_a_kit_file_names_every_wrong_field(tmp_path: Path) -> None:
    kit = tmp_path / "ourkit.toml"
    kit.write_text(
        '[kit.accel]\npart = "lis3dh"\naddress = 0x30\n'
        '[kit.temp]\npart = "mcp9808"\naddress = 0x18\n'
        '[kit.light]\npart = "bh1750"\n'
        '[kit.buttons]\nc = "D5"\n'
        '[kit.sound]\npart = "mic"\n'
    )
    with pytest.raises(BoardError) as caught:
        load_kit_file(kit)
    where = f"{kit}: field"
    assert str(caught.value).splitlines() == [
        f"{where} 'kit.accel.address': a lis3dh answers at 0x18, 0x19 (as wired), not 0x30",
        f"{where} 'kit.light.part': expected one of veml7700, got 'bh1750'",
        f"{where} 'kit.buttons.c': unknown button (kit has buttons 'a' and 'b')",
        f'{where} \'kit.buttons\': expected a = "<pin>" and/or b = "<pin>" (wired to ground: '
        "pressed reads low)",
        f"{where} 'kit.sound': unknown capability (a Blinka kit has: accel, light, temp, "
        "buttons, pixels)",
    ]


def test_two_parts_on_one_address_and_a_profile_that_disagrees(tmp_path: Path) -> None:
    text = (BOARDS / "blinka-pi.toml").read_text()
    text = text.replace("address = 0x19", "address = 0x18")
    text = text.replace('"buttons", "pixels"]', '"buttons", "pixels", "radio"]')
    (tmp_path / "blinka-pi.toml").write_text(text)
    with pytest.raises(BoardError) as caught:
        load_profiles(tmp_path)
    message = str(caught.value)
    assert "blinka-pi.toml: field 'kit.temp.address': 0x18 is taken by the lis3dh" in message
    assert "blinka-pi.toml: field 'capabilities': a Blinka board has what its kit has" in message


def test_the_board_runs_the_kit_file_it_is_given(open_blinka: OpenBlinka, tmp_path: Path) -> None:
    board, _link = open_blinka("blinka-pi")
    kit = tmp_path / "lsm.toml"
    kit.write_text('[kit.accel]\npart = "lsm6ds"\naddress = 0x6B\n')
    url = blinka_url("blinka-pi", kit=kit, sim=board.folder)
    with open_link(url) as link:
        out = link.exec("import kit\nprint(kit.accel(), kit.has('light'))")
    assert '"caps":["accel"]' in out and out.strip().endswith("(0, 0, -1000) False")
    kit.write_text('[kit.accel]\npart = "lsm6ds"\naddress = 0x19\n')
    with pytest.raises(LinkError, match=r"lsm\.toml: field 'kit\.accel\.address'"):
        open_link(url)
