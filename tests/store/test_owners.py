"""Runs a killed wearkit left running are closed on the next open; live ones never are."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy

from tests.store.store_helpers import start
from wearkit.store import open_store
from wearkit.store.owners import is_alive, this_process

HOLDER = textwrap.dedent(
    """
    import sys
    sys.path.insert(0, sys.argv[2])
    from store_helpers import start
    from wearkit.store import open_store
    store = open_store(sys.argv[1])
    print(store.start_run(start()), flush=True)
    sys.stdin.readline()  # hold the run until told (or killed)
    """
)

LOOKER = textwrap.dedent(
    """
    import sys
    from wearkit.store import open_store
    with open_store(sys.argv[1]) as store:
        print(store.get_run(int(sys.argv[2])).outcome)
    """
)


@pytest.fixture
def holder(db_url: str) -> Iterator[tuple[subprocess.Popen[str], int]]:
    """A wearkit process in the middle of a run: (the process, its run id)."""
    with subprocess.Popen(
        [sys.executable, "-c", HOLDER, db_url, str(Path(__file__).parent)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    ) as process:  # closes its pipes on the way out
        assert process.stdout is not None
        run_id = int(process.stdout.readline())
        yield process, run_id
        if process.poll() is None:
            process.kill()
        process.wait(timeout=30)


def look(db_url: str, run_id: int) -> str:
    """Open the store in another wearkit process; the run's outcome it then sees."""
    looker = subprocess.run(
        [sys.executable, "-c", LOOKER, db_url, str(run_id)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert looker.returncode == 0, looker.stderr
    return looker.stdout.strip()


def test_another_process_never_closes_a_live_run(
    db_url: str, holder: tuple[subprocess.Popen[str], int]
) -> None:
    process, run_id = holder
    assert look(db_url, run_id) == "running"
    with open_store(db_url) as here:
        assert here.get_run(run_id).outcome == "running"
    process.kill()
    process.wait(timeout=30)
    assert look(db_url, run_id) == "interrupted"
    with open_store(db_url) as after:
        run = after.get_run(run_id)
        assert run.ended_at is not None
        assert run.error is not None and f"pid {process.pid}" in run.error


def test_a_killed_hosts_run_is_closed_on_the_next_open(
    db_url: str, holder: tuple[subprocess.Popen[str], int]
) -> None:
    process, run_id = holder
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    with open_store(db_url) as reopened:
        assert reopened.get_run(run_id).outcome == "interrupted"
        assert reopened.list_runs()[0].outcome == "interrupted"


def test_a_reused_pid_does_not_keep_a_run_open(db_url: str) -> None:
    with open_store(db_url) as store:
        mine = store.start_run(start())
        reused = store.start_run(start())
        elsewhere = store.start_run(start())
        closed = store.start_run(start())
        store.finish_run(closed, "complete")
    engine = sqlalchemy.create_engine(db_url)
    with engine.begin() as db:
        # This process's pid, but a process that started at another time: not ours.
        db.exec_driver_sql("UPDATE runs SET pid_started = pid_started + 1 WHERE id = ?", (reused,))
        # Another laptop's run on a shared store: its processes cannot be seen from here.
        db.exec_driver_sql("UPDATE runs SET host = 'laptop-2', pid = 1 WHERE id = ?", (elsewhere,))
    engine.dispose()
    with open_store(db_url) as reopened:
        outcomes = [reopened.get_run(r).outcome for r in (mine, reused, elsewhere, closed)]
    assert outcomes == ["running", "interrupted", "running", "complete"]


def test_is_alive() -> None:
    me = this_process()
    assert me.pid == os.getpid() and is_alive(me.pid, me.started)
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait(timeout=30)
    assert not is_alive(child.pid, None)
    assert not is_alive(0, None)
