# Pass the message: press A to send your secret word by radio to every board around.
# Your board counts and shows every message it hears. Press B to pass the last one on.
import kit

TIME_LIMIT = 60  # seconds: the relay stops by itself after this
SECRET = "owl"  # your secret word: 1 to 32 letters
LET_GO_MS = 50  # a button must be up this long to count as let go

# For each button: is it held down, and when did we last see it pressed?
down = {"a": False, "b": False}
last_down = {"a": 0, "b": 0}


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


sent = 0
received = 0
passed = 0
last = None  # the last message heard
start = kit.ms()
last_sample = start
kit.report("sent", 0)
kit.report("received", 0)
kit.report("passed", 0)
if kit.has("display"):
    kit.show(">")
while kit.ms() - start < TIME_LIMIT * 1000:
    now = kit.ms()
    if new_press("a", now):
        kit.send(SECRET)
        sent = sent + 1
        kit.report("sent", sent)
        if kit.has("pixels"):
            kit.pixels((0, 0, 40))
    if new_press("b", now) and last is not None:
        kit.send(last)
        passed = passed + 1
        kit.report("passed", passed)
        if kit.has("pixels"):
            kit.pixels((40, 20, 0))
    message = kit.receive()
    if message is not None:
        last = message
        received = received + 1
        kit.report("received", received)
        if kit.has("display"):
            kit.show(message)
        if kit.has("pixels"):
            kit.pixels((0, 40, 0))
    if now - last_sample >= 250:
        last_sample = now
        kit.sample(sent=sent, received=received)
    kit.sleep(20)
kit.done()
