# microbit.accelerometer on a virtual micro:bit: the scenario's ax, ay, az (milli-g). kit's
# convention is the micro:bit's own ((0, 0, -1000) lying still face up), so no conversion.
import _simcore as _c

_seen = []


def get_x():
    return int(_c.value("ax"))


def get_y():
    return int(_c.value("ay"))


def get_z():
    return int(_c.value("az"))


def get_values():
    return (get_x(), get_y(), get_z())


def get_strength():
    x, y, z = get_values()
    return int((x * x + y * y + z * z) ** 0.5)


def current_gesture():
    x, y, z = get_values()
    strength = int((x * x + y * y + z * z) ** 0.5)
    if strength < 300:
        g = "freefall"
    elif strength > 1800:
        g = "shake"
    elif z < -700:
        g = "face up"
    elif z > 700:
        g = "face down"
    elif y < -700:
        g = "up"
    elif y > 700:
        g = "down"
    elif x < -700:
        g = "left"
    elif x > 700:
        g = "right"
    else:
        g = ""
    if g and (not _seen or _seen[-1] != g):
        _seen.append(g)
    return g


def is_gesture(name):
    return current_gesture() == name


def was_gesture(name):
    current_gesture()
    if name in _seen:
        _seen[:] = []
        return True
    return False


def get_gestures():
    current_gesture()
    seen = tuple(_seen)
    _seen[:] = []
    return seen


def set_range(value):
    # full scale in g (the runtime's steps: 1, 2, 4, 8; 2 at start); readings clip to it
    for k in ("ax", "ay", "az"):
        _c.set_range(k, -value * 1000, value * 1000)
