"""Seeded generator of realistic light, touch and button traces for three activities.

Run ``.venv/bin/python tools/scenarios/inputs.py`` to (re)write every generated scenario:

- ``activities/night-light/scenarios/corpus/{pass,fail}-*.csv``
- ``activities/touch-glove/scenarios/corpus/{pass,fail}-*.csv``
- ``activities/reaction-timer/scenarios/corpus/{pass,fail}-*.csv``, and the reaction timer's
  ``scenarios/pass.csv``, ``fail.csv``, ``fail-slow.csv`` (copies of corpus members: its
  script now needs a start press, see below).

The same seed always writes the same files. Every file starts with comment lines saying how
it was made and its ground truth (``# truth: name=N``), and its name says the verdict
(``pass-*`` completes every board-checked task, ``fail-*`` leaves one undone);
``tests/activities/test_corpus.py`` replays them.

What is modelled:

- **Light** (0-255): a room level (dim rooms and dusk 40-200, bright rooms up to 200), mains
  LED lamps that flicker at 100 Hz (+-0.3 %, PWM duty 30-60 %, depth 40-100 %, random
  phase: a row at every on/off edge, so a fast sensor samples it at whatever phase it
  happens to read), sensor noise, a hand covering the sensor quickly (0.1-0.2 s) or slowly
  (1-2 s) down to 3-15 % and lifting again, fingers not quite closed, a shadow passing
  (0.2-0.5 s, down to 25-35 %: a near miss), a hand hovering (55-65 %: not dark), dusk.
  Values clip to 0-255. The micro:bit's 250 ms sensor lag is the simulator's job.
- **Touch** (pads A1-A3): real touches of 100 ms to 2 s with contact bounce (0-3 blips of
  0.5-2 ms as a finger lands and lifts), crosstalk (a neighbouring pad glitches on
  for 20-30 ms when a finger lands) and stray glitches (20-30 ms) from wires moving.
- **Button A**: human reaction times (180-400 ms, a right-skewed spread), presses held
  80-200 ms, contact bounce on press and release, anticipation (pressing 30-80 ms after GO,
  or before it), nervous twitches, misses. The reaction timer rolls its own dice for its waits
  (the ZX81's generator, ``dice = (dice * 75 + 74) % 65537``, seeded with ``press_ms // 1000``,
  the second in which the start press is seen, and rolled three times before the first wait),
  so every board, MicroPython, CircuitPython or Blinka's CPython, draws the same waits;
  this generator rolls the same dice (``board_waits``), and places the start press 300-400 ms
  into its second so the board sees the same second, even on a busy host.
"""

from __future__ import annotations

import math
import random
import shutil
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ACTIVITIES = ROOT / "activities"


# ---------------------------------------------------------------- writing


def _fmt(t: float) -> str:
    return f"{t:.3f}"


def write_csv(
    path: Path,
    header: list[str],
    rows: list[list[object]],
    description: str,
    seed: int,
    truth: dict[str, int],
) -> None:
    """Write a scenario with its comment lines; ``rows`` are [t, values...] ('' = unchanged)."""
    lines = [f"# {line}" for line in description.strip().splitlines()]
    lines.append(f"# made by tools/scenarios/inputs.py, seed {seed}")
    lines.append("# truth: " + " ".join(f"{k}={v}" for k, v in truth.items()))
    lines.append(",".join(header))
    last = -1.0
    for row in rows:
        t = round(float(row[0]), 3)  # type: ignore[arg-type]
        if t < last:
            raise ValueError(f"{path.name}: rows go back in time at {t}")
        last = t
        lines.append(",".join([_fmt(t)] + [str(v) for v in row[1:]]))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def read_truth(path: Path) -> dict[str, int]:
    """The ``# truth: a=1 b=2`` comment of a generated scenario ({} if none)."""
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# truth:"):
            pairs = line[len("# truth:") :].split()
            return {k: int(v) for k, _, v in (p.partition("=") for p in pairs)}
    return {}


# ---------------------------------------------------------------- light


