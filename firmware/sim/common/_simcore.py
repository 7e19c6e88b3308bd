# The simulation core of a virtual board (MicroPython unix port only, never pushed to a
# board): its clock, its scenario replay and its live values. The simulated native
# modules (microbit, adafruit_circuitplayground, machine, ...) and kithal_sim read
# sensors through here.
#
# Environment: WEARKIT_SIM_STATE names a folder holding board.json, and optionally
# scenario.csv and live.json (see firmware/README.md).
import gc
import json
import math
import os
import sys

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
# Each number channel's [low, high, default] from the host's sensor table (sensors.py) and
# the board profile's [sim] parts, written into board.json, then optionally the part's
# resolution (a reading is a whole number of steps) and its response time constant lag_ms
# (a first-order lag: see value()). Readings are clipped to the part's range, as a real
# sensor's are. DEFAULTS above serve only a state folder written without it.
RANGES = board.get("sensors") or {}
for _name in RANGES:
    if RANGES[_name][2] is not None:
        DEFAULTS[_name] = RANGES[_name][2]


def set_range(name, low, high):
    """Change a channel's range while the board runs (e.g. microbit.accelerometer.set_range)."""
    r = RANGES.get(name)
    if r is None:
        RANGES[name] = [low, high, DEFAULTS.get(name, 0)]
    else:
        r[0], r[1] = low, high


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


# The scenario streams from its file: only the row due next is held, and the current value
# of every column set so far (a 60 s, 50 Hz trace is 3,000 rows: a virtual micro:bit v1 has
# room for a few hundred rows at most). Rows are applied in order as the virtual clock passes
# their times, whenever a reading is taken (the clock never runs backwards in one session).
_path = None  # the scenario file, until it is opened (at the first reading)
_f = None  # the open scenario file, None once it is read to its end
_head = None  # the header's column names
_ti = 0  # index of the t column
_nt = None  # the next row's time (ms), None when there is none
_nrow = None  # the next row's cells
_cur = {}  # column -> its current scenario value
_lag = {}  # lagged channel -> [input, output, virtual ms of output]
_heard = []  # radio texts whose rows have passed since radio_due() last took them
HEARD_MAX = 8  # more pass between two radio_due()s: the newest are dropped (a full queue)


def _open_scenario(path, check):
    """Open the scenario and read its header (a bad one stops `import`); then the rows.

    Checked at import, opened for good at the first reading: by then a virtual micro:bit
    v1 has compiled everything, and its small heap needs large free blocks for that."""
    global _f, _head, _ti, _path
    try:
        _f = open(path)
    except OSError:
        return
    while True:
        line = _f.readline()
        if not line:
            _f.close()
            _f = None
            return
        line = line.strip()
        if line and line[0] != "#":
            break
    if check:
        head = [c.strip() for c in line.split(",")]
        if "t" not in head:
            raise ValueError("scenario %s: no 't' column in the header" % path)
        for name in head:
            if name != "t" and name not in COLUMNS:
                raise ValueError("scenario %s: unknown column '%s' (known: t, %s)"
                                 % (path, name, ", ".join(COLUMNS)))
        _f.close()
        _f = None
        _path = path
        return
    _head = [c.strip() for c in line.split(",")]
    _ti = _head.index("t")
    _next_row()


def _next_row():
    """Read the next data row into _nt/_nrow (None at the end of the file)."""
    global _f, _nt, _nrow
    _nt = _nrow = None
    while _f is not None:
        line = _f.readline()
        if not line:
            _f.close()
            _f = None
            return
        line = line.strip()
        if line and line[0] != "#":
            _nrow = [c.strip() for c in line.split(",")]
            _nt = round(float(_nrow[_ti]) * 1000)  # 23.94 s is 23940 ms, not 23939
            return


def _advance(t):
    """Apply every scenario row due at virtual ms ``t``."""
    global _path
    if _path:
        _open_scenario(_path, False)
        _path = None
    while _nt is not None and _nt <= t:
        tr, row = _nt, _nrow
        for i in range(min(len(row), len(_head))):
            name, cell = _head[i], row[i]
            if i == _ti or not cell:
                continue
            if name == "radio":
                if len(_heard) < HEARD_MAX:
                    _heard.append(cell)
                continue
            v = float(cell)
            r = RANGES.get(name)
            if tr > 0 and r is not None and len(r) > 4 and r[4]:
                # a lagged part sees the change at the row's own time, however late it is read
                st = _lag.get(name)
                if st is None:
                    x = _input(name)
                    st = _lag[name] = [x, x, tr]
                _settle(st, tr, r[4])
                _cur[name] = v
                st[0] = _input(name)
            else:
                _cur[name] = v
        _next_row()


def _settle(st, t, tau):
    """Move a first-order lag's output to virtual ms ``t`` (its input held since st[2])."""
    dt = t - st[2]
    if dt > 0:
        st[1] = st[0] + (st[1] - st[0]) * math.exp(-dt / tau)
        st[2] = t


def _input(name):
    """What the part is exposed to now: live, else scenario, else default."""
    if name in _live:
        return _live[name]
    if name in _cur:
        return _cur[name]
    return DEFAULTS.get(name, 0)


def radio_due():
    """The scenario's radio messages whose times have passed since the last call."""
    global _heard
    _advance(now_ms())
    got, _heard = _heard, []
    return got


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


if STATE:
    _open_scenario(STATE + "/scenario.csv", True)
    gc.collect()


def value(name):
    """The current reading of sensor column ``name``, as the board's part reads it.

    The input is live, else scenario, else default. A part with a time constant (board.json
    ``sensors``, the profile's lag_ms) follows its input as a first-order lag: after a step it
    has gone 63% of the way in lag_ms, 95% in three times that; exact for a scenario's steps at
    any sampling rate, since each row's change starts at the row's own time. Then the reading
    is clipped to the part's range and rounded to its resolution, so a script never sees a
    value its part cannot read.
    """
    if STATE:
        _refresh_live()
    t = now_ms()
    _advance(t)
    v = _input(name)
    r = RANGES.get(name)
    if r is None or type(v) not in (int, float):
        return v
    if len(r) > 4 and r[4]:
        st = _lag.get(name)
        if st is None:
            st = _lag[name] = [v, v, t]
        _settle(st, t, r[4])
        st[0] = v
        v = st[1]
    if v < r[0]:
        v = r[0]
    elif v > r[1]:
        v = r[1]
    if len(r) > 3 and r[3]:
        v = round(v / r[3]) * r[3]
    return int(v) if v == int(v) else v


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
