# The `espnow` module of a virtual ESP32, with the names and signatures of
# micropython-esp32-stubs, on the air its fleet shares (_simradio): ESP-NOW on channel 1
# (WLAN not connected). A packet carries its destination (a peer's MAC or the broadcast
# b"\xff" * 6); a board's MAC is made up from its name. Errors are the device's OSErrors.
# Not modelled: encryption (lmk/pmk), rates, rxbuf (the queue holds 8 messages).
import _simcore as _c
import _simradio as _air
import network as _net

KEY_LEN = 16
ADDR_LEN = 6
MAX_DATA_LEN = 250  # ESP-NOW v1 (firmware on ESP-IDF 5.4 or later allows 1470)
MAX_TOTAL_PEER_NUM = 20
MAX_ENCRYPT_PEER_NUM = 6
_BROADCAST = b"\xff" * 6
_ERRORS = {"NOT_INIT": -12391, "ARG": -12392, "NOT_FOUND": -12395, "EXIST": -12397,
           "IF": -12398}


def _fail(name):
    raise OSError(_ERRORS[name], "ESP_ERR_ESPNOW_" + name)


def _for_me(data):
    return data[:6] == _BROADCAST or data[:6] == _air.mac()


class ESPNow:
    def __init__(self):
        self._peers = {}
        self._timeout = 300000

    def active(self, flag=None):
        if flag is not None:
            if flag and _air.key is None:
                _air.queue = 8
                _air.on("en1", lambda text: _BROADCAST + text.encode(), _for_me)
            elif not flag:
                _air.off()
        return _air.key is not None

    def config(self, *args, rxbuf=None, timeout_ms=None, rate=None):
        if args:
            if args[0] == "timeout_ms":
                return self._timeout
            if args[0] == "rxbuf":
                return 526
            raise ValueError("unknown config param")
        if timeout_ms is not None:
            self._timeout = timeout_ms

    def add_peer(self, mac, lmk=None, channel=None, ifidx=None, encrypt=None):
        if _air.key is None:
            _fail("NOT_INIT")
        if len(mac) != ADDR_LEN:
            raise ValueError("invalid MAC address")
        if bytes(mac) in self._peers:
            _fail("EXIST")
        self._peers[bytes(mac)] = (bytes(mac), lmk, channel or 0, ifidx or 0, bool(encrypt))

    def del_peer(self, mac):
        if self._peers.pop(bytes(mac), None) is None:
            _fail("NOT_FOUND")

    def get_peers(self):
        return tuple(self._peers.values())

    def get_peer(self, mac):
        if bytes(mac) not in self._peers:
            _fail("NOT_FOUND")
        return self._peers[bytes(mac)]

    def peer_count(self):
        return (len(self._peers), 0)

    def send(self, mac, msg=None, sync=True):
        if msg is None:  # send(msg): to every peer
            mac, msg = None, mac
        if _air.key is None:
            _fail("NOT_INIT")
        if not (_net._active[0] or _net._active[1]):
            _fail("IF")
        if mac is not None and bytes(mac) not in self._peers:
            _fail("NOT_FOUND")
        if isinstance(msg, str):
            msg = msg.encode()
        if not 0 < len(msg) <= MAX_DATA_LEN:
            _fail("ARG")
        for peer in [bytes(mac)] if mac is not None else list(self._peers):
            _air.send(peer + bytes(msg))
        return True

    def any(self):
        _air.poll()
        return bool(_air.q)

    def recv(self, timeout_ms=None):
        if _air.key is None:
            _fail("NOT_INIT")
        wait = self._timeout if timeout_ms is None else timeout_ms
        waited = 0
        while True:
            got = _air.get()
            if got is not None:
                return [_air.mac(got[1]), got[0][6:]]
            if 0 <= wait <= waited:
                return (None, None)
            _c.sleep_us(10000)
            waited += 10

    def irecv(self, timeout_ms=None):
        return self.recv(timeout_ms)
