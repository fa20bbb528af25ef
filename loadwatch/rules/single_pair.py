"""``single-pair``: every run of the last 8 weeks in the same pair.

Malisoux et al. 2015 followed 264 recreational runners for 22 weeks: those who
alternated more than one pair had a hazard ratio of 0.614 (about 39% lower
injury hazard). Observational, so this is information. It needs at least 8 runs
in the window, and every one of them assigned: a run whose shoe is unknown might
have been in another pair. Dated on ``as_of``, the window's last day.
"""

from __future__ import annotations

from datetime import timedelta

from loadwatch.rules.context import Rule, RuleContext
from loadwatch.rules.findings import Evidence, Finding, Severity

RULE_ID = "single-pair"

ROTATION = Evidence(
    source=(
        "Malisoux et al. 2015, Scand J Med Sci Sports 25(1):110-5 (264 runners, 22 weeks: "
        "HR 0.614 with more than one pair)"
    ),
    grade="B",
)


def check(ctx: RuleContext) -> list[Finding]:
    settings = ctx.settings(RULE)
    weeks = int(settings["weeks"])
    min_runs = int(settings["min_runs"])
    first_day = ctx.as_of - timedelta(days=weeks * 7 - 1)
    recent = [run for run in ctx.runs if first_day <= run.start_local.date() <= ctx.as_of]
    if len(recent) < min_runs:
        return []
    wanted = {run.id for run in recent}
    pairs = {
        usage.shoe.name: sum(1 for step in usage.runs if step.run.id in wanted)
        for usage in ctx.shoe_usage
    }
    used = {name: count for name, count in pairs.items() if count}
    if len(used) != 1 or sum(used.values()) != len(recent):
        return []
    ((name, count),) = used.items()
    return [
        Finding(
            rule=RULE_ID,
            severity=Severity.INFO,
            date=ctx.as_of,
            week_start=ctx.week_of(ctx.as_of),
            value=1.0,
            threshold=1.0,
            unit="pairs",
            message=(
                f"All {count} runs since {first_day.isoformat()} were in one pair, "
                f"'{name}'. In a study of 264 runners, those who alternated more than one "
                "pair had about a 39% lower injury hazard (an association, not proof)."
            ),
            advice=(
                "If you want to act on it, a second pair for some easy or off-road runs is one "
                "way; it also spreads the wear."
            ),
            evidence=ROTATION,
            shoe=name,
            severity_reason=(
                "Information: one observational study, where other habits of "
                "runners who own two pairs may explain the difference."
            ),
        )
    ]


RULE: Rule = Rule(
    id=RULE_ID,
    title="One pair for every run",
    defaults={"weeks": 8, "min_runs": 8},
    check=check,
)
