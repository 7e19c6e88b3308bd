# Pass the message: press A to send your secret word by radio to every board around.
# Your board counts and shows every message it hears. Press B to pass the last one on.
import kit

TIME_LIMIT = 60  # seconds: the relay stops by itself after this
SECRET = "owl"  # your secret word: 1 to 32 letters

sent = 0
received = 0
passed = 0
last = None  # the last message heard
down_a = False
down_b = False
start = kit.ms()
last_sample = start
kit.report("sent", 0)
kit.report("received", 0)
kit.report("passed", 0)
if kit.has("display"):
    kit.show(">")
while kit.ms() - start < TIME_LIMIT * 1000:
    now = kit.ms()
    a = kit.button("a")
    b = kit.button("b")
    if a and not down_a:
        kit.send(SECRET)
        sent = sent + 1
        kit.report("sent", sent)
        if kit.has("pixels"):
            kit.pixels((0, 0, 40))
    if b and not down_b and last is not None:
        kit.send(last)
        passed = passed + 1
        kit.report("passed", passed)
        if kit.has("pixels"):
            kit.pixels((40, 20, 0))
    down_a = a
    down_b = b
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
