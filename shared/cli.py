"""The ``hubspot-ai`` command: what a deployment runs besides its processes.

One thin function per subcommand; the local stack's commands are in ``devstack/cli.py``.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from shared.logging import configure_logging
from shared.settings import SettingsError, get_settings

if TYPE_CHECKING:
    from shared.accounts.journals import JournalReport
    from shared.pipeline.runtime import Runtime


def _migrate(args: argparse.Namespace) -> int:
    from shared.accounts.adopt import adopt_unowned_rows
    from shared.migrate import MigrationError, run_migrations
    from shared.store.postgres import PostgresStore

    settings = get_settings()
    try:
        applied = run_migrations(settings.database_url, settings.migrations_dir)
    except MigrationError as exc:
        print(f"migrate: {exc}", file=sys.stderr)
        return 1
    print(f"migrate: {len(applied)} applied" + (f" ({', '.join(applied)})" if applied else ""))
    store = PostgresStore(settings.database_url or "")
    try:
        adoption = adopt_unowned_rows(settings, store)
    finally:
        store.close()
    if adoption.adopted.total:
        print(f"migrate: adopted by HubSpot account {adoption.portal_id}: {adoption.adopted}")
    if adoption.left.total:
        print(
            f"migrate: warning: {adoption.left} have no HubSpot account; {adoption.why_left}",
            file=sys.stderr,
        )
    return 0


def _eval(args: argparse.Namespace) -> int:
    import json

    from shared.evals.runner import run_eval

    scorecard = run_eval(get_settings().llm_config(), args.cases, model=args.model)
    print(json.dumps(scorecard.to_json(), indent=2) if args.json else scorecard.render())
    return 0


def _runtime() -> Runtime:
    """A pipeline runtime for a command: it sends tasks through a broker-only producer."""
    from shared.pipeline.runtime import build_runtime, dispatcher_for
    from shared.queues import make_producer

    settings = get_settings()
    return build_runtime(settings, dispatcher_for(make_producer(settings)))


def _replay(args: argparse.Namespace) -> int:
    from shared.pipeline.replay import replay

    result = replay(_runtime(), args.status, args.since)
    print(
        f"replay: {result.found} {args.status} activities, {result.dispatched} re-queued, "
        f"{result.gone} gone from HubSpot"
    )
    return 0


def _reconcile(args: argparse.Namespace) -> int:
    from shared.pipeline.reconcile import reconcile

    result = reconcile(_runtime(), args.since)
    if result is None:
        print("reconcile: another sweep is running")
        return 0
    print(
        f"reconcile: since {result.since.isoformat()}: {result.modified} modified, "
        f"{result.missing} never processed, now queued"
    )
    return 0


def _flower(args: argparse.Namespace) -> int:
    settings = get_settings()
    if settings.app_env != "development" and settings.flower_basic_auth is None:
        print(
            "flower: set FLOWER_BASIC_AUTH (user:password) — outside development Flower "
            "never runs without authentication",
            file=sys.stderr,
        )
        return 2
    # Flower reads FLOWER_BASIC_AUTH from the environment itself, so the password never
    # appears on a command line (visible to `ps`).
    command = [
        "celery",
        "-A",
        "workers.celery_app",
        "flower",
        f"--address={args.address}",
        f"--port={args.port}",
    ]
    os.execvp(command[0], command)  # noqa: S606 - replaces this process on purpose
    return 0


def _new_token_key(args: argparse.Namespace) -> int:
    from shared.accounts.cipher import TokenCipher

    print(TokenCipher.new_key())
    return 0


def _rotate_token_keys(args: argparse.Namespace) -> int:
    from shared.accounts.cipher import TokenCipher, TokenKeyError, rotate_stored_tokens
    from shared.store import build_store

    settings = get_settings()
    store = build_store(settings)
    try:
        rotated = rotate_stored_tokens(store, TokenCipher(settings.token_keys()))
    except TokenKeyError as exc:
        print(f"rotate-token-keys: {exc}", file=sys.stderr)
        return 1
    finally:
        store.close()
    print(f"rotate-token-keys: {rotated} accounts' tokens now under the first key")
    return 0


def _journal(args: argparse.Namespace) -> int:
    import redis

    from shared.accounts.journal import JournalRefused
    from shared.accounts.journals import build_journals
    from shared.metrics import Metrics
    from shared.pipeline.catch_up import hand_to_intake
    from shared.pipeline.runtime import dispatcher_for
    from shared.queues import make_producer
    from shared.store import build_store

    settings = get_settings()
    if settings.hubspot_auth != "oauth":
        print("journal: only OAuth installs have a webhooks journal (HUBSPOT_AUTH=oauth)")
        return 2
    client = redis.Redis.from_url(
        settings.redis_url or "", socket_timeout=5, socket_connect_timeout=2
    )
    store = build_store(settings)
    journals = build_journals(settings, store, client, Metrics(client))
    try:
        report = journals.read_all(hand_to_intake(dispatcher_for(make_producer(settings))))
    except JournalRefused as exc:
        print(f"journal: {exc}", file=sys.stderr)
        return 1
    finally:
        journals.reader.close()
        store.close()
    return _print_journal_report(report)


def _print_journal_report(report: JournalReport) -> int:
    print(
        f"journal: {report.accounts} accounts read: {report.crm_events} CRM events, "
        f"{report.installs} installs, {report.uninstalls} uninstalls, "
        f"{report.not_understood} entries not understood"
    )
    for portal_id, reason in report.failed.items():
        print(f"journal: account {portal_id} not read now: {reason}", file=sys.stderr)
    return 1 if report.failed else 0


def _since(text: str) -> datetime:
    """An ISO date or time (UTC unless it says otherwise), or a span back from now: 2h, 3d."""
    if text[:-1].isdigit() and text[-1] in "mhd":
        unit = {"m": "minutes", "h": "hours", "d": "days"}[text[-1]]
        return datetime.now(UTC) - timedelta(**{unit: int(text[:-1])})
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hubspot-ai",
        description="Operate the HubSpot AI follow-up service: apply database migrations, "
        "re-queue failed or missed activities, run Flower, score a model. Settings come from "
        "the environment (see the README's Configuration).",
        epilog="The local development stack has its own tool: python -m devstack --help",
    )
    commands = parser.add_subparsers(dest="command", required=True)

    commands.add_parser("migrate", help="apply pending SQL migrations").set_defaults(func=_migrate)

    replay = commands.add_parser("replay", help="re-queue failed runs")
    replay.add_argument(
        "--status",
        default="failed",
        choices=["failed", "processing"],
        help="re-queue the runs with this status (default: failed)",
    )
    replay.add_argument(
        "--since",
        type=_since,
        default="7d",
        help="created since: an ISO time, or 2h / 3d back (default: 7d)",
    )
    replay.set_defaults(func=_replay)

    sweep = commands.add_parser(
        "reconcile", help="queue activities HubSpot changed that never reached the pipeline"
    )
    sweep.add_argument(
        "--since",
        type=_since,
        default=None,
        help="ISO time, or 2h / 3d back (default: the last sweep)",
    )
    sweep.set_defaults(func=_reconcile)

    flower = commands.add_parser("flower", help="Flower, behind authentication outside dev")
    flower.add_argument(
        "--address", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)"
    )
    flower.add_argument("--port", type=int, default=5555, help="port to listen on (default: 5555)")
    flower.set_defaults(func=_flower)

    evaluate = commands.add_parser(
        "eval", help="score a model's suggestions on the labelled activities (evals/cases.yaml)"
    )
    evaluate.add_argument("--model", help="any litellm model name (default: LLM_MODEL)")
    evaluate.add_argument(
        "--cases", type=Path, default=None, help="a YAML file of cases (default: evals/cases.yaml)"
    )
    evaluate.add_argument("--json", action="store_true", help="print the scorecard as JSON")
    evaluate.set_defaults(func=_eval)

    commands.add_parser(
        "new-token-key", help="print a new key for HUBSPOT_TOKEN_KEYS (OAuth tokens at rest)"
    ).set_defaults(func=_new_token_key)
    commands.add_parser(
        "rotate-token-keys",
        help="re-encrypt stored OAuth tokens with the first HUBSPOT_TOKEN_KEYS key",
    ).set_defaults(func=_rotate_token_keys)
    commands.add_parser(
        "journal",
        help="read each OAuth install's webhooks journal once: act on uninstalls, hand CRM "
        "events to the pipeline",
    ).set_defaults(func=_journal)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    return run(_build_parser(), argv)


def run(parser: argparse.ArgumentParser, argv: Sequence[str] | None) -> int:
    """Parse, configure logging, run the chosen handler; a configuration problem exits 2."""
    args = parser.parse_args(argv)
    handler: Callable[[argparse.Namespace], int] = args.func
    try:
        configure_logging(get_settings())
        return handler(args)
    except SettingsError as exc:
        print(exc, file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
