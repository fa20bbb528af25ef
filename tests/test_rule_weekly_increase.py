"""weekly-increase: a week against the highest of the four before it, from a 10 km base.

Every scenario starts with a history week five weeks back, so the 30 days of log
the rule needs are there; the numbers in each test are worked out in its comments.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from helpers.activities import make_activity

from loadwatch.model import Activity
from loadwatch.rules import Finding, RuleContext, Severity, weekly_increase

#: Monday of the week judged in most tests
WEEK = date(2024, 2, 5)
END = WEEK + timedelta(days=6)


def _findings(runs: list[Activity], as_of: date = END, **kw: Any) -> list[Finding]:
    return [
        f
        for f in weekly_increase.check(RuleContext.build(runs, as_of, **kw))
        if f.week_start >= WEEK
    ]


def _weeks(*kilometres: float, last: date = WEEK) -> list[Activity]:
    """One run on the Wednesday of each week, the last of them in the week of ``last``."""
    first = last - timedelta(weeks=len(kilometres) - 1)
    return [
        make_activity(f"{first + timedelta(weeks=i, days=2)} 07:00", km)
        for i, km in enumerate(kilometres)
        if km
    ]


def test_exactly_ten_percent_over_the_baseline_is_not_flagged() -> None:
    # baseline: the highest of 20, 20, 20, 20 km; 22 km is exactly +10%
    assert _findings(_weeks(20, 20, 20, 20, 20, 22)) == []


def test_just_over_ten_percent_is_information_dated_on_the_week_end() -> None:
    [finding] = _findings(_weeks(20, 20, 20, 20, 20, 22.1))  # +10.5%
    assert finding.severity is Severity.INFO
    assert finding.value == pytest.approx(10.5)
    assert (finding.threshold, finding.unit) == (10.0, "%")
    assert (finding.date, finding.week_start) == (END, WEEK)
    # one decimal, so +10.5% never reads as a plain 10%
    assert "22.1 km (13.7 mi), 10.5% above your highest week" in finding.message
    assert "20.0 km (12.4 mi), the week of 2024-01-29" in finding.message
    assert "tradition" in finding.severity_reason and "randomised trial" in finding.message
    assert finding.evidence.grade == "A (null)" and "Buist" in finding.evidence.source


def test_thirty_percent_is_information_and_over_it_a_caution() -> None:
    [at] = _findings(_weeks(20, 20, 20, 20, 20, 26))  # exactly +30%
    assert (at.severity, at.value) == (Severity.INFO, pytest.approx(30.0))
    [over] = _findings(_weeks(20, 20, 20, 20, 20, 26.2))  # +31%
    assert over.severity is Severity.CAUTION and over.threshold == 30.0
    assert over.severity_reason.startswith("Caution: rises over 30%")
    assert "not statistically clear and did not include heel injuries" in over.message
    assert "Nielsen" in over.evidence.source


def test_the_baseline_is_the_highest_of_the_four_weeks_before() -> None:
    # weeks before: 30, 20, 25, 20 km: the baseline is 30 (the week of 2024-01-08);
    # 33 km is +10%, not the +65% on the week just before
    assert _findings(_weeks(20, 30, 20, 25, 20, 33)) == []
    [finding] = _findings(_weeks(20, 30, 20, 25, 20, 40))  # 40 / 30 - 1 = +33.3%
    assert finding.value == pytest.approx(33.33, abs=0.01)
    assert "the week of 2024-01-08" in finding.message


def test_alternating_three_and_four_run_weeks_stay_silent() -> None:
    # 30 km weeks and 40 km weeks in turn: after the first 40 km week (the history)
    # every 40 km week equals its baseline, never a new high
    runs: list[Activity] = []
    first = WEEK - timedelta(weeks=9)
    for week in range(10):
        runs_in_week = 4 if week % 2 else 3
        monday = first + timedelta(weeks=week)
        runs += [
            make_activity(f"{monday + timedelta(days=d)} 07:00", 10.0)
            for d in (0, 2, 4, 6)[:runs_in_week]
        ]
    # (the very first 40 km week comes with only a week of log behind it)
    assert weekly_increase.check(RuleContext.build(runs, END)) == []


def test_coming_back_from_a_recovery_week_to_the_usual_volume_is_quiet() -> None:
    # 40 km weeks, a 20 km recovery week, then 40 km again: +100% on last week, 0% on the baseline
    assert _findings(_weeks(40, 40, 40, 40, 20, 40)) == []


def test_below_the_ten_km_base_nothing_fires() -> None:
    # 3 -> 5 miles is +67% but from a tiny base
    assert _findings(_weeks(4.8, 4.8, 4.8, 4.8, 4.8, 8.0)) == []
    assert _findings(_weeks(9.9, 9.9, 9.9, 9.9, 9.9, 30.0)) == []


def test_base_of_exactly_ten_km_counts() -> None:
    [finding] = _findings(_weeks(10, 10, 10, 10, 10, 20))
    assert finding.severity is Severity.CAUTION
    assert finding.value == pytest.approx(100.0)


def test_thirty_days_of_history_are_needed() -> None:
    # a first week of 20 km and then 40 km: a big rise, but only 7 days of log
    assert _findings(_weeks(20, 40)) == []

    def with_first_run(day: str) -> list[Finding]:
        # 20 km on 31 Jan is the baseline (the week of 29 Jan), 40 km on 7 Feb is +100%
        return _findings([make_activity(f"{day} 07:00", 5.0), *_weeks(20, 40)])

    assert with_first_run("2024-01-07") == []  # 29 days before the week of 5 Feb
    [finding] = with_first_run("2024-01-06")  # 30 days
    assert finding.value == pytest.approx(100.0)


def test_a_drop_or_a_flat_week_is_quiet() -> None:
    assert _findings(_weeks(20, 20, 20, 20, 20, 20)) == []
    assert _findings(_weeks(20, 20, 20, 20, 20, 5)) == []


def test_current_partial_week_fires_as_soon_as_it_exceeds() -> None:
    runs = _weeks(20, 20, 20, 20, 20, 0) + [make_activity(f"{WEEK} 07:00", 27.0)]
    [finding] = _findings(runs, WEEK + timedelta(days=1))  # Tuesday: 27 km is +35%
    assert finding.severity is Severity.CAUTION
    assert finding.date == WEEK + timedelta(days=1)  # as_of, not the week's future end
    assert "(so far)" in finding.message


def test_sunday_2330_run_counts_for_its_local_week() -> None:
    # 10 km weeks; the judged week has 10 km plus a 5 km run at 23:30 on Sunday in New
    # York, which is Monday in UTC: locally the week is 15 km, +50% on the baseline
    runs = [
        make_activity(f"{WEEK - timedelta(weeks=w, days=-2)} 07:00", 10.0, zone="America/New_York")
        for w in range(6)
    ]
    runs.append(make_activity(f"{END} 23:30", 5.0, zone="America/New_York"))
    [finding] = _findings(runs, END + timedelta(days=1))
    assert finding.week_start == WEEK
    assert finding.value == pytest.approx(50.0)


def test_sunday_week_start() -> None:
    # Sunday weeks: the judged week runs Sun 4 Feb to Sat 10 Feb
    runs = [
        make_activity(f"{date(2024, 1, 3) + timedelta(weeks=w)} 07:00", 10.0) for w in range(5)
    ] + [make_activity("2024-02-04 07:00", 12.0)]
    [finding] = weekly_increase.check(
        RuleContext.build(runs, date(2024, 2, 10), week_start="sunday")
    )
    assert (finding.week_start, finding.date) == (date(2024, 2, 4), date(2024, 2, 10))
    assert finding.value == pytest.approx(20.0)


def test_parameters_override_the_defaults() -> None:
    runs = _weeks(6, 6, 6, 6, 6, 9)
    params = {"weekly-increase": {"min_base_km": 5.0, "caution_pct": 60.0}}
    [finding] = _findings(runs, params=params)
    assert finding.severity is Severity.INFO
    assert finding.value == pytest.approx(50.0)


def test_messages_lead_with_the_runners_unit() -> None:
    from loadwatch.units import Units

    [finding] = _findings(_weeks(20, 20, 20, 20, 20, 30), units=Units.MI)
    assert "18.6 mi (30.0 km), 50.0% above" in finding.message


def test_baselines_are_the_rule_s_own_definition_for_every_week() -> None:
    ctx = RuleContext.build(_weeks(20, 30, 20, 25, 20, 40), END)
    found = weekly_increase.baselines(ctx.weeks, 4)
    assert found[0] is None
    assert [b.distance_m if b else None for b in found] == [
        None,
        20000.0,
        30000.0,
        30000.0,
        30000.0,
        30000.0,
    ]
    assert weekly_increase.change_pct(40000.0, found[-1]) == pytest.approx(100.0 / 3)
