"""The local webhooks journal (date-versioned), as HubSpot serves it to an app:

    GET  /webhooks-journal/journal-local/<v>/earliest              the oldest entry
    GET  /webhooks-journal/journal-local/<v>/latest                the newest entry
    GET  /webhooks-journal/journal-local/<v>/offset/<o>/next       the entry after offset o
    GET  /webhooks-journal/journal-local/<v>/batch/earliest/<n>    the n oldest entries
    GET  /webhooks-journal/journal-local/<v>/batch/<o>/next/<n>    n entries after offset o
    POST /webhooks-journal/journal-local/<v>/batch/read            {"inputs": [offsets]}

each with an optional `installPortalId` naming the account (all accounts without it), and
authorised by the app's client-credentials token with the developer.webhooks_journal.read
scope. An entry is `{"currentOffset", "expiresAt", "url"}`, and a batch HubSpot's
BatchResponseJournalFetchResponse (hubspot-sdk types for 2026-03); the url serves the entry's
file without an Authorization header (GET /webhooks-journal/files/<offset>, the simulator's
stand-in for HubSpot's pre-signed URL, valid while the entry is kept). An offset that expired
or never existed is a 404, as HubSpot documents; when nothing follows an offset yet the
simulator answers 204, a case HubSpot's reference leaves open. Injected latency and 5xx
answers (POST /_admin/faults) slow and fail these endpoints as they do the CRM APIs.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from flask import Blueprint, jsonify, request, url_for

from devstack.hubspot_simulator import versions
from devstack.hubspot_simulator.auth import live_access_token
from devstack.hubspot_simulator.clock import iso_ms
from devstack.hubspot_simulator.errors import ApiError, error_body, validation_error
from devstack.hubspot_simulator.guards import backend_failure, network_delay
from devstack.hubspot_simulator.journal import Entry
from devstack.hubspot_simulator.params import json_body
from devstack.hubspot_simulator.simulator import current_simulator

bp = Blueprint("webhooks_journal", __name__, url_prefix="/webhooks-journal/journal-local/<version>")
bp.url_value_preprocessor(versions.take_version)
files = Blueprint("webhooks_journal_files", __name__)

READ_SCOPE = "developer.webhooks_journal.read"
MAX_BATCH = 100
# How long an entry's URL is said to stay valid; HubSpot does not publish its figure.
URL_LIFETIME = timedelta(hours=1)


@bp.before_request
def authorize() -> None:
    simulator = current_simulator()
    network_delay(simulator)
    access = live_access_token(simulator)
    if access.grant.portal_id is not None or READ_SCOPE not in access.grant.scopes:
        message = f"This endpoint needs the app's client-credentials token with {READ_SCOPE}."
        raise ApiError(403, message, "MISSING_SCOPES")
    backend_failure(simulator)


@bp.get("/earliest")
def earliest():
    return _one(_entries()[:1])


@bp.get("/latest")
def latest():
    return _one(_entries()[-1:])


@bp.get("/offset/<offset>/next")
def next_entry(offset: str):
    return _one(_after(offset)[:1])


@bp.get("/batch/earliest/<int:count>")
def earliest_batch(count: int):
    return _batch(_entries()[: _count(count)])


@bp.get("/batch/<offset>/next/<int:count>")
def next_batch(offset: str, count: int):
    return _batch(_after(offset)[: _count(count)])


@bp.post("/batch/read")
def read_batch():
    body = json_body()
    offsets = body.get("inputs") if isinstance(body, dict) else None
    if not isinstance(offsets, list) or not all(isinstance(o, str) for o in offsets):
        raise validation_error("Invalid input JSON: `inputs` must be a list of offsets.")
    if len(offsets) > MAX_BATCH:
        raise validation_error(f"At most {MAX_BATCH} offsets per request.")
    by_offset = {entry.offset: entry for entry in _entries()}
    found = [by_offset[offset] for offset in offsets if offset in by_offset]
    missing = [offset for offset in offsets if offset not in by_offset]
    if not missing:
        return _batch(found)
    errors = [_missing_error(offset) for offset in missing]
    answer = {**_batch_json(found), "numErrors": len(errors), "errors": errors}
    return jsonify(answer), 207


@files.get("/webhooks-journal/files/<offset>")
def entry_file(offset: str):
    entry = next((e for e in current_simulator().journal.entries(None) if e.offset == offset), None)
    if entry is None:
        raise ApiError(404, "This journal file expired or never existed.", "OBJECT_NOT_FOUND")
    return jsonify(entry.event)


def _entries() -> list[Entry]:
    raw = request.args.get("installPortalId")
    if raw is not None and not raw.isdigit():
        raise validation_error(f"installPortalId must be an integer, got {raw!r}.")
    return current_simulator().journal.entries(None if raw is None else int(raw))


def _after(offset: str) -> list[Entry]:
    entries = _entries()
    index = next((i for i, entry in enumerate(entries) if entry.offset == offset), None)
    if index is None:
        raise ApiError(404, f"Offset {offset} expired or does not exist.", "OBJECT_NOT_FOUND")
    return entries[index + 1 :]


def _one(entries: list[Entry]):
    return (jsonify(_entry_json(entries[0])), 200) if entries else ("", 204)


def _batch(entries: list[Entry]):
    return jsonify(_batch_json(entries))


def _batch_json(entries: list[Entry]) -> dict[str, Any]:
    started = iso_ms(datetime.now(UTC))
    results = [_entry_json(entry) for entry in entries]
    finished = iso_ms(datetime.now(UTC))
    return {"status": "COMPLETE", "results": results, "startedAt": started, "completedAt": finished}


def _entry_json(entry: Entry) -> dict[str, Any]:
    return {
        "currentOffset": entry.offset,
        "expiresAt": iso_ms(datetime.now(UTC) + URL_LIFETIME),
        "url": url_for("webhooks_journal_files.entry_file", offset=entry.offset, _external=True),
    }


def _count(count: int) -> int:
    if not 1 <= count <= MAX_BATCH:
        raise validation_error(f"count must be between 1 and {MAX_BATCH}.")
    return count


def _missing_error(offset: str) -> dict[str, Any]:
    body = error_body("No journal entry has this offset.", "OBJECT_NOT_FOUND")
    body.pop("correlationId")
    return {**body, "context": {"offset": [offset]}}
