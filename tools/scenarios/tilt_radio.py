"""Seeded generator of realistic traces for the tilt rainbow and the radio relay.

Run ``.venv/bin/python tools/scenarios/tilt_radio.py`` to (re)write
``activities/tilt-rainbow/scenarios/corpus/{pass,fail}-*.csv`` and
``activities/radio-relay/scenarios/corpus/{pass,fail}-*.csv``. The same seed always writes
the same files. Every file starts with comment lines saying what it models, its seed and its
ground truth (``# truth: name=N``); the name's prefix is the expected verdict, and
``tests/activities/test_corpus.py`` replays each on two board families.

What is modelled:

- **Tilts** (milli-g in kit's axes, 50 rows a second): how the board is worn at rest (flat
  face up, worn tilted 20-35 degrees about a random axis, upside down, on its edge with
  gravity on x or y); a tilt rotates gravity's pull by 20-45 degrees towards the direction a
  student aims at (the middle of a colour's sixth, give or take 12 degrees), ramping in 0.3-0.7
  s, held 0.6-1.5 s and back; slow circles (5-8 s a turn); quick flicks (0.1-0.2 s); too
  small tilts (8-14 degrees); hand tremor (a wandering 20-60 mg on every axis) and sensor noise
  (sd 10-25 mg); shaking (2-6 Hz, 800-1500 mg) and walking (the arm swinging 20-30 degrees
  at about 1 Hz, a heel-strike jolt of 300-800 mg at every step). Range clipping (+-2 g on
  the ESP32's MPU-6050) is the simulator's job (the board profile).
- **Radio relay** (buttons A, B and the radio column: what the partner's board sends, as
  heard through the pair's own group): human presses (80-200 ms, held up to 1.5 s), contact
  bounce (1-4 flickers of 0.5-3 ms, a worn button up to 25 ms), the partner sending at
  human times 1.5-6 s apart with radio loss (5-20 % of messages never arrive: they are not
  in the file), a partner passing our own word back, bursts of messages, presses too early
  or after the minute. Neighbouring tables are not in these traces: with a radio group per
  pair their messages never reach this board (a micro:bit filters them in the radio, the
  ESP32 and virtual boards by kit's tag), and a scenario's radio messages carry no group, so
  they are heard on every group; ``tests/classroom/test_radio_groups.py`` plays three pairs
  on one shared air instead.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from pathlib import Path

SEED = 7
ROOT = Path(__file__).resolve().parents[2]
ACTIVITIES = ROOT / "activities"
Vec = tuple[float, float, float]


def write(path: Path, header: str, rows: list[str], what: str, seed: int, truth: dict) -> None:
    """A scenario file: comment lines (what, seed, truth), the header, the rows."""
    lines = [f"# {line}" for line in what.strip().splitlines()]
    lines.append(f"# made by tools/scenarios/tilt_radio.py, seed {seed}")
    lines.append("# truth: " + " ".join(f"{k}={v}" for k, v in truth.items()))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join([*lines, header, *rows]) + "\n", encoding="utf-8")


# ---------------------------------------------------------------------------------------------
# Tilts


def _dot(a: Vec, b: Vec) -> float:
    return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]


def _norm(a: Vec) -> Vec:
    n = math.sqrt(_dot(a, a))
    return (a[0] / n, a[1] / n, a[2] / n)


def _minus(a: Vec, b: Vec, k: float) -> Vec:
    return (a[0] - k * b[0], a[1] - k * b[1], a[2] - k * b[2])


def _rotate(v: Vec, axis: Vec, degrees: float) -> Vec:
    """``v`` turned about the unit ``axis`` (Rodrigues)."""
    th = math.radians(degrees)
    c, s = math.cos(th), math.sin(th)
    cross = (
        axis[1] * v[2] - axis[2] * v[1],
        axis[2] * v[0] - axis[0] * v[2],
        axis[0] * v[1] - axis[1] * v[0],
    )
    d = _dot(axis, v)
    return tuple(v[i] * c + cross[i] * s + axis[i] * d * (1 - c) for i in range(3))  # type: ignore[return-value]


UNIT = ((1.0, 0.0, 0.0), (0.0, 1.0, 0.0), (0.0, 0.0, 1.0))


class Wrist:
    """Where gravity's pull points on the board (tilts from a rest), plus motion and noise.

    A tilt towards ``phi`` degrees is measured the way the script does: in the plane of the
    two axes that are not "down" (the one gravity pulls most on at rest), the first at 0
    degrees and the second at 90."""

    RATE = 50  # rows a second

    def __init__(self, rng: random.Random, rest: Vec, seconds: float = 60.0) -> None:
        self.rng = rng
        self.seconds = seconds
        self.rest = _norm(rest)
        down = max(range(3), key=lambda i: abs(self.rest[i]))
        u_axis, v_axis = (UNIT[i] for i in range(3) if i != down)
        self.eu = _norm(_minus(u_axis, self.rest, _dot(u_axis, self.rest)))
        ev = _minus(v_axis, self.rest, _dot(v_axis, self.rest))
        self.ev = _norm(_minus(ev, self.eu, _dot(ev, self.eu)))
        n = round(seconds * self.RATE)
        self.theta = [0.0] * n  # degrees of tilt at each row
        self.phi = [0.0] * n  # towards this direction
        self.motion: list[Vec] = [(0.0, 0.0, 0.0)] * n  # milli-g of movement on top
        self.tremor = rng.uniform(20, 60)
        self.noise = rng.uniform(10, 25)
        self.truth = {"colours": 0, "held_tilts": 0}
        self._found: set[int] = set()

    def _span(self, start: float, length: float) -> range:
        first = round(start * self.RATE)
        return range(max(0, first), min(len(self.theta), first + round(length * self.RATE)))

    def aim(self, colour: int) -> float:
        """The direction (degrees) of a student aiming at ``colour``'s sixth."""
        return -150 + 60 * colour + self.rng.uniform(-12, 12)

    def tilt(
        self,
        t: float,
        colour: int,
        *,
        hold: float | None = None,
        degrees: float | None = None,
        count: bool = True,
    ) -> float:
        """Tip towards ``colour``, hold, come back; returns when it is back at rest."""
        rng = self.rng
        top = degrees if degrees is not None else rng.uniform(20, 45)
        up, back = rng.uniform(0.3, 0.7), rng.uniform(0.3, 0.6)
        keep = hold if hold is not None else rng.uniform(0.6, 1.5)
        phi = self.aim(colour)
        for i in self._span(t, up + keep + back):
            s = i / self.RATE - t
            k = min(s / up, 1.0, (up + keep + back - s) / back)
            self.theta[i], self.phi[i] = top * max(0.0, k), phi
        if count and keep >= 0.6 and top >= 20:
            self.truth["held_tilts"] += 1
            if colour not in self._found:
                self._found.add(colour)
                self.truth["colours"] += 1
        return t + up + keep + back

    def flick(self, t: float, colour: int) -> float:
        """A quick flick: 0.1-0.2 s there and back."""
        rng = self.rng
        length = rng.uniform(0.1, 0.2)
        phi, top = self.aim(colour), rng.uniform(30, 40)
        for i in self._span(t, length):
            s = i / self.RATE - t
            self.theta[i], self.phi[i] = top * math.sin(math.pi * s / length), phi
        return t + length

    def circle(self, t: float, turns: float, seconds_per_turn: float, degrees: float) -> float:
        """Leaning ``degrees`` all the time, the direction going round."""
        length = turns * seconds_per_turn
        ramp = 0.5
        start_phi = self.rng.uniform(-180, 180)
        for i in self._span(t, length + 2 * ramp):
            s = i / self.RATE - t
            k = min(s / ramp, 1.0, (length + 2 * ramp - s) / ramp)
            self.theta[i] = degrees * max(0.0, k)
            self.phi[i] = start_phi + 360 * max(0.0, s - ramp) / seconds_per_turn
        if degrees >= 20 and seconds_per_turn >= 4:
            self.truth["colours"] = 6
            self._found = set(range(6))
        return t + length + 2 * ramp

    def shake(self, t: float, length: float) -> float:
        """Shaking: bursts at 2-6 Hz of 800-1500 mg, each burst along its own direction."""
        rng = self.rng
        end = t + length
        while t < end:
            burst = rng.uniform(0.8, 2.0)
            hz, size = rng.uniform(2, 6), rng.uniform(800, 1500)
            way = _norm((rng.gauss(0, 1), rng.gauss(0, 1), rng.gauss(0, 1)))
            for i in self._span(t, min(burst, end - t)):
                s = i / self.RATE - t
                k = size * math.sin(2 * math.pi * hz * s)
                m = self.motion[i]
                self.motion[i] = (m[0] + k * way[0], m[1] + k * way[1], m[2] + k * way[2])
            t += burst
        return end

    def walk(self, t: float, length: float) -> float:
        """Walking with the board on the wrist: the arm swings, every step jolts."""
        rng = self.rng
        swing, hz = rng.uniform(20, 30), rng.uniform(0.85, 1.0)
        along = rng.choice((0.0, 90.0))
        for i in self._span(t, length):
            s = i / self.RATE - t
            a = swing * math.sin(2 * math.pi * hz * s)
            self.theta[i], self.phi[i] = abs(a), along if a >= 0 else along + 180
        step = t + rng.uniform(0.1, 0.4)
        while step < t + length - 0.1:
            jolt = rng.uniform(300, 800)
            for i in self._span(step, 0.06):
                m = self.motion[i]
                self.motion[i] = (
                    m[0] + jolt * self.rest[0] + rng.gauss(0, 150),
                    m[1] + jolt * self.rest[1] + rng.gauss(0, 150),
                    m[2] + jolt * self.rest[2] + rng.gauss(0, 150),
                )
            step += 1 / (2 * hz) * rng.uniform(0.95, 1.05)
        return t + length

    def rows(self) -> list[str]:
        rng = self.rng
        out = []
        drift = [0.0, 0.0, 0.0]
        keep = math.exp(-1 / (self.RATE * 0.3))  # tremor wanders with a 0.3 s memory
        for i in range(len(self.theta)):
            th, ph = math.radians(self.theta[i]), math.radians(self.phi[i])
            side = tuple(math.cos(ph) * self.eu[k] + math.sin(ph) * self.ev[k] for k in range(3))
            c, s = math.cos(th), math.sin(th)
            g = tuple(1000 * (c * self.rest[k] + s * side[k]) for k in range(3))
            cells = []
            for k in range(3):
                drift[k] = keep * drift[k] + math.sqrt(1 - keep * keep) * rng.gauss(0, self.tremor)
                v = g[k] + self.motion[i][k] + drift[k] + rng.gauss(0, self.noise)
                cells.append(str(max(-16000, min(16000, round(v)))))
            out.append(f"{i / self.RATE:.2f}," + ",".join(cells))
        return out


