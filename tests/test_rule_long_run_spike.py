"""long-run-spike: each run against the longest of the 30 days before it (Frandsen 2025)."""

from __future__ import annotations

from datetime import date

import pytest
from helpers.activities import make_activity

from loadwatch.model import Activity, Sport
from loadwatch.rules import Finding, RuleContext, Severity, long_run_spike


def _findings(
    runs: list[Activity], as_of: date = date(2024, 3, 31), **params: float
) -> list[Finding]:
    overrides = {"long-run-spike": {"min_history_days": 0, **params}}
    return long_run_spike.check(RuleContext.build(runs, as_of, params=overrides))


def _pair(reference_km: float, run_km: float) -> list[Activity]:
    return [
        make_activity("2024-01-01 07:00", reference_km),
        make_activity("2024-01-10 07:00", run_km),
    ]


def test_exactly_ten_percent_longer_is_not_a_spike() -> None:
    assert _findings(_pair(10.0, 11.0)) == []


def test_just_over_ten_percent_is_a_caution_on_the_run() -> None:
    runs = _pair(10.0, 11.5)
    [finding] = _findings(runs)
    assert finding.severity is Severity.CAUTION
    assert finding.value == pytest.approx(15.0)
    assert (finding.threshold, finding.unit) == (10.0, "%")
    assert finding.date == date(2024, 1, 10)
    assert finding.week_start == date(2024, 1, 8)
    assert finding.activity_id == runs[1].id
    assert "11.5 km (7.1 mi), 15.0% longer" in finding.message
    assert "10.0 km (6.2 mi)" in finding.message
    assert "2024-01-01" in finding.message
    assert finding.severity_reason.startswith("Caution: a run over 10% longer")
    assert "20 minutes" in finding.advice
    assert finding.evidence.grade == "A"
    assert "Frandsen" in finding.evidence.source


def test_exactly_double_is_still_a_caution() -> None:
    [finding] = _findings(_pair(5.0, 10.0))
    assert finding.severity is Severity.CAUTION
    assert finding.value == pytest.approx(100.0)


def test_more_than_double_is_a_warning() -> None:
    [finding] = _findings(_pair(5.0, 10.1))
    assert finding.severity is Severity.WARNING
    assert finding.value == pytest.approx(102.0)
    assert finding.threshold == 100.0
    assert "physiotherapist, GP or podiatrist" in finding.advice
    assert finding.severity_reason.startswith("Warning: runs more than double")


def test_a_spike_on_a_reference_under_three_km_is_information() -> None:
    # 2.99 km to 6 km is +100.7%: Frandsen's largest category, but from a short reference
    [finding] = _findings(_pair(2.99, 6.0))
    assert finding.severity is Severity.INFO
    assert finding.value == pytest.approx((6.0 / 2.99 - 1) * 100, abs=0.005)
    assert "under 3 km" in finding.severity_reason
    assert _findings(_pair(2.9, 3.19)) == []  # +10% exactly stays quiet


def test_thirty_days_of_log_are_needed_before_a_spike_counts() -> None:
    first = make_activity("2023-12-11 07:00", 4.0)
    runs = [first, *_pair(10.0, 20.0)]  # the 20 km run on 10 January
    params = {"long-run-spike": {"min_history_days": 30}}

    def found(history: list[Activity]) -> list[Finding]:
        # (the 10 km run is itself a noted spike on the 4 km one; only the 20 km run matters)
        every = long_run_spike.check(RuleContext.build(history, date(2024, 3, 31), params=params))
        return [f for f in every if f.date == date(2024, 1, 10)]

    [counted] = found(runs)  # 30 days after the first run
    assert (counted.activity_id, counted.severity) == (runs[-1].id, Severity.CAUTION)
    later = make_activity("2023-12-12 07:00", 4.0)  # 29 days before: only noted
    [noted] = found([later, *_pair(10.0, 20.0)])
    assert noted.severity is Severity.INFO
    assert "less than a month of log" in noted.severity_reason


def test_reference_of_exactly_three_km_counts() -> None:
    [finding] = _findings(_pair(3.0, 6.1))
    assert finding.severity is Severity.WARNING


def test_frandsen_categories() -> None:
    assert [
        long_run_spike.category(p) for p in (None, 5.0, 10.0, 10.1, 30.0, 30.1, 100.0, 100.1)
    ] == ["reference", "reference", "reference", "small", "small", "moderate", "moderate", "large"]


def test_window_is_the_thirty_local_days_before() -> None:
    reference = make_activity("2024-01-01 20:00", 10.0)
    inside = make_activity("2024-01-31 06:00", 15.0)  # 1 January is 30 days before
    outside = make_activity("2024-02-01 06:00", 15.0)
    assert len(_findings([reference, inside])) == 1
    assert _findings([reference, outside]) == []


def test_the_longest_of_several_earlier_runs_is_the_reference() -> None:
    runs = [
        make_activity("2024-01-01 07:00", 12.0),
        make_activity("2024-01-05 07:00", 8.0),
        make_activity("2024-01-09 07:00", 13.0),
    ]
    assert _findings(runs) == []  # 13 vs 12 is +8.3%
    [finding] = _findings([*runs, make_activity("2024-01-12 07:00", 14.5)])
    assert finding.value == pytest.approx((14.5 / 13 - 1) * 100, abs=0.005)


def test_earlier_run_on_the_same_day_is_a_reference_but_a_later_one_is_not() -> None:
    morning = make_activity("2024-01-10 07:00", 5.0)
    evening = make_activity("2024-01-10 19:00", 8.0)
    [finding] = _findings([evening, morning])
    assert finding.activity_id == evening.id
    assert finding.value == pytest.approx(60.0)
    long_morning = make_activity("2024-01-10 07:00", 8.0)
    short_evening = make_activity("2024-01-10 19:00", 5.0)
    assert _findings([long_morning, short_evening]) == []


def test_run_at_2330_local_is_dated_on_its_local_day() -> None:
    runs = [
        make_activity("2024-01-03 07:00", 10.0, zone="America/New_York"),
        make_activity("2024-01-07 23:30", 12.0, zone="America/New_York"),  # Monday in UTC
    ]
    [finding] = _findings(runs)
    assert finding.date == date(2024, 1, 7)
    assert finding.week_start == date(2024, 1, 1)


def test_dst_changeover_does_not_move_the_window() -> None:
    # London moved to BST on 31 March 2024; the reference is 30 local days earlier
    runs = [
        make_activity("2024-03-02 08:00", 10.0, zone="Europe/London"),
        make_activity("2024-04-01 07:00", 12.0, zone="Europe/London"),
    ]
    [finding] = _findings(runs, date(2024, 4, 7))
    assert finding.value == pytest.approx(20.0)


def test_other_sports_are_not_references() -> None:
    runs = [make_activity("2024-01-01 07:00", 40.0, sport=Sport.RIDE), *_pair(5.0, 10.1)]
    [finding] = _findings(runs)
    assert finding.severity is Severity.WARNING


def test_first_run_and_runs_without_distance_give_nothing() -> None:
    assert _findings([make_activity("2024-01-10 07:00", 30.0)]) == []
    no_distance = make_activity("2024-01-02 07:00", None)
    assert _findings([make_activity("2024-01-01 07:00", 5.0), no_distance]) == []
