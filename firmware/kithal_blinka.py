# kit's hardware layer for Blinka boards (a Raspberry Pi, or a computer with an FT232H or
# MCP2221 USB adapter): CPython on adafruit-blinka's board/busio/digitalio and the
# CircuitPython drivers. The kit is data (the board profile's [kit], or a school's kit
# file), handed over as JSON in WEARKIT_KIT by the process link: which part gives which
# capability, at which I2C address or on which pin. Parts start at their first use, so
# kit.ms() and a virtual board's scenario both start at `import kit`, and a part that is
# not wired raises one clear error naming it.
import json
import os

import board

_KIT = json.loads(os.environ.get("WEARKIT_KIT") or '{"parts": {}}')
_PARTS = _KIT["parts"]
NAME = _KIT.get("name") or "Blinka board"
CAPS = tuple([c for c in ("accel", "light", "temp", "buttons", "pixels") if c in _PARTS])
NPIX = _PARTS["pixels"]["count"] if "pixels" in _PARTS else 0
_i2c = None
_dev = {}
_btn = {}
_G = 101.97162  # milli-g per m/s^2 (1000 / 9.80665)


def _bus():
    global _i2c
    if _i2c is None:
        import busio

        _i2c = busio.I2C(board.SCL, board.SDA)
    return _i2c


def _wired(cap, make):
    # The part giving cap, made by make(spec) at its first use; an OSError naming it if
    # it does not answer.
    dev = _dev.get(cap)
    if dev is None:
        spec = _PARTS[cap]
        try:
            dev = make(spec)
        except (OSError, ValueError, RuntimeError) as exc:
            at = spec.get("address")
            where = "0x%02X on I2C" % at if at is not None else "pin %s" % spec.get("pin")
            raise OSError("%s: no %s answers at %s (%s); check its wiring and the kit's "
                          "address" % (NAME, spec["part"].upper(), where, exc)) from None
        _dev[cap] = dev
    return dev


def _accel(spec):
    if spec["part"] == "lsm6ds":
        from adafruit_lsm6ds.lsm6dsox import LSM6DSOX

        return LSM6DSOX(_bus(), address=spec["address"])
    import adafruit_lis3dh

    return adafruit_lis3dh.LIS3DH_I2C(_bus(), address=spec["address"])


def _light(spec):
    import adafruit_veml7700

    return adafruit_veml7700.VEML7700(_bus(), address=spec["address"])


def _temp(spec):
    import adafruit_mcp9808

    return adafruit_mcp9808.MCP9808(_bus(), address=spec["address"])


def _pixels(spec):
    import neopixel

    return neopixel.NeoPixel(_pin(spec["pin"]), spec["count"], auto_write=False)


def _pin(name):
    pin = getattr(board, name, None)
    if pin is None:
        raise ValueError("%s has no pin %s; fix the kit's pin names" % (NAME, name))
    return pin


def accel():
    # The drivers report "acceleration ... in m / s ^ 2" (adafruit_lis3dh, adafruit_lsm6ds),
    # +9.8 on z lying face up: the force that holds the board up. kit's convention is the
    # micro:bit's, (0, 0, -1000) milli-g face up: every axis negated, as kithal_cp does for
    # the same LIS3DH. The breakout is mounted flat, its X/Y arrows to the wearer's right
    # and to the top edge.
    return tuple([-int(round(v * _G)) for v in _wired("accel", _accel).acceleration])


def light():
    # VEML7700 lux (the driver starts it at gain 1/8, 100 ms: 0.5376 lux a count) -> 0-255
    # at 4 lux a step: a lit classroom (~480 lux) reads about 120, as the other boards do.
    return min(255, int(_wired("light", _light).lux / 4 + 0.5))


def temp():
    return round(_wired("temp", _temp).temperature, 2)


def button(name):
    pin = _PARTS.get("buttons", {}).get(name)
    if pin is None:
        return None
    if name not in _btn:
        import digitalio

        io = digitalio.DigitalInOut(_pin(pin))
        io.switch_to_input(pull=digitalio.Pull.UP)
        _btn[name] = io
    return not _btn[name].value  # wired to ground: pressed reads low


def touch(pad):
    return None


def pixels(colors):
    p = _wired("pixels", _pixels)
    for i in range(len(colors)):
        p[i] = tuple(colors[i])
    p.show()
