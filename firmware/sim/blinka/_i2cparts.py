# The I2C breakouts of a virtual Blinka board, at register level (CPython only, never
# pushed to a board): the real CircuitPython drivers talk to these through the real
# busio.I2C, whose backend on Blinka's OS-agnostic board is `Bus` below (see _kitboard).
# Each part reads the simulation core (_simcore: scenario, live values, the profile's
# part response) in kit's units and encodes it as its own registers, in its own library's
# convention: the accelerometers report the force holding the board up (+1 g on z lying
# face up, so kit's (0, 0, -1000) is stored as +1 g), as the real chips do.
import errno

import _simcore as _c

_NACK = errno.ENXIO  # what Linux's i2c-dev says for an address no device answers


def _s16(v):
    v = int(round(v))
    return -32768 if v < -32768 else 32767 if v > 32767 else v


class _Regs8:
    # 8-bit registers behind a register pointer, as most sensors have.
    WHO_AM_I = 0x0F

    def __init__(self, who):
        self.r = bytearray(256)
        self.r[self.WHO_AM_I] = who
        self.ptr = 0
        self.inc = True

    def point(self, b):
        self.ptr = b

    def write(self, data):
        if not data:
            return
        self.point(data[0])
        for b in data[1:]:
            self.store(self.ptr, b)
            self._next()

    def store(self, reg, b):
        self.r[reg] = b

    def read(self, n):
        self.refresh(self.ptr, n)
        out = bytearray()
        for _ in range(n):
            out.append(self.r[self.ptr])
            self._next()
        return out

    def _next(self):
        if self.inc:
            self.ptr = (self.ptr + 1) & 0xFF

    def refresh(self, reg, n):
        pass

    def _axes(self, reg, n, scale, step=1):
        # kit's milli-g (gravity-pointing) -> the chip's counts (holding-up) at 0x28..0x2D,
        # whole steps of ``step`` counts (a left-justified output of fewer bits)
        if reg + n <= 0x28 or reg > 0x2D:
            return
        for i, axis in enumerate(("ax", "ay", "az")):
            raw = _s16(round(-_c.value(axis) * scale / step) * step) & 0xFFFF
            self.r[0x28 + 2 * i] = raw & 0xFF
            self.r[0x29 + 2 * i] = (raw >> 8) & 0xFF


class LIS3DH(_Regs8):
    # ST LIS3DH: WHO_AM_I 0x0F = 0x33; the register address auto-increments only with bit 7
    # set; CTRL_REG4 (0x23) FS bits 5:4 and HR bit 3; OUT_X_L.. at 0x28, little-endian,
    # left-justified (12 bits in high-resolution mode, else 10). Counts per g are the
    # driver's own dividers, so a reading goes through unchanged.
    PER_G = (16380, 8190, 4096, 1365)

    def __init__(self):
        _Regs8.__init__(self, 0x33)

    def point(self, b):
        self.ptr, self.inc = b & 0x7F, bool(b & 0x80)

    def store(self, reg, b):
        self.r[reg] = b & 0x7F if reg == 0x24 else b  # BOOT (CTRL_REG5 bit 7) clears itself

    def refresh(self, reg, n):
        ctrl4 = self.r[0x23]
        self._axes(reg, n, self.PER_G[(ctrl4 >> 4) & 3] / 1000, 16 if ctrl4 & 0x08 else 64)


class LSM6DS(_Regs8):
    # ST LSM6DSOX: WHO_AM_I 0x0F = 0x6C; CTRL3_C (0x12): SW_RESET bit 0 clears itself (the
    # driver waits for it), IF_INC bit 2 (on at power-on) auto-increments; CTRL1_XL (0x10)
    # FS_XL bits 3:2; OUTX_L_A.. at 0x28, little-endian, mg per count as the datasheet's.
    MG = (0.061, 0.488, 0.122, 0.244)

    def __init__(self):
        _Regs8.__init__(self, 0x6C)
        self.r[0x12] = 0x04

    def store(self, reg, b):
        if reg == 0x12 and b & 1:
            self.__init__()
            return
        self.r[reg] = b
        if reg == 0x12:
            self.inc = bool(b & 0x04)

    def refresh(self, reg, n):
        self._axes(reg, n, 1 / self.MG[(self.r[0x10] >> 2) & 3])


