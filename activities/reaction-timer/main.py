# Reaction-timer game: wait for the signal, then press button A as fast as you can!
# Press A to start. Every wait is random, so nobody can learn when GO will come.
import kit

TIME_LIMIT = 60   # seconds: the game always ends before this
ROUNDS = 5
ROUND_MS = 6000   # each round lasts 6 seconds
REACT_MS = 1500   # ms you have to react after the signal
TOO_SOON = 100    # nobody reacts in under 100 ms: a press that fast was a guess
START_BY = 25000  # ms: press A to start before this, or the game does not start

COLOURS = {"wait": (40, 0, 0), "go": (0, 255, 0), "good": (0, 0, 80),
           "bad": (255, 80, 0), "off": (0, 0, 0)}
LETTERS = {"wait": ".", "go": "!", "good": "Y", "bad": "X", "off": " "}


def signal(what):
    if kit.has("pixels"):
        kit.pixels(COLOURS[what])
    if kit.has("display"):
        kit.show(LETTERS[what])


# The game rolls its own dice instead of using Python's random module. Different boards
# run different Pythons, and each one's random module gives other numbers for the same
# seed. Our dice give the same numbers on every board, so a recorded game replays the same
# anywhere, and a player still cannot guess them: the seed is the second you pressed A.
dice = 0  # the last number the dice gave: each new one is worked out from it


def roll(low, high):
    # A whole number from low to high, made the way the ZX81 computer (1981) did it:
    # times 75, plus 74, then keep what is left over after dividing by 65537.
    global dice
    dice = (dice * 75 + 74) % 65537
    return low + dice % (high - low + 1)


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
            if now - go < TOO_SOON:  # before GO, or too fast to be real
                return "false_start"
            return now - go
        kit.sleep(10)
    return "missed"


best = 0
played = 0
clean = True
start = kit.ms()
kit.report("rounds", 0)
signal("good")
started = False
while kit.ms() - start < START_BY:
    if kit.button("a"):  # remember the press: a bouncy button may read up, then down
        started = True
        break
    kit.sleep(10)
if started:
    # A computer's random numbers are worked out from a starting number, the "seed".
    # Ours is the second in which you pressed A: you cannot choose that.
    go_time = kit.ms()
    dice = go_time // 1000
    # A small seed gives a small first number, so shake the dice first: roll three
    # times and forget those numbers (_ means "we don't need the count").
    for _ in range(3):
        roll(0, 1)
    for r in range(ROUNDS):
        round_start = go_time + 1000 + r * ROUND_MS
        while kit.ms() < round_start:
            kit.sleep(10)
        signal("wait")
        wait = roll(1500, 3500)  # a new random wait every round
        result = play_round(round_start + wait)
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
