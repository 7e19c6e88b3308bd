"""`wearkit boards`, `wearkit exec`, `wearkit put`: finding boards and talking to one."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from wearkit.cli.app import friendly_errors, main
from wearkit.errors import BoardExecError


@main.command()
@click.option("--json", "as_json", is_flag=True, help="One JSON list, for scripts.")
@click.option("--all", "show_all", is_flag=True, help="Also list unknown serial devices.")
@friendly_errors
def boards(as_json: bool, show_all: bool) -> None:
    """List connected boards (USB serial, drives, virtual), each with its state and next step."""
    from wearkit.boards import load_profiles
    from wearkit.discovery import find_boards

    found = find_boards(load_profiles(), include_unknown=show_all, drives=True)
    if as_json:
        click.echo(json.dumps([b.as_dict() for b in found], indent=2))
        return
    if not found:
        click.echo("no boards found: plug one in, or start virtual boards with `wearkit sim`")
        return
    width = max(len(b.port) for b in found)
    for board in found:
        family = board.family or "unknown"
        click.echo(f"{board.port:<{width}}  {family:<15} {board.name:<6} {board.kind:<8} "
                   f"{board.state:<13} {board.detail}".rstrip())  # fmt: skip
        if board.next_step:
            click.echo(f"{'':<{width}}  next: {board.next_step}")


@main.command("exec")
@click.argument("port")
@click.argument("code")
@click.option("--timeout", default=10.0, show_default=True, help="Seconds before Ctrl-C.")
@click.option("--reset", is_flag=True, help="Soft-reset the board first.")
@friendly_errors
def exec_command(port: str, code: str, timeout: float, reset: bool) -> None:
    """Run CODE on the board at PORT and print its output (exit 1 if it raised)."""
    from wearkit.link import open_link

    with open_link(port, soft_reset=reset) as link:

        def show(data: bytes) -> None:
            click.echo(data.decode("utf-8", "replace").replace("\r\n", "\n"), nl=False)

        try:
            link.exec(code, on_output=show, timeout=timeout)
        except BoardExecError as exc:
            click.echo(exc.traceback.replace("\r\n", "\n").rstrip(), err=True)
            sys.exit(1)


@main.command()
@click.argument("port")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("dest", required=False)
@click.option("--compress/--no-compress", default=None,
              help="Send deflate-compressed (default: when the firmware has deflate).")  # fmt: skip
@friendly_errors
def put(port: str, file: Path, dest: str | None, compress: bool | None) -> None:
    """Copy FILE to the board at PORT (as DEST, default its name) and verify it."""
    from wearkit.link import open_link

    data = file.read_bytes()
    with (
        open_link(port) as link,
        click.progressbar(length=len(data), label=f"{file.name} -> {port}", file=sys.stderr) as bar,
    ):
        state = {"done": 0}

        def progress(done: int, total: int) -> None:
            bar.update(done - state["done"])
            state["done"] = done

        result = link.put(data, dest or file.name, progress=progress, compress=compress)
    rate = result.size / result.seconds if result.seconds else 0.0
    how = "compressed" if result.compressed else "plain"
    click.echo(f"{result.dest}: {result.size} bytes in {result.seconds:.2f} s "
               f"({rate:,.0f} bytes/s, {how}), verified")  # fmt: skip
