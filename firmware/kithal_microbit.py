# kit's hardware layer for the BBC micro:bit v1/v2 (the `microbit` module).
# Pads: A1=pin0, A2=pin1, A3=pin2, A4=logo (v2 only). No pixels. Radio: group 0, switched
# on at the first send/receive (importing the built-in module costs no heap); length 35 =
# 32 bytes of text + the 3 that radio.send puts in front.
import microbit as _m
import radio as _r

_on = False  # the radio, until the first send/receive

_v2 = hasattr(_m, "microphone")
NAME = "micro:bit v2" if _v2 else "micro:bit v1"
CAPS = ("accel", "light", "temp", "buttons", "touch", "display", "radio") + (
    ("sound",) if _v2 else ())
NPIX = 0


def accel():
    return _m.accelerometer.get_values()


def light():
    return _m.display.read_light_level()


def temp():
    return _m.temperature()


def sound():
    return _m.microphone.sound_level()


def button(name):
    if name == "a":
        return _m.button_a.is_pressed()
    if name == "b":
        return _m.button_b.is_pressed()


def touch(pad):
    p = None
    if pad in ("A1", "A2", "A3"):
        p = getattr(_m, "pin%d" % (ord(pad[1]) - 49))
    elif pad == "A4":
        p = getattr(_m, "pin_logo", None)
    if p:
        return p.is_touched()


def show(text):
    if len(text) == 1:
        _m.display.show(text)
    else:
        _m.display.scroll(text, wait=False)


def _radio():
    global _on
    if not _on:
        _on = True
        _r.config(length=35)
        _r.on()
    return _r


def send(text):
    _radio().send(text)


def receive():
    try:
        return _radio().receive()
    except ValueError:  # a packet that is not text (e.g. from MakeCode): skip it
        return None