def _worn_tilted(rng: random.Random, rest: Vec = (0, 0, -1)) -> Vec:
    axis = _norm((rng.gauss(0, 1), rng.gauss(0, 1), 0.0))
    return _rotate(rest, axis, rng.uniform(20, 35))


def tilt_scenarios() -> dict[str, tuple[str, Callable[[random.Random], Wrist]]]:
    def rainbow(w: Wrist, t: float, order: list[int]) -> float:
        for colour in order:
            t = w.tilt(t, colour) + w.rng.uniform(0.2, 1.0)
        return t

    def flat_in_order(rng: random.Random) -> Wrist:
        w = Wrist(rng, (0, 0, -1))
        rainbow(w, rng.uniform(1.5, 3), list(range(6)))
        return w

    def worn_tilted(rng: random.Random) -> Wrist:
        w = Wrist(rng, _worn_tilted(rng))
        rainbow(w, rng.uniform(1.5, 3), rng.sample(range(6), 6))
        return w

    def upside_down(rng: random.Random) -> Wrist:
        w = Wrist(rng, _rotate((0, 0, 1), (1, 0, 0), rng.uniform(-10, 10)))
        rainbow(w, rng.uniform(1.5, 3), rng.sample(range(6), 6))
        return w

    def on_edge(rng: random.Random) -> Wrist:
        edge = rng.choice(((-1.0, 0.0, 0.0), (0.0, -1.0, 0.0)))
        w = Wrist(rng, _rotate(edge, (0, 0, 1), rng.uniform(-10, 10)))
        rainbow(w, rng.uniform(1.5, 3), rng.sample(range(6), 6))
        return w

    def slow_circle(rng: random.Random) -> Wrist:
        w = Wrist(rng, _worn_tilted(rng))
        w.circle(rng.uniform(2, 4), rng.uniform(1.5, 2), rng.uniform(5, 8), rng.uniform(25, 35))
        return w

    def shaky_hands(rng: random.Random) -> Wrist:
        w = Wrist(rng, (0, 0, -1))
        w.tremor = rng.uniform(80, 100)
        t = rng.uniform(1.5, 3)
        for colour in rng.sample(range(6), 6):
            t = w.flick(t, (colour + 3) % 6) + rng.uniform(0.2, 0.5)
            t = w.tilt(t, colour, hold=rng.uniform(0.8, 1.5)) + rng.uniform(0.2, 0.8)
        return w

    def late_start(rng: random.Random) -> Wrist:
        w = Wrist(rng, _worn_tilted(rng))
        rainbow(w, rng.uniform(18, 24), rng.sample(range(6), 6))
        return w

    # ---- fail
    def three_then_shaking(rng: random.Random) -> Wrist:
        w = Wrist(rng, (0, 0, -1))
        t = rainbow(w, rng.uniform(1.5, 3), rng.sample(range(6), 3))
        w.shake(t + 1, 30)
        return w

    def two_then_walking(rng: random.Random) -> Wrist:
        w = Wrist(rng, _worn_tilted(rng))
        t = rainbow(w, rng.uniform(1.5, 3), rng.sample(range(6), 2))
        w.walk(t + 1, 40)
        return w

    def five_colours(rng: random.Random) -> Wrist:
        w = Wrist(rng, _worn_tilted(rng))
        order = rng.sample(range(6), 5)
        t = rainbow(w, rng.uniform(1.5, 3), order)
        rainbow(w, t + 2, rng.sample(order, 3))  # tries again, same five
        return w

    def flicks(rng: random.Random) -> Wrist:
        w = Wrist(rng, (0, 0, -1))
        order = rng.sample(range(6), 6)
        t = rainbow(w, rng.uniform(1.5, 3), order[:3])
        for _ in range(3):
            for colour in order[3:]:
                t = w.flick(t + rng.uniform(0.5, 1.0), colour)
        return w

    def too_small(rng: random.Random) -> Wrist:
        w = Wrist(rng, _worn_tilted(rng))
        w.tremor = rng.uniform(50, 70)
        t = rng.uniform(1.5, 3)
        for colour in list(range(6)) * 2:
            t = w.tilt(t, colour, degrees=rng.uniform(8, 14)) + rng.uniform(0.2, 0.8)
        return w

    def worn_tilted_still(rng: random.Random) -> Wrist:
        w = Wrist(rng, _worn_tilted(rng, (0, 0, -1)))
        w.tremor = rng.uniform(60, 80)  # never tilted on purpose: worn, and wobbling
        t = rng.uniform(10, 15)
        w.walk(t, 8)
        return w

    def upside_down_two(rng: random.Random) -> Wrist:
        w = Wrist(rng, (0, 0, 1))
        order = rng.sample(range(6), 2)
        t = rainbow(w, rng.uniform(1.5, 3), order)
        rainbow(w, t + 3, order)
        return w

    return {
        "pass-flat-in-order": ("Flat on the palm; the six colours in order.", flat_in_order),
        "pass-worn-tilted": (
            "Worn tilted 20-35 degrees (gravity split across axes); six tilts in any order "
            "(the old fixed sideways pull showed a colour at rest and lost others).",
            worn_tilted,
        ),
        "pass-upside-down": ("Upside down (face down, +-10 degrees): six tilts.", upside_down),
        "pass-on-edge": (
            "Worn on its edge: gravity on x or y (the old script used only x and y).",
            on_edge,
        ),
        "pass-slow-circle": (
            "Worn tilted; leaning 25-35 degrees slowly round in circles (5-8 s a turn).",
            slow_circle,
        ),
        "pass-shaky-hands": (
            "Strong tremor (80-100 mg) and a quick flick the wrong way before every tilt.",
            shaky_hands,
        ),
        "pass-late-start": ("Worn tilted; starts after 18-24 s, then six tilts.", late_start),
        "fail-three-then-shaking": (
            "Near miss: three colours by tilting, then the board is shaken for 30 s (the old "
            "script found every colour in the shaking).",
            three_then_shaking,
        ),
        "fail-two-then-walking": (
            "Worn tilted: two colours, then walking for 40 s (the arm swings, steps jolt).",
            two_then_walking,
        ),
        "fail-five-colours": (
            "Near miss: five colours, again and again; the sixth is never tipped towards.",
            five_colours,
        ),
        "fail-flicks": (
            "Near miss: three colours held, the other three only flicked (0.1-0.2 s).",
            flicks,
        ),
        "fail-too-small": (
            "Near miss: worn tilted; every direction, but only 8-14 degrees, with tremor.",
            too_small,
        ),
        "fail-worn-still": (
            "Worn tilted 20-35 degrees and never tilted on purpose: wobbles and a short walk.",
            worn_tilted_still,
        ),
        "fail-upside-down-two": ("Upside down: only two colours, twice.", upside_down_two),
    }


