# Express on a virtual board: as the library's, A7 is also TX and there is no sound_level.
from .circuit_playground_base import CircuitPlaygroundBase


class Express(CircuitPlaygroundBase):
    """Represents a single CircuitPlayground Express."""

    touch_A7 = CircuitPlaygroundBase.touch_TX

    @property
    def _unsupported(self):
        raise NotImplementedError("This feature is not supported on Circuit Playground Express.")

    sound_level = _unsupported
    loud_sound = _unsupported
    play_mp3 = _unsupported


cpx = Express()
