# Tilt rainbow: the direction you tilt the board picks a colour of the rainbow.
import math

import kit

TIME_LIMIT = 60  # seconds: the light show stops by itself after this
TILT = 300       # milli-g of lean, away from how you hold it at the start, before a tilt counts
CALM = 250       # the whole pull must be within this of 1000 milli-g (just gravity)...
SURE = 6         # ...for 6 readings in a row (0.3 s) in one direction before a colour counts
COLOURS = [(255, 0, 0), (255, 120, 0), (255, 255, 0),
           (0, 255, 0), (0, 0, 255), (160, 0, 255)]  # red to violet


def direction(u, v):
    # Which sixth of a full turn the board leans towards: 0 to 5.
    angle = math.atan2(v, u) * 180 / math.pi  # -180 to 180 degrees
    return int((angle + 180) // 60) % 6


start = kit.ms()
kit.report("colours", 0)
kit.pixels((0, 0, 0))
# Learn how you hold the board: its average pull over the first second (keep still!).
rest = [0, 0, 0]
readings = 0
while kit.ms() - start < 1000:
    a = kit.accel()
    for i in range(3):
        rest[i] = rest[i] + a[i]
    readings = readings + 1
    kit.sleep(50)
rest = [r / readings for r in rest]
# Gravity pulls most on one of the three directions (x, y or z): "down".
# The other two show which way you lean, however the board is worn.
down = 0
for i in range(3):
    if abs(rest[i]) > abs(rest[down]):
        down = i
U, V = [i for i in range(3) if i != down]

smooth = list(rest)  # an average of the last few readings: a shaky hand moves it little
found = [False] * 6
shown = -1
maybe = -1  # the direction of the last readings...
same = 0    # ...and how many readings in a row it has been the same
last_sample = kit.ms()
while kit.ms() - start < TIME_LIMIT * 1000:
    now = kit.ms()
    a = kit.accel()
    for i in range(3):
        smooth[i] = smooth[i] + (a[i] - smooth[i]) / 3
    pull = math.sqrt(smooth[0] ** 2 + smooth[1] ** 2 + smooth[2] ** 2)
    u = smooth[U] - rest[U]
    v = smooth[V] - rest[V]
    side = -1
    # Shaking or swinging adds pulls of its own: only a calm board is tilting.
    if abs(pull - 1000) < CALM and u * u + v * v > TILT * TILT:
        side = direction(u, v)
    if side == maybe:
        same = same + 1
    else:
        maybe = side
        same = 1
    if same >= SURE and side != shown:
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
        kit.sample(u=int(u), v=int(v), colour=shown)
    kit.sleep(50)
kit.done()
