"""Put throughput on a 115200-baud virtual board: wearkit versus `mpremote fs cp`.

Run: .venv/bin/python bench/push.py [--rounds 3]
Prints bytes/s, percent of the line rate (11,520 bytes/s: 10 bits a byte) and the
ratio wearkit/mpremote, for a 4 KB and a 16 KB Python source file, sent plain and
deflate-compressed. Each tool opens the port afresh per copy (as a user's command
does); the two alternate so drift on the machine hits both alike.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from wearkit.boards import get_profile
from wearkit.link import SerialLink
from wearkit.sim import start_fleet

LINE_RATE = 115200 / 10
HOST = Path(__file__).resolve().parents[1] / "host" / "wearkit"


def source_of(size: int) -> bytes:
    """Real Python source (wearkit's own), cut to ``size`` bytes."""
    text = b"".join(p.read_bytes() for p in sorted(HOST.rglob("*.py")))
    return (text * (size // len(text) + 1))[:size]


def wearkit_put(port: str, data: bytes, compress: bool) -> float:
    started = time.monotonic()
    with SerialLink(port) as link:
        link.put(data, "bench.py", compress=compress)
    return time.monotonic() - started


def mpremote_put(port: str, path: Path) -> float:
    started = time.monotonic()
    command = ["connect", port, "fs", "cp", "--force", str(path), ":bench.py"]
    subprocess.run(
        [sys.executable, "-m", "mpremote", *command], check=True, capture_output=True, timeout=120
    )
    return time.monotonic() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    print(f"line rate at 115200 baud: {LINE_RATE:,.0f} bytes/s; {args.rounds} rounds, medians")
    with (
        tempfile.TemporaryDirectory() as tmp,
        start_fleet(
            get_profile("esp32-wearable"), 1, baud=115200, folder=Path(tmp) / "b", register=False
        ) as fleet,
    ):
        port = fleet.boards[0].port
        print(f"{'file':>6} {'tool':<22} {'bytes/s':>9} {'% line':>7} {'vs mpremote':>11}")
        for size in (4096, 16384):
            data = source_of(size)
            path = Path(tmp) / f"src{size}.py"
            path.write_bytes(data)
            times: dict[str, list[float]] = {"mpremote": [], "plain": [], "compressed": []}
            for _ in range(args.rounds):
                times["mpremote"].append(mpremote_put(port, path))
                times["plain"].append(wearkit_put(port, data, compress=False))
                times["compressed"].append(wearkit_put(port, data, compress=True))
            base = statistics.median(times["mpremote"])
            for tool, label in (("mpremote", "mpremote fs cp"), ("plain", "wearkit put"),
                                ("compressed", "wearkit put (deflate)")):  # fmt: skip
                seconds = statistics.median(times[tool])
                rate = size / seconds
                print(f"{size // 1024:>5}K {label:<22} {rate:>9,.0f} {rate / LINE_RATE:>7.0%} "
                      f"{base / seconds:>10.2f}x")  # fmt: skip


if __name__ == "__main__":
    main()
