"""acwr: the uncoupled rolling ratio above 1.5 is information only, with its criticisms."""

from __future__ import annotations

from datetime import date

import pytest
from helpers.activities import daily_runs

from loadwatch.model import Activity
from loadwatch.rules import Finding, RuleContext, Severity, acwr


def _findings(runs: list[Activity], as_of: date) -> list[Finding]:
    return acwr.check(RuleContext.build(runs, as_of))


def test_a_step_up_after_steady_weeks_is_info_only() -> None:
    # 35 days of 5 km then 7 of 15 km: the last 7 days average 15, the 21 before 5
    runs = daily_runs("2024-01-01", 35, 5.0) + daily_runs("2024-02-05", 7, 15.0)
    [finding] = _findings(runs, date(2024, 2, 11))
    assert finding.severity is Severity.INFO
    assert finding.value == pytest.approx(15 / 5)
    assert (finding.threshold, finding.unit) == (1.5, "ratio")
    assert (finding.date, finding.week_start) == (date(2024, 2, 11), date(2024, 2, 5))
    for critic in ("Lolli", "Impellizzeri", "Frandsen"):
        assert critic in finding.message
    assert finding.evidence.grade == "D (contested)"


def test_steady_running_is_quiet() -> None:
    assert _findings(daily_runs("2024-01-01", 70, 5.0), date(2024, 3, 10)) == []


def _late_jump() -> list[Activity]:
    """21 days of 1 km, then 20 km a day from day 22 (22 January)."""
    return daily_runs("2024-01-01", 21, 1.0) + daily_runs("2024-01-22", 7, 20.0)


def test_nothing_before_28_days_of_data() -> None:
    assert _findings(_late_jump(), date(2024, 1, 27)) == []


def test_first_defined_on_the_28th_day() -> None:
    # on 28 January the last 7 days average 20 km, the 21 days before them 1 km
    [finding] = _findings(_late_jump(), date(2024, 1, 28))
    assert finding.date == date(2024, 1, 28)
    assert finding.value == pytest.approx(20.0)


@pytest.mark.parametrize(
    "weekdays",
    [(0, 2, 4), (1, 3, 6), (0, 1, 2, 3, 4, 5, 6), (6,), (0, 6)],
    ids=["mon-wed-fri", "tue-thu-sun", "every-day", "sunday-long-run", "mon-and-sun"],
)
def test_steady_training_of_any_weekly_pattern_reads_one(weekdays: tuple[int, ...]) -> None:
    from helpers.activities import make_activity

    from loadwatch import weekly

    # ten identical weeks; the Sunday run, when there is one, is the long run
    runs = [
        make_activity(
            f"{date(2024, 1, 1).fromordinal(date(2024, 1, 1).toordinal() + 7 * w + d)} 07:00",
            20.0 if d == 6 else 8.0,
        )
        for w in range(10)
        for d in weekdays
    ]
    table = weekly.build_weekly(runs, date(2024, 3, 10))
    ratios = table["acwr"].dropna()
    assert len(ratios) >= 6
    assert all(abs(r - 1.0) <= 0.05 for r in ratios), list(ratios)
