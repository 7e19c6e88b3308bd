# A virtual Circuit Playground plays the platform named in board.json: "Atmel SAMD21"
# (Express) or "nRF52840" (Bluefruit), as sys.platform reads on the real boards.
import _simcore

PLATFORM = _simcore.board.get("platform") or "Atmel SAMD21"
