# Combination lock: enter the secret code with buttons A and B.
# Three wrong codes in a row lock everyone out for a while.
import kit

TIME_LIMIT = 90     # seconds: the lock stops by itself after this
SECRET = "ABBA"     # the code (your facilitator may change it!)
MAX_WRONG = 3       # wrong codes in a row before the lockout
LOCKOUT_MS = 10000  # how long the lockout lasts
FORGET_MS = 3000    # a half-typed code is forgotten after this pause
SHOW_X_MS = 600     # how long X shows after a wrong code (the buttons still work!)
LET_GO_MS = 50      # a button must be up this long to count as let go

COLOURS = {"ready": (0, 0, 40), "key": (40, 40, 40), "wrong": (255, 0, 0),
           "locked": (120, 0, 0), "open": (0, 255, 0)}
LETTERS = {"ready": "-", "key": "*", "wrong": "X", "locked": "L", "open": "O"}

# For each button: is it held down, and when did we last see it pressed?
down = {"a": False, "b": False}
last_down = {"a": 0, "b": 0}


def show(what):
    if kit.has("pixels"):
        kit.pixels(COLOURS[what])
    if kit.has("display"):
        kit.show(LETTERS[what])


def new_press(name, now):
    # True once for each press of the button.
    # Metal contacts "bounce": for a few ms a press flickers on and off.
    # So a button only counts as let go when it has been up for LET_GO_MS.
    if kit.button(name):
        last_down[name] = now
        if not down[name]:
            down[name] = True
            return True
    elif now - last_down[name] >= LET_GO_MS:
        down[name] = False
    return False


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
start = kit.ms()
last_key = start
last_sample = start
opened = False
locked_until = start
showing_x = False  # is the X of a wrong code on show?
checked_at = start
kit.report("attempts", 0)
show("ready")
while not opened and kit.ms() - start < TIME_LIMIT * 1000:
    now = kit.ms()
    # Read both buttons every time round, even while X is showing:
    # a fast typer's next code starts straight away.
    a = new_press("a", now)
    b = new_press("b", now)
    if now < locked_until:
        a = b = False  # presses during the lockout are simply not seen
    elif wrong >= MAX_WRONG:
        wrong = 0  # the lockout is over
        show("ready")
    if a:
        code = code + "A"
    if b:
        code = code + "B"
    if a or b:
        last_key = now
        showing_x = False
        show("key")
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
            showing_x = True  # X stays up for a moment, but we keep reading
            checked_at = now
    if showing_x and now - checked_at >= SHOW_X_MS:
        showing_x = False
        show("ready")
    if now - last_sample >= 250:
        last_sample = now
        kit.sample(a=int(down["a"]), b=int(down["b"]), typed=len(code))
    kit.sleep(20)
if opened:
    kit.sleep(2000)  # time to see the lock open
kit.done()
