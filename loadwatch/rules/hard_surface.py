"""``hard-surface``: a week run almost entirely on road.

Only distance whose surface is known counts towards the share; the week must
reach a minimum distance (10 km by default). The link between hard ground and
heel pain is assumed more than measured, so this is information, raised to a
caution only when the same week also rose sharply (``weekly-increase``).
"""

from __future__ import annotations

from datetime import date

from loadwatch.rules import Finding, Rule, RuleContext, Severity, at_least, km_mi
from loadwatch.rules.evidence import HARD_SURFACE, SORE_HEEL_CARE
from loadwatch.rules.weekly_increase import increases

RULE_ID = "hard-surface"


def _finding(
    ctx: RuleContext, week_start: date, known_m: float, share_pct: float, rise_pct: float | None
) -> Finding:
    settings = ctx.settings(RULE)
    measured = (
        f"{ctx.week_label(week_start).capitalize()}: {share_pct:.0f}% of the "
        f"{km_mi(known_m)} with a known surface was on road."
    )
    if rise_pct is None:
        severity, extra = Severity.INFO, ""
    else:
        severity = Severity.CAUTION
        extra = f" The same week's distance also rose {rise_pct:.0f}% on the week before."
    return Finding(
        rule=RULE_ID,
        severity=severity,
        date=ctx.week_day(week_start),
        week_start=week_start,
        value=round(share_pct, 2),
        threshold=float(settings["road_share_pct"]),
        unit="%",
        message=(
            f"{measured}{extra} Poor shock absorption is listed as a heel-pain risk factor, "
            "though studies of hard surfaces are few and mixed."
        ),
        advice=(
            "Mix in some grass, trail or track running, and check your shoes' cushioning: a "
            f"flattened or creased midsole absorbs less shock. {SORE_HEEL_CARE}"
        ),
        evidence=HARD_SURFACE,
    )


def check(ctx: RuleContext) -> list[Finding]:
    settings = ctx.settings(RULE)
    min_week_m = float(settings["min_week_km"]) * 1000.0
    share_limit = float(settings["road_share_pct"])
    risen = {rise.week_start: rise.change_pct for rise in increases(ctx)}
    weeks = ctx.weeks
    known = weeks["distance_m"] - weeks["unknown_m"]
    found: list[Finding] = []
    rows = zip(weeks["week_start"], weeks["distance_m"], known, weeks["road_m"], strict=True)
    for week_start, distance, known_m, road_m in rows:
        if known_m <= 0 or not at_least(distance, min_week_m):
            continue
        share_pct = road_m / known_m * 100.0
        if at_least(share_pct, share_limit):
            found.append(_finding(ctx, week_start, known_m, share_pct, risen.get(week_start)))
    return found


RULE: Rule = Rule(
    id=RULE_ID,
    title="Week almost all on road",
    defaults={"min_week_km": 10.0, "road_share_pct": 80.0},
    check=check,
)
