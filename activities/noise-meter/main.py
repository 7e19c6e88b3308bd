# Noise meter: shows how loud it is and notices loud sounds and quiet moments.
import kit

TIME_LIMIT = 60   # seconds: the meter stops by itself after this
LOUD = 200        # a level of 200 or more is a very loud sound...
SURE = 2          # ...if it lasts 2 readings in a row (0.1 s): a knock on the board is shorter
QUIET_FOR = 5000  # ms of quiet in a row that count as "quiet"
MARGIN = 20       # quiet is at most this much above the room's own hum...
QUIET_MOST = 60   # ...and never above this, even in a room with a noisy fan
BLIP = 3          # readings in a row (0.15 s) above quiet that break the quiet: a creak is shorter


def show_level(level):
    if kit.has("pixels"):
        lit = level * 10 // 256 + 1  # one to ten pixels, like a bar graph
        colour = (0, 40, 0)
        if level >= LOUD:
            colour = (60, 0, 0)
        kit.pixels([colour] * lit + [(0, 0, 0)] * (10 - lit))
    if kit.has("display"):
        kit.show(str(level * 10 // 256))  # 0 to 9


peak = 0
was_loud = False
last_level = 0
hum = QUIET_MOST  # the room's hum: the quietest second so far
total = 0         # adds up this second's levels...
count = 0         # ...and counts them, to average each second
noisy = 0         # readings in a row above quiet
start = kit.ms()
second = start
quiet_since = start
told_quiet = False
last_report = start - 1000
last_sample = start
kit.report("peak", 0)
while kit.ms() - start < TIME_LIMIT * 1000:
    now = kit.ms()
    level = kit.sound()
    # A loud sound must last: the quieter of this reading and the last one.
    sure = min(level, last_level)
    last_level = level
    if sure > peak:
        peak = sure
        kit.report("peak", peak)
    if sure >= LOUD and not was_loud:
        kit.event("loud")
    was_loud = sure >= LOUD
    # Learn the room's hum: the average of its quietest second.
    total = total + level
    count = count + 1
    if now - second >= 1000:
        hum = min(hum, total // count)
        total = 0
        count = 0
        second = now
    if level > min(hum + MARGIN, QUIET_MOST):
        noisy = noisy + 1
    else:
        noisy = 0
    if noisy >= BLIP:
        quiet_since = now  # a real noise: start timing the quiet again
        told_quiet = False
    elif not told_quiet and now - quiet_since >= QUIET_FOR:
        told_quiet = True
        kit.event("quiet")
    if now - last_report >= 1000:
        last_report = now
        kit.report("level", level)
        show_level(level)
    if now - last_sample >= 250:
        last_sample = now
        kit.sample(sound=level)
    kit.sleep(50)
kit.done()
