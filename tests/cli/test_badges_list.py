"""`wearkit badges list`: what waits for the badge service, and why it has not gone yet."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

from click.testing import CliRunner

from tests.store.store_helpers import completion, start
from wearkit.cli import main
from wearkit.runlog import Batch
from wearkit.store import open_store


def test_pending_and_failing_deliveries_are_listed_with_the_reason(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'class.db'}"
    with open_store(url) as store:
        for slug, learner in (("night-light", "wk-a1"), ("step-counter", "wk-b2")):
            run = store.start_run(start(slug, learner=learner))
            store.record(run, Batch(completion=completion(slug, learner=learner)))
        failing = next(
            i for i in store.pending_outbox(10) if i.payload["activity"] == "step-counter"
        )
        later = datetime.now(timezone.utc) + timedelta(minutes=5)
        store.outbox_failed(failing.id, "the hub did not answer (connection refused)", later)

    result = CliRunner().invoke(main, ["badges", "list", "--store", url])

    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert any(s.startswith("pending") and "night-light" in s and "wk-a1" in s for s in lines)
    (failed,) = [s for s in lines if s.startswith("failing")]
    assert "step-counter" in failed and "connection refused" in failed and "next try" in failed
    assert "1 pending, 1 failing, 0 delivered" in result.stderr
