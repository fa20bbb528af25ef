"""``weekly-increase``: a week's distance against the highest of the four weeks before it.

The baseline is the highest complete week among the previous ``baseline_weeks``
(4), the weekly counterpart of the spike rule's 30-day longest run: a week fires
only when it is a new high beyond the threshold, so weeks that alternate 3 and 4
runs, or a return from a recovery week to the usual volume, stay silent.

Severity follows the evidence (science notes, sections 1 and 9): above +10% is
information (the 10% rule is tradition: a randomised trial found no effect),
above +30% a caution (a weak, non-significant signal in newer runners). The
baseline must reach ``min_base_km`` (10 km) and the log must reach back
``min_history_days`` (30) before the week, so that small or early numbers do not
alarm. While heel pain is logged (``RuleContext.pain_on``) the finding is raised
one level and a week below the base distance fires too. The current week is
judged on its distance so far.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from loadwatch.display import percent
from loadwatch.rules.context import Rule, RuleContext, at_least, exceeds
from loadwatch.rules.evidence import (
    CAUTION_JUMP,
    INFO_TRADITION,
    LARGE_WEEKLY_JUMP,
    SEE_A_PROFESSIONAL,
    SORE_HEEL_CARE,
    STRETCH,
    TEN_PERCENT_RULE,
)
from loadwatch.rules.findings import Finding, Severity
from loadwatch.userdata.pain import pain_note

if TYPE_CHECKING:
    import pandas as pd

RULE_ID = "weekly-increase"
_RAISED = {Severity.INFO: Severity.CAUTION, Severity.CAUTION: Severity.WARNING}


@dataclass(frozen=True, slots=True)
class Baseline:
    """The highest complete week among the few before a week."""

    week_start: date
    distance_m: float


def baselines(weeks: pd.DataFrame, count: int) -> list[Baseline | None]:
    """For each row of the weekly table, the highest of the ``count`` weeks before it.

    None for the first week. Ties go to the most recent week. Every week before the
    last row is complete, so the baseline never includes a partial week.
    """
    starts = list(weeks["week_start"])
    distances = [float(d) for d in weeks["distance_m"]]
    out: list[Baseline | None] = []
    for index in range(len(starts)):
        window = range(max(0, index - count), index)
        best = max(window, key=lambda i: (distances[i], i), default=None)
        out.append(None if best is None else Baseline(starts[best], distances[best]))
    return out


def change_pct(distance_m: float, baseline: Baseline | None) -> float | None:
    """A week's change on its baseline, in percent (None without a positive baseline)."""
    if baseline is None or baseline.distance_m <= 0:
        return None
    return (distance_m - baseline.distance_m) / baseline.distance_m * 100.0


@dataclass(frozen=True, slots=True)
class Increase:
    """A week whose distance rose past a threshold on its baseline."""

    week_start: date
    distance_m: float
    baseline: Baseline
    change_pct: float
    severity: Severity
    threshold_pct: float
    #: the day heel pain was logged when it raised the finding
    pain_day: date | None = None


def increases(ctx: RuleContext) -> list[Increase]:
    """Weeks that fire this rule."""
    settings = ctx.settings(RULE)
    base_m = float(settings["min_base_km"]) * 1000.0
    info_pct = float(settings["info_pct"])
    caution_pct = float(settings["caution_pct"])
    history = timedelta(days=float(settings["min_history_days"]))
    if not ctx.runs:
        return []
    first_run = min(run.start_local.date() for run in ctx.runs)
    weeks = ctx.weeks
    found: list[Increase] = []
    rows = zip(
        weeks["week_start"],
        weeks["distance_m"],
        baselines(weeks, int(settings["baseline_weeks"])),
        strict=True,
    )
    for week_start, distance, baseline in rows:
        change = change_pct(float(distance), baseline)
        if change is None or baseline is None or week_start - first_run < history:
            continue
        pain_day = ctx.pain_on(ctx.week_day(week_start))
        if not at_least(baseline.distance_m, base_m) and pain_day is None:
            continue
        if exceeds(change, caution_pct):
            severity, threshold = Severity.CAUTION, caution_pct
        elif exceeds(change, info_pct):
            severity, threshold = Severity.INFO, info_pct
        else:
            continue
        if pain_day is not None:
            severity = _RAISED[severity]
        found.append(
            Increase(week_start, float(distance), baseline, change, severity, threshold, pain_day)
        )
    return found


def _finding(ctx: RuleContext, rise: Increase) -> Finding:
    caution_pct = float(ctx.settings(RULE)["caution_pct"])
    base = rise.baseline
    measured = (
        f"{ctx.week_label(rise.week_start).capitalize()}: {ctx.dist(rise.distance_m)}, "
        f"{percent(rise.change_pct)}% above your highest week of the four before it "
        f"({ctx.dist(base.distance_m)}, the week of {base.week_start.isoformat()})."
    )
    if rise.threshold_pct >= caution_pct:
        message = (
            f"{measured} In some studies of newer runners, weekly rises of more than "
            f"{rise.threshold_pct:g}% went with more injuries, though the link was not "
            "statistically clear and did not include heel injuries; the largest study found "
            "no week-to-week effect."
        )
        advice = (
            "Hold this volume for a week or two before adding more, and keep the extra "
            f"running easy. {STRETCH} {SORE_HEEL_CARE}"
        )
        evidence, reason = LARGE_WEEKLY_JUMP, CAUTION_JUMP
    else:
        message = (
            f"{measured} That is above the traditional 10% rule, a guide with little "
            "evidence behind it: a randomised trial of a 10%-based plan found no fewer "
            "injuries."
        )
        advice = (
            "No need to cut back for this alone: let the new volume settle for a week before "
            f"adding more. {STRETCH}"
        )
        evidence, reason = TEN_PERCENT_RULE, INFO_TRADITION
    if rise.pain_day is not None:
        message += f" {pain_note(rise.pain_day)}"
        advice = f"Hold or trim your running while the heel hurts. {advice} {SEE_A_PROFESSIONAL}"
        reason = (
            f"{rise.severity.value.capitalize()}: raised one level because heel pain "
            f"is logged ({reason[0].lower()}{reason[1:]})"
        )
    return Finding(
        rule=RULE_ID,
        severity=rise.severity,
        date=ctx.week_day(rise.week_start),
        week_start=rise.week_start,
        value=round(rise.change_pct, 2),
        threshold=rise.threshold_pct,
        unit="%",
        message=message,
        advice=advice,
        evidence=evidence,
        severity_reason=reason,
    )


def check(ctx: RuleContext) -> list[Finding]:
    return [_finding(ctx, rise) for rise in increases(ctx)]


RULE: Rule = Rule(
    id=RULE_ID,
    title="Weekly distance increase (the 10% rule, and larger jumps)",
    defaults={
        "info_pct": 10.0,
        "caution_pct": 30.0,
        "min_base_km": 10.0,
        "baseline_weeks": 4,
        "min_history_days": 30,
    },
    check=check,
)
