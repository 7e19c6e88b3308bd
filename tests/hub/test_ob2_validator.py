"""The hub's OB 2.0 assertions pass 1EdTech's `openbadges` validator, offline."""

from __future__ import annotations

import base64
import fcntl
import json
import subprocess
import sys
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from tests.hub.conftest import claim, completion

HERE = Path(__file__).parent
#: The validator's own virtualenv (built once per checkout; see validate_ob2.py for why).
VENV = HERE / ".validator-venv"
REQUIREMENTS = [
    "openbadges==1.1.2",  # then, so that it imports on Python 3.11:
    "pycryptodome>=3.20,<4", "python-jose>=3.3,<4", "pytz>=2024.1", "responses>=0.25,<1",
]  # fmt: skip

pytestmark = pytest.mark.timeout(400)


def validator_python() -> Path:
    python = VENV / "bin" / "python"
    with open(HERE / "validate_ob2.py") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (VENV / "ready").exists():
            subprocess.run([sys.executable, "-m", "venv", "--clear", str(VENV)], check=True)
            pip = [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check"]
            for step in (REQUIREMENTS[:1], ["-U", *REQUIREMENTS[1:]]):
                done = subprocess.run([*pip, *step], capture_output=True, text=True, timeout=300)
                if done.returncode != 0:
                    pytest.fail(f"cannot install the openbadges validator: {done.stderr[-1500:]}")
            (VENV / "ready").write_text("ok")
    return python


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_a_claimed_assertion_passes_the_openbadges_validator(
    client: FlaskClient, host_token: str, tmp_path: Path
) -> None:
    headers = {"Authorization": f"Bearer {host_token}", "Idempotency-Key": "k-1"}
    award = client.post("/api/v1/completions", json=completion(), headers=headers).get_json()
    email = "parent@example.org"
    award_id = claim(client, award["claim_code"], email)
    documents = {}
    paths = ["/ob2/issuer", "/ob2/revocations", "/ob2/badges/step-counter",
             "/ob2/badges/step-counter.png", f"/ob2/assertions/{award_id}",
             f"/ob2/assertions/{award_id}.png"]  # fmt: skip
    for path in paths:
        answer = client.get(path)
        assert answer.status_code == 200, path
        documents["http://hub.test" + path] = (
            answer.mimetype, base64.b64encode(answer.data).decode("ascii"),
        )  # fmt: skip
    (tmp_path / "documents.json").write_text(json.dumps(documents))
    done = subprocess.run(
        [str(validator_python()), str(HERE / "validate_ob2.py"), str(tmp_path / "documents.json"),
         f"http://hub.test/ob2/assertions/{award_id}", email],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report == {"valid": True, "errors": 0, "messages": []}, report
