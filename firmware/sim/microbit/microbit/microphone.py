# microbit.microphone on a virtual micro:bit v2: the scenario's sound column (0-255).
import _simcore as _c

from . import SoundEvent

_threshold = {"loud": 128, "quiet": 64}
_history = []


def sound_level():
    return int(_c.value("sound"))


def current_event():
    level = sound_level()
    if level >= _threshold["loud"]:
        event = SoundEvent.LOUD
    elif level <= _threshold["quiet"]:
        event = SoundEvent.QUIET
    else:
        return _history[-1] if _history else None
    if not _history or _history[-1] is not event:
        _history.append(event)
    return event


def is_event(event):
    return current_event() is event


def was_event(event):
    current_event()
    found = event in _history
    _history[:] = []
    return found


def get_events():
    current_event()
    events = tuple(_history)
    _history[:] = []
    return events


def set_threshold(event, value):
    _threshold[event._name] = value
