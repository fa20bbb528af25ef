"""Issue 13's wording: what the findings say matches the evidence (science notes, section 10).

A busy history with heel pain logged trips nearly every rule; every sentence a finding,
the report's "why it matters" lines and the charts can show is then searched for the
phrasings the issue quoted as overstated, unsourced or wrong.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from helpers.activities import daily_runs, make_activity

from loadwatch.model import Activity, Surface
from loadwatch.report import wording
from loadwatch.rules import RULES, Finding, Severity, evaluate
from loadwatch.userdata.pain import PainEntry
from loadwatch.userdata.store import Shoe

AS_OF = date(2024, 4, 14)

#: the phrasings issue 13 quoted, which no finding or report sentence may use again
RETIRED = (
    "the ones with some support as an injury risk",
    "how short-lived pain becomes a lasting injury",
    "track running",  # the old hard-surface advice to "mix in ... track running"
    "not confirmed by Knobloch",
    "rotate two pairs",
    "is the pattern behind overuse injuries",
    "+10% allowance",
    "swelling: swelling",
)


def _busy() -> list[Activity]:
    """Road weeks, a jump to track and treadmill, long runs, a streak, worn shoes."""
    return [
        *daily_runs("2024-01-01", 42, 4.0, surface=Surface.ROAD, shoe="Old"),
        *daily_runs("2024-02-12", 14, 8.0, every=2, surface=Surface.TRACK, shoe="Old"),
        *daily_runs("2024-02-26", 21, 9.0, surface=Surface.TREADMILL, shoe="Old"),
        make_activity("2024-03-20 08:00", 25.0, shoe="Old"),
        make_activity("2024-04-13 08:00", 40.0, shoe="Old"),
    ]


def _findings() -> list[Finding]:
    pain = [
        PainEntry(date(2024, 3, 15), 3, "back", "after-run"),
        PainEntry(date(2024, 4, 10), 4, "under", "night", swelling=True),
    ]
    old = Shoe("Old", start_distance_m=700_000.0)
    return evaluate(
        _busy(),
        AS_OF,
        since=date(2024, 1, 1),
        pain=pain,
        shoes=(old,),
        shoe_of={a.id: "Old" for a in _busy()},
    )


def _sentences(found: list[Finding]) -> list[str]:
    texts = [t for f in found for t in (f.message, f.advice, f.evidence.source, f.severity_reason)]
    texts += [wording.heel_reason(rule.id) for rule in RULES]
    return texts


def test_the_busy_history_trips_most_rules() -> None:
    fired = {f.rule for f in _findings()}
    assert {
        "weekly-increase",
        "long-run-spike",
        "no-rest",
        "surface-change",
        "track-share",
        "treadmill-achilles",
        "shoe-mileage",
        "pain-red-flag",
        "pain-pattern",
    } <= fired


@pytest.mark.parametrize("phrase", RETIRED)
def test_no_finding_or_reason_uses_a_retired_phrasing(phrase: str) -> None:
    for text in _sentences(_findings()):
        assert phrase not in text, text


def test_every_finding_says_why_it_has_its_severity() -> None:
    for finding in _findings():
        assert finding.severity_reason.startswith(finding.severity.value.capitalize()), finding


def test_every_warning_says_to_see_a_professional_or_get_care() -> None:
    for finding in _findings():
        if finding.severity is Severity.WARNING:
            words = finding.advice
            assert "physiotherapist" in words or "urgent care" in words, finding


def test_the_weekly_chart_calls_the_10_percent_line_a_tradition() -> None:
    from loadwatch import weekly
    from loadwatch.report.charts import weekly_distance
    from loadwatch.report.model import assemble
    from loadwatch.units import Units

    runs = _busy()
    found = _findings()
    report = assemble(runs, weekly.build_weekly(runs, AS_OF), found, as_of=AS_OF, units=Units.KM)
    chart = weekly_distance(report)
    assert chart is not None
    assert "traditional 10% guide" in chart.alt and "a tradition, not evidence" in chart.alt
    assert "allowance" not in chart.alt


def test_advice_for_the_achilles_pattern_leads_with_progressive_loading() -> None:
    [achilles] = [f for f in _findings() if f.rule == "pain-pattern" and "Achilles" in f.message]
    assert achilles.advice.startswith(
        "What the guideline recommends most for this pattern is progressive loading"
    )


def test_a_spike_in_the_busy_history_is_raised_by_the_logged_pain() -> None:
    raised = [f for f in _findings() if f.rule == "long-run-spike" and f.date == date(2024, 4, 13)]
    assert [f.severity for f in raised] == [Severity.WARNING]
    assert "physiotherapist" in raised[0].advice
    assert raised[0].date - timedelta(days=3) == date(2024, 4, 10)
