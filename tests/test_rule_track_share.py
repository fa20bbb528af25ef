"""track-share: more than a quarter of a week's distance on a track (Hotta 2016)."""

from __future__ import annotations

from datetime import date

import pytest
from helpers.activities import make_activity

from loadwatch.model import Activity, Surface
from loadwatch.rules import Finding, RuleContext, Severity, track_share


def _findings(runs: list[Activity], as_of: date = date(2024, 1, 7)) -> list[Finding]:
    return track_share.check(RuleContext.build(runs, as_of))


def _week(track_km: float, other_km: float) -> list[Activity]:
    return [
        make_activity("2024-01-02 18:00", track_km, surface=Surface.TRACK),
        make_activity("2024-01-04 07:00", other_km),  # unknown surface still counts
    ]


def test_exactly_a_quarter_is_quiet() -> None:
    assert _findings(_week(3.0, 9.0)) == []


def test_over_a_quarter_is_info() -> None:
    [finding] = _findings(_week(3.1, 8.9))
    assert finding.severity is Severity.INFO
    assert finding.value == pytest.approx(3.1 / 12 * 100, abs=0.005)
    assert (finding.threshold, finding.unit) == (25.0, "%")
    assert (finding.date, finding.week_start) == (date(2024, 1, 7), date(2024, 1, 1))
    assert "3.1 km (1.9 mi) on a track" in finding.message
    assert finding.evidence.grade == "C"
    assert "Hotta" in finding.evidence.source


def test_current_week_fires_on_as_of() -> None:
    [finding] = _findings(_week(3.1, 8.9)[:1], as_of=date(2024, 1, 3))
    assert finding.date == date(2024, 1, 3)
    assert finding.value == 100.0
    assert "(so far)" in finding.message


def test_empty_weeks_are_quiet() -> None:
    runs = [make_activity("2024-01-02 07:00", 5.0), make_activity("2024-01-24 07:00", 5.0)]
    assert _findings(runs, as_of=date(2024, 1, 28)) == []
