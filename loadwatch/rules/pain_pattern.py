"""``pain-pattern``: where and when the heel hurts, matched to the two common patterns.

Pain under the heel that is worst with the first steps in the morning is the
pattern typical of plantar fasciitis; pain at the back of the heel, the pattern
of Achilles tendinopathy. The finding names the match and the self-care the
guidance gives for it, never a diagnosis. One finding per pattern and episode,
dated on the episode's latest entry that fits it.
"""

from __future__ import annotations

from loadwatch.rules.context import Rule, RuleContext
from loadwatch.rules.findings import Evidence, Finding, Severity
from loadwatch.userdata import pain

RULE_ID = "pain-pattern"

PLANTAR_FASCIITIS = Evidence(
    source=(
        "NHS, Plantar fasciitis (nhs.uk/conditions/plantar-fasciitis); Koc et al. 2023, "
        "JOSPT 53(12):CPG1-39 (heel pain guideline)"
    ),
    grade="guideline",
)
ACHILLES = Evidence(
    source="Martin et al. 2018, JOSPT 48(5):A1-38 (Achilles tendinopathy guideline)",
    grade="guideline",
)

NOT_A_DIAGNOSIS = "This is a match with a common pattern, not a diagnosis."
SEE_IF_NOT_BETTER = (
    "If it has not improved after two weeks of self-care, see a GP, physiotherapist or podiatrist."
)
PF_CARE = (
    "Self-care the guidance gives for this pattern: rest from running, ice the heel for up "
    "to 20 minutes at a time, stretch your calves and the plantar fascia (the band under "
    f"the foot), and wear supportive shoes or heel cushioning. {SEE_IF_NOT_BETTER}"
)
ACHILLES_CARE = (
    "What the guideline recommends most for this pattern is progressive loading of the calf "
    "and tendon: slow heel raises, building up over weeks, ideally set by a physiotherapist. "
    "Meanwhile cut back the running that makes it worse rather than stopping all activity, "
    "and a heel lift or supportive shoes can ease pressure on the back of the heel. "
    f"{SEE_IF_NOT_BETTER}"
)


def plantar_fasciitis_entries(episode: pain.Episode) -> list[pain.PainEntry]:
    """Under-heel entries on the first steps, if that is when the heel hurts most.

    Empty unless no under-heel entry at another time of day is worse than the
    worst first-steps one.
    """
    under = [e for e in episode.painful if e.where in ("under", "both")]
    first = [e for e in under if e.when == "first-steps"]
    other = [e.level for e in under if e.when is not None and e.when != "first-steps"]
    if not first or max(e.level for e in first) < max(other, default=0):
        return []
    return first


def achilles_entries(episode: pain.Episode) -> list[pain.PainEntry]:
    return [e for e in episode.painful if e.where in ("back", "both")]


def _finding(
    ctx: RuleContext, episode: pain.Episode, entries: list[pain.PainEntry], *, achilles: bool
) -> Finding:
    last = entries[-1]
    worst = max(e.level for e in entries)
    count = f"{len(entries)} entr{'y' if len(entries) == 1 else 'ies'}"
    if achilles:
        measured = (
            f"Pain at the back of the heel in {count} of episode {episode.number} (from "
            f"{episode.onset.isoformat()}, up to {worst}/10). That matches the pattern "
            "typical of Achilles tendinopathy."
        )
        advice, evidence = ACHILLES_CARE, ACHILLES
    else:
        measured = (
            f"Pain under the heel, worst on the first steps, in {count} of episode "
            f"{episode.number} (from {episode.onset.isoformat()}, up to {worst}/10). That "
            "matches the pattern typical of plantar fasciitis."
        )
        advice, evidence = PF_CARE, PLANTAR_FASCIITIS
    return Finding(
        rule=RULE_ID,
        severity=Severity.INFO,
        date=last.day,
        week_start=ctx.week_of(last.day),
        value=float(len(entries)),
        threshold=float(ctx.settings(RULE)["min_entries"]),
        unit="entries",
        message=f"{measured} {NOT_A_DIAGNOSIS}",
        advice=advice,
        evidence=evidence,
        severity_reason="Information: a pattern to know, never a diagnosis.",
    )


def check(ctx: RuleContext) -> list[Finding]:
    needed = int(ctx.settings(RULE)["min_entries"])
    found: list[Finding] = []
    for episode in pain.episodes(ctx.pain, ctx.as_of):
        for entries, achilles in (
            (plantar_fasciitis_entries(episode), False),
            (achilles_entries(episode), True),
        ):
            if entries and len(entries) >= needed:
                found.append(_finding(ctx, episode, entries, achilles=achilles))
    return found


RULE: Rule = Rule(
    id=RULE_ID,
    title="Heel pain pattern",
    defaults={"min_entries": 1},
    check=check,
)
