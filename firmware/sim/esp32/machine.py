# The `machine` module of a virtual ESP32 wearable, wired as the kit is: buttons A on
# GPIO0 and B on GPIO25 (active low), an LDR on ADC GPIO34, an MPU-6050 on I2C at 0x68,
# touch pads on GPIO 4, 2, 15, 33, 12, 14, 27 (A1..A7). Signatures: micropython-esp32-stubs.
import _simcore as _c

_TOUCH = {4: "A1", 2: "A2", 15: "A3", 33: "A4", 12: "A5", 14: "A6", 27: "A7"}
_MPU = 0x68


def _gpio(pin):
    return pin._id if isinstance(pin, Pin) else pin


class Pin:
    IN = 1
    OUT = 3
    OPEN_DRAIN = 7
    PULL_UP = 1
    PULL_DOWN = 2
    IRQ_RISING = 1
    IRQ_FALLING = 2

    def __init__(self, id, mode=-1, pull=-1, *, value=None, drive=None, alt=None):
        self._id = id
        self._value = 0
        self.init(mode, pull, value=value)

    def init(self, mode=-1, pull=-1, *, value=None, drive=None, alt=None):
        if mode != -1:
            self._mode = mode
        if pull != -1:
            self._pull = pull
        if value is not None:
            self._value = 1 if value else 0

    def value(self, x=None):
        if x is not None:
            self._value = 1 if x else 0
            return None
        if self._id in (0, 25):  # the kit's buttons A, B: pulled up, a press pulls low
            return 0 if _c.value("button_a" if self._id == 0 else "button_b") else 1
        return self._value

    def __call__(self, x=None):
        return self.value(x)

    def on(self):
        self._value = 1

    def off(self):
        self._value = 0

    def irq(self, handler=None, trigger=3, *, priority=1, wake=None, hard=False):
        return None


class I2C:
    """I2C bus with the kit's MPU-6050 at 0x68 (asleep at power-on, as the real chip)."""

    def __init__(self, id=0, *, scl=None, sda=None, freq=400000, timeout=50000):
        self._regs = {0x6B: 0x40, 0x75: 0x68}  # PWR_MGMT_1 (SLEEP set), WHO_AM_I

    def scan(self):
        return [_MPU]

    def _read(self, reg):
        if reg in self._regs:
            return self._regs[reg]
        if 0x3B <= reg <= 0x42 and not self._regs[0x6B] & 0x40:
            if reg < 0x41:  # ACCEL_XOUT_H..ACCEL_ZOUT_L: 16384 LSB/g at +-2 g
                # The chip's own convention, not kit's: InvenSense's MPU-6000/6050 Register
                # Map, registers 59 to 64 (ACCEL_XOUT..ACCEL_ZOUT), 16384 LSB/g at AFS_SEL 0,
                # and like every MEMS accelerometer it measures the force that holds it up:
                # +1 g on Z lying flat (MicroPython's MPU-6050 drivers read raw / 16384 g).
                # Scenarios are in kit's convention (the micro:bit's: -1000 on z face up),
                # hence the minus.
                raw = round(-_c.value(("ax", "ay", "az")[(reg - 0x3B) // 2]) * 16.384)
            else:  # TEMP_OUT_H/L: temp = raw / 340 + 36.53
                raw = round((_c.value("temp") - 36.53) * 340)
            raw = max(-32768, min(32767, raw)) & 0xFFFF
            return raw >> 8 if reg % 2 else raw & 0xFF
        return 0

    def readfrom_mem(self, addr, memaddr, nbytes, *, addrsize=8):
        if addr != _MPU:
            raise OSError(19)  # ENODEV, as an ESP32 reports a missing device
        return bytes([self._read(memaddr + i) for i in range(nbytes)])

    def readfrom_mem_into(self, addr, memaddr, buf, *, addrsize=8):
        buf[:] = self.readfrom_mem(addr, memaddr, len(buf))

    def writeto_mem(self, addr, memaddr, buf, *, addrsize=8):
        if addr != _MPU:
            raise OSError(19)
        for i in range(len(buf)):
            self._regs[memaddr + i] = buf[i]


class ADC:
    ATTN_0DB = 0
    ATTN_2_5DB = 1
    ATTN_6DB = 2
    ATTN_11DB = 3
    WIDTH_9BIT = 0
    WIDTH_10BIT = 1
    WIDTH_11BIT = 2
    WIDTH_12BIT = 3

    def __init__(self, id, *, sample_ns=0, atten=0):
        self._gpio = _gpio(id)

    def read_u16(self):
        return int(_c.value("light")) * 257 if self._gpio == 34 else 0

    def read(self):
        return self.read_u16() >> 4

    def atten(self, atten):
        pass

    def width(self, bits):
        pass


class TouchPad:
    """A capacitive touch pad: read() drops from ~600 to ~150 when touched."""

    def __init__(self, *argv, **kwargs):
        self._pad = _TOUCH.get(_gpio(argv[0]))
        if self._pad is None:
            raise ValueError("invalid pin for touchpad")

    def read(self, *args, **kwargs):
        return 150 if _c.value("touch_" + self._pad) else 600

    def config(self, *args, **kwargs):
        pass


def freq(hz=None):
    return 160000000 if hz is None else None


def reset():
    raise SystemExit("machine.reset()")


def unique_id():
    return b"\x24\x0a\xc4\x00\x00\x01"


def idle():
    _c.sleep_us(1000)
