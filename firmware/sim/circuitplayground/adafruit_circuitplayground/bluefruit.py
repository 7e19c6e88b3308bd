# Bluefruit on a virtual board: adds the microphone (sound_level is an RMS of 16-bit
# samples; the sim gives 8 x the scenario's sound column).
import _simcore as _c

from .circuit_playground_base import CircuitPlaygroundBase


class Bluefruit(CircuitPlaygroundBase):
    """Represents a single CircuitPlayground Bluefruit."""

    @property
    def sound_level(self):
        return float(int(_c.value("sound")) * 8)

    def loud_sound(self, sound_threshold=200):
        return self.sound_level > sound_threshold


cpb = Bluefruit()
