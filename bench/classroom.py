"""A whole classroom through the web app: 30 boards streaming, 30 browsers following.

Run: .venv/bin/python bench/classroom.py [--boards 30] [--clients 30] [--seconds 20]

`wearkit sim` starts the virtual boards in one process (their interpreters and USB-serial
bridges are the boards' CPU, not the host's) and notes when each board printed each frame
(``WEARKIT_SIM_TRACE``). `wearkit serve` finds them as a classroom, exactly as it finds USB
boards, and serves the web app. This process signs in as the dashboard does, starts an
activity that streams 20 readings a second on every board, and opens ``--clients`` event
streams (``GET /api/events``), each reading every event (one in six also parses and
times its readings, so this process stays a light load). It prints:

- frames lost between board and store: what each board printed against what the store
  recorded for its run (and the decoder's lost and corrupted counts);
- the time from a board printing a frame to each client receiving its event, median and
  p95, over every reading every client received;
- the host's CPU (the `wearkit serve` process, every thread) as a share of one core, and
  its memory (RSS), over the window in which every board streams.
"""

from __future__ import annotations

import argparse
import http.client
import http.cookiejar
import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any

from cpu_per_frame import make_activity

from wearkit.store import open_store

TICKS = os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def cpu_seconds(pid: int) -> float:
    """User + system CPU of process ``pid`` so far (every thread)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


class Facilitator:
    """The dashboard's requests: a session cookie and its CSRF token."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )
        page = self.opener.open(url + "/", timeout=10).read().decode()
        found = re.search(r'<meta name="csrf-token" content="([^"]+)"', page)
        if found is None:
            raise SystemExit("the dashboard has no CSRF token")
        self.token = found.group(1)

    def get(self, path: str) -> Any:
        return json.loads(self.opener.open(self.url + path, timeout=30).read())

    def post(self, path: str, body: Any) -> Any:
        request = urllib.request.Request(
            self.url + path,
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json", "X-CSRF-Token": self.token},
        )
        return json.loads(self.opener.open(request, timeout=30).read())


class Client(threading.Thread):
    """One browser tab following the event stream: when each reading arrived."""

    def __init__(self, port: int, stop: threading.Event, timed: bool) -> None:
        super().__init__(daemon=True)
        self.port = port
        self.stop = stop
        self.timed = timed  # parse and time its readings (else only count its events)
        # (board, seq, when the host made the event, when this client received it)
        self.arrived: list[tuple[str, int, float, float]] = []
        self.events = 0
        self.connected = threading.Event()

    def run(self) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        conn.request("GET", "/api/events", headers={"Accept": "text/event-stream"})
        answer = conn.getresponse()
        self.connected.set()
        tail = b""
        while not self.stop.is_set():
            chunk = answer.read1(65536)
            now = time.time()
            if not chunk:
                break
            if not self.timed:
                self.events += (tail + chunk).count(b"\ndata: ") - tail.count(b"\ndata: ")
                tail = chunk[-8:]
                continue
            tail += chunk
            *lines, tail = tail.split(b"\n")
            for line in lines:
                if not line.startswith(b"data: "):
                    continue
                self.events += 1
                if b'"reading"' in line:
                    event = json.loads(line[6:])
                    if event.get("seq") is not None:
                        self.arrived.append((event["board"], event["seq"], event["at"], now))
        conn.close()


