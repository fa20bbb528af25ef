"""The code stays ruff-clean (the project's lint rules live in pyproject.toml)."""

from __future__ import annotations

import subprocess
import sys

from helpers.paths import PROJECT


def test_ruff_finds_nothing() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", str(PROJECT)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        cwd=PROJECT,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_mypy_strict_finds_nothing() -> None:
    # pyproject.toml's settings (strict, the package, the overrides), read from scratch:
    # /dev/null is mypy's "no cache", so no run reads a stale one or leaves a
    # .mypy_cache in the repository
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--no-incremental", "--cache-dir", "/dev/null"],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        cwd=PROJECT,
    )
    assert done.returncode == 0, done.stdout + done.stderr
