# microbit.Button and the pin classes of a virtual micro:bit (see _image.py for why apart).
import _simcore as _c


class Button:
    """Button A or B, from the scenario's button_a / button_b columns."""

    def __init__(self, column):
        self._column = column
        self._was = False
        self._presses = 0
        self._down = False

    def _poll(self):
        down = bool(_c.value(self._column))
        if down and not self._down:
            self._was = True
            self._presses += 1
        self._down = down
        return down

    def is_pressed(self):
        return self._poll()

    def was_pressed(self):
        self._poll()
        was, self._was = self._was, False
        return was

    def get_presses(self):
        self._poll()
        n, self._presses = self._presses, 0
        return n


class MicroBitDigitalPin:
    """A pin: digital I/O only (no electrical simulation beyond touch)."""

    NO_PULL = 0
    PULL_UP = 1
    PULL_DOWN = 2

    def __init__(self, column=None):
        self._column = column
        self._value = 0
        self._pull = 0

    def read_digital(self):
        return self._value

    def write_digital(self, value):
        self._value = 1 if value else 0

    def set_pull(self, value):
        self._pull = value

    def get_pull(self):
        return self._pull


class MicroBitAnalogDigitalPin(MicroBitDigitalPin):
    def read_analog(self):
        return 1023 if self._value else 0

    def write_analog(self, value):
        self._value = 1 if value else 0


class MicroBitTouchPin(MicroBitAnalogDigitalPin):
    CAPACITIVE = 0
    RESISTIVE = 1

    def is_touched(self):
        return bool(_c.value(self._column))

    def set_touch_mode(self, value):
        pass
