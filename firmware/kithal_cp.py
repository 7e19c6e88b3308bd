# kit's hardware layer for Circuit Playground Express/Bluefruit (adafruit_circuitplayground).
# Pads: A1..A6 = touch_A1..touch_A6, A7 = touch_TX. No display, no radio (see the README).
from adafruit_circuitplayground import cp

_blue = type(cp).__name__ == "Bluefruit"
NAME = "Circuit Playground Bluefruit" if _blue else "Circuit Playground Express"
CAPS = ("accel", "light", "temp", "sound", "buttons", "touch", "pixels")  # no radio: README
NPIX = 10
_mic = None


def accel():
    # cp.acceleration is adafruit_lis3dh's LIS3DH.acceleration: "The x, y, z acceleration
    # values returned in a 3-tuple and are in m / s ^ 2", +9.8 on z lying face up (the
    # force that holds the board up). kit's convention is the micro:bit's, milli-g with
    # (0, 0, -1000) face up: 1000 / 9.80665 milli-g per m/s^2, every axis negated. The
    # LIS3DH's X and Y are taken to point like the micro:bit's (right, towards the USB
    # socket), as drawn on the board.
    return tuple([-int(round(v * 101.972)) for v in cp.acceleration])


def light():  # the library's 0..~330 -> 0-255
    return min(255, (cp.light * 255 + 160) // 320)


def temp():
    return cp.temperature


def sound():  # RMS of 16-bit mic samples / 8, at most 255
    global _mic
    if _blue:
        rms = cp.sound_level
    else:  # the library has no sound_level on the Express: read the mic as it does
        if _mic is None:
            import array

            import audiobusio
            import board

            _mic = (
                audiobusio.PDMIn(
                    board.MICROPHONE_CLOCK, board.MICROPHONE_DATA, sample_rate=16000, bit_depth=16
                ),
                array.array("H", [0] * 160),
            )
        mic, buf = _mic
        mic.record(buf, len(buf))
        mean = sum(buf) / len(buf)
        rms = (sum([(s - mean) * (s - mean) for s in buf]) / len(buf)) ** 0.5
    return min(255, int(rms / 8 + 0.5))


def button(name):
    if name in ("a", "b"):
        return getattr(cp, "button_" + name)


def touch(pad):
    if pad in ("A1", "A2", "A3", "A4", "A5", "A6", "A7"):
        return getattr(cp, "touch_TX" if pad == "A7" else "touch_" + pad)


def pixels(colors):
    p = cp.pixels
    p.auto_write = False
    for i in range(len(colors)):
        p[i] = colors[i]
    p.show()
