"""Board profiles as data, their validation, and matching USB ports to them."""

from __future__ import annotations

from pathlib import Path

import pytest
from serial.tools.list_ports_common import ListPortInfo

from wearkit.boards import load_profile, load_profiles, match_port, preferred_profiles
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
    generic = (Path(__file__).parents[1] / "boards" / "cpx.toml").read_text()
    generic = generic.replace('id = "cpx"', 'id = "generic"').replace("0x239A", "0x0D28")
    generic = generic.replace("0x8019", "0x0204")
    (tmp_path / "generic.toml").write_text(generic)
    profiles = [load_profile(tmp_path / "generic.toml"), *load_profiles().values()]
    match = match_port(_port(0x0D28, 0x0204, "9903abc"), profiles)
    assert match is not None and match.profile.id == "microbit-v2"


def test_a_malformed_profile_names_the_file_and_field(tmp_path: Path) -> None:
    text = (Path(__file__).parents[1] / "boards" / "microbit-v2.toml").read_text()
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
    assert "field 'flash': expected one of esptool, hex-drive, none, sim, uf2-drive" in message


def test_not_toml_is_reported_with_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "x.toml"
    bad.write_text("id = \n")
    with pytest.raises(BoardError) as caught:
        load_profile(bad)
    assert str(caught.value).endswith("x.toml: line 1, column 6: not valid TOML: Invalid value")


BOARDS = Path(__file__).parents[1] / "boards"


def _profile_text(board_id: str, old: str, new: str) -> str:
    text = (BOARDS / f"{board_id}.toml").read_text(encoding="utf-8")
    assert old in text
    return text.replace(old, new)


def test_wearkit_try_prefers_families_in_their_try_order(tmp_path: Path) -> None:
    profiles = load_profiles()
    order = [p.id for p in preferred_profiles(profiles.values())]
    assert order[:6] == ["microbit-v2", "cpx", "esp32-wearable", "microbit-v1", "cpb", "virtual"]
    assert order[6:] == ["blinka-ft232h", "blinka-mcp2221", "blinka-pi"]  # no try_order: last
    for board_id in profiles:
        (tmp_path / f"{board_id}.toml").write_text((BOARDS / f"{board_id}.toml").read_text())
    (tmp_path / "cpb.toml").write_text(_profile_text("cpb", "try_order = 5", "try_order = 1"))
    (tmp_path / "virtual.toml").write_text(_profile_text("virtual", "try_order = 6", ""))
    order = [p.id for p in preferred_profiles(load_profiles(tmp_path).values())]
    assert order[:2] == ["cpb", "microbit-v2"] and order[-1] == "virtual"


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "try_order = 5",
            "try_order = 0",
            "cpb.toml: field 'try_order': expected a whole number from 1 (tried first), got 0",
        ),
        (
            'modules = "circuitplayground"',
            'modules = "cp"',
            "cpb.toml: field 'sim.modules': expected one of blinka, circuitplayground, esp32, "
            "microbit, "
            "virtual (folders of firmware/sim/), got 'cp'",
        ),
        (
            "stubs_companions = [",
            "stubs_companions = 3\nx = [",
            "cpb.toml: field 'stubs_companions': expected a list of PyPI names",
        ),
        (
            'circuitpython_board = "circuitplayground_express"',
            "circuitpython_board = 7",
            "cpb.toml: field 'circuitpython_board': expected a CircuitPython board name",
        ),
        (
            'hal = "kithal_cp"',
            'hal = "kithal_nope"',
            "cpb.toml: field 'hal': no firmware/kithal_nope.py",
        ),
        (
            'platform = "nRF52840"',
            'platform = "nRF52840"\nmpy_arch = 6',
            "cpb.toml: field 'mpy_arch': expected a string like \"armv6m\", got 6",
        ),
    ],
)
def test_board_facts_are_checked(tmp_path: Path, old: str, new: str, message: str) -> None:
    bad = tmp_path / "cpb.toml"
    bad.write_text(_profile_text("cpb", old, new))
    with pytest.raises(BoardError) as caught:
        load_profile(bad)
    assert message in str(caught.value)


def test_profiles_sharing_stubs_must_agree_on_what_goes_beside_them(tmp_path: Path) -> None:
    for board_id in ("cpx", "cpb"):
        (tmp_path / f"{board_id}.toml").write_text((BOARDS / f"{board_id}.toml").read_text())
    (tmp_path / "cpb.toml").write_text(
        _profile_text("cpb", '"circuitplayground_express"', '"circuitplayground_bluefruit"')
    )
    with pytest.raises(BoardError) as caught:
        load_profiles(tmp_path)
    assert str(caught.value).endswith(
        "cpx.toml: field 'circuitpython_board': 'circuitplayground_express' differs from "
        "'circuitplayground_bluefruit' in cpb.toml, which uses the same stubs "
        "circuitpython-stubs; make them match"
    )


def test_simulated_parts_are_data_in_the_profile() -> None:
    profiles = load_profiles()
    mb, cpx, esp = profiles["microbit-v1"], profiles["cpx"], profiles["esp32-wearable"]
    assert mb.sim_parts["accel"].range == (-2000, 2000) and mb.sim_parts["accel"].resolution == 4
    assert mb.sim_parts["light"].lag_ms > 100  # the LED matrix senses slowly
    assert cpx.sim_parts["light"].lag_ms == 0 and cpx.sim_parts["accel"].range == (-8000, 8000)
    assert esp.sim_parts["accel"].range == (-2000, 2000)
    assert profiles["virtual"].sim_parts == {}


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "range = [-8000, 8000]",
            "range = [-2000, 20000]",
            "cpb.toml: field 'sim.accel.range': expected [low, high] with -16000 <= low < high "
            "<= 16000, got [-2000, 20000]",
        ),
        (
            "[sim.light]\n",
            "[sim.light]\nlag_ms = -5\n",
            "field 'sim.light.lag_ms': expected a number from 0, got -5",
        ),
        ("[sim.light]\n", "[sim.light]\nlag = 5\n", "field 'sim.light.lag': unknown field"),
        (
            "[sim.light]\n",
            "[sim.radio]\nlag_ms = 5\n\n[sim.light]\n",
            "field 'sim.radio': unknown field (known: modules, heap, and a table for a sensor part",
        ),
        (
            "[sim.light]\n",
            "[sim.temp]\nresolution = true\n\n[sim.light]\n",
            "field 'sim.temp.resolution': expected a number from 0, got True",
        ),
    ],
)
def test_simulated_parts_are_checked(tmp_path: Path, old: str, new: str, message: str) -> None:
    bad = tmp_path / "cpb.toml"
    bad.write_text(_profile_text("cpb", old, new))
    with pytest.raises(BoardError) as caught:
        load_profile(bad)
    assert message in str(caught.value)


def test_a_simulated_part_needs_the_capability(tmp_path: Path) -> None:
    bad = tmp_path / "cpx.toml"
    bad.write_text((BOARDS / "cpx.toml").read_text().replace('"light", ', ""))
    with pytest.raises(BoardError, match=r"field 'sim.light': the board has no 'light' capab"):
        load_profile(bad)
