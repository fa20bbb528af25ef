"""``surface-change``: most of a week on a surface the runner has barely used lately.

The share of the week is over the week's whole distance, and the history share
over all distance in the 30 days before the week starts. Unknown surface is never
the "new" surface, and a week with no earlier history in the window is skipped:
a change needs something to change from.
"""

from __future__ import annotations

from datetime import date, timedelta

from loadwatch import runs
from loadwatch.rules.context import Rule, RuleContext, exceeds
from loadwatch.rules.evidence import INFO_WEAK, SORE_HEEL_CARE, SURFACE_CHANGE
from loadwatch.rules.findings import Finding, Severity

RULE_ID = "surface-change"


def _finding(
    ctx: RuleContext, week_start: date, surface: str, week_pct: float, history_pct: float
) -> Finding:
    settings = ctx.settings(RULE)
    history_days = int(settings["history_days"])
    treadmill = (
        " On a treadmill one lab study measured about 12% more peak Achilles force per "
        "step than overground."
        if surface == "treadmill"
        else ""
    )
    return Finding(
        rule=RULE_ID,
        severity=Severity.INFO,
        date=ctx.week_day(week_start),
        week_start=week_start,
        value=round(week_pct, 2),
        threshold=float(settings["week_share_pct"]),
        unit="%",
        message=(
            f"{ctx.week_label(week_start).capitalize()}: {week_pct:.0f}% of the distance was "
            f"on {surface}, which made up {history_pct:.0f}% of the {history_days} days "
            f"before.{treadmill}"
        ),
        advice=(
            "Evidence on surfaces is weak, but a sudden switch loads the heel and Achilles in "
            "unfamiliar ways. Move to the new surface over a few weeks, keep some runs on "
            f"familiar ground, and watch for heel or Achilles soreness. {SORE_HEEL_CARE}"
        ),
        evidence=SURFACE_CHANGE,
        severity_reason=INFO_WEAK,
    )


def check(ctx: RuleContext) -> list[Finding]:
    settings = ctx.settings(RULE)
    week_limit = float(settings["week_share_pct"])
    history_limit = float(settings["history_share_pct"])
    history_days = int(settings["history_days"])
    weeks = ctx.weeks
    if weeks.empty:
        return []
    first = weeks["week_start"].iloc[0] - timedelta(days=history_days)
    # loaded with the weekly table, never at import (see context.build)
    import pandas as pd

    from loadwatch import weekly

    daily = weekly.daily_surface_distance(ctx.runs, first, ctx.as_of)
    candidates = [s for s in runs.SURFACES if s != "unknown"]
    # Distance per surface over the history_days before each day, for every day at once.
    before = daily.rolling(history_days, min_periods=1).sum().shift(1, fill_value=0.0)
    starts = pd.to_datetime(pd.Series(weeks["week_start"]))
    history_rows = before.reindex(starts).to_dict("records")
    found: list[Finding] = []
    rows = weeks[["week_start", "distance_m", *weekly.SURFACE_COLUMNS]].to_dict("records")
    for row, history in zip(rows, history_rows, strict=True):
        week_start: date = row["week_start"]
        if row["distance_m"] <= 0:
            continue
        history_total = float(sum(history.values()))
        if history_total <= 0:
            continue
        for surface in candidates:
            week_pct = row[f"{surface}_m"] / row["distance_m"] * 100.0
            history_pct = float(history[surface]) / history_total * 100.0
            if exceeds(week_pct, week_limit) and exceeds(history_limit, history_pct):
                found.append(_finding(ctx, week_start, surface, week_pct, history_pct))
    return found


RULE: Rule = Rule(
    id=RULE_ID,
    title="Sudden change of running surface",
    defaults={"week_share_pct": 50.0, "history_share_pct": 10.0, "history_days": 30},
    check=check,
)
