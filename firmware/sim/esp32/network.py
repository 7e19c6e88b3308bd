# The `network` module of a virtual ESP32: only what ESP-NOW needs (a WLAN interface to
# switch on, its MAC address), with the names and signatures of micropython-esp32-stubs.
import _simradio as _air

STA_IF = 0
AP_IF = 1
_active = [False, False]


class WLAN:
    IF_STA = 0
    IF_AP = 1

    def __init__(self, interface_id=STA_IF):
        if interface_id not in (STA_IF, AP_IF):
            raise ValueError("invalid WLAN interface identifier")
        self._if = interface_id

    def active(self, is_active=None):
        if is_active is None:
            return _active[self._if]
        _active[self._if] = bool(is_active)

    def isconnected(self):
        return False

    def disconnect(self):
        pass

    def config(self, *args, **kwargs):
        if args:
            if args[0] == "mac":  # the AP's address is the station's + 1, as on the chip
                m = _air.mac()
                return m[:5] + bytes(((m[5] + self._if) & 255,))
            if args[0] == "channel":
                return 1
            raise ValueError("unknown config param")
