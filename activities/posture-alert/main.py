# Posture alert: learns how you sit up straight, then warns you when you slouch.
import math

import kit

TIME_LIMIT = 90   # seconds: the alert stops by itself after this
SLOUCH = 25       # degrees of lean that count as slouching...
SLOUCH_MS = 2000  # ...for this long before the warning
STRAIGHT = 10     # degrees: back to straight
STILL = 5         # degrees: two seconds in a row this close means you sit still


def warn(on):
    if kit.has("pixels"):
        if on:
            kit.pixels((255, 60, 0))
        else:
            kit.pixels((0, 30, 0))
    if kit.has("display"):
        if on:
            kit.show("!")
        else:
            kit.show("-")


def lean(ref, now):
    # The angle between the straight position and now, from the dot product.
    dot = ref[0] * now[0] + ref[1] * now[1] + ref[2] * now[2]
    size = math.sqrt(ref[0] ** 2 + ref[1] ** 2 + ref[2] ** 2)
    size = size * math.sqrt(now[0] ** 2 + now[1] ** 2 + now[2] ** 2)
    if size == 0:
        return 0
    c = max(-1.0, min(1.0, dot / size))
    return int(math.acos(c) * 180 / math.pi)


def average_second():
    # Adds up 20 readings over one second and divides by 20.
    # The average smooths out wobbles and the sensor's noise.
    sx = sy = sz = 0
    for _ in range(20):  # 20 times
        x, y, z = kit.accel()
        sx += x
        sy += y
        sz += z
        kit.sleep(50)
    return [sx / 20, sy / 20, sz / 20]


start = kit.ms()
# Learn how you sit up straight. You may still be moving when it starts,
# so average one second at a time until two seconds in a row agree.
if kit.has("pixels"):
    kit.pixels((0, 0, 60))  # blue: learning
if kit.has("display"):
    kit.show("?")
ref = average_second()
new = average_second()
while lean(ref, new) > STILL and kit.ms() - start < TIME_LIMIT * 1000:
    ref = new
    new = average_second()
ref = new
warn(False)
smooth = list(ref)  # the reading with the noise smoothed out
warning = False
slouches = 0
leaning_since = None
kit.report("slouches", 0)
last_report = kit.ms() - 1000
last_sample = kit.ms()
while kit.ms() - start < TIME_LIMIT * 1000:
    now = kit.ms()
    reading = kit.accel()
    for i in range(3):
        # Move a quarter of the way to each new reading: a jiggle or a noisy
        # reading changes the smoothed value only a little.
        smooth[i] = smooth[i] + (reading[i] - smooth[i]) / 4
    tilt = lean(ref, smooth)
    if tilt > SLOUCH:
        if leaning_since is None:
            leaning_since = now
        if not warning and now - leaning_since >= SLOUCH_MS:
            warning = True
            slouches += 1
            warn(True)
            kit.event("slouch")
            kit.report("slouches", slouches)
    else:
        leaning_since = None  # a short lean is not a slouch: start counting again
        if warning and tilt < STRAIGHT:
            warning = False
            warn(False)
            kit.event("sit_up")
    if now - last_report >= 1000:
        last_report = now
        kit.report("tilt", tilt)
    if now - last_sample >= 250:
        last_sample = now
        kit.sample(tilt=tilt)
    kit.sleep(50)
kit.done()
