# The simulation core of a virtual board (MicroPython unix port only, never pushed to a
# board): its clock, its scenario replay and its live values. The simulated native
# modules (microbit, adafruit_circuitplayground, machine, ...) and kithal_sim read
# sensors through here.
#
# Environment: WEARKIT_SIM_STATE names a folder holding board.json, and optionally
# scenario.csv and live.json (see firmware/README.md).
import gc
import json
import os
import sys
from array import array

# The real builtin time module: a time.py on the path (ours) shadows it, so look it up
# with an empty path (MicroPython's documented way to reach an extended builtin).
_path = sys.path
sys.path = ()
try:
    import time as real
finally:
    sys.path = _path
    del _path

COLUMNS = ("ax", "ay", "az", "light", "temp", "sound", "button_a", "button_b",
           "touch_A1", "touch_A2", "touch_A3", "touch_A4", "touch_A5", "touch_A6", "touch_A7",
           "radio")  # radio: text, a message the board receives at that time (_simradio)
DEFAULTS = {"ax": 0, "ay": 0, "az": -1000, "light": 120, "temp": 21, "sound": 10}
LIVE_EVERY_US = 50000  # re-check live.json at most this often (real time)

STATE = os.getenv("WEARKIT_SIM_STATE") or ""


def _load_board():
    try:
        with open(STATE + "/board.json") as f:
            return json.load(f)
    except OSError:
        return {}


board = _load_board()
speed = float(board.get("speed") or 1.0)
# Each number channel's [low, high, default] from the host's sensor table (sensors.py),
# written into board.json: readings are clipped to the part's range, as a real sensor's
# are. DEFAULTS above serve only a state folder written without it.
RANGES = board.get("sensors") or {}
for _name in RANGES:
    if RANGES[_name][2] is not None:
        DEFAULTS[_name] = RANGES[_name][2]

# The clock: virtual microseconds; sleeps pass ``speed`` times faster than real time,
# computing takes its real time. They are accumulated from real tick differences so that the
# short wrap period of ticks_us never matters while the board is busy. It starts at its first
# reading (kit takes one first thing), so that kit.ms() and scenario times agree however long
# the imports take.
_vus = 0.0
_last_us = None
_last_ms = 0


def now_us():
    """Virtual microseconds since this interpreter session started."""
    global _last_us, _last_ms, _vus
    us, ms = real.ticks_us(), real.ticks_ms()
    if _last_us is None:
        _last_us, _last_ms = us, ms
    d = real.ticks_diff(us, _last_us)
    dms = real.ticks_diff(ms, _last_ms)
    if dms > 500000:  # ticks_us may have wrapped during a long idle spell
        d = dms * 1000
    _last_us, _last_ms = us, ms
    _vus += d  # computing runs at real speed; only sleeps are sped up (see sleep_us)
    return int(_vus)


def now_ms():
    """Virtual milliseconds since this interpreter session started."""
    return now_us() // 1000


def sleep_us(us):
    """Sleep ``us`` virtual microseconds (really ``us / speed``).

    A sleep advances the clock by exactly ``us``, however late the host's scheduler wakes
    the interpreter: on a busy machine a sped-up board would otherwise skip whole
    button presses of its scenario. Time spent computing counts at real speed, so the
    host's load cannot stretch a script's timing by the speed-up factor.
    """
    global _last_us, _last_ms, _vus
    flush_outputs()
    if us > 0:
        now_us()
        real.sleep_us(int(us / speed))
        _last_us, _last_ms = real.ticks_us(), real.ticks_ms()
        _vus += us
        flush_outputs()


