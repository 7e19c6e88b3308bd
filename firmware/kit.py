# kit: one small API for every wearkit board (see firmware/README.md). Plain MicroPython
# that runs on micro:bit v1 too: no f-strings, no json module.
import sys
import time

VERSION = "1.0"

try:  # a virtual board names the platform it plays
    PLATFORM = __import__("_kitboard").PLATFORM
except ImportError:
    PLATFORM = sys.platform

# MicroPython's ticks live in time; CircuitPython's in supervisor (wrapping at 2**29 ms).
_ticks = getattr(time, "ticks_ms", None) or __import__("supervisor").ticks_ms
_diff = getattr(time, "ticks_diff", None) or (
    lambda a, b: ((a - b + 0x10000000) & 0x1FFFFFFF) - 0x10000000)


class MissingCapability(Exception):  # the board lacks a sensor, output or pad asked for
    pass


_HALS = {"microbit": "kithal_microbit", "Atmel SAMD21": "kithal_cp", "nRF52840": "kithal_cp",
         "esp32": "kithal_esp32", "linux": "kithal_sim", "darwin": "kithal_sim",
         "blinka": "kithal_blinka"}
if PLATFORM not in _HALS:
    raise ImportError("kit: no hardware layer for platform '%s'" % PLATFORM)
_hal = __import__(_HALS[PLATFORM])
del _HALS
_T0 = _ticks()  # kit.ms() counts from here (so does a virtual board's scenario)
_seq = 0


def _missing(cap, what):
    raise MissingCapability("%s has no %s (capability '%s')" % (_hal.NAME, what, cap))


def _need(cap):
    if cap not in _hal.CAPS:
        _missing(cap, cap if cap in ("display", "pixels", "buttons", "radio")
                 else "'%s' sensor" % cap)
    return _hal


def has(cap):  # True if the board has capability cap: accel, light, temp, sound, ...
    return cap in _hal.CAPS


def accel():  # (x, y, z) in milli-g; lying still face up: (0, 0, -1000)
    return _need("accel").accel()


def light():  # light level, 0 (dark) to 255 (bright)
    return _need("light").light()


def temp():  # degrees C
    return _need("temp").temp()


def sound():  # sound level, 0 (silent) to 255 (loud)
    return _need("sound").sound()


def button(name):  # True while button name ('a' or 'b') is pressed
    pressed = _need("buttons").button(name)
    if pressed is None:
        _missing("buttons", "button '%s'" % name)
    return bool(pressed)


def touch(pad):  # True while pad ('A1'..'A7') is touched
    touched = _need("touch").touch(pad)
    if touched is None:
        _missing("touch", "touch pad '%s'" % pad)
    return bool(touched)


def pixels(colors):  # one (r, g, b) for every pixel, or a list of (r, g, b)
    if type(colors[0]) is int:
        colors = [colors] * _hal.NPIX
    _need("pixels").pixels(colors[:_hal.NPIX])


def show(text):  # show text or a number on the display
    _need("display").show(str(text))


# Radio groups: a micro:bit uses its radio's own group. Elsewhere kit puts "\x1d" and
# chr(group) in front of what it sends on a group other than 0 and drops what is tagged for
# another group; an untagged message (group 0, a scenario's radio column) reaches every group.
_group = 0
_soft = PLATFORM != "microbit"


def group(n):  # radio group 0 to 255: boards hear only boards on the same group
    global _group
    if type(n) is not int or not 0 <= n <= 255:
        raise ValueError("kit.group: a group is 0 to 255, not %r" % (n,))
    _need("radio")
    _group = n
    if not _soft:
        __import__("radio").config(group=n)


def send(text):  # send text (1 to 32 bytes) by radio to the boards around
    text = str(text)
    n = len(text.encode())
    if not 0 < n <= 32:
        raise ValueError("kit.send: a message is 1 to 32 bytes, not %d" % n)
    if _soft and _group:
        text = "\x1d" + chr(_group) + text
    _need("radio").send(text)


def receive():  # the next message received by radio (a str), or None
    while True:
        m = _need("radio").receive()
        if m is None or not _soft or m[:1] != "\x1d":
            return m
        if m[1:2] == chr(_group):
            return m[2:]


def sleep(ms):  # wait ms milliseconds
    time.sleep(ms / 1000)


def ms():  # milliseconds since the runtime started (a virtual board's own clock)
    return _diff(_ticks(), _T0)


# Frames: "@k1 <seq> <json> <chk>", one printed line each; JSON keys sorted.

def _str(s):
    out = '"'
    for c in s:
        if c == '"' or c == "\\":
            c = "\\" + c
        elif c < " ":
            c = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(c) or "\\u%04x" % ord(c)
        out += c
    return out + '"'


def _json(v):
    t = type(v)
    if v is None or v is True or v is False:
        return "null" if v is None else "true" if v else "false"
    if t is int:
        return str(v)
    if t is float:
        if v != v or v - v != 0:  # nan, inf
            return "null"
        s = ("%.3f" % v) if -1e15 < v < 1e15 else ("%.6g" % v)
        if "." in s and "e" not in s:
            s = s.rstrip("0")
            if s[-1] == ".":
                s += "0"
        return s
    if t is dict:
        return "{" + ",".join([_str(str(k)) + ":" + _json(v[k]) for k in sorted(v)]) + "}"
    if t is list or t is tuple:
        return "[" + ",".join([_json(x) for x in v]) + "]"
    return _str(v if t is str else str(v))


def _line(seq, payload):  # the frame line for payload (a dict) numbered seq
    body = str(seq) + " " + _json(payload)
    a = b = 0
    for byte in body.encode():  # Fletcher-16
        a = (a + byte) % 255
        b = (b + a) % 255
    return "@k1 %s %04x" % (body, (b << 8) | a)


def _send(payload):
    global _seq
    payload["t"] = ms()
    print(_line(_seq, payload))
    _seq += 1


def report(name, value):  # a named result, e.g. report("steps", 12)
    _send({"k": "r", "n": name, "v": value})


def event(name):  # something happened, e.g. event("goal")
    _send({"k": "e", "n": name})


def sample(**readings):  # readings for the live plot, e.g. sample(light=120)
    _send({"k": "s", "v": readings})


def done():  # the activity has finished
    _send({"k": "d"})


# The name and radio group `wearkit provision` gave the board: kitcfg.txt is "NAME GROUP".
NAME = ""
try:
    with open("kitcfg.txt") as _f:
        _c = _f.read().split()
    NAME = _c[0] if _c else ""
    if len(_c) > 1 and int(_c[1]) and has("radio"):
        group(int(_c[1]))
except (OSError, ValueError):
    pass

_send({"k": "h", "v": {"kit": VERSION, "hal": _hal.NAME, "caps": list(_hal.CAPS)}})
