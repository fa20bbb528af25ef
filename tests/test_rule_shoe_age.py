"""``shoe-age``: info on the first run in a pair more than 12 months in service."""

from __future__ import annotations

from datetime import date

from helpers.activities import make_activity

from loadwatch.rules import RuleContext, Severity, run_rules
from loadwatch.rules import shoe_age as rule
from loadwatch.rules.shoe_age import months_later
from loadwatch.userdata.store import Shoe


def check(days: list[str], shoe: Shoe, as_of: date = date(2026, 6, 30)):  # type: ignore[no-untyped-def]
    runs = [make_activity(f"{d}T07:00:00", 8.0) for d in days]
    ctx = RuleContext.build(runs, as_of, shoes=(shoe,), shoe_of={r.id: shoe.name for r in runs})
    return run_rules(ctx, rules=[rule.RULE])


def test_months_later_keeps_to_the_calendar() -> None:
    assert months_later(date(2025, 1, 15), 12) == date(2026, 1, 15)
    assert months_later(date(2024, 2, 29), 12) == date(2025, 2, 28)
    assert months_later(date(2025, 1, 31), 1) == date(2025, 2, 28)
    assert months_later(date(2025, 11, 30), 3) == date(2026, 2, 28)


def test_the_first_run_after_twelve_months_is_noted_once() -> None:
    shoe = Shoe("Old", in_service=date(2025, 1, 15))
    # 2026-01-15 is exactly 12 months: not more; the next run is
    (finding,) = check(["2025-06-01", "2026-01-15", "2026-01-16", "2026-02-01"], shoe)
    assert finding.severity is Severity.INFO
    assert finding.date == date(2026, 1, 16)
    assert finding.shoe == "Old" and finding.unit == "months" and finding.threshold == 12.0
    # 366 days / (365.25 / 12)
    assert finding.value == 12.0
    assert "6 to 12 months" in finding.message
    assert finding.evidence.grade == "D"


def test_exactly_twelve_months_is_quiet() -> None:
    assert check(["2025-06-01", "2026-01-15"], Shoe("Old", in_service=date(2025, 1, 15))) == []


def test_a_pair_without_a_date_counts_from_its_first_run() -> None:
    (finding,) = check(["2025-03-01", "2026-03-02"], Shoe("Undated"))
    assert finding.date == date(2026, 3, 2)


def test_retired_pairs_and_unused_old_pairs_are_quiet() -> None:
    retired = Shoe("Old", in_service=date(2024, 1, 1), retired_on=date(2026, 6, 1))
    assert check(["2024-06-01", "2026-05-01"], retired) == []
    assert check(["2025-01-01"], Shoe("Cupboard", in_service=date(2024, 1, 1))) == []


def test_the_number_of_months_is_configurable() -> None:
    shoe = Shoe("Young", in_service=date(2026, 1, 10))
    runs = [make_activity("2026-03-11T07:00:00", 8.0)]
    ctx = RuleContext.build(
        runs,
        date(2026, 6, 30),
        params={rule.RULE_ID: {"months": 2}},
        shoes=(shoe,),
        shoe_of={runs[0].id: "Young"},
    )
    (finding,) = run_rules(ctx, rules=[rule.RULE])
    assert finding.date == date(2026, 3, 11)
