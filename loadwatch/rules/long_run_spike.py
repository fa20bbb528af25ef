"""``long-run-spike``: one run against the longest run of the 30 days before it.

Frandsen et al. 2025 (5,205 runners) found sessions more than 10% longer than the
month's longest linked to a higher injury rate, the strongest training-data
signal available: above 10% is a caution, above 100% a warning (science notes,
section 9). The reference is the longest *earlier* run whose local date is within
the window (earlier runs on the same day count), and the log must reach back 30
days. Against a reference under 3 km a percentage says little, so such a spike is
information. A caution is raised to a warning while heel pain is logged
(``RuleContext.pain_on``) and when the diary shows a heel or Achilles episode in
the 12 months before (Lagas et al. 2020: odds ratio 6.3 for a previous one).
"""

from __future__ import annotations

from bisect import bisect_left
from datetime import datetime, timedelta

from loadwatch.display import percent
from loadwatch.model import Activity
from loadwatch.rules.context import Rule, RuleContext, at_least, exceeds
from loadwatch.rules.evidence import (
    CAUTION_SPIKE,
    INFO_SHORT_REFERENCE,
    PREVIOUS_INJURY,
    SEE_A_PROFESSIONAL,
    SESSION_SPIKE,
    SORE_HEEL_CARE,
    WARNING_SPIKE,
)
from loadwatch.rules.findings import Finding, Severity
from loadwatch.userdata.pain import RECENT_PAIN_DAYS, pain_note

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
    *,
    short_history: bool = False,
) -> Finding:
    caution_pct, warning_pct = thresholds
    settings = ctx.settings(RULE)
    min_reference_km = float(settings["min_reference_km"])
    distance = run.distance_m or 0.0
    longest = reference.distance_m or 0.0
    day = run.start_local.date()
    measured = (
        f"Run on {day.isoformat()} was {ctx.dist(distance)}, {percent(spike_pct)}% longer than "
        f"your longest in the previous 30 days, {ctx.dist(longest)} on "
        f"{reference.start_local.date().isoformat()}."
    )
    if short_history:
        severity, threshold = Severity.INFO, caution_pct
        message = (
            f"{measured} Your log starts less than {settings['min_history_days']:g} days "
            "before it, so the month's longest run is not known and this is only noted."
        )
        advice = (
            "Lengthen long runs in small steps, about 10% beyond your recent longest. "
            f"{SORE_HEEL_CARE}"
        )
        reason = (
            "Information: with less than a month of log before the run, the spike "
            "cannot be measured the way the study measured it."
        )
    elif not at_least(longest, min_reference_km * 1000.0):
        severity, threshold = Severity.INFO, caution_pct
        message = (
            f"{measured} Against such a short reference the percentage says little, but the "
            "run was a big step up for the heel and Achilles."
        )
        advice = (
            "Build up distance in small steps, with easy days between longer runs. "
            f"{SORE_HEEL_CARE}"
        )
        reason = INFO_SHORT_REFERENCE.format(km=min_reference_km)
    elif exceeds(spike_pct, warning_pct):
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
        reason = WARNING_SPIKE
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
        reason = CAUTION_SPIKE
        pain_day = ctx.pain_on(day)
        before = None if pain_day is not None else ctx.previous_episode(day)
        if pain_day is not None or before is not None:
            severity = Severity.WARNING
            if pain_day is not None:
                message += f" {pain_note(pain_day)}"
                reason = (
                    "Warning: raised from caution because heel pain is logged in the "
                    f"{RECENT_PAIN_DAYS} days up to it."
                )
            else:
                assert before is not None
                message += (
                    f" Your diary shows heel pain from {before.onset.isoformat()} to "
                    f"{before.last_pain.isoformat()}: a heel or Achilles problem in the last "
                    "12 months is the strongest known risk factor for another."
                )
                reason = (
                    "Warning: raised from caution because of a heel or Achilles episode "
                    f"in the last 12 months ({PREVIOUS_INJURY})."
                )
            advice = (
                "Take an easy or rest day next and keep runs no longer than usual until the "
                f"heel has settled. {SORE_HEEL_CARE} {SEE_A_PROFESSIONAL}"
            )
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
        severity_reason=reason,
    )


def spike(run: Activity, reference: Activity | None) -> float | None:
    """Frandsen et al.'s spike: ``distance / longest of the 30 days before - 1``, in percent."""
    longest = None if reference is None else reference.distance_m
    if not longest or longest <= 0 or run.distance_m is None:
        return None
    return (run.distance_m / longest - 1.0) * 100.0


def category(spike_pct: float | None) -> str:
    """Frandsen et al.'s spike category: reference, small, moderate or large."""
    if spike_pct is None or not exceeds(spike_pct, 10.0):
        return "reference"
    if not exceeds(spike_pct, 30.0):
        return "small"
    return "moderate" if not exceeds(spike_pct, 100.0) else "large"


def references(ctx: RuleContext) -> list[tuple[Activity, Activity | None]]:
    """Every run with a distance, with the longest run of the window before it."""
    window_days = int(ctx.settings(RULE)["window_days"])
    runs = [run for run in ctx.runs if run.distance_m is not None]
    starts = [run.start_utc for run in runs]
    return [(run, _reference(runs, starts, index, window_days)) for index, run in enumerate(runs)]


def check(ctx: RuleContext) -> list[Finding]:
    settings = ctx.settings(RULE)
    caution_pct = float(settings["caution_pct"])
    warning_pct = float(settings["warning_pct"])
    history = timedelta(days=float(settings["min_history_days"]))
    if not ctx.runs:
        return []
    first_day = min(run.start_local.date() for run in ctx.runs)
    found: list[Finding] = []
    for run, reference in references(ctx):
        spike_pct = spike(run, reference)
        if spike_pct is None or reference is None or not exceeds(spike_pct, caution_pct):
            continue
        # a month's longest needs a month of log before it
        short = run.start_local.date() - first_day < history
        found.append(
            _finding(
                ctx, run, reference, spike_pct, (caution_pct, warning_pct), short_history=short
            )
        )
    return found


RULE: Rule = Rule(
    id=RULE_ID,
    title="Run much longer than the month's longest",
    defaults={
        "caution_pct": 10.0,
        "warning_pct": 100.0,
        "min_reference_km": 3.0,
        "window_days": 30,
        "min_history_days": 30,
    },
    check=check,
)
