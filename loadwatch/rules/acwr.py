"""``acwr``: the acute:chronic workload ratio, descriptive only.

Uses the weekly table's value (the uncoupled rolling ratio of daily distance,
days t-6..t over days t-27..t-7, see ``weekly.acwr_series``) on each week's last
day, or on ``as_of`` for the current week; it is undefined for the first 28 days.
The measure is contested, so it never goes above ``info`` and the message names
its criticisms.
"""

from __future__ import annotations

import math

from loadwatch.rules.context import Rule, RuleContext, exceeds
from loadwatch.rules.evidence import ACWR, INFO_CONTESTED, REST_WEEKLY
from loadwatch.rules.findings import Finding, Severity

RULE_ID = "acwr"

CRITICISMS = (
    "The ratio is widely used but contested: when the recent week is part of the baseline "
    "the two are correlated by construction (Lolli et al. 2019), re-analyses found it "
    "predicts injury little better than chance (Impellizzeri et al. 2020), and in 5,205 "
    "runners higher ratios went with fewer injuries, not more (Frandsen et al. 2025)."
)


def check(ctx: RuleContext) -> list[Finding]:
    limit = float(ctx.settings(RULE)["ratio"])
    weeks = ctx.weeks
    found: list[Finding] = []
    for week_start, ratio in zip(weeks["week_start"], weeks["acwr"], strict=True):
        if math.isnan(ratio) or not exceeds(ratio, limit):
            continue
        day = ctx.week_day(week_start)
        found.append(
            Finding(
                rule=RULE_ID,
                severity=Severity.INFO,
                date=day,
                week_start=week_start,
                value=round(float(ratio), 2),
                threshold=limit,
                unit="ratio",
                message=(
                    f"On {day.isoformat()} the acute:chronic ratio of daily distance (the "
                    f"last 7 days against the 21 days before them) was {ratio:.2f}. "
                    f"{CRITICISMS}"
                ),
                advice=(
                    "Read it as a trend, not a risk score: look at how the last few weeks "
                    f"have grown. {REST_WEEKLY}"
                ),
                evidence=ACWR,
                severity_reason=INFO_CONTESTED,
            )
        )
    return found


RULE: Rule = Rule(
    id=RULE_ID,
    title="Acute:chronic workload ratio (descriptive)",
    defaults={"ratio": 1.5},
    check=check,
)
