# Reaction-timer game: wait for the signal, then press button A as fast as you can!
# Each round starts on a timetable, so the game always lasts the same time.
import kit

TIME_LIMIT = 60          # seconds: the game always ends before this
ROUNDS = 5
ROUND_MS = 5000          # each round lasts 5 seconds
WAITS = [2200, 1400, 3000, 1800, 2600]  # ms before the signal in each round
REACT_MS = 1500          # ms you have to react after the signal

COLOURS = {"wait": (40, 0, 0), "go": (0, 255, 0), "good": (0, 0, 80),
           "bad": (255, 80, 0), "off": (0, 0, 0)}
LETTERS = {"wait": ".", "go": "!", "good": "Y", "bad": "X", "off": " "}


def signal(what):
    if kit.has("pixels"):
        kit.pixels(COLOURS[what])
    if kit.has("display"):
        kit.show(LETTERS[what])


def play_round(go):
    # Returns the reaction time in ms, or "false_start" or "missed".
    down = kit.button("a")
    shown = False
    while kit.ms() < go + REACT_MS:
        now = kit.ms()
        if now >= go and not shown:
            signal("go")
            shown = True
        was_down = down
        down = kit.button("a")
        if down and not was_down:  # a new press
            if now < go:
                return "false_start"
            return now - go
        kit.sleep(10)
    return "missed"


best = 0
played = 0
clean = True
start = kit.ms()
kit.report("rounds", 0)
for r in range(ROUNDS):
    round_start = start + 1000 + r * ROUND_MS
    while kit.ms() < round_start:
        kit.sleep(10)
    signal("wait")
    result = play_round(round_start + WAITS[r])
    played += 1
    if result == "false_start" or result == "missed":
        clean = False
        kit.event(result)
        signal("bad")
    else:
        kit.report("reaction_ms", result)
        kit.sample(reaction=result)
        if best == 0 or result < best:
            best = result
            kit.report("best_ms", best)
        signal("good")
    kit.report("rounds", played)
if clean:
    kit.event("clean_game")
kit.sleep(1000)
if kit.has("display") and best:
    kit.show(str(best))
signal("off")
kit.done()
