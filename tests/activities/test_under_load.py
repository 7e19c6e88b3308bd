"""The same verdicts with every core busy: a representative part of the activity catalogue's
corpora (one passing and one failing trace of every activity with a corpus, the failing one
a near miss where there is one) replays on virtual boards while busy-looping processes keep
the host's cores at 100 %. A virtual board's clock must not let the host's load change what
a student is judged to have done."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.activities.test_corpus import CATALOGUE, FAMILIES, SPEED
from wearkit.classroom.run import RunOutcome
from wearkit.classroom.tryout import try_activity

#: per activity: a passing trace and a failing one (a near miss where the corpus has one)
PICKED = {
    "step-counter": ("pass-wrist-tilted", "fail-chatter-tilted"),
    "high-five": ("pass-claps-fast", "fail-jogging"),
    "night-light": ("pass-bright-flicker-quick-cover", "fail-flicker-only"),
    "touch-glove": ("pass-crosstalk-every-touch", "fail-never-together"),
    "reaction-timer": ("pass-sharp", "fail-anticipates"),
    "combination-lock": ("pass-fast-after-wrong", "fail-bounce-three-presses"),
    "morse-messenger": ("pass-hi-sos-b-right-after", "fail-b-mid-letter"),
    "posture-alert": ("pass-upright-tilted", "fail-brief-leans"),
    "fever-patch": ("pass-cold-room", "fail-radiator"),
    "noise-meter": ("pass-fan-room", "fail-knocks"),
    "tilt-rainbow": ("pass-worn-tilted", "fail-three-then-shaking"),
    "radio-relay": ("pass-worn-button", "fail-wobbly-presses"),
}
HOGS = max(2, min(os.cpu_count() or 2, 4))


def _cases() -> list[tuple[str, str, Path]]:
    """(slug, family, trace): each picked trace on the first of its activity's families."""
    cases = []
    for slug, names in PICKED.items():
        folder = CATALOGUE[slug].path / "scenarios" / "corpus"
        cases += [(slug, FAMILIES[slug][0], folder / f"{name}.csv") for name in names]
    return cases


def _busy_seconds(pid: int) -> float:
    """CPU seconds a process has used (Linux's /proc; 0 where there is none)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _play(case: tuple[str, str, Path]) -> RunOutcome:
    slug, family, path = case
    speed = SPEED.get(slug, 40.0)
    return try_activity(CATALOGUE[slug], family=family, scenario=str(path), speed=speed, baud=None)


def test_the_picked_traces_exist() -> None:
    assert set(PICKED) == set(FAMILIES)
    for _, _, path in _cases():
        assert path.is_file(), path


@pytest.mark.slow
@pytest.mark.timeout(240)
def test_verdicts_hold_with_every_core_busy() -> None:
    cases = _cases()
    hogs = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(HOGS)]
    started = time.monotonic()
    try:
        with ThreadPoolExecutor(2) as pool:
            outcomes = list(pool.map(_play, cases))
        busy = sum(_busy_seconds(h.pid) for h in hogs)
        alive = [h.poll() is None for h in hogs]
    finally:
        for hog in hogs:
            hog.kill()
            hog.wait()
    wall = time.monotonic() - started
    assert all(alive), "a CPU hog died: the runs were not under load"
    if Path("/proc/self/stat").exists():
        # the hogs really ran: a fifth of a core at least, even when other tests (or other
        # users of a shared CI machine) take their share of the cores too
        assert busy > 0.2 * wall, (busy, wall)
    wrong = []
    for (slug, family, path), outcome in zip(cases, outcomes, strict=True):
        expected = CATALOGUE[slug].scenario_expectation(path.stem)
        if (
            outcome.traceback
            or outcome.corrupted
            or outcome.lost
            or outcome.complete is not expected
        ):
            wrong.append((f"{slug}/{path.stem} on {family}", outcome.traceback, outcome.tasks))
    assert not wrong, wrong
