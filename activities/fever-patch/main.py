# Fever patch: warns when the temperature goes above ALERT.
# (A real fever is about 38 C, but our sensor sits inside the board and never
# gets as warm as your skin, so we pretend 30 C is a fever.)
import kit

TIME_LIMIT = 90  # seconds: the patch stops by itself after this
ALERT = 30       # degrees C that count as a "fever" for our patch


def show_temp(degrees, alert):
    if kit.has("display"):
        if alert:
            kit.show("!")
        else:
            kit.show(str(int(degrees)))
    if kit.has("pixels"):
        if alert:
            kit.pixels((255, 0, 0))
        else:
            kit.pixels((0, 0, 60))


alerting = False
highest = kit.temp()
start = kit.ms()
last_report = start - 2000
while kit.ms() - start < TIME_LIMIT * 1000:
    now = kit.ms()
    degrees = kit.temp()
    if degrees > highest:
        highest = degrees
        kit.report("highest", highest)
    if not alerting and degrees >= ALERT:
        alerting = True
        kit.event("fever_alert")
    elif alerting and degrees < ALERT - 1:
        alerting = False
    if now - last_report >= 2000:
        last_report = now
        kit.report("temp", degrees)
        kit.sample(temp=degrees)
        show_temp(degrees, alerting)
    kit.sleep(250)
kit.done()
