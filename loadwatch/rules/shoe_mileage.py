"""``shoe-mileage``: a pair reaching 300 mi (plan a replacement) or its limit (retire it).

Information at 300 mi and a caution at the pair's limit (default 500 mi), as the
science notes' section 9 grades them: cushioning loss is a lab finding, and no
study ties a mileage to injury.

Each finding is dated on the run after which the pair (counting the distance it
had before tracking) first stood at the threshold. Pairs retired by ``as_of`` are
left alone: the advice has been taken. Lab tests show cushioning wearing with
mileage; no study ties an exact mileage to injury, and the messages say so.
"""

from __future__ import annotations

from loadwatch.rules.context import Rule, RuleContext
from loadwatch.rules.findings import Evidence, Finding, Severity
from loadwatch.units import METRES_PER_KM, METRES_PER_MILE
from loadwatch.userdata.shoes import PLAN_AT_M, ShoeRun, Usage, reached

RULE_ID = "shoe-mileage"

CUSHIONING_WEAR = Evidence(
    source=(
        "Cook, Kester & Brunet 1985, Am J Sports Med 13(4):248-53; Verdejo & Mills 2004, "
        "J Biomech 37:1379-86 (lab tests of cushioning loss; no study ties a mileage to injury)"
    ),
    grade="C/D",
)

CHECK_THE_PAIR = (
    "Check the midsole for flattening or creases and the sole for uneven wear, and replace "
    "the pair if your heels or arches ache after runs. In one observational study, runners "
    "who alternated more than one pair had fewer injuries (Malisoux et al. 2015)."
)
INFO_PLAN = (
    "Information: 300 to 500 miles is retail and professional advice; no study ties a "
    "mileage to injury."
)
CAUTION_LIMIT = (
    "Caution: past the pair's limit, where cushioning has measurably worn in lab tests, "
    "though no study ties a mileage to injury."
)


def _finding(
    ctx: RuleContext, usage: Usage, step: ShoeRun, threshold_m: float, *, at_limit: bool
) -> Finding:
    if at_limit:
        severity, reason = Severity.CAUTION, CAUTION_LIMIT
        passing = f"its limit of {ctx.dist(threshold_m)}: time to retire it"
        advice = f"Retire this pair and move to a fresh one. {CHECK_THE_PAIR}"
    else:
        severity, reason = Severity.INFO, INFO_PLAN
        passing = f"{ctx.dist(threshold_m)}: plan a replacement"
        advice = f"Plan a replacement pair. {CHECK_THE_PAIR}"
    before = usage.shoe.start_distance_m
    counted = f" (counting {ctx.dist(before)} from before tracking)" if before > 0 else ""
    message = (
        f"'{usage.shoe.name}' reached {ctx.dist(step.after_m)}{counted} with the run of "
        f"{ctx.dist(step.run.distance_m or 0.0)} on {step.day.isoformat()}, passing {passing}. "
        "Foam cushioning wears with use in lab tests, though no study ties an exact mileage "
        "to injury."
    )
    return Finding(
        rule=RULE_ID,
        severity=severity,
        date=step.day,
        week_start=ctx.week_of(step.day),
        value=round(step.after_m / METRES_PER_KM, 2),
        threshold=round(threshold_m / METRES_PER_KM, 2),
        unit="km",
        message=message,
        advice=advice,
        evidence=CUSHIONING_WEAR,
        activity_id=step.run.id,
        shoe=usage.shoe.name,
        severity_reason=reason,
    )


def _pair_findings(ctx: RuleContext, usage: Usage, plan_m: float) -> list[Finding]:
    shoe = usage.shoe
    if shoe.retired_on is not None and shoe.retired_on <= ctx.as_of:
        return []
    found: list[Finding] = []
    limit = usage.first_reaching(shoe.limit_m)
    # With a limit at or below the planning mark there is nothing to plan for.
    plan = None if reached(plan_m, shoe.limit_m) else usage.first_reaching(plan_m)
    if plan is not None and (limit is None or plan is not limit):
        found.append(_finding(ctx, usage, plan, plan_m, at_limit=False))
    if limit is not None:
        found.append(_finding(ctx, usage, limit, shoe.limit_m, at_limit=True))
    return found


def check(ctx: RuleContext) -> list[Finding]:
    plan_m = float(ctx.settings(RULE)["plan_mi"]) * METRES_PER_MILE
    return [finding for usage in ctx.shoe_usage for finding in _pair_findings(ctx, usage, plan_m)]


RULE: Rule = Rule(
    id=RULE_ID,
    title="Shoes due for replacement",
    defaults={"plan_mi": PLAN_AT_M / METRES_PER_MILE},
    check=check,
)
