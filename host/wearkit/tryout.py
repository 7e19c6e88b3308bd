"""`wearkit try`: an activity on a fresh virtual board that plays a scenario."""

from __future__ import annotations

import tempfile
from pathlib import Path

from wearkit.activities import Activity, require_support, targets
from wearkit.boards import BoardProfile, get_profile, load_profiles
from wearkit.errors import ActivityError
from wearkit.link import SerialLink
from wearkit.runs import EventCallback, RunOutcome, run_activity
from wearkit.sim import start_fleet

PREFERRED_FAMILIES = ("microbit-v2", "cpx", "esp32-wearable", "microbit-v1", "cpb", "virtual")


def choose_family(activity: Activity, family: str | None) -> BoardProfile:
    """The board family to simulate: the one asked for, or the first that fits."""
    profiles = load_profiles()
    fitting = {p.id: p for p in targets(activity, profiles.values())}
    if family is not None:
        profile = get_profile(family, profiles)
        require_support(activity, profile, profiles.values())
        return profile
    for candidate in PREFERRED_FAMILIES:
        if candidate in fitting:
            return fitting[candidate]
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
    """Run ``activity`` on a new virtual board replaying ``scenario``; nothing is stored."""
    profile = choose_family(activity, family)
    trace = scenario_path(activity, scenario)
    facilitator = [t.id for t in activity.tasks if t.by_facilitator]
    limit = timeout if timeout is not None else activity.time_limit / speed * 1.5 + 15
    with tempfile.TemporaryDirectory(prefix="wearkit-try-") as folder, start_fleet(
        profile, 1, baud=baud, speed=speed, scenario=trace, folder=Path(folder),
        register=False,
    ) as fleet:  # fmt: skip
        board = fleet.boards[0]
        with SerialLink(board.port) as link:
            return run_activity(
                link, activity, board_family=profile.id, board_name=board.name,
                on_event=on_event, timeout=limit, sign_off=facilitator, signed_off_by="try",
                stop_when_complete=True,
            )  # fmt: skip
