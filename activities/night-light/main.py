# Night-light sleeve: lights switch on when it gets dark and off when it is bright.
import kit

TIME_LIMIT = 60  # seconds: the night-light stops by itself after this
DARK = 40        # darker than 40% of the room's normal light counts as dark...
BRIGHT = 70      # ...and brighter than 70% of it counts as bright again
# Two different levels stop the lights flickering when it is just in between.
SURE = 10        # readings in a row (10 x 0.1 s = 1 second) before the lights switch
# A shadow passing by is gone in less than a second, so it does not switch the lights.


def read_light():
    # Room lamps flicker 100 times a second: too fast for your eyes, not for the sensor.
    # 5 readings 2 ms apart cover one flicker, and their average stays steady.
    total = 0
    for _ in range(5):
        total = total + kit.light()
        kit.sleep(2)
    return total // 5


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


start = kit.ms()
is_on = False
lights(False)

# Learn the room: the average light of the first second (keep the sensor uncovered!).
total = 0
for _ in range(10):
    total = total + read_light()
    kit.sleep(90)
room = total // 10
dark_level = room * DARK // 100
bright_level = room * BRIGHT // 100
kit.report("light", room)

count = 0  # readings in a row that say "switch the lights!"
last_report = kit.ms()
last_sample = last_report
while kit.ms() - start < TIME_LIMIT * 1000:
    now = kit.ms()
    level = read_light()
    if is_on:
        switch = level > bright_level
    else:
        switch = level < dark_level
    if switch:
        count = count + 1
    else:
        count = 0  # not sure yet: start counting again
    if count >= SURE:
        count = 0
        is_on = not is_on
        lights(is_on)
        if is_on:
            kit.event("lights_on")
        else:
            kit.event("lights_off")
    if now - last_report >= 1000:
        last_report = now
        kit.report("light", level)
    if now - last_sample >= 250:
        last_sample = now
        kit.sample(light=level, on=int(is_on))
    kit.sleep(90)
lights(False)
kit.done()
