"""pain-pattern: under-heel first-steps pain (plantar fasciitis), back of heel (Achilles)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from loadwatch.rules import Finding, RuleContext, Severity, evaluate, pain_pattern
from loadwatch.userdata.pain import PainEntry

D = date(2024, 1, 1)


def day(n: int) -> date:
    return D + timedelta(days=n)


def _findings(entries: list[PainEntry], **kw: Any) -> list[Finding]:
    ctx = RuleContext.build([], date(2024, 6, 1), pain=entries, **kw)
    return pain_pattern.check(ctx)


def test_morning_pain_under_the_heel_matches_plantar_fasciitis_without_diagnosing() -> None:
    entries = [PainEntry(day(n), 4, "under", "first-steps") for n in range(7)]
    entries.append(PainEntry(day(3), 2, "under", "after-run"))
    [finding] = _findings(entries)
    assert finding.severity is Severity.INFO
    assert finding.date == day(6)
    assert finding.message == (
        "Pain under the heel, worst on the first steps, in 7 entries of episode 1 (from "
        "2024-01-01, up to 4/10). That matches the pattern typical of plantar fasciitis. "
        "This is a match with a common pattern, not a diagnosis."
    )
    assert "you have" not in finding.message.lower()
    for care in (
        "stretch your calves and the plantar fascia",
        "up to 20 minutes",
        "rest from running",
        "heel cushioning",
        "see a GP, physiotherapist or podiatrist",
    ):
        assert care in finding.advice
    assert finding.evidence.grade == "guideline" and "NHS" in finding.evidence.source


def test_pain_worse_later_in_the_day_is_not_the_first_steps_pattern() -> None:
    entries = [PainEntry(D, 3, "under", "first-steps"), PainEntry(day(1), 5, "under", "after-run")]
    assert _findings(entries) == []
    # a tie still counts as worst on the first steps
    entries[1] = PainEntry(day(1), 3, "under", "after-run")
    assert len(_findings(entries)) == 1


def test_back_of_heel_pain_matches_the_achilles_pattern_and_both_matches_both() -> None:
    [achilles] = _findings([PainEntry(D, 3, "back", "after-run")])
    assert "pattern typical of Achilles tendinopathy" in achilles.message
    # the guideline's main recommendation for the tendon: progressive loading
    assert "progressive loading of the calf and tendon" in achilles.advice
    assert "slow heel raises" in achilles.advice
    assert "rather than stopping all activity" in achilles.advice
    assert "Martin et al. 2018" in achilles.evidence.source
    both = _findings([PainEntry(D, 3, "both", "first-steps")])
    assert sorted("Achilles" in f.message for f in both) == [False, True]


def test_one_finding_per_pattern_and_episode() -> None:
    first = [PainEntry(day(n), 3, "under", "first-steps") for n in (0, 2)]
    second = [PainEntry(day(n), 3, "under", "first-steps") for n in (30, 31)]
    found = _findings(first + second)
    assert [f.date for f in found] == [day(2), day(31)]
    assert "episode 2 (from 2024-01-31" in found[1].message


def test_entries_without_place_or_time_match_nothing_and_min_entries_is_configurable() -> None:
    assert _findings([PainEntry(D, 3, "under")]) == []
    one = [PainEntry(D, 3, "under", "first-steps")]
    assert _findings(one, params={"pain-pattern": {"min_entries": 2}}) == []
    assert [f.rule for f in evaluate([], day(3), pain=one, since=D)] == ["pain-pattern"]