class _Words:
    # 16-bit registers behind a command/pointer byte (VEML7700: little-endian; MCP9808:
    # big-endian); a read returns the pointed register's bytes.
    LITTLE = True

    def __init__(self, regs):
        self.w = dict(regs)
        self.ptr = 0

    def write(self, data):
        if not data:
            return
        self.ptr = data[0]
        if len(data) >= 3:
            lo, hi = (data[1], data[2]) if self.LITTLE else (data[2], data[1])
            self.w[self.ptr] = lo | (hi << 8)
        elif len(data) == 2:
            self.w[self.ptr] = data[1]

    def read(self, n):
        v = self.value(self.ptr)
        two = bytearray((v & 0xFF, v >> 8) if self.LITTLE else (v >> 8, v & 0xFF))
        return (two + bytearray(max(0, n - 2)))[:n]

    def value(self, reg):
        return self.w.get(reg, 0) & 0xFFFF


class VEML7700(_Words):
    # Vishay VEML7700: ALS_CONF at 0x00 (shutdown bit 0, set at power-on; integration time
    # bits 9:6; gain bits 12:11), ALS counts at 0x04, WHITE at 0x05. Counts = lux over the
    # resolution the driver computes (0.0042 lux a count at gain 2 and 800 ms); kit's light
    # is lux / 4 (firmware/kithal_blinka.py).
    GAIN = {0: 1.0, 1: 2.0, 2: 0.125, 3: 0.25}
    IT = {0x0C: 25, 0x08: 50, 0x00: 100, 0x01: 200, 0x02: 400, 0x03: 800}

    def __init__(self):
        _Words.__init__(self, {0x00: 0x0001})

    def value(self, reg):
        conf = self.w.get(0, 0)
        if reg not in (0x04, 0x05):
            return _Words.value(self, reg)
        if conf & 1:
            return 0
        it = self.IT.get((conf >> 6) & 0x0F, 100)
        res = 0.0042 * (800 / it) * (2 / self.GAIN[(conf >> 11) & 3])
        return min(65535, int(_c.value("light") * 4 / res + 0.5))


class MCP9808(_Words):
    # Microchip MCP9808: T_A at 0x05 (13-bit two's complement, 1/16 degree C, flags in bits
    # 15:13), manufacturer id 0x0054 at 0x06, device id 0x04 + revision at 0x07.
    LITTLE = False

    def __init__(self):
        _Words.__init__(self, {0x06: 0x0054, 0x07: 0x0400, 0x08: 0x03})

    def value(self, reg):
        if reg != 0x05:
            return _Words.value(self, reg)
        v = int(round(_c.value("temp") * 16))
        return (v + 0x2000 if v < 0 else v) & 0x1FFF


MODELS = {"lis3dh": LIS3DH, "lsm6ds": LSM6DS, "veml7700": VEML7700, "mcp9808": MCP9808}
PARTS = {}  # address -> part model, from the kit (set up by _kitboard)


class Bus:
    # The backend busio.I2C calls on Blinka's OS-agnostic board (its own has only scan()).
    def __init__(self, *, frequency=100000):
        self.freq = frequency

    @staticmethod
    def _dev(address):
        dev = PARTS.get(address)
        if dev is None:
            raise OSError(_NACK, "No I2C device at address: 0x%02x" % address)
        return dev

    def scan(self):
        return sorted(PARTS)

    def writeto(self, address, buffer, *, start=0, end=None, stop=True):
        self._dev(address).write(bytes(buffer[start:end]))

    def readfrom_into(self, address, buffer, *, start=0, end=None, stop=True):
        end = len(buffer) if end is None else end
        buffer[start:end] = self._dev(address).read(end - start)

    def writeto_then_readfrom(self, address, buffer_out, buffer_in, *, out_start=0,
                              out_end=None, in_start=0, in_end=None, stop=False):
        self.writeto(address, buffer_out, start=out_start, end=out_end)
        self.readfrom_into(address, buffer_in, start=in_start, end=in_end)
