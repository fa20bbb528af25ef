"""``weekly-increase``: a week's distance against the week before (the "10% rule").

Above +10% is a caution, above +30% a warning, judged only when the previous week
reached a base distance (10 km by default) so that 3 -> 5 miles does not alarm.
The current week is judged on its distance so far, so it fires as soon as it
already exceeds the previous week by enough. While heel pain is logged (see
``RuleContext.pain_on``) a rise above the caution percentage is a caution even
when the previous week is below the base distance.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from loadwatch.pain import pain_note
from loadwatch.rules import Finding, Rule, RuleContext, Severity, at_least, exceeds, km_mi
from loadwatch.rules.evidence import (
    LARGE_WEEKLY_JUMP,
    SEE_A_PROFESSIONAL,
    SORE_HEEL_CARE,
    STRETCH,
    TEN_PERCENT_RULE,
)

RULE_ID = "weekly-increase"


@dataclass(frozen=True, slots=True)
class Increase:
    """A week whose distance rose past a threshold on the week before."""

    week_start: date
    distance_m: float
    previous_m: float
    change_pct: float
    severity: Severity
    threshold_pct: float
    #: the day heel pain was logged when it let a week below the base distance fire
    pain_day: date | None = None


def increases(ctx: RuleContext) -> list[Increase]:
    """Weeks that fire this rule (also used by ``hard-surface``)."""
    settings = ctx.settings(RULE)
    base_m = float(settings["min_base_km"]) * 1000.0
    caution_pct = float(settings["caution_pct"])
    warning_pct = float(settings["warning_pct"])
    weeks = ctx.weeks
    found: list[Increase] = []
    rows = zip(weeks["week_start"], weeks["distance_m"], weeks["distance_m"].shift(1), strict=True)
    for week_start, distance, previous in rows:
        # the first row has no previous week (NaN), which fails at_least
        if not previous > 0:
            continue
        below_base = not at_least(previous, base_m)
        pain_day = ctx.pain_on(ctx.week_day(week_start)) if below_base else None
        if below_base and pain_day is None:
            continue
        change_pct = (distance - previous) / previous * 100.0
        if exceeds(change_pct, warning_pct) and not below_base:
            severity, threshold = Severity.WARNING, warning_pct
        elif exceeds(change_pct, caution_pct):
            severity, threshold = Severity.CAUTION, caution_pct
        else:
            continue
        found.append(
            Increase(week_start, distance, previous, change_pct, severity, threshold, pain_day)
        )
    return found


def _finding(ctx: RuleContext, rise: Increase) -> Finding:
    measured = (
        f"{ctx.week_label(rise.week_start).capitalize()}: {km_mi(rise.distance_m)}, "
        f"up {rise.change_pct:.1f}% on the previous week's {km_mi(rise.previous_m)}."
    )
    if rise.severity is Severity.WARNING:
        message = (
            f"{measured} Rises of more than {rise.threshold_pct:g}% within one to two weeks "
            "are the ones with some support as an injury risk, mainly in newer runners; "
            "the popular 10% figure itself is a tradition with weak evidence."
        )
        advice = (
            "Hold or trim next week's distance rather than adding more, and keep the extra "
            f"running easy. {STRETCH} {SORE_HEEL_CARE} {SEE_A_PROFESSIONAL}"
        )
        evidence = LARGE_WEEKLY_JUMP
    else:
        message = (
            f"{measured} That is above the traditional 10% rule, but the 10% figure is a "
            "tradition with weak evidence (a randomised trial of a 10%-based plan found no "
            "fewer injuries); rises of more than 30% within one to two weeks have more support "
            "as a risk."
        )
        advice = (
            "No need to cut back for this alone: hold this volume for a week or so before "
            f"adding more. {STRETCH} {SORE_HEEL_CARE}"
        )
        evidence = TEN_PERCENT_RULE
    if rise.pain_day is not None:
        message += f" {pain_note(rise.pain_day)}"
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
    )


def check(ctx: RuleContext) -> list[Finding]:
    return [_finding(ctx, rise) for rise in increases(ctx)]


RULE: Rule = Rule(
    id=RULE_ID,
    title="Weekly distance increase (the 10% rule)",
    defaults={"caution_pct": 10.0, "warning_pct": 30.0, "min_base_km": 10.0},
    check=check,
)