class Light:
    """A light trace: room level x hand over the sensor x lamp flicker, plus noise."""

    def __init__(self, rng: random.Random, room: float, seconds: float) -> None:
        self.rng = rng
        self.seconds = seconds
        self.room_keys: list[tuple[float, float]] = [(0.0, room)]
        self.hand_keys: list[tuple[float, float]] = [(0.0, 1.0)]
        self.flicker: tuple[float, float, float, float] | None = None  # hz, duty, depth, phase
        self.noise = rng.uniform(1.0, 3.0)
        self.truth = {"covers": 0, "shadows": 0}

    def lamp(self, depth: float | None = None) -> Light:
        """Mains LED lighting: 100 Hz PWM at a random duty, depth and phase."""
        rng = self.rng
        self.flicker = (
            100.0 * rng.uniform(0.997, 1.003),
            rng.uniform(0.3, 0.6),
            depth if depth is not None else rng.uniform(0.4, 1.0),
            rng.random(),
        )
        return self

    def room_to(self, t: float, level: float) -> Light:
        """The room's light changes linearly to ``level`` by ``t`` (dusk, a lamp)."""
        self.room_keys.append((t, level))
        return self

    def hand(self, t: float, fall: float, hold: float, rise: float, to: float) -> float:
        """Light reaching the sensor drops to the fraction ``to`` over ``fall`` s, stays
        ``hold`` s and comes back over ``rise`` s. Returns the time it is all back."""
        keys = self.hand_keys
        keys += [(t, 1.0), (t + fall, to), (t + fall + hold, to), (t + fall + hold + rise, 1.0)]
        return t + fall + hold + rise

    def cover(
        self, t: float, *, slow: bool = False, hold: float | None = None, to: float | None = None
    ) -> float:
        rng = self.rng
        move = (lambda: rng.uniform(1.0, 2.0)) if slow else (lambda: rng.uniform(0.1, 0.2))
        self.truth["covers"] += 1
        return self.hand(
            t,
            move(),
            hold if hold is not None else rng.uniform(2.5, 4.0),
            move(),
            to if to is not None else rng.uniform(0.03, 0.15),
        )

    def shadow(self, t: float) -> float:
        """Someone walks past: 0.2-0.5 s of shade down to 25-35 %."""
        rng = self.rng
        self.truth["shadows"] += 1
        return self.hand(
            t,
            rng.uniform(0.05, 0.1),
            rng.uniform(0.2, 0.5),
            rng.uniform(0.05, 0.1),
            rng.uniform(0.25, 0.35),
        )

    @staticmethod
    def _at(keys: list[tuple[float, float]], t: float) -> float:
        if t <= keys[0][0]:
            return keys[0][1]
        for (t0, v0), (t1, v1) in zip(keys, keys[1:], strict=False):
            if t0 <= t <= t1:
                return v0 if t1 == t0 else v0 + (v1 - v0) * (t - t0) / (t1 - t0)
        return keys[-1][1]

    def times(self) -> list[tuple[float, bool]]:
        """Row times, each with whether the lamp is in its lit phase there."""
        if self.flicker is None:  # a steady light: a row every 20 ms
            return [(i * 0.02, True) for i in range(int(self.seconds / 0.02) + 1)]
        hz, duty, _, phase = self.flicker
        out = [(0.0, phase >= 1 - duty)]  # phase: how far into a period the lamp is at 0
        k = 1
        while True:  # a row at every edge of the PWM: on at (k - phase) / hz, off duty later
            on = (k - phase) / hz
            if on > self.seconds:
                break
            out += [(on, True), (on + duty / hz, False)]
            k += 1
        return [(t, lit) for t, lit in out if t <= self.seconds]

    def value(self, t: float, lit: bool) -> int:
        level = self._at(self.room_keys, t) * self._at(self.hand_keys, t)
        if self.flicker is not None:
            _, duty, depth, _ = self.flicker
            level *= 1 - depth + (depth / duty if lit else 0.0)
        level += self.rng.gauss(0, self.noise)
        return max(0, min(255, round(level)))

    def rows(self) -> list[list[object]]:
        return [[round(t, 3), self.value(t, lit)] for t, lit in self.times()]


