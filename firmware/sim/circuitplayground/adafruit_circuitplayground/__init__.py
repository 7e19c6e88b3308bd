# adafruit_circuitplayground on a virtual board: picks the board's module in one place,
# as the library does, from the platform the virtual board plays.
from _kitboard import PLATFORM

if PLATFORM == "nRF52840":
    from .bluefruit import cpb as cp
elif PLATFORM == "Atmel SAMD21":
    from .express import cpx as cp  # noqa: F401
