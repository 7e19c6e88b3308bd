"""Seeded generator of realistic accelerometer traces for the step counter and the high five.

Run ``.venv/bin/python tools/scenarios/motion.py`` to (re)write every generated scenario:

- ``activities/<slug>/scenarios/pass*.csv`` / ``fail*.csv``: short traces for the catalogue
  test, squeezed (see `squeeze`) to at most ~150 rows so they fit a virtual micro:bit v1;
- ``activities/<slug>/scenarios/corpus/*.csv``: the full 50 Hz traces (every family with room
  replays them; ``tests/activities/test_corpus.py`` and ``bench/accuracy.py`` use them).

Every file starts with comment lines saying how it was made (seed, wear, cadence) and its
ground truth, read back by the bench and the tests::

    # truth: steps=30          (step counter)
    # truth: high_fives=3      (high five)

What is modelled (milli-g, kit's convention: lying still face up reads (0, 0, -1000)):

- gravity along any direction of the board (`WEARS`: flat on the wrist, tilted 35-60 degrees,
  upside down, on its side, upright on the ankle), slowly rocked by the arm swing;
- walking from 1.4 (slow) to 2.8 (brisk, nearly a run) steps per second, each step a
  vertical bounce at the cadence plus a 30 ms heel-strike spike, per-step timing (+-6 %) and
  strength (+-20 %) jitter, weaker first and last steps, arm swing at half the cadence;
  ankles strike two to three times harder than wrists;
- jogging (2.6-3.0 steps/s) with a flight phase (the pull drops to 0.3-0.6 g) and hard
  landings;
- talking with the hands: smooth gestures of 0.3-0.9 s, now and then two or three quick
  "beats", the board turning as the hand turns;
- picking the board up and strapping it on; waving; shaking it in a hand;
- high fives: the hand rises smoothly, a 40-60 ms impact of 2-4 g (clipped at 2 g), a short
  rebound, then the arm comes down; claps with natural gaps (~450 ms) and the hands moving
  between them;
- sensor noise (Gaussian, sd 30-55 mg: peaks of +-100-150 mg) and clipping at +-2 g on every
  axis (the micro:bit's default range).
"""

from __future__ import annotations

import math
import random
import sys
from dataclasses import dataclass, field
from pathlib import Path

#: The catalogue's short traces: little noise, so squeezing them to ~140 rows (a held value
#: between rows) stays faithful; the noisy, full-rate truth is in the corpus.
SHORT_NOISE = 10.0
RATE = 50  # samples per second (the activities read the accelerometer every 20 ms)
DT = 1.0 / RATE
CLIP = 2000  # milli-g: the accelerometer's range on every axis
ROOT = Path(__file__).resolve().parents[2]

Vec = tuple[float, float, float]


def _norm(v: Vec) -> Vec:
    n = math.sqrt(sum(c * c for c in v)) or 1.0
    return (v[0] / n, v[1] / n, v[2] / n)


def _cross(a: Vec, b: Vec) -> Vec:
    return (a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0])


def _tilted(degrees: float, about: str = "x") -> Vec:
    """Where gravity reads on a board face up, tilted by ``degrees`` about one axis."""
    r = math.radians(degrees)
    if about == "x":
        return (0.0, math.sin(r), -math.cos(r))
    return (math.sin(r), 0.0, -math.cos(r))


#: How a board is worn: the direction gravity reads along (a unit vector; face up is
#: (0, 0, -1)), and how hard steps land there compared with a wrist.
WEARS: dict[str, tuple[Vec, float]] = {
    "wrist-flat": (_tilted(8), 1.0),
    "wrist-tilted": (_tilted(50), 1.0),
    "wrist-tilted-side": (_tilted(40, "y"), 1.0),
    "upside-down": ((0.05, -0.1, 0.99), 1.0),
    "on-its-side": ((0.98, 0.15, -0.1), 1.0),
    "ankle": ((0.1, -0.97, 0.2), 2.2),
}


