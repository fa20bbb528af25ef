"""``monotony``: Foster's training monotony over each complete calendar week.

Monotony is the mean of the seven daily distances divided by their standard
deviation (rest days count as 0; the population SD, as the seven days are the
whole week). Identical daily distances make the SD zero and the ratio infinite,
so it is capped and reported as such. Foster studied illness, not injury, and the
2.0 cut-off is a convention: information only. The current partial week is left
out, since its missing days are not yet rest days.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from loadwatch.rules.context import Rule, RuleContext, exceeds
from loadwatch.rules.evidence import INFO_WEAK, MONOTONY, REST_WEEKLY
from loadwatch.rules.findings import Finding, Severity

if TYPE_CHECKING:
    import pandas as pd

RULE_ID = "monotony"

# A standard deviation this small (metres) is float noise around identical loads.
_FLAT_SD_M = 1e-6


def _finding(
    ctx: RuleContext, week_start: date, loads: pd.Series, monotony: float, flat: bool
) -> Finding:
    mean, sd = float(loads.mean()), float(loads.std(ddof=0))
    if flat:
        measured = (
            f"every day's distance was the same ({ctx.dist(mean)}), so monotony has no finite "
            f"value; it is shown capped at {monotony:g}"
        )
    else:
        measured = (
            f"training monotony was {monotony:.2f} (mean daily distance {ctx.dist(mean)}, "
            f"standard deviation {ctx.dist(sd)}, rest days as 0)"
        )
    return Finding(
        rule=RULE_ID,
        severity=Severity.INFO,
        date=week_start + timedelta(days=6),
        week_start=week_start,
        value=round(monotony, 2),
        threshold=float(ctx.settings(RULE)["ratio"]),
        unit="ratio",
        message=(
            f"{ctx.week_label(week_start).capitalize()}: {measured}. Monotony is a popular "
            "measure but does not reliably predict injury; it was studied for illness."
        ),
        advice=f"{REST_WEEKLY} Varying the length of runs lowers monotony.",
        evidence=MONOTONY,
        severity_reason=INFO_WEAK,
    )


def check(ctx: RuleContext) -> list[Finding]:
    settings = ctx.settings(RULE)
    limit = float(settings["ratio"])
    cap = float(settings["cap"])
    complete = [w for w in ctx.weeks["week_start"] if w + timedelta(days=6) <= ctx.as_of]
    if not complete:
        return []
    import pandas as pd  # loaded with the weekly table, never at import (see context.build)

    # One array of whole weeks (rest days 0), so every week's mean and spread come at once.
    days = pd.date_range(pd.Timestamp(complete[0]), periods=7 * len(complete), freq="D")
    grid = ctx.daily.reindex(days, fill_value=0.0).to_numpy().reshape(len(complete), 7)
    means, sds = grid.mean(axis=1), grid.std(axis=1)
    found: list[Finding] = []
    for index, week_start in enumerate(complete):
        mean, sd = float(means[index]), float(sds[index])
        if mean <= 0:
            continue
        flat = sd < _FLAT_SD_M
        monotony = cap if flat else min(mean / sd, cap)
        if exceeds(monotony, limit):
            loads = pd.Series(grid[index], index=days[7 * index : 7 * index + 7])
            found.append(_finding(ctx, week_start, loads, monotony, flat))
    return found


RULE: Rule = Rule(
    id=RULE_ID,
    title="Training monotony (Foster)",
    defaults={"ratio": 2.0, "cap": 10.0},
    check=check,
)
