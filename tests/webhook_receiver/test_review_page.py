"""The review page's shell, settings and static files, as served by the web process.

Behaviour in a real browser is in tests/browser; these check what must hold for every
response: the policy that forbids inline script, no script anywhere but our own files, and
scripts that never hand data to an HTML parser.
"""

import hashlib
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from shared.settings import get_settings
from webhook_receiver import create_app

STATIC = Path(__file__).resolve().parents[2] / "webhook_receiver" / "static"
VENDORED = STATIC / "vendor" / "supabase-js"
# DOM sinks that parse a string as HTML or code.
HTML_SINKS = re.compile(
    r"innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function|"
    r"createContextualFragment|setHTMLUnsafe"
)


class Scripts(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[dict[str, str | None]] = []
        self.inline: list[str] = []
        self.handlers: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.handlers += [name for name, _ in attrs if name.startswith("on")]
        if tag == "script":
            self.scripts.append(dict(attrs))
            self._in_script = True

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.inline.append(data)


def test_root_leads_to_the_review_page(client):
    answer = client.get("/")

    assert answer.status_code == 302
    assert answer.headers["Location"].endswith("/review/")


def test_the_page_loads_only_its_own_scripts_and_forbids_inline_ones(client):
    answer = client.get("/review/")

    assert answer.status_code == 200
    policy = answer.headers["Content-Security-Policy"]
    assert "script-src 'self';" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "object-src 'none'" in policy and "frame-ancestors 'none'" in policy
    page = Scripts()
    page.feed(answer.get_data(as_text=True))
    assert page.inline == [] and page.handlers == []
    assert [s["src"] for s in page.scripts] == ["/static/review/app.js"]
    assert answer.headers["X-Content-Type-Options"] == "nosniff"


def test_every_response_carries_the_policy(client):
    assert "Content-Security-Policy" in client.get("/healthz").headers
    assert "Content-Security-Policy" in client.get("/static/review/app.js").headers


def test_the_token_sign_in_is_offered_in_development_only(client, redis_url, monkeypatch):
    assert client.get("/review/config.json").get_json() == {
        "supabase": None,
        "dev_sign_in": False,
    }
    monkeypatch.setenv("APP_ENV", "development")
    get_settings.cache_clear()
    try:
        config = create_app().test_client().get("/review/config.json").get_json()
    finally:
        get_settings.cache_clear()

    assert config == {"supabase": None, "dev_sign_in": True}


def test_supabase_sign_in_is_offered_when_configured(redis_url, monkeypatch):
    monkeypatch.setenv("SUPABASE_URL", "https://demo-project.supabase.co")
    monkeypatch.setenv("SUPABASE_ANON_KEY", "public-anon-key")
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.setenv("HUBSPOT_CLIENT_SECRET", "secret")
    monkeypatch.setenv("HUBSPOT_ACCESS_TOKEN", "token")
    monkeypatch.setenv("SUPABASE_SERVICE_ROLE_KEY", "service-role")
    get_settings.cache_clear()
    try:
        client = create_app().test_client()
        config = client.get("/review/config.json").get_json()
        policy = client.get("/review/").headers["Content-Security-Policy"]
    finally:
        get_settings.cache_clear()

    assert config == {
        "supabase": {"url": "https://demo-project.supabase.co", "anon_key": "public-anon-key"},
        "dev_sign_in": False,
    }
    assert "connect-src 'self' https://demo-project.supabase.co;" in policy


@pytest.mark.parametrize("script", sorted((STATIC / "review").glob("*.js")), ids=lambda p: p.name)
def test_our_scripts_never_parse_data_as_html(script):
    assert HTML_SINKS.findall(script.read_text()) == []


def test_the_vendored_supabase_js_is_the_registry_file_it_claims_to_be():
    source = json.loads((VENDORED / "SOURCE.json").read_text())
    body = (VENDORED / source["file"]).read_bytes()

    assert source["package"] == "@supabase/supabase-js"
    assert hashlib.sha256(body).hexdigest() == source["sha256"]
    assert source["integrity"].startswith("sha512-")
    assert (VENDORED / "LICENSE").read_text().startswith("MIT License")


def test_static_files_are_served(client):
    for path in ("/static/review/style.css", "/static/vendor/supabase-js/supabase.js"):
        assert client.get(path).status_code == 200, path
