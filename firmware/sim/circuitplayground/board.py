# The pins of a virtual Circuit Playground (names from CircuitPython's board module).


class Pin:
    def __init__(self, name):
        self._name = name

    def __repr__(self):
        return "board." + self._name


A1, A2, A3, A4, A5, A6, A7, TX = (Pin(n) for n in ("A1", "A2", "A3", "A4", "A5", "A6", "A7",
                                                    "TX"))
NEOPIXEL = Pin("NEOPIXEL")
MICROPHONE_CLOCK = Pin("MICROPHONE_CLOCK")
MICROPHONE_DATA = Pin("MICROPHONE_DATA")
BUTTON_A, BUTTON_B, SLIDE_SWITCH, D13 = (Pin(n) for n in ("BUTTON_A", "BUTTON_B",
                                                          "SLIDE_SWITCH", "D13"))