def night_light(seed: int) -> dict[str, tuple[str, Callable[[random.Random], Light]]]:
    """name -> (description, builder)."""

    def bright_flicker_cover(rng: random.Random) -> Light:
        lt = Light(rng, rng.uniform(150, 200), 14).lamp(depth=1.0)
        lt.cover(4, slow=False)
        return lt

    def dim_62_slow(rng: random.Random) -> Light:
        lt = Light(rng, 62, 16)
        lt.cover(4, slow=True)
        return lt

    def dusk_room_quick(rng: random.Random) -> Light:
        lt = Light(rng, rng.uniform(40, 50), 14).lamp()
        lt.cover(4.5, to=rng.uniform(0.05, 0.12))
        return lt

    def shadow_then_cover(rng: random.Random) -> Light:
        lt = Light(rng, rng.uniform(100, 140), 18)
        end = lt.shadow(3)
        lt.cover(end + 3, slow=True)
        return lt

    def fingers_gap(rng: random.Random) -> Light:
        lt = Light(rng, rng.uniform(80, 120), 16).lamp()
        lt.cover(4, slow=True, to=rng.uniform(0.2, 0.3))  # fingers not closed: 20-30 %
        return lt

    def brief_then_long(rng: random.Random) -> Light:
        lt = Light(rng, rng.uniform(180, 200), 18).lamp(depth=rng.uniform(0.6, 1.0))
        end = lt.cover(3, hold=rng.uniform(0.3, 0.5))
        lt.cover(end + 2.5, hold=rng.uniform(3.0, 4.0))
        return lt

    def peek(rng: random.Random) -> Light:
        lt = Light(rng, rng.uniform(90, 130), 20).lamp()
        c = rng.uniform(0.05, 0.1)
        h1, h2 = rng.uniform(2.0, 2.5), rng.uniform(2.5, 3.5)
        # covered, a peek under the hand (most of the light for 0.3 s), covered again, lifted
        t = 4.0
        lt.hand_keys += [
            (t, 1.0),
            (t + 0.15, c),
            (t + 0.15 + h1, c),
            (t + 0.25 + h1, 0.85),
            (t + 0.55 + h1, 0.85),
            (t + 0.65 + h1, c),
            (t + 0.65 + h1 + h2, c),
            (t + 0.8 + h1 + h2, 1.0),
        ]
        lt.truth["covers"] += 1
        return lt

    # ---- fail
    def flicker_only(rng: random.Random) -> Light:
        return Light(rng, rng.uniform(90, 160), 20).lamp(depth=1.0)

    def shadows_pass(rng: random.Random) -> Light:
        lt = Light(rng, rng.uniform(70, 150), 24).lamp()
        t = 3.0
        while t < 20:
            t = lt.shadow(t) + rng.uniform(1.5, 3.5)
        return lt

    def covered_never_lifted(rng: random.Random) -> Light:
        lt = Light(rng, 62, 24)
        lt.hand(4, rng.uniform(1.0, 2.0), 30, 0.2, rng.uniform(0.05, 0.12))
        lt.truth["covers"] += 1
        return lt

    def hover(rng: random.Random) -> Light:
        lt = Light(rng, rng.uniform(100, 180), 22).lamp()
        t = 3.0
        while t < 16:
            t = (
                lt.hand(
                    t,
                    rng.uniform(0.5, 1.0),
                    rng.uniform(2, 4),
                    rng.uniform(0.5, 1.0),
                    rng.uniform(0.55, 0.65),
                )
                + 1.5
            )
        return lt

    def dusk_alone(rng: random.Random) -> Light:
        lt = Light(rng, rng.uniform(140, 170), 60)
        lt.room_to(50, rng.uniform(20, 30))  # night falls; nobody brings the light back
        return lt

    def quick_taps(rng: random.Random) -> Light:
        lt = Light(rng, rng.uniform(100, 160), 24).lamp()
        t = 3.0
        while t < 20:
            t = lt.cover(t, hold=rng.uniform(0.3, 0.5)) + rng.uniform(1.0, 2.5)
        return lt

    def dim_noisy_flicker(rng: random.Random) -> Light:
        lt = Light(rng, rng.uniform(40, 55), 20).lamp(depth=1.0)
        lt.noise = 6.0
        return lt

    return {
        "pass-bright-flicker-quick-cover": (
            "Bright room, LED lamps flickering at 100 Hz (full depth); a hand covers the "
            "sensor quickly, holds, lifts.",
            bright_flicker_cover,
        ),
        "pass-dim-room-62-slow-cover": (
            "A dim room reading 62; a hand covers slowly (1-2 s), holds, lifts slowly: the "
            "lights must switch off again at 62.",
            dim_62_slow,
        ),
        "pass-dusk-room-flicker": (
            "A very dim room (40-50) under flickering LED lamps; a quick cover.",
            dusk_room_quick,
        ),
        "pass-shadow-then-cover": (
            "A shadow passes first (not dark for long enough), then a real slow cover.",
            shadow_then_cover,
        ),
        "pass-fingers-gap": (
            "A cover with the fingers not quite closed (20-30 % gets through), flickering lamps.",
            fingers_gap,
        ),
        "pass-brief-then-long": (
            "A very bright room (180-200, flicker peaks clip at 255); a too-short cover "
            "first, then a long one.",
            brief_then_long,
        ),
        "pass-peek": (
            "Covered for 2-2.5 s, a quick peek (0.3 s of 85 % light: not long enough to switch "
            "off), covered again, lifted.",
            peek,
        ),
        "fail-flicker-only": (
            "Nobody touches the board: bright room, LED lamps flickering at 100 Hz, full "
            "depth (a fast sensor reads near 0 in every dark phase).",
            flicker_only,
        ),
        "fail-shadows-passing": (
            "Near miss: people walk past again and again, 0.2-0.5 s shadows down to 25-35 %.",
            shadows_pass,
        ),
        "fail-covered-never-lifted": (
            "A dim room (62), covered and never uncovered: the lights never switch off.",
            covered_never_lifted,
        ),
        "fail-hand-hovering": (
            "Near miss: a hand hovers above the sensor, light down only to 55-65 %.",
            hover,
        ),
        "fail-dusk-alone": (
            "Night falls (150 -> 20-30 over 50 s) and nobody brings the light back: the "
            "lights switch on but never off.",
            dusk_alone,
        ),
        "fail-quick-taps": (
            "Near miss: quick 0.3-0.5 s covers, never held long enough to be sure.",
            quick_taps,
        ),
        "fail-dim-noisy-flicker": (
            "A dim room (40-55), full-depth flicker and a noisy sensor; nobody touches it.",
            dim_noisy_flicker,
        ),
    }


