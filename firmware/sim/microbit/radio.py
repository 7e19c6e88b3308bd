# The `radio` module of a virtual micro:bit, with the names and signatures of
# micropython-microbit-stubs-en, on the air its fleet shares (_simradio): a message reaches
# the micro:bits switched on and tuned to the same channel, address, group and data rate.
# As on the device: config() changes only what it is given; send() is send_bytes() of
# b"\x01\x00\x01" + the UTF-8 text; messages longer than `length` are cut; a full queue
# drops new messages.
import _simradio as _air

RATE_1MBIT = 0
RATE_2MBIT = 1
_NAMES = ("length", "queue", "channel", "power", "address", "group", "data_rate")
_DEFAULTS = (32, 3, 7, 6, 0x75626974, 0, RATE_1MBIT)
_LOWEST = (1, 1, 0, 0, 0, 0, RATE_1MBIT)
_HIGHEST = (251, 254, 83, 7, 0xFFFFFFFF, 255, RATE_2MBIT)
_cfg = list(_DEFAULTS)
_HEADER = b"\x01\x00\x01"


def _tune():
    _air.queue = _cfg[1]
    _air.on("mb%d-%x-%d-%d" % (_cfg[2], _cfg[4], _cfg[5], _cfg[6]),
            lambda text: _HEADER + text.encode())


def _retune():  # as the device: the queue empties
    if _air.key is not None:
        _tune()


def on():
    if _air.key is None:
        _tune()


def off():
    _air.off()


def config(length=None, queue=None, channel=None, power=None, address=None, group=None,
           data_rate=None):
    given = (length, queue, channel, power, address, group, data_rate)
    for i in range(7):
        if given[i] is not None and not _LOWEST[i] <= given[i] <= _HIGHEST[i]:
            raise ValueError("value out of range for argument '%s'" % _NAMES[i])
    for i in range(7):
        if given[i] is not None:
            _cfg[i] = given[i]
    _retune()


def reset():
    _cfg[:] = _DEFAULTS
    _retune()


def send_bytes(message):
    if _air.key is None:
        raise ValueError("radio is not enabled")
    _air.send(bytes(message)[:_cfg[0]])


def receive_full():
    if _air.key is None:
        raise ValueError("radio is not enabled")
    got = _air.get()
    return got and (got[0][:_cfg[0]], -42, got[2] & 0x3FFFFFFF)


def receive_bytes():
    full = receive_full()
    return full and full[0]


def receive_bytes_into(buffer):
    msg = receive_bytes()
    if msg is None:
        return None
    n = min(len(msg), len(buffer))
    buffer[:n] = msg[:n]
    return n


def send(message):
    send_bytes(_HEADER + message.encode())


def receive():
    msg = receive_bytes()
    if msg is None:
        return None
    if msg[:3] != _HEADER:
        raise ValueError("received packet is not a string")
    return str(msg[3:], "utf-8")
