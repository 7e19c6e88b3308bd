# The air between the virtual boards of a fleet (MicroPython unix port only, never pushed to
# a board), under the simulated radio modules (microbit's radio, ESP32's espnow, kithal_sim).
# A board has one radio: this module is it (module state, no class: the virtual micro:bit
# v1's heap is small).
#
# WEARKIT_SIM_AIR names a folder that all boards of a fleet share. A board transmits by
# writing a small file there, under a dot-name first and then renamed, so nobody reads half
# a message. Its name is <key>.<sender>.<n>:
#   key     what a receiver must be tuned to, e.g. a micro:bit's channel, address, group and
#           data rate; only radios on the same key hear it
#   sender  the board's name (board.json), so a board never hears itself
#   n       the sender's counter; it goes on after the sender's newest file in the air, so a
#           restarted board never reuses a name
# Every board in range hears the same broadcast, so receivers delete nothing: each keeps a
# cursor, the newest n it has seen of every sender, set when its radio is switched on (what
# was said before is missed, as on real radios). A sender deletes its own files KEEP messages
# later. Received messages wait in a bounded queue (new ones are dropped when it is full).
# The scenario's `radio` column (_simcore.radio_due) adds messages heard at those times.
import os

import _simcore as _c

AIR = os.getenv("WEARKIT_SIM_AIR") or ""
POLL_US = 50000  # look at the air folder at most this often (real time)
KEEP = 16  # a sender's files left in the air


def _clean(name):
    return "".join([ch for ch in name if ch.isalpha() or ch.isdigit()]) or "board"


ME = _clean(str(_c.board.get("name") or "board"))


def mac(sender=ME):
    """A 6-byte address made up from a board's name (ESP-NOW)."""
    h = 5381
    for ch in sender:
        h = (h * 33 + ord(ch)) & 0xFFFFFF
    return bytes((0x24, 0x0A, 0xC4, h >> 16, (h >> 8) & 255, h & 255))


def _files():
    """[(n, sender, file name)] of every message in the air."""
    try:
        names = os.listdir(AIR)
    except OSError:
        return []
    out = []
    for name in names:
        parts = name.split(".")
        if len(parts) == 3 and parts[0] and parts[2].isdigit():
            out.append((int(parts[2]), parts[1], name))
    return out


key = None  # what the radio is tuned to; None while it is off
queue = 3  # how many received messages wait at most
q = []  # received: (data, sender, virtual us when heard)
_frame = None  # text -> the bytes a scenario message is heard as
_accept = None  # data -> whether to queue it (e.g. an address check)
_seen = {}
_polled = None
_n = -1
_sent = []


def on(k, frame=None, accept=None):
    """Switch on, tuned to key k: hear what is sent from now on."""
    global key, q, _frame, _accept, _seen, _polled, _n
    key, q, _frame, _accept, _seen, _polled = k, [], frame, accept, {}, None
    for n, sender, _ in _files():
        if n > _seen.get(sender, -1):
            _seen[sender] = n
    _n = max(_n, _seen.get(ME, -1))
    _c.radio_due()  # the scenario's messages so far went by while the radio was off


def off():
    global key, q
    key, q = None, []


def send(data):
    """Transmit data (bytes) to every board tuned to the same key."""
    global _n
    if not AIR:
        return
    _n += 1
    name = "%s.%s.%d" % (key, ME, _n)
    try:
        with open(AIR + "/." + name, "wb") as f:
            f.write(data)
        os.rename(AIR + "/." + name, AIR + "/" + name)
    except OSError:
        return  # the fleet is gone: nobody listens
    _sent.append(name)
    if len(_sent) > KEEP:
        try:
            os.remove(AIR + "/" + _sent.pop(0))
        except OSError:
            pass


def _hear(data, sender):
    if len(q) < queue and (_accept is None or _accept(data)):
        q.append((data, sender, _c.now_us()))


def poll():
    global _polled
    if key is None:
        return
    for text in _c.radio_due():
        _hear(_frame(text) if _frame else text.encode(), "scenario")
    now = _c.real.ticks_us()
    if not AIR or (_polled is not None and _c.real.ticks_diff(now, _polled) < POLL_US):
        return
    _polled = now
    new = [f for f in _files() if f[1] != ME and f[0] > _seen.get(f[1], -1)]
    new.sort()
    for n, sender, name in new:
        _seen[sender] = max(n, _seen.get(sender, -1))
        if name.split(".")[0] == key:
            try:
                with open(AIR + "/" + name, "rb") as f:
                    data = f.read()
            except OSError:
                continue  # already deleted by its sender: missed
            _hear(data, sender)


def get():
    """The next received (data, sender, virtual us when heard), or None."""
    poll()
    return q.pop(0) if q else None
