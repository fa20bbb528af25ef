"""weekly-increase: calendar week against the week before, from a 10 km base."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from conftest import make_activity

from loadwatch.model import Activity
from loadwatch.rules import Finding, RuleContext, Severity, weekly_increase


def _findings(runs: list[Activity], as_of: date, **kw: Any) -> list[Finding]:
    return weekly_increase.check(RuleContext.build(runs, as_of, **kw))


def _two_weeks(first_km: float, second_km: float) -> list[Activity]:
    """First week (from Monday 1 January 2024) then the second, each as two runs."""
    return [
        make_activity("2024-01-02 07:00", first_km / 2),
        make_activity("2024-01-06 07:00", first_km / 2),
        make_activity("2024-01-09 07:00", second_km / 2),
        make_activity("2024-01-13 07:00", second_km / 2),
    ]


END = date(2024, 1, 14)


def test_exactly_ten_percent_is_not_flagged() -> None:
    assert _findings(_two_weeks(10.0, 11.0), END) == []


def test_just_over_ten_percent_is_a_caution_dated_on_the_week_end() -> None:
    [finding] = _findings(_two_weeks(10.0, 11.1), END)
    assert finding.severity is Severity.CAUTION
    assert finding.value == pytest.approx(11.0)
    assert (finding.threshold, finding.unit) == (10.0, "%")
    assert (finding.date, finding.week_start) == (date(2024, 1, 14), date(2024, 1, 8))
    assert "11.1 km (6.9 mi)" in finding.message
    assert "10.0 km (6.2 mi)" in finding.message
    # says plainly how weak the 10% figure is and where the stronger signal lies
    assert "tradition with weak evidence" in finding.message
    assert "more than 30%" in finding.message
    assert finding.evidence.grade == "A (null)"
    assert "Buist" in finding.evidence.source
    assert finding.activity_id is None


def test_exactly_thirty_percent_is_still_a_caution() -> None:
    [finding] = _findings(_two_weeks(10.0, 13.0), END)
    assert finding.severity is Severity.CAUTION
    assert finding.value == pytest.approx(30.0)


def test_over_thirty_percent_is_a_warning() -> None:
    [finding] = _findings(_two_weeks(10.0, 13.1), END)
    assert finding.severity is Severity.WARNING
    assert finding.threshold == 30.0
    assert "tradition with weak evidence" in finding.message
    assert "physiotherapist, GP or podiatrist" in finding.advice
    assert "ice" in finding.advice and "plantar fascia" in finding.advice
    assert "Nielsen" in finding.evidence.source


def test_below_the_ten_km_base_nothing_fires() -> None:
    # 3 -> 5 miles is +67% but from a tiny base
    assert _findings(_two_weeks(3 * 1.609344, 5 * 1.609344), END) == []
    assert _findings(_two_weeks(9.9, 30.0), END) == []


def test_base_of_exactly_ten_km_counts() -> None:
    [finding] = _findings(_two_weeks(10.0, 20.0), END)
    assert finding.severity is Severity.WARNING
    assert finding.value == pytest.approx(100.0)


def test_a_drop_or_a_flat_week_is_quiet() -> None:
    assert _findings(_two_weeks(20.0, 20.0), END) == []
    assert _findings(_two_weeks(20.0, 5.0), END) == []


def test_current_partial_week_fires_as_soon_as_it_exceeds() -> None:
    runs = _two_weeks(20.0, 0.0)[:2] + [make_activity("2024-01-08 07:00", 23.0)]
    [finding] = _findings(runs, date(2024, 1, 9))  # Tuesday of the second week
    assert finding.severity is Severity.CAUTION
    assert finding.date == date(2024, 1, 9)  # as_of, not the week's future end
    assert finding.week_start == date(2024, 1, 8)
    assert "(so far)" in finding.message


def test_partial_week_not_yet_over_is_quiet() -> None:
    runs = _two_weeks(20.0, 0.0)[:2] + [make_activity("2024-01-08 07:00", 21.0)]
    assert _findings(runs, date(2024, 1, 9)) == []


def test_sunday_2330_run_counts_for_its_local_week() -> None:
    # 10 km in week 1; week 2 has 10 km plus a 5 km run at 23:30 on Sunday local time
    # in New York, which is Monday in UTC. Locally week 2 is 15 km: +50%.
    runs = [
        make_activity("2024-01-03 07:00", 10.0, zone="America/New_York"),
        make_activity("2024-01-10 07:00", 10.0, zone="America/New_York"),
        make_activity("2024-01-14 23:30", 5.0, zone="America/New_York"),
    ]
    [finding] = _findings(runs, date(2024, 1, 15))
    assert finding.week_start == date(2024, 1, 8)
    assert finding.value == pytest.approx(50.0)


def test_sunday_week_start() -> None:
    # weeks Sun 31 Dec - Sat 6 Jan and Sun 7 Jan - Sat 13 Jan
    runs = [
        make_activity("2023-12-31 07:00", 10.0),
        make_activity("2024-01-07 07:00", 12.0),
    ]
    [finding] = _findings(runs, date(2024, 1, 13), week_start="sunday")
    assert (finding.week_start, finding.date) == (date(2024, 1, 7), date(2024, 1, 13))
    assert finding.value == pytest.approx(20.0)
    # Monday weeks put both runs' weeks differently: 31 Dec is in the week of 25 Dec
    [monday] = _findings(runs, date(2024, 1, 14))
    assert monday.week_start == date(2024, 1, 1)


def test_parameters_override_the_defaults() -> None:
    runs = _two_weeks(6.0, 9.0)
    params = {"weekly-increase": {"min_base_km": 5.0, "warning_pct": 60.0}}
    [finding] = _findings(runs, END, params=params)
    assert finding.severity is Severity.CAUTION
    assert finding.value == pytest.approx(50.0)
