# wearkit's put helper. It lives on the board with the kit runtime; a host that finds it
# missing (or of another WK_V) sends this text to the REPL instead, unsaved. The host
# runs `from _wkput import *`, so every name it calls has no leading underscore.
# Plain MicroPython: it must work on micro:bit v1 (no hashlib, binascii, deflate or
# os.rename there) as well as on CircuitPython and the ESP32.
import os

WK_V = 2  # the host compares this with firmware/_wkput.py's; bump it on any change


def wk_caps():
    # Remove what a put cut short left behind (.part; .z from wearkit before WK_V 2),
    # then say which version and features this board has (the host reads the words).
    for name in os.listdir():
        if name.endswith(".part") or name.endswith(".z"):
            os.remove(name)
    found = [str(WK_V)]
    for name in ("deflate", "binascii", "hashlib"):
        try:
            __import__(name)
            found.append(name)
        except ImportError:
            pass
    if hasattr(os, "rename"):
        found.append("rename")
    try:  # the .mpy version this firmware loads (MicroPython 1.19 and later)
        found.append("mpy=%d" % __import__("sys").implementation._mpy)
    except AttributeError:
        pass
    print(" ".join(found))


def wk_open(path):
    global wk_f, w
    wk_f = open(path, "wb")
    w = wk_f.write


def wk_z(text, wbits):
    # One piece of the file, deflated on its own and base64-encoded: inflated straight
    # into the open file, no staging file.
    import binascii
    import io

    import deflate

    stream = deflate.DeflateIO(io.BytesIO(binascii.a2b_base64(text)), deflate.RAW, wbits)
    buf = bytearray(256)
    while True:
        n = stream.readinto(buf)
        if not n:
            break
        wk_f.write(buf if n == len(buf) else buf[:n])


def wk_end(path, dest, size, digest):
    # Close, check what landed against what the host sent, and only then give it its
    # name; a file that did not land intact is removed. Prints size and digest.
    wk_f.close()
    got = wk_digest(path)
    if got == (size, digest):
        if path != dest:
            try:
                os.remove(dest)
            except OSError:
                pass
            os.rename(path, dest)
    elif path != dest:
        os.remove(path)
    print(got[0], got[1])


def wk_digest(path):
    # sha256 where the firmware has hashlib; else a 32-bit rolling sum the host mirrors.
    buf = bytearray(256)
    size = 0
    try:
        import hashlib

        h = hashlib.sha256()
    except ImportError:
        h = None
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
        return size, "".join("%02x" % b for b in h.digest())
    return size, "%08x" % s
