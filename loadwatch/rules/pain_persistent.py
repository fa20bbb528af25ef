"""``pain-persistent``: heel pain lasting 14 days or more with no pain-free entry between.

Heel-pain guidance (NHS) says to see a GP, physiotherapist or podiatrist when
pain has not improved after two weeks of self-care. A 0 entry ends an episode
(``pain.episodes``), so an episode's painful entries are one stretch of pain; it
fires when the pain has lasted ``min_days`` days, the first and last days both
counted (``pain.days_of_pain``, the count ``pain why`` shows). One finding per
episode, dated on its latest painful entry up to ``as_of``, so pain that goes on
being logged stays in the report's window.
"""

from __future__ import annotations

from loadwatch.rules.context import Rule, RuleContext
from loadwatch.rules.findings import Evidence, Finding, Severity
from loadwatch.userdata import pain

RULE_ID = "pain-persistent"

NHS_PLANTAR_FASCIITIS = Evidence(
    source=(
        "NHS, Plantar fasciitis (nhs.uk/conditions/plantar-fasciitis): see a GP if heel "
        "pain has not improved after 2 weeks of treating it at home"
    ),
    grade="guideline",
)

ADVICE = (
    "Heel pain for two weeks or more: keep resting from running, ice the sore spot for up to "
    "20 minutes at a time, stretch your calves and the plantar fascia, wear supportive shoes "
    "or heel cushioning, and see a GP, physiotherapist or podiatrist."
)


def _finding(ctx: RuleContext, episode: pain.Episode, min_days: int) -> Finding:
    first, last = episode.painful[0], episode.painful[-1]
    days = episode.days
    worst = max(entry.level for entry in episode.painful)
    count = len(episode.painful)
    return Finding(
        rule=RULE_ID,
        severity=Severity.WARNING,
        date=last.day,
        week_start=ctx.week_of(last.day),
        value=float(days),
        threshold=float(min_days),
        unit="days",
        message=(
            f"Heel pain logged from {first.day.isoformat()} to {last.day.isoformat()} "
            f"({days} days, {count} entries, up to {worst}/10) with no pain-free (0) entry "
            "in between."
        ),
        advice=ADVICE,
        evidence=NHS_PLANTAR_FASCIITIS,
        severity_reason=(
            "Warning: the guidance's own threshold for seeing a professional "
            "(pain for two weeks despite self-care)."
        ),
    )


def check(ctx: RuleContext) -> list[Finding]:
    min_days = int(ctx.settings(RULE)["min_days"])
    return [
        _finding(ctx, episode, min_days)
        for episode in pain.episodes(ctx.pain, ctx.as_of)
        if episode.painful and episode.days >= min_days
    ]


RULE: Rule = Rule(
    id=RULE_ID,
    title="Heel pain lasting two weeks or more",
    defaults={"min_days": pain.PERSISTENT_DAYS},
    check=check,
)
