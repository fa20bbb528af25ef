"""``shoe-age``: running in a pair that has been in service for more than 12 months.

Guidance commonly says to replace shoes every 6 to 12 months, but there is no
injury evidence for calendar age (only one weak signal, van der Worp et al. 2015),
so this is information. It is dated on the first run in the pair after the 12
months are up: a pair that sits in a cupboard raises nothing.
"""

from __future__ import annotations

from datetime import date

from loadwatch.rules.context import Rule, RuleContext
from loadwatch.rules.findings import Evidence, Finding, Severity
from loadwatch.userdata.shoes import ShoeRun, Usage

RULE_ID = "shoe-age"

SHOE_AGE = Evidence(
    source=(
        "Convention (guidance gives 6 to 12 months); no injury data on shoe age beyond one "
        "weak signal in van der Worp et al. 2015, PLoS One 10(2):e0114937"
    ),
    grade="D",
)

#: average days per month, to express an age in months
_DAYS_PER_MONTH = 365.25 / 12


def months_later(day: date, months: int) -> date:
    """The same day ``months`` calendar months on (the 31st becomes the month's last day)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    for last in (31, 30, 29, 28):
        try:
            return date(year, month + 1, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable: every month has at least 28 days")


def _finding(ctx: RuleContext, usage: Usage, step: ShoeRun, started: date, months: int) -> Finding:
    age_days = (step.day - started).days
    age_months = age_days / _DAYS_PER_MONTH
    return Finding(
        rule=RULE_ID,
        severity=Severity.INFO,
        date=step.day,
        week_start=ctx.week_of(step.day),
        value=round(age_months, 1),
        threshold=float(months),
        unit="months",
        message=(
            f"'{usage.shoe.name}' has been in service since {started.isoformat()}, "
            f"{age_months:.1f} months at the run on {step.day.isoformat()}. Guidance often "
            "says to replace shoes every 6 to 12 months, but there is little evidence that "
            "age alone, rather than wear, matters."
        ),
        advice=(
            "Look the pair over: a flattened or creased midsole or uneven wear means it is "
            "time for a new one, and so do heels or arches that ache after runs."
        ),
        evidence=SHOE_AGE,
        activity_id=step.run.id,
        shoe=usage.shoe.name,
        severity_reason="Information: there is no injury evidence for a shoe's age alone.",
    )


def check(ctx: RuleContext) -> list[Finding]:
    months = int(ctx.settings(RULE)["months"])
    found: list[Finding] = []
    for usage in ctx.shoe_usage:
        started = usage.started
        retired = usage.shoe.retired_on
        if started is None or (retired is not None and retired <= ctx.as_of):
            continue
        due = months_later(started, months)
        step = next((s for s in usage.runs if s.day > due), None)
        if step is not None:
            found.append(_finding(ctx, usage, step, started, months))
    return found


RULE: Rule = Rule(
    id=RULE_ID,
    title="Shoes in service for over a year",
    defaults={"months": 12},
    check=check,
)
