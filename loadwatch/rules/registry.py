"""The registry: every rule in documented order, and running them over a context.

Each rule lives in its own module and exposes ``RULE``; adding one is a new module
plus one line in ``RULES``. ``evaluate`` checks the parameters, builds the context,
runs every rule, keeps the findings dated from ``since`` to ``as_of`` and sorts
them newest first.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from loadwatch.model import Activity
from loadwatch.rules import (
    acwr,
    high_volume,
    long_run_spike,
    monotony,
    no_rest,
    pain_pattern,
    pain_persistent,
    pain_red_flag,
    return_after_break,
    shoe_age,
    shoe_mileage,
    single_pair,
    surface_change,
    track_share,
    treadmill_achilles,
    weekly_increase,
)
from loadwatch.rules.context import Number, Params, Rule, RuleContext
from loadwatch.rules.findings import Finding, newest_first
from loadwatch.runs import WeekStart

#: every rule, in the order they are documented
RULES: tuple[Rule, ...] = (
    weekly_increase.RULE,
    long_run_spike.RULE,
    return_after_break.RULE,
    no_rest.RULE,
    surface_change.RULE,
    track_share.RULE,
    treadmill_achilles.RULE,
    monotony.RULE,
    acwr.RULE,
    high_volume.RULE,
    shoe_mileage.RULE,
    shoe_age.RULE,
    single_pair.RULE,
    pain_persistent.RULE,
    pain_red_flag.RULE,
    pain_pattern.RULE,
)


def default_params() -> dict[str, dict[str, Number]]:
    """Rule id -> parameter defaults (a fresh copy), for validating the config."""
    return {rule.id: dict(rule.defaults) for rule in RULES}


def run_rules(
    ctx: RuleContext, *, since: date | None = None, rules: Sequence[Rule] | None = None
) -> list[Finding]:
    """Findings of ``rules`` (default: all) dated from ``since`` to ``ctx.as_of``, newest first."""
    found = [finding for rule in (RULES if rules is None else rules) for finding in rule.check(ctx)]
    kept = [f for f in found if f.date <= ctx.as_of and (since is None or f.date >= since)]
    return sorted(kept, key=newest_first)


def evaluate(
    runs: Sequence[Activity],
    as_of: date,
    *,
    week_start: WeekStart = "monday",
    params: Params | None = None,
    since: date | None = None,
    **extra: Any,
) -> list[Finding]:
    """Run every rule over ``runs`` as of ``as_of``; findings dated ``since``..``as_of``.

    Non-running activities and runs after ``as_of`` are ignored; history before
    ``since`` still counts (a spike needs the month before it). ``extra`` fills
    optional ``RuleContext`` fields added by later rules (shoes, pain).
    """
    checked = _checked_params(params or {})
    ctx = RuleContext.build(runs, as_of, week_start=week_start, params=checked, **extra)
    return run_rules(ctx, since=since)


def _checked_params(params: Params) -> dict[str, dict[str, Number]]:
    """Overrides as plain dicts; unknown rule ids or keys are a caller bug.

    The config loader reports such mistakes to the user with the file and key;
    reaching this point with one means the loader let it through.
    """
    known = default_params()
    checked: dict[str, dict[str, Number]] = {}
    for rule_id, values in params.items():
        if rule_id not in known:
            raise ValueError(f"unknown rule id {rule_id!r}")
        unknown = sorted(set(values) - set(known[rule_id]))
        if unknown:
            raise ValueError(f"unknown parameter(s) for rule {rule_id!r}: {', '.join(unknown)}")
        checked[rule_id] = dict(values)
    return checked
