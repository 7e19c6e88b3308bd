# Morse messenger: tap Morse code on button A, the board decodes each letter.
# A short press is a dot, a long press is a dash. Pause to finish a letter.
# Press B to finish the message.
import kit

TIME_LIMIT = 120  # seconds: the messenger stops by itself after this
DASH_MS = 300     # a press this long or longer is a dash
LETTER_GAP = 1000  # ms without a press finishes the letter
LET_GO_MS = 40    # button A must be up this long to count as let go

CODES = {
    ".-": "A", "-...": "B", "-.-.": "C", "-..": "D", ".": "E", "..-.": "F",
    "--.": "G", "....": "H", "..": "I", ".---": "J", "-.-": "K", ".-..": "L",
    "--": "M", "-.": "N", "---": "O", ".--.": "P", "--.-": "Q", ".-.": "R",
    "...": "S", "-": "T", "..-": "U", "...-": "V", ".--": "W", "-..-": "X",
    "-.--": "Y", "--..": "Z",
}


def add_letter(message, symbols):
    # Looks up the dots and dashes and gives back the message with the letter added.
    letter = CODES.get(symbols)
    if letter is None:
        kit.event("unknown")
        kit.show("?")
        return message
    message = message + letter
    kit.event("letter")
    kit.report("letters", len(message))
    kit.show(letter)
    if message.endswith("SOS"):
        kit.event("sos")
    return message


message = ""
symbols = ""
down = False
start = kit.ms()
pressed_at = start
last_down = start  # when we last saw A pressed
last_sample = start
kit.report("letters", 0)
kit.show(">")
while kit.ms() - start < TIME_LIMIT * 1000:
    now = kit.ms()
    a = kit.button("a")
    if a:
        if not down:
            down = True
            pressed_at = now
        last_down = now
    elif down and now - last_down >= LET_GO_MS:
        # Let go for real (a button's contacts flicker for a few ms, so wait a moment).
        down = False
        if last_down - pressed_at >= DASH_MS:
            symbols = symbols + "-"
        else:
            symbols = symbols + "."
        kit.show(symbols[-1])
    if symbols and not down and now - last_down >= LETTER_GAP:
        message = add_letter(message, symbols)
        symbols = ""
    if kit.button("b"):
        # B finishes the message. Decode the letter you were still tapping first,
        # or it would be lost!
        if symbols:
            message = add_letter(message, symbols)
        kit.event("sent")
        break
    if now - last_sample >= 250:
        last_sample = now
        kit.sample(a=int(a), letters=len(message))
    kit.sleep(20)
if message:
    kit.show(message)
kit.done()
