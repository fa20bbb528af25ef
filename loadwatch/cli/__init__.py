"""The ``loadwatch`` command: thin wrappers that parse options, call the library, render.

Each command module registers its commands on ``app`` (``cli/typer_app.py``) when it is
imported, which is all this package does.
"""

from __future__ import annotations

from loadwatch.cli import cohort, importing, pain, report, shoes, team, training
from loadwatch.cli.typer_app import app

__all__ = ["app", "cohort", "importing", "main", "pain", "report", "shoes", "team", "training"]


def main() -> None:
    app()
