"""Seeded generator of realistic temperature and sound traces: the fever patch and the noise
meter.

Run ``.venv/bin/python tools/scenarios/room.py`` to (re)write
``activities/fever-patch/scenarios/corpus/{pass,fail}-*.csv`` and
``activities/noise-meter/scenarios/corpus/{pass,fail}-*.csv``, and the catalogue's own
``scenarios/pass.csv``, ``fail.csv`` (copies of short corpus members). The same seed always
writes the same files. Every file starts with comment lines saying what it models, its seed
and its ground truth (``# truth: name=N``); the name's prefix is the expected verdict
(``pass-*`` completes every board task, ``fail-*`` leaves one undone), and
``tests/activities/test_corpus.py`` replays each on two board families.

What is modelled:

- **Warmth** (°C, a row every 0.5 s): a room at 15-27 °C that drifts (a window, the heating,
  the sun: up to about 2 °C in 90 s); a board whose own electronics keep its sensor 0.5-2.5
  °C above the air; the sensor following what touches it as a first-order lag (dT/dt =
  (target - T) / tau): cupped hands (target 6-12 °C above the room, tau 35-70 s: a board
  never gets as warm as skin), cold hands (2 °C), breath (a few degrees for 2-3 s a puff),
  a radiator (55-70 °C, tau 40-70 s), still air again when it is put down (tau 90-130 s);
  sensor noise (sd 0.1-0.3 °C, more on a noisy one) and one-reading electrical spikes
  (+4-8 °C). The micro:bit's whole-degree resolution is the simulator's job (its profile).
- **Sound** (level 0-255, a row every 20 ms): the room's hum (a quiet room 5-20, a
  projector fan 45-55) with noise; chatter as syllables (120-250 ms at 60-170, 4-6 a second,
  with pauses between phrases), whispering (35-80) and soft murmur (31-39); claps (a sound
  meter's fast response holds a clap above 200 for 110-200 ms, then it decays), shouts
  (0.3-0.8 s at 205-240), near-miss claps (185-198), knocks on the board itself (20-40 ms
  at 215-255: a structure-borne spike, not a loud room), coughs and giggles (0.25-0.8 s at
  70-150), chair creaks (60-100 ms at 60-120).
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from pathlib import Path

SEED = 7
ROOT = Path(__file__).resolve().parents[2]
ACTIVITIES = ROOT / "activities"


def write(path: Path, header: str, rows: list[str], what: str, seed: int, truth: dict) -> None:
    """A scenario file: comment lines (what, seed, truth), the header, the rows."""
    lines = [f"# {line}" for line in what.strip().splitlines()]
    lines.append(f"# made by tools/scenarios/room.py, seed {seed}")
    lines.append("# truth: " + " ".join(f"{k}={v}" for k, v in truth.items()))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join([*lines, header, *rows]) + "\n", encoding="utf-8")


# ---------------------------------------------------------------------------------------------
# Warmth


class Warmth:
    """The temperature a board's sensor reads, as what touches it changes."""

    def __init__(self, rng: random.Random, room: float, seconds: float = 90.0) -> None:
        self.rng = rng
        self.room = room
        self.drift = 0.0  # °C per second
        self.seconds = seconds
        self.offset = rng.uniform(0.5, 2.5)  # the board's own electronics warm its sensor
        self.noise = rng.uniform(0.1, 0.3)
        # (from, to, target above the room or absolute, tau, absolute?)
        self.touches: list[tuple[float, float, float, float, bool]] = []
        self.air_tau = rng.uniform(90, 130)
        self.spikes: list[float] = []
        self.truth = {"held": 0, "warmest": 0}

    def room_at(self, t: float) -> float:
        return self.room + self.drift * t

    def hands(self, start: float, end: float, above: float | None = None) -> None:
        """Cupped hands from ``start`` to ``end``: ``above`` °C over the room, tau 35-70 s."""
        rng = self.rng
        up = above if above is not None else rng.uniform(6, 12)
        self.touches.append((start, end, up, rng.uniform(35, 70), False))
        self.truth["held"] += 1

    def breath(self, start: float, puffs: int) -> float:
        """Puffs of breath, 2-3 s each with 2-4 s between; returns when they end."""
        rng = self.rng
        t = start
        for _ in range(puffs):
            length = rng.uniform(2, 3)
            self.touches.append((t, t + length, rng.uniform(9, 13), rng.uniform(15, 25), False))
            t += length + rng.uniform(2, 4)
        return t

    def radiator(self, start: float) -> None:
        rng = self.rng
        self.touches.append((start, self.seconds, rng.uniform(55, 70), rng.uniform(40, 70), True))

    def rows(self) -> list[str]:
        rng = self.rng
        temp = self.room + self.offset
        out = []
        dt = 0.1
        for i in range(round(self.seconds / dt) + 1):
            t = i * dt
            target, tau = self.room_at(t) + self.offset, self.air_tau
            for start, end, value, how_fast, absolute in self.touches:
                if start <= t < end:
                    target = value if absolute else self.room_at(t) + value
                    tau = how_fast
            if i:
                temp += (target - temp) * (1 - math.exp(-dt / tau))
            self.truth["warmest"] = max(
                self.truth["warmest"], round(temp - self.room_at(t) - self.offset)
            )
            if i % 5 == 0:
                read = temp + rng.gauss(0, self.noise)
                out.append(f"{t:.1f},{read:.2f}")
                for spike in self.spikes:
                    if t <= spike < t + 0.5:  # one reading's worth of an electrical spike
                        out.append(f"{t + 0.2:.1f},{read + rng.uniform(4, 8):.2f}")
                        out.append(f"{t + 0.3:.1f},{read:.2f}")
        return out


