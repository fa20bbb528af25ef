"""``track-share``: more than a quarter of a week's distance on a running track.

Hotta et al. 2016 found plantar heel pain more common in competitive runners who
did over 25% of their running on a synthetic track; one cross-sectional study, so
this is information only.
"""

from __future__ import annotations

from datetime import date

from loadwatch.rules.context import Rule, RuleContext, exceeds
from loadwatch.rules.evidence import INFO_WEAK, SORE_HEEL_CARE, STRETCH, TRACK_SHARE
from loadwatch.rules.findings import Finding, Severity

RULE_ID = "track-share"


def _finding(ctx: RuleContext, week_start: date, track_m: float, share_pct: float) -> Finding:
    return Finding(
        rule=RULE_ID,
        severity=Severity.INFO,
        date=ctx.week_day(week_start),
        week_start=week_start,
        value=round(share_pct, 2),
        threshold=float(ctx.settings(RULE)["share_pct"]),
        unit="%",
        message=(
            f"{ctx.week_label(week_start).capitalize()}: {ctx.dist(track_m)} on a track, "
            f"{share_pct:.0f}% of the week's distance. In one survey of competitive runners, "
            "more than a quarter of running on a synthetic track went with more plantar heel "
            "pain."
        ),
        advice=(
            "Keep track sessions to a part of the week and run the rest on other ground. "
            f"{STRETCH} {SORE_HEEL_CARE}"
        ),
        evidence=TRACK_SHARE,
        severity_reason=INFO_WEAK,
    )


def check(ctx: RuleContext) -> list[Finding]:
    limit = float(ctx.settings(RULE)["share_pct"])
    weeks = ctx.weeks
    found: list[Finding] = []
    for week_start, distance, track_m in zip(
        weeks["week_start"], weeks["distance_m"], weeks["track_m"], strict=True
    ):
        if distance <= 0:
            continue
        share_pct = track_m / distance * 100.0
        if exceeds(share_pct, limit):
            found.append(_finding(ctx, week_start, track_m, share_pct))
    return found


RULE: Rule = Rule(
    id=RULE_ID,
    title="Much of the week on a track",
    defaults={"share_pct": 25.0},
    check=check,
)
