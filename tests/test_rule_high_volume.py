"""high-volume: more than 40 km in a rolling 7 days, once per calendar week."""

from __future__ import annotations

from datetime import date

import pytest
from helpers.activities import daily_runs, make_activity

from loadwatch.model import Activity
from loadwatch.rules import Finding, RuleContext, Severity, high_volume


def _findings(runs: list[Activity], as_of: date = date(2024, 1, 21)) -> list[Finding]:
    return high_volume.check(RuleContext.build(runs, as_of))


def test_exactly_forty_km_is_quiet() -> None:
    assert _findings(daily_runs("2024-01-01", 4, 10.0)) == []


def test_over_forty_km_is_info_on_the_day_it_is_crossed() -> None:
    runs = daily_runs("2024-01-01", 4, 10.0) + [make_activity("2024-01-05 18:00", 0.1)]
    [finding] = _findings(runs)
    assert finding.severity is Severity.INFO
    assert finding.date == date(2024, 1, 5)
    assert finding.value == pytest.approx(40.1)
    assert (finding.threshold, finding.unit) == (40.0, "km")
    assert "40.1 km (24.9 mi)" in finding.message
    assert "plantar fasciitis" in finding.message
    assert "Plesek" in finding.evidence.source


def test_rolling_window_crosses_calendar_weeks() -> None:
    # 45 km between Thursday and Monday, though neither calendar week passes 40 km
    runs = [
        make_activity("2024-01-04 07:00", 15.0),
        make_activity("2024-01-06 07:00", 15.0),
        make_activity("2024-01-08 07:00", 15.0),
    ]
    [finding] = _findings(runs)
    assert (finding.date, finding.week_start) == (date(2024, 1, 8), date(2024, 1, 8))
    assert finding.value == pytest.approx(45.0)


def test_reported_once_per_calendar_week() -> None:
    # 6 km a day: over 40 km from day 7 onwards, every day
    findings = _findings(daily_runs("2024-01-01", 21, 6.0))
    assert [f.date for f in findings] == [date(2024, 1, 7), date(2024, 1, 8), date(2024, 1, 15)]
