"""One event bus for the web and the CLI: every board's events, to every subscriber.

Publishing never waits for a subscriber: each has its own queue. Readings and console
lines (many a second per board) are kept per board in a short ring, so a subscriber that
falls behind loses the oldest of them and catches up on the newest; every other event
(states, tasks, completions) is kept whole, for every subscriber, in order.

Each event gets an id ``<epoch>-<n>``; the bus remembers the last `HISTORY` events that are
never dropped, so a subscriber that comes back with the last id it saw (an SSE client's
``Last-Event-ID``) is given what it missed. An id from another epoch (the server restarted)
or older than the history cannot be resumed: `subscribe` says so, and the caller sends a
fresh snapshot first.
"""

from __future__ import annotations

import json
import secrets
import threading
from collections import deque
from dataclasses import dataclass
from typing import Any

from wearkit.classroom.events import Event

#: Event kinds a slow subscriber may lose the oldest of (the newest always arrives).
DROPPABLE = frozenset({"reading", "console"})
#: Droppable events kept per board for a subscriber that has not read them yet.
RING = 64
#: Events a subscriber's queue holds before its oldest droppable ones are trimmed.
LIMIT = 4096
#: Events that are never dropped, remembered for subscribers that resume.
HISTORY = 5000


@dataclass(frozen=True)
class Posted:
    """An event as published: its id, its JSON form (``data``, and ``text`` serialised
    once for every subscriber), and whether it may be dropped."""

    id: str
    n: int
    data: dict[str, Any]
    droppable: bool
    text: str


class Subscription:
    """One subscriber's queue. `get` waits for events and returns them in order.

    The publisher only appends to a deque (atomic in CPython) and never takes the
    subscriber's lock, so thirty readers never hold up a board: the lock is taken by `get`
    and by the rare compaction of a queue that grew past `LIMIT` (a reader that stopped).
    """

    def __init__(self, bus: EventBus, board: str | None) -> None:
        self._bus = bus
        self.board = board
        self._queue: deque[Posted] = deque()
        self._lock = threading.Lock()
        self._ready = threading.Event()
        self.dropped = 0  # droppable events this subscriber never saw
        self.closed = False

    def _offer(self, posted: Posted) -> None:
        """Queue ``posted`` (the bus holds its lock: offers come one at a time, in order)."""
        if self.board is not None and posted.data.get("board") not in (None, self.board):
            return
        self._queue.append(posted)
        if len(self._queue) > LIMIT:
            with self._lock:
                kept = self._trim(list(self._queue))
                self._queue.clear()
                self._queue.extend(kept)
        if not self._ready.is_set():
            self._ready.set()

    def _trim(self, items: list[Posted]) -> list[Posted]:
        """``items`` without the droppable events beyond the newest `RING` of each board."""
        seen: dict[object, int] = {}
        keep = [True] * len(items)
        for index in range(len(items) - 1, -1, -1):
            posted = items[index]
            if posted.droppable:
                board = posted.data.get("board")
                seen[board] = count = seen.get(board, 0) + 1
                if count > RING:
                    keep[index] = False
                    self.dropped += 1
        return [p for p, k in zip(items, keep, strict=True) if k]

    def get(self, timeout: float | None = None) -> list[Posted]:
        """Every event queued since the last call, oldest first; [] after ``timeout``."""
        if not self._ready.wait(timeout):
            return []
        self._ready.clear()
        items: list[Posted] = []
        with self._lock:
            pop = self._queue.popleft
            while True:
                try:
                    items.append(pop())
                except IndexError:
                    break
        return self._trim(items)

    def close(self) -> None:
        """Stop receiving; wakes a `get` that waits."""
        self._bus._unsubscribe(self)
        self.closed = True
        self._ready.set()


class EventBus:
    """Publish events; subscribers each get them in order, at their own pace."""

    def __init__(self) -> None:
        self.epoch = secrets.token_hex(3)
        self._lock = threading.Lock()
        self._last = 0  # the id number of the newest event
        self._subs: list[Subscription] = []
        self._history: deque[Posted] = deque(maxlen=HISTORY)
        self._forgotten = 0  # the newest event pushed out of the history

    def publish(self, event: Event) -> Posted:
        """Give ``event`` an id and queue it for every subscriber; never blocks on one."""
        data = event.to_json()
        text = json.dumps(data, separators=(",", ":"))
        with self._lock:
            n = self._last = self._last + 1
            posted = Posted(f"{self.epoch}-{n}", n, data, event.kind in DROPPABLE, text)
            if not posted.droppable:
                if len(self._history) == HISTORY:
                    self._forgotten = self._history[0].n
                self._history.append(posted)
            for sub in self._subs:
                sub._offer(posted)
        return posted

    def subscribe(
        self, last_id: str | None = None, *, board: str | None = None
    ) -> tuple[Subscription, bool]:
        """A new subscription (only ``board``'s events if given), and whether it resumed.

        With ``last_id`` from this epoch and within the history, the events after it that
        are never dropped are queued first and the second value is True; otherwise the
        subscriber starts from now (False: send it a snapshot).
        """
        sub = Subscription(self, board)
        with self._lock:
            resumed = False
            after = self._parse(last_id)
            if after is not None and self._forgotten <= after <= self._last:
                for posted in self._history:
                    if posted.n > after:
                        sub._offer(posted)
                resumed = True
            self._subs.append(sub)
        return sub, resumed

    def _parse(self, last_id: str | None) -> int | None:
        if not last_id:
            return None
        epoch, _, n = last_id.partition("-")
        if epoch != self.epoch or not n.isdigit():
            return None
        return int(n)

    def _unsubscribe(self, sub: Subscription) -> None:
        with self._lock:
            if sub in self._subs:
                self._subs.remove(sub)

    @property
    def subscribers(self) -> int:
        """How many subscriptions are open."""
        with self._lock:
            return len(self._subs)
