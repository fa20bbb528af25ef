"""``pain-persistent``: heel pain logged over 14 days or more with no pain-free entry between.

Heel-pain guidance (NHS) says to see a GP, physiotherapist or podiatrist when
pain has not improved after two weeks of self-care. A stretch is a run of
entries above 0 within one episode (``pain.episodes``) with no 0 entry between
them; it fires when its first and last entries are ``min_days`` or more apart.
One finding per stretch, dated on its latest entry up to ``as_of``, so pain that
goes on being logged stays in the report's window.
"""

from __future__ import annotations

from loadwatch import pain
from loadwatch.rules import Finding, Rule, RuleContext, Severity
from loadwatch.rules.findings import Evidence

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


def _finding(ctx: RuleContext, stretch: tuple[pain.PainEntry, ...], min_days: int) -> Finding:
    first, last = stretch[0], stretch[-1]
    span = (last.day - first.day).days
    worst = max(entry.level for entry in stretch)
    count = len(stretch)
    return Finding(
        rule=RULE_ID,
        severity=Severity.WARNING,
        date=last.day,
        week_start=ctx.week_of(last.day),
        value=float(span),
        threshold=float(min_days),
        unit="days",
        message=(
            f"Heel pain logged from {first.day.isoformat()} to {last.day.isoformat()} "
            f"({span} days, {count} entries, up to {worst}/10) with no pain-free (0) entry "
            "in between."
        ),
        advice=ADVICE,
        evidence=NHS_PLANTAR_FASCIITIS,
    )


def check(ctx: RuleContext) -> list[Finding]:
    min_days = int(ctx.settings(RULE)["min_days"])
    return [
        _finding(ctx, stretch, min_days)
        for episode in pain.episodes(ctx.pain, ctx.as_of)
        for stretch in episode.stretches()
        if (stretch[-1].day - stretch[0].day).days >= min_days
    ]


RULE: Rule = Rule(
    id=RULE_ID,
    title="Heel pain lasting two weeks or more",
    defaults={"min_days": 14},
    check=check,
)
