"""monotony: Foster's mean / SD of the seven daily distances, rest days as 0."""

from __future__ import annotations

import math
from datetime import date
from typing import Any

import pytest
from helpers.activities import daily_runs, make_activity

from loadwatch.model import Activity
from loadwatch.rules import Finding, RuleContext, Severity, monotony


def _findings(runs: list[Activity], as_of: date = date(2024, 1, 7), **kw: Any) -> list[Finding]:
    return monotony.check(RuleContext.build(runs, as_of, **kw))


def test_six_equal_runs_and_a_rest_day() -> None:
    # loads 5,5,5,5,5,5,0 km: mean 30/7, population SD sqrt(150)/7, monotony sqrt(6)
    [finding] = _findings(daily_runs("2024-01-01", 6, 5.0))
    assert finding.severity is Severity.INFO
    assert finding.value == pytest.approx(math.sqrt(6), abs=0.005)
    assert (finding.threshold, finding.unit) == (2.0, "ratio")
    assert (finding.date, finding.week_start) == (date(2024, 1, 7), date(2024, 1, 1))
    assert "2.45" in finding.message
    assert "does not reliably predict injury" in finding.message
    assert "rest day" in finding.advice
    assert finding.evidence.grade == "D"


def test_alternate_days_are_varied_enough() -> None:
    # loads 10,0,10,0,10,0,0: monotony 30 / sqrt(1200) = 0.87
    assert _findings(daily_runs("2024-01-01", 5, 10.0, every=2)) == []


def test_at_the_threshold_is_quiet() -> None:
    params = {"monotony": {"ratio": math.sqrt(6)}}
    assert _findings(daily_runs("2024-01-01", 6, 5.0), params=params) == []


def test_identical_days_are_capped_and_said_so() -> None:
    [finding] = _findings(daily_runs("2024-01-01", 7, 5.0))
    assert finding.value == 10.0
    assert "every day's distance was the same" in finding.message
    assert "capped at 10" in finding.message


def test_the_current_partial_week_is_not_judged() -> None:
    assert _findings(daily_runs("2024-01-01", 6, 5.0), as_of=date(2024, 1, 6)) == []


def test_only_the_week_with_runs_counts() -> None:
    runs = daily_runs("2024-01-01", 6, 5.0) + [make_activity("2024-01-22 07:00", 5.0)]
    # the empty week of 8 January and the single-run week of 15/22 are quiet
    weeks = [f.week_start for f in _findings(runs, as_of=date(2024, 1, 28))]
    assert weeks == [date(2024, 1, 1)]