# ---------------------------------------------------------------- touch

PADS = ("A1", "A2", "A3")


class Touch:
    """Pads A1-A3 as intervals of contact per pad; a pad reads 1 inside any of them."""

    def __init__(self, rng: random.Random, seconds: float, crosstalk: float = 0.0) -> None:
        self.rng = rng
        self.seconds = seconds
        self.crosstalk = crosstalk  # chance a landing finger glitches a neighbouring pad
        self.on: list[list[tuple[float, float]]] = [[], [], []]
        self.truth = {"taps": 0, "chords": 0, "glitches": 0}

    def _chatter(self, t: float) -> list[tuple[float, float]]:
        """0-3 contact blips of 0.5-2 ms with 0.5-2 ms gaps after ``t`` (at most 12 ms)."""
        out = []
        u = t
        for _ in range(self.rng.randint(0, 3)):
            u += self.rng.uniform(0.0005, 0.002)
            width = self.rng.uniform(0.0005, 0.002)
            out.append((u, u + width))
            u += width
        return out

    def glitch(self, t: float, pad: int) -> None:
        """20-30 ms of crosstalk or a wire brushing: not a touch."""
        self.truth["glitches"] += 1
        self.on[pad].append((t, t + self.rng.uniform(0.020, 0.030)))

    def touch(self, t: float, pad: int, seconds: float) -> float:
        """A finger on ``pad`` from ``t`` for ``seconds`` (bouncing as it lands and lifts);
        returns when it lifts."""
        self.truth["taps"] += 1
        blips = self._chatter(t)  # landing: touches, bounces off and on for a few ms
        land = blips[-1][1] + self.rng.uniform(0.0005, 0.002) if blips else t
        self.on[pad] += [(t, t)] + blips + [(land, t + seconds)] + self._chatter(t + seconds)
        if self.rng.random() < self.crosstalk:
            other = self.rng.choice([p for p in range(3) if p != pad])
            self.glitch(t + self.rng.uniform(0.0, 0.01), other)
        return t + seconds

    def tap(self, t: float, pad: int) -> float:
        return self.touch(t, pad, self.rng.uniform(0.12, 0.35))

    def chord(self, t: float, pads: tuple[int, ...], hold: float | None = None) -> float:
        """Fingers land within 60 ms of each other and stay together ``hold`` s."""
        self.truth["chords"] += 1
        hold = hold if hold is not None else self.rng.uniform(0.4, 0.9)
        end = t
        for pad in pads:
            land = t + self.rng.uniform(0, 0.06)
            end = max(end, self.touch(land, pad, hold + self.rng.uniform(0, 0.1)))
        return end

    def stray(self, every: float) -> None:
        """Random 20-30 ms glitches on any pad, about one per ``every`` seconds."""
        t = self.rng.expovariate(1 / every)
        while t < self.seconds - 0.1:
            self.glitch(t, self.rng.randrange(3))
            t += 0.1 + self.rng.expovariate(1 / every)

    def rows(self) -> list[list[object]]:
        edges: list[tuple[float, int, int]] = []
        for pad, spans in enumerate(self.on):
            merged: list[list[float]] = []  # the union of a pad's contacts, in ms
            for a, b in sorted((round(a, 3), round(b, 3)) for a, b in spans):
                if b <= a:
                    continue
                if merged and a <= merged[-1][1]:
                    merged[-1][1] = max(merged[-1][1], b)
                else:
                    merged.append([a, b])
            for a, b in merged:
                edges += [(a, pad, 1), (b, pad, 0)]
        rows: list[list[object]] = [[0.0, 0, 0, 0]]
        for t, pad, value in sorted(edges):
            row: list[object] = [t, "", "", ""]
            row[1 + pad] = value
            rows.append(row)
        return rows


