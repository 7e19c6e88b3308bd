"""`python -m wearkit.cli`: the same as the `wearkit` command."""

from wearkit.cli import main

main()
