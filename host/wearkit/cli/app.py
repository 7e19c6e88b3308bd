"""The `wearkit` command group and the one place errors become messages."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

from wearkit import __version__
from wearkit.errors import WearkitError

F = TypeVar("F", bound=Callable[..., Any])

EXIT_ERROR = 2


def friendly_errors(func: F) -> F:
    """Print a WearkitError as ``error: ...`` and exit 2."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except WearkitError as exc:
            for line in str(exc).splitlines() or ["error"]:
                click.echo(f"error: {line}", err=True)
            sys.exit(EXIT_ERROR)
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            sys.exit(130)

    return wrapper  # type: ignore[return-value]


@click.group()
@click.version_option(__version__, prog_name="wearkit")
def main() -> None:
    """wearkit: run badge activities on micro:bit, Circuit Playground and ESP32 boards."""
