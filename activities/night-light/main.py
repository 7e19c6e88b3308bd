# Night-light sleeve: lights switch on when it gets dark and off when it is bright.
import kit

TIME_LIMIT = 60  # seconds: the night-light stops by itself after this
DARK = 40        # light level below this counts as dark...
BRIGHT = 80      # ...and above this counts as bright again
# Two different levels stop the lights flickering when it is just in between.


def lights(on):
    if kit.has("pixels"):
        if on:
            kit.pixels((255, 180, 60))
        else:
            kit.pixels((0, 0, 0))
    if kit.has("display"):
        if on:
            kit.show("*")
        else:
            kit.show(" ")


is_on = False
lights(False)
start = kit.ms()
last_report = start - 1000
last_sample = start
while kit.ms() - start < TIME_LIMIT * 1000:
    now = kit.ms()
    level = kit.light()
    if not is_on and level < DARK:
        is_on = True
        lights(True)
        kit.event("lights_on")
    elif is_on and level > BRIGHT:
        is_on = False
        lights(False)
        kit.event("lights_off")
    if now - last_report >= 1000:
        last_report = now
        kit.report("light", level)
    if now - last_sample >= 250:
        last_sample = now
        kit.sample(light=level, on=int(is_on))
    kit.sleep(50)
lights(False)
kit.done()