def fever_scenarios() -> dict[str, tuple[str, Callable[[random.Random], Warmth]]]:
    def typical(rng: random.Random) -> Warmth:
        w = Warmth(rng, rng.uniform(20, 23))
        w.hands(rng.uniform(4, 8), 90)
        return w

    def cold_room(rng: random.Random) -> Warmth:
        w = Warmth(rng, rng.uniform(15, 17))
        w.hands(rng.uniform(4, 8), 90, above=rng.uniform(10, 13))
        return w

    def warm_room(rng: random.Random) -> Warmth:
        w = Warmth(rng, rng.uniform(25, 27))
        w.hands(rng.uniform(4, 6), 90, above=rng.uniform(6, 8))
        return w

    def late_start(rng: random.Random) -> Warmth:
        w = Warmth(rng, rng.uniform(19, 23))
        w.hands(rng.uniform(22, 28), 90, above=rng.uniform(9, 12))
        return w

    def breath_then_hands(rng: random.Random) -> Warmth:
        w = Warmth(rng, rng.uniform(19, 23))
        end = w.breath(rng.uniform(4, 6), 3)
        w.hands(end + rng.uniform(1, 3), 90)
        return w

    def window_open(rng: random.Random) -> Warmth:
        w = Warmth(rng, rng.uniform(20, 23))
        w.drift = -rng.uniform(0.015, 0.025)  # a window is opened: 1.5-2 °C colder in 90 s
        w.hands(rng.uniform(4, 8), 90)
        return w

    def put_down_and_again(rng: random.Random) -> Warmth:
        w = Warmth(rng, rng.uniform(19, 23))
        first = rng.uniform(4, 6)
        w.hands(first, first + rng.uniform(8, 12))
        w.hands(first + rng.uniform(18, 22), 90)
        return w

    def noisy_spiky(rng: random.Random) -> Warmth:
        w = Warmth(rng, rng.uniform(19, 23))
        w.noise = rng.uniform(0.3, 0.45)
        w.spikes = sorted(rng.uniform(5, 85) for _ in range(6))
        w.hands(rng.uniform(4, 8), 90)
        return w

    # ---- fail
    def on_the_table(rng: random.Random) -> Warmth:
        w = Warmth(rng, rng.uniform(19, 23))
        w.drift = rng.uniform(0.01, 0.017)  # the heating comes on: 1-1.5 °C in 90 s
        return w

    def radiator(rng: random.Random) -> Warmth:
        w = Warmth(rng, rng.uniform(18, 22))
        w.radiator(rng.uniform(4, 10))
        return w

    def quick_hold(rng: random.Random) -> Warmth:
        w = Warmth(rng, rng.uniform(19, 23))
        start = rng.uniform(4, 8)
        w.hands(start, start + rng.uniform(8, 10), above=rng.uniform(6, 9))
        return w

    def breath_only(rng: random.Random) -> Warmth:
        w = Warmth(rng, rng.uniform(19, 23))
        w.breath(rng.uniform(4, 6), 2)  # then it is left to cool
        return w

    def warm_sunny_room(rng: random.Random) -> Warmth:
        w = Warmth(rng, rng.uniform(26.5, 27.5))
        w.offset = rng.uniform(1.0, 1.5)
        w.drift = rng.uniform(0.02, 0.025)  # the sun comes in: about 2 °C in 90 s
        return w

    def spikes_on_table(rng: random.Random) -> Warmth:
        w = Warmth(rng, rng.uniform(19, 23))
        w.noise = rng.uniform(0.3, 0.45)
        w.spikes = sorted(rng.uniform(5, 85) for _ in range(10))
        return w

    def cold_hands(rng: random.Random) -> Warmth:
        w = Warmth(rng, rng.uniform(19, 23))
        w.hands(rng.uniform(4, 8), 90, above=rng.uniform(2.3, 2.6))
        return w

    return {
        "pass-hands-typical": (
            "A room at 20-23 °C; cupped hands from 4-8 s warm the board towards 6-12 °C above "
            "the room (tau 35-70 s).",
            typical,
        ),
        "pass-cold-room": (
            "A cold room (15-17 °C): the board never reaches 30 °C, but it does get 3 °C "
            "warmer than the room and settles.",
            cold_room,
        ),
        "pass-warm-room": (
            "A warm room (25-27 °C): hands take it 6-8 °C above the room.",
            warm_room,
        ),
        "pass-late-start": ("Left on the table, picked up after 22-28 s.", late_start),
        "pass-breath-then-hands": (
            "Three puffs of breath first (a quick bump each), then cupped hands.",
            breath_then_hands,
        ),
        "pass-window-open": (
            "A window is opened: the room cools 1.5-2 °C while the board is held.",
            window_open,
        ),
        "pass-put-down-and-again": (
            "Held 8-12 s, put down for a while (it cools), then held until the alert.",
            put_down_and_again,
        ),
        "pass-noisy-spiky-sensor": (
            "A noisy sensor (sd 0.3-0.45 °C) with six one-reading spikes of +4-8 °C; held.",
            noisy_spiky,
        ),
        "fail-on-the-table": (
            "Nobody touches it; the heating comes on (the room warms 1-1.5 °C).",
            on_the_table,
        ),
        "fail-radiator": (
            "Near miss: left on a radiator (55-70 °C): it climbs and climbs, past anything a "
            "person could be. Not a fever.",
            radiator,
        ),
        "fail-quick-hold": (
            "Near miss: held for only 8-10 s, then put down: about 1-2 °C warmer, and "
            "cooling again.",
            quick_hold,
        ),
        "fail-breath-only": (
            "Near miss: two puffs of breath (a quick bump of about 2 °C), then it is left to cool.",
            breath_only,
        ),
        "fail-warm-sunny-room": (
            "Near miss: a warm room (26.5-27.5 °C) and the sun comes in (about +2 °C): the "
            "old fixed 30 °C alert went off; nobody touched the board.",
            warm_sunny_room,
        ),
        "fail-spikes-on-table": (
            "Nobody touches it; a noisy sensor with ten one-reading spikes of +4-8 °C.",
            spikes_on_table,
        ),
        "fail-cold-hands": (
            "Near miss: cold hands, which could warm the board only 2.3-2.6 °C above the room "
            "(and slowly): no fever.",
            cold_hands,
        ),
    }


