"""The app card in hubspot-app/src/app/cards: its own tests pass, and what they serve it has
the shape the approval API answers (a HubSpot-signed request, as hubspot.fetch sends it).

The card's tests are JavaScript (Vitest, rendering the card with @hubspot/ui-extensions'
testing utilities, hubspot.fetch answered by a stand-in for the API). The packages are
installed with ``npm ci`` from the card's lock file, once per lock (the only network these
tests use); machines without Node.js and npm skip them, saying so.
"""

import hashlib
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from devstack import hubspot_app
from tests.webhook_receiver.test_api import processed as processed
from tests.webhook_receiver.test_hubspot_signed import MARIA, contact_of_first_run, signed
from tests.webhook_receiver.test_hubspot_signed import client as client
from tests.webhook_receiver.test_hubspot_signed import reps as reps
from webhook_receiver.schemas import RecordRuns

CARDS = hubspot_app.PROJECT_DIR / hubspot_app.CARDS_DIR
FIXTURE = CARDS / "fixtures" / "record-runs.json"


@pytest.fixture(scope="session")
def installed() -> Path:
    """The card's folder with the packages of its lock file in node_modules."""
    npm = shutil.which("npm")
    if npm is None or shutil.which("node") is None:
        pytest.skip("needs Node.js and npm to run the card's tests (apt-get install npm)")
    lock = hashlib.sha256((CARDS / "package-lock.json").read_bytes()).hexdigest()[:16]
    marker = CARDS / "node_modules" / f".installed-{lock}"
    if not marker.exists():
        subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund"],
            cwd=CARDS,
            check=True,
            timeout=600,
            capture_output=True,
        )
        marker.touch()
    return CARDS


def test_the_cards_own_tests_pass(installed, tmp_path):
    report = tmp_path / "vitest.json"
    result = subprocess.run(
        [
            str(installed / "node_modules" / ".bin" / "vitest"),
            "run",
            "--reporter=default",
            "--reporter=json",
            f"--outputFile={report}",
        ],
        cwd=installed,
        capture_output=True,
        text=True,
        timeout=300,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    summary = json.loads(report.read_text())
    ran = {Path(suite["name"]).name: suite["status"] for suite in summary["testResults"]}
    test_files = {name for name in hubspot_app.CARD_TESTS if name.endswith((".js", ".jsx"))}
    assert ran == dict.fromkeys(test_files, "passed")
    assert summary["numTotalTests"] == summary["numPassedTests"] > 0


def test_the_listing_the_cards_tests_serve_has_the_shape_the_api_answers_now(
    client, processed, database_url, reps
):
    fixture = json.loads(FIXTURE.read_text())
    contact, _ = contact_of_first_run(client, database_url)

    live = signed(client, "GET", f"/api/v1/records/contacts/{contact}/runs", MARIA).json

    RecordRuns.model_validate(fixture)
    assert shape(fixture) == shape(live)
    assert {run["activity_type"] for run in fixture["runs"]} >= {"task", "note"}


def shape(listing: dict) -> dict[str, set[str]]:
    """The fields of a listing, of its runs and of what each run holds."""
    runs = listing["runs"]
    return {
        "listing": set(listing),
        "run": {key for run in runs for key in run},
        "activity": {key for run in runs for key in run["activity"] or {}},
        "draft": {key for run in runs for draft in run["drafts"] for key in draft},
        "recommendation": {key for run in runs for key in run["recommendation"] or {}},
    }
