# Helpers the host runs on a board (in the REPL, never saved) to receive a file.
# Plain MicroPython: they must work on micro:bit v1 (no hashlib, no binascii, no
# deflate there) as well as on CircuitPython and the ESP32.
import os


def _wk_open(path):
    global _wk_f, w
    _wk_f = open(path, "wb")
    w = _wk_f.write


def _wk_close():
    _wk_f.close()


def _wk_b64(data):
    import binascii

    _wk_f.write(binascii.a2b_base64(data))


def _wk_inflate(src, dest, wbits):
    import deflate

    buf = bytearray(256)
    with open(src, "rb") as fin:
        stream = deflate.DeflateIO(fin, deflate.RAW, wbits)
        with open(dest, "wb") as fout:
            while True:
                n = stream.readinto(buf)
                if not n:
                    break
                fout.write(buf if n == len(buf) else buf[:n])
    os.remove(src)


def _wk_move(src, dest):
    try:
        os.remove(dest)
    except OSError:
        pass
    os.rename(src, dest)


def _wk_digest(path):
    # sha256 where the firmware has hashlib; else a 32-bit rolling sum the host mirrors.
    buf = bytearray(256)
    size = 0
    try:
        import hashlib

        h = hashlib.sha256()
        kind = "sha256"
    except ImportError:
        h = None
        kind = "sum31"
        s = 0
    with open(path, "rb") as f:
        while True:
            n = f.readinto(buf)
            if not n:
                break
            size += n
            part = buf if n == len(buf) else buf[:n]
            if h:
                h.update(part)
            else:
                for b in part:
                    s = (s * 31 + b) & 0xFFFFFFFF
    if h:
        digest = "".join("%02x" % b for b in h.digest())
    else:
        digest = "%08x" % s
    print(kind, size, digest)


def _wk_caps():
    found = []
    for name in ("deflate", "binascii", "hashlib"):
        try:
            __import__(name)
            found.append(name)
        except ImportError:
            pass
    print(" ".join(found), "rename" if hasattr(os, "rename") else "")
