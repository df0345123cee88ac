"""The review page in Debian's Chromium, driven by Playwright, against the whole local stack.

Skipped, with the way to enable them, where Chromium is missing. Each test's screenshots go
to ``test-output/browser/<test>/`` (or under ``TEST_OUTPUT_DIR``).

Everything here is package-scoped: the stack stops, and Playwright's event loop is closed,
before the rest of the suite runs (a loop left running would break ``asyncio.run`` there).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from devstack.mint import local_user
from devstack.processes import free_port, wait_until
from devstack.stack import DEMO_REP
from tests.browser.supabase_auth import ANON_KEY, Account, running_auth_server
from tests.local_stack import finished_runs, stack_env, start_stack, stop_stack, wait_for_env_file

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEMO_ACTIVITIES = 30
# The flags Chromium needs as root in a container on a closed network.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
HOW_TO_ENABLE = (
    "browser tests skipped: Chromium not found. Install Debian's package "
    "(`sudo apt-get install chromium`) or set CHROMIUM_PATH to a Chromium executable."
)


def chromium_executable() -> str | None:
    return os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")


@pytest.fixture(scope="package")
def chromium_path() -> str:
    path = chromium_executable()
    if not path:
        pytest.skip(HOW_TO_ENABLE)
    return path


@dataclass
class LocalStack:
    env: dict[str, str]
    urls: dict[str, str]
    web_url: str
    supabase_account: Account

    @property
    def simulator_url(self) -> str:
        return self.urls["HUBSPOT_API_BASE"]

    @property
    def database_url(self) -> str:
        return self.urls["DATABASE_URL"]

    def token(self, email: str = DEMO_REP, hours: float = 12) -> str:
        """What a developer does: `python -m devstack token` against the running stack."""
        result = subprocess.run(
            [sys.executable, "-m", "devstack", "token", "--email", email, "--hours", str(hours)],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        return result.stdout.strip()


@pytest.fixture(scope="package")
def supabase_auth() -> Iterator[tuple[str, Account]]:
    account = Account(DEMO_REP, "correct horse battery staple")
    with running_auth_server(account) as url:
        yield url, account


@pytest.fixture(scope="package")
def local_stack(chromium_path, supabase_auth, tmp_path_factory) -> Iterator[LocalStack]:
    """`python -m devstack dev` with its demo portal, every demo activity processed, and sign-in by
    development token or by (a stand-in for) Supabase Auth."""
    supabase_url, account = supabase_auth
    web_port = free_port()
    env = stack_env(
        tmp_path_factory.mktemp("browser-stack"),
        DEVSTACK_WEB_PORT=str(web_port),
        DEVSTACK_FLOWER_PORT=str(free_port()),
        SUPABASE_URL=supabase_url,
        SUPABASE_ANON_KEY=ANON_KEY,
    )
    process = start_stack(env)
    try:
        urls = wait_for_env_file(env, process)
        account.user_id = local_user(urls["DATABASE_URL"], account.email)
        wait_until(
            lambda: finished_runs(urls["DATABASE_URL"]) >= DEMO_ACTIVITIES,
            120,
            "the demo dataset to be processed",
            process,
        )
        yield LocalStack(env, urls, f"http://127.0.0.1:{web_port}", account)
    finally:
        if process.poll() is None:
            stop_stack(process)
        process.kill()


@pytest.fixture(scope="package")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@dataclass
class Visit:
    """A page plus what it did that a test may want to assert on."""

    page: object
    shots_dir: Path
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    shots: int = 0

    def shot(self, step: str) -> Path:
        self.shots += 1
        path = self.shots_dir / f"{self.shots:02d}-{step}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path


@pytest.fixture
def visit(browser, request) -> Iterator[Visit]:
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, timezone_id="UTC", locale="en-US"
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    visit = Visit(page, _shots_dir(request.node.name))
    page.on("console", lambda m: m.type == "error" and visit.console_errors.append(m.text))
    page.on("pageerror", lambda e: visit.page_errors.append(str(e)))
    page.on("dialog", lambda d: (visit.dialogs.append(d.message), d.dismiss()))
    yield visit
    context.close()


def _shots_dir(test_name: str) -> Path:
    root = Path(os.environ.get("TEST_OUTPUT_DIR") or PROJECT_ROOT / "test-output")
    folder = root / "browser" / re.sub(r"[^\w.-]+", "_", test_name)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder
