"""``shoe-mileage``: information at 300 mi, a caution at the pair's limit, on the crossing run."""

from __future__ import annotations

from datetime import date

import pytest
from helpers.activities import make_activity

from loadwatch.model import Activity
from loadwatch.rules import RuleContext, Severity, run_rules
from loadwatch.rules import shoe_mileage as rule
from loadwatch.units import METRES_PER_MILE
from loadwatch.userdata.store import Shoe

PLAN_M = 300 * METRES_PER_MILE
AS_OF = date(2026, 3, 31)


def runs_on(shoe: str, days: int, km: float = 10.0) -> list[Activity]:
    return [make_activity(f"2026-03-{d:02d}T07:00:00", km, shoe=shoe) for d in range(1, days + 1)]


def check(runs: list[Activity], shoes: tuple[Shoe, ...], **params: float):  # type: ignore[no-untyped-def]
    ctx = RuleContext.build(
        runs,
        AS_OF,
        params={rule.RULE_ID: params} if params else None,
        shoes=shoes,
        shoe_of={r.id: r.shoe for r in runs},
    )
    return run_rules(ctx, rules=[rule.RULE])


def test_information_on_the_run_that_reaches_300_miles_counting_start_distance() -> None:
    # 30 km short of 300 mi before tracking: the third 10 km run lands exactly on it
    shoe = Shoe("Pegasus", start_distance_m=PLAN_M - 30_000.0)
    runs = runs_on("Pegasus", 5)
    (finding,) = check(runs, (shoe,))
    assert finding.severity is Severity.INFO
    assert finding.severity_reason.startswith("Information: 300 to 500 miles is retail")
    assert finding.date == date(2026, 3, 3) and finding.activity_id == runs[2].id
    assert finding.shoe == "Pegasus"
    assert finding.value == pytest.approx(482.8, abs=0.01)
    assert finding.threshold == pytest.approx(482.8, abs=0.01)
    assert finding.unit == "km"
    assert "plan a replacement" in finding.message
    assert "no study ties an exact mileage to injury" in finding.message
    assert "before tracking" in finding.message
    for words in (
        "flattening or creases",
        "uneven wear",
        "heels or arches ache",
        "alternated more than one pair",
    ):
        assert words in finding.advice
    # an observation from one study is reported, never turned into an instruction
    assert "rotate" not in finding.advice
    assert "Cook" in finding.evidence.source and "Verdejo" in finding.evidence.source


def test_just_short_of_300_miles_is_quiet() -> None:
    shoe = Shoe("Pegasus", start_distance_m=PLAN_M - 50_000.1)
    assert check(runs_on("Pegasus", 5), (shoe,)) == []


def test_a_caution_at_the_pairs_own_limit() -> None:
    shoe = Shoe("Racer", start_distance_m=PLAN_M - 10_000.0, limit_m=PLAN_M + 20_000.0)
    runs = runs_on("Racer", 4)
    found = check(runs, (shoe,))
    assert [(f.severity, f.date) for f in found] == [
        (Severity.CAUTION, date(2026, 3, 3)),
        (Severity.INFO, date(2026, 3, 1)),
    ]
    assert "time to retire it" in found[0].message
    assert found[0].severity_reason.startswith("Caution: past the pair's limit")


def test_one_run_crossing_both_gives_only_the_limit() -> None:
    shoe = Shoe("Racer", start_distance_m=PLAN_M - 5_000.0, limit_m=PLAN_M + 2_000.0)
    (finding,) = check(runs_on("Racer", 1), (shoe,))
    assert finding.severity is Severity.CAUTION


def test_a_limit_below_the_planning_mark_gives_only_the_limit() -> None:
    shoe = Shoe("Flat", limit_m=25_000.0)
    (finding,) = check(runs_on("Flat", 3), (shoe,))
    assert finding.severity is Severity.CAUTION and finding.date == date(2026, 3, 3)


def test_retired_pairs_are_left_alone() -> None:
    shoe = Shoe("Old", start_distance_m=PLAN_M, retired_on=date(2026, 3, 20))
    assert check(runs_on("Old", 2), (shoe,)) == []


def test_the_planning_mark_is_configurable() -> None:
    (finding,) = check(runs_on("Any", 3), (Shoe("Any"),), plan_mi=12.0)
    # 12 mi = 19.31 km: reached by the second 10 km run
    assert finding.date == date(2026, 3, 2)


def test_without_shoe_data_the_gear_names_count_with_default_limits() -> None:
    runs = [make_activity(f"2026-03-{d:02d}T07:00:00", 25.0, shoe="Trainer") for d in range(1, 21)]
    found = run_rules(RuleContext.build(runs, AS_OF), rules=[rule.RULE])
    # 25 km runs: 482.8 km is passed on run 20 (500 km), not run 19 (475 km)
    assert [(f.severity, f.date, f.shoe) for f in found] == [
        (Severity.INFO, date(2026, 3, 20), "Trainer")
    ]
