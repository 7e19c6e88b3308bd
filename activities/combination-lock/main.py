# Combination lock: enter the secret code with buttons A and B.
# Three wrong codes in a row lock everyone out for a while.
import kit

TIME_LIMIT = 90     # seconds: the lock stops by itself after this
SECRET = "ABBA"     # the code (your facilitator may change it!)
MAX_WRONG = 3       # wrong codes in a row before the lockout
LOCKOUT_MS = 10000  # how long the lockout lasts
FORGET_MS = 3000    # a half-typed code is forgotten after this pause

COLOURS = {"ready": (0, 0, 40), "key": (40, 40, 40), "wrong": (255, 0, 0),
           "locked": (120, 0, 0), "open": (0, 255, 0)}
LETTERS = {"ready": "-", "key": "*", "wrong": "X", "locked": "L", "open": "O"}


def show(what):
    if kit.has("pixels"):
        kit.pixels(COLOURS[what])
    if kit.has("display"):
        kit.show(LETTERS[what])


def check(code, wrong):
    # Returns (opened, wrong codes in a row).
    if code == SECRET:
        kit.event("unlocked")
        show("open")
        return True, 0
    kit.event("wrong_code")
    show("wrong")
    return False, wrong + 1


code = ""
wrong = 0
attempts = 0
was_a = kit.button("a")
was_b = kit.button("b")
start = kit.ms()
last_key = start
last_sample = start
opened = False
locked_until = start
kit.report("attempts", 0)
show("ready")
while not opened and kit.ms() - start < TIME_LIMIT * 1000:
    now = kit.ms()
    a = kit.button("a")
    b = kit.button("b")
    if now < locked_until:
        a = b = False  # presses during the lockout are simply not seen
    elif wrong >= MAX_WRONG:
        wrong = 0
        show("ready")
    if a and not was_a:
        code = code + "A"
    if b and not was_b:
        code = code + "B"
    if (a and not was_a) or (b and not was_b):
        last_key = now
        show("key")
    was_a = a
    was_b = b
    if code and now - last_key > FORGET_MS:
        code = ""
        show("ready")
    if len(code) >= len(SECRET):
        attempts += 1
        kit.report("attempts", attempts)
        opened, wrong = check(code[:len(SECRET)], wrong)
        code = ""
        if wrong >= MAX_WRONG:
            kit.event("locked_out")
            show("locked")
            locked_until = now + LOCKOUT_MS
        elif not opened:
            kit.sleep(500)  # a moment to see the X
            show("ready")
    if now - last_sample >= 250:
        last_sample = now
        kit.sample(a=int(a), b=int(b), typed=len(code))
    kit.sleep(30)
if opened:
    kit.sleep(2000)  # time to see the lock open
kit.done()
