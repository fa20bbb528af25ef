"""``pain-red-flag``: symptoms that call for a clinician rather than self-care.

Pain at rest or at night, swelling, or not being able to bear weight can go
with a stress fracture of the heel bone (fpnotebook; NHS): stop running and be
seen soon, knowing an early X-ray can look normal. A sudden snap, or not being
able to push off, can mean a torn Achilles tendon (Bupa): urgent care. The diary
has no "snap" box, so every red-flag finding says what to do if there was one.
One finding per entry with a red flag, dated on that entry.
"""

from __future__ import annotations

from loadwatch.rules.context import Rule, RuleContext
from loadwatch.rules.findings import Evidence, Finding, Severity
from loadwatch.userdata import pain

RULE_ID = "pain-red-flag"

RED_FLAGS = Evidence(
    source=(
        "fpnotebook, Calcaneal stress fracture (secondary clinical reference; early X-rays "
        "often miss it); NHS, Plantar fasciitis; Bupa UK, Achilles tendon rupture"
    ),
    grade="clinical",
)

STOP_AND_SEE = (
    "Stop running and see a GP, physiotherapist or podiatrist soon: pain at rest or at "
    "night, swelling or not being able to bear weight can go with a stress fracture of the "
    "heel bone, and an early X-ray that looks normal does not rule one out."
)
URGENT = (
    "If it began with a sudden snap, or you cannot push off or bear weight on that foot, "
    "get urgent care now: those signs can go with a torn Achilles tendon."
)


def flags(entry: pain.PainEntry, rest_min_level: int) -> list[str]:
    """The red flags one entry carries, in words."""
    found = []
    if entry.level >= rest_min_level and entry.when in ("rest", "night"):
        found.append(f"pain {pain.WHEN_WORDS[entry.when]}")
    if entry.swelling:
        found.append("swelling")
    if entry.cannot_bear_weight:
        found.append("cannot bear weight")
    return found


def _finding(ctx: RuleContext, entry: pain.PainEntry, found: list[str], level: int) -> Finding:
    # not bearing weight is the one flag that may already mean urgent care
    advice = f"{URGENT} {STOP_AND_SEE}" if entry.cannot_bear_weight else f"{STOP_AND_SEE} {URGENT}"
    return Finding(
        rule=RULE_ID,
        severity=Severity.WARNING,
        date=entry.day,
        week_start=ctx.week_of(entry.day),
        value=float(entry.level),
        threshold=float(level),
        unit="/10",
        message=(
            f"On {entry.day.isoformat()} you logged {entry.describe(flags=False)}, with "
            f"{' and '.join(found)}: {'a sign' if len(found) == 1 else 'signs'} to have "
            "checked rather than run through."
        ),
        advice=advice,
        evidence=RED_FLAGS,
        severity_reason="Warning: clinical guidance says these need a clinician, not self-care.",
    )


def check(ctx: RuleContext) -> list[Finding]:
    level = int(ctx.settings(RULE)["rest_min_level"])
    return [
        _finding(ctx, entry, found, level)
        for entry in pain.up_to(ctx.pain, ctx.as_of)
        if (found := flags(entry, level))
    ]


RULE: Rule = Rule(
    id=RULE_ID,
    title="Heel pain red flags: see a clinician",
    defaults={"rest_min_level": 1},
    check=check,
)
