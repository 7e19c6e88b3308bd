# Step-counter wristband: counts your steps with the accelerometer.
#
# How the board spots a step, whichever way round you wear it:
# 1. PULL: how hard the board is pulled, all three axes together.
#    Still, it is about 1000 (milli-g), pointing any way.
# 2. USUAL: the pull the board is used to. It learns it slowly.
# 3. A step is a jolt: the pull rises RISE above USUAL, then drops
#    back below USUAL. One rise + drop = one step.
# 4. Walking has a rhythm. Steps only count once RHYTHM of them come
#    in a row, each less than PAUSE apart. Waving your hands while
#    you talk is not a walk!
import kit

TIME_LIMIT = 60  # seconds: the counter stops by itself after this
GOAL = 20        # steps to reach the goal
RISE = 100       # milli-g above the usual pull that means a jolt
GAP = 250        # ms: nobody takes two steps closer together than this
PAUSE = 1000    # ms: a longer wait than this means you stopped walking
RHYTHM = 4       # steps in a row before we believe you are walking


def strength():
    x, y, z = kit.accel()
    return (x * x + y * y + z * z) ** 0.5


def show_steps(steps):
    if kit.has("display"):
        kit.show(str(steps))
    if kit.has("pixels"):
        lit = steps * 10 // GOAL  # light one pixel for every tenth of the goal
        if lit > 10:
            lit = 10
        kit.pixels([(0, 40, 0)] * lit + [(0, 0, 0)] * (10 - lit))


steps = 0        # steps counted
in_a_row = 0     # jolts in a row, each less than PAUSE after the last
in_step = False  # True from a jolt until the pull drops below usual
cheered = False  # True once the goal is reached
pull = strength()
usual = pull     # learned slowly, below
smooth = pull    # the pull with the sensor's jitter smoothed out
start = kit.ms()
last_step = start - PAUSE
last_sample = start
kit.report("steps", 0)
show_steps(0)
while kit.ms() - start < TIME_LIMIT * 1000:
    now = kit.ms()
    pull = strength()
    smooth = smooth + (pull - smooth) / 4   # move a quarter of the way
    usual = usual + (pull - usual) / 50     # move a fiftieth of the way
    if not in_step and smooth > usual + RISE and now - last_step >= GAP:
        in_step = True
        if now - last_step > PAUSE:
            in_a_row = 0  # you had stopped: start a new rhythm
        in_a_row += 1
        last_step = now
        if in_a_row >= RHYTHM:
            if in_a_row == RHYTHM:
                steps += RHYTHM  # a rhythm! the steps we held back count too
            else:
                steps += 1
            kit.report("steps", steps)
            show_steps(steps)
            if steps >= GOAL and not cheered:
                cheered = True
                kit.event("goal")
    elif in_step and smooth < usual:
        in_step = False
    if now - last_sample >= 250:
        last_sample = now
        kit.sample(pull=int(pull), usual=int(usual), steps=steps)
    kit.sleep(20)
kit.done()
