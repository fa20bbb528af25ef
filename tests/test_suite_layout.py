"""The suite's own layout: helpers are a package, conftest.py is fixtures and hooks only."""

from __future__ import annotations

import ast
from pathlib import Path

from helpers.paths import PROJECT

TESTS = PROJECT / "tests"


def _imported_modules(path: Path) -> list[tuple[int, str]]:
    """Every module a file imports (at any depth: inside functions too), with its line."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
    return found


def test_no_test_file_imports_conftest() -> None:
    files = sorted(TESTS.glob("*.py")) + sorted((TESTS / "helpers").glob("*.py"))
    assert len(files) > 60
    offenders = [
        f"{path.relative_to(PROJECT)}:{line}: imports {module}"
        for path in files
        for line, module in _imported_modules(path)
        if module == "conftest" or module.startswith("conftest.")
    ]
    assert not offenders, "import from the helpers package instead:\n" + "\n".join(offenders)


def test_conftest_keeps_only_fixtures_and_hooks() -> None:
    tree = ast.parse((TESTS / "conftest.py").read_text(encoding="utf-8"))
    others = []
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            decorators = ast.unparse(node.decorator_list) if node.decorator_list else ""
            hook = node.name.startswith("pytest_")
            private = node.name.startswith("_")
            if not (hook or private or "pytest.fixture" in decorators):
                others.append(node.name)
    assert not others, f"helpers belong in tests/helpers/, not conftest.py: {others}"
