"""Vendor supabase-js for the review page: one file from the npm registry, checked, no CDN.

    .venv/bin/python -m devstack.vendor            # (re)write webhook_receiver/static/vendor

The browser build (``dist/umd/supabase.js``) and the licence are taken from the package's
tarball after checking it against the registry's published sha512, and ``SOURCE.json``
records where they came from plus the file's sha256, which a test holds the file to.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import sys
import tarfile
from pathlib import Path

import httpx

from shared.settings import PROJECT_ROOT

PACKAGE = "@supabase/supabase-js"
VERSION = "2.119.1"
REGISTRY = "https://registry.npmjs.org"
VENDOR_DIR = PROJECT_ROOT / "webhook_receiver" / "static" / "vendor" / "supabase-js"
MEMBERS = {"package/dist/umd/supabase.js": "supabase.js", "package/LICENSE": "LICENSE"}


def vendor_supabase(target: Path = VENDOR_DIR) -> dict[str, str]:
    metadata = _get(f"{REGISTRY}/{PACKAGE}/{VERSION}").json()
    tarball = _get(metadata["dist"]["tarball"]).content
    integrity = metadata["dist"]["integrity"]
    _check_integrity(tarball, integrity)
    target.mkdir(parents=True, exist_ok=True)
    with tarfile.open(fileobj=io.BytesIO(tarball), mode="r:gz") as archive:
        for member, name in MEMBERS.items():
            extracted = archive.extractfile(member)
            if extracted is None:
                raise RuntimeError(f"{member} is not a file in {PACKAGE}@{VERSION}")
            (target / name).write_bytes(extracted.read())
    source = {
        "package": PACKAGE,
        "version": VERSION,
        "tarball": metadata["dist"]["tarball"],
        "integrity": integrity,
        "file": "supabase.js",
        "sha256": hashlib.sha256((target / "supabase.js").read_bytes()).hexdigest(),
    }
    (target / "SOURCE.json").write_text(json.dumps(source, indent=2) + "\n")
    return source


def _get(url: str) -> httpx.Response:
    answer = httpx.get(url, timeout=60, follow_redirects=True)
    answer.raise_for_status()
    return answer


def _check_integrity(tarball: bytes, integrity: str) -> None:
    algorithm, _, expected = integrity.partition("-")
    if algorithm != "sha512":
        raise RuntimeError(f"unexpected integrity algorithm {algorithm!r}")
    actual = base64.b64encode(hashlib.sha512(tarball).digest()).decode()
    if actual != expected:
        raise RuntimeError(f"{PACKAGE}@{VERSION}: tarball does not match the registry's sha512")


def main() -> int:
    source = vendor_supabase()
    print(f"vendored {source['package']}@{source['version']} into {VENDOR_DIR}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
