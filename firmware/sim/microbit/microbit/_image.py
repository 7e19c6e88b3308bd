# microbit.Image and microbit.SoundEvent of a virtual micro:bit (a module of its own to
# keep the compiler's peak memory low on the small simulated heap of a micro:bit v1).


class Image:
    """A 5x5 picture, brightness 0-9 per LED (only what scripts commonly use)."""

    def __init__(self, string="00000:00000:00000:00000:00000", *args):
        rows = string.split(":") if type(string) is str else ["00000"] * 5
        self._rows = [[int(ch) for ch in row] for row in rows if row]

    def width(self):
        return len(self._rows[0]) if self._rows else 0

    def height(self):
        return len(self._rows)

    def get_pixel(self, x, y):
        return self._rows[y][x]

    def set_pixel(self, x, y, value):
        self._rows[y][x] = value

    def __str__(self):
        return ":".join("".join(str(v) for v in row) for row in self._rows) + ":"

    def __repr__(self):
        return "Image('%s')" % self


Image.HEART = Image("09090:99999:99999:09990:00900")
Image.HAPPY = Image("00000:09090:00000:90009:09990")
Image.SAD = Image("00000:09090:00000:09990:90009")
Image.YES = Image("00000:00009:00090:90900:09000")
Image.NO = Image("90009:09090:00900:09090:90009")


class SoundEvent:
    """A sound event: SoundEvent.LOUD or SoundEvent.QUIET (v2)."""

    def __init__(self, name):
        self._name = name

    def __repr__(self):
        return "SoundEvent('%s')" % self._name


SoundEvent.LOUD = SoundEvent("loud")
SoundEvent.QUIET = SoundEvent("quiet")
