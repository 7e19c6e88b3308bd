# Touch glove: each fingertip is wired to a touch pad and has its own colour.
import kit

TIME_LIMIT = 90  # seconds: the glove stops by itself after this
PADS = ["A1", "A2", "A3"]
COLOURS = [(255, 0, 0), (0, 255, 0), (0, 0, 255)]  # red, green, blue
NAMES = ["1", "2", "3"]
SURE = 3  # readings in a row (3 x 20 ms = 60 ms) before we believe a pad changed
# A real touch lasts 80 ms or more. A glitch (a wire brushing another) lasts 20-30 ms,
# so it never gets 3 readings in a row: it is not a tap and not a chord.


def show_touch(touched):
    if kit.has("pixels"):
        r = g = b = 0
        for i in range(len(PADS)):
            if touched[i]:
                r = r + COLOURS[i][0]
                g = g + COLOURS[i][1]
                b = b + COLOURS[i][2]
        kit.pixels((min(r, 255), min(g, 255), min(b, 255)))
    if kit.has("display"):
        text = ""
        for i in range(len(PADS)):
            if touched[i]:
                text = text + NAMES[i]
        kit.show(text or " ")


touched = [False] * len(PADS)  # what we are sure each finger is doing
count = [0] * len(PADS)        # readings in a row that say something different
used = [False] * len(PADS)
taps = 0
was_chord = False
start = kit.ms()
last_sample = start
kit.report("fingers", 0)
while kit.ms() - start < TIME_LIMIT * 1000:
    now = kit.ms()
    changed = False
    for i in range(len(PADS)):
        if kit.touch(PADS[i]) != touched[i]:
            count[i] = count[i] + 1
        else:
            count[i] = 0  # it went back: only a glitch or a bounce
        if count[i] >= SURE:
            count[i] = 0
            touched[i] = not touched[i]
            changed = True
            if touched[i]:
                taps += 1
                kit.event("tap")
                kit.report("taps", taps)
                if not used[i]:
                    used[i] = True
                    kit.report("fingers", used.count(True))
    if changed:
        chord = touched.count(True) >= 2
        if chord and not was_chord:
            kit.event("chord")
        was_chord = chord
        show_touch(touched)
    if now - last_sample >= 250:
        last_sample = now
        kit.sample(a1=int(touched[0]), a2=int(touched[1]), a3=int(touched[2]))
    kit.sleep(20)
kit.done()
