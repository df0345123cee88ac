"""HubSpot's own parser (@hubspot/project-parsing-lib, from npm) accepts hubspot-app/.

The library is installed once from the pinned lock file in ``parsing/`` into ``.cache/``
(the only network these tests use); later runs reuse it. It parses offline everything
``hs project upload`` checks locally; the JSON schemas of each component's config are
HubSpot's and need an account, so they are not checked here (see parsing/parse_project.mjs).
"""

import hashlib
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from devstack import hubspot_app
from shared.settings import PROJECT_ROOT

PARSING = Path(__file__).parent / "parsing"
CACHE = PROJECT_ROOT / ".cache" / "hubspot-project-parsing"
MANIFESTS = ("package.json", "package-lock.json")


@pytest.fixture(scope="session")
def parser() -> Path:
    """A folder with the pinned library installed and the parse script beside it."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        pytest.skip("needs Node.js and npm to run HubSpot's project parser (apt-get install npm)")
    folder = CACHE / hashlib.sha256(b"".join(_read(name) for name in MANIFESTS)).hexdigest()[:16]
    if not (folder / "node_modules" / ".installed").exists():
        _install(npm, folder)
    for script in PARSING.glob("*.mjs"):
        shutil.copy(script, folder)
    return folder


def parse(parser: Path, project: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["node", str(parser / "parse_project.mjs"), str(project)],
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_hubspot_parses_every_component_of_the_project(parser):
    result = parse(parser, hubspot_app.PROJECT_DIR)
    assert result.returncode == 0, result.stderr
    parsed = json.loads(result.stdout)
    components = parsed["components"]
    src = hubspot_app.PROJECT_DIR / "src"

    assert parsed["skipped"] == []
    assert {c["file"] for c in components.values()} == {
        path.relative_to(src).as_posix() for path in src.rglob("*-hsmeta.json")
    }
    by_type = {c["type"]: uid for uid, c in components.items()}
    assert by_type.keys() == {"APPLICATION", "WEBHOOKS", "CARD"}
    assert components[by_type["WEBHOOKS"]]["dependencies"]["app"] == by_type["APPLICATION"]
    assert components[by_type["CARD"]]["dependencies"]["app"] == by_type["APPLICATION"]


def test_the_parser_reports_what_hubspot_would_refuse(parser, tmp_path):
    project = tmp_path / "hubspot-app"
    shutil.copytree(hubspot_app.PROJECT_DIR, project, ignore=shutil.ignore_patterns("node_modules"))
    meta = project / hubspot_app.WEBHOOKS_FILE
    document = json.loads(meta.read_text())
    document["subscriptions"] = document["config"].pop("subscriptions")  # outside config
    meta.write_text(json.dumps(document))

    result = parse(parser, project)

    assert result.returncode == 1
    assert "Unexpected top-level properties found: subscriptions" in result.stderr


def _read(name: str) -> bytes:
    return (PARSING / name).read_bytes()


def _install(npm: str, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name in MANIFESTS:
        shutil.copy(PARSING / name, folder)
    command = [npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund"]
    command += ["--cache", str(CACHE / "npm")]  # npm's own download cache, kept beside it
    env = {**os.environ, "npm_config_update_notifier": "false"}
    done = subprocess.run(command, cwd=folder, env=env, capture_output=True, text=True, timeout=100)
    if done.returncode != 0:
        pytest.fail(f"npm ci of HubSpot's project parser failed:\n{done.stderr}")
    (folder / "node_modules" / ".installed").touch()


def test_hubspot_parses_the_oauth_variant(parser, tmp_path):
    hubspot_app.write_project(tmp_path, "https://ai.example.org", "oauth")

    result = parse(parser, tmp_path)

    assert result.returncode == 0, result.stderr
    types = {c["type"] for c in json.loads(result.stdout)["components"].values()}
    assert types == {"APPLICATION", "WEBHOOKS", "CARD"}