@dataclass
class Trace:
    """A 50 Hz trace built piece by piece: each piece adds samples of the board's motion
    (specific force without gravity, in the world frame: ``up`` is along gravity's reading)
    and the orientation, plus its ground truth."""

    seed: int
    noise: float = 40.0  # sd of the sensor noise, milli-g
    wear: str = "wrist-flat"
    rows: list[Vec] = field(default_factory=list)
    steps: int = 0
    high_fives: int = 0
    notes: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)
        self.set_wear(self.wear)

    # --- orientation ---------------------------------------------------------------
    def set_wear(self, wear: str) -> Trace:
        """Wear the board another way from here on."""
        self.wear = wear
        self.down, self.strength = WEARS[wear]
        self.down = _norm(self.down)
        # two directions across gravity: "forward" (the arm swing) and "side"
        helper: Vec = (1.0, 0.0, 0.0) if abs(self.down[0]) < 0.8 else (0.0, 1.0, 0.0)
        self.side = _norm(_cross(self.down, helper))
        self.forward = _norm(_cross(self.side, self.down))
        return self

    def _add(self, up: float, fwd: float, side: float, rock: float = 0.0) -> None:
        """One sample: gravity (1000 mg) plus ``up`` along it, ``fwd`` and ``side`` across it;
        ``rock`` (radians) turns gravity's reading towards ``forward`` (the board rolling)."""
        c, s = math.cos(rock), math.sin(rock)
        down = tuple(c * d + s * f for d, f in zip(self.down, self.forward, strict=True))
        fwd_dir = tuple(c * f - s * d for d, f in zip(self.down, self.forward, strict=True))
        g = 1000.0 + up
        self.rows.append(
            tuple(  # type: ignore[arg-type]
                g * down[i] + fwd * fwd_dir[i] + side * self.side[i] for i in range(3)
            )
        )

    # --- pieces ----------------------------------------------------------------------
    def still(self, seconds: float, sway: float = 20.0) -> Trace:
        """Standing (or sitting) still: only a slow sway of ``sway`` mg and the noise."""
        phase = self.rng.random() * 6.28
        for i in range(int(seconds * RATE)):
            t = i * DT
            self._add(sway * math.sin(0.7 * t + phase), sway * math.sin(0.4 * t), 0.0)
        return self

    def walk(self, steps: int, cadence: float, *, jog: bool = False) -> Trace:
        """``steps`` steps at ``cadence`` steps per second (each one counts in the truth)."""
        rng = self.rng
        k = self.strength
        slow = (cadence - 1.4) / 1.4  # 0 for a slow walk, 1 for 2.8 steps/s
        bounce = (150 + 150 * slow) * k  # the body's up-and-down, at the cadence
        strike = (150 + 250 * slow) * k  # the heel strike's sharp spike
        swing = 120 + 120 * slow  # the arm swing, at half the cadence
        if jog:
            bounce, strike, swing = 520 * k, 650 * k, 300
        stride_phase = rng.random()
        for n in range(steps):
            period = (1.0 / cadence) * (1 + rng.uniform(-0.06, 0.06))
            ramp = 0.7 if n in (0, steps - 1) else 1.0  # first and last steps are softer
            b = bounce * ramp * rng.uniform(0.8, 1.2)
            s = strike * ramp * rng.uniform(0.8, 1.2)
            width = rng.uniform(0.012, 0.02)  # heel strike: ~25-40 ms wide
            samples = max(1, round(period * RATE))
            for i in range(samples):
                t = i * DT
                p = t / period
                spike = s * math.exp(-(((t - 0.03) / width) ** 2))
                up = b * math.cos(2 * math.pi * (p - 0.1)) + spike - s * width * 1.77 / period
                if jog and 0.45 < p < 0.85:  # flight: both feet off the ground
                    up -= 0.4 * b * math.sin(math.pi * (p - 0.45) / 0.4)
                arm = math.sin(2 * math.pi * (stride_phase + (n + p) / 2))
                self._add(up, swing * arm - 0.3 * spike, 0.25 * b * arm, rock=0.25 * arm)
            self.steps += 1
        return self

    def chatter(self, seconds: float) -> Trace:
        """Talking with the hands: gestures and beats, the hand turning; no steps."""
        rng = self.rng
        end = len(self.rows) + int(seconds * RATE)
        rock = 0.0
        while len(self.rows) < end:
            kind = rng.random()
            if kind < 0.3:  # a pause: the hand rests (the board at some angle)
                for _ in range(int(rng.uniform(0.2, 1.5) * RATE)):
                    self._add(0.0, 0.0, 0.0, rock=rock)
            elif kind < 0.75:  # one smooth gesture
                rock = self._gesture(rng.uniform(0.3, 0.9), rng.uniform(150, 500), rock)
            else:  # two or three quick beats, as when stressing words
                for _ in range(rng.choice((2, 3))):
                    rock = self._gesture(rng.uniform(0.18, 0.3), rng.uniform(250, 500), rock)
                    for _ in range(int(rng.uniform(0.1, 0.35) * RATE)):
                        self._add(0.0, 0.0, 0.0, rock=rock)
        del self.rows[end:]
        return self

    def _gesture(self, seconds: float, size: float, rock: float) -> float:
        """One smooth push of the hand (out and back), mostly across gravity, turning the
        hand from ``rock`` to the angle it returns."""
        rng = self.rng
        a, b, c = (rng.uniform(-1, 1) for _ in range(3))
        n = max(2, int(seconds * RATE))
        turn = max(-0.8, min(0.8, rock + rng.uniform(-0.6, 0.6))) - rock
        for i in range(n):
            wave = math.sin(2 * math.pi * i / n)  # speeds up, then slows down
            self._add(
                size * 0.5 * a * wave, size * b * wave, size * c * wave,
                rock=rock + turn * (1 - math.cos(math.pi * i / n)) / 2,
            )  # fmt: skip
        return rock + turn

    def handle(self, seconds: float) -> Trace:
        """Picking the board up and strapping it on: big, slow, irregular movements."""
        rng = self.rng
        n = int(seconds * RATE)
        waves = [(rng.uniform(0.2, 0.7), rng.uniform(150, 450), rng.random() * 6.28)
                 for _ in range(6)]  # fmt: skip
        for i in range(n):
            t = i * DT
            parts = [a * math.sin(2 * math.pi * f * t + p) for f, a, p in waves]
            fade = min(1.0, i / 10, (n - i) / 10)
            self._add(fade * parts[0], fade * (parts[1] + parts[2]), fade * parts[3],
                      rock=fade * 1.2 * math.sin(0.8 * t + waves[4][2]))  # fmt: skip
        return self

    def wave(self, seconds: float, size: float = 450, hz: float = 1.5) -> Trace:
        """Waving hello: a smooth side to side of ``size`` mg."""
        for i in range(int(seconds * RATE)):
            w = math.sin(2 * math.pi * hz * i * DT)
            self._add(0.2 * size * w * w, 0.3 * size * w, size * w, rock=0.5 * w)
        return self

    def shake(self, seconds: float, hz: float = 5.0, size: float = 1400) -> Trace:
        """Shaking the board hard in a hand: a long burst, not a short slap."""
        for i in range(int(seconds * RATE)):
            w = math.sin(2 * math.pi * hz * i * DT)
            self._add(0.6 * size * w, size * w, 0.2 * size * w)
        return self

    def high_five(self, hard: float | None = None, *, count: bool = True) -> Trace:
        """Raise the hand, slap (a 20-60 ms impact), lower it: ~1.1 s in all."""
        rng = self.rng
        hard = hard if hard is not None else rng.uniform(2000, 4000)
        raise_s = rng.uniform(0.4, 0.6)
        n = int(raise_s * RATE)
        for i in range(n):  # the arm rises smoothly
            self._add(120 * math.sin(math.pi * i / n), 150 * math.sin(math.pi * i / n), 0.0,
                      rock=0.6 * i / n)  # fmt: skip
        self._impact(hard, rock=0.6)
        n = int(rng.uniform(0.5, 0.7) * RATE)
        for i in range(n):  # and comes down again
            self._add(-100 * math.sin(math.pi * i / n), -120 * math.sin(math.pi * i / n), 0.0,
                      rock=0.6 * (1 - i / n))  # fmt: skip
        if count:
            self.high_fives += 1
        return self

    def _impact(self, hard: float, rock: float = 0.0) -> None:
        """A slap: the hand stops dead in 20-60 ms, then bounces back a little."""
        rng = self.rng
        a, b = rng.uniform(-0.5, 0.5), rng.choice((-1, 1)) * rng.uniform(0.6, 1.0)
        for i in range(rng.choice((2, 3))):
            f = hard * (1.0, 0.7, 0.4)[i]
            self._add(a * f, b * f, 0.3 * f, rock=rock)
        for _ in range(rng.choice((1, 2))):
            self._add(-0.1 * a * hard, -0.15 * b * hard, 0.0, rock=rock)

    def claps(self, count: int, gap: float = 0.45) -> Trace:
        """``count`` claps about ``gap`` s apart, the hands opening and closing between."""
        rng = self.rng
        for n in range(count):
            self._impact(rng.uniform(1800, 3000))
            if n == count - 1:
                break
            between = max(4, int(gap * rng.uniform(0.9, 1.1) * RATE) - 4)
            size = rng.uniform(120, 220)
            for i in range(between):
                self._add(0.3 * size * math.sin(2 * math.pi * i / between),
                          size * math.sin(2 * math.pi * i / between), 0.0)  # fmt: skip
        self.high_fives += count
        return self

    # --- output ---------------------------------------------------------------------
    def samples(self) -> list[tuple[float, int, int, int]]:
        """(t, ax, ay, az) at 50 Hz with the sensor's noise, clipped to its range."""
        rng = random.Random(self.seed + 1)
        out = []
        for i, row in enumerate(self.rows):
            values = [max(-CLIP, min(CLIP, round(v + rng.gauss(0, self.noise)))) for v in row]
            out.append((round(i * DT, 2), values[0], values[1], values[2]))
        return out