# ---------------------------------------------------------------------------------------------
# Sound

STEP = 0.02  # s between rows


class Sound:
    """A sound level trace: the room's hum with sounds on top (the loudest wins)."""

    def __init__(self, rng: random.Random, hum: float, seconds: float = 60.0) -> None:
        self.rng = rng
        self.seconds = seconds
        self.hum = hum
        self.hum_noise = rng.uniform(2, 4)
        self.level = [0.0] * round(seconds / STEP)  # the last row just before ``seconds``
        self.truth = {"loud": 0, "quiet_spells": 0}

    def _put(self, start: float, length: float, value: float | Callable[[float], float]) -> None:
        """Raise the level to ``value`` (or ``value(s)`` s into it) from ``start``."""
        first = round(start / STEP)
        for i in range(first, min(len(self.level), round((start + length) / STEP))):
            v = value((i - first) * STEP) if callable(value) else value
            self.level[i] = max(self.level[i], v)

    def talk(self, start: float, end: float, low: float, high: float) -> None:
        """Speech: syllables of 120-250 ms at ``low``-``high``, phrases with pauses."""
        rng = self.rng
        t = start
        while t < end:
            phrase = t + rng.uniform(1.0, 3.0)
            while t < min(phrase, end):
                length = rng.uniform(0.12, 0.25)
                self._put(t, min(length, end - t), rng.uniform(low, high))
                t += length + rng.uniform(0.03, 0.15)
            t += rng.uniform(0.2, 0.6)  # a breath between phrases

    def clap(self, t: float, peak: float | None = None, hold: float | None = None) -> None:
        """A clap as a sound meter reads it: above 200 for 110-200 ms, then it decays."""
        rng = self.rng
        top = peak if peak is not None else rng.uniform(210, 250)
        up = hold if hold is not None else rng.uniform(0.11, 0.2)
        self._put(t, up, top)
        self._put(t + up, 0.15, lambda s: top * (1 - s / 0.15) * 0.85)
        self.truth["loud"] += top >= 200

    def shout(self, t: float) -> None:
        rng = self.rng
        length = rng.uniform(0.3, 0.8)
        self._put(t, length, lambda s: 205 + 35 * math.sin(math.pi * s / length))
        self.truth["loud"] += 1

    def knock(self, t: float) -> None:
        """A knock on the board itself: a spike of 20-40 ms."""
        self._put(t, self.rng.uniform(0.02, 0.04), self.rng.uniform(215, 255))

    def cough(self, t: float) -> float:
        rng = self.rng
        length = rng.uniform(0.25, 0.8)
        self._put(t, length, rng.uniform(70, 150))
        return t + length

    def creak(self, t: float) -> None:
        self._put(t, self.rng.uniform(0.06, 0.1), self.rng.uniform(60, 120))

    def rows(self) -> list[str]:
        rng = self.rng
        out = []
        quiet = 0.0
        for i, v in enumerate(self.level):
            level = max(v, self.hum + rng.gauss(0, self.hum_noise))
            level = max(0, min(255, round(level)))
            quiet = quiet + STEP if v == 0 else 0.0
            if abs(quiet - 5.0) < STEP / 2:
                self.truth["quiet_spells"] += 1
            out.append(f"{i * STEP:.2f},{level}")
        return out


