# Shake-to-high-five: a short, sharp slap means a high five!
#
# How the board tells a high five from jogging or shaking:
# 1. SUDDEN: a slap stops your hand dead, so the reading (all three
#    axes together) leaps more than JUMP (milli-g) from the one before.
# 2. ALONE: the pull was calm for QUIET ms before the slap, is calm
#    again SHORT ms after it, and stays calm for AFTER ms more.
#    Calm means the pull (all axes together) is within BUSY of the
#    usual pull (about 1000 when still, whichever way up the board is).
#    Jogging or shaking jolts all the time, so it is never calm.
import kit

TIME_LIMIT = 60   # seconds: the wristband stops by itself after this
JUMP = 1000       # milli-g: a leap this big between two readings is a slap
BUSY = 300        # milli-g away from the usual pull: the arm is moving
QUIET = 250       # ms of calm needed before a slap
SHORT = 120       # ms: a slap is over by then...
AFTER = 150       # ...and it stays calm this long after (claps come ~450 ms apart)


def celebrate(on):
    if kit.has("pixels"):
        if on:
            kit.pixels((255, 0, 200))
        else:
            kit.pixels((0, 0, 0))
    if kit.has("display"):
        if on:
            kit.show("5")
        else:
            kit.show(" ")


count = 0
hardest = 0
x, y, z = kit.accel()
usual = (x * x + y * y + z * z) ** 0.5  # learned slowly, below
start = kit.ms()
last_busy = start - QUIET  # when the pull last moved away from usual
slap = None                # when a slap began that might be a high five
peak = 0                   # the strongest pull of that slap
last_five = start
lit = False                # True while the celebration shows
last_sample = start
kit.report("high_fives", 0)
while kit.ms() - start < TIME_LIMIT * 1000:
    now = kit.ms()
    px, py, pz = x, y, z  # the reading before
    x, y, z = kit.accel()
    pull = (x * x + y * y + z * z) ** 0.5
    dx, dy, dz = x - px, y - py, z - pz
    jump = (dx * dx + dy * dy + dz * dz) ** 0.5  # how far the reading leapt
    busy = abs(pull - usual) > BUSY
    if slap is None and jump > JUMP and now - last_busy >= QUIET:
        slap = now  # sudden, after a calm moment: wait and see
        peak = 0
    if slap is not None:
        peak = max(peak, pull)
        if busy and now - slap > SHORT:
            slap = None  # still moving: not a short, lonely slap
        elif now - slap >= SHORT + AFTER:
            slap = None  # calm again: that was a high five!
            count += 1
            last_five = now
            kit.event("high_five")
            kit.report("high_fives", count)
            celebrate(True)
            lit = True
            if peak > hardest:
                hardest = int(peak)
                kit.report("hardest", hardest)
    if busy:
        last_busy = now
    else:
        usual = usual + (pull - usual) / 50  # learn the usual pull when calm
    if lit and now - last_five > 500:
        lit = False
        celebrate(False)
    if now - last_sample >= 250:
        last_sample = now
        kit.sample(pull=int(pull))
    kit.sleep(20)
kit.done()
