# kit's hardware layer for the ESP32 wearable (MicroPython machine/neopixel), wired as:
# MPU-6050 on I2C0 (SCL 22, SDA 21) at 0x68 for accel and temp; LDR on ADC GPIO34;
# buttons A on GPIO0 and B on GPIO25 (active low); NeoPixels (10) on GPIO13; touch pads
# A1..A7 = GPIO 4, 2, 15, 33, 12, 14, 27. No sound, no display. Radio: ESP-NOW broadcast,
# switched on at the first send/receive.
from machine import ADC, I2C, Pin, TouchPad
from neopixel import NeoPixel

NAME = "ESP32 wearable"
CAPS = ("accel", "light", "temp", "buttons", "touch", "pixels", "radio")
NPIX = 10
_PADS = {"A1": 4, "A2": 2, "A3": 15, "A4": 33, "A5": 12, "A6": 14, "A7": 27}
_i2c = None
_adc = None
_btn = {}
_np = None
_touch = {}
_en = None
_ALL = b"\xff" * 6  # the broadcast address


def _mpu(reg, n):  # read n bytes of MPU-6050 registers from reg, waking the chip once
    global _i2c
    if _i2c is None:
        _i2c = I2C(0, scl=Pin(22), sda=Pin(21))
        _i2c.writeto_mem(0x68, 0x6B, b"\x00")
    return _i2c.readfrom_mem(0x68, reg, n)


def _word(data, i):
    v = (data[i] << 8) | data[i + 1]
    return v - 65536 if v > 32767 else v


def accel():
    # The MPU-6050 reads +1 g (16384 LSB at +-2 g) on Z lying flat: the force holding it up
    # (InvenSense's MPU-6000/6050 Register Map, registers 59 to 64; MicroPython's MPU-6050
    # drivers divide by 16384 for g). kit's convention is the micro:bit's, (0, 0, -1000)
    # milli-g face up: every axis negated. The module is mounted flat, its X/Y arrows to
    # the wearable's right and top.
    d = _mpu(0x3B, 6)
    return tuple([-((_word(d, i) * 1000 + 8192) // 16384) for i in (0, 2, 4)])


def light():
    global _adc
    if _adc is None:
        _adc = ADC(Pin(34))
    return _adc.read_u16() >> 8


def temp():
    return round(_word(_mpu(0x41, 2), 0) / 340 + 36.53, 1)


def button(name):
    if name in ("a", "b"):
        if name not in _btn:
            _btn[name] = Pin(0 if name == "a" else 25, Pin.IN, Pin.PULL_UP)
        return _btn[name].value() == 0


def touch(pad):
    if pad in _PADS:
        if pad not in _touch:
            _touch[pad] = TouchPad(Pin(_PADS[pad]))
        return _touch[pad].read() < 300


def pixels(colors):
    global _np
    if _np is None:
        _np = NeoPixel(Pin(13), NPIX)
    for i in range(len(colors)):
        _np[i] = colors[i]
    _np.write()


def _espnow():
    global _en
    if _en is None:
        import espnow
        import network

        network.WLAN(network.STA_IF).active(True)
        _en = espnow.ESPNow()
        _en.active(True)
        _en.add_peer(_ALL)
    return _en


def send(text):
    _espnow().send(_ALL, text)


def receive():
    msg = _espnow().recv(0)[1]
    return None if msg is None else msg.decode()
