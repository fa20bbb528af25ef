"""``return-after-break``: the first run after 30 or more days without running.

After a long break there is no recent reference run to compare with (the spike
rule stays silent), yet the heel and Achilles have lost some tolerance to load.
Only fires when there was earlier history: the very first run is not a return.
"""

from __future__ import annotations

from datetime import date

from loadwatch.model import Activity
from loadwatch.rules.context import Rule, RuleContext, at_least
from loadwatch.rules.evidence import INFO_CONVENTION, RETURN_AFTER_BREAK, SEE_A_PROFESSIONAL
from loadwatch.rules.findings import Finding, Severity

RULE_ID = "return-after-break"


def _finding(ctx: RuleContext, run: Activity, previous: date, gap_days: int) -> Finding:
    day = run.start_local.date()
    distance = "" if run.distance_m is None else f", {ctx.dist(run.distance_m)},"
    return Finding(
        rule=RULE_ID,
        severity=Severity.INFO,
        date=day,
        week_start=ctx.week_of(day),
        value=float(gap_days),
        threshold=float(ctx.settings(RULE)["gap_days"]),
        unit="days",
        message=(
            f"Run on {day.isoformat()}{distance} is the first after {gap_days} days without "
            f"running (previous run on {previous.isoformat()})."
        ),
        advice=(
            "After a month or more off, the heel and Achilles tolerate less load than before "
            "the break. Keep the first weeks' runs short and easy and build back gradually, "
            f"with rest days in between. {SEE_A_PROFESSIONAL}"
        ),
        evidence=RETURN_AFTER_BREAK,
        severity_reason=INFO_CONVENTION,
        activity_id=run.id,
        shoe=run.shoe,
    )


def check(ctx: RuleContext) -> list[Finding]:
    gap_limit = float(ctx.settings(RULE)["gap_days"])
    # the first run of each local day; runs are in start order
    firsts: dict[date, Activity] = {}
    for run in ctx.runs:
        firsts.setdefault(run.start_local.date(), run)
    days = sorted(firsts)
    found: list[Finding] = []
    for before, day in zip(days, days[1:], strict=False):
        # whole days with no run between the two run days
        gap_days = (day - before).days - 1
        if at_least(gap_days, gap_limit):
            found.append(_finding(ctx, firsts[day], before, gap_days))
    return found


RULE: Rule = Rule(
    id=RULE_ID,
    title="First run after a long break",
    defaults={"gap_days": 30},
    check=check,
)
