# Posture alert: learns how you sit up straight, then warns you when you slouch.
import math

import kit

TIME_LIMIT = 90   # seconds: the alert stops by itself after this
SLOUCH = 25       # degrees of lean that count as slouching...
SLOUCH_MS = 2000  # ...for this long before the warning
STRAIGHT = 10     # degrees: back to straight


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


start = kit.ms()
kit.sleep(1000)  # one second to sit up straight
ref = kit.accel()
warn(False)
warning = False
slouches = 0
leaning_since = None
last_report = kit.ms() - 1000
last_sample = kit.ms()
while kit.ms() - start < TIME_LIMIT * 1000:
    now = kit.ms()
    tilt = lean(ref, kit.accel())
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
        leaning_since = None
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
