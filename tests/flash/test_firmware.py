"""Firmware not shipped in a package: a local file, or a download into a checked cache."""

from __future__ import annotations

import hashlib
import http.server
import threading
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import pytest

from wearkit.boards import BoardProfile, load_profile
from wearkit.errors import FlashError
from wearkit.flash.firmware import firmware_info, load_firmware

FIRMWARE = b"\xe9" + bytes(range(256)) * 40


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, list[str]]]:
    """An HTTP server on loopback serving a folder; yields its address and the paths asked."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "fw.bin").write_bytes(FIRMWARE)
    asked: list[str] = []

    class Handler(_Quiet):
        def do_GET(self) -> None:
            asked.append(self.path)
            super().do_GET()

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial(Handler, directory=str(site)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", asked
    httpd.shutdown()
    httpd.server_close()


def _profile(tmp_path: Path, url: str, sha256: str) -> BoardProfile:
    """The ESP32 profile with a [firmware] table pointing at ``url``."""
    source = Path(__file__).parents[2] / "boards" / "esp32-wearable.toml"
    text = source.read_text().replace(
        'url = "https://micropython.org/resources/firmware/ESP32_GENERIC-20241129-v1.24.1.bin"',
        f'url = "{url}"\nsha256 = "{sha256}"',
    )
    path = tmp_path / "esp32-wearable.toml"
    path.write_text(text)
    return load_profile(path)


def _nothing(*args: object) -> None:
    pass


def test_the_profiles_firmware_is_downloaded_once_and_checked(
    server: tuple[str, list[str]], tmp_path: Path
) -> None:
    address, asked = server
    good = hashlib.sha256(FIRMWARE).hexdigest()
    profile = _profile(tmp_path, f"{address}/fw.bin", good)
    cache = tmp_path / "cache"
    steps: list[tuple[str, int, int, str]] = []
    where, data = load_firmware(None, profile, cache=cache, step=lambda *s: steps.append(s))
    assert data == FIRMWARE and where == f"{address}/fw.bin"
    assert steps[-1][:3] == ("download", len(FIRMWARE), len(FIRMWARE))
    assert load_firmware(None, profile, cache=cache, step=_nothing)[1] == FIRMWARE
    assert asked == ["/fw.bin"]  # the second time came from the cache


def test_a_download_that_does_not_match_its_checksum_is_refused_and_not_kept(
    server: tuple[str, list[str]], tmp_path: Path
) -> None:
    address, _ = server
    profile = _profile(tmp_path, f"{address}/fw.bin", "0" * 64)
    cache = tmp_path / "cache"
    with pytest.raises(FlashError, match=r"not the firmware expected \(sha256 [0-9a-f]{64}, "):
        load_firmware(None, profile, cache=cache, step=_nothing)
    assert list(cache.iterdir()) == []


def test_a_url_given_by_hand_is_checked_by_its_fragment(
    server: tuple[str, list[str]], tmp_path: Path
) -> None:
    address, _ = server
    profile = _profile(tmp_path, f"{address}/fw.bin", hashlib.sha256(FIRMWARE).hexdigest())
    url = f"{address}/fw.bin#sha256={'1' * 64}"
    with pytest.raises(FlashError, match="nothing was flashed"):
        load_firmware(url, profile, cache=tmp_path / "c", step=_nothing)
    with pytest.raises(FlashError, match="cannot download the firmware .* give --firmware FILE"):
        load_firmware(f"{address}/missing.bin", profile, cache=tmp_path / "c", step=_nothing)


def test_a_missing_local_file_names_the_option(profiles: dict[str, BoardProfile]) -> None:
    with pytest.raises(FlashError, match="--firmware /no/such.uf2: cannot read it"):
        load_firmware("/no/such.uf2", profiles["cpx"], step=_nothing)


def test_firmware_tables_of_the_bundled_profiles(profiles: dict[str, BoardProfile]) -> None:
    assert firmware_info(profiles["microbit-v1"]).microbit_hex == 1
    assert firmware_info(profiles["cpb"]).uf2_family == 0xADA52840
    assert (firmware_info(profiles["esp32-wearable"]).url or "").startswith("https://")