# ---------------------------------------------------------------------------------------------
# Radio relay

PARTNER_WORDS = ("fox", "bee", "cat", "moon", "kiwi", "tiger")


class Relay:
    """Buttons A and B (with bounce) and the partner's messages heard by radio."""

    def __init__(self, rng: random.Random, worn: bool = False) -> None:
        self.rng = rng
        self.worn = worn  # a worn button bounces for longer
        self.edges: list[tuple[float, str, int]] = []
        self.heard: list[tuple[float, str]] = []
        self.truth = {"sends": 0, "heard": 0, "lost": 0, "passes": 0}
        self.word = rng.choice(PARTNER_WORDS)

    def press(
        self, t: float, button: str, hold: float | None = None, wobble: bool = False
    ) -> float:
        """A press of ``button`` at ``t`` (bouncing); returns when it is let go. A wobbly
        finger half lets go in the middle: the contacts open for 25-40 ms."""
        rng = self.rng
        hold = hold if hold is not None else rng.uniform(0.08, 0.2)
        longest = 0.025 if self.worn else 0.003
        self.edges.append((t, button, 1))
        if wobble:
            hold = max(hold, 0.2)
            middle = t + rng.uniform(0.07, hold - 0.08)
            self.edges += [(middle, button, 0), (middle + rng.uniform(0.025, 0.04), button, 1)]
        u = t
        for _ in range(rng.randint(1, 4)):  # the contacts close, flicker open, close
            u += rng.uniform(0.0005, longest)
            self.edges.append((u, button, 0))
            u += rng.uniform(0.0005, 0.003)
            self.edges.append((u, button, 1))
        u = t + hold
        for _ in range(rng.randint(1, 4)):  # and again when they open
            self.edges.append((u, button, 0))
            u += rng.uniform(0.0005, longest)
            self.edges.append((u, button, 1))
            u += rng.uniform(0.0005, 0.003)
        self.edges.append((u, button, 0))
        return u

    def send(self, t: float, hold: float | None = None, wobble: bool = False) -> float:
        self.truth["sends"] += t < 60
        return self.press(t, "a", hold, wobble)

    def pass_on(self, t: float) -> float:
        self.truth["passes"] += t < 60 and any(h <= t for h, _ in self.heard)
        return self.press(t, "b")

    def partner(self, t: float, count: int, loss: float = 0.0, word: str | None = None) -> float:
        """The partner sends ``count`` times, 1.5-6 s apart; ``loss`` of them never arrive."""
        rng = self.rng
        for _ in range(count):
            if rng.random() < loss:
                self.truth["lost"] += 1
            else:
                self.heard.append((t, word or self.word))
                self.truth["heard"] += 1
            t += rng.uniform(1.5, 6)
        return t

    def rows(self) -> list[str]:
        changes = sorted(
            [(t, 0 if b == "a" else 1, str(v)) for t, b, v in self.edges]
            + [(t, 2, w) for t, w in self.heard]
        )
        out = ["0.000,0,0,"]
        for t, column, value in changes:
            cells = ["", "", ""]
            cells[column] = value
            out.append(f"{t:.4f}," + ",".join(cells))
        return out


