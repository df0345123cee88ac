"""The approval API: the runs list at 10,000 runs, and accept → HubSpot updated.

    .venv/bin/python bench/bench_api.py [--quick]

1. A rep with 10,000 runs pages through them (first page and deep pages, 20 a page)
   against a baseline rep with 100 runs, in the same run: p50/p95 per request through the
   Flask app in-process (token check, owner lookup, SQL; no HTTP server).
2. Accept → HubSpot updated, end to end: the rep accepts a draft over the API, a real apply
   worker (the Procfile's) takes the job and PATCHes the task in the HubSpot simulator; the
   time until the job reads ``applied``. Baseline: the same PATCH made directly, alone.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # bench/ as a package

from bench._common import headline
from devstack.hubspot_simulator import SimulatorConfig, start_in_thread
from devstack.mint import local_user, mint_token
from devstack.postgres import FAST_UNSAFE_SETTINGS, EmbeddedPostgres
from devstack.processes import celery_worker_answers, free_port, spawn, stop_process, wait_until
from devstack.procfile import read_procfile, shell_command
from devstack.redis import EmbeddedRedis
from shared.hubspot.client import build_client
from shared.migrate import run_migrations
from shared.settings import PROJECT_ROOT, get_settings

SECRET = "bench-jwt-secret-that-is-long-enough-000000000"
TOKEN = "bench-access-token"
BIG_OWNER, SMALL_OWNER = "71000001", "71000002"
PORTAL_ID = 2  # the simulated account, whose owners the reps are

SEED = """
with runs as (
    insert into ai_processing_logs (activity_id, activity_type, activity_version,
        hubspot_owner_id, hubspot_portal_id, status, processed_at, created_at)
    select (%(offset)s + n)::text, (array['note','call','email','meeting','task'])[1 + n %% 5],
        'v1', %(owner)s, %(portal)s, 'completed', now(), now() - make_interval(secs => n)
    from generate_series(1, %(count)s) as n
    returning id, activity_id
), drafts as (
    insert into ai_generated_drafts (activity_id, run_id, draft_text, tone, confidence)
    select activity_id, id, 'Hi Dana, following up on pricing for 50 seats.', tone, c
    from runs, (values ('friendly', 0.8), ('formal', 0.7)) as t (tone, c)
)
insert into touch_date_recommendations (activity_id, run_id, recommended_due, confidence)
select activity_id, id, now() + interval '2 days', 0.7 from runs
"""


INBOX = ("/api/v1/inbox", {"state": "to_do", "order": "due"})


def percentile(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def timed_ms(call) -> float:
    started = time.perf_counter()
    call()
    return (time.perf_counter() - started) * 1000


def list_latencies(
    client, headers: dict, requests: int, listing: tuple[str, dict] = ("/api/v1/runs", {})
) -> tuple[list[float], list[float]]:
    """First-page latencies, and latencies of pages reached by following cursors."""
    path, query = listing
    first = [
        timed_ms(lambda: client.get(path, headers=headers, query_string=query))
        for _ in range(requests)
    ]
    deep, cursor = [], None
    while len(deep) < requests:
        started = time.perf_counter()
        page = client.get(
            path, headers=headers, query_string={**query, "cursor": cursor} if cursor else query
        ).json
        deep.append((time.perf_counter() - started) * 1000)
        cursor = page["next_cursor"]
    return first, deep


def seed_tasks(simulator_url: str, count: int) -> list[dict]:
    import httpx

    items = [
        {
            "type": "task",
            "properties": {
                "hs_timestamp": "+2d",
                "hubspot_owner_id": BIG_OWNER,
                "hs_task_subject": f"Send pricing #{i}",
                "hs_task_body": "Pricing for 50 seats",
            },
        }
        for i in range(count)
    ]
    answer = httpx.post(
        f"{simulator_url}/_admin/activities", json={"activities": items}, timeout=30
    )
    answer.raise_for_status()
    return answer.json()["results"]


def completed_runs_for(database_url: str, tasks: list[dict]) -> list[str]:
    """A completed run per task, at the task's current version; returns a draft id each."""
    from shared.hubspot.parse import parse_timestamp

    drafts = []
    with psycopg.connect(database_url) as conn:
        for task in tasks:
            version = parse_timestamp(task["properties"]["hs_lastmodifieddate"]).isoformat()
            run_id = conn.execute(
                "insert into ai_processing_logs (activity_id, activity_type, activity_version,"
                " hubspot_owner_id, hubspot_portal_id, status)"
                " values (%s, 'task', %s, %s, %s, 'completed') returning id",
                (task["id"], version, BIG_OWNER, PORTAL_ID),
            ).fetchone()[0]
            drafts.append(
                str(
                    conn.execute(
                        "insert into ai_generated_drafts (activity_id, run_id, draft_text, tone,"
                        " confidence) values (%s, %s, 'Hi Dana, pricing attached.', 'friendly',"
                        " 0.8)"
                        " returning id",
                        (task["id"], run_id),
                    ).fetchone()[0]
                )
            )
    return drafts


