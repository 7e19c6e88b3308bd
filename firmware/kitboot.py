# The main.py `wearkit provision` puts on a board: at power-on the board says the name in
# kitcfg.txt, on its display or as colours on its pixels, so students find their board.
import kit

if kit.NAME:
    print("wearkit board " + kit.NAME)
    if kit.has("display"):
        kit.show(kit.NAME)
    elif kit.has("pixels"):
        _p = [(40, 0, 0), (0, 40, 0), (0, 0, 40), (40, 40, 0), (0, 40, 40), (40, 0, 40)]
        kit.pixels([_p[ord(c) % 6] for c in kit.NAME] + [(0, 0, 0)] * 10)