def squeeze(samples: list[tuple[float, int, int, int]], most: int) -> list[tuple]:
    """At most ``most`` rows that replay nearly the same trace (a value holds until the
    next row). A row is kept where the pull (all axes together) peaks or dips within
    ``reach`` samples either side, or where some axis moved more than ``leap`` since the
    last kept row (so slaps keep every sample); both grow until the rows fit."""
    pulls = [math.sqrt(x * x + y * y + z * z) for _, x, y, z in samples]
    reach = 2
    while True:
        leap = 400 + 50 * reach
        kept = [samples[0]]
        for i in range(1, len(samples)):
            near = pulls[max(0, i - reach) : i + reach + 1]
            extreme = pulls[i] in (max(near), min(near))
            moved = max(abs(samples[i][a] - kept[-1][a]) for a in (1, 2, 3)) > leap
            if extreme or moved:
                kept.append(samples[i])
        if len(kept) <= most:
            return kept
        reach += 1


def write(path: Path, trace: Trace, description: str, *, most: int | None = None) -> None:
    """Write ``trace`` as a scenario CSV (squeezed to ``most`` rows if given)."""
    rows = trace.samples()
    if most is not None:
        rows = squeeze(rows, most)
    truth = f"steps={trace.steps}" if "step" in str(path) else f"high_fives={trace.high_fives}"
    lines = [
        f"# {description}",
        f"# generated by tools/scenarios/motion.py (seed {trace.seed}, noise sd "
        f"{trace.noise:.0f} mg{', squeezed to ' + str(most) + ' rows' if most else ', 50 Hz'})",
        f"# truth: {truth}",
        "t,ax,ay,az",
    ]
    lines += [f"{t:g},{x},{y},{z}" for t, x, y, z in rows]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def read_truth(path: Path) -> dict[str, int]:
    """The ``# truth: name=N`` comment of a generated scenario ({} if it has none)."""
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# truth:"):
            name, _, value = line[len("# truth:") :].strip().partition("=")
            return {name: int(value)}
        if not line.startswith("#"):
            break
    return {}


