"""``python -m devstack demo``: new activities in the simulated portal, followed end to end.

Creates N activities (the demo dataset's texts, fresh timestamps) through the simulator,
which sends signed webhooks to the receiver; waits until every one has a finished run;
prints a table and one summary line. Exit status 0 only when nothing failed.
"""

from __future__ import annotations

import itertools
import json
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import psycopg

from devstack.processes import spawn, stop_process, wait_until
from shared.hubspot.parse import parse_timestamp

DEMO_DATA = Path(__file__).parent / "hubspot_simulator" / "demo_data.json"
FINISHED = ("completed", "failed", "skipped")


@dataclass(frozen=True)
class DemoRow:
    activity_id: str
    activity_type: str
    status: str
    draft: str
    drafts: int
    due: str
    latency_ms: float


def run_demo(simulator_url: str, database_url: str, count: int, timeout: float) -> int:
    admin = httpx.Client(base_url=f"{simulator_url}/_admin", timeout=30)
    created = create_activities(admin, simulator_url, count)
    rows = wait_for_rows(database_url, created, timeout)
    print_report(rows, count)
    return 0 if len(rows) == count and all(r.status != "failed" for r in rows) else 1


def create_activities(
    admin: httpx.Client, simulator_url: str, count: int
) -> dict[tuple[str, str], datetime]:
    """(activity id, version) → when HubSpot (the simulator) created it."""
    return post_items(admin, new_items(admin, simulator_url, count))


def new_items(admin: httpx.Client, simulator_url: str, count: int) -> list[dict[str, Any]]:
    """``count`` activities to create: the demo dataset's, cycled, with fresh timestamps."""
    demo = json.loads(DEMO_DATA.read_text())
    ids = portal_ids(admin, simulator_url, demo)
    templates = itertools.cycle(demo["activities"])
    return [as_new_item(next(templates), ids) for _ in range(count)]


def post_items(admin: httpx.Client, items: list[dict[str, Any]]) -> dict[tuple[str, str], datetime]:
    """Create the items as a rep would (webhooks follow).

    Keys carry the version (hs_lastmodifieddate, as the pipeline records it), which tells
    this activity's run apart from runs of an earlier activity that had the same id in a
    previous simulator.
    """
    created: dict[tuple[str, str], datetime] = {}
    for start in range(0, len(items), 100):
        answer = admin.post("/activities", json={"activities": items[start : start + 100]})
        answer.raise_for_status()
        for record in answer.json()["results"]:
            version = parse_timestamp(record["properties"]["hs_lastmodifieddate"])
            key = (record["id"], version.isoformat() if version else "")
            created[key] = datetime.fromisoformat(record["createdAt"])
    return created


def portal_ids(admin: httpx.Client, simulator_url: str, demo: dict) -> dict[str, str]:
    """Demo keys (``dana``, ``northwind``) → ids, loading the demo portal if it is empty."""
    crm = httpx.Client(base_url=_objects_url(simulator_url), timeout=30, headers=_bearer())
    if not _page(crm, "contacts", {"limit": 1}).get("results"):
        admin.post("/fixtures", json={"demo": True}).raise_for_status()
    by_email = _ids_by(crm, "contacts", "email")
    by_domain = _ids_by(crm, "companies", "domain")
    keys = {c["key"]: by_email.get(c["properties"]["email"]) for c in demo["contacts"]}
    keys |= {c["key"]: by_domain.get(c["properties"]["domain"]) for c in demo["companies"]}
    return {key: value for key, value in keys.items() if value}


def as_new_item(template: dict[str, Any], ids: dict[str, str]) -> dict[str, Any]:
    return {
        "type": template["type"],
        "properties": {**template["properties"], "hs_timestamp": "-0d"},
        "contacts": [ids[k] for k in template.get("contacts", []) if k in ids],
        "companies": [ids[k] for k in template.get("companies", []) if k in ids],
    }


def wait_for_rows(
    database_url: str, created: dict[tuple[str, str], datetime], timeout: float
) -> list[DemoRow]:
    deadline = time.monotonic() + timeout
    rows: list[DemoRow] = []
    while time.monotonic() < deadline:
        rows = read_rows(database_url, created)
        if len(rows) == len(created):
            break
        time.sleep(0.2)
    return rows


