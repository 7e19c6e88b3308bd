"""wearkit: workshop kit for wearable tech and physical computing."""

__version__ = "0.1.0"
