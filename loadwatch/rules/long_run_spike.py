"""``long-run-spike``: one run against the longest run of the 30 days before it.

Frandsen et al. 2025 (5,205 runners) found sessions more than 10% longer than the
month's longest linked to a higher injury rate, the strongest training-data
signal available. The reference is the longest *earlier* run whose local date is
within the window (earlier runs on the same day count); it must be at least 3 km
so short jogs do not make every normal run look like a spike. While heel pain is
logged (see ``RuleContext.pain_on``) a caution is raised to a warning.
"""

from __future__ import annotations

from bisect import bisect_left
from datetime import datetime, timedelta

from loadwatch.model import Activity
from loadwatch.pain import pain_note
from loadwatch.rules import Finding, Rule, RuleContext, Severity, at_least, exceeds, km_mi
from loadwatch.rules.evidence import (
    SEE_A_PROFESSIONAL,
    SESSION_SPIKE,
    SORE_HEEL_CARE,
)

RULE_ID = "long-run-spike"

# A local calendar day can start up to ~26 hours away from UTC midnight, so the UTC
# search reaches a little further back and the local-date test decides.
_ZONE_SLACK = timedelta(days=2)


def _reference(
    runs: list[Activity], starts: list[datetime], index: int, window_days: int
) -> Activity | None:
    """The longest run before ``runs[index]`` within ``window_days`` local days."""
    run = runs[index]
    first_day = run.start_local.date() - timedelta(days=window_days)
    low = bisect_left(starts, run.start_utc - timedelta(days=window_days) - _ZONE_SLACK)
    earlier = [
        r
        for r in runs[low:index]
        if r.start_utc < run.start_utc and r.start_local.date() >= first_day
    ]
    # ties on distance go to the most recent run, a stable choice
    return max(earlier, key=lambda r: (r.distance_m or 0.0, r.start_utc), default=None)


def _finding(
    ctx: RuleContext,
    run: Activity,
    reference: Activity,
    spike_pct: float,
    thresholds: tuple[float, float],
) -> Finding:
    caution_pct, warning_pct = thresholds
    distance = run.distance_m or 0.0
    longest = reference.distance_m or 0.0
    day = run.start_local.date()
    measured = (
        f"Run on {day.isoformat()} was {km_mi(distance)}, {spike_pct:.0f}% longer than your "
        f"longest in the previous 30 days, {km_mi(longest)} on "
        f"{reference.start_local.date().isoformat()}."
    )
    if exceeds(spike_pct, warning_pct):
        severity, threshold = Severity.WARNING, warning_pct
        message = (
            f"{measured} In a study of 5,205 runners, runs more than double the month's "
            "longest went with about 2.3 times the injury rate (injuries in general; heels "
            "were not reported separately)."
        )
        advice = (
            "Take an easy or rest day next, and ice any sore spot on the heel or Achilles for "
            "up to 20 minutes. Build long runs back up in small steps, about 10% beyond your "
            f"recent longest. {SEE_A_PROFESSIONAL}"
        )
    else:
        severity, threshold = Severity.CAUTION, caution_pct
        message = (
            f"{measured} In a study of 5,205 runners, runs more than 10% over the month's "
            "longest went with about 1.5 to 1.6 times the injury rate (injuries in general; "
            "heels were not reported separately)."
        )
        advice = (
            "Keep the next few runs easy and no longer than usual, and lengthen your long run "
            f"in small steps. {SORE_HEEL_CARE}"
        )
        pain_day = ctx.pain_on(day)
        if pain_day is not None:
            severity = Severity.WARNING
            message += f" {pain_note(pain_day)}"
    return Finding(
        rule=RULE_ID,
        severity=severity,
        date=day,
        week_start=ctx.week_of(day),
        value=round(spike_pct, 2),
        threshold=threshold,
        unit="%",
        message=message,
        advice=advice,
        evidence=SESSION_SPIKE,
        activity_id=run.id,
        shoe=run.shoe,
    )


def check(ctx: RuleContext) -> list[Finding]:
    settings = ctx.settings(RULE)
    caution_pct = float(settings["caution_pct"])
    warning_pct = float(settings["warning_pct"])
    min_reference_m = float(settings["min_reference_km"]) * 1000.0
    window_days = int(settings["window_days"])
    runs = [run for run in ctx.runs if run.distance_m is not None]
    starts = [run.start_utc for run in runs]
    found: list[Finding] = []
    for index, run in enumerate(runs):
        reference = _reference(runs, starts, index, window_days)
        longest = 0.0 if reference is None else reference.distance_m or 0.0
        if reference is None or longest <= 0 or not at_least(longest, min_reference_m):
            continue
        spike_pct = ((run.distance_m or 0.0) / longest - 1.0) * 100.0
        if exceeds(spike_pct, caution_pct):
            found.append(_finding(ctx, run, reference, spike_pct, (caution_pct, warning_pct)))
    return found


RULE: Rule = Rule(
    id=RULE_ID,
    title="Run much longer than the month's longest",
    defaults={
        "caution_pct": 10.0,
        "warning_pct": 100.0,
        "min_reference_km": 3.0,
        "window_days": 30,
    },
    check=check,
)