# --- the scenarios ------------------------------------------------------------------------
# (file name, description, builder); the seed is the list position + a per-activity base, so
# adding a scenario at the end never changes the others.

# fmt: off
STEPS = [
    # the catalogue's short pass and fail (squeezed)
    ("pass", "Wrist, flat: 26 steps at 2.2 steps/s after standing still.",
     lambda t: t.still(1.5).walk(26, 2.2).still(1)),
    ("fail", "Standing, then sitting still, with a noisy sensor: no steps.",
     lambda t: t.still(58, sway=40)),
    ("pass-upside-down", "Board upside down on the wrist: 26 steps at 1.8 steps/s.",
     lambda t: t.set_wear("upside-down").still(1).walk(26, 1.8).still(1)),
    ("fail-sixteen", "A near miss: only 16 steps (2.0 steps/s), then standing still.",
     lambda t: t.still(1).walk(16, 2.0).still(10)),
]
STEPS_CORPUS = [
    ("pass-wrist-slow", "Wrist, flat: 30 steps at a slow 1.4 steps/s.",
     lambda t: t.still(2).walk(30, 1.4).still(2)),
    ("pass-wrist-tilted", "Wrist, tilted 50 degrees: 30 steps at 2.0 steps/s.",
     lambda t: t.set_wear("wrist-tilted").still(2).walk(30, 2.0).still(2)),
    ("pass-upside-down-brisk", "Upside down: 30 steps at a brisk 2.6 steps/s.",
     lambda t: t.set_wear("upside-down").still(2).walk(30, 2.6).still(2)),
    ("pass-on-its-side", "On its side (gravity on x): 30 steps at 1.7 steps/s.",
     lambda t: t.set_wear("on-its-side").still(2).walk(30, 1.7).still(2)),
    ("pass-ankle", "Upright on the ankle, hard heel strikes clipping at 2 g: 30 steps at 2.2.",
     lambda t: t.set_wear("ankle").still(2).walk(30, 2.2).still(2)),
    ("pass-ankle-run", "On the ankle, running: 30 steps at 2.8 steps/s.",
     lambda t: t.set_wear("ankle").still(2).walk(30, 2.8).still(2)),
    ("pass-strap-then-walk", "Strapping it on for 6 s, then 30 steps at 2.0 (tilted sideways).",
     lambda t: t.handle(6).set_wear("wrist-tilted-side").still(1).walk(30, 2.0).still(2)),
    ("pass-stop-and-go", "Three walks of 10 steps (1.6, 2.2, 2.8 steps/s) with stops.",
     lambda t: t.still(2).walk(10, 1.6).still(3).walk(10, 2.2).still(3).walk(10, 2.8).still(2)),
    ("pass-chatty-walker", "Talking with the hands, then 30 steps at 2.4, tilted.",
     lambda t: t.chatter(10).set_wear("wrist-tilted").walk(30, 2.4).still(2)),
    ("fail-noise", "Sitting still for a minute with a noisy sensor (sd 55 mg).",
     lambda t: t.still(59, sway=30)),
    ("fail-chatter", "Talking with the hands for a minute.",
     lambda t: t.still(1).chatter(58)),
    ("fail-chatter-tilted", "Talking with the hands, board tilted, for a minute.",
     lambda t: t.set_wear("wrist-tilted").chatter(59)),
    ("fail-strap-and-chat", "Strapping it on, chatting, then standing still.",
     lambda t: t.handle(8).still(3).chatter(15).still(30)),
    ("fail-sixteen-steps", "A near miss: 16 steps at 2.0 steps/s, then standing still.",
     lambda t: t.still(2).walk(16, 2.0).still(40)),
    ("fail-seventeen-ankle", "A near miss on the ankle: 17 steps at 2.4, then still.",
     lambda t: t.set_wear("ankle").still(2).walk(17, 2.4).still(40)),
]

