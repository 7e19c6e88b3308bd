# The `microbit` module of a virtual micro:bit (v1 or v2, from board.json "id"), with the
# names and signatures of micropython-microbit-stubs-en. Sensors read the simulation core.
import _simcore as _c

# radio is built into a real micro:bit; here it is Python to compile, which takes several
# times a module's size in heap. Do it first, while the heap is in one piece: after the rest
# of this package the virtual v1's 64 KB is too fragmented (`import radio` ran out of memory).
import radio as _radio  # noqa: F401

from ._image import Image, SoundEvent  # noqa: F401
from ._pins import (  # noqa: F401
    Button,
    MicroBitAnalogDigitalPin,
    MicroBitDigitalPin,
    MicroBitTouchPin,
)

_V2 = _c.board.get("id", "microbit-v2") != "microbit-v1"

button_a = Button("button_a")
button_b = Button("button_b")
pin0 = MicroBitTouchPin("touch_A1")
pin1 = MicroBitTouchPin("touch_A2")
pin2 = MicroBitTouchPin("touch_A3")
if _V2:
    pin_logo = MicroBitTouchPin("touch_A4")


def sleep(n):
    _c.sleep_us(n * 1000)


def running_time():
    return _c.now_ms()


def temperature():
    return int(_c.value("temp"))


def panic(n):
    raise SystemExit("panic %d" % n)


def reset():
    raise SystemExit("reset")


def scale(value, from_, to):
    r = to[0] + (value - from_[0]) * (to[1] - to[0]) / (from_[1] - from_[0])
    return int(round(r)) if type(to[0]) is int and type(to[1]) is int else r


from . import accelerometer, display  # noqa: E402,F401 (submodules, as the stubs have)

if _V2:
    from . import microphone  # noqa: E402,F401
