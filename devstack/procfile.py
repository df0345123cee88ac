"""The Procfile is the one list of the service's processes; the local stack runs it too."""

from __future__ import annotations

from pathlib import Path


def read_procfile(path: Path) -> dict[str, str]:
    entries = {}
    for line in path.read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, command = line.split(":", 1)
            entries[name.strip()] = command.strip()
    return entries


def shell_command(command: str) -> list[str]:
    """Run an entry as platforms do: through a shell (for ${PORT:-...}), exec'd in place so
    signals reach the process itself."""
    return ["bash", "-c", f"exec {command}"]
