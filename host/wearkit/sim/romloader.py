"""A simulated ESP32 in its ROM serial loader, on a pty: what esptool talks to when flashing.

The chip's half of esptool's serial protocol (Espressif's "Serial Protocol" docs): SLIP
frames; a request is ``00 op len(2) checksum(4) data``, an answer ``01 op len(2) value(4)
data status``; data packets carry an XOR-0xEF checksum. It answers the eight SYNC replies,
reads the chip-detect register as an ESP32 (0x00F01D83, every other register 0), keeps a
flash image, writes plain and deflated blocks, erases, and answers SPI_FLASH_MD5. It also
takes esptool's flasher stub into "RAM" and then speaks as the stub does (its "OHAI", two
status bytes, raw MD5, whole-chip and region erase), so esptool's default path, stub and
all, runs against it as it does against a board.

``image`` is the flash; tests check its bytes.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pty
import select
import struct
import threading
import tty
import zlib

FLASH_SIZE = 4 * 1024 * 1024
CHIP_MAGIC_REG = 0x40001000
ESP32_MAGIC = 0x00F01D83
_END, _ESC = 0xC0, 0xDB
_INVALID_MESSAGE = 0x05  # the ROM's answer to a command it does not know


def slip(payload: bytes) -> bytes:
    """One SLIP frame around ``payload``."""
    body = payload.replace(b"\xdb", b"\xdb\xdd").replace(b"\xc0", b"\xdb\xdc")
    return b"\xc0" + body + b"\xc0"


def xor_checksum(data: bytes) -> int:
    """The ROM's checksum of a data packet: XOR of its bytes, starting from 0xEF."""
    state = 0xEF
    for byte in data:
        state ^= byte
    return state


