# microbit.display on a virtual micro:bit: the 5x5 LEDs (recorded to outputs.json) and
# the light sensor (the scenario's light column).
import _simcore as _c

_leds = [[0] * 5 for _ in range(5)]
_on = [True]


def _shown(text):
    _c.output("display", text)


def get_pixel(x, y):
    return _leds[y][x]


def set_pixel(x, y, value):
    _leds[y][x] = value
    _shown(str(_leds))


def clear():
    for row in _leds:
        row[:] = [0] * 5
    _shown("")


def show(image, delay=400, wait=True, loop=False, clear=False):
    text = image if type(image) is str else str(image)
    _shown(text)
    if wait and type(image) is str and len(image) > 1:
        _c.sleep_us(len(image) * delay * 1000)


def scroll(text, delay=150, wait=True, loop=False, monospace=False):
    text = str(text)
    _shown(text)
    if wait:  # about six LED columns per character, plus the display's width
        _c.sleep_us((len(text) * 6 + 5) * delay * 1000)


def on():
    _on[0] = True


def off():
    _on[0] = False


def is_on():
    return _on[0]


def read_light_level():
    return int(_c.value("light"))