def accept_latencies(client, headers: dict, drafts: list[str]) -> list[float]:
    latencies = []
    for draft in drafts:
        started = time.perf_counter()
        job = client.post(f"/api/v1/drafts/{draft}/accept", headers=headers).json
        while client.get(job["status_url"], headers=headers).json["status"] != "applied":
            time.sleep(0.005)
        latencies.append((time.perf_counter() - started) * 1000)
    return latencies


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    big, requests, accepts = (2000, 60, 10) if args.quick else (10_000, 300, 40)
    root = Path(tempfile.mkdtemp(prefix="bench-api-"))
    postgres = EmbeddedPostgres(root / "pg", free_port(), settings=FAST_UNSAFE_SETTINGS)
    redis_server = EmbeddedRedis(root / "redis", free_port(), append_only=False)
    simulator = worker = None
    try:
        postgres.start()
        redis_server.start()
        database = postgres.create_database("bench")
        run_migrations(database, PROJECT_ROOT / "migrations")
        simulator = start_in_thread(
            SimulatorConfig(
                access_token=TOKEN,
                client_secret="s",
                app_id=1,
                portal_id=PORTAL_ID,
                load_demo_data=True,
                burst_limit=1000,
            )
        )
        os.environ.update(
            APP_ENV="development",
            DATABASE_URL=database,
            REDIS_URL=redis_server.url(),
            HUBSPOT_API_BASE=simulator.url,
            HUBSPOT_ACCESS_TOKEN=TOKEN,
            SUPABASE_JWT_SECRET=SECRET,
            HUBSPOT_BURST_LIMIT="1000",
            LOG_LEVEL="WARNING",
            ENV_FILE="",  # no dotenv file: not the developer's .devstack/env
        )
        get_settings.cache_clear()
        with psycopg.connect(database) as conn:
            seed = {"portal": PORTAL_ID}
            conn.execute(SEED, {**seed, "offset": 1_000_000, "owner": BIG_OWNER, "count": big})
            conn.execute(SEED, {**seed, "offset": 2_000_000, "owner": SMALL_OWNER, "count": 100})
            conn.execute("analyze")
        from webhook_receiver import create_app

        client = create_app().test_client()
        headers = {}
        for owner, email in (
            (BIG_OWNER, "maria.chen@brightlane.example"),
            (SMALL_OWNER, "james.okafor@brightlane.example"),
        ):
            token = mint_token(SECRET, local_user(database, email), email)
            headers[owner] = {"Authorization": f"Bearer {token}"}
        list_latencies(client, headers[SMALL_OWNER], 20)  # warm-up
        big_first, big_deep = list_latencies(client, headers[BIG_OWNER], requests)
        small_first, small_deep = list_latencies(client, headers[SMALL_OWNER], requests)
        inbox = {
            owner: list_latencies(client, headers[owner], requests, INBOX)
            for owner in (BIG_OWNER, SMALL_OWNER)
        }

        env = {
            **os.environ,
            "BIND_HOST": "127.0.0.1",
            "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        }
        log = open(root / "apply-worker.log", "w")  # noqa: SIM115
        worker = spawn(
            shell_command(read_procfile(PROJECT_ROOT / "Procfile")["apply_worker"]),
            env=env,
            stdout=log,
            stderr=log,
        )
        wait_until(
            lambda: celery_worker_answers(redis_server.url(), "apply"),
            90,
            "the apply worker",
            worker,
        )
        tasks = seed_tasks(simulator.url, accepts * 2)
        drafts = completed_runs_for(database, tasks[:accepts])
        accept_latencies(client, headers[BIG_OWNER], drafts[:3])  # warm-up
        accepted = accept_latencies(client, headers[BIG_OWNER], drafts[3:])
        hubspot = build_client(get_settings())
        direct = [
            timed_ms(
                lambda t=t: hubspot.update_object(
                    "tasks", t["id"], {"hs_task_body": "Hi Dana, pricing attached."}
                )
            )
            for t in tasks[accepts:]
        ]
    finally:
        if worker is not None:
            stop_process(worker, timeout=30)
        if simulator is not None:
            simulator.stop()
        redis_server.stop()
        postgres.stop()
    lists = {
        "runs list": ((big_first, big_deep), (small_first, small_deep)),
        "inbox (to do, soonest due)": (inbox[BIG_OWNER], inbox[SMALL_OWNER]),
    }
    report(big, lists, accepted, direct, args.quick)
    return 0


def report(
    big: int,
    lists: dict[str, tuple[tuple[list[float], list[float]], tuple[list[float], list[float]]]],
    accepted: list[float],
    direct: list[float],
    quick: bool,
) -> None:
    def cell(values: list[float]) -> str:
        return f"{percentile(values, 50):.1f} / {percentile(values, 95):.1f} ms"

    print("\n## Approval API\n")
    print("| measurement | result (p50 / p95) | baseline (p50 / p95) | ratio (p95) | target |")
    print("|---|---|---|---|---|")
    for name, ((big_first, big_deep), (small_first, small_deep)) in lists.items():
        print(
            f"| {name}, first page, rep with {big:,} runs vs 100 | {cell(big_first)} | "
            f"{cell(small_first)} | "
            f"{percentile(big_first, 95) / percentile(small_first, 95):.2f}x | p95 < 50 ms |"
        )
        print(
            f"| {name}, pages by cursor, {big:,} vs 100 | {cell(big_deep)} | "
            f"{cell(small_deep)} | "
            f"{percentile(big_deep, 95) / percentile(small_deep, 95):.2f}x | p95 < 50 ms |"
        )
    print(
        f"| accept → task updated in HubSpot ({len(accepted)} accepts) vs the PATCH alone | "
        f"{cell(accepted)} | {cell(direct)} | "
        f"{percentile(accepted, 50) / percentile(direct, 50):.1f}x (p50) | p50 < 500 ms |"
    )
    print(f"\nreproduce: .venv/bin/python bench/bench_api.py{' --quick' if quick else ''}")
    for name, ((big_first, big_deep), _) in lists.items():
        worst = max(percentile(big_first, 95), percentile(big_deep, 95))
        headline(f"{name} p95, rep with {big:,} runs", f"{worst:.1f} ms", "< 50 ms", worst < 50)
    headline(
        "accept → HubSpot updated, p50",
        f"{percentile(accepted, 50):.0f} ms",
        "< 500 ms",
        percentile(accepted, 50) < 500,
    )


if __name__ == "__main__":
    sys.exit(main())
