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
