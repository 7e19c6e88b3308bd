PLATFORM = "microbit"  # kit picks kithal_microbit, as on a real micro:bit
