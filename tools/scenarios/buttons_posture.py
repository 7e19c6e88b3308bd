"""Seeded generator of realistic traces for the combination lock, the Morse messenger and the
posture alert.

Run ``.venv/bin/python tools/scenarios/buttons_posture.py`` to (re)write
``activities/<slug>/scenarios/corpus/{pass,fail}-*.csv`` for the three activities (the name's
prefix is the expected verdict; ``tests/activities/test_corpus.py`` replays
each on two board families). The same seed always writes the same files. Every file starts
with comment lines saying what it models and its seed.

What is modelled:

- **Buttons** (lock, Morse): human press lengths (70-160 ms taps), typing gaps inside a code
  (0.15-0.6 s, hesitations up to 2.2 s), thinking pauses between codes, fast typers who start
  the next code 120-250 ms after the last press of a wrong one, and contact bounce: 1-4
  on/off flickers over 2-12 ms at a press and at a release (up to 25 ms on a worn button).
- **Beginners' Morse**: each student has their own dot (mean 90-170 ms) and dash (mean
  420-650 ms) with 20-25 % spread, clipped to 60-240 ms and 350-900 ms (a dash is always at
  least about twice a dot); gaps inside a letter 150-650 ms, between letters 1.3-3.5 s;
  button B pressed 0.15-0.6 s after the last tap ("right after") or seconds later.
- **Posture** (board clipped upright on the back of the collar: sitting straight reads
  (0, -1000, 0) before the wear tilt; leaning forward by theta gives
  (0, -cos theta, -sin theta) g): a student still straightening up for the first 1.5-4 s
  (from a slump of 20-35 degrees, with an overshoot), breathing sway (about 1 degree at
  0.25 Hz), fidgets, brief leans (picking up a pencil: under 1.5 s), real slouches (30-50
  degrees for 4-10 s), sideways leans; the board worn tilted (rotated 0-40 degrees about any
  axis); Gaussian noise of sd 25-50 mg (peaks of about +-75-150 mg); 20 rows a second.
"""

from __future__ import annotations

import math
import random
import sys
from collections.abc import Callable
from pathlib import Path

SEED = 7
ROOT = Path(__file__).resolve().parents[2]
SECRET = "ABBA"  # activities/combination-lock/main.py
MORSE = {
    "A": ".-", "B": "-...", "C": "-.-.", "D": "-..", "E": ".", "F": "..-.", "G": "--.",
    "H": "....", "I": "..", "J": ".---", "K": "-.-", "L": ".-..", "M": "--", "N": "-.",
    "O": "---", "P": ".--.", "Q": "--.-", "R": ".-.", "S": "...", "T": "-", "U": "..-",
    "V": "...-", "W": ".--", "X": "-..-", "Y": "-.--", "Z": "--..",
}  # fmt: skip


# ---------------------------------------------------------------------------------------------
# Buttons