def read_rows(database_url: str, created: dict[tuple[str, str], datetime]) -> list[DemoRow]:
    ids, versions = [key[0] for key in created], [key[1] for key in created]
    with psycopg.connect(database_url) as conn:
        found = conn.execute(_RESULTS, (ids, versions, list(FINISHED))).fetchall()
    return [
        DemoRow(
            activity_id,
            activity_type or "?",
            status,
            (draft or "").replace("\n", " "),
            drafts,
            due.date().isoformat() if due else "-",
            (finished_at - created[(activity_id, version)]).total_seconds() * 1000,
        )
        for activity_id, version, activity_type, status, finished_at, draft, drafts, due in found
    ]


_RESULTS = """
select l.activity_id, l.activity_version, l.activity_type, l.status, l.finished_at,
    (select d.draft_text from ai_generated_drafts d where d.run_id = l.id
     order by d.confidence desc, d.tone limit 1),
    (select count(*) from ai_generated_drafts d where d.run_id = l.id),
    (select r.recommended_due from touch_date_recommendations r where r.run_id = l.id)
from ai_processing_logs l
join unnest(%s::text[], %s::text[]) as wanted (activity_id, version)
  on wanted.activity_id = l.activity_id and wanted.version = l.activity_version
where l.status = any(%s)
"""


def print_report(rows: list[DemoRow], count: int) -> None:
    print(f"{'activity':>8}  {'type':<7}  {'status':<9}  {'due':<10}  {'latency':>8}  best draft")
    for row in sorted(rows, key=lambda r: int(r.activity_id)):
        print(
            f"{row.activity_id:>8}  {row.activity_type:<7}  {row.status:<9}  {row.due:<10}  "
            f"{row.latency_ms:>6.0f}ms  {row.draft[:60]}"
        )
    print(summary_line(rows, count))


def summary_line(rows: list[DemoRow], count: int) -> str:
    by_status = {s: sum(1 for r in rows if r.status == s) for s in FINISHED}
    completed = [r for r in rows if r.status == "completed"]
    latencies = sorted(r.latency_ms for r in rows) or [0.0]
    p95 = statistics.quantiles(latencies, n=20)[18] if len(latencies) > 1 else latencies[0]
    return (
        f"processed {len(rows)}/{count}: {by_status['completed']} completed, "
        f"{by_status['failed']} failed, {by_status['skipped']} skipped; "
        f"drafts {sum(r.drafts for r in rows)}; "
        f"recommendations {sum(1 for r in completed if r.due != '-')}; "
        f"p50 {statistics.median(latencies):.0f} ms p95 {p95:.0f} ms"
    )


def _bearer() -> dict[str, str]:
    from shared.settings import get_settings

    token = get_settings().hubspot_access_token
    return {"Authorization": f"Bearer {token.get_secret_value() if token else ''}"}


def _objects_url(simulator_url: str) -> str:
    """The CRM objects API at the version the app is configured to speak."""
    from shared.settings import get_settings

    return f"{simulator_url}/crm/objects/{get_settings().hubspot_api_version}"


def _page(crm: httpx.Client, object_type: str, params: dict[str, Any]) -> dict[str, Any]:
    """One list page; a path the simulator does not serve fails here, not as an empty portal."""
    answer = crm.get(f"/{object_type}", params=params)
    answer.raise_for_status()
    return answer.json()


def _ids_by(crm: httpx.Client, object_type: str, prop: str) -> dict[str, str]:
    ids: dict[str, str] = {}
    after = None
    while True:
        params = {"limit": 100, "properties": prop, **({"after": after} if after else {})}
        page = _page(crm, object_type, params)
        ids |= {r["properties"].get(prop): r["id"] for r in page.get("results", [])}
        after = page.get("paging", {}).get("next", {}).get("after")
        if not after:
            return ids


@contextmanager
def running_stack(devstack_dir: Path, timeout: float = 120) -> Iterator[dict[str, str]]:
    """The addresses of the running local stack; starts one for the duration when needed."""
    env_file = devstack_dir / "env"
    if env_file.exists():
        yield read_env_file(env_file)
        return
    devstack_dir.mkdir(parents=True, exist_ok=True)
    log = open(devstack_dir / "demo-stack.log", "wb")  # noqa: SIM115
    process = spawn(
        [sys.executable, "-m", "devstack", "dev", "--no-demo"],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_until(env_file.exists, timeout, "the local stack", process)
        yield read_env_file(env_file)
    finally:
        stop_process(process, timeout=30)
        log.close()


def read_env_file(path: Path) -> dict[str, str]:
    lines = [line for line in path.read_text().splitlines() if "=" in line]
    return dict(line.split("=", 1) for line in lines)
