# Shake-to-high-five: a big jolt means a high five!
import kit

TIME_LIMIT = 60   # seconds: the wristband stops by itself after this
JOLT = 1800       # milli-g: much stronger than gravity (1000) means a high five
CALM = 1200       # the high five is over when it is back below this
COOLDOWN = 600    # ms before another high five can count


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
in_jolt = False
start = kit.ms()
last_five = start - COOLDOWN
last_sample = start
kit.report("high_fives", 0)
while kit.ms() - start < TIME_LIMIT * 1000:
    now = kit.ms()
    x, y, z = kit.accel()
    pull = int((x * x + y * y + z * z) ** 0.5)
    if not in_jolt and pull > JOLT and now - last_five >= COOLDOWN:
        in_jolt = True
        last_five = now
        count += 1
        kit.event("high_five")
        kit.report("high_fives", count)
        celebrate(True)
    elif in_jolt and pull < CALM:
        in_jolt = False
    if in_jolt and pull > hardest:
        hardest = pull
        kit.report("hardest", hardest)
    if not in_jolt and now - last_five > 500:
        celebrate(False)
    if now - last_sample >= 250:
        last_sample = now
        kit.sample(pull=pull)
    kit.sleep(20)
kit.done()
