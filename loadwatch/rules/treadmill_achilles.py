"""``treadmill-achilles``: a mostly-treadmill week while Achilles pain is logged.

Willy et al. 2016 measured about 12.5% more peak Achilles force per step and 14%
more Achilles load per kilometre on a treadmill than overground (18 runners, no
injury outcome). That is worth knowing when the back of the heel already hurts,
and only then: the finding needs a week with more than ``share_pct`` (50%) of its
distance on a treadmill and pain at the back of the heel logged in the 14 days up
to the week's last day (or ``as_of``). Information only (science notes, SURF-TM).
"""

from __future__ import annotations

from datetime import date

from loadwatch.display import percent
from loadwatch.rules.context import Rule, RuleContext, exceeds
from loadwatch.rules.evidence import INFO_WEAK, SEE_A_PROFESSIONAL, TREADMILL
from loadwatch.rules.findings import Finding, Severity
from loadwatch.userdata import pain

RULE_ID = "treadmill-achilles"


def _achilles_pain(ctx: RuleContext, day: date) -> pain.PainEntry | None:
    entry = pain.in_pain(ctx.pain, day)
    return entry if entry is not None and entry.where in ("back", "both") else None


def check(ctx: RuleContext) -> list[Finding]:
    limit = float(ctx.settings(RULE)["share_pct"])
    found: list[Finding] = []
    weeks = ctx.weeks
    for week_start, distance, treadmill_m in zip(
        weeks["week_start"], weeks["distance_m"], weeks["treadmill_m"], strict=True
    ):
        if distance <= 0:
            continue
        share = treadmill_m / distance * 100.0
        day = ctx.week_day(week_start)
        entry = _achilles_pain(ctx, day) if exceeds(share, limit) else None
        if entry is None:
            continue
        found.append(
            Finding(
                rule=RULE_ID,
                severity=Severity.INFO,
                date=day,
                week_start=week_start,
                value=round(share, 2),
                threshold=limit,
                unit="%",
                message=(
                    f"{ctx.week_label(week_start).capitalize()}: {percent(share)}% of the "
                    f"{ctx.dist(distance)} was on a treadmill, while you logged pain at the back "
                    f"of the heel ({entry.describe()} on {entry.day.isoformat()}). One lab study "
                    "measured more load on the Achilles tendon per step and per kilometre on a "
                    "treadmill than overground."
                ),
                advice=(
                    "While the Achilles is sore, some of the treadmill running could move to level "
                    f"ground, or be kept short and easy. {SEE_A_PROFESSIONAL}"
                ),
                evidence=TREADMILL,
                severity_reason=INFO_WEAK,
            )
        )
    return found


RULE: Rule = Rule(
    id=RULE_ID,
    title="Treadmill running while the Achilles hurts",
    defaults={"share_pct": 50.0},
    check=check,
)
