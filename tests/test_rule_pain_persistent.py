"""pain-persistent: pain lasting 14 days or more with no 0 entry between (NHS).

"14 days" counts the first and the last day of pain (``pain.days_of_pain``), the
same count ``pain why`` shows, so the two never disagree by a day.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from loadwatch.rules import Finding, RuleContext, Severity, evaluate, pain_persistent
from loadwatch.userdata.pain import PainEntry

D = date(2024, 1, 1)


def day(n: int) -> date:
    return D + timedelta(days=n)


def hurt(n: int, level: int = 3) -> PainEntry:
    return PainEntry(day(n), level, "under", "first-steps")


def _findings(entries: list[PainEntry], as_of: date = date(2024, 6, 1), **kw: Any) -> list[Finding]:
    return pain_persistent.check(RuleContext.build([], as_of, pain=entries, **kw))


def test_thirteen_days_of_pain_are_not_yet_persistent() -> None:
    assert _findings([hurt(0), hurt(12)]) == []  # 1 to 13 January


def test_fourteen_days_of_pain_are_a_warning_to_see_a_professional() -> None:
    [finding] = _findings([hurt(0, 2), hurt(7, 5), hurt(13, 4)])  # 1 to 14 January
    assert finding.severity is Severity.WARNING
    assert (finding.value, finding.threshold, finding.unit) == (14.0, 14.0, "days")
    assert finding.date == day(13) and finding.week_start == date(2024, 1, 8)
    assert finding.message == (
        "Heel pain logged from 2024-01-01 to 2024-01-14 (14 days, 3 entries, up to 5/10) "
        "with no pain-free (0) entry in between."
    )
    assert "see a GP, physiotherapist or podiatrist" in finding.advice
    assert "20 minutes" in finding.advice
    assert finding.evidence.grade == "guideline" and "NHS" in finding.evidence.source


def test_a_zero_entry_in_between_resets_the_count() -> None:
    entries = [hurt(0), PainEntry(day(6), 0), hurt(7), hurt(14)]
    assert _findings(entries) == []  # 8 days of pain since the 0 entry
    [finding] = _findings([*entries, hurt(20)])
    assert (finding.value, finding.date) == (14.0, day(20))
    assert "from 2024-01-08 to 2024-01-21" in finding.message


def test_fourteen_pain_free_days_start_a_new_episode_not_a_long_stretch() -> None:
    # nothing logged on days 1..14: pain on day 15 is a new episode (see pain.episodes)
    assert _findings([hurt(0), hurt(15)]) == []


def test_dated_on_the_latest_entry_up_to_as_of() -> None:
    entries = [hurt(n) for n in range(0, 40, 5)]
    [finding] = _findings(entries, as_of=day(22))
    assert (finding.date, finding.value) == (day(20), 21.0)
    assert _findings(entries, as_of=day(12)) == []


def test_the_span_is_configurable_and_the_rule_is_registered() -> None:
    assert len(_findings([hurt(0), hurt(6)], params={"pain-persistent": {"min_days": 7}})) == 1
    found = evaluate([], day(30), pain=[hurt(0), hurt(13)], since=D)
    assert [f.rule for f in found if f.severity is Severity.WARNING] == ["pain-persistent"]
