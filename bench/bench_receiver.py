"""The webhook receiver under gunicorn as the Procfile runs it: latency of a signed 100-event
delivery, and its throughput side by side, in the same run and with the same server settings,
with two baselines: a bare Flask endpoint (read the body, answer 204), and the receiver a team
would write instead (bench/team_receiver.py: HubSpot's sample verification and one
``apply_async`` per event), on 100-event and on single-event deliveries.

    .venv/bin/python bench/bench_receiver.py            # full run, about two minutes on 2 cores
    .venv/bin/python bench/bench_receiver.py --quick    # smoke run, well under a minute
    .venv/bin/python bench/bench_receiver.py --worker-class sync   # the same under sync workers

Everything runs on loopback: a real Valkey as the broker, three gunicorn masters (receiver,
bare, team), and the load generator. The load generator is a pool of client *processes* with a raw
socket HTTP client: with two cores shared by server and client, a GIL-bound or heavier client
would cap the bare endpoint's rate first and flatter the ratio. The server's CPU time per
request is reported too; it does not depend on how fast the client is.

Correctness is checked while measuring: every receiver answer must be 200 with all events
accepted, every team answer 204, and after each phase the ``activities`` list must hold
exactly one message per receiver delivery (one per event for the team's).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import multiprocessing
import os
import resource
import shlex
import signal
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # bench/, tests/ as packages

import redis
from flask import Flask, request

from bench._common import (
    LOOPBACK,
    GunicornSettings,
    HttpClient,
    headline,
    latency_summary,
    machine_cpu_seconds,
    markdown_table,
    start_gunicorn,
    tree_cpu_seconds,
)
from devstack.processes import free_port, stop_process
from devstack.redis import EmbeddedRedis
from shared.queues import ACTIVITIES_QUEUE
from shared.settings import Settings
from tests.webhook_signing import activity_event, v3_headers

WEBHOOK_PATH = "/webhooks/hubspot"
SECRET = "bench-client-secret"
BATCH_SIZE = 100
ACTIVITY_TYPE_IDS = ("0-27", "0-46", "0-47", "0-48", "0-49")
P99_TARGET_MS = 10.0
THROUGHPUT_TARGET = 0.5  # of the bare endpoint's rate
TEAM_TARGET = 1.0  # of the team receiver's rate, on single-event deliveries
SIZES = (BATCH_SIZE, 1)
# Load clients never share eventIds with each other or with the latency phases (which
# start at 1); Redis is flushed between phases, so rounds may reuse them.
IDS_PER_CLIENT = 10**8

FULL = {"requests": 2000, "warmup": 200, "duration": 5.0, "rounds": 3}
QUICK = {"requests": 200, "warmup": 30, "duration": 1.5, "rounds": 1}


def bare_app() -> Flask:
    """The baseline: the same server and body, and no work beyond reading the body."""
    app = Flask("bare")

    @app.post(WEBHOOK_PATH)
    def receive():
        request.get_data()
        return "", 204

    return app


class Batches:
    """Signed 100-event deliveries with fresh eventIds, formatted from one JSON template so
    that making one costs the client microseconds rather than a json.dumps of 100 events."""

    def __init__(self, url: str, first_event_id: int, size: int = BATCH_SIZE) -> None:
        events = [_event(index) for index in range(size)]
        text = json.dumps(events).replace("{", "{{").replace("}", "}}")
        self.template = text.replace('"@id"', "{}")
        self.url = url
        self.size = size
        self.next_id = first_event_id

    def fresh(self) -> tuple[bytes, dict[str, str]]:
        ids = range(self.next_id, self.next_id + self.size)
        self.next_id += self.size
        return self.signed(self.template.format(*ids).encode())

    def signed(self, body: bytes) -> tuple[bytes, dict[str, str]]:
        return body, v3_headers(SECRET, self.url, body)


def _event(index: int) -> dict:
    type_id = ACTIVITY_TYPE_IDS[index % len(ACTIVITY_TYPE_IDS)]
    event = activity_event(object_id=10_000 + index, type_id=type_id)
    return {**event, "eventId": "@id", "occurredAt": 1_795_000_000_000 + index}


def as_expected(expect: str, status: int, body: bytes, size: int = BATCH_SIZE) -> bool:
    """expect: 'accepted' (every event queued), 'bare' or 'team' (both answer 204)."""
    if expect in ("bare", "team"):
        return status == 204
    if status != 200:
        return False
    return json.loads(body)["accepted"] == size


@dataclass(frozen=True)
class Target:
    name: str
    port: int
    expect: str
    cpu_pids: tuple[int, ...]  # whose CPU time is this server's cost (gunicorn, valkey)

    @property
    def url(self) -> str:
        return f"http://{LOOPBACK}:{self.port}{WEBHOOK_PATH}"


@dataclass
class Servers:
    receiver: Target
    bare: Target
    team: Target
    broker: redis.Redis

    def for_size(self, size: int) -> tuple[Target, ...]:
        """Who is measured at this delivery size: the bare endpoint reads 100-event bodies."""
        return (
            (self.bare, self.receiver, self.team)
            if size == BATCH_SIZE
            else (
                self.receiver,
                self.team,
            )
        )


# --- latency: one client, one request at a time ---------------------------------------------


@dataclass
class Sequential:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0


def measure_sequential(
    target: Target, count: int, make: Callable[[], tuple[bytes, dict[str, str]]], expect: str
) -> Sequential:
    client, result = HttpClient(target.port), Sequential()
    for _ in range(count):
        body, headers = make()
        started = time.perf_counter()
        try:
            status, answer = client.post(WEBHOOK_PATH, body, headers)
        except OSError:
            status, answer = 0, b""
            client.close()
        result.latencies.append(time.perf_counter() - started)
        result.errors += not as_expected(expect, status, answer)
    client.close()
    return result


# --- throughput: client processes for a fixed window ----------------------------------------


@dataclass(frozen=True)
class LoadJob:
    port: int
    url: str
    expect: str
    first_event_id: int
    start_at: float  # time.time(): the same clock in every process
    duration: float
    size: int


@dataclass
class LoadResult:
    in_window: int = 0  # finished before the deadline: these make the rate
    completed: int = 0  # every answered request, for the queue check
    errors: int = 0
    client_cpu: float = 0.0
    server_cpu: float = 0.0
    machine_busy: float = 0.0  # every process on the machine, ours included
    seconds: float = 0.0

    @property
    def rate(self) -> float:
        return self.in_window / self.seconds

    def add(self, other: LoadResult) -> None:
        names = ("in_window", "completed", "errors", "client_cpu", "server_cpu", "machine_busy")
        for name in (*names, "seconds"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


def run_load_client(job: LoadJob) -> LoadResult:
    """One client process: requests back to back, one in flight, until the window closes."""
    batches, client = Batches(job.url, job.first_event_id, job.size), HttpClient(job.port)
    result = LoadResult()
    deadline = job.start_at + job.duration
    pending = batches.fresh()
    time.sleep(max(0.0, job.start_at - time.time()))
    cpu_before = _own_cpu()
    while time.time() < deadline:
        try:
            status, answer = client.post(WEBHOOK_PATH, *pending)
        except OSError:
            status, answer = 0, b""
            client.close()
        result.in_window += time.time() <= deadline
        result.completed += 1
        result.errors += not as_expected(job.expect, status, answer, job.size)
        pending = batches.fresh()
    result.client_cpu = _own_cpu() - cpu_before
    client.close()
    return result


def _plain_signals() -> None:
    # Load clients leave Ctrl-C to the parent, and die at once when the pool ends them: the
    # parent's SIGTERM handler (unwind and clean up) would make them exit through locks that
    # a killed sibling may hold.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def measure_throughput(target: Target, clients: int, duration: float, size: int) -> LoadResult:
    start_at = time.time() + 0.5  # after the pool has forked
    jobs = [
        LoadJob(
            target.port,
            target.url,
            target.expect,
            (n + 1) * IDS_PER_CLIENT,
            start_at,
            duration,
            size,
        )
        for n in range(clients)
    ]
    with multiprocessing.get_context("fork").Pool(clients, _plain_signals) as pool:
        pending = pool.map_async(run_load_client, jobs, chunksize=1)
        time.sleep(max(0.0, start_at - time.time()))
        cpu_before, busy_before = tree_cpu_seconds(target.cpu_pids), machine_cpu_seconds()[0]
        time.sleep(max(0.0, start_at + duration - time.time()))
        server_cpu = tree_cpu_seconds(target.cpu_pids) - cpu_before
        busy = machine_cpu_seconds()[0] - busy_before
        total = LoadResult(server_cpu=server_cpu, machine_busy=busy, seconds=duration)
        for result in pending.get(timeout=duration + 30):
            total.add(result)
    return total


# --- the run ----------------------------------------------------------------------------------


EXPECTED = {
    "accepted": "200, every event accepted",
    "bare": "204",
    "team": "204",
}


@dataclass
class Results:
    latency: dict[str, Sequential] = field(default_factory=dict)
    # (server, events per delivery) -> what its throughput windows added up to
    throughput: dict[tuple[str, int], LoadResult] = field(default_factory=dict)
    checks: list[str] = field(default_factory=list)
    correct: bool = True

    def rate(self, name: str, size: int) -> float:
        return self.throughput[(name, size)].rate

    def ratio(self, name: str, baseline: str, size: int) -> float:
        return self.rate(name, size) / self.rate(baseline, size)

    def cpu_per_delivery(self, name: str, size: int) -> float:
        """Server CPU seconds per delivery: steadier than rates on a shared machine, since
        it does not depend on how fast the load generator keeps up."""
        load = self.throughput[(name, size)]
        return load.server_cpu / max(load.completed, 1)

    def cpu_ratio(self, baseline: str, size: int) -> float:
        """How many times the receiver's CPU per delivery the baseline's is."""
        return self.cpu_per_delivery(baseline, size) / self.cpu_per_delivery("receiver", size)

    def check_answers(self, phase: str, expect: str, answered: int, errors: int) -> None:
        verdict = "OK" if errors == 0 else f"{errors} FAILED"
        self.checks.append(f"{phase}: {answered} answers, expected {EXPECTED[expect]}: {verdict}")
        self.correct &= errors == 0

    def check_queue(self, servers: Servers, phase: str, accepted: int, per_delivery: int) -> None:
        """``per_delivery`` messages per accepted delivery (one for ours, one per event for
        the team's); then the next phase starts from an empty Redis."""
        queued, expected = servers.broker.llen(ACTIVITIES_QUEUE), accepted * per_delivery
        verdict = "OK" if queued == expected else "MISMATCH"
        self.checks.append(
            f"{phase}: `{ACTIVITIES_QUEUE}` holds {queued} messages for {accepted} accepted "
            f"deliveries ({per_delivery} each): {verdict}"
        )
        self.correct &= queued == expected
        servers.broker.flushall()


def run_phases(servers: Servers, options: argparse.Namespace) -> Results:
    results = Results()
    unique = Batches(servers.receiver.url, first_event_id=1)
    _progress(f"warm-up: {options.warmup} deliveries to each server")
    for target in servers.for_size(BATCH_SIZE):
        measure_sequential(target, options.warmup, unique.fresh, target.expect)
    servers.broker.flushall()
    _latency_phases(servers, options, unique, results)
    _throughput_phases(servers, options, results)
    return results


def _latency_phases(
    servers: Servers, options: argparse.Namespace, unique: Batches, results: Results
) -> None:
    _progress(f"latency: {options.requests} sequential deliveries to each server")
    for target in (servers.receiver, servers.bare):
        outcome = measure_sequential(target, options.requests, unique.fresh, target.expect)
        results.latency[target.name] = outcome
        phase = f"latency, {target.name}"
        results.check_answers(phase, target.expect, options.requests, outcome.errors)
        if target is servers.receiver:
            results.check_queue(servers, phase, options.requests - outcome.errors, 1)
        servers.broker.flushall()


def _throughput_phases(servers: Servers, options: argparse.Namespace, results: Results) -> None:
    for size in SIZES:
        targets = servers.for_size(size)
        for target in targets:
            results.throughput[(target.name, size)] = LoadResult()
        for number in range(1, options.rounds + 1):
            # Rotate which server goes first, so drift on a shared machine hits all alike.
            shift = (number - 1) % len(targets)
            for target in targets[shift:] + targets[:shift]:
                _throughput_round(servers, options, results, target, size, number)


def _throughput_round(
    servers: Servers,
    options: argparse.Namespace,
    results: Results,
    target: Target,
    size: int,
    number: int,
) -> None:
    _progress(f"{size}-event throughput round {number}: {target.name}, {options.duration:g} s")
    outcome = measure_throughput(target, options.clients, options.duration, size)
    results.throughput[(target.name, size)].add(outcome)
    phase = f"{size}-event throughput round {number}, {target.name}"
    results.check_answers(phase, target.expect, outcome.completed, outcome.errors)
    if target is not servers.bare:
        per_delivery = size if target is servers.team else 1
        results.check_queue(servers, phase, outcome.completed - outcome.errors, per_delivery)


@contextlib.contextmanager
def running_servers(workdir: Path, settings: GunicornSettings):
    """Valkey and both gunicorn masters; all stopped on the way out, error or Ctrl-C."""
    with contextlib.ExitStack() as stack:
        broker = EmbeddedRedis(workdir / "valkey", free_port())
        stack.callback(broker.stop)
        broker.start(log_file=workdir / "valkey.log")
        apps = {
            "receiver": "webhook_receiver:create_app()",
            "bare": "bench.bench_receiver:bare_app()",
            "team": "bench.team_receiver:team_app()",
        }
        ports = {name: free_port() for name in apps}
        assert broker.process is not None
        targets = {}
        for name, expect in (("receiver", "accepted"), ("bare", "bare"), ("team", "team")):
            env = server_env(broker.url(), ports[name])
            log = workdir / f"gunicorn-{name}.log"
            master = start_gunicorn(apps[name], ports[name], settings, env, log)
            stack.callback(stop_process, master)
            # A broker's CPU is its users' cost too: the bare endpoint has none.
            pids = (master.pid,) if name == "bare" else (master.pid, broker.process.pid)
            targets[name] = Target(name, ports[name], expect, pids)
        client = redis.Redis.from_url(broker.url(), socket_timeout=5)
        stack.callback(client.close)
        yield Servers(**targets, broker=client)


def server_env(redis_url: str, receiver_port: int) -> dict[str, str]:
    """This environment minus anything the service would read, plus production settings."""
    own = {name.upper() for name in Settings.model_fields} | {"GUNICORN_CMD_ARGS"}
    env = {name: value for name, value in os.environ.items() if name.upper() not in own}
    env.update(
        APP_ENV="production",
        LOG_LEVEL="WARNING",
        REDIS_URL=redis_url,
        DATABASE_URL="postgresql://unused@127.0.0.1:9/unused",
        HUBSPOT_CLIENT_SECRET=SECRET,
        HUBSPOT_ACCESS_TOKEN="bench-access-token",
        SUPABASE_JWT_SECRET="bench-jwt-secret-0123456789-0123456789",
        WEBHOOK_PUBLIC_BASE_URL=f"http://{LOOPBACK}:{receiver_port}",
        LLM_MODEL="local/heuristic",
    )
    return env


# --- the report -------------------------------------------------------------------------------


def report(results: Results, options: argparse.Namespace, command: str) -> str:
    latency = markdown_table(
        ["metric", "receiver", "bare", "ratio / target", "result"], _latency_rows(results)
    )
    throughput = markdown_table(
        [
            "deliveries of",
            "receiver",
            "bare",
            "team",
            "receiver / bare",
            "receiver / team",
            "result",
        ],
        [_throughput_row(results, size) for size in SIZES],
    )
    cpu = markdown_table(
        ["server CPU per delivery (gunicorn + valkey), ms", "receiver", "bare", "team"],
        [_cpu_row(results, size) for size in SIZES],
    )
    checks = "\n".join(f"- {line}" for line in results.checks)
    return "\n\n".join(
        [
            "## Webhook receiver benchmark",
            _setup_line(options),
            latency,
            throughput,
            cpu,
            _cpu_lines(results),
            f"Correctness ({'all passed' if results.correct else 'FAILED'}):\n{checks}",
            f"Reproduce: `{command}`",
        ]
    )


def _latency_rows(results: Results) -> list[list[str]]:
    receiver = latency_summary(results.latency["receiver"].latencies)
    bare = latency_summary(results.latency["bare"].latencies)
    rows = []
    for key in ("p50", "p95", "p99", "max"):
        ratio = f"{receiver[key] / bare[key]:.1f}x bare"
        verdict = ""
        if key == "p99":
            ratio += f"; target < {P99_TARGET_MS:g} ms"
            verdict = _verdict(receiver[key] < P99_TARGET_MS)
        rows.append(
            [f"latency {key}, ms", f"{receiver[key]:.2f}", f"{bare[key]:.2f}", ratio, verdict]
        )
    return rows


def _throughput_row(results: Results, size: int) -> list[str]:
    """Deliveries per second at saturation; the verdict is the target of that size."""
    has_bare = ("bare", size) in results.throughput
    team_ratio = results.ratio("receiver", "team", size)
    bare_ratio = results.ratio("receiver", "bare", size) if has_bare else None
    if has_bare:
        verdict = f"{_verdict(bare_ratio >= THROUGHPUT_TARGET)} (bare >= {THROUGHPUT_TARGET:.0%})"
    else:
        verdict = f"{_verdict(team_ratio >= TEAM_TARGET)} (team >= {TEAM_TARGET:.2f}x)"
    return [
        f"{size} event{'s' if size > 1 else ''}, deliveries/s",
        f"{results.rate('receiver', size):.0f}",
        f"{results.rate('bare', size):.0f}" if has_bare else "",
        f"{results.rate('team', size):.0f}",
        f"{bare_ratio:.0%}" if bare_ratio is not None else "",
        f"{team_ratio:.2f}x",
        verdict,
    ]


def _cpu_row(results: Results, size: int) -> list[str]:
    """CPU per delivery does not depend on how fast the load generator is."""
    cells = [f"{size} event{'s' if size > 1 else ''}"]
    for name in ("receiver", "bare", "team"):
        present = (name, size) in results.throughput
        cells.append(f"{results.cpu_per_delivery(name, size) * 1000:.3f}" if present else "")
    return cells


def _setup_line(options: argparse.Namespace) -> str:
    server = options.gunicorn
    return (
        f"gunicorn `{server.describe()}` for all three apps (no access log); receiver with "
        f"APP_ENV=production LOG_LEVEL=WARNING; broker: embedded Valkey (AOF on). "
        f"v3-signed deliveries with fresh eventIds. Latency: {options.requests} sequential "
        f"{BATCH_SIZE}-event deliveries per server after {options.warmup} warm-up. "
        f"Throughput: {options.clients} client processes, {options.rounds} x "
        f"{options.duration:g} s per server and delivery size, order rotated each round."
    )


def _cpu_lines(results: Results) -> str:
    """Where the machine's CPU went during the throughput windows: a busy neighbour skews them."""
    cores = os.cpu_count() or 1
    lines = [f"CPU during throughput, share of {cores} cores:"]
    for (name, size), result in results.throughput.items():
        capacity = result.seconds * cores
        others = max(0.0, result.machine_busy - result.server_cpu - result.client_cpu)
        lines.append(
            f"- {name}, {size}-event: server {result.server_cpu / capacity:.0%}, load generator "
            f"{result.client_cpu / capacity:.0%}, other processes {others / capacity:.0%}, "
            f"idle {1 - result.machine_busy / capacity:.0%}"
            + (" (busy neighbours: numbers are noisy)" if others / capacity > 0.1 else "")
        )
    return "\n".join(lines)


def _verdict(passed: bool) -> str:
    return "PASS" if passed else "FAIL"


def _progress(message: str) -> None:
    print(f"[bench_receiver] {message}", file=sys.stderr, flush=True)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a short smoke run")
    for name, default in FULL.items():
        kind = float if isinstance(default, float) else int
        parser.add_argument(f"--{name}", type=kind, help=f"default {default} ({QUICK[name]} quick)")
    parser.add_argument("--clients", type=int, help="load client processes (2 per worker)")
    parser.add_argument(
        "--worker-class", choices=["gevent", "sync"], help="default: the Procfile's"
    )
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    options = parser.parse_args(argv)
    for name, default in (QUICK if options.quick else FULL).items():
        if getattr(options, name) is None:
            setattr(options, name, default)
    options.gunicorn = GunicornSettings.from_procfile(options.worker_class)
    options.clients = options.clients or 2 * options.gunicorn.workers
    return options


def _headlines(results: Results) -> None:
    p99 = latency_summary(results.latency["receiver"].latencies)["p99"]
    headline(
        "receiver: signed 100-event delivery, p99 under gunicorn",
        f"{p99:.1f} ms",
        f"< {P99_TARGET_MS:g} ms",
        p99 < P99_TARGET_MS,
    )
    bare = results.ratio("receiver", "bare", BATCH_SIZE)
    headline(
        "receiver: throughput against a bare Flask 204",
        f"{bare:.0%}",
        f">= {THROUGHPUT_TARGET:.0%}",
        bare >= THROUGHPUT_TARGET,
    )
    for size in SIZES:
        team = results.ratio("receiver", "team", size)
        target = TEAM_TARGET if size == 1 else None
        headline(
            f"receiver: {size}-event deliveries/s against the team's receiver",
            f"{team:.2f}x (server CPU per delivery {results.cpu_ratio('team', size):.2f}x less)",
            f">= {TEAM_TARGET:.2f}x" if target else "—",
            team >= TEAM_TARGET if target else None,
        )


def targets_met(results: Results) -> bool:
    p99 = latency_summary(results.latency["receiver"].latencies)["p99"]
    return (
        p99 < P99_TARGET_MS
        and results.ratio("receiver", "bare", BATCH_SIZE) >= THROUGHPUT_TARGET
        and results.ratio("receiver", "team", 1) >= TEAM_TARGET
    )


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    options = parse_args(argv)
    command = shlex.join([".venv/bin/python", "bench/bench_receiver.py", *argv])
    started = time.monotonic()
    with (
        tempfile.TemporaryDirectory(prefix="bench-receiver-") as workdir,
        running_servers(Path(workdir), options.gunicorn) as servers,
    ):
        results = run_phases(servers, options)
    _progress(f"done in {time.monotonic() - started:.0f} s")
    print(report(results, options, command))
    _headlines(results)
    if not results.correct:
        return 1
    return 1 if options.strict and not targets_met(results) else 0


if __name__ == "__main__":
    # A polite kill unwinds like Ctrl-C, so every server is stopped and the data removed.
    signal.signal(signal.SIGTERM, lambda _signum, _frame: sys.exit(143))
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(130)
