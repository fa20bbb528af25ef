"""``single-pair``: one pair for at least 8 runs in the last 8 weeks (Malisoux 2015)."""

from __future__ import annotations

from datetime import date, timedelta

from helpers.activities import make_activity

from loadwatch.model import Activity
from loadwatch.rules import RuleContext, Severity, run_rules
from loadwatch.rules import single_pair as rule

AS_OF = date(2026, 3, 31)
FIRST_DAY = AS_OF - timedelta(days=55)  # 2026-02-04: the window's first day


def runs_from(first: date, count: int) -> list[Activity]:
    return [make_activity(f"{first + timedelta(days=3 * i)}T07:00:00", 8.0) for i in range(count)]


def check(runs: list[Activity], shoe_of: dict[str, str | None]):  # type: ignore[no-untyped-def]
    ctx = RuleContext.build(runs, AS_OF, shoe_of=shoe_of)
    return run_rules(ctx, rules=[rule.RULE])


def test_eight_runs_in_one_pair() -> None:
    runs = runs_from(FIRST_DAY, 8)
    (finding,) = check(runs, {r.id: "Only" for r in runs})
    assert finding.severity is Severity.INFO and finding.date == AS_OF
    assert finding.shoe == "Only"
    assert "All 8 runs since 2026-02-04" in finding.message
    assert "39%" in finding.message
    assert "Malisoux" in finding.evidence.source and "0.614" in finding.evidence.source
    assert finding.evidence.grade == "B"


def test_seven_runs_are_too_few() -> None:
    runs = runs_from(FIRST_DAY, 7)
    assert check(runs, {r.id: "Only" for r in runs}) == []


def test_a_run_the_day_before_the_window_does_not_count() -> None:
    runs = runs_from(FIRST_DAY - timedelta(days=1), 1) + runs_from(FIRST_DAY + timedelta(days=1), 7)
    assert check(runs, {r.id: "Only" for r in runs}) == []


def test_two_pairs_or_an_unknown_shoe_are_quiet() -> None:
    runs = runs_from(FIRST_DAY, 9)
    two = {r.id: "A" for r in runs} | {runs[4].id: "B"}
    assert check(runs, two) == []
    unknown: dict[str, str | None] = {r.id: "A" for r in runs} | {runs[4].id: None}
    assert check(runs, unknown) == []
