# Tilt rainbow: the direction you tilt the board picks a colour of the rainbow.
import math

import kit

TIME_LIMIT = 60  # seconds: the light show stops by itself after this
TILT = 300       # milli-g sideways pull needed before a tilt counts
COLOURS = [(255, 0, 0), (255, 120, 0), (255, 255, 0),
           (0, 255, 0), (0, 0, 255), (160, 0, 255)]  # red to violet


def direction(x, y):
    # Which sixth of a full turn the board leans towards: 0 to 5.
    angle = math.atan2(y, x) * 180 / math.pi  # -180 to 180 degrees
    return int((angle + 180) // 60) % 6


found = [False] * 6
shown = -1
start = kit.ms()
last_sample = start
kit.report("colours", 0)
kit.pixels((0, 0, 0))
while kit.ms() - start < TIME_LIMIT * 1000:
    now = kit.ms()
    x, y, z = kit.accel()
    side = -1
    if x * x + y * y > TILT * TILT:
        side = direction(x, y)
    if side != shown:
        shown = side
        if side < 0:
            kit.pixels((0, 0, 0))
        else:
            kit.pixels(COLOURS[side])
            if not found[side]:
                found[side] = True
                kit.event("new_colour")
                kit.report("colours", found.count(True))
                if found.count(True) == 6:
                    kit.event("rainbow")
    if now - last_sample >= 250:
        last_sample = now
        kit.sample(x=x, y=y, colour=side)
    kit.sleep(50)
kit.done()
