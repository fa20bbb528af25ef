"""return-after-break: the first run after 30 or more days without one."""

from __future__ import annotations

from datetime import date

from helpers.activities import make_activity

from loadwatch.model import Activity
from loadwatch.rules import Finding, RuleContext, Severity, return_after_break


def _findings(runs: list[Activity], as_of: date = date(2024, 3, 31)) -> list[Finding]:
    return return_after_break.check(RuleContext.build(runs, as_of))


def test_twenty_nine_empty_days_are_not_a_break() -> None:
    # 2 to 30 January: 29 days without a run
    runs = [make_activity("2024-01-01 07:00"), make_activity("2024-01-31 07:00")]
    assert _findings(runs) == []


def test_thirty_empty_days_are_a_break() -> None:
    runs = [make_activity("2024-01-01 07:00"), make_activity("2024-02-01 07:00", 6.0)]
    [finding] = _findings(runs)
    assert finding.severity is Severity.INFO
    assert (finding.value, finding.threshold, finding.unit) == (30.0, 30.0, "days")
    assert finding.date == date(2024, 2, 1)
    assert finding.week_start == date(2024, 1, 29)
    assert finding.activity_id == runs[1].id
    assert "30 days" in finding.message and "2024-01-01" in finding.message
    assert "6.0 km (3.7 mi)" in finding.message
    assert "physiotherapist, GP or podiatrist" in finding.advice
    assert finding.evidence.grade == "D"


def test_the_very_first_run_is_not_a_return() -> None:
    assert _findings([make_activity("2024-02-01 07:00")]) == []


def test_only_the_first_run_of_the_return_day_is_flagged() -> None:
    runs = [
        make_activity("2024-01-01 07:00"),
        make_activity("2024-03-01 18:00"),
        make_activity("2024-03-01 07:00"),
        make_activity("2024-03-02 07:00"),
    ]
    [finding] = _findings(runs)
    assert finding.activity_id == runs[2].id
    assert finding.value == 59.0


def test_gap_is_counted_in_local_days() -> None:
    # last run 23:30 local on 1 January (New York), which is 2 January in UTC
    runs = [
        make_activity("2024-01-01 23:30", zone="America/New_York"),
        make_activity("2024-02-01 07:00", zone="America/New_York"),
    ]
    [finding] = _findings(runs)
    assert finding.value == 30.0
