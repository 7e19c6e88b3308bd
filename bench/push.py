"""Put speed, whole process against whole process: `wearkit put` versus `mpremote fs cp`.

Run: .venv/bin/python bench/push.py [--rounds 5] [--baud 115200]
Both tools are timed the same way: as the command a user types, a fresh process each
copy, from start to exit, on a virtual board at 115200 baud. The files are real ones:
firmware/kit.py, an activity's main.py (activities/step-counter/main.py) and a ~16 KB
mix of firmware and activity sources. mpremote is given `--force` so that it always
copies (without it, it skips a file whose hash already matches). The board is
provisioned first (the kit runtime and the put helper on it), as a classroom board is.
Prints the median seconds of each tool and the ratio mpremote/wearkit (above 1: wearkit
is faster); the two tools alternate so that drift on the machine hits both alike.
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
from wearkit.link import open_link
from wearkit.provision import ensure_runtime
from wearkit.sim import start_fleet

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def mix_16k() -> bytes:
    """About 16 KB of real sources: the firmware, then activity scripts."""
    parts = [p.read_bytes() for p in sorted((ROOT / "firmware").glob("kit*.py"))]
    parts += [p.read_bytes() for p in sorted((ROOT / "activities").glob("*/main.py"))]
    return b"".join(parts)[:16384]


def timed(argv: list[str]) -> float:
    started = time.monotonic()
    done = subprocess.run(argv, capture_output=True, timeout=120)
    seconds = time.monotonic() - started
    if done.returncode != 0:
        raise SystemExit(f"{argv[0]} failed: {done.stderr.decode(errors='replace')}")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--baud", type=int, default=115200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        files = {
            "kit.py": (ROOT / "firmware" / "kit.py").read_bytes(),
            "main.py": (ROOT / "activities" / "step-counter" / "main.py").read_bytes(),
            "mix16k.py": mix_16k(),
        }
        profile = get_profile("esp32-wearable")
        with start_fleet(
            profile, 1, baud=args.baud, folder=Path(tmp) / "b", register=False
        ) as fleet:
            port = fleet.boards[0].port
            with open_link(port) as link:
                ensure_runtime(link, profile)
            print(f"virtual {profile.name} at {args.baud} baud; {args.rounds} rounds, medians")
            print(f"{'file':<10} {'bytes':>6} {'wearkit put':>12} {'mpremote cp':>12} {'ratio':>6}")
            for name, data in files.items():
                path = Path(tmp) / name
                path.write_bytes(data)
                ours: list[float] = []
                theirs: list[float] = []
                for _ in range(args.rounds):
                    ours.append(timed([str(BIN / "wearkit"), "put", port, str(path)]))
                    theirs.append(
                        timed(
                            [
                                str(BIN / "mpremote"),
                                "connect",
                                port,
                                "fs",
                                "cp",
                                "--force",
                                str(path),
                                f":{name}",
                            ]
                        )  # fmt: skip
                    )
                a, b = statistics.median(ours), statistics.median(theirs)
                print(f"{name:<10} {len(data):>6} {a:>11.3f}s {b:>11.3f}s {b / a:>5.2f}x")


if __name__ == "__main__":
    main()
