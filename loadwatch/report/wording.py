"""The report's sentences: headline, why each rule matters for the heel, when to get help.

Kept apart from the renderers so the HTML, Markdown, plain-text and terminal
versions say exactly the same thing.
"""

from __future__ import annotations

import math
from datetime import date

from loadwatch import display
from loadwatch.report.model import RECENT_DAYS, Report
from loadwatch.rules import RULES, Finding, Severity

NOT_MEDICAL_ADVICE = (
    "Not medical advice. loadwatch does not diagnose anything: it points out patterns in "
    "your training that studies of runners have linked to injury, and how strong that "
    "evidence is. Pain is what matters; if something hurts, read the box below."
)

PROFESSIONAL_TITLE = "When to see a professional"
#: from the heel-pain guidance summarised in the project's science notes (NHS, HSE, Bupa)
PROFESSIONAL: tuple[str, ...] = (
    "Heel or Achilles pain that lasts more than two weeks despite rest and self-care: "
    "see a GP, physiotherapist or podiatrist.",
    "Pain at rest or at night, swelling, pain when the heel is squeezed from both sides, or "
    "you cannot bear weight: stop running and see a GP, physiotherapist or podiatrist soon "
    "(a stress fracture is possible and early X-rays can miss it).",
    "A sudden snap or sharp pain at the back of the heel or calf, with trouble walking or "
    "pushing off: go to urgent care now (the Achilles tendon may have torn).",
    "A red, hot, swollen heel, especially with a fever: urgent care.",
    "Tingling or numbness in the foot, or foot pain with diabetes: see your GP.",
)

LIGHT_WORDS = {
    "red": "Red: a warning needs attention",
    "amber": "Amber: worth a look",
    "green": "Green: nothing at caution or above",
}

SEVERITY_TITLES = {
    Severity.WARNING: "Warnings",
    Severity.CAUTION: "Cautions",
    Severity.INFO: "For information",
}

_GENERAL_HEEL = (
    "Heel overuse injuries (plantar fasciitis under the heel, Achilles tendinopathy at the "
    "back of it) come from load rising faster than the tissue can adapt."
)

#: why each rule matters for the heel; rules not listed get the general sentence
HEEL_REASONS: dict[str, str] = {
    "weekly-increase": (
        "The plantar fascia under the heel and the Achilles tendon at the back of it adapt "
        "to load over weeks, not days; heel-pain guidance names a sudden rise in mileage "
        "among the causes of plantar fasciitis."
    ),
    "long-run-spike": (
        "One run far longer than usual loads the plantar fascia under the heel and the "
        "Achilles tendon at the back for longer than they are used to; this is the "
        "pattern with the clearest injury signal in training data."
    ),
    "return-after-break": (
        "After weeks off, the plantar fascia and the Achilles tendon lose some of their "
        "tolerance to load; building back gradually gives the heel time to catch up."
    ),
    "no-rest": (
        "The plantar fascia and the Achilles tendon recover between runs; without rest "
        "days small strains add up, and rest is the first thing heel-pain guidance advises."
    ),
    "surface-change": (
        "A sudden switch of surface changes how the heel and the Achilles are loaded; "
        "guidance names recently starting on hard surfaces as a cause of heel pain."
    ),
    "track-share": (
        "In one study, runners doing more than a quarter of their running on a synthetic "
        "track had more pain under the heel; bends and spikes also load the Achilles."
    ),
    "monotony": (
        "When every day carries the same load, the heel's tissues get no easier days to "
        "recover; the evidence here is about illness more than injury."
    ),
    "acwr": (
        "The ratio describes how this week's load compares with the weeks before; it is a "
        "description, not a risk score, and predicts injury poorly."
    ),
    "high-volume": (
        "In one cohort, runners covering more than 40 km a week had several times the odds "
        "of plantar fasciitis (pain under the heel) of those covering 6 to 20 km."
    ),
    "shoe-mileage": (
        "As midsole foam wears it absorbs less shock at heel strike, and pressure under "
        "the heel rises; worn shoes are a cause of heel pain the guidance names."
    ),
    "shoe-age": (
        "Midsole foam ages with time as well as distance, so an old pair may cushion the "
        "heel less; the evidence on age alone is weak."
    ),
    "treadmill-achilles": (
        "The treadmill loads the Achilles tendon a little more per step than running "
        "overground in one lab study; that matters most when the tendon is already sore."
    ),
    "single-pair": (
        "Runners who alternated more than one pair had fewer injuries in one study; "
        "different shoes spread the load on the heel and the Achilles differently."
    ),
}


def heel_reason(rule: str) -> str:
    if rule in HEEL_REASONS:
        return HEEL_REASONS[rule]
    if rule.startswith("pain"):
        return (
            "Pain that keeps coming back is the clearest sign that the plantar fascia or the "
            "Achilles tendon is not coping with the load."
        )
    return _GENERAL_HEEL


def rule_title(rule: str) -> str:
    titles = {r.id: r.title for r in RULES}
    return titles.get(rule, rule.replace("-", " ").capitalize())


def _day(day: date) -> str:
    return f"{day.strftime('%a')} {day.day} {day.strftime('%b')}"


