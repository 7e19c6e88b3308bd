# Morse messenger: tap Morse code on button A, the board decodes each letter.
# A short press is a dot, a long press is a dash. Pause to finish a letter.
# Press B to finish the message.
import kit

TIME_LIMIT = 120  # seconds: the messenger stops by itself after this
DASH_MS = 300     # a press this long or longer is a dash
LETTER_GAP = 1000  # ms without a press finishes the letter

CODES = {
    ".-": "A", "-...": "B", "-.-.": "C", "-..": "D", ".": "E", "..-.": "F",
    "--.": "G", "....": "H", "..": "I", ".---": "J", "-.-": "K", ".-..": "L",
    "--": "M", "-.": "N", "---": "O", ".--.": "P", "--.-": "Q", ".-.": "R",
    "...": "S", "-": "T", "..-": "U", "...-": "V", ".--": "W", "-..-": "X",
    "-.--": "Y", "--..": "Z",
}

message = ""
symbols = ""
down = False
pressed_at = 0
start = kit.ms()
released_at = start
last_sample = start
kit.report("letters", 0)
kit.show(">")
while kit.ms() - start < TIME_LIMIT * 1000:
    now = kit.ms()
    a = kit.button("a")
    if a and not down:
        pressed_at = now
    elif down and not a:
        released_at = now
        if now - pressed_at >= DASH_MS:
            symbols = symbols + "-"
        else:
            symbols = symbols + "."
        kit.show(symbols[-1])
    down = a
    if symbols and not down and now - released_at >= LETTER_GAP:
        letter = CODES.get(symbols)
        symbols = ""
        if letter is None:
            kit.event("unknown")
            kit.show("?")
        else:
            message = message + letter
            kit.event("letter")
            kit.report("letters", len(message))
            kit.show(letter)
            if message.endswith("SOS"):
                kit.event("sos")
    if kit.button("b"):
        kit.event("sent")
        break
    if now - last_sample >= 250:
        last_sample = now
        kit.sample(a=int(a), letters=len(message))
    kit.sleep(20)
if message:
    kit.show(message)
kit.done()