def noise_scenarios() -> dict[str, tuple[str, Callable[[random.Random], Sound]]]:
    def clap_then_quiet(rng: random.Random) -> Sound:
        s = Sound(rng, rng.uniform(8, 20))
        s.talk(0.5, 8, 60, 170)
        s.clap(rng.uniform(8.5, 9.5))
        s.talk(11, 18, 60, 160)
        s.talk(25.5, 40, 60, 160)  # quiet for 7.5 s, then chatter again
        return s

    def fan_room(rng: random.Random) -> Sound:
        s = Sound(rng, rng.uniform(45, 52))
        s.hum_noise = 2.0
        s.talk(0.5, 6, 70, 170)
        s.clap(rng.uniform(6.5, 7.5))
        s.talk(9, 15, 70, 160)
        return s

    def shout_then_quiet(rng: random.Random) -> Sound:
        s = Sound(rng, rng.uniform(8, 20))
        s.talk(0.5, 5, 60, 150)
        s.shout(rng.uniform(5.5, 6.5))
        s.talk(8, 14, 60, 150)
        return s

    def quiet_with_creak(rng: random.Random) -> Sound:
        s = Sound(rng, rng.uniform(8, 20))
        s.talk(0.5, 5, 60, 150)
        s.clap(rng.uniform(5.5, 6.5))
        s.talk(8, 12, 60, 150)
        s.creak(rng.uniform(14.5, 15.5))  # a chair creaks 3 s into the quiet: not noise
        s.talk(19, 30, 60, 150)
        return s

    def quiet_first(rng: random.Random) -> Sound:
        s = Sound(rng, rng.uniform(8, 20))
        s.talk(7, 20, 60, 160)
        s.clap(rng.uniform(20.5, 21.5))
        s.talk(22, 40, 60, 160)
        return s

    def two_tries(rng: random.Random) -> Sound:
        s = Sound(rng, rng.uniform(8, 20))
        s.talk(0.5, 5, 60, 160)
        s.clap(rng.uniform(5.5, 6.5))
        s.talk(8, 11, 60, 160)
        s.cough(11 + rng.uniform(3.0, 3.8))  # a giggle breaks the first try
        s.talk(16, 18, 60, 160)
        s.talk(25, 35, 60, 160)
        return s

    def clap_far(rng: random.Random) -> Sound:
        s = Sound(rng, rng.uniform(8, 20))
        s.talk(0.5, 6, 60, 150)
        s.clap(rng.uniform(6.5, 7.5), peak=rng.uniform(205, 212), hold=rng.uniform(0.15, 0.2))
        s.talk(9, 14, 60, 150)
        return s

    # ---- fail
    def chatter_only(rng: random.Random) -> Sound:
        s = Sound(rng, rng.uniform(10, 20))
        s.talk(0.3, 60, 60, 175)
        return s

    def knocks(rng: random.Random) -> Sound:
        s = Sound(rng, rng.uniform(8, 20))
        s.talk(0.5, 8, 60, 160)
        t = 9.0
        for _ in range(4):  # knocks on the board (a finger, a pencil): spikes, not the room
            s.knock(t)
            t += rng.uniform(0.3, 1.2)
        s.talk(12, 18, 60, 160)
        s.talk(26, 40, 60, 160)  # 8 s of quiet: that task is done
        return s

    def almost_quiet(rng: random.Random) -> Sound:
        s = Sound(rng, rng.uniform(8, 20))
        s.talk(0.5, 5, 60, 160)
        s.clap(rng.uniform(5.5, 6.5))
        t = 8.0
        while t < 55:
            s.talk(t, t + 2, 60, 160)
            t = s.cough(t + 2 + rng.uniform(3.5, 4.3))  # a giggle before 5 s of quiet
        return s

    def whispering(rng: random.Random) -> Sound:
        s = Sound(rng, rng.uniform(8, 15))
        s.talk(3, 8, 60, 160)
        s.clap(rng.uniform(8.5, 9.5))
        s.talk(11, 60, 45, 80)  # whispering, never quiet
        return s

    def not_quite_loud(rng: random.Random) -> Sound:
        s = Sound(rng, rng.uniform(8, 20))
        s.talk(0.5, 5, 60, 150)
        t = 5.5
        for _ in range(3):
            s.clap(t, peak=rng.uniform(185, 198))
            t += rng.uniform(0.4, 0.6)
        s.talk(8, 12, 60, 150)
        s.talk(20, 30, 60, 150)
        return s

    def murmur(rng: random.Random) -> Sound:
        s = Sound(rng, rng.uniform(5, 8))
        s.hum_noise = 1.5
        s.talk(3, 8, 60, 160)
        s.clap(rng.uniform(8.5, 9.5))
        s.talk(11, 60, 33, 39)  # a soft murmur: under the old fixed line of 40
        s.level = [max(v, 31.0) if i * STEP >= 11 else v for i, v in enumerate(s.level)]
        return s

    return {
        "pass-clap-then-quiet": (
            "Chatter in a quiet room (hum 8-20), a clap, more chatter, then 7.5 s of quiet.",
            clap_then_quiet,
        ),
        "pass-fan-room": (
            "A projector fan hums at 45-52 (the old fixed quiet line of 40 was never "
            "reached); chatter, a clap, chatter, then quiet.",
            fan_room,
        ),
        "pass-shout-then-quiet": ("A shout of 'hello!' (205-240), then quiet.", shout_then_quiet),
        "pass-quiet-with-creak": (
            "A clap, then quiet with a chair creak (60-100 ms) in the middle.",
            quiet_with_creak,
        ),
        "pass-quiet-first": ("Quiet first (7 s), then chatter and a clap.", quiet_first),
        "pass-two-tries": (
            "A clap; the first quiet is broken by a giggle after 3-3.8 s, the second works.",
            two_tries,
        ),
        "pass-clap-far": (
            "A clap from further away: just over 200 (205-212) for 150-200 ms.",
            clap_far,
        ),
        "fail-chatter-only": ("A busy classroom: never loud enough, never quiet.", chatter_only),
        "fail-knocks": (
            "Near miss: knocks on the board itself (20-40 ms spikes of 215-255, not a loud "
            "room; the old script took one as a loud sound), then quiet.",
            knocks,
        ),
        "fail-almost-quiet": (
            "Near miss: a clap, then again and again 3.5-4.3 s of quiet ended by a giggle.",
            almost_quiet,
        ),
        "fail-whispering": (
            "A clap, then the class whispers (45-80) for the rest of the minute.",
            whispering,
        ),
        "fail-not-quite-loud": (
            "Near miss: three claps that reach only 185-198, then quiet.",
            not_quite_loud,
        ),
        "fail-murmur": (
            "Near miss: a clap, then a soft murmur (31-39) in a room whose silence reads 5-8 "
            "(the old fixed line of 40 called it quiet).",
            murmur,
        ),
    }


