"""`wearkit serve`: the companion web app on a live classroom, served by waitress."""

from __future__ import annotations

import contextlib
import ipaddress
import signal
import socket
import sys
import threading
from pathlib import Path
from types import FrameType
from typing import Any

import click

from wearkit.cli.app import friendly_errors, main
from wearkit.errors import WearkitError

#: Threads serving requests: every open page holds one for its event stream.
THREADS = 64


def is_loopback(host: str) -> bool:
    """Whether ``host`` is reachable from this computer only."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def lan_addresses() -> list[str]:
    """This computer's address on the local network, as far as it can tell without sending."""
    with contextlib.suppress(OSError), socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.connect(("10.255.255.255", 1))  # UDP: chooses a route, sends nothing
        return [probe.getsockname()[0]]
    return []


def _shown(host: str) -> str:
    return f"[{host}]" if ":" in host else host


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; another than 127.0.0.1 needs a passcode.")  # fmt: skip
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--sim", "sim_count", default=0, type=int,
              help="Start N virtual boards (mixed families): try it with no hardware.")  # fmt: skip
@click.option("--family", help="With --sim: only boards of this family (see boards/*.toml).")
@click.option("--speed", default=1.0, show_default=True,
              help="With --sim: how much faster the boards' clocks run.")  # fmt: skip
@click.option("--store", "store_url", help="Database URL (default: SQLite in your data folder).")
@click.option("--activities", "activities_dir", type=click.Path(path_type=Path),
              help="A folder of activities to offer instead of the bundled catalogue.")  # fmt: skip
@click.option("--passcode", envvar="WEARKIT_PASSCODE", show_envvar=True,
              help="The facilitator's passcode for LAN mode (asked for if not given).")  # fmt: skip
@friendly_errors
def serve(
    host: str,
    port: int,
    sim_count: int,
    family: str | None,
    speed: float,
    store_url: str | None,
    activities_dir: Path | None,
    passcode: str | None,
) -> None:
    """Run the classroom from a browser: the dashboard, boards, roster, student views.

    Open the address it prints. With --sim N, N virtual boards join the classroom, each
    with a sensor panel. On another address than 127.0.0.1 (LAN mode, e.g. --host
    0.0.0.0), the facilitator signs in with a passcode and students join with the class
    code. Ctrl-C stops every run (recorded as interrupted) and the server.
    """
    from wearkit.activities.catalogue import load_catalogue
    from wearkit.boards import get_profile, load_profiles, preferred_profiles
    from wearkit.web import passcode_problem

    lan = not is_loopback(host)
    if lan and not passcode and sys.stdin.isatty():
        passcode = click.prompt(
            "Facilitator passcode for LAN mode", hide_input=True, confirmation_prompt=True
        )
    if lan and (problem := passcode_problem(passcode)) is not None:
        raise WearkitError(problem)
    if family is not None and not sim_count:
        raise WearkitError("--family chooses the virtual boards of --sim N: give --sim too")
    profiles = load_profiles()
    chosen = []
    if sim_count:
        from wearkit.sim import check_count, check_speed, interpreter_command

        check_count(sim_count)
        check_speed(speed)
        if family is not None:
            chosen = [get_profile(family, profiles)]
        else:
            # A mixed classroom of the boards schools have (flashed micro:bits, Circuit
            # Playgrounds, ESP32s): not the test-only `virtual` profile nor Blinka adapters.
            fitting = preferred_profiles(profiles.values())
            chosen = [p for p in fitting if p.flash not in ("sim", "none")] or fitting
        interpreter_command()  # says what this machine lacks to run virtual boards
    activities = load_catalogue(activities_dir)
    _serve(host, port, lan, passcode, profiles, activities, chosen, sim_count, speed, store_url)


def _serve(
    host: str,
    port: int,
    lan: bool,
    passcode: str | None,
    profiles: Any,
    activities: Any,
    chosen: list[Any],
    sim_count: int,
    speed: float,
    store_url: str | None,
) -> None:
    from waitress.server import create_server  # type: ignore[import-untyped]

    from wearkit.classroom.engine import Engine
    from wearkit.sim import start_fleet
    from wearkit.store import open_store
    from wearkit.web import create_app

    store = open_store(store_url)
    for warning in store.warnings:
        click.echo(f"warning: {warning}", err=True)
    fleet = start_fleet(chosen, sim_count, speed=speed) if sim_count else None
    engine = Engine(profiles, activities, log=store)
    stopping = threading.Event()
    delivering: threading.Thread | None = None
    try:
        app = create_app(engine, store, fleet=fleet, passcode=passcode, lan=lan)
        try:
            server = create_server(app, host=host, port=port, threads=THREADS, ident="wearkit")
        except OSError as exc:
            raise WearkitError(
                f"cannot listen on {host} port {port}: {exc.strerror or exc}; give another "
                "--port (or stop what uses it)"
            ) from None
        engine.start()
        delivering = _start_deliverer(store, stopping)
        if fleet is not None:
            families = ", ".join(sorted({b.profile.id for b in fleet.boards}))
            click.echo(f"{len(fleet.boards)} virtual boards ({families}), clock x{speed:g}")
        if lan:
            others = lan_addresses() if host in ("0.0.0.0", "::") else [host]
            for address in others:
                click.echo(f"students join at http://{_shown(address)}:{port}/join")
            click.echo("facilitator pages need the passcode")
        where = f"http://{_shown(host if host not in ('0.0.0.0', '::') else '127.0.0.1')}:{port}/"
        click.echo(f"wearkit serve: open {where} (Ctrl-C to stop)")
        sys.stdout.flush()
        room = app.extensions["wearkit"]

        def stop(_signum: int, _frame: FrameType | None) -> None:
            # End the event streams first: waitress then stops its threads at once.
            room.close_streams()
            raise KeyboardInterrupt

        previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
        try:
            server.run()
        except KeyboardInterrupt:
            pass
        finally:
            for sig in previous:
                signal.signal(sig, signal.SIG_IGN)  # a second Ctrl-C must not cut the cleanup
            room.close_streams()
            with contextlib.suppress(Exception):
                server.close()
        click.echo("stopping the boards ...", err=True)
    finally:
        stopping.set()
        engine.close()
        if delivering is not None:
            delivering.join(15)
        if fleet is not None:
            fleet.close()
        store.close()


def _start_deliverer(store: Any, stopping: threading.Event) -> threading.Thread | None:
    """Send completions to the badge service while the classroom runs, if one is set up
    (badges.toml); else say where completions wait."""
    from wearkit.badges.config import config_path
    from wearkit.badges.deliverer import start_deliverer

    if not config_path().is_file():
        click.echo(
            "badges: no badge service set up, so completions wait in the outbox "
            f"(write {config_path()}: see 'Badges' in the README)"
        )
        return None
    thread = start_deliverer(store, stopping)  # a bad badges.toml stops serve, naming the field
    click.echo("badges: delivering completions to the badge service")
    return thread
