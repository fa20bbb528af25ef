"""``high-volume``: more than 40 km in seven days.

Plesek et al. 2025 linked weekly distances above 40 km (against 6-20 km) to
about six times the odds of plantar fasciitis, from few cases. The 7-day total
is rolling; to keep the list short it is reported once per calendar week, on the
first day the total goes over the limit.
"""

from __future__ import annotations

from datetime import date

from loadwatch.rules.context import Rule, RuleContext, exceeds
from loadwatch.rules.evidence import HIGH_VOLUME, INFO_WEAK, STRETCH
from loadwatch.rules.findings import Finding, Severity

RULE_ID = "high-volume"


def check(ctx: RuleContext) -> list[Finding]:
    settings = ctx.settings(RULE)
    limit_km = float(settings["distance_km"])
    totals = ctx.daily.rolling(7, min_periods=1).sum()
    found: list[Finding] = []
    reported: set[date] = set()
    for stamp, total_m in totals.items():
        day = stamp.date()
        week_start = ctx.week_of(day)
        if week_start in reported or not exceeds(total_m / 1000.0, limit_km):
            continue
        reported.add(week_start)
        found.append(
            Finding(
                rule=RULE_ID,
                severity=Severity.INFO,
                date=day,
                week_start=week_start,
                value=round(total_m / 1000.0, 2),
                threshold=limit_km,
                unit="km",
                message=(
                    f"In the 7 days to {day.isoformat()} you ran {ctx.dist(total_m)}, more than "
                    f"{ctx.dist(limit_km * 1000.0)}. Running over 40 km a week has been "
                    "associated with plantar fasciitis (heel pain under the foot) in one cohort "
                    "of runners."
                ),
                advice=(
                    "High volume is fine for many runners; progress it gently, keep up calf "
                    f"stretching and strengthening, and run in well-cushioned shoes. {STRETCH}"
                ),
                evidence=HIGH_VOLUME,
                severity_reason=INFO_WEAK,
            )
        )
    return found


RULE: Rule = Rule(
    id=RULE_ID,
    title="High weekly volume",
    defaults={"distance_km": 40.0},
    check=check,
)