# ---------------------------------------------------------------------------------------------
# main

TOP = {  # the catalogue's own scenarios: copies of corpus members (a pass cut before 60 s)
    "fever-patch": {
        "pass": "pass-warm-room",
        "fail": "fail-quick-hold",
        "fail-warm-not-hot": "fail-cold-hands",
    },
    "noise-meter": {"pass": "pass-shout-then-quiet", "fail": "fail-knocks"},
}


def generate(seed: int = SEED) -> list[Path]:
    written: list[Path] = []
    jobs: list[tuple[str, str, dict]] = [
        ("fever-patch", "t,temp", fever_scenarios()),
        ("noise-meter", "t,sound", noise_scenarios()),
    ]
    for slug, header, scenarios in jobs:
        folder = ACTIVITIES / slug / "scenarios" / "corpus"
        if folder.exists():
            for old in folder.glob("*.csv"):
                old.unlink()
        for i, (name, (what, build)) in enumerate(sorted(scenarios.items())):
            own = seed * 1000 + i
            trace = build(random.Random(f"{slug}/{name}/{own}"))
            rows = trace.rows()
            path = folder / f"{name}.csv"
            write(path, header, rows, what, own, trace.truth)
            written.append(path)
    for slug, copies in TOP.items():
        folder = ACTIVITIES / slug / "scenarios"
        for target, source in copies.items():
            lines = (folder / "corpus" / f"{source}.csv").read_text(encoding="utf-8").splitlines()
            if target.startswith("pass"):  # the catalogue's pass traces end before 60 s
                lines = [ln for ln in lines if not ln[:1].isdigit() or float(ln.split(",")[0]) < 60]
            (folder / f"{target}.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
            written.append(folder / f"{target}.csv")
    return written


if __name__ == "__main__":
    for path in generate():
        print(path.relative_to(ROOT))
