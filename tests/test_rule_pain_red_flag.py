"""pain-red-flag: rest or night pain, swelling, not bearing weight (fpnotebook, NHS, Bupa)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from loadwatch.rules import Finding, RuleContext, Severity, evaluate, pain_red_flag
from loadwatch.userdata.pain import PainEntry

D = date(2024, 1, 10)


def _findings(entries: list[PainEntry], **kw: Any) -> list[Finding]:
    ctx = RuleContext.build([], date(2024, 2, 1), pain=entries, **kw)
    return pain_red_flag.check(ctx)


@pytest.mark.parametrize(
    ("entry", "flag"),
    [
        (PainEntry(D, 2, "under", "rest"), "pain at rest"),
        (PainEntry(D, 1, "under", "night"), "pain at night"),
        (PainEntry(D, 0, swelling=True), "swelling"),
        (PainEntry(D, 5, "back", "after-run", cannot_bear_weight=True), "cannot bear weight"),
    ],
)
def test_each_red_flag_is_a_warning_to_stop_and_see_a_clinician(
    entry: PainEntry, flag: str
) -> None:
    [finding] = _findings([entry])
    assert finding.severity is Severity.WARNING
    assert finding.date == D
    assert finding.message.endswith(
        f", with {flag}: a sign to have checked rather than run through."
    )
    # the flag is named once: "swelling" is not also listed in the entry's description
    assert finding.message.count(flag) == 1
    assert "Stop running and see a GP, physiotherapist or podiatrist soon" in finding.advice
    assert "stress fracture" in finding.advice
    assert "early X-ray that looks normal does not rule one out" in finding.advice
    assert "sudden snap" in finding.advice and "urgent care" in finding.advice
    assert finding.evidence.grade == "clinical"
    assert "fpnotebook" in finding.evidence.source and "Bupa" in finding.evidence.source


def test_not_bearing_weight_puts_urgent_care_first() -> None:
    [finding] = _findings([PainEntry(D, 6, "back", cannot_bear_weight=True)])
    assert finding.advice.startswith("If it began with a sudden snap")
    [other] = _findings([PainEntry(D, 6, "back", swelling=True)])
    assert other.advice.startswith("Stop running")


def test_ordinary_pain_and_no_pain_at_night_are_not_red_flags() -> None:
    entries = [
        PainEntry(D, 6, "under", "first-steps"),
        PainEntry(D, 3, "back", "after-run"),
        PainEntry(D, 0, None, "night"),
    ]
    assert _findings(entries) == []


def test_several_flags_on_one_entry_make_one_finding_naming_them_all() -> None:
    entry = PainEntry(D, 7, "under", "night", "left", swelling=True, cannot_bear_weight=True)
    [finding] = _findings([entry])
    assert finding.message == (
        "On 2024-01-10 you logged 7/10 under the heel at night (left foot), with pain at night "
        "and swelling and cannot bear weight: signs to have checked rather than run through."
    )
    assert (finding.value, finding.threshold, finding.unit) == (7.0, 1.0, "/10")


def test_the_rest_level_is_configurable_and_the_rule_is_registered() -> None:
    entries = [PainEntry(D, 2, "under", "rest")]
    assert _findings(entries, params={"pain-red-flag": {"rest_min_level": 3}}) == []
    found = evaluate([], date(2024, 1, 31), pain=entries, since=D)
    assert [f.rule for f in found] == ["pain-red-flag"]
    assert evaluate([], date(2024, 1, 9), pain=entries) == []  # logged after as_of
