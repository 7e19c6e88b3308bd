"""`wearkit try`: an activity on a fresh virtual board that plays a scenario."""

from __future__ import annotations

import tempfile
from pathlib import Path

from wearkit import paths
from wearkit.activities import Activity, require_support, targets
from wearkit.boards import BoardProfile, get_profile, load_profiles, preferred_profiles
from wearkit.classroom.run import EventCallback, RunOutcome, Seat, deadline, run_activity
from wearkit.errors import ActivityError, SimError
from wearkit.link import open_link
from wearkit.sim import check_speed, start_fleet


def choose_family(activity: Activity, family: str | None) -> BoardProfile:
    """The board family to simulate: the one asked for, or the first that fits."""
    profiles = load_profiles()
    fitting = {p.id: p for p in targets(activity, profiles.values())}
    if family is not None:
        profile = get_profile(family, profiles)
        require_support(activity, profile, profiles.values())
        return profile
    for candidate in preferred_profiles(fitting.values()):
        return candidate
    raise ActivityError(f"{activity.slug}: no board family has {', '.join(activity.requires)}")


def scenario_path(activity: Activity, scenario: str) -> Path:
    """A scenario by name (``pass``, ``fail``, ...) or a CSV file's path."""
    if scenario in activity.scenarios:
        return activity.scenarios[scenario]
    path = Path(scenario)
    if path.is_file():
        return path
    known = ", ".join(sorted(activity.scenarios)) or "none"
    raise ActivityError(
        f"{activity.slug}: no scenario {scenario!r} (its scenarios: {known}; or give a CSV file)"
    )


def try_activity(
    activity: Activity,
    *,
    family: str | None = None,
    scenario: str = "pass",
    speed: float = 20.0,
    baud: int | None = 115200,
    on_event: EventCallback | None = None,
    timeout: float | None = None,
) -> RunOutcome:
    """Run ``activity`` on a new virtual board replaying ``scenario``; nothing is stored.

    Facilitator tasks are signed off as "try"; the run stops once complete. A failure
    of the simulated board itself (not of the activity's script) is a `SimError`.
    """
    speed = check_speed(speed)
    profile = choose_family(activity, family)
    trace = scenario_path(activity, scenario)
    facilitator = [t.id for t in activity.tasks if t.by_facilitator]
    limit = timeout if timeout is not None else deadline(activity, speed)
    with (
        tempfile.TemporaryDirectory(prefix="wearkit-try-") as folder,
        start_fleet(
            profile,
            1,
            baud=baud,
            speed=speed,
            scenario=trace,
            folder=Path(folder),
            register=False,
        ) as fleet,
    ):
        board = fleet.boards[0]
        with open_link(board.port) as link:
            outcome = run_activity(
                link,
                activity,
                seat=Seat(board.port, profile.id, board.name),
                profile=profile,
                on_event=on_event,
                timeout=limit,
                sign_off=facilitator,
                signed_off_by="try",
                stop_when_complete=True,
            )
    _blame_the_simulator(outcome.traceback)
    return outcome


def _blame_the_simulator(traceback: str) -> None:
    """A traceback whose innermost frame is in the simulator's own machinery (its clock,
    scenario and radio air: ``firmware/sim/common/_sim*.py``) is the simulator failing (a
    wearkit bug, or a scenario it could not play), not the script. The simulated native
    modules (``microbit``, ``machine``, ...) raise what the real firmware raises for a
    script's mistakes ("radio is not enabled"): those stay the script's."""
    machinery = str(paths.firmware_dir() / "sim" / "common" / "_sim")
    frames = [line for line in traceback.splitlines() if line.strip().startswith("File ")]
    if frames and machinery in frames[-1]:
        last = traceback.strip().splitlines()[-1]
        raise SimError(
            f"the virtual board itself failed ({last}); this is not the "
            "activity's fault: check the scenario file, or report it as a bug"
        )
