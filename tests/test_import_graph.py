"""The package's import graph, read with ``ast`` (nothing is imported to build it).

An edge is a module-level import between two modules of ``loadwatch``: imports
inside functions (deferred on purpose) and under ``if TYPE_CHECKING:`` (never run)
are not edges. ``from pkg import name`` is an edge to ``pkg.name`` when that is a
submodule, else to ``pkg``; relative imports are resolved. No edge is added from a
module to the packages above it: Python runs a parent's ``__init__`` first, which
is what every ``__init__`` that imports its own submodules relies on.

Two things must hold: the graph has no cycle (a module that needs a name from a
module still being initialised fails, or works only in one import order), and no
``__init__.py`` imports after code (a submodule imported at the bottom of an
``__init__`` is a cycle kept working by hand).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from helpers.paths import PROJECT

PACKAGE = "loadwatch"
ROOT = PROJECT / PACKAGE


def module_name(path: Path) -> str:
    parts = path.relative_to(PROJECT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


#: every module of the package, by dotted name
MODULES = {module_name(path): path for path in sorted(ROOT.rglob("*.py"))}


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    line: int

    def __str__(self) -> str:
        path = MODULES[self.source].relative_to(PROJECT)
        return f"{self.source} -> {self.target} ({path}:{self.line})"


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def module_level_imports(statements: list[ast.stmt]) -> Iterator[ast.Import | ast.ImportFrom]:
    """The imports that run when the module is imported: not in functions, not for typing."""
    for node in statements:
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        elif isinstance(node, ast.If) and _is_type_checking(node.test):
            yield from module_level_imports(node.orelse)
        else:
            # class bodies, try/except, if/else, with, loops: all run at import time
            for field in ("body", "orelse", "finalbody", "handlers", "cases"):
                for child in getattr(node, field, None) or ():
                    if isinstance(child, ast.ExceptHandler | ast.match_case):
                        yield from module_level_imports(child.body)
                    elif isinstance(child, ast.stmt):
                        yield from module_level_imports([child])


def _resolve(name: str, node: ast.ImportFrom) -> str | None:
    """The absolute module a ``from`` import names (relative imports resolved)."""
    if node.level == 0:
        return node.module
    is_package = MODULES[name].name == "__init__.py"
    parts = name.split(".") if is_package else name.split(".")[:-1]
    if node.level - 1 > len(parts):
        return None
    base = parts[: len(parts) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _known(dotted: str) -> str | None:
    """``dotted`` or its longest prefix that is a module of the package."""
    parts = dotted.split(".")
    while parts:
        candidate = ".".join(parts)
        if candidate in MODULES:
            return candidate
        parts.pop()
    return None


def edges_of(name: str) -> list[Edge]:
    tree = ast.parse(MODULES[name].read_text(encoding="utf-8"), str(MODULES[name]))
    found: list[Edge] = []
    for node in module_level_imports(tree.body):
        targets: list[str | None] = []
        if isinstance(node, ast.Import):
            targets = [_known(alias.name) for alias in node.names]
        else:
            base = _resolve(name, node)
            if base is None or not (base == PACKAGE or base.startswith(PACKAGE + ".")):
                continue
            for alias in node.names:
                submodule = f"{base}.{alias.name}"
                targets.append(submodule if submodule in MODULES else _known(base))
        found += [Edge(name, t, node.lineno) for t in targets if t is not None and t != name]
    # one edge per target module, at its first import
    return list({edge.target: edge for edge in reversed(found)}.values())[::-1]


def import_graph() -> dict[str, list[Edge]]:
    return {name: edges_of(name) for name in MODULES}


def find_cycles(graph: dict[str, list[Edge]]) -> list[list[Edge]]:
    """One cycle (as its edges) for each strongly connected group of modules (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for edge in graph[node]:
            if edge.target not in index:
                visit(edge.target)
                low[node] = min(low[node], low[edge.target])
            elif edge.target in on_stack:
                low[node] = min(low[node], index[edge.target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return [_cycle_within(graph, set(group), group[0]) for group in groups]


def _cycle_within(graph: dict[str, list[Edge]], group: set[str], start: str) -> list[Edge]:
    """A shortest path from ``start`` back to itself inside its group (breadth first)."""
    came_by: dict[str, Edge] = {}
    frontier = [start]
    while frontier:
        following = []
        for node in frontier:
            for edge in graph[node]:
                if edge.target not in group or edge.target in came_by:
                    continue
                came_by[edge.target] = edge
                if edge.target == start:
                    path = [edge]
                    while path[0].source != start:
                        path.insert(0, came_by[path[0].source])
                    return path
                following.append(edge.target)
        frontier = following
    raise AssertionError(f"no cycle through {start}")  # pragma: no cover - Tarjan said so


def _shown(path: Path) -> str:
    return str(path.relative_to(PROJECT)) if path.is_relative_to(PROJECT) else path.name


def _first_line(node: ast.stmt) -> str:
    return ast.unparse(node).splitlines()[0][:70]


def imports_after_code(path: Path) -> list[str]:
    """Module-level imports of a file that come after a statement that is not an import.

    The docstring and ``from __future__`` come first by the language's rules;
    ``__all__`` and other assignments after the imports are fine. An import nested
    in a later statement (``try``, ``if``) is as late as a plain one.
    """
    body = ast.parse(path.read_text(encoding="utf-8"), str(path)).body
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body = body[1:]  # the docstring
    late: list[str] = []
    code: ast.stmt | None = None
    for node in body:
        if isinstance(node, ast.Import | ast.ImportFrom):
            imports: list[ast.Import | ast.ImportFrom] = [node]
        elif isinstance(node, ast.If) and _is_type_checking(node.test):
            imports = list(module_level_imports(node.body))  # imports for typing only
        elif code is None:
            code = node
            continue
        else:
            imports = list(module_level_imports([node]))
        if code is not None:
            late += [
                f"{_shown(path)}:{i.lineno}: {_first_line(i)} "
                f"(after line {code.lineno}: {_first_line(code)})"
                for i in imports
            ]
    return late


# --- the checker itself, on small graphs and files --------------------------------------


def _graph(*pairs: str) -> dict[str, list[Edge]]:
    graph: dict[str, list[Edge]] = {}
    for pair in pairs:
        source, target = pair.split(">")
        graph.setdefault(source, []).append(Edge(source, target, 1))
        graph.setdefault(target, [])
    return graph


def test_cycles_are_found_and_shown_as_a_path() -> None:
    assert find_cycles(_graph("a>b", "b>c", "a>c")) == []
    [cycle] = find_cycles(_graph("a>b", "b>c", "c>a", "c>d"))
    assert [(e.source, e.target) for e in cycle] == [("a", "b"), ("b", "c"), ("c", "a")]
    assert len(find_cycles(_graph("a>b", "b>a", "c>d", "d>c"))) == 2


def test_a_late_import_in_an_init_is_found(tmp_path: Path) -> None:
    good, bad = tmp_path / "good.py", tmp_path / "bad.py"
    good.write_text('"""Doc."""\nfrom __future__ import annotations\nimport os\n__all__ = ["os"]\n')
    bad.write_text(
        '"""Doc."""\nimport os\nVALUE = 1\nfrom loadwatch import cli\n'
        "try:\n    import json\nexcept ImportError:\n    json = None\n"
    )
    assert imports_after_code(good) == []
    assert imports_after_code(bad) == [
        "bad.py:4: from loadwatch import cli (after line 3: VALUE = 1)",
        "bad.py:6: import json (after line 3: VALUE = 1)",
    ]


def test_deferred_and_typing_imports_are_not_edges() -> None:
    tree = ast.parse(
        "from typing import TYPE_CHECKING\n"
        "import a\n"
        "if TYPE_CHECKING:\n    import b\nelse:\n    import c\n"
        "try:\n    import d\nexcept ImportError:\n    import e\n"
        "def f():\n    import g\n"
        "class K:\n    import h\n"
    )
    found = [alias.name for node in module_level_imports(tree.body) for alias in node.names]
    assert found == ["TYPE_CHECKING", "a", "c", "d", "e", "h"]


def test_relative_and_submodule_imports_resolve() -> None:
    # from a package's __init__, "." is the package; from a module, its parent package
    node = ast.parse("from . import pipeline").body[0]
    assert isinstance(node, ast.ImportFrom)
    assert _resolve("loadwatch.ingest", node) == "loadwatch.ingest"
    assert _resolve("loadwatch.ingest.cache", node) == "loadwatch.ingest"
    assert "loadwatch.ingest.importers.fit" in MODULES
    edges = {(e.source, e.target) for edges in import_graph().values() for e in edges}
    # loadwatch/cli/__init__.py: "from loadwatch.cli import cohort" names a submodule
    assert ("loadwatch.cli", "loadwatch.cli.cohort") in edges


# --- the package ------------------------------------------------------------------------


def test_the_graph_covers_the_package() -> None:
    graph = import_graph()
    assert len(graph) == len(MODULES) > 50
    assert sum(len(edges) for edges in graph.values()) > 100


def test_the_package_has_no_import_cycle() -> None:
    cycles = find_cycles(import_graph())
    shown = "\n\n".join(" ->\n".join(str(edge) for edge in cycle) for cycle in cycles)
    assert not cycles, f"{len(cycles)} import cycle(s) in {PACKAGE}:\n{shown}"


@pytest.mark.parametrize(
    "path", [p for p in MODULES.values() if p.name == "__init__.py"], ids=module_name
)
def test_no_init_imports_after_code(path: Path) -> None:
    late = imports_after_code(path)
    assert not late, "imports below code in an __init__:\n" + "\n".join(late)
