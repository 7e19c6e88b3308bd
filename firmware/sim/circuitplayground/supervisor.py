# CircuitPython's supervisor on a virtual board: ticks_ms on the virtual clock.
import _simcore as _c


def ticks_ms():
    return (_c.now_us() // 1000) & 0x1FFFFFFF  # wraps after 2**29 ms, as CircuitPython's