class Buttons:
    """Button changes, in ms, written as rows of ``t,button_a,button_b``."""

    def __init__(self, rng: random.Random, bounce: float = 0.0, worn: bool = False) -> None:
        self.rng = rng
        self.bounce = bounce  # chance that a press or a release bounces
        self.worn = worn  # a worn button bounces for longer
        self.changes: list[tuple[int, str, int]] = []

    def _chatter(self, t: int, button: str, settle: int) -> None:
        """The button changes to ``settle`` at ``t`` ms; a bouncing contact flickers back
        and forth a few times before it stays there."""
        self.changes.append((t, button, settle))
        if self.rng.random() < self.bounce:
            span = self.rng.randint(12, 25) if self.worn else self.rng.randint(3, 12)
            flips = min(self.rng.randint(1, 4), (span - 1) // 2)
            moments = sorted(self.rng.sample(range(1, span), 2 * flips))
            for i, m in enumerate(moments):
                self.changes.append((t + m, button, 1 - settle if i % 2 == 0 else settle))

    def press(self, t: float, button: str, hold: float) -> float:
        """Presses ``button`` at ``t`` s for ``hold`` s; returns the release time (s)."""
        start = round(t * 1000)
        end = start + max(round(hold * 1000), 30)
        self._chatter(start, button, 1)
        self._chatter(end, button, 0)
        return end / 1000

    def rows(self) -> list[str]:
        rows = ["t,button_a,button_b", "0,0,0"]
        for t, button, value in sorted(self.changes, key=lambda c: c[0]):
            cells = [f"{t / 1000:.3f}", "", ""]
            cells[1 if button == "a" else 2] = str(value)
            rows.append(",".join(cells))
        return rows


def _clip(x: float, low: float, high: float) -> float:
    return max(low, min(high, x))


# ---------------------------------------------------------------------------------------------
# Combination lock


class Typist:
    """How one student types codes on buttons A and B."""

    def __init__(self, rng: random.Random, buttons: Buttons, speed: str = "human") -> None:
        self.rng = rng
        self.buttons = buttons
        self.speed = speed

    def hold(self) -> float:
        return _clip(self.rng.gauss(0.11, 0.025), 0.07, 0.16)

    def gap(self) -> float:
        """From one press's release to the next press, inside a code."""
        if self.speed == "fast":
            return self.rng.uniform(0.09, 0.18)
        if self.speed == "slow":
            return self.rng.uniform(0.8, 2.2)
        if self.rng.random() < 0.1:
            return self.rng.uniform(0.8, 1.6)  # a hesitation
        return self.rng.uniform(0.15, 0.6)

    def code(self, t: float, code: str, pause_before: int = -1, pause: float = 0.0) -> float:
        """Types ``code`` from ``t``; a ``pause`` (s) before press number ``pause_before``.
        Returns the last release."""
        for i, key in enumerate(code):
            if i == pause_before:
                t += pause
            elif i:
                t += self.gap()
            t = self.buttons.press(t, key.lower(), self.hold())
        return t

    def think(self) -> float:
        return self.rng.uniform(0.8, 3.0)


def _wrong(rng: random.Random) -> str:
    while True:
        code = "".join(rng.choice("AB") for _ in SECRET)
        if code != SECRET:
            return code


LOCKOUT = 10.0  # s, activities/combination-lock/main.py LOCKOUT_MS


def lock_scenarios() -> dict[str, tuple[str, Callable[[random.Random], Buttons]]]:
    def human(rng: random.Random) -> Buttons:
        b = Buttons(rng, bounce=0.2)
        ty = Typist(rng, b)
        t = ty.code(rng.uniform(1, 4), _wrong(rng))
        t = ty.code(t + ty.think(), _wrong(rng))
        t = ty.code(t + ty.think(), _wrong(rng))
        ty.code(t + LOCKOUT + rng.uniform(0.5, 3), SECRET)
        return b

    def fast_after_wrong(rng: random.Random) -> Buttons:
        b = Buttons(rng, bounce=0.2)
        ty = Typist(rng, b, "fast")
        t = rng.uniform(1, 3)
        for _ in range(3):  # each code starts 0.12-0.25 s after the last one ends
            t = ty.code(t, _wrong(rng)) + rng.uniform(0.12, 0.25)
        ty.code(t + LOCKOUT + rng.uniform(0.3, 1.5), SECRET)
        return b

    def wrong_then_right_fast(rng: random.Random) -> Buttons:
        b = Buttons(rng, bounce=0.2)
        ty = Typist(rng, b)
        t = ty.code(rng.uniform(1, 3), _wrong(rng))
        t = ty.code(t + ty.think(), _wrong(rng))
        t = ty.code(t + ty.think(), _wrong(rng))
        ty.speed = "fast"
        t = ty.code(t + LOCKOUT + rng.uniform(0.5, 2), _wrong(rng))
        ty.code(t + rng.uniform(0.12, 0.2), SECRET)  # straight after the X
        return b

    def bouncy(rng: random.Random) -> Buttons:
        b = Buttons(rng, bounce=1.0, worn=True)
        ty = Typist(rng, b)
        t = ty.code(rng.uniform(1, 3), _wrong(rng))
        t = ty.code(t + ty.think(), _wrong(rng))
        t = ty.code(t + ty.think(), _wrong(rng))
        ty.code(t + LOCKOUT + rng.uniform(0.5, 2), SECRET)
        return b

    def forgotten_half(rng: random.Random) -> Buttons:
        b = Buttons(rng, bounce=0.2)
        ty = Typist(rng, b)
        t = ty.code(rng.uniform(1, 3), SECRET[:2])  # starts, then stops to think
        t = ty.code(t + rng.uniform(3.6, 5), _wrong(rng))
        t = ty.code(t + ty.think(), _wrong(rng))
        t = ty.code(t + ty.think(), _wrong(rng))
        ty.code(t + LOCKOUT + rng.uniform(0.5, 2), SECRET)
        return b

    def hammer_lockout(rng: random.Random) -> Buttons:
        b = Buttons(rng, bounce=0.2)
        ty = Typist(rng, b, "fast")
        t = rng.uniform(1, 3)
        for _ in range(3):
            t = ty.code(t, _wrong(rng)) + rng.uniform(0.3, 1.0)
        end = t - 0.3 + LOCKOUT
        ty.code(t + 1, SECRET)  # the right code during the lockout: not seen
        t = t + 3
        while t < end - 0.6:  # hammering both buttons, all ignored
            t = b.press(t, rng.choice("ab"), ty.hold()) + rng.uniform(0.1, 0.4)
        ty.speed = "human"
        ty.code(end + rng.uniform(1.0, 2.5), SECRET)
        return b

    def slow_typist(rng: random.Random) -> Buttons:
        b = Buttons(rng, bounce=0.2)
        ty = Typist(rng, b, "slow")
        t = ty.code(rng.uniform(2, 5), _wrong(rng))
        t = ty.code(t + ty.think(), _wrong(rng))
        t = ty.code(t + ty.think(), _wrong(rng))
        ty.code(t + LOCKOUT + rng.uniform(1, 4), SECRET)
        return b

    def lucky(rng: random.Random) -> Buttons:
        b = Buttons(rng, bounce=0.2)
        Typist(rng, b).code(rng.uniform(1, 4), SECRET)
        return b

    def two_wrong_then_right(rng: random.Random) -> Buttons:
        b = Buttons(rng, bounce=0.2)
        ty = Typist(rng, b, "fast")
        t = ty.code(rng.uniform(1, 3), _wrong(rng)) + rng.uniform(0.12, 0.25)
        t = ty.code(t, _wrong(rng)) + rng.uniform(0.12, 0.25)
        ty.code(t, SECRET)  # two wrong only: opened before any lockout
        return b

    def right_during_lockout(rng: random.Random) -> Buttons:
        b = Buttons(rng, bounce=0.2)
        ty = Typist(rng, b)
        t = ty.code(rng.uniform(1, 3), _wrong(rng))
        t = ty.code(t + ty.think(), _wrong(rng))
        t = ty.code(t + ty.think(), _wrong(rng))
        ty.code(t + rng.uniform(2, LOCKOUT - 3), SECRET)  # too early: the lock ignores it
        return b

    def bounce_three_presses(rng: random.Random) -> Buttons:
        b = Buttons(rng, bounce=0.2)
        ty = Typist(rng, b)
        t = ty.code(rng.uniform(1, 3), _wrong(rng))
        t = ty.code(t + ty.think(), _wrong(rng))
        t = ty.code(t + ty.think(), _wrong(rng))
        # A, a very bouncy B, A: three presses (a lock without debouncing sees ABBA)
        t += LOCKOUT + rng.uniform(1, 2)
        t = b.press(t, "a", ty.hold()) + rng.uniform(0.3, 0.5)
        b.bounce, b.worn = 1.0, True
        t = b.press(t, "b", ty.hold() + 0.05) + rng.uniform(0.3, 0.5)
        b.bounce, b.worn = 0.0, False
        b.press(t, "a", ty.hold())
        return b

    def forgotten_before_third(rng: random.Random) -> Buttons:
        b = Buttons(rng, bounce=0.2)
        ty = Typist(rng, b)
        t = ty.code(rng.uniform(1, 3), _wrong(rng))
        t = ty.code(t + ty.think(), _wrong(rng))
        t = ty.code(t + ty.think(), "AA")  # half of a third wrong code...
        ty.code(t + rng.uniform(3.5, 5), SECRET)  # ...forgotten: two wrong, then open
        return b

    def hesitates_last_press(rng: random.Random) -> Buttons:
        b = Buttons(rng, bounce=0.2)
        ty = Typist(rng, b)
        t = ty.code(rng.uniform(1, 3), _wrong(rng))
        t = ty.code(t + ty.think(), _wrong(rng))
        t = ty.code(t + ty.think(), _wrong(rng))
        # ABB, then 3.3-4 s thinking: the code is forgotten before the last A
        ty.code(t + LOCKOUT + rng.uniform(1, 2), SECRET, pause_before=3,
                pause=rng.uniform(3.3, 4.0))  # fmt: skip
        return b

    def gives_up(rng: random.Random) -> Buttons:
        b = Buttons(rng, bounce=0.2)
        ty = Typist(rng, b)
        t = ty.code(rng.uniform(1, 3), _wrong(rng))
        ty.code(t + ty.think(), "BA")  # one wrong code and half of another
        return b

    return {
        "pass-human": ("three wrong codes at human speed, the lockout, then ABBA", human),
        "pass-fast-after-wrong": (
            "a fast typer starts each code 0.12-0.25 s after the last wrong one (a lock that "
            "sleeps while it shows X drops these presses)", fast_after_wrong),
        "pass-wrong-then-right-fast": (
            "after the lockout a wrong code and the right one straight after it",
            wrong_then_right_fast),
        "pass-bouncy": ("every press and release bounces for 12-25 ms", bouncy),
        "pass-forgotten-half": (
            "two presses, a 3.6-5 s pause (forgotten), three wrong codes, ABBA", forgotten_half),
        "pass-hammer-lockout": (
            "the right code and button hammering during the lockout (ignored), then ABBA after it",
            hammer_lockout),
        "pass-slow-typist": ("0.8-2.2 s between presses, never 3 s", slow_typist),
        "fail-lucky": ("the right code first time: no wrong code, no lockout", lucky),
        "fail-two-wrong-then-right": (
            "two wrong codes then the right one, fast: opened before any lockout",
            two_wrong_then_right),
        "fail-right-during-lockout": (
            "three wrong codes, then the right code during the lockout only (not seen)",
            right_during_lockout),
        "fail-bounce-three-presses": (
            "after the lockout A, a very bouncy B, A: three presses, not ABBA",
            bounce_three_presses),
        "fail-forgotten-before-third": (
            "two wrong codes, half a third forgotten in a 3.5-5 s pause, then ABBA: no lockout",
            forgotten_before_third),
        "fail-hesitates-last-press": (
            "after the lockout ABB, then 3.3-4 s before the last A: the code is forgotten",
            hesitates_last_press),
        "fail-gives-up": ("one wrong code and half of another", gives_up),
    }  # fmt: skip


# ---------------------------------------------------------------------------------------------
# Morse messenger


class Sender:
    """One beginner's Morse timing."""

    def __init__(self, rng: random.Random, buttons: Buttons, quick: bool = False) -> None:
        self.rng = rng
        self.buttons = buttons
        self.dot = rng.uniform(0.09, 0.17)
        self.dash = self.dot * rng.uniform(1.8, 2.4) if quick else rng.uniform(0.42, 0.65)
        self.quick = quick  # taps everything quickly: "dashes" that are really dots

    def length(self, symbol: str) -> float:
        if symbol == ".":
            return _clip(self.rng.gauss(self.dot, self.dot * 0.25), 0.06, 0.24)
        if self.quick:
            return _clip(self.rng.gauss(self.dash, self.dash * 0.1), 0.15, 0.25)
        return _clip(self.rng.gauss(self.dash, self.dash * 0.2), 0.35, 0.9)

    def letter(self, t: float, pattern: str, inner: tuple[float, float] = (0.15, 0.65)) -> float:
        """Taps ``pattern`` from ``t``; returns the last release."""
        for i, symbol in enumerate(pattern):
            if i:
                t += self.rng.uniform(*inner)
            t = self.buttons.press(t, "a", self.length(symbol))
        return t

    def word(self, t: float, text: str, gaps: tuple[float, float] = (1.3, 3.5)) -> float:
        for i, ch in enumerate(text):
            if i:
                t += self.rng.uniform(*gaps)
            t = self.letter(t, MORSE[ch])
        return t

    def send(self, t: float, right_after: bool) -> None:
        t += self.rng.uniform(0.15, 0.6) if right_after else self.rng.uniform(1.5, 3)
        self.buttons.press(t, "b", self.rng.uniform(0.1, 0.3))


def morse_scenarios() -> dict[str, tuple[str, Callable[[random.Random], Buttons]]]:
    Make = Callable[[random.Random], Buttons]

    def message(text: str, right_after: bool, bounce: float = 0.0, quick: bool = False,
                gaps: tuple[float, float] = (1.3, 3.5)) -> Make:  # fmt: skip
        def make(rng: random.Random) -> Buttons:
            b = Buttons(rng, bounce=bounce)
            s = Sender(rng, b, quick)
            s.send(s.word(rng.uniform(1, 3), text, gaps), right_after)
            return b

        return make

    def unknown_first(rng: random.Random) -> Buttons:
        b = Buttons(rng)
        s = Sender(rng, b)
        t = s.letter(rng.uniform(1, 3), "......")  # not a letter: "?"
        s.send(s.word(t + rng.uniform(1.5, 3), "SOSAB"), True)
        return b

    def split_letter(rng: random.Random) -> Buttons:
        b = Buttons(rng)
        s = Sender(rng, b)
        t = s.word(rng.uniform(1, 3), "SO") + rng.uniform(1.5, 3)
        t = s.letter(t, "...", inner=(1.2, 1.8))  # pauses too long inside the S: E E E
        s.send(t, True)
        return b

    def b_mid_letter(rng: random.Random) -> Buttons:
        b = Buttons(rng)
        s = Sender(rng, b)
        t = s.word(rng.uniform(1, 3), "HISO") + rng.uniform(1.5, 3)
        t = s.letter(t, "..")  # two dots of the last S, then B: decoded as I
        s.send(t, True)
        return b

    return {
        "pass-sos-hi": ("SOS HI, B a while later", message("SOSHI", False)),
        "pass-hi-sos-b-right-after": (
            "HI SOS, B 0.15-0.6 s after the last dot (a messenger that sends before decoding "
            "loses the last S)", message("HISOS", True)),
        "pass-slow-beginner": (
            "SOS CAT with 2.5-4.5 s between letters", message("SOSCAT", False, gaps=(2.5, 4.5))),
        "pass-hello-sos": ("HELLO SOS, B right after", message("HELLOSOS", True)),
        "pass-bouncy": ("SOS HI on a bouncy button A, B right after",
                        message("SOSHI", True, bounce=0.5)),
        "pass-unknown-first": ("six dots (not a letter) then SOS AB, B right after",
                               unknown_first),
        "pass-sos-sos": ("SOS SOS, B right after", message("SOSSOS", True)),
        "fail-hello": ("HELLO: five letters, no SOS", message("HELLO", True)),
        "fail-sos-only": ("SOS then B right after: three letters", message("SOS", True)),
        "fail-sos-e": ("SOS E: four letters", message("SOSE", True, bounce=0.3)),
        "fail-split-letter": (
            "SO then an S with 1.2-1.8 s between its dots: S O E E E, no SOS", split_letter),
        "fail-all-dots": (
            "quick taps: every dash under 0.25 s is a dot, SOS HI reads SSS HI",
            message("SOSHI", False, quick=True)),
        "fail-b-mid-letter": (
            "HISO, two dots of the S, then B: HISOI", b_mid_letter),
        "fail-b-early": ("SO then B", message("SO", False)),
    }  # fmt: skip


# ---------------------------------------------------------------------------------------------
# Posture alert

RATE = 20  # rows a second


def _rotation(rng: random.Random, most: float) -> list[list[float]]:
    """A random rotation of up to ``most`` degrees about each axis: the board worn tilted."""
    ax, ay, az = (math.radians(rng.uniform(-most, most)) for _ in range(3))
    cx, sx, cy, sy, cz, sz = (math.cos(ax), math.sin(ax), math.cos(ay), math.sin(ay),
                              math.cos(az), math.sin(az))  # fmt: skip
    rx = [[1, 0, 0], [0, cx, -sx], [0, sx, cx]]
    ry = [[cy, 0, sy], [0, 1, 0], [-sy, 0, cy]]
    rz = [[cz, -sz, 0], [sz, cz, 0], [0, 0, 1]]

    def mul(a: list[list[float]], b: list[list[float]]) -> list[list[float]]:
        return [[sum(a[i][k] * b[k][j] for k in range(3)) for j in range(3)] for i in range(3)]

    return mul(rz, mul(ry, rx))


class Body:
    """Forward lean (pitch) and sideways lean (roll), in degrees, as keyframes eased between."""

    def __init__(self, rng: random.Random, start: float = 0.0) -> None:
        self.rng = rng
        self.pitch: list[tuple[float, float]] = [(0.0, start)]
        self.roll: list[tuple[float, float]] = [(0.0, 0.0)]
        self.t = 0.0

    def move(self, to: float, over: float, hold: float, roll: float = 0.0) -> None:
        """Lean to ``to`` degrees in ``over`` s, then stay ``hold`` s."""
        self.t += over
        self.pitch.append((self.t, to))
        self.roll.append((self.t, roll))
        self.t += hold
        self.pitch.append((self.t, to))
        self.roll.append((self.t, roll))

    def straighten(self) -> None:
        """From the slump the run started in to straight, slowly (told to sit up straight,
        students take 1.5-3 s, so at 1 s they are still leaning), with a little overshoot."""
        self.move(self.rng.uniform(-5, -2), self.rng.uniform(1.5, 3.0), 0.0)
        self.move(self.rng.uniform(-1.5, 1.5), self.rng.uniform(0.4, 1.0), 0.0)

    def sit(self, seconds: float) -> None:
        """Sitting about straight, fidgeting a little."""
        end = self.t + seconds
        while self.t < end - 1:
            self.move(self.rng.uniform(-4, 4), self.rng.uniform(0.5, 1.5),
                      self.rng.uniform(1, 5), self.rng.uniform(-4, 4))  # fmt: skip
        self.move(self.rng.uniform(-3, 3), 0.5, max(0.0, end - self.t - 0.5))

    def brief_lean(self) -> None:
        """Picking up a pencil: 35-50 degrees, the whole lean under 1.5 s."""
        self.move(self.rng.uniform(35, 50), self.rng.uniform(0.3, 0.45), self.rng.uniform(0, 0.4))
        self.move(self.rng.uniform(-2, 2), self.rng.uniform(0.3, 0.45), 0)

    def slouch(self, low: float = 32, high: float = 50) -> None:
        """A real slouch: sinking forward over 1-3 s, staying 4-10 s with small shifts."""
        deep = self.rng.uniform(low, high)
        self.move(deep, self.rng.uniform(1, 3), self.rng.uniform(1, 3))
        for _ in range(self.rng.randint(1, 3)):
            self.move(_clip(deep + self.rng.uniform(-6, 6), low - 2, high + 4),
                      self.rng.uniform(0.5, 1.5), self.rng.uniform(1, 3))  # fmt: skip

    def sit_up(self, to: tuple[float, float] = (-3, 3)) -> None:
        self.move(self.rng.uniform(*to), self.rng.uniform(0.8, 2.0), self.rng.uniform(1, 3))

    @staticmethod
    def _at(frames: list[tuple[float, float]], t: float) -> float:
        for (t0, v0), (t1, v1) in zip(frames, frames[1:], strict=False):
            if t0 <= t <= t1:
                if t1 == t0:
                    return v1
                x = (t - t0) / (t1 - t0)
                return v0 + (v1 - v0) * (1 - math.cos(math.pi * x)) / 2  # eased
        return frames[-1][1]

    def rows(self, length: float, wear: float, noise: float) -> list[str]:
        turn = _rotation(self.rng, wear)
        breath = self.rng.uniform(0.2, 0.3)
        phase = self.rng.uniform(0, 2 * math.pi)
        rows = ["t,ax,ay,az"]
        for n in range(int(length * RATE) + 1):
            t = n / RATE
            pitch = math.radians(self._at(self.pitch, t) + math.sin(2 * math.pi * breath * t
                                                                    + phase))  # fmt: skip
            roll = math.radians(self._at(self.roll, t))
            g = (math.cos(pitch) * math.sin(roll), -math.cos(pitch) * math.cos(roll),
                 -math.sin(pitch))  # fmt: skip
            v = [sum(turn[i][k] * g[k] for k in range(3)) * 1000 for i in range(3)]
            v = [round(_clip(c + self.rng.gauss(0, noise), -2000, 2000)) for c in v]
            rows.append(f"{t:.2f},{v[0]},{v[1]},{v[2]}")
        return rows


def posture_scenarios() -> dict[str, tuple[str, Callable[[random.Random], list[str]]]]:
    def trace(steps: Callable[[Body], None], slumped: bool = True, wear: float = 25,
              length: float = 45) -> Callable[[random.Random], list[str]]:  # fmt: skip
        def make(rng: random.Random) -> list[str]:
            body = Body(rng, rng.uniform(20, 35) if slumped else rng.uniform(-2, 2))
            if slumped:
                body.straighten()
            steps(body)
            return body.rows(length, wear, rng.uniform(25, 50))

        return make

    def plain(b: Body) -> None:
        b.sit(b.rng.uniform(4, 7))
        b.slouch()
        b.sit_up()
        b.sit(5)

    def leans_first(b: Body) -> None:
        b.sit(4)
        for _ in range(3):
            b.brief_lean()
            b.sit(b.rng.uniform(2, 4))
        b.slouch()
        b.sit_up()
        b.sit(4)

    def creeping(b: Body) -> None:
        b.sit(5)
        b.move(b.rng.uniform(15, 20), 4, 2)  # creeping forward, slowly...
        b.move(b.rng.uniform(35, 45), 4, b.rng.uniform(4, 6))  # ...into a slouch
        b.sit_up()
        b.sit(4)

    def sideways_then_slouch(b: Body) -> None:
        b.sit(4)
        b.move(2, 0.6, 1.0, roll=b.rng.choice((-1, 1)) * b.rng.uniform(30, 40))  # to a friend
        b.move(0, 0.6, 3)
        b.slouch()
        b.sit_up()
        b.sit(4)

    def two_slouches(b: Body) -> None:
        b.sit(5)
        b.slouch()
        b.sit_up()
        b.sit(5)
        b.slouch()
        b.sit_up()
        b.sit(3)

    def only_brief_leans(b: Body) -> None:
        b.sit(4)
        for _ in range(6):
            b.brief_lean()
            b.sit(b.rng.uniform(2, 6))

    def never_sits_up(b: Body) -> None:
        b.sit(5)
        b.slouch()
        b.sit_up(to=(16, 22))  # straighter, but not straight...
        b.move(b.rng.uniform(15, 22), 1.0, 10)  # ...and staying there

    def gentle(b: Body) -> None:
        b.sit(5)
        b.move(b.rng.uniform(15, 19), 2, 20)  # leaning a little for a long time
        b.sit_up()
        b.sit(5)

    def noise_only(b: Body) -> None:
        b.sit(50)

    def short_slouches(b: Body) -> None:
        b.sit(5)
        for _ in range(4):
            b.move(b.rng.uniform(35, 45), 0.4, b.rng.uniform(0.2, 0.6))  # under 1.5 s > 25
            b.move(b.rng.uniform(-2, 3), 0.4, b.rng.uniform(3, 6))

    def sideways_only(b: Body) -> None:
        b.sit(4)
        for _ in range(3):
            side = b.rng.choice((-1, 1)) * b.rng.uniform(30, 40)
            b.move(2, 0.5, b.rng.uniform(0.3, 0.7), roll=side)
            b.move(0, 0.5, b.rng.uniform(3, 6))

    return {
        "pass-straighten-then-slouch": (
            "starts slumped, straightens up over 2-4 s (a one-sample reference would learn "
            "the slump), slouches 32-50 degrees, sits up", trace(plain)),
        "pass-upright-tilted": ("starts straight, board worn tilted up to 40 degrees",
                                trace(plain, slumped=False, wear=40)),
        "pass-brief-leans-first": ("three brief leans (not slouches), then a real slouch",
                                   trace(leans_first, length=55)),
        "pass-creeping": ("creeps forward slowly into a slouch", trace(creeping)),
        "pass-sideways-then-slouch": ("turns to a friend, then slouches",
                                      trace(sideways_then_slouch)),
        "pass-two-slouches": ("two slouches, sitting up after each", trace(two_slouches,
                                                                            length=55)),
        "fail-brief-leans": ("six brief leans to pick things up: never a lasting slouch",
                             trace(only_brief_leans, length=60)),
        "fail-never-sits-up": ("slouches, then only gets back to 15-22 degrees",
                               trace(never_sits_up, length=30)),
        "fail-gentle-lean": ("leans 15-19 degrees for 20 s: not a slouch", trace(gentle)),
        "fail-still-tilted-noisy": ("sits still, board worn tilted, sensor noise only",
                                    trace(noise_only, slumped=False, wear=40, length=50)),
        "fail-short-slouches": ("four slouches of under 1.5 s each", trace(short_slouches,
                                                                           length=40)),
        "fail-sideways": ("leans sideways to talk three times, briefly",
                          trace(sideways_only, length=30)),
    }  # fmt: skip


# ---------------------------------------------------------------------------------------------


def _write(slug: str, name: str, what: str, rows: list[str]) -> Path:
    folder = ROOT / "activities" / slug / "scenarios" / "corpus"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.csv"
    head = [
        f"# {what}",
        f"# made by tools/scenarios/buttons_posture.py, seed {SEED}",
    ]
    path.write_text("\n".join(head + rows) + "\n", encoding="utf-8")
    return path


def main() -> int:
    written = 0
    for slug, scenarios in (("combination-lock", lock_scenarios()),
                            ("morse-messenger", morse_scenarios())):  # fmt: skip
        for name, (what, make) in scenarios.items():
            _write(slug, name, what, make(random.Random(f"{SEED}-{slug}-{name}")).rows())
            written += 1
    for name, (what, make_rows) in posture_scenarios().items():
        _write("posture-alert", name, what, make_rows(random.Random(f"{SEED}-posture-{name}")))
        written += 1
    print(f"wrote {written} scenarios")
    return 0


if __name__ == "__main__":
    sys.exit(main())
