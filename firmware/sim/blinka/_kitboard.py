# A virtual Blinka board (CPython only, never pushed to a board): Blinka's OS-agnostic
# board (BLINKA_OS_AGNOSTIC=1, set by the process link) with the kit's parts simulated
# below the real Blinka layer and the real CircuitPython drivers:
# - the clock: the simulation core (_simcore, shared with the MicroPython boards) runs here
#   on a MicroPython-style real clock, and CPython's time.sleep/monotonic and MicroPython's
#   ticks_ms/ticks_diff/sleep_ms follow the virtual clock (as sim/common/time.py does);
# - I2C: busio.I2C's backend is _i2cparts.Bus, the kit's parts as register maps;
# - pins: the kit's pins that the agnostic board lacks are added to `board`; a button's pin
#   reads the scenario's button_a/button_b (wired to ground: pressed reads low);
# - NeoPixels: what neopixel_write sends goes to outputs.json, as on other virtual boards.
# The process link imports this first, before `board`.
import json
import os
import sys
import time as _t
import types

PLATFORM = "blinka"
_MASK = (1 << 30) - 1
_sleep = _t.sleep
_ns = _t.perf_counter_ns


def _real_clock():
    real = types.ModuleType("time")
    real.ticks_us = lambda: (_ns() // 1000) & _MASK
    real.ticks_ms = lambda: (_ns() // 1000000) & _MASK
    real.ticks_diff = lambda a, b: ((a - b + (1 << 29)) & _MASK) - (1 << 29)
    real.sleep_us = lambda us: _sleep(us / 1000000)
    real.sleep = _sleep
    for name in ("time", "localtime", "gmtime", "mktime"):
        setattr(real, name, getattr(_t, name))
    return real


_saved = sys.modules["time"]
sys.modules["time"] = _real_clock()  # what _simcore imports as its real clock
try:
    import _simcore
    import _simtime
finally:
    sys.modules["time"] = _saved

for _name in ("sleep", "sleep_ms", "sleep_us", "ticks_ms", "ticks_us", "ticks_add",
              "ticks_diff", "monotonic", "monotonic_ns"):
    setattr(_t, _name, getattr(_simtime, _name))

import _i2cparts  # noqa: E402
import board  # noqa: E402
from adafruit_blinka.microcontroller.generic_agnostic_board import (  # noqa: E402
    i2c as _agn_i2c,
)
from adafruit_blinka.microcontroller.generic_agnostic_board import (  # noqa: E402
    neopixel as _agn_np,
)
from adafruit_blinka.microcontroller.generic_agnostic_board import pin as _agn_pin  # noqa: E402

_KIT = json.loads(os.environ.get("WEARKIT_KIT") or '{"parts": {}}')["parts"]
for _spec in _KIT.values():
    if _spec.get("bus") == "i2c":
        _i2cparts.PARTS[_spec["address"]] = _i2cparts.MODELS[_spec["part"]]()
_agn_i2c.I2C = _i2cparts.Bus

_ids = 100


def _wire(name):
    # A pin of the kit that the agnostic board does not name: a new agnostic pin.
    global _ids
    if not hasattr(board, name):
        _ids += 1
        setattr(board, name, _agn_pin.Pin(_ids))
    return getattr(board, name).id


_BUTTONS = {}
for _key, _pin_name in (_KIT.get("buttons") or {}).items():
    _BUTTONS[_wire(_pin_name)] = "button_" + _key
if "pixels" in _KIT:
    _wire(_KIT["pixels"]["pin"])
_read = _agn_pin.Pin.read


def _pin_read(self):
    column = _BUTTONS.get(self.id)
    if column is None:
        return _read(self)
    return 0 if _simcore.value(column) else 1


_agn_pin.Pin.read = _pin_read


def _neopixel_write(gpio, buf):
    # NeoPixels take G, R, B bytes per pixel.
    _simcore.output("pixels", [[buf[i + 1], buf[i], buf[i + 2]] for i in range(0, len(buf), 3)])


_agn_np.neopixel_write = _neopixel_write