FIVES = [
    ("pass", "Strapping it on, then three high fives about 3 s apart.",
     lambda t: t.handle(3).still(2).high_five().still(2).high_five().still(1.5).high_five()
     .still(1)),
    ("fail", "Jogging on the spot: hard landings all the time, never a high five.",
     lambda t: t.still(1).walk(34, 2.8, jog=True).still(40)),
    ("pass-claps", "Three claps with natural ~450 ms gaps.",
     lambda t: t.still(2).claps(3).still(2)),
    ("fail-too-slow", "Three high fives, but the third comes after 30 seconds.",
     lambda t: t.still(3).high_five().still(14).high_five().still(18).high_five().still(1)),
]
FIVES_CORPUS = [
    ("pass-partner", "Three high fives with a partner, 2-4 s apart.",
     lambda t: t.still(2).high_five().still(3).high_five().still(2).high_five().still(2)),
    ("pass-claps-fast", "Six claps with ~450 ms gaps.",
     lambda t: t.still(2).claps(6, 0.45).still(2)),
    ("pass-upside-down", "Board upside down: four high fives.",
     lambda t: t.set_wear("upside-down").still(2).high_five().still(2).high_five()
     .still(2).high_five().still(2).high_five().still(2)),
    ("pass-after-walk", "Walking 20 steps, then three high fives with friends.",
     lambda t: t.still(1).walk(20, 2.0).still(1).high_five().still(2).high_five().still(2)
     .high_five().still(2)),
    ("pass-strap-on-first", "Strapping it on for 8 s, then three soft-ish high fives.",
     lambda t: t.handle(8).still(2).high_five(1800).still(2).high_five(2000).still(2)
     .high_five(2200).still(2)),
    ("pass-tilted-chatty", "Tilted board, talking with the hands, three high fives between.",
     lambda t: t.set_wear("wrist-tilted").chatter(5).still(1).high_five().still(1)
     .chatter(4).still(1).high_five().still(1).chatter(3).still(1).high_five().still(2)),
    ("fail-jogging", "Jogging for 40 s on the wrist: landings are jolts, not high fives.",
     lambda t: t.still(2).walk(110, 2.8, jog=True).still(2)),
    ("fail-jogging-slow", "Jogging slowly (2.6 steps/s), board tilted.",
     lambda t: t.set_wear("wrist-tilted").still(2).walk(90, 2.6, jog=True).still(2)),
    ("fail-shake", "Shaking the board hard in a hand, three times: long bursts.",
     lambda t: t.still(2).shake(2).still(3).shake(2.5).still(3).shake(2).still(2)),
    ("fail-waving", "Waving and talking with the hands: nothing sharp.",
     lambda t: t.still(1).wave(5).chatter(20).wave(4).still(2)),
    ("fail-walking", "Walking briskly on the wrist for 40 steps, no high fives.",
     lambda t: t.still(2).walk(40, 2.6).still(2)),
    ("fail-two-only", "A near miss: only two high fives.",
     lambda t: t.still(2).high_five().still(3).high_five().still(30)),
    ("fail-too-slow-late", "Three high fives, the third after 30 s.",
     lambda t: t.still(2).high_five().still(17).high_five().still(17).high_five().still(1)),
]

# fmt: on


def build_all(root: Path = ROOT) -> list[Path]:
    """Write every scenario of both activities; return their paths."""
    written = []
    plan = [
        ("step-counter", STEPS, STEPS_CORPUS, 1000),
        ("high-five", FIVES, FIVES_CORPUS, 2000),
    ]
    for slug, short, corpus, base in plan:
        folder = root / "activities" / slug / "scenarios"
        for seed, (name, description, build) in enumerate(short, start=base):
            trace = Trace(seed, noise=SHORT_NOISE)
            build(trace)
            path = folder / f"{name}.csv"
            write(path, trace, description, most=140)
            written.append(path)
        for seed, (name, description, build) in enumerate(corpus, start=base + 100):
            noise = 55.0 if "noise" in name else 30.0 + 25.0 * ((seed * 7) % 5) / 4
            trace = Trace(seed, noise=noise)
            build(trace)
            path = folder / "corpus" / f"{name}.csv"
            write(path, trace, description)
            written.append(path)
    return written


if __name__ == "__main__":
    for written_path in build_all(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT):
        print(written_path.relative_to(ROOT) if written_path.is_relative_to(ROOT) else written_path)