def read_trace(path: Path) -> dict[tuple[str, int], float]:
    printed: dict[tuple[str, int], float] = {}
    for line in path.read_text().splitlines():
        board, seq, at = line.split()
        printed.setdefault((board, int(seq)), float(at))
    return printed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--boards", type=int, default=30)
    parser.add_argument("--clients", type=int, default=30)
    parser.add_argument("--seconds", type=int, default=20)
    args = parser.parse_args()

    root = Path(tempfile.mkdtemp(prefix="wearkit-bench-classroom-"))
    trace = root / "frames.trace"
    env = {**os.environ, "WEARKIT_HOME": str(root / "home")}
    activities = make_activity(root / "activities" / "stream", args.seconds + 30).parent
    store_url = f"sqlite:///{root / 'classroom.db'}"
    sim = subprocess.Popen(
        [sys.executable, "-m", "wearkit.cli", "sim", "--boards", str(args.boards),
         "--family", "microbit-v2"],
        stdout=subprocess.PIPE, text=True, env={**env, "WEARKIT_SIM_TRACE": str(trace)},
    )  # fmt: skip
    assert sim.stdout is not None
    names = [sim.stdout.readline().split()[2] for _ in range(args.boards)]
    port = free_port()
    serve = subprocess.Popen(
        [sys.executable, "-m", "wearkit.cli", "serve", "--port", str(port),
         "--activities", str(activities), "--store", store_url],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env,
    )  # fmt: skip
    stop = threading.Event()
    try:
        assert serve.stdout is not None
        for line in serve.stdout:
            if "wearkit serve: open" in line:
                break
        url = f"http://127.0.0.1:{port}"
        facilitator = Facilitator(url)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            boards = facilitator.get("/api/boards")["boards"]
            if len(boards) == args.boards and all(b["state"] != "connected" for b in boards):
                break
            time.sleep(0.5)
        else:
            raise SystemExit("the boards did not all show up on the dashboard")
        # Every client reads every event; one in six also times its readings (parsing
        # every event in every client would make this process, not the host, the load).
        clients = [Client(port, stop, index % 6 == 0) for index in range(args.clients)]
        for client in clients:
            client.start()
            client.connected.wait(10)
        runs = facilitator.post("/api/runs", {"board": names, "activity": "stream"})["runs"]
        # The window: from every board streaming to --seconds later.
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            boards = facilitator.get("/api/boards")["boards"]
            if all(b["latest"] for b in boards):
                break
            time.sleep(0.2)
        cpu0, sim0, wall0 = cpu_seconds(serve.pid), cpu_seconds(sim.pid), time.monotonic()
        time.sleep(args.seconds)
        cpu1, sim1, wall1 = cpu_seconds(serve.pid), cpu_seconds(sim.pid), time.monotonic()
        memory = rss_mb(serve.pid)
        for run in runs:
            facilitator.post(f"/api/runs/{run['id']}/stop", {})
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            states = [facilitator.get(f"/api/runs/{r['id']}")["state"] for r in runs]
            if "running" not in states:
                break
            time.sleep(0.5)
        stop.set()
    finally:
        serve.send_signal(signal.SIGINT)
        serve.wait(60)
        sim.send_signal(signal.SIGINT)
        sim.wait(60)

    printed = read_trace(trace)
    per_board_printed: dict[str, int] = {}
    for board, _seq in printed:
        per_board_printed[board] = per_board_printed.get(board, 0) + 1
    with open_store(store_url) as store:
        stored = {run.board_name: run for run in store.list_runs(limit=1000)}
    lost = sum(run.lost for run in stored.values())
    corrupted = sum(run.corrupted for run in stored.values())
    missing = sum(max(0, per_board_printed.get(n, 0) - stored[n].frames) for n in stored)
    timed = [
        (printed[(board, seq)], made, at)
        for client in clients
        for board, seq, made, at in client.arrived
        if (board, seq) in printed
    ]
    latencies = sorted((at - board) * 1000 for board, _made, at in timed)
    to_host = sorted((made - board) * 1000 for board, made, _at in timed)
    to_client = sorted((at - made) * 1000 for _board, made, at in timed)
    received = sum(client.events for client in clients)
    print(f"host: {os.cpu_count()} cores; {args.boards} boards streaming 20 readings/s, "
          f"{args.clients} event-stream clients, {args.seconds} s window")  # fmt: skip
    print(f"frames printed by the boards: {sum(per_board_printed.values())}; recorded by the "
          f"store: {sum(r.frames for r in stored.values())}; printed but not recorded: "
          f"{missing}; lost (seq gaps): {lost}; corrupted: {corrupted}")  # fmt: skip
    print(f"events received by the clients: {received} ({len(latencies)} readings timed)")
    if latencies:
        p95 = latencies[int(len(latencies) * 0.95)]
        print(f"board printed -> client received: median {statistics.median(latencies):.1f} ms, "
              f"p95 {p95:.1f} ms, max {latencies[-1]:.1f} ms")  # fmt: skip
        for label, part in (("board -> host event", to_host), ("host event -> client", to_client)):
            print(f"  of which {label}: median {statistics.median(part):.1f} ms, "
                  f"p95 {part[int(len(part) * 0.95)]:.1f} ms")  # fmt: skip
    print(f"host (wearkit serve) CPU: {(cpu1 - cpu0) / (wall1 - wall0) * 100:.1f}% of one core; "
          f"memory {memory:.0f} MB RSS")  # fmt: skip
    bridges = (sim1 - sim0) / (wall1 - wall0) * 100
    print(f"(the boards' USB-serial bridges, in the wearkit sim process, took {bridges:.1f}% "
          "of one core; their interpreters more)")  # fmt: skip


if __name__ == "__main__":
    main()
