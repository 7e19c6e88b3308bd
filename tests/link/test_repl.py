"""The sans-IO raw-REPL reader: a run's bytes in, output and error text out (no port)."""

from __future__ import annotations

import random

import pytest

from wearkit.link.repl import RunReader

TRACEBACK = b'Traceback (most recent call last):\r\n  File "<stdin>", line 2\r\nValueError: x\r\n'


def run(
    reader: RunReader, stream: bytes, pieces: int = 1, seed: int = 0, clock: float = 0.0
) -> bytes:
    """Feed ``stream`` in ``pieces`` random cuts; return the output released."""
    rng = random.Random(seed)
    cuts = sorted(rng.sample(range(1, len(stream)), min(pieces - 1, len(stream) - 1)))
    out = b""
    for start, end in zip([0, *cuts], [*cuts, len(stream)], strict=True):
        out += reader.feed(stream[start:end], clock)
    return out


def test_plain_run_splits_output_and_error() -> None:
    reader = RunReader()
    out = run(reader, b"hello\r\n\x04" + TRACEBACK + b"\x04>")
    assert reader.finished and out == b"hello\r\n" and reader.error == TRACEBACK


def test_a_run_without_error_ends_at_once() -> None:
    reader = RunReader()
    assert reader.feed(b"42\r\n\x04\x04>") == b"42\r\n"
    assert reader.finished and reader.error == b""


def test_output_streams_until_a_0x04_arrives() -> None:
    reader = RunReader()
    assert reader.feed(b"one\r\n") == b"one\r\n"
    assert reader.feed(b"two\x04") == b"two"
    assert reader.holding and not reader.finished


@pytest.mark.parametrize("seed", range(40))
def test_every_byte_value_mid_output_never_ends_the_run(seed: int) -> None:
    rng = random.Random(seed)
    lines = [f"@k1 {i} reading {rng.random():.6f}\r\n".encode() for i in range(60)]
    body = bytearray(b"".join(lines))
    noise = list(range(256))
    rng.shuffle(noise)
    for value in noise:  # every value, 0x04, 0x01, 0x02, 0x05, '>' and '\r' included
        body.insert(rng.randrange(len(body) + 1), value)
    error = TRACEBACK if seed % 2 else b""
    reader = RunReader()
    out = run(
        reader, bytes(body) + b"\x04" + error + b"\x04>", pieces=rng.randint(1, 50), seed=seed
    )
    assert reader.finished
    assert out == bytes(body) and reader.error == error


def test_a_stray_0x04_is_released_once_too_much_follows() -> None:
    reader = RunReader(hold_bytes=100)
    out = reader.feed(b"a\x04b")
    out += reader.feed(b"x" * 200)
    assert out == b"a\x04b" + b"x" * 200 and not reader.finished
    out += reader.feed(b"\x04\x04>")
    assert reader.finished and out == b"a\x04b" + b"x" * 200


def test_a_stray_0x04_is_released_when_the_board_keeps_talking() -> None:
    reader = RunReader(hold_seconds=0.5)
    assert reader.feed(b"frame 1\x04", now=10.0) == b"frame 1"
    assert reader.feed(b"frame 2\r\n", now=10.2) == b""
    assert reader.poll(now=10.3) == b""  # not yet: a traceback may still be coming
    assert reader.poll(now=10.6) == b"\x04frame 2\r\n"
    assert reader.feed(b"frame 3\r\n", now=10.7) == b"frame 3\r\n"


def test_a_lone_end_marker_in_the_output_is_not_the_end() -> None:
    reader = RunReader()
    out = reader.feed(b"x\x04>y\r\n")
    assert not reader.finished
    out += reader.feed(b"\x04" + TRACEBACK + b"\x04>")
    assert reader.finished and out == b"x\x04>y\r\n" and reader.error == TRACEBACK


def test_an_end_with_noise_after_the_prompt_ends_at_once() -> None:
    """The board waits for the host after its prompt: what follows is noise, and a line
    that stays noisy must not keep the run from ending."""
    reader = RunReader(quiet_seconds=0.25)
    out = reader.feed(b"ok\r\n\x04\x04>\xff\x04", now=1.0)
    assert reader.finished and out == b"ok\r\n" and reader.error == b""
    assert reader.leftover == b"\xff\x04"


def test_an_end_split_across_chunks_with_noise_after_it() -> None:
    reader = RunReader()
    out = reader.feed(b"ok\r\n\x04Traceback\r\nValueError\r\n\x04", now=1.0)
    assert not reader.finished
    out += reader.feed(b">\x17\x04>>", now=1.1)
    assert reader.finished and out == b"ok\r\n"
    assert reader.error == b"Traceback\r\nValueError\r\n"
