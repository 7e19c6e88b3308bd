"""Which process owns a running run, and whether it is still alive.

A run records the host name, pid and (on Linux) the process's start time when it starts.
When wearkit opens the store again, runs still ``running`` whose process on this host is
gone are closed as ``interrupted``; another wearkit's live runs are left alone, and a run of
another host is never judged (its processes cannot be seen from here).
"""

from __future__ import annotations

import os
import socket
import sys
from dataclasses import dataclass

from sqlalchemy import Connection, select

from wearkit.store.engine import now
from wearkit.store.schema import runs


@dataclass(frozen=True)
class Owner:
    """A process that can own runs."""

    host: str
    pid: int
    started: int | None  # clock ticks after boot; None where it cannot be read cheaply


def this_process() -> Owner:
    """The owner of the runs this process starts."""
    return Owner(socket.gethostname(), os.getpid(), _start_time(os.getpid()))


def _start_time(pid: int) -> int | None:
    """Field 22 of /proc/<pid>/stat, or None (no /proc, no such process)."""
    stat = _proc_stat(pid)
    return None if stat is None else int(stat[19])


def _proc_stat(pid: int) -> list[str] | None:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as file:
            text = file.read()
    except OSError:
        return None
    # The command name (field 2) may hold spaces and ")": the fields resume after the last.
    return text[text.rindex(")") + 2 :].split()


def is_alive(pid: int, started: int | None) -> bool:
    """Whether process ``pid`` (started at ``started`` if known) is still running here."""
    if pid <= 0:
        return False
    if os.path.isdir("/proc/self"):
        stat = _proc_stat(pid)
        if stat is None:
            return False
        if stat[0] in ("Z", "X"):  # exited, not yet reaped by its parent
            return False
        return started is None or int(stat[19]) == started  # else the pid was reused
    if sys.platform == "win32":
        return _alive_on_windows(pid)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process: alive
    return True


if sys.platform == "win32":  # pragma: no cover - checked on Windows only
    import ctypes

    def _alive_on_windows(pid: int) -> bool:
        # os.kill(pid, 0) would terminate the process on Windows: ask for its exit code.
        kernel32 = ctypes.windll.kernel32
        handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return kernel32.GetLastError() == 5  # access denied: it exists
        try:
            code = ctypes.c_ulong()
            if not kernel32.GetExitCodeProcess(handle, ctypes.byref(code)):
                return True
            return code.value == 259  # STILL_ACTIVE
        finally:
            kernel32.CloseHandle(handle)


def abandoned(conn: Connection, me: Owner) -> list[tuple[int, int | None]]:
    """This host's running runs whose process is gone, as (run id, pid)."""
    query = select(runs.c.id, runs.c.pid, runs.c.pid_started).where(
        runs.c.outcome == "running", runs.c.host == me.host
    )
    return [
        (int(row.id), row.pid)
        for row in conn.execute(query)
        if row.pid is None or not is_alive(int(row.pid), row.pid_started)
    ]


def close_abandoned(conn: Connection, me: Owner, gone: list[tuple[int, int | None]]) -> None:
    """Close the runs ``gone`` as ``interrupted``, unless something closed them meanwhile."""
    for run_id, pid in gone:
        conn.execute(
            runs.update()
            .where(runs.c.id == run_id, runs.c.outcome == "running")
            .values(
                outcome="interrupted",
                ended_at=now(),
                error=f"wearkit (pid {pid} on {me.host}) stopped before it closed this run",
            )
        )