def radio_scenarios() -> dict[str, tuple[str, Callable[[random.Random], Relay]]]:
    def typical(rng: random.Random) -> Relay:
        r = Relay(rng)
        t = rng.uniform(2, 5)
        for _ in range(3):
            t = r.send(t) + rng.uniform(0.6, 2.0)
        heard = r.partner(rng.uniform(3, 8), 3)
        r.pass_on(max(t, heard) + rng.uniform(1, 3))
        return r

    def hears_first(rng: random.Random) -> Relay:
        r = Relay(rng)
        r.partner(rng.uniform(2, 4), 2)
        t = r.pass_on(rng.uniform(9, 12)) + rng.uniform(1, 2)
        for _ in range(3):
            t = r.send(t) + rng.uniform(0.6, 2.0)
        return r

    def long_holds(rng: random.Random) -> Relay:
        r = Relay(rng)
        t = rng.uniform(2, 5)
        for _ in range(3):
            t = r.send(t, hold=rng.uniform(0.5, 1.5)) + rng.uniform(0.5, 1.5)
        heard = r.partner(rng.uniform(3, 8), 2)
        r.pass_on(max(t, heard) + rng.uniform(1, 3))
        return r

    def lossy(rng: random.Random) -> Relay:
        r = Relay(rng)
        t = rng.uniform(2, 5)
        for _ in range(4):
            t = r.send(t) + rng.uniform(0.6, 2.0)
        r.heard.append((rng.uniform(20, 25), r.word))  # one gets through for sure
        r.truth["heard"] += 1
        heard = r.partner(rng.uniform(3, 8), 5, loss=0.2)
        r.pass_on(max(t, heard, 26) + rng.uniform(1, 3))
        return r

    def mashing(rng: random.Random) -> Relay:
        r = Relay(rng)
        t = rng.uniform(2, 5)
        for _ in range(5):  # as fast as a finger goes: 150-250 ms a press
            t = r.send(t, hold=rng.uniform(0.07, 0.1)) + rng.uniform(0.08, 0.15)
        heard = r.partner(rng.uniform(4, 8), 2)
        r.pass_on(max(t, heard) + rng.uniform(1, 3))
        return r

    def b_too_early_then_again(rng: random.Random) -> Relay:
        r = Relay(rng)
        t = r.pass_on(rng.uniform(1.5, 3))  # nothing heard yet: nothing to pass on
        for _ in range(3):
            t = r.send(t + rng.uniform(0.6, 2.0))
        heard = r.partner(t + rng.uniform(1, 3), 2)
        r.pass_on(heard + rng.uniform(0.5, 2))
        return r

    def worn_button(rng: random.Random) -> Relay:
        r = Relay(rng, worn=True)
        t = rng.uniform(2, 5)
        for _ in range(3):
            t = r.send(t) + rng.uniform(0.6, 2.0)
        heard = r.partner(rng.uniform(3, 8), 3, loss=0.1)
        r.heard.append((heard, r.word))
        r.truth["heard"] += 1
        r.pass_on(max(t, heard) + rng.uniform(1, 3))
        return r

    def own_word_back(rng: random.Random) -> Relay:
        r = Relay(rng)
        t = rng.uniform(2, 5)
        for _ in range(3):
            t = r.send(t) + rng.uniform(0.6, 2.0)
        r.heard.append((t + rng.uniform(1, 3), "owl"))  # the partner passes our word back
        r.truth["heard"] += 1
        r.pass_on(t + rng.uniform(5, 7))
        return r

    # ---- fail
    def two_bouncy_presses(rng: random.Random) -> Relay:
        r = Relay(rng, worn=True)
        t = rng.uniform(2, 5)
        for _ in range(2):
            t = r.send(t) + rng.uniform(1.0, 2.0)
        heard = r.partner(rng.uniform(3, 8), 3)
        r.pass_on(max(t, heard) + rng.uniform(1, 3))
        return r

    def wobbly_presses(rng: random.Random) -> Relay:
        r = Relay(rng)
        t = rng.uniform(2, 5)
        for _ in range(2):
            t = r.send(t, hold=rng.uniform(0.25, 0.4), wobble=True) + rng.uniform(1.0, 2.0)
        heard = r.partner(rng.uniform(3, 8), 2)
        r.pass_on(max(t, heard) + rng.uniform(1, 3))
        return r

    def nobody_answers(rng: random.Random) -> Relay:
        r = Relay(rng)
        t = rng.uniform(2, 5)
        for _ in range(4):
            t = r.send(t) + rng.uniform(0.6, 2.0)
        r.pass_on(t + rng.uniform(2, 4))  # the partner's board is off: nothing to pass on
        return r

    def b_too_early(rng: random.Random) -> Relay:
        r = Relay(rng)
        t = rng.uniform(2, 5)
        for _ in range(3):
            t = r.send(t) + rng.uniform(0.6, 2.0)
        r.pass_on(t)
        r.partner(t + rng.uniform(1.0, 3.0), 3)  # heard only after B was pressed
        return r

    def never_passes(rng: random.Random) -> Relay:
        r = Relay(rng)
        t = rng.uniform(2, 5)
        for _ in range(3):
            t = r.send(t) + rng.uniform(0.6, 2.0)
        r.partner(rng.uniform(3, 8), 4)
        return r

    def holds_a(rng: random.Random) -> Relay:
        r = Relay(rng)
        t = r.send(rng.uniform(2, 5), hold=rng.uniform(4, 6))  # one long press, one send
        r.send(t + rng.uniform(1, 2))
        heard = r.partner(rng.uniform(3, 8), 2)
        r.pass_on(heard + rng.uniform(1, 3))
        return r

    def third_send_too_late(rng: random.Random) -> Relay:
        r = Relay(rng)
        t = r.send(rng.uniform(10, 20))
        heard = r.partner(t + rng.uniform(2, 5), 2)
        t = r.pass_on(heard + rng.uniform(5, 10))
        t = r.send(t + rng.uniform(3, 6))
        r.send(max(t + 1, 60 + rng.uniform(0.5, 2)))  # after the relay stopped at 60 s
        return r

    return {
        "pass-typical": (
            "Sends three times (bouncy contacts), hears the partner's word, passes it on.",
            typical,
        ),
        "pass-hears-first": ("Hears the partner first, passes it on, then sends.", hears_first),
        "pass-long-holds": ("Holds A down 0.5-1.5 s each time (one send each).", long_holds),
        "pass-lossy-radio": (
            "Radio loss: a fifth of the partner's messages never arrive; four sends.",
            lossy,
        ),
        "pass-mashing": ("Mashes A five times, 150-250 ms a press.", mashing),
        "pass-b-too-early-then-again": (
            "Presses B before anything is heard (nothing to pass on), then again after.",
            b_too_early_then_again,
        ),
        "pass-worn-button": (
            "A worn button (contacts flicker for up to 25 ms) on three sends.",
            worn_button,
        ),
        "pass-own-word-back": (
            "The partner passes our own word back; we pass it on again.",
            own_word_back,
        ),
        "fail-two-bouncy-presses": (
            "Near miss: only two presses of A on a worn button (flickers up to 25 ms): "
            "the bounces are not sends.",
            two_bouncy_presses,
        ),
        "fail-wobbly-presses": (
            "Near miss: two presses of A with a wobbly finger (the contacts open for 25-40 ms "
            "in the middle of each press; the old script sent twice per press).",
            wobbly_presses,
        ),
        "fail-nobody-answers": (
            "The partner's board is off: four sends, nothing heard, B passes nothing.",
            nobody_answers,
        ),
        "fail-b-too-early": (
            "Near miss: B pressed once, just before the partner's first message arrives.",
            b_too_early,
        ),
        "fail-never-passes": ("Sends, hears four messages, never presses B.", never_passes),
        "fail-holds-a": (
            "Near miss: holds A for 4-6 s (one send), then one more press: two sends.",
            holds_a,
        ),
        "fail-third-send-too-late": (
            "Near miss: a slow student whose third send comes after the minute is up.",
            third_send_too_late,
        ),
    }


# ---------------------------------------------------------------------------------------------
# main


def generate(seed: int = SEED) -> list[Path]:
    written: list[Path] = []
    jobs: list[tuple[str, str, dict]] = [
        ("tilt-rainbow", "t,ax,ay,az", tilt_scenarios()),
        ("radio-relay", "t,button_a,button_b,radio", radio_scenarios()),
    ]
    for slug, header, scenarios in jobs:
        folder = ACTIVITIES / slug / "scenarios" / "corpus"
        if folder.exists():
            for old in folder.glob("*.csv"):
                old.unlink()
        for i, (name, (what, build)) in enumerate(sorted(scenarios.items())):
            own = seed * 1000 + i
            trace = build(random.Random(f"{slug}/{name}/{own}"))
            path = folder / f"{name}.csv"
            write(path, header, trace.rows(), what, own, trace.truth)
            written.append(path)
    return written


if __name__ == "__main__":
    for path in generate():
        print(path.relative_to(ROOT))
