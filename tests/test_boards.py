"""Board profiles as data, their validation, and matching USB ports to them."""

from __future__ import annotations

from pathlib import Path

import pytest
from serial.tools.list_ports_common import ListPortInfo

from wearkit.boards import load_profile, load_profiles, match_port
from wearkit.errors import BoardError

FAMILIES = {"microbit-v1", "microbit-v2", "cpx", "cpb", "esp32-wearable", "virtual"}


def _port(vid: int, pid: int, serial: str | None = None) -> ListPortInfo:
    info = ListPortInfo("/dev/ttyACM0", skip_link_detection=True)
    info.vid, info.pid, info.serial_number = vid, pid, serial
    return info


def test_bundled_profiles_load() -> None:
    profiles = load_profiles()
    assert FAMILIES <= set(profiles)
    assert profiles["microbit-v1"].has("display") and not profiles["microbit-v1"].has("sound")
    assert profiles["cpx"].flash == "uf2-drive" and profiles["esp32-wearable"].flash == "esptool"


@pytest.mark.parametrize(
    ("vid", "pid", "serial", "family"),
    [
        (0x0D28, 0x0204, "9900000037024e45", "microbit-v1"),
        (0x0D28, 0x0204, "9904360251974e45", "microbit-v2"),
        (0x239A, 0x8019, "ABC", "cpx"),
        (0x239A, 0x0018, None, "cpx"),
        (0x239A, 0x8046, None, "cpb"),
        (0x1A86, 0x7523, None, "esp32-wearable"),
        (0x303A, 0x1001, None, "esp32-wearable"),
    ],
)
def test_ports_match_the_most_specific_profile(
    vid: int, pid: int, serial: str | None, family: str
) -> None:
    match = match_port(_port(vid, pid, serial), load_profiles().values())
    assert match is not None and match.profile.id == family


def test_unknown_devices_match_nothing() -> None:
    profiles = load_profiles().values()
    assert match_port(_port(0x1234, 0x5678), profiles) is None
    assert match_port(_port(0x0D28, 0x0204, "1234"), profiles) is None  # not a micro:bit prefix


def test_serial_prefix_beats_a_bare_vid_pid_rule(tmp_path: Path) -> None:
    generic = (Path(__file__).parents[2] / "boards" / "cpx.toml").read_text()
    generic = generic.replace('id = "cpx"', 'id = "generic"').replace("0x239A", "0x0D28")
    generic = generic.replace("0x8019", "0x0204")
    (tmp_path / "generic.toml").write_text(generic)
    profiles = [load_profile(tmp_path / "generic.toml"), *load_profiles().values()]
    match = match_port(_port(0x0D28, 0x0204, "9903abc"), profiles)
    assert match is not None and match.profile.id == "microbit-v2"


def test_a_malformed_profile_names_the_file_and_field(tmp_path: Path) -> None:
    text = (Path(__file__).parents[2] / "boards" / "microbit-v2.toml").read_text()
    bad = tmp_path / "microbit-v2.toml"
    bad.write_text(
        text.replace("pid = 0x0204", 'pid = "0204"')
        .replace('"radio"', '"radoi"')
        .replace('flash = "hex-drive"', 'flash = "usb-stick"')
    )
    with pytest.raises(BoardError) as caught:
        load_profile(bad)
    message = str(caught.value)
    assert "microbit-v2.toml: field 'usb[0].pid': expected an integer, got '0204'" in message
    assert "field 'capabilities': unknown capability 'radoi'" in message
    assert "field 'flash': expected one of esptool, hex-drive, sim, uf2-drive" in message


def test_not_toml_is_reported_with_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "x.toml"
    bad.write_text("id = \n")
    with pytest.raises(BoardError, match=r"x.toml: not valid TOML"):
        load_profile(bad)
