"""``python -m devstack``: the local stack and the tools around it, for development only.

The service's own commands (``hubspot-ai``) are what production runs; these start embedded
servers, a HubSpot simulator and demo data, and are not part of a deployment.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from devstack.settings import DevstackSettings
from shared.cli import run
from shared.settings import get_settings


def _dev(args: argparse.Namespace) -> int:
    from devstack.stack import run_dev_stack

    return run_dev_stack(only_infra=args.infra_only, load_demo=not args.no_demo)


def _demo(args: argparse.Namespace) -> int:
    from devstack.demo import run_demo, running_stack

    with running_stack(DevstackSettings().dir) as stack:
        return run_demo(
            stack["HUBSPOT_API_BASE"], stack["DATABASE_URL"], args.activities, timeout=args.timeout
        )


def _token(args: argparse.Namespace) -> int:
    from devstack.mint import local_user, mint_token

    settings = get_settings()
    if settings.supabase_jwt_secret is None or settings.database_url is None:
        print("token: needs SUPABASE_JWT_SECRET and DATABASE_URL", file=sys.stderr)
        return 2
    user_id = local_user(settings.database_url, args.email)
    print(
        mint_token(
            settings.supabase_jwt_secret.get_secret_value(),
            user_id,
            args.email,
            args.hours,
            settings.supabase_jwt_issuer,
        )
    )
    return 0


def _simulator(args: argparse.Namespace) -> int:
    from devstack.hubspot_simulator.server import run as serve

    return serve(host=args.host, port=args.port, settings=get_settings())


def _hubspot_app(args: argparse.Namespace) -> int:
    from devstack import hubspot_app

    out = args.out or hubspot_app.PROJECT_DIR
    try:
        written = hubspot_app.write_project(
            out, args.public_url or hubspot_app.PLACEHOLDER_PUBLIC_URL, args.auth
        )
    except ValueError as exc:
        print(f"hubspot-app: {exc}", file=sys.stderr)
        return 2
    print(f"hubspot-app: wrote {', '.join(map(str, written))}")
    return 0


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m devstack",
        description="Local development: the whole stack from pip wheels, a HubSpot simulator, "
        "demo data and approval-API tokens. Not part of a deployment.",
    )
    commands = parser.add_subparsers(dest="command", required=True)

    dev = commands.add_parser("dev", help="run the local stack until Ctrl-C (make run)")
    dev.add_argument("--infra-only", action="store_true", help="only Postgres and Redis")
    dev.add_argument("--no-demo", action="store_true", help="don't send the demo dataset")
    dev.set_defaults(func=_dev)

    demo = commands.add_parser("demo", help="push activities through the local stack")
    demo.add_argument(
        "--activities", type=int, default=30, metavar="N", help="how many (default: 30)"
    )
    demo.add_argument(
        "--timeout", type=float, default=120, help="seconds to wait for them (default: 120)"
    )
    demo.set_defaults(func=_demo)

    token = commands.add_parser("token", help="mint an approval-API token for the local stack")
    token.add_argument(
        "--email", required=True, help="the rep's email; the local user is created on first use"
    )
    token.add_argument(
        "--hours", type=float, default=12, help="how long the token is valid (default: 12)"
    )
    token.set_defaults(func=_token)

    simulator = commands.add_parser("simulator", help="serve the HubSpot simulator alone")
    simulator.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)"
    )
    simulator.add_argument(
        "--port", type=int, default=8090, help="port to listen on (default: 8090)"
    )
    simulator.set_defaults(func=_simulator)

    app = commands.add_parser(
        "hubspot-app", help="write the HubSpot project: our scopes and webhook subscriptions"
    )
    app.add_argument(
        "--public-url",
        help="the receiver's base URL, as WEBHOOK_PUBLIC_BASE_URL (default: a placeholder)",
    )
    app.add_argument("--out", type=Path, help="where to write it (default: hubspot-app/)")
    app.add_argument(
        "--auth",
        choices=["static", "oauth"],
        default="static",
        help="static: one account (the committed project); oauth: installed in many accounts "
        "through /oauth/hubspot/install, as HUBSPOT_AUTH=oauth serves them",
    )
    app.set_defaults(func=_hubspot_app)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    return run(_build_parser(), argv)
