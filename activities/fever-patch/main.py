# Fever patch: warns when the board gets warmer than the room, like a body with a fever.
# (A real fever is about 38 C, but our sensor sits inside the board and never gets as
# warm as your skin, so we pretend "3 degrees warmer than the room" is a fever.)
import kit

TIME_LIMIT = 90  # seconds: the patch stops by itself after this
WARMER = 3       # degrees above the room that count as a "fever" for our patch
TOO_HOT = 40     # hotter than a person ever is: something else is heating the board
STEADY = 1       # a rise of less than 1 degree in 8 seconds: the number has settled
SURE = 4         # readings in a row (4 x 0.25 s = 1 s) before we raise the alert


def show(text, colour):
    global shown
    if text == shown:
        return
    shown = text
    if kit.has("display"):
        kit.show(text)
    if kit.has("pixels"):
        kit.pixels(colour)


shown = ""
show("-", (0, 0, 20))  # learning the room
start = kit.ms()
# Learn the room: the average of the first 3 seconds (leave the board on the table!).
total = 0
readings = 0
while kit.ms() - start < 3000:
    total = total + kit.temp()
    readings = readings + 1
    kit.sleep(250)
room = total / readings
smooth = room     # an average of the last few readings: one odd reading moves it little
history = []      # the smooth temperature of each of the last 9 seconds
highest = room
alerting = False
sure = 0
last_second = kit.ms()
kit.report("warmer", 0)
while kit.ms() - start < TIME_LIMIT * 1000:
    now = kit.ms()
    smooth = smooth + (kit.temp() - smooth) / 4
    warmer = smooth - room
    if now - last_second >= 1000:
        last_second = now
        history.append(smooth)
        if len(history) > 9:
            history.pop(0)
        kit.report("temp", round(smooth, 1))
        kit.report("warmer", round(warmer, 1))
        kit.sample(temp=round(smooth, 1))
        if smooth > highest:
            highest = smooth
            kit.report("highest", round(highest, 1))
    # A thermometer waits until its number stops climbing. On a radiator it climbs
    # and climbs, past anything a person could be.
    climbing = len(history) < 9 or smooth - history[0] >= STEADY
    if warmer >= WARMER and smooth <= TOO_HOT and not climbing:
        sure = sure + 1
    else:
        sure = 0
    if not alerting and sure >= SURE:
        alerting = True
        kit.event("fever_alert")
        show("!", (255, 0, 0))
    elif alerting and (warmer < WARMER - 1 or smooth > TOO_HOT):
        alerting = False  # cooled down (or it is not a person at all)
    if not alerting:
        if smooth > TOO_HOT:
            show("H", (255, 120, 0))  # too hot for a person: not a fever
        else:
            show(str(min(9, max(0, int(warmer)))), (0, 0, 60))  # degrees warmer: 0-9
    kit.sleep(250)
kit.done()
