# Noise meter: shows how loud it is and notices loud sounds and quiet moments.
import kit

TIME_LIMIT = 60  # seconds: the meter stops by itself after this
LOUD = 200       # a level above this is a very loud sound
QUIET = 40       # a level below this is quiet
QUIET_FOR = 5000  # ms of quiet in a row that count as "quiet"


def show_level(level):
    if kit.has("pixels"):
        lit = level * 10 // 256 + 1  # one to ten pixels, like a bar graph
        colour = (0, 40, 0)
        if level > LOUD:
            colour = (60, 0, 0)
        kit.pixels([colour] * lit + [(0, 0, 0)] * (10 - lit))
    if kit.has("display"):
        kit.show(str(level * 10 // 256))  # 0 to 9


peak = 0
was_loud = False
start = kit.ms()
quiet_since = start
told_quiet = False
last_report = start - 1000
last_sample = start
kit.report("peak", 0)
while kit.ms() - start < TIME_LIMIT * 1000:
    now = kit.ms()
    level = kit.sound()
    if level > peak:
        peak = level
        kit.report("peak", peak)
    if level > LOUD and not was_loud:
        kit.event("loud")
    was_loud = level > LOUD
    if level >= QUIET:
        quiet_since = now
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
