"""hard-surface: 80% or more of a week's known-surface distance on road."""

from __future__ import annotations

from datetime import date

import pytest
from conftest import make_activity

from loadwatch.model import Activity, Surface
from loadwatch.rules import Finding, RuleContext, Severity, hard_surface

ROAD, TRAIL = Surface.ROAD, Surface.TRAIL


def _findings(runs: list[Activity], as_of: date = date(2024, 1, 14)) -> list[Finding]:
    return hard_surface.check(RuleContext.build(runs, as_of))


def _week(road_km: float, other_km: float, other: Surface = TRAIL) -> list[Activity]:
    return [
        make_activity("2024-01-02 07:00", road_km, surface=ROAD),
        make_activity("2024-01-04 07:00", other_km, surface=other),
    ]


def test_exactly_eighty_percent_road_is_info() -> None:
    [finding] = _findings(_week(8.0, 2.0))
    assert finding.severity is Severity.INFO
    assert (finding.value, finding.threshold, finding.unit) == (80.0, 80.0, "%")
    assert (finding.date, finding.week_start) == (date(2024, 1, 7), date(2024, 1, 1))
    assert "grass, trail or track" in finding.advice
    assert "cushioning" in finding.advice
    assert finding.evidence.grade == "C/D"


def test_just_under_eighty_percent_is_quiet() -> None:
    assert _findings(_week(7.9, 2.1)) == []


def test_week_under_ten_km_is_quiet() -> None:
    assert _findings(_week(9.9, 0.0)) == []


def test_only_known_surfaces_count_towards_the_share() -> None:
    runs = _week(8.0, 2.0) + [make_activity("2024-01-06 07:00", 20.0)]
    [finding] = _findings(runs)
    assert finding.value == pytest.approx(80.0)
    assert "10.0 km (6.2 mi) with a known surface" in finding.message


def test_all_unknown_surface_is_quiet() -> None:
    assert _findings([make_activity("2024-01-02 07:00", 30.0)]) == []


def test_caution_when_the_same_week_rose_sharply() -> None:
    runs = [
        make_activity("2024-01-02 07:00", 10.0, surface=ROAD),
        make_activity("2024-01-09 07:00", 14.0, surface=ROAD),
    ]
    first, second = _findings(runs)
    assert (first.week_start, first.severity) == (date(2024, 1, 1), Severity.INFO)
    assert (second.week_start, second.severity) == (date(2024, 1, 8), Severity.CAUTION)
    assert "rose 40%" in second.message


def test_small_rise_within_ten_percent_stays_info() -> None:
    runs = [
        make_activity("2024-01-02 07:00", 10.0, surface=ROAD),
        make_activity("2024-01-09 07:00", 11.0, surface=ROAD),
    ]
    assert [f.severity for f in _findings(runs)] == [Severity.INFO, Severity.INFO]
