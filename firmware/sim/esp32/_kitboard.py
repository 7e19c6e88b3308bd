PLATFORM = "esp32"  # kit picks kithal_esp32, as on a real ESP32
