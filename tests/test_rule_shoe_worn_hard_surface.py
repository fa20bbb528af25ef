"""``worn-shoes-hard-surface``: road runs on a pair already past 300 mi, once per week."""

from __future__ import annotations

from datetime import date

from conftest import make_activity

from loadwatch.model import Surface
from loadwatch.rules import RuleContext, Severity, run_rules
from loadwatch.rules import worn_shoes_hard_surface as rule
from loadwatch.units import METRES_PER_MILE
from loadwatch.userdata import Shoe

PLAN_M = 300 * METRES_PER_MILE


def check(shoe: Shoe, plan: list[tuple[str, Surface]], as_of: date = date(2026, 3, 31)):  # type: ignore[no-untyped-def]
    runs = [make_activity(f"{day}T07:00:00", 5.0, surface=surface) for day, surface in plan]
    ctx = RuleContext.build(runs, as_of, shoes=(shoe,), shoe_of={r.id: shoe.name for r in runs})
    return run_rules(ctx, rules=[rule.RULE])


def test_once_per_week_after_the_pair_passed_300_miles() -> None:
    # 5 km short: the Monday road run takes it to exactly 300 mi but started below it
    shoe = Shoe("Worn", start_distance_m=PLAN_M - 5_000.0)
    found = check(
        shoe,
        [
            ("2026-03-02", Surface.ROAD),  # Monday, started at 300 mi - 5 km
            ("2026-03-03", Surface.TRAIL),  # past it, but not road
            ("2026-03-04", Surface.ROAD),  # counts
            ("2026-03-05", Surface.ROAD),  # same week: no second finding
            ("2026-03-10", Surface.ROAD),  # next week
        ],
    )
    assert [(f.week_start, f.date, f.severity) for f in found] == [
        (date(2026, 3, 9), date(2026, 3, 15), Severity.CAUTION),
        (date(2026, 3, 2), date(2026, 3, 8), Severity.CAUTION),
    ]
    older = found[1]
    assert "2 road runs" in older.message and "Worn" in older.message
    # before Wednesday's run: 477.8 km + Monday's 5 + Tuesday's 5 on trail
    assert older.value == 487.8
    assert older.threshold == 482.8


def test_quiet_before_300_miles_and_on_other_surfaces() -> None:
    fresh = Shoe("Fresh", start_distance_m=PLAN_M - 20_000.0)
    assert check(fresh, [("2026-03-02", Surface.ROAD), ("2026-03-03", Surface.ROAD)]) == []
    worn = Shoe("Worn", start_distance_m=PLAN_M + 1.0)
    assert check(worn, [("2026-03-02", Surface.TRAIL), ("2026-03-03", Surface.TREADMILL)]) == []


def test_the_current_week_is_dated_on_as_of() -> None:
    worn = Shoe("Worn", start_distance_m=PLAN_M)
    (finding,) = check(worn, [("2026-03-31", Surface.ROAD)], as_of=date(2026, 3, 31))
    assert finding.date == date(2026, 3, 31) and "(so far)" in finding.message


def test_retired_pairs_are_quiet() -> None:
    worn = Shoe("Worn", start_distance_m=PLAN_M, retired_on=date(2026, 3, 20))
    assert check(worn, [("2026-03-02", Surface.ROAD)]) == []
