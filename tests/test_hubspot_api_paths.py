"""Nothing calls HubSpot's legacy CRM paths: /crm/v3 and /crm/v4 go unsupported in 2027."""

import re
import subprocess

from shared.settings import PROJECT_ROOT

LEGACY_PATH = re.compile(r"/crm/v[34]\b")
CODE_SUFFIXES = (".py", ".js", ".json", ".yml", ".yaml", ".toml", ".sql", ".html", ".txt")
# Files that name the legacy paths on purpose: the simulator's tests send them to prove they
# are no longer served, and this file tests its own pattern.
ON_PURPOSE = {"tests/devstack/hubspot_simulator/test_errors.py", "tests/test_hubspot_api_paths.py"}


def tracked_code() -> list[str]:
    listed = subprocess.run(
        ["git", "ls-files"], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    return [
        path
        for path in listed
        if path.endswith(CODE_SUFFIXES) or path.rsplit("/", 1)[-1] in ("Procfile", "Makefile")
    ]


def test_no_code_names_a_legacy_crm_path():
    files = tracked_code()
    offenders = [
        f"{path}:{number}: {line.strip()}"
        for path in files
        if path not in ON_PURPOSE
        for number, line in enumerate((PROJECT_ROOT / path).read_text().splitlines(), 1)
        if LEGACY_PATH.search(line)
    ]

    assert len(files) > 100  # the listing found the project
    assert offenders == []


def test_the_check_would_see_a_legacy_path():
    assert LEGACY_PATH.search('f"{base}/crm/v3/objects/notes"')
    assert LEGACY_PATH.search("POST /crm/v4/associations/notes/contacts/batch/read")
    assert not LEGACY_PATH.search("/crm/objects/2026-03/notes")