class RomLoader:
    """An ESP32 waiting in its download mode on a pty; ``port`` is the path to open."""

    def __init__(self, flash_size: int = FLASH_SIZE) -> None:
        self.image = bytearray(b"\xff" * flash_size)
        self.stub = False  # the flasher stub was loaded and runs
        self.erased = 0  # whole-chip erases seen
        self._master, slave = pty.openpty()
        tty.setraw(slave)
        self.port = os.ttyname(slave)
        self._slave = slave  # kept open: a pty vanishes with its last reader
        self._stop = threading.Event()
        self._write_at = 0
        self._inflate: zlib._Decompress | None = None
        self._thread = threading.Thread(target=self._serve, name="romloader", daemon=True)

    def start(self) -> RomLoader:
        """Begin answering."""
        self._thread.start()
        return self

    def close(self) -> None:
        """Power the chip off: the port goes away."""
        self._stop.set()
        self._thread.join(timeout=2)
        for fd in (self._master, self._slave):
            with contextlib.suppress(OSError):
                os.close(fd)

    def __enter__(self) -> RomLoader:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- the wire ---------------------------------------------------------------------------

    def _serve(self) -> None:
        frame = bytearray()
        inside = escaped = False
        while not self._stop.is_set():
            try:
                ready, _, _ = select.select([self._master], [], [], 0.1)
                data = os.read(self._master, 4096) if ready else b""
            except OSError:
                return
            for byte in data:
                if byte == _END:
                    if inside and frame:
                        self._packet(bytes(frame))
                    frame.clear()
                    inside = True
                elif not inside:
                    continue
                elif escaped:
                    frame.append(0xC0 if byte == 0xDC else 0xDB)
                    escaped = False
                elif byte == _ESC:
                    escaped = True
                else:
                    frame.append(byte)

    def _send(self, payload: bytes) -> None:
        with contextlib.suppress(OSError):
            os.write(self._master, slip(payload))

    def _answer(self, op: int, value: int = 0, data: bytes = b"", error: int = 0) -> None:
        status = bytes([1 if error else 0, error]) + (b"" if self.stub else b"\0\0")
        body = data + status
        self._send(struct.pack("<BBHI", 1, op, len(body), value) + body)

    # -- commands ---------------------------------------------------------------------------

    def _packet(self, packet: bytes) -> None:
        if len(packet) < 8 or packet[0] != 0:
            return
        op, size, checksum = struct.unpack("<BHI", packet[1:8])
        data = packet[8 : 8 + size]
        handler = _COMMANDS.get(op)
        if handler is None or (op in _STUB_ONLY and not self.stub):
            self._answer(op, error=_INVALID_MESSAGE)
            return
        handler(self, op, data, checksum)

    def _sync(self, op: int, data: bytes, checksum: int) -> None:
        for _ in range(8):  # the ROM answers a SYNC eight times; the stub's value is 0
            self._answer(op, 0 if self.stub else 0x20120707)

    def _read_reg(self, op: int, data: bytes, checksum: int) -> None:
        (address,) = struct.unpack("<I", data[:4])
        self._answer(op, ESP32_MAGIC if address == CHIP_MAGIC_REG else 0)

    def _ok(self, op: int, data: bytes, checksum: int) -> None:
        self._answer(op)

    def _mem_end(self, op: int, data: bytes, checksum: int) -> None:
        self._answer(op)
        (no_entry, _entry) = struct.unpack("<II", data[:8])
        if not no_entry:  # esptool's flasher stub "runs" and says hello
            self.stub = True
            self._send(b"OHAI")

    def _flash_begin(self, op: int, data: bytes, checksum: int) -> None:
        erase_size, _blocks, _block_size, offset = struct.unpack("<IIII", data[:16])
        self._write_at = offset
        if op == _FLASH_BEGIN:
            end = min(offset + erase_size, len(self.image))
            self.image[offset:end] = b"\xff" * (end - offset)
            self._inflate = None
        else:
            self._inflate = zlib.decompressobj()
        self._answer(op)

    def _flash_data(self, op: int, data: bytes, checksum: int) -> None:
        size = struct.unpack("<I", data[:4])[0]
        block = data[16 : 16 + size]
        if len(block) != size or xor_checksum(block) != checksum & 0xFF:
            self._answer(op, error=0x07)  # a bad checksum, as the ROM reports it
            return
        if op == _FLASH_DEFL_DATA:
            if self._inflate is None:
                self._answer(op, error=0x08)
                return
            block = self._inflate.decompress(block)
        end = self._write_at + len(block)
        self.image[self._write_at : end] = block
        self._write_at = end
        self._answer(op)

    def _md5(self, op: int, data: bytes, checksum: int) -> None:
        address, size = struct.unpack("<II", data[:8])
        digest = hashlib.md5(self.image[address : address + size])
        self._answer(op, 0, digest.digest() if self.stub else digest.hexdigest().encode())

    def _erase_flash(self, op: int, data: bytes, checksum: int) -> None:
        self.image[:] = b"\xff" * len(self.image)
        self.erased += 1
        self._answer(op)

    def _erase_region(self, op: int, data: bytes, checksum: int) -> None:
        offset, size = struct.unpack("<II", data[:8])
        self.image[offset : offset + size] = b"\xff" * size
        self._answer(op)


_FLASH_BEGIN, _FLASH_DEFL_DATA = 0x02, 0x11
_STUB_ONLY = frozenset({0xD0, 0xD1})
_COMMANDS = {
    0x08: RomLoader._sync,
    0x0A: RomLoader._read_reg,
    0x09: RomLoader._ok,  # WRITE_REG
    0x0B: RomLoader._ok,  # SPI_SET_PARAMS
    0x0D: RomLoader._ok,  # SPI_ATTACH
    0x0F: RomLoader._ok,  # CHANGE_BAUDRATE
    0x05: RomLoader._ok,  # MEM_BEGIN
    0x07: RomLoader._ok,  # MEM_DATA
    0x06: RomLoader._mem_end,
    0x02: RomLoader._flash_begin,
    0x10: RomLoader._flash_begin,  # FLASH_DEFL_BEGIN
    0x03: RomLoader._flash_data,
    0x11: RomLoader._flash_data,  # FLASH_DEFL_DATA
    0x04: RomLoader._ok,  # FLASH_END
    0x12: RomLoader._ok,  # FLASH_DEFL_END
    0x13: RomLoader._md5,
    0xD0: RomLoader._erase_flash,
    0xD1: RomLoader._erase_region,
}
