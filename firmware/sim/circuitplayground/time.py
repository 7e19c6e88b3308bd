# CircuitPython's time module on a virtual board (no ticks_*: CircuitPython keeps those
# in supervisor), on the virtual clock.
import _simcore as _c

_EPOCH = _c.real.time()


def sleep(seconds):
    _c.sleep_us(seconds * 1000000)


def monotonic():
    return _c.now_us() / 1000000


def monotonic_ns():
    return _c.now_us() * 1000


def time():
    return int(_EPOCH + _c.now_us() // 1000000)


def localtime(secs=None):
    return _c.real.localtime(time() if secs is None else secs)


def mktime(t):
    return _c.real.mktime(t)