def touch_glove(seed: int) -> dict[str, tuple[str, Callable[[random.Random], Touch]]]:
    def in_turn_then_chord(rng: random.Random) -> Touch:
        tc = Touch(rng, 12)
        t = 2.0
        for pad in range(3):
            t = tc.tap(t, pad) + rng.uniform(0.6, 1.2)
        tc.chord(t, (0, 1))
        return tc

    def crosstalk_every_touch(rng: random.Random) -> Touch:
        tc = Touch(rng, 14, crosstalk=1.0)
        t = 2.0
        for pad in (2, 0, 1, 0, 2):
            t = tc.tap(t, pad) + rng.uniform(0.4, 1.0)
        tc.chord(t, (1, 2))
        return tc

    def quick_taps(rng: random.Random) -> Touch:
        tc = Touch(rng, 12, crosstalk=0.5)
        t = 2.0
        for pad in (0, 1, 2, 1, 0):
            t = tc.touch(t, pad, rng.uniform(0.1, 0.12)) + rng.uniform(0.15, 0.4)
        tc.chord(t + 0.5, (0, 2), hold=rng.uniform(0.2, 0.3))
        return tc

    def chord_first(rng: random.Random) -> Touch:
        tc = Touch(rng, 12, crosstalk=0.3)
        t = tc.chord(2.0, (1, 2)) + 1.0
        tc.tap(t, 0)
        return tc

    def slow_beginner(rng: random.Random) -> Touch:
        tc = Touch(rng, 40, crosstalk=0.5)
        tc.stray(3.0)
        t = 4.0
        for pad in (0, 1, 2):
            t = tc.touch(t, pad, rng.uniform(1.0, 2.0)) + rng.uniform(4, 8)
        tc.chord(t, (0, 1, 2), hold=rng.uniform(1.0, 1.5))
        return tc

    def three_finger_chord(rng: random.Random) -> Touch:
        tc = Touch(rng, 10, crosstalk=0.5)
        tc.stray(2.0)
        tc.chord(2.0, (0, 1, 2))
        return tc

    # ---- fail
    def a2_only_crosstalk(rng: random.Random) -> Touch:
        tc = Touch(rng, 16)
        t = 2.0
        for pad in (0, 2, 0, 2):
            t = tc.tap(t, pad)
            tc.glitch(t - 0.05, 1)  # A2 (not wired) picks up crosstalk
            t += rng.uniform(0.5, 1.0)
        tc.chord(t, (0, 2))
        return tc

    def never_together(rng: random.Random) -> Touch:
        tc = Touch(rng, 16, crosstalk=1.0)
        t = 2.0
        for pad in (0, 1, 2, 0, 1, 2):
            t = tc.tap(t, pad) + rng.uniform(0.4, 0.9)
        return tc

    def glitches_only(rng: random.Random) -> Touch:
        tc = Touch(rng, 30)
        tc.stray(0.7)
        return tc

    def rolling(rng: random.Random) -> Touch:
        tc = Touch(rng, 16, crosstalk=0.5)
        t = 2.0
        for _ in range(3):
            for pad in (0, 1, 2):  # a finger roll: each lands 60-120 ms after the last lifts
                t = tc.touch(t, pad, rng.uniform(0.12, 0.2)) + rng.uniform(0.08, 0.15)
            t += 1.0
        return tc

    def one_finger_bouncy(rng: random.Random) -> Touch:
        tc = Touch(rng, 16)
        tc.stray(2.0)
        t = 2.0
        for _ in range(5):
            t = tc.tap(t, 0) + rng.uniform(0.5, 1.5)
        return tc

    def brushed_chord(rng: random.Random) -> Touch:
        tc = Touch(rng, 16)
        t = 2.0
        for pad in (0, 1, 2):
            t = tc.tap(t, pad) + rng.uniform(0.6, 1.0)
        for _ in range(3):  # A1 held; A2 only brushes its pad for 20-30 ms
            end = tc.touch(t, 0, rng.uniform(0.6, 0.9))
            tc.glitch(t + rng.uniform(0.2, 0.4), 1)
            t = end + rng.uniform(0.5, 1.0)
        return tc

    return {
        "pass-in-turn-then-chord": (
            "Each finger taps in turn (120-350 ms, contact bounce), then fingers 1 and 2 together.",
            in_turn_then_chord,
        ),
        "pass-crosstalk-every-touch": (
            "Every landing finger glitches a neighbouring pad for 20-30 ms; all three "
            "fingers and a 2+3 chord.",
            crosstalk_every_touch,
        ),
        "pass-quick-taps": (
            "Quick taps of 100-120 ms (still real touches) and a short 1+3 chord.",
            quick_taps,
        ),
        "pass-chord-first": ("A 2+3 chord first, then finger 1.", chord_first),
        "pass-slow-beginner": (
            "A beginner: long touches far apart, stray glitches from the wires all along, a "
            "three-finger chord at the end.",
            slow_beginner,
        ),
        "pass-three-finger-chord": (
            "All three fingers land together (within 60 ms), with stray glitches.",
            three_finger_chord,
        ),
        "fail-a2-only-crosstalk": (
            "Near miss: pad A2 is not wired; it only picks up crosstalk glitches while "
            "fingers 1 and 3 tap and chord (2 fingers, not 3).",
            a2_only_crosstalk,
        ),
        "fail-never-together": (
            "Near miss: every finger taps, never two at once; every touch makes a 20-30 ms "
            "glitch on a neighbour (a glitch is not a chord).",
            never_together,
        ),
        "fail-glitches-only": (
            "Nobody touches anything: stray 20-30 ms glitches on every pad.",
            glitches_only,
        ),
        "fail-rolling": (
            "Near miss: finger rolls 1-2-3, each finger landing just after the last lifts.",
            rolling,
        ),
        "fail-one-finger-bouncy": (
            "Only finger 1 works: bouncy taps and stray glitches.",
            one_finger_bouncy,
        ),
        "fail-brushed-chord": (
            "Near miss: all fingers tap, then finger 1 is held while finger 2 only brushes "
            "its pad (20-30 ms), three times.",
            brushed_chord,
        ),
    }


