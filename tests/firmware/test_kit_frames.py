"""The frames kit.py prints, checked against the shared vectors and the host decoder."""

from __future__ import annotations

import json
from pathlib import Path

from tests.firmware.firmware_helpers import RunBoard, results
from wearkit.frames import ConsoleLine, Frame, FrameDecoder

VECTORS = Path(__file__).parents[1] / "vectors" / "frames.json"


def test_firmware_encoder_produces_the_vector_lines(run_board: RunBoard) -> None:
    script = f"""\
import json, kit
with open({str(VECTORS)!r}) as f:
    vectors = json.load(f)["frames"]
for v in vectors:
    print("=" + json.dumps(kit._line(v["seq"], v["payload"])))
"""
    expected = [v["line"] for v in json.loads(VECTORS.read_text(encoding="utf-8"))["frames"]]
    assert results(run_board(script)) == expected


def test_a_run_decodes_on_the_host(run_board: RunBoard) -> None:
    script = """\
import kit
print("a student's own print")
kit.report("steps", 3)
kit.event("goal")
kit.sample(light=kit.light(), temp=21.25)
kit.done()
"""
    proc = run_board(script, "microbit-v1")
    decoder = FrameDecoder()
    out = decoder.feed(proc.stdout.replace("\n", "\r\n").encode()) + decoder.flush()
    frames = [x for x in out if isinstance(x, Frame)]
    assert [(f.seq, f.kind, f.name) for f in frames] == [
        (0, "hello", None), (1, "report", "steps"), (2, "event", "goal"), (3, "sample", None),
        (4, "done", None),
    ]  # fmt: skip
    assert frames[0].value == {
        "kit": "1.0", "hal": "micro:bit v1",
        "caps": ["accel", "light", "temp", "buttons", "touch", "display", "radio"],
    }  # fmt: skip
    assert frames[1].value == 3 and frames[3].value == {"light": 120, "temp": 21.25}
    assert all(a.t_ms <= b.t_ms for a, b in zip(frames, frames[1:], strict=False))
    assert out[1] == ConsoleLine("a student's own print")
    assert (decoder.stats.corrupted, decoder.stats.lost) == (0, 0)