def week_sentence(report: Report) -> str:
    """This week (or last week, if this one has no run yet) in one sentence."""
    focus = report.focus_week()
    if focus is None:
        return f"No runs found up to {report.as_of.isoformat()}."
    units = report.units
    start: date = focus["week_start"]
    current = start == report.weeks["week_start"].iloc[-1]
    if current:
        lead = f"This week{' so far' if bool(focus['partial']) else ''} (from {_day(start)})"
    else:
        lead = f"No run yet this week; last week (from {_day(start)})"
    runs = int(focus["runs"])
    if runs == 0:
        sentence = f"{lead}: no runs"
        if report.last_run is not None:
            sentence += f"; your last run was on {report.last_run.isoformat()}"
        return sentence + "."
    parts = [
        f"{lead}: {display.distance(float(focus['distance_m']), units, 1)} in {runs} "
        f"run{'s' if runs != 1 else ''}"
    ]
    change = float(focus["change_pct"])
    if math.isnan(change):
        pass
    elif round(change) == 0:
        parts.append("about the same as the week before")
    else:
        direction = "up" if change > 0 else "down"
        parts.append(f"{direction} {abs(change):.0f}% on the week before")
    parts.append(f"longest run {display.distance(float(focus['longest_run_m']), units, 1)}")
    return ", ".join(parts) + "."


def runs_title(report: Report) -> str:
    focus = report.focus_week()
    if focus is None:
        return "Runs this week"
    current = focus["week_start"] == report.weeks["week_start"].iloc[-1]
    return f"Runs {'this' if current else 'last'} week (from {_day(focus['week_start'])})"


def finding_context(report: Report, finding: Finding) -> str:
    """``run: <name>`` and ``shoe: <name>`` for a finding's heading, or empty."""
    parts = []
    name = report.run_names.get(finding.activity_id or "")
    if name:
        parts.append(f"run: {name}")
    if finding.shoe:
        parts.append(f"shoe: {finding.shoe}")
    return " · ".join(parts)


def by_rule(group: list[Finding]) -> list[list[Finding]]:
    """A severity group split by rule, in order of each rule's newest finding.

    The report shows the newest finding of a rule in full and the rule's earlier
    ones as one line each: the same advice seven times would bury the rest.
    """
    rules: dict[str, list[Finding]] = {}
    for finding in group:
        rules.setdefault(finding.rule, []).append(finding)
    return list(rules.values())


def also_line(report: Report, finding: Finding) -> str:
    context = finding_context(report, finding)
    return f"{finding.date.isoformat()}{f' ({context})' if context else ''}: {finding.message}"


def status_sentence(report: Report) -> str:
    counts = report.counts()
    warnings, cautions = counts[Severity.WARNING], counts[Severity.CAUTION]
    window = f"in the last {RECENT_DAYS} days"
    if warnings or cautions:
        named = []
        if warnings:
            named.append(f"{warnings} warning{'s' if warnings != 1 else ''}")
        if cautions:
            named.append(f"{cautions} caution{'s' if cautions != 1 else ''}")
        verb = "needs" if warnings + cautions == 1 else "need"
        return f"{' and '.join(named)} {window} {verb} attention."
    if counts[Severity.INFO]:
        return f"Nothing at caution or above {window}; {counts[Severity.INFO]} note(s) below."
    return f"Nothing to flag {window}."


def headline(report: Report) -> str:
    status = status_sentence(report)
    return f"{week_sentence(report)} {status[:1].upper()}{status[1:]}"


def counts_line(report: Report) -> str:
    counts = report.counts()
    return ", ".join(
        f"{counts[s]} {s.value}" for s in (Severity.WARNING, Severity.CAUTION, Severity.INFO)
    )


def shoe_due_text(shoe: dict[str, object]) -> str:
    action = "retire" if shoe.get("status") == "retire" else "plan a replacement"
    return f"{shoe.get('name')} ({action})"


# -- the heel-pain diary ---------------------------------------------------------

RED_FLAG_TITLE = "Red flag in your pain diary: stop running and see a clinician soon"
PAIN_TITLE = "Your heel-pain diary"
PAIN_FREE_ONLY = "Only pain-free (0) entries in these weeks."


def red_flags(report: Report) -> list[Finding]:
    """The ``pain-red-flag`` findings of the report window, newest first."""
    return [f for f in report.findings if f.rule == "pain-red-flag"]


def red_flag_lines(report: Report) -> list[str]:
    """The box at the top of the report: the newest red flag, its advice, earlier dates."""
    flags = red_flags(report)
    if not flags:
        return []
    lines = [flags[0].message, flags[0].advice]
    if len(flags) > 1:
        lines.append("Also logged: " + ", ".join(f.date.isoformat() for f in flags[1:]) + ".")
    return lines


def pain_episodes(report: Report) -> list[tuple[str, str, list[str]]]:
    """Each episode in the report's weeks: its summary, the "what changed" heading, facts."""
    if report.pain is None:
        return []
    return [
        (c.episode.summary(report.as_of), c.heading(), [fact.text for fact in c.facts])
        for c in report.pain.changes
    ]
