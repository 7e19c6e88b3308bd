# audiobusio.PDMIn on a virtual Circuit Playground: records a square wave whose RMS is
# 8 x the scenario's sound column (0-255), around the 16-bit midpoint.
import _simcore as _c


class PDMIn:
    def __init__(self, clock_pin, data_pin, *, sample_rate=16000, bit_depth=8, mono=True,
                 oversample=64, startup_delay=0.11):
        self.sample_rate = sample_rate
        self.bit_depth = bit_depth

    def record(self, destination, destination_length):
        amplitude = int(_c.value("sound")) * 8
        mid = 1 << (self.bit_depth - 1)
        for i in range(destination_length):
            destination[i] = mid + amplitude if i % 2 else mid - amplitude
        return destination_length

    def deinit(self):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *args):
        self.deinit()
