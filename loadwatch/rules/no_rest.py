"""``no-rest``: seven or more consecutive local days with a run.

One finding per streak, dated on the day the streak reaches its length (the 7th
day by default), so a long streak is reported once, when it first qualifies.
Rest days are convention in self-care guidance (grade D): information only.
"""

from __future__ import annotations

from datetime import date, timedelta

from loadwatch.rules.context import Rule, RuleContext
from loadwatch.rules.evidence import (
    INFO_CONVENTION,
    REST_DAYS,
    SEE_A_PROFESSIONAL,
    SORE_HEEL_CARE,
    STRETCH,
)
from loadwatch.rules.findings import Finding, Severity

RULE_ID = "no-rest"


def streaks(days: list[date]) -> list[tuple[date, date]]:
    """(first, last) of each run of consecutive dates in sorted, distinct ``days``."""
    found: list[tuple[date, date]] = []
    for day in days:
        if found and day - found[-1][1] == timedelta(days=1):
            found[-1] = (found[-1][0], day)
        else:
            found.append((day, day))
    return found


def _finding(ctx: RuleContext, first: date, last: date, needed: int) -> Finding:
    length = (last - first).days + 1
    fires_on = first + timedelta(days=needed - 1)
    ongoing = " so far" if last == ctx.as_of else ""
    return Finding(
        rule=RULE_ID,
        severity=Severity.INFO,
        date=fires_on,
        week_start=ctx.week_of(fires_on),
        value=float(length),
        threshold=float(needed),
        unit="days",
        message=(
            f"You ran on {length} consecutive days{ongoing}, from {first.isoformat()} to "
            f"{last.isoformat()}, without a rest day."
        ),
        advice=(
            "Take at least one full rest day a week to give the plantar fascia and Achilles "
            f"time to recover. {STRETCH} {SORE_HEEL_CARE} {SEE_A_PROFESSIONAL}"
        ),
        evidence=REST_DAYS,
        severity_reason=INFO_CONVENTION,
    )


def check(ctx: RuleContext) -> list[Finding]:
    needed = int(ctx.settings(RULE)["days"])
    days = sorted({run.start_local.date() for run in ctx.runs})
    return [
        _finding(ctx, first, last, needed)
        for first, last in streaks(days)
        if (last - first).days + 1 >= needed
    ]


RULE: Rule = Rule(
    id=RULE_ID,
    title="Many days in a row without rest",
    defaults={"days": 7},
    check=check,
)
