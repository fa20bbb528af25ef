"""The rules engine: registry, defaults, parameters, date filtering and ordering."""

from __future__ import annotations

import json
from datetime import date

import pytest
from helpers.activities import daily_runs, make_activity

from loadwatch.model import Activity, Sport, Surface
from loadwatch.rules import (
    RULES,
    Evidence,
    Finding,
    Rule,
    RuleContext,
    Severity,
    any_at_least,
    by_severity,
    default_params,
    evaluate,
    run_rules,
)

ISSUE_RULES = {
    "weekly-increase",
    "long-run-spike",
    "return-after-break",
    "no-rest",
    "surface-change",
    "track-share",
    "monotony",
    "acwr",
    "high-volume",
}


def _busy() -> list[Activity]:
    """Four easy road weeks, two hard track weeks with a long run, a break, a return."""
    return [
        *daily_runs("2024-01-01", 28, 2.0, surface=Surface.ROAD),
        *daily_runs("2024-01-29", 14, 5.0, surface=Surface.TRACK),
        make_activity("2024-02-10 18:00", 15.0, shoe="Pegasus"),
        make_activity("2024-04-01 07:00", 5.0),
    ]


def test_registry_holds_each_rule_once() -> None:
    ids = [rule.id for rule in RULES]
    assert len(ids) == len(set(ids))
    assert set(ids) >= ISSUE_RULES  # later issues add more
    assert all(rule.title for rule in RULES)


def test_default_params_are_numbers_and_a_fresh_copy() -> None:
    defaults = default_params()
    assert set(defaults) == {rule.id for rule in RULES}
    assert defaults["weekly-increase"] == {
        "info_pct": 10.0,
        "caution_pct": 30.0,
        "min_base_km": 10.0,
        "baseline_weeks": 4,
        "min_history_days": 30,
    }
    assert defaults["long-run-spike"]["min_reference_km"] == 3.0
    for values in defaults.values():
        assert values and all(type(v) in (int, float) for v in values.values())
    defaults["acwr"]["ratio"] = 99.0
    assert default_params()["acwr"]["ratio"] == 1.5


def test_unknown_rule_or_parameter_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown rule id 'ten-percent'"):
        evaluate([], date(2024, 1, 1), params={"ten-percent": {}})
    with pytest.raises(ValueError, match="min_base"):
        evaluate([], date(2024, 1, 1), params={"weekly-increase": {"min_base": 5}})


def test_findings_newest_first_then_most_serious() -> None:
    findings = evaluate(_busy(), date(2024, 4, 3))
    keys = [(f.date, f.severity.rank) for f in findings]
    assert keys == sorted(keys, key=lambda k: (-k[0].toordinal(), -k[1]))
    same_day = [f for f in findings if f.date == date(2024, 2, 10)]
    assert same_day[0].severity is Severity.WARNING  # the long run, three times the track runs
    assert {f.rule for f in findings} >= ISSUE_RULES  # the busy history trips every rule


def test_since_filters_dates_but_history_still_counts() -> None:
    # (the first run gives the month of log the spike rule needs; 9 km stays below the
    # weekly rule's 10 km base)
    runs = [
        make_activity("2023-12-01 07:00", 5.0),
        make_activity("2024-01-01 07:00", 9.0),
        make_activity("2024-01-20 07:00", 25.0),
    ]
    findings = evaluate(runs, date(2024, 1, 31), since=date(2024, 1, 15))
    spikes = [f for f in findings if f.rule == "long-run-spike"]
    assert [f.date for f in spikes] == [date(2024, 1, 20)]  # its reference is before since
    assert all(f.date >= date(2024, 1, 15) for f in findings)
    later = evaluate(runs, date(2024, 1, 31), since=date(2024, 1, 21))
    assert [f for f in later if f.rule == "long-run-spike"] == []


def test_runs_after_as_of_and_other_sports_are_ignored() -> None:
    runs = [
        make_activity("2024-01-01 07:00", 10.0),
        make_activity("2024-01-05 07:00", 60.0, sport=Sport.RIDE),
        make_activity("2024-01-20 07:00", 25.0),
    ]
    assert evaluate(runs, date(2024, 1, 19)) == []


def test_every_finding_is_complete_and_serialisable() -> None:
    findings = evaluate(_busy(), date(2024, 4, 3))
    assert findings
    for finding in findings:
        assert finding.message and finding.advice
        assert finding.evidence.source and finding.evidence.grade
        assert "you have" not in finding.message.lower()  # associations, not diagnoses
        assert finding.week_start <= finding.date
    per_run = [f for f in findings if f.rule in ("long-run-spike", "return-after-break")]
    assert per_run and all(f.activity_id for f in per_run)
    spike = next(f for f in findings if f.rule == "long-run-spike")
    assert spike.shoe == "Pegasus"
    payload = json.loads(json.dumps([f.to_dict() for f in findings]))
    assert set(payload[0]) == {
        "rule", "severity", "date", "week_start", "value", "threshold", "unit",
        "message", "advice", "evidence", "activity_id", "shoe", "severity_reason",
    }  # fmt: skip
    assert all(f.severity_reason.startswith(f.severity.value.capitalize()) for f in findings)


def test_severity_helpers() -> None:
    findings = evaluate(_busy(), date(2024, 4, 3))
    groups = by_severity(findings)
    assert list(groups) == [Severity.WARNING, Severity.CAUTION, Severity.INFO]
    assert sum(len(group) for group in groups.values()) == len(findings)
    assert any_at_least(findings, Severity.WARNING)
    calm = [f for f in findings if f.severity is Severity.INFO]
    assert not any_at_least(calm, Severity.CAUTION)


def test_a_new_rule_is_just_a_rule_object() -> None:
    def every_run(ctx: RuleContext) -> list[Finding]:
        return [
            Finding(
                rule="every-run",
                severity=Severity.INFO,
                date=run.start_local.date(),
                week_start=ctx.week_of(run.start_local.date()),
                value=1.0,
                threshold=0.0,
                unit="runs",
                message="a run",
                advice="none",
                evidence=Evidence("test", "D"),
                activity_id=run.id,
            )
            for run in ctx.runs
        ]

    rule = Rule(id="every-run", title="Every run", defaults={}, check=every_run)
    ctx = RuleContext.build(daily_runs("2024-01-01", 3, 5.0), date(2024, 1, 2))
    found = run_rules(ctx, rules=[rule], since=date(2024, 1, 2))
    assert [f.date for f in found] == [date(2024, 1, 2)]


def test_findings_keep_distances_as_numbers_and_say_them_in_any_unit() -> None:
    from helpers.activities import daily_runs, make_activity

    from loadwatch.rules import RuleContext, high_volume
    from loadwatch.units import Units

    runs = daily_runs("2024-01-01", 4, 10.0) + [make_activity("2024-01-05 18:00", 0.1)]
    [in_miles] = high_volume.check(RuleContext.build(runs, date(2024, 1, 21), units=Units.MI))
    # 40.1 km = 24.917 mi; the 40 km limit = 24.855 mi
    assert "you ran 24.9 mi (40.1 km), more than 24.9 mi (40.0 km)" in in_miles.message
    in_km = in_miles.in_units(Units.KM)
    assert "you ran 40.1 km (24.9 mi), more than 40.0 km (24.9 mi)" in in_km.message
    assert in_km.in_units(Units.MI) == in_miles
    # nothing of the marks shows: every character is one a reader sees
    assert not any("\ue000" <= ch <= "\uf8ff" for ch in in_miles.message + in_km.message)
    assert "template" not in in_km.to_dict()
