"""Shared fixtures: the real-device corpus (read in place) and activity factories."""

from __future__ import annotations

import csv
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from loadwatch.importers import ParseContext
from loadwatch.model import Activity, Sport, Surface, activity_id

PROJECT = Path(__file__).resolve().parent.parent
#: the shared corpus sits beside the project; tests read it in place, never copy it
CORPUS = PROJECT.parent / "shared" / "corpus"
SAMPLE = PROJECT / "sample_activities"


def corpus_expected() -> list[dict[str, str]]:
    """Rows of the corpus's expected.csv (what each file states)."""
    with (CORPUS / "expected.csv").open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def corpus_ctx(name: str, zone: str = "UTC") -> ParseContext:
    return ParseContext(source=name, zone=ZoneInfo(zone))


@pytest.fixture
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.fail(f"the shared corpus is missing at {CORPUS}")
    return CORPUS


def make_activity(
    start: datetime | str,
    distance_km: float | None = 5.0,
    *,
    sport: Sport = Sport.RUN,
    surface: Surface = Surface.UNKNOWN,
    duration_s: float | None = None,
    zone: str = "UTC",
    **overrides: Any,
) -> Activity:
    """An activity for rule and table tests; ``start`` is local wall time in ``zone``."""
    if isinstance(start, str):
        start = datetime.fromisoformat(start)
    local = start.replace(tzinfo=None)
    start_utc = local.replace(tzinfo=ZoneInfo(zone)).astimezone(UTC)
    distance_m = None if distance_km is None else distance_km * 1000.0
    if duration_s is None and distance_m is not None:
        duration_s = distance_m / 1000.0 * 330.0  # 5:30 per km
    values: dict[str, Any] = {
        "id": activity_id(start_utc),
        "source": f"test/{activity_id(start_utc)}.fit",
        "format": "fit",
        "sport": sport,
        "surface": surface,
        "start_utc": start_utc,
        "start_local": local,
        "distance_m": distance_m,
        "duration_s": duration_s,
        "elapsed_s": duration_s,
    }
    values.update(overrides)
    return Activity(**values)


def daily_runs(first: str, days: int, km: float, every: int = 1, **kw: Any) -> list[Activity]:
    """A run of ``km`` every ``every`` days at 07:00, starting on ``first``."""
    start = datetime.fromisoformat(first).replace(hour=7)
    return [make_activity(start + timedelta(days=d), km, **kw) for d in range(0, days, every)]


@pytest.fixture(autouse=True)
def wide_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Prose wraps to the terminal; content checks read whole sentences from a wide one.

    The layout at 80 and 120 columns has tests of its own (``test_cli_width``), which
    set COLUMNS themselves.
    """
    monkeypatch.setenv("COLUMNS", "250")
