"""Run every benchmark in bench/ and finish with one table of their headline numbers.

    .venv/bin/python bench/summary.py [--quick]      (what `make bench` runs)

Each script prints its own detailed tables as it goes and marks its headline rows with
``SUMMARY |``; those rows are gathered into the closing table. The exit status is non-zero
when a script failed (a target missed is a FAIL in the table, not an error).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def run(script: Path, extra: list[str]) -> tuple[int, list[str]]:
    process = subprocess.Popen(
        [sys.executable, str(script), *extra], stdout=subprocess.PIPE, text=True
    )
    assert process.stdout is not None
    rows = []
    for line in process.stdout:
        if line.startswith("SUMMARY |"):
            rows.append(line.removeprefix("SUMMARY").strip())
        else:
            print(line, end="", flush=True)
    return process.wait(), rows


def main() -> int:
    extra = sys.argv[1:]
    failures, rows = [], []
    for script in sorted(HERE.glob("bench_*.py")):
        print(f"\n=== {script.name} {' '.join(extra)}".rstrip(), flush=True)
        code, found = run(script, extra)
        rows += found
        if code != 0:
            failures.append(f"{script.name} exited with {code}")
    print("\n## Summary\n")
    print("| measurement | result | target | |")
    print("|---|---|---|---|")
    for row in rows:
        print(row)
    for failure in failures:
        print(f"\n{failure}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
