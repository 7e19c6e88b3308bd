"""The host frame codec against the shared vectors, plus robustness against line noise."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest

from wearkit.frames import ConsoleLine, Frame, FrameDecoder, encode_frame, encode_json

VECTORS: dict[str, Any] = json.loads(
    (Path(__file__).parent / "vectors" / "frames.json").read_text(encoding="utf-8")
)
FRAMES: list[dict[str, Any]] = VECTORS["frames"]
KINDS = {"h": "hello", "r": "report", "e": "event", "s": "sample", "d": "done"}


def stream() -> bytes:
    """Every vector frame, with console text and \\r\\n line ends as a board sends them."""
    lines = ["MicroPython v1.24 on micro:bit", *(v["line"] for v in FRAMES[:5]), "print me"]
    lines += [v["line"] for v in FRAMES[5:]]
    return ("\r\n".join(lines) + "\r\n").encode()


def decode_all(data: bytes, chunk_ends: list[int] | None = None) -> tuple[list[Any], Any]:
    decoder = FrameDecoder()
    out: list[Frame | ConsoleLine] = []
    start = 0
    for end in [*(chunk_ends or []), len(data)]:
        out += decoder.feed(data[start:end])
        start = end
    out += decoder.flush()
    return out, decoder.stats


@pytest.mark.parametrize("vector", FRAMES, ids=lambda v: str(v["seq"]))
def test_encode_matches_vector(vector: dict[str, Any]) -> None:
    assert encode_frame(vector["seq"], vector["payload"]) == vector["line"]


@pytest.mark.parametrize("vector", FRAMES, ids=lambda v: str(v["seq"]))
def test_decode_vector(vector: dict[str, Any]) -> None:
    decoder = FrameDecoder()
    [frame] = decoder.feed(vector["line"].encode() + b"\r\n")
    payload = vector["payload"]
    assert isinstance(frame, Frame)
    assert (frame.seq, frame.kind, frame.t_ms) == (vector["seq"], KINDS[payload["k"]], payload["t"])
    assert frame.name == payload.get("n")
    assert encode_json(frame.value) == encode_json(payload.get("v"))
    assert decoder.stats.frames == 1


@pytest.mark.parametrize("vector", VECTORS["corrupted"], ids=lambda v: v["why"])
def test_corrupted_lines_are_counted_not_delivered(vector: dict[str, str]) -> None:
    decoder = FrameDecoder()
    assert decoder.feed(vector["line"].encode() + b"\n") == []
    assert (decoder.stats.corrupted, decoder.stats.frames) == (1, 0)


@pytest.mark.parametrize("vector", VECTORS["console"], ids=lambda v: v["why"])
def test_console_lines(vector: dict[str, str]) -> None:
    decoder = FrameDecoder()
    assert decoder.feed(vector["line"].encode() + b"\r\n") == [ConsoleLine(vector["line"])]
    assert decoder.stats.console_lines == 1


def test_unknown_kind_is_skipped_and_counted() -> None:
    decoder = FrameDecoder()
    assert decoder.feed(VECTORS["unknown"][0]["line"].encode() + b"\n") == []
    assert (decoder.stats.unknown, decoder.stats.corrupted) == (1, 0)


def test_stream_with_console_text() -> None:
    out, stats = decode_all(stream())
    assert out[0] == ConsoleLine("MicroPython v1.24 on micro:bit")
    assert out[6] == ConsoleLine("print me")
    assert [f.seq for f in out if isinstance(f, Frame)] == [v["seq"] for v in FRAMES]
    assert (stats.frames, stats.console_lines, stats.corrupted) == (len(FRAMES), 2, 0)
    assert stats.lost == 123456 - 19 - 1  # the done vector jumps from seq 19


def test_every_chunk_split_gives_the_same_result() -> None:
    data = stream()
    whole = decode_all(data)
    for cut in range(len(data) + 1):
        assert decode_all(data, [cut]) == whole
    rng = random.Random(7)
    for _ in range(50):
        cuts = sorted(rng.sample(range(len(data)), 20))
        assert decode_all(data, cuts) == whole
    assert decode_all(data, list(range(len(data)))) == whole  # one byte at a time


def test_flipped_characters_are_detected() -> None:
    for vector in FRAMES:
        line = vector["line"]
        for i, ch in enumerate(line):
            for flipped in {chr(ord(ch) ^ 1), chr(ord(ch) ^ 0x20), "~"} - {ch}:
                bad = line[:i] + flipped + line[i + 1 :]
                out = FrameDecoder().feed(bad.encode() + b"\n")
                assert not any(isinstance(x, Frame) for x in out), bad


def test_random_bytes_never_raise() -> None:
    rng = random.Random(1)
    pieces = [b"@k1 ", b"\n", b"\r", b"{", b"}", b'"', b" ", b"\xff", b"\xc3", b"0", b"@k1 5 "]
    for _ in range(300):
        data = b"".join(
            rng.choice(pieces) if rng.random() < 0.3 else bytes([rng.randrange(256)])
            for _ in range(rng.randrange(200))
        )
        decoder = FrameDecoder()
        decoder.feed(data)
        decoder.flush()


def test_sequence_accounting() -> None:
    decoder = FrameDecoder()

    def feed(seq: int, payload: dict[str, Any]) -> list[Frame | ConsoleLine]:
        return decoder.feed(encode_frame(seq, payload).encode() + b"\n")

    hello = {"k": "h", "t": 0, "v": {}}
    feed(0, hello)
    feed(1, {"k": "e", "t": 1, "n": "a"})
    assert feed(1, {"k": "e", "t": 1, "n": "a"}) == []  # the same line again
    feed(4, {"k": "e", "t": 2, "n": "a"})  # 2 and 3 lost
    feed(0, hello)  # the runtime restarted: not a loss
    feed(1, {"k": "d", "t": 5})
    s = decoder.stats
    assert (s.frames, s.duplicates, s.lost, s.restarts) == (5, 1, 2, 1)


def test_first_frame_sets_the_baseline() -> None:
    decoder = FrameDecoder()
    decoder.feed(encode_frame(40, {"k": "d", "t": 9}).encode() + b"\n")
    assert decoder.stats.lost == 0


def test_text_before_a_frame_on_the_same_line() -> None:
    line = FRAMES[3]["line"]
    out = FrameDecoder().feed(b"no newline>" + line.encode() + b"\n")
    assert out[0] == ConsoleLine("no newline>")
    assert isinstance(out[1], Frame) and out[1].name == "goal"


def test_partial_line_waits_then_flushes_as_console() -> None:
    decoder = FrameDecoder()
    assert decoder.feed(b">>> ") == []
    assert decoder.flush() == [ConsoleLine(">>> ")]
    assert decoder.flush() == []


def test_endless_line_is_cut_into_console_pieces() -> None:
    decoder = FrameDecoder()
    out = decoder.feed(b"x" * 40000)
    assert [len(x.text) for x in out if isinstance(x, ConsoleLine)] == [16384, 16384]


def test_invalid_utf8_console_text_is_replaced() -> None:
    assert FrameDecoder().feed(b"\xff\xfe ok\n") == [ConsoleLine("\ufffd\ufffd ok")]
