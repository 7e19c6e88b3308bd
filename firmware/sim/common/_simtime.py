# The time module of a virtual board (time.py and utime.py re-export it): MicroPython's
# builtin `time` on the virtual clock (see _simcore), plus CircuitPython's monotonic().
import _simcore as _c

_real = _c.real
_PERIOD = 1 << 30  # ticks wrap like the unix port's
_MASK = _PERIOD - 1
_EPOCH = _real.time()  # wall-clock seconds when the virtual clock started


def sleep(seconds):
    _c.sleep_us(seconds * 1000000)


def sleep_ms(ms):
    _c.sleep_us(ms * 1000)


def sleep_us(us):
    _c.sleep_us(us)


def ticks_ms():
    return (_c.now_us() // 1000) & _MASK


def ticks_us():
    return _c.now_us() & _MASK


def ticks_cpu():
    return _c.now_us() & _MASK


def ticks_add(ticks, delta):
    return (ticks + delta) & _MASK


def ticks_diff(ticks1, ticks2):
    return ((ticks1 - ticks2 + (_PERIOD >> 1)) & _MASK) - (_PERIOD >> 1)


def time():
    return int(_EPOCH + _c.now_us() // 1000000)


def time_ns():
    return int(_EPOCH) * 1000000000 + _c.now_us() * 1000


def monotonic():
    return _c.now_us() / 1000000


def monotonic_ns():
    return _c.now_us() * 1000


def localtime(secs=None):
    return _real.localtime(time() if secs is None else secs)


def gmtime(secs=None):
    return _real.gmtime(time() if secs is None else secs)


def mktime(t):
    return _real.mktime(t)
