"""no-rest: seven consecutive local days with a run, once per streak."""

from __future__ import annotations

from datetime import date

from helpers.activities import daily_runs, make_activity

from loadwatch.model import Activity
from loadwatch.rules import Finding, RuleContext, Severity, no_rest


def _findings(runs: list[Activity], as_of: date = date(2024, 2, 29)) -> list[Finding]:
    return no_rest.check(RuleContext.build(runs, as_of))


def test_six_days_in_a_row_are_fine() -> None:
    assert _findings(daily_runs("2024-01-01", 6, 5.0)) == []


def test_seventh_day_in_a_row_is_information_on_that_day() -> None:
    [finding] = _findings(daily_runs("2024-01-01", 7, 5.0))
    # rest days are convention (grade D): information, as the science notes grade them
    assert finding.severity is Severity.INFO
    assert finding.severity_reason.startswith("Information: this is convention")
    assert finding.date == date(2024, 1, 7)
    assert (finding.value, finding.threshold, finding.unit) == (7.0, 7.0, "days")
    assert "2024-01-01 to 2024-01-07" in finding.message
    assert "rest day" in finding.advice
    assert "physiotherapist, GP or podiatrist" in finding.advice


def test_a_long_streak_is_reported_once_with_its_length() -> None:
    [finding] = _findings(daily_runs("2024-01-01", 12, 5.0))
    assert finding.date == date(2024, 1, 7)
    assert finding.value == 12.0


def test_a_rest_day_starts_a_new_streak() -> None:
    runs = daily_runs("2024-01-01", 7, 5.0) + daily_runs("2024-01-09", 8, 5.0)
    findings = _findings(runs)
    assert [f.date for f in findings] == [date(2024, 1, 7), date(2024, 1, 15)]


def test_two_runs_a_day_count_once() -> None:
    runs = daily_runs("2024-01-01", 6, 5.0) + [make_activity("2024-01-03 19:00", 3.0)]
    assert _findings(runs) == []


def test_days_are_local_days() -> None:
    # Six mornings and a 23:30 run on the seventh day in New York. In UTC the last run
    # falls on the eighth day and the streak would be broken.
    runs = daily_runs("2024-01-01", 6, 5.0, zone="America/New_York")
    runs.append(make_activity("2024-01-07 23:30", 5.0, zone="America/New_York"))
    [finding] = _findings(runs)
    assert finding.date == date(2024, 1, 7)


def test_streak_still_going_on_as_of() -> None:
    [finding] = _findings(daily_runs("2024-01-01", 20, 5.0), as_of=date(2024, 1, 9))
    assert finding.value == 9.0
    assert "so far" in finding.message
