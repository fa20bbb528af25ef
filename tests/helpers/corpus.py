"""The shared corpus of real device files, read in place (never copied).

It lies outside this repository: ``../shared/corpus`` beside the project, or the
folder ``LOADWATCH_CORPUS`` names. Without it the tests that reach it are skipped,
with ``NO_CORPUS`` as the reason (conftest.py's collection hook does that).
"""

from __future__ import annotations

import csv
import os
from pathlib import Path
from zoneinfo import ZoneInfo

from helpers.paths import PROJECT
from loadwatch.ingest.importers import ParseContext

#: the shared corpus sits beside the project; tests read it in place, never copy it
CORPUS = Path(os.environ.get("LOADWATCH_CORPUS") or PROJECT.parent / "shared" / "corpus")
NO_CORPUS = (
    f"needs the shared corpus of real device files at {CORPUS} (absent here; "
    "set LOADWATCH_CORPUS to its folder)"
)


def corpus_expected() -> list[dict[str, str]]:
    """Rows of the corpus's expected.csv (what each file states); none without the corpus.

    Tests parametrized over no rows are skipped by pytest ("got empty parameter set").
    """
    if not (CORPUS / "expected.csv").is_file():
        return []
    with (CORPUS / "expected.csv").open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def corpus_ctx(name: str, zone: str = "UTC") -> ParseContext:
    return ParseContext(source=name, zone=ZoneInfo(zone))
