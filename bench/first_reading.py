"""Time from `wearkit run` to the first reading, and `wearkit try`'s wall time.

Run: .venv/bin/python bench/first_reading.py [--rounds 5] [--activity night-light]
On a registered 115200-baud virtual micro:bit v2 with the runtime already installed,
measures from starting the `wearkit run` process to the first reading (a JSON line)
it prints; then times `wearkit try` (fresh board, runtime push, pass scenario).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

from wearkit.boards import get_profile
from wearkit.sim import start_fleet

WEARKIT = [sys.executable, "-m", "wearkit.cli"]


def first_reading(port: str, activity: str) -> float:
    started = time.monotonic()
    process = subprocess.Popen(
        [*WEARKIT, "run", activity, "--port", port, "--json", "--store", "sqlite://"],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert process.stdout is not None
    try:
        for line in process.stdout:
            if '"event": "reading"' in line or '"event": "report"' in line:
                return time.monotonic() - started
        raise SystemExit("no reading arrived")
    finally:
        process.kill()
        process.wait()
        process.stdout.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--activity", default="night-light")
    args = parser.parse_args()
    with start_fleet(get_profile("microbit-v2"), 1, baud=115200) as fleet:
        port = fleet.boards[0].port
        subprocess.run([*WEARKIT, "run", args.activity, "--port", port, "--store", "sqlite://",
                        "--timeout", "2"], capture_output=True, check=False)  # fmt: skip
        times = [first_reading(port, args.activity) for _ in range(args.rounds)]
    print(f"wearkit run -> first reading (115200 baud, runtime installed): "
          f"median {statistics.median(times):.2f} s, max {max(times):.2f} s "
          f"over {args.rounds} runs")  # fmt: skip
    tries = []
    for _ in range(max(1, args.rounds // 2)):
        started = time.monotonic()
        subprocess.run([*WEARKIT, "try", args.activity], capture_output=True, check=True)
        tries.append(time.monotonic() - started)
    print(f"wearkit try {args.activity} (fresh board, runtime push, pass scenario, speed 20): "
          f"median {statistics.median(tries):.2f} s")  # fmt: skip


if __name__ == "__main__":
    main()
