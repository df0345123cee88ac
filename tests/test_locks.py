"""The lock files (`make lock`) stay in step with pyproject.toml: every requirement pinned at
a version it allows, every pin checked by hash, nothing for development in the image."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from shared.settings import PROJECT_ROOT

PRODUCTION_LOCK = PROJECT_ROOT / "requirements.txt"
DEVELOPMENT_LOCK = PROJECT_ROOT / "requirements-dev.txt"
# Test tools that production needs as well (hubspot-api-client and tiktoken use requests).
ALSO_IN_PRODUCTION = {"requests"}


@dataclass
class Pin:
    name: str
    version: str
    hashes: int = 0


def project() -> dict:
    return tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())["project"]


def dependencies() -> list[Requirement]:
    return [Requirement(text) for text in project()["dependencies"]]


def extras(*names: str) -> list[Requirement]:
    optional = project()["optional-dependencies"]
    return [Requirement(text) for name in names for text in optional[name]]


def pins(lock: Path) -> list[Pin]:
    """Every `name==version` line of a lock, with the number of hashes that follow it."""
    found: list[Pin] = []
    for line in lock.read_text().splitlines():
        if line.lstrip().startswith("--hash="):
            found[-1].hashes += 1
        elif line and not line[0].isspace() and not line.startswith("#"):
            requirement = Requirement(line.removesuffix("\\"))
            (specifier,) = requirement.specifier
            assert specifier.operator == "==", f"{line} is not pinned"
            found.append(Pin(canonicalize_name(requirement.name), specifier.version))
    return found


def versions(lock: Path) -> dict[str, set[str]]:
    """Each package's pinned versions (a universal lock may pin two, under markers)."""
    pinned: dict[str, set[str]] = {}
    for pin in pins(lock):
        pinned.setdefault(pin.name, set()).add(pin.version)
    return pinned


def unmet(wanted: list[Requirement], lock: Path) -> list[str]:
    pinned = versions(lock)
    return [
        f"{requirement} (locked: {sorted(pinned.get(name, [])) or 'missing'})"
        for requirement in wanted
        for name in [canonicalize_name(requirement.name)]
        if not pinned.get(name)
        or not all(requirement.specifier.contains(v, prereleases=True) for v in pinned[name])
    ]


def test_the_production_lock_pins_every_dependency_as_pyproject_allows():
    assert unmet(dependencies(), PRODUCTION_LOCK) == [], "run `make lock`"


def test_the_development_lock_pins_every_dependency_and_extra_as_pyproject_allows():
    wanted = dependencies() + extras("dev", "test")
    assert unmet(wanted, DEVELOPMENT_LOCK) == [], "run `make lock`"


@pytest.mark.parametrize("lock", [PRODUCTION_LOCK, DEVELOPMENT_LOCK], ids=lambda p: p.name)
def test_every_pin_carries_hashes(lock):
    assert [pin.name for pin in pins(lock) if not pin.hashes] == []


def test_the_image_gets_nothing_for_development():
    development = {canonicalize_name(r.name) for r in extras("dev", "test")}
    assert development & set(versions(PRODUCTION_LOCK)) == ALSO_IN_PRODUCTION


def test_development_runs_the_versions_production_ships():
    production, development = versions(PRODUCTION_LOCK), versions(DEVELOPMENT_LOCK)
    assert {name: development.get(name) for name in production} == production


def test_a_pin_out_of_range_or_missing_is_reported(tmp_path):
    lock = tmp_path / "requirements.txt"
    lock.write_text("flask==2.3.3 \\\n    --hash=sha256:0123\n")
    wanted = [Requirement("Flask>=3.0,<4"), Requirement("celery[redis]>=5.4")]

    assert unmet(wanted, lock) == [
        "Flask<4,>=3.0 (locked: ['2.3.3'])",
        "celery[redis]>=5.4 (locked: missing)",
    ]
