# Hardware layer for the generic virtual board: reads the simulation core directly.
# Pads: A1..A7 are the scenario's touch_A1..touch_A7 columns. Radio: the fleet's air
# (_simradio), queue 3, switched on at the first send/receive.
import _simcore as _c

NAME = "virtual board"
CAPS = tuple(_c.board.get("capabilities") or (
    "accel", "light", "temp", "sound", "buttons", "touch", "pixels", "display", "radio"))
NPIX = 10


def accel():
    return (int(_c.value("ax")), int(_c.value("ay")), int(_c.value("az")))


def light():
    return int(_c.value("light"))


def temp():
    return _c.value("temp")


def sound():
    return int(_c.value("sound"))


def button(name):
    if name in ("a", "b"):
        return bool(_c.value("button_" + name))


def touch(pad):
    if pad in ("A1", "A2", "A3", "A4", "A5", "A6", "A7"):
        return bool(_c.value("touch_" + pad))


def pixels(colors):
    _c.output("pixels", [list(c) for c in colors])


def show(text):
    _c.output("display", text)


_air = None


def _radio():
    global _air
    if _air is None:
        import _simradio as _air
        _air.on("kit")
    return _air


def send(text):
    _radio().send(text.encode())


def receive():
    got = _radio().get()
    return None if got is None else str(got[0], "utf-8")
