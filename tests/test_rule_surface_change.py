"""surface-change: over half a week on a surface under 10% of the previous 30 days."""

from __future__ import annotations

from datetime import date

import pytest
from helpers.activities import make_activity

from loadwatch.model import Activity, Surface
from loadwatch.rules import Finding, RuleContext, Severity, surface_change

ROAD, TREADMILL = Surface.ROAD, Surface.TREADMILL
END = date(2024, 2, 11)  # Sunday of the week of 5 February


def _findings(runs: list[Activity], as_of: date = END) -> list[Finding]:
    return surface_change.check(RuleContext.build(runs, as_of))


def _road_history(km: float = 5.0) -> list[Activity]:
    """Weekly road runs inside the 30 days (6 Jan - 4 Feb) before the week of 5 Feb."""
    days = ("2024-01-10", "2024-01-17", "2024-01-24", "2024-01-31")
    return [make_activity(f"{day} 07:00", km, surface=ROAD) for day in days]


def _week(treadmill_km: float, road_km: float) -> list[Activity]:
    return [
        make_activity("2024-02-06 07:00", treadmill_km, surface=TREADMILL),
        make_activity("2024-02-08 07:00", road_km, surface=ROAD),
    ]


def test_mostly_on_a_new_surface_is_info() -> None:
    [finding] = _findings(_road_history() + _week(6.0, 4.0))
    assert finding.severity is Severity.INFO
    assert (finding.date, finding.week_start) == (END, date(2024, 2, 5))
    assert (finding.value, finding.threshold, finding.unit) == (60.0, 50.0, "%")
    assert "60% of the distance was on treadmill" in finding.message
    assert "0% of the 30 days before" in finding.message
    assert "Achilles" in finding.message  # the treadmill note
    assert "gradually" in finding.advice or "few weeks" in finding.advice


def test_exactly_half_is_quiet() -> None:
    assert _findings(_road_history() + _week(5.0, 5.0)) == []


def test_surface_at_exactly_ten_percent_of_history_is_familiar() -> None:
    history = _road_history(4.5) + [make_activity("2024-01-20 07:00", 2.0, surface=TREADMILL)]
    assert _findings(history + _week(6.0, 4.0)) == []


def test_surface_just_under_ten_percent_of_history_is_new() -> None:
    history = _road_history(4.5) + [make_activity("2024-01-20 07:00", 1.9, surface=TREADMILL)]
    [finding] = _findings(history + _week(6.0, 4.0))
    assert "made up 10% of" in finding.message  # 1.9 / 19.9 = 9.5%, rounded for people
    assert finding.value == pytest.approx(60.0)


def test_history_window_is_thirty_days_before_the_week() -> None:
    just_out = make_activity("2024-01-05 07:00", 10.0, surface=TREADMILL)
    just_in = make_activity("2024-01-06 07:00", 10.0, surface=TREADMILL)
    week = _week(6.0, 4.0)

    def weeks_flagged(runs: list[Activity]) -> list[date]:
        return [f.week_start for f in _findings(runs)]

    # (road in the week of 8 January is itself new after a treadmill-only history)
    assert weeks_flagged(_road_history() + [just_out] + week) == [
        date(2024, 1, 8),
        date(2024, 2, 5),
    ]
    assert weeks_flagged(_road_history() + [just_in] + week) == [date(2024, 1, 8)]


def test_no_history_no_change() -> None:
    assert _findings(_week(6.0, 4.0)) == []


def test_unknown_surface_is_never_the_new_surface() -> None:
    runs = _road_history() + [make_activity("2024-02-06 07:00", 10.0)]
    assert _findings(runs) == []


def test_partial_week_is_judged_on_its_distance_so_far() -> None:
    runs = _road_history() + _week(6.0, 4.0)[:1]
    [finding] = _findings(runs, as_of=date(2024, 2, 6))
    assert finding.date == date(2024, 2, 6)
    assert finding.value == pytest.approx(100.0)
