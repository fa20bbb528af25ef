"""``worn-shoes-hard-surface``: road runs in a pair that is already past 300 mi.

Worn cushioning and hard ground are both named in heel-pain guidance as ways of
losing shock absorption; together they are worth a word. One finding per week
and pair, dated on the week's last day (or ``as_of`` in the current week). A
run counts when the pair had already reached the mark before it started.
"""

from __future__ import annotations

from datetime import date

from loadwatch.model import Surface
from loadwatch.rules import Finding, Rule, RuleContext, Severity, km_mi
from loadwatch.rules.evidence import SORE_HEEL_CARE
from loadwatch.rules.findings import Evidence
from loadwatch.shoes import ShoeRun, Usage, reached
from loadwatch.units import METRES_PER_KM, METRES_PER_MILE

RULE_ID = "worn-shoes-hard-surface"

WORN_ON_ROAD = Evidence(
    source=(
        "Martin et al. 2014, JOSPT 44(11):A1-33 (poor shock absorption as a heel-pain risk "
        "factor); cushioning loss with mileage in lab tests: Cook et al. 1985, Verdejo & "
        "Mills 2004"
    ),
    grade="C/D",
)


def _finding(
    ctx: RuleContext, usage: Usage, week_start: date, steps: list[ShoeRun], worn_m: float
) -> Finding:
    road_m = sum(step.run.distance_m or 0.0 for step in steps)
    had = steps[0].before_m
    runs = f"{len(steps)} road run{'s' if len(steps) != 1 else ''}"
    return Finding(
        rule=RULE_ID,
        severity=Severity.CAUTION,
        date=ctx.week_day(week_start),
        week_start=week_start,
        value=round(had / METRES_PER_KM, 2),
        threshold=round(worn_m / METRES_PER_KM, 2),
        unit="km",
        message=(
            f"{ctx.week_label(week_start).capitalize()}: {runs} ({km_mi(road_m)}) in "
            f"'{usage.shoe.name}', which already had {km_mi(had)} on it. Worn cushioning on "
            "hard ground absorbs less shock, a heel-pain risk factor in the guidance."
        ),
        advice=(
            "Wear a fresher pair for road runs or move some runs to grass, trail or track, and "
            f"plan to replace this pair. {SORE_HEEL_CARE}"
        ),
        evidence=WORN_ON_ROAD,
        activity_id=steps[0].run.id,
        shoe=usage.shoe.name,
    )


def check(ctx: RuleContext) -> list[Finding]:
    worn_m = float(ctx.settings(RULE)["worn_mi"]) * METRES_PER_MILE
    found: list[Finding] = []
    for usage in ctx.shoe_usage:
        retired = usage.shoe.retired_on
        if retired is not None and retired <= ctx.as_of:
            continue
        weeks: dict[date, list[ShoeRun]] = {}
        for step in usage.runs:
            if step.run.surface is Surface.ROAD and reached(step.before_m, worn_m):
                weeks.setdefault(ctx.week_of(step.day), []).append(step)
        found.extend(_finding(ctx, usage, week, steps, worn_m) for week, steps in weeks.items())
    return found


RULE: Rule = Rule(
    id=RULE_ID,
    title="Road runs in worn shoes",
    defaults={"worn_mi": 300.0},
    check=check,
)
