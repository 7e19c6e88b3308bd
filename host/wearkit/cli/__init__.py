"""The `wearkit` command: a thin edge over the library, one module per command group.

Every command turns a WearkitError into one line that says what went wrong and how to
fix it (exit status 2), never a traceback.
"""

from wearkit.cli.app import main

__all__ = ["main"]
