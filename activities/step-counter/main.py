# Step-counter wristband: counts your steps with the accelerometer.
# Every step gives the board a jolt: the pull it feels jumps above HIGH,
# then settles back below LOW. One jump + settle = one step.
import kit

TIME_LIMIT = 60  # seconds: the counter stops by itself after this
GOAL = 20        # steps to reach the goal
HIGH = 1300      # milli-g: a jolt bigger than still (1000) means a step...
LOW = 1100       # ...and the step is over when it drops below this
GAP = 250        # ms: nobody takes two steps closer together than this


def strength():
    x, y, z = kit.accel()
    return int((x * x + y * y + z * z) ** 0.5)


def show_steps(steps):
    if kit.has("display"):
        kit.show(str(steps))
    if kit.has("pixels"):
        lit = steps * 10 // GOAL  # light one pixel for every tenth of the goal
        if lit > 10:
            lit = 10
        kit.pixels([(0, 40, 0)] * lit + [(0, 0, 0)] * (10 - lit))


steps = 0
in_step = False
start = kit.ms()
last_step = start - GAP
last_sample = start
kit.report("steps", 0)
show_steps(0)
while kit.ms() - start < TIME_LIMIT * 1000:
    now = kit.ms()
    pull = strength()
    if not in_step and pull > HIGH and now - last_step >= GAP:
        in_step = True
        last_step = now
        steps += 1
        kit.report("steps", steps)
        show_steps(steps)
        if steps == GOAL:
            kit.event("goal")
    elif in_step and pull < LOW:
        in_step = False
    if now - last_sample >= 250:
        last_sample = now
        kit.sample(pull=pull, steps=steps)
    kit.sleep(20)
kit.done()
