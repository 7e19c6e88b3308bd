# CircuitPlaygroundBase of a virtual board: the attributes of the Adafruit library's class,
# reading the simulation core (acceleration in m/s^2, light 0..~320, temperature in C).
import _simcore as _c

_G = 9.80665


class _Pixels:
    """The ten NeoPixels (list-like, as neopixel.NeoPixel), recorded to outputs.json."""

    def __init__(self, n):
        self._colors = [(0, 0, 0)] * n
        self.brightness = 1.0
        self.auto_write = True

    def __len__(self):
        return len(self._colors)

    def __getitem__(self, index):
        return self._colors[index]

    def __setitem__(self, index, color):
        self._colors[index] = tuple(color)
        if self.auto_write:
            self.show()

    def fill(self, color):
        self._colors = [tuple(color)] * len(self._colors)
        if self.auto_write:
            self.show()

    def show(self):
        _c.output("pixels", [list(c) for c in self._colors])


class CircuitPlaygroundBase:
    """Circuit Playground base class."""

    _audio_out = None
    SINE_WAVE = 0
    SQUARE_WAVE = 1

    def __init__(self):
        self._pixels = _Pixels(10)
        self._led = False
        self._detect_taps = 1

    @property
    def detect_taps(self):
        return self._detect_taps

    @detect_taps.setter
    def detect_taps(self, value):
        self._detect_taps = value

    @property
    def tapped(self):
        return False

    @property
    def acceleration(self):
        # The library's own convention, not kit's: adafruit_lis3dh's LIS3DH.acceleration
        # (which cp.acceleration returns) is "in m / s ^ 2", and the LIS3DH measures the
        # force holding it up: +9.8 on z lying face up. Scenarios are in kit's convention
        # (the micro:bit's: -1000 milli-g on z face up), hence the minus.
        return tuple(-_c.value(k) * _G / 1000 for k in ("ax", "ay", "az"))

    def shake(self, shake_threshold=30):
        x, y, z = self.acceleration
        return x * x + y * y + z * z > shake_threshold * shake_threshold

    def _touch(self, pad):
        return bool(_c.value("touch_" + pad))

    @property
    def touch_A1(self):
        return self._touch("A1")

    @property
    def touch_A2(self):
        return self._touch("A2")

    @property
    def touch_A3(self):
        return self._touch("A3")

    @property
    def touch_A4(self):
        return self._touch("A4")

    @property
    def touch_A5(self):
        return self._touch("A5")

    @property
    def touch_A6(self):
        return self._touch("A6")

    @property
    def touch_TX(self):
        return self._touch("A7")

    def adjust_touch_threshold(self, adjustment):
        pass

    @property
    def pixels(self):
        return self._pixels

    @property
    def button_a(self):
        return bool(_c.value("button_a"))

    @property
    def button_b(self):
        return bool(_c.value("button_b"))

    @property
    def switch(self):
        return True

    @property
    def temperature(self):
        return float(_c.value("temp"))

    @property
    def light(self):
        return (int(_c.value("light")) * 320 + 127) // 255

    @property
    def red_led(self):
        return self._led

    @red_led.setter
    def red_led(self, value):
        self._led = bool(value)

    def play_tone(self, frequency, duration, waveform=0):
        _c.sleep_us(duration * 1000000)

    def start_tone(self, frequency, waveform=0):
        pass

    def stop_tone(self):
        pass