def _load_scenario(path):
    """Per column, (times in ms, values) as two arrays in time order.

    Arrays, not lists of tuples: thousands of small objects would fragment the small heap
    of a simulated micro:bit v1 until the compiler cannot get a contiguous block.
    """
    try:
        f = open(path)
    except OSError:
        return {}
    tracks = {}
    header = None
    with f:
        for line in f:
            line = line.strip()
            if not line or line[0] == "#":
                continue
            cells = [c.strip() for c in line.split(",")]
            if header is None:
                header = cells
                if "t" not in header:
                    raise ValueError("scenario %s: no 't' column in the header" % path)
                for name in header:
                    if name != "t" and name not in COLUMNS:
                        raise ValueError("scenario %s: unknown column '%s' (known: t, %s)"
                                         % (path, name, ", ".join(COLUMNS)))
                continue
            t = int(float(cells[header.index("t")]) * 1000)
            for name, cell in zip(header, cells):  # noqa: B905 (no strict= in MicroPython)
                if name != "t" and cell:
                    if name not in tracks:
                        tracks[name] = (array("i"), [] if name == "radio" else array("d"))
                    tracks[name][0].append(t)
                    tracks[name][1].append(cell if name == "radio" else float(cell))
    gc.collect()
    return tracks


_tracks = _load_scenario(STATE + "/scenario.csv") if STATE else {}
_cursor = {}
_live = {}
_live_sig = None
_live_checked = None


def _refresh_live():
    global _live, _live_sig, _live_checked
    now = real.ticks_us()
    if _live_checked is not None and real.ticks_diff(now, _live_checked) < LIVE_EVERY_US:
        return
    _live_checked = now
    try:
        st = os.stat(STATE + "/live.json")
    except OSError:
        _live, _live_sig = {}, None
        return
    sig = (st[8], st[6])  # mtime, size
    if sig == _live_sig:
        return
    try:
        with open(STATE + "/live.json") as f:
            _live = json.load(f)
        _live_sig = sig
    except (OSError, ValueError):
        pass  # caught mid-write: keep the last values, retry next time


def radio_script():
    """The scenario's radio messages: (times in ms, texts), or None."""
    return _tracks.get("radio")


def value(name):
    """The current value of sensor column ``name``: live, else scenario, else default;
    clipped to the channel's range, so a script never sees a value its part cannot read."""
    v = _raw_value(name)
    r = RANGES.get(name)
    if r is not None and type(v) in (int, float):
        if v < r[0]:
            v = r[0]
        elif v > r[1]:
            v = r[1]
    return v


def _raw_value(name):
    if STATE:
        _refresh_live()
    if name in _live:
        return _live[name]
    track = _tracks.get(name)
    if track:
        times, values = track
        t = now_ms()
        i = _cursor.get(name, 0)
        if i and times[i] > t:  # clock restarted: rewind
            i = 0
        while i + 1 < len(times) and times[i + 1] <= t:
            i += 1
        _cursor[name] = i
        if times[i] <= t:
            v = values[i]
            return int(v) if v == int(v) else v
    return DEFAULTS.get(name, 0)


_outputs = {}
_out_dirty = False
_out_written = None


def output(key, val):
    """Record what an output (display, pixels) shows, for a UI: <state>/outputs.json."""
    global _out_dirty
    if _outputs.get(key) != val:
        _outputs[key] = val
        _out_dirty = True
    flush_outputs()


def flush_outputs(force=False):
    """Write outputs.json if it changed, at most ~10 times a second (real time)."""
    global _out_dirty, _out_written
    if not (_out_dirty and STATE):
        return
    now = real.ticks_ms()
    if not force and _out_written is not None and real.ticks_diff(now, _out_written) < 100:
        return
    _out_written = now
    _out_dirty = False
    tmp = STATE + "/outputs.json.tmp"
    try:
        with open(tmp, "w") as f:
            json.dump(_outputs, f)
        os.rename(tmp, STATE + "/outputs.json")
    except OSError:
        pass


if hasattr(sys, "atexit"):  # the unix port: write the last outputs when the script ends
    sys.atexit(lambda: flush_outputs(True))

# `import utime` reaches the builtin directly on this port (no file can shadow it): point
# it at the virtual clock for every script that touched the simulation first.
import _simtime  # noqa: E402

sys.modules["utime"] = _simtime