# ---------------------------------------------------------------- buttons

WAIT_LOW, WAIT_HIGH, ROUNDS, ROUND_MS = 1500, 3500, 5, 6000
SHAKES = 3  # rolls the reaction timer forgets before its first wait


def board_waits(seed: int) -> list[int]:
    """The reaction timer's waits for a start press seen in second ``seed``: the dice of
    its main.py (``roll``), rolled the same way, so they match on every board."""
    dice = seed
    waits: list[int] = []
    for turn in range(SHAKES + ROUNDS):
        dice = (dice * 75 + 74) % 65537
        if turn >= SHAKES:
            waits.append(WAIT_LOW + dice % (WAIT_HIGH - WAIT_LOW + 1))
    return waits


class Buttons:
    """Button A: a start press and one press (or none) per round."""

    def __init__(self, rng: random.Random, start_at: float) -> None:
        self.rng = rng
        # 300-400 ms into a second, so the board sees the press in the same second even
        # when a busy host makes it notice the press a few hundred ms late
        self.start = math.floor(start_at) + rng.uniform(0.300, 0.400)
        self.waits = board_waits(int(self.start * 1000) // 1000)
        self.edges: list[tuple[float, int]] = []
        self.truth = {"rounds": 0, "reactions": 0, "false_starts": 0, "misses": 0}
        self.press(self.start)

    def go(self, r: int) -> float:
        """When round ``r``'s signal comes (seconds on the board's clock)."""
        return self.start + (1000 + r * ROUND_MS + self.waits[r]) / 1000

    def press(self, t: float, hold: float | None = None, bounce: bool = True) -> None:
        rng = self.rng
        hold = hold if hold is not None else rng.uniform(0.08, 0.2)
        self.edges.append((t, 1))
        if bounce:  # contacts chatter for a few ms when they close and when they open
            u = t
            for _ in range(rng.randint(0, 3)):
                u += rng.uniform(0.0005, 0.003)
                self.edges.append((u, 0))
                u += rng.uniform(0.0005, 0.003)
                self.edges.append((u, 1))
            u = t + hold
            for _ in range(rng.randint(0, 3)):
                self.edges.append((u, 0))
                u += rng.uniform(0.0005, 0.003)
                self.edges.append((u, 1))
                u += rng.uniform(0.0005, 0.003)
            self.edges.append((u, 0))
        else:
            self.edges.append((t + hold, 0))

    def react(self, r: int, ms: float) -> None:
        """A press ``ms`` after round ``r``'s signal (negative: before it)."""
        self.truth["rounds"] += 1
        if ms < 100:
            self.truth["false_starts"] += 1
        else:
            self.truth["reactions"] += 1
        self.press(self.go(r) + ms / 1000)

    def miss(self, r: int) -> None:
        self.truth["rounds"] += 1
        self.truth["misses"] += 1

    def rows(self) -> list[list[object]]:
        rows: list[list[object]] = [[0.0, 0]]
        rows += [[round(t, 3), v] for t, v in sorted(self.edges)]
        return rows


def human(rng: random.Random, low: float = 180, high: float = 400) -> float:
    """A human reaction time: right-skewed, mostly 220-300 ms, within [low, high]."""
    while True:
        ms = 150 + rng.lognormvariate(math.log(110), 0.4)
        if low <= ms <= high:
            return ms


def safe(rng: random.Random, low: float, high: float) -> float:
    """A human reaction time kept clear of the game's thresholds (100 ms and 350 ms), so
    the board's poll (10 ms) never turns a pass into a fail."""
    while True:
        ms = human(rng, low, high)
        if not (80 <= ms <= 125 or 325 <= ms <= 380):
            return ms


def reaction_timer(seed: int) -> dict[str, tuple[str, Callable[[random.Random], Buttons]]]:
    def typical(rng: random.Random) -> Buttons:
        b = Buttons(rng, rng.uniform(1.5, 4))
        best = rng.randrange(5)
        for r in range(5):
            b.react(r, safe(rng, 190, 300) if r == best else safe(rng, 190, 400))
        return b

    def slowish(rng: random.Random) -> Buttons:
        b = Buttons(rng, rng.uniform(1.5, 4))
        for r in range(5):
            b.react(r, rng.uniform(280, 315) if r == 2 else rng.uniform(385, 450))
        return b

    def late_start(rng: random.Random) -> Buttons:
        b = Buttons(rng, rng.uniform(12, 20))
        for r in range(5):
            b.react(r, safe(rng, 180, 320))
        return b

    def sharp(rng: random.Random) -> Buttons:
        b = Buttons(rng, rng.uniform(1.5, 4))
        for r in range(5):
            b.react(r, rng.uniform(150, 175) if r == 3 else safe(rng, 180, 400))
        return b

    def long_holds(rng: random.Random) -> Buttons:
        b = Buttons(rng, rng.uniform(1.5, 4))
        for r in range(5):  # holds the button 0.3-0.8 s after each press
            b.truth["rounds"] += 1
            b.truth["reactions"] += 1
            b.press(b.go(r) + safe(rng, 190, 330) / 1000, hold=rng.uniform(0.3, 0.8))
        return b

    def bouncy_late_start(rng: random.Random) -> Buttons:
        b = Buttons(rng, rng.uniform(6, 10))
        for r in range(5):
            b.react(r, safe(rng, 200, 340))
        return b

    # ---- fail
    def anticipates(rng: random.Random) -> Buttons:
        b = Buttons(rng, rng.uniform(1.5, 4))
        for r in range(5):  # a guesser: 30-80 ms "reactions" are presses made before seeing GO
            b.react(r, rng.uniform(30, 80) if r in (1, 3) else safe(rng, 200, 400))
        return b

    def early_in_round_3(rng: random.Random) -> Buttons:
        b = Buttons(rng, rng.uniform(1.5, 4))
        for r in range(5):
            b.react(r, -rng.uniform(200, 900) if r == 2 else safe(rng, 190, 320))
        return b

    def all_slow(rng: random.Random) -> Buttons:
        b = Buttons(rng, rng.uniform(1.5, 4))
        for r in range(5):  # near miss: best 380-400 ms, just over 350
            b.react(r, rng.uniform(380, 400) if r == 0 else rng.uniform(400, 480))
        return b

    def misses_round_4(rng: random.Random) -> Buttons:
        b = Buttons(rng, rng.uniform(1.5, 4))
        for r in range(5):
            if r == 3:
                b.miss(r)
            else:
                b.react(r, safe(rng, 190, 320))
        return b

    def never_starts(rng: random.Random) -> Buttons:
        b = Buttons(rng, rng.uniform(1.5, 4))
        b.edges = []  # nobody presses A to start; then presses at random, too late to start
        t = 26.0
        while t < 55:
            b.press(t)
            t += rng.uniform(1.5, 3.0)
        return b

    def twitch(rng: random.Random) -> Buttons:
        b = Buttons(rng, rng.uniform(1.5, 4))
        for r in range(5):
            if r == 1:  # a nervous twitch closes the contacts for 20 ms before GO
                b.truth["rounds"] += 1
                b.truth["false_starts"] += 1
                b.press(b.go(r) - rng.uniform(0.3, 0.6), hold=0.02, bounce=False)
            else:
                b.react(r, safe(rng, 190, 320))
        return b

    def guesser(rng: random.Random) -> Buttons:
        b = Buttons(rng, rng.uniform(1.5, 4))
        for r in range(5):  # presses 2.5 s into every wait, whatever the board does
            ms = 1000 + r * ROUND_MS + 2500 - (1000 + r * ROUND_MS + b.waits[r])
            if 80 <= ms <= 125:
                ms = 60  # keep clear of the board's 100 ms line
            b.react(r, ms if ms < REACT_LIMIT else REACT_LIMIT - 200)
        assert b.truth["false_starts"], "a guesser with no false start: pick another seed"
        return b

    return {
        "pass-typical": ("Five rounds, human reactions 190-400 ms, button bounce.", typical),
        "pass-slowish": ("A slowish player: 385-450 ms but one 280-315 ms round.", slowish),
        "pass-late-start": ("Starts after 12-20 s, then reacts 180-320 ms.", late_start),
        "pass-sharp": ("One very sharp (150-175 ms) but real reaction.", sharp),
        "pass-long-holds": ("Holds the button 0.3-0.8 s after each press.", long_holds),
        "pass-bouncy-late-start": ("Starts after 6-10 s; bouncy contacts.", bouncy_late_start),
        "fail-anticipates": (
            "Near miss: 30-80 ms presses in two rounds (anticipation, not speed): false "
            "starts, so no clean game (the old fixed waits rewarded this as 'fast').",
            anticipates,
        ),
        "fail-early-round-3": ("Presses 0.2-0.9 s before GO in round 3.", early_in_round_3),
        "fail-all-slow": ("Near miss: clean, but never faster than 380 ms.", all_slow),
        "fail-misses-round-4": ("No press at all in round 4.", misses_round_4),
        "fail-never-starts": ("Never presses A in time to start the game.", never_starts),
        "fail-twitch": ("A 20 ms nervous twitch before GO in round 2: a false start.", twitch),
        "fail-guesser": (
            "A guesser who presses 2.5 s into every wait: the random waits catch them.",
            guesser,
        ),
    }


REACT_LIMIT = 1500  # ms: the reaction timer's time to react


# ---------------------------------------------------------------- main

SEED = 7


def generate(seed: int = SEED) -> list[Path]:
    written: list[Path] = []
    jobs: list[tuple[str, list[str], dict]] = [
        ("night-light", ["t", "light"], night_light(seed)),
        ("touch-glove", ["t", "touch_A1", "touch_A2", "touch_A3"], touch_glove(seed)),
        ("reaction-timer", ["t", "button_a"], reaction_timer(seed)),
    ]
    for slug, header, scenarios in jobs:
        folder = ACTIVITIES / slug / "scenarios" / "corpus"
        if folder.exists():
            for old in folder.glob("*.csv"):
                old.unlink()
        for i, (name, (description, build)) in enumerate(sorted(scenarios.items())):
            own = seed * 1000 + i
            trace = build(random.Random(f"{slug}/{name}/{own}"))
            path = folder / f"{name}.csv"
            write_csv(path, header, trace.rows(), description, own, trace.truth)
            written.append(path)
    timer = ACTIVITIES / "reaction-timer" / "scenarios"
    for target, source in (
        ("pass", "pass-typical"),
        ("fail", "fail-anticipates"),
        ("fail-slow", "fail-all-slow"),
    ):
        shutil.copyfile(timer / "corpus" / f"{source}.csv", timer / f"{target}.csv")
        written.append(timer / f"{target}.csv")
    return written


if __name__ == "__main__":
    for path in generate():
        print(path.relative_to(ROOT))
