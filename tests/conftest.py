"""Shared fixtures: the real-device corpus (read in place) and activity factories.

Two things a test may need lie outside this repository: the shared corpus of real
device files (``../shared/corpus``, or ``LOADWATCH_CORPUS``) and Debian's
``chromium``. Without them those tests are skipped, each with its reason, so a
fresh clone's test command passes. CI sets ``LOADWATCH_REQUIRE_ALL=1``, under
which any skip is a failure: there the whole suite must run.
"""

from __future__ import annotations

import csv
import inspect
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from loadwatch.ingest.importers import ParseContext
from loadwatch.model import Activity, Sport, Surface, activity_id

PROJECT = Path(__file__).resolve().parent.parent
#: the shared corpus sits beside the project; tests read it in place, never copy it
CORPUS = Path(os.environ.get("LOADWATCH_CORPUS") or PROJECT.parent / "shared" / "corpus")
SAMPLE = PROJECT / "sample_activities"
#: CI's switch: a skipped test fails instead (see the module's docstring)
REQUIRE_ALL = os.environ.get("LOADWATCH_REQUIRE_ALL", "") not in ("", "0")
NO_CORPUS = (
    f"needs the shared corpus of real device files at {CORPUS} (absent here; "
    "set LOADWATCH_CORPUS to its folder)"
)
#: how a test (or a fixture it uses) reaches the corpus
_CORPUS_WORDS = ("CORPUS", "corpus_expected", "corpus_ctx", "corpus_dir")


def corpus_expected() -> list[dict[str, str]]:
    """Rows of the corpus's expected.csv (what each file states); none without the corpus.

    Tests parametrized over no rows are skipped by pytest ("got empty parameter set").
    """
    if not (CORPUS / "expected.csv").is_file():
        return []
    with (CORPUS / "expected.csv").open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _reaches_corpus(item: pytest.Item) -> bool:
    if item.get_closest_marker("corpus"):
        return True
    # a module names its own constants made from the corpus in CORPUS_DERIVED
    words = _CORPUS_WORDS + tuple(getattr(getattr(item, "module", None), "CORPUS_DERIVED", ()))
    functions = [getattr(item, "function", None)]
    info = getattr(item, "_fixtureinfo", None)
    if info is not None:
        functions += [d.func for defs in info.name2fixturedefs.values() for d in defs]
        if "corpus" in info.names_closure:
            return True
    for function in functions:
        try:
            source = inspect.getsource(function) if function else ""
        except (OSError, TypeError):
            continue
        if any(word in source for word in words):
            return True
    return False


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    if CORPUS.is_dir():
        return
    for item in items:
        empty = any(
            str(m.kwargs.get("reason", "")).startswith("got empty parameter set")
            for m in item.iter_markers("skip")
        )
        if empty or _reaches_corpus(item):
            # first, so the reason shown is this one rather than "empty parameter set"
            item.add_marker(pytest.mark.skip(reason=NO_CORPUS), append=False)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    outcome = yield
    report = outcome.get_result()
    if REQUIRE_ALL and report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.outcome = "failed"
        report.longrepr = f"LOADWATCH_REQUIRE_ALL is set, so this may not be skipped: {reason}"


def corpus_ctx(name: str, zone: str = "UTC") -> ParseContext:
    return ParseContext(source=name, zone=ZoneInfo(zone))


@pytest.fixture
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.skip(NO_CORPUS)
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
