"""The report's sections, in the one order every format presents them.

Each renderer (HTML, Markdown, plain text) maps every ``Section`` to a function of
its own and lays the sections out in ``ORDER``; a test holds each renderer to the
whole list. A new section is added here first, then in each renderer, and the
order cannot drift apart between the formats.
"""

from __future__ import annotations

from enum import StrEnum

from loadwatch.report.model import RECENT_DAYS, Report


class Section(StrEnum):
    #: pain with swelling, at night or that stops you bearing weight: said before anything
    RED_FLAGS = "red-flags"
    #: no run for weeks: the export may have stopped syncing
    STALE = "stale"
    #: the traffic light and this week in one sentence
    HEADLINE = "headline"
    NOT_MEDICAL_ADVICE = "not-medical-advice"
    #: the weekly distance chart right under the headline
    GLANCE = "glance"
    FINDINGS = "findings"
    PAIN = "pain"
    PROFESSIONAL = "professional"
    CHARTS = "charts"
    RUNS = "runs"
    SHOES = "shoes"
    WEEKS = "weeks"
    PROBLEMS = "problems"


#: how every format orders the sections, most urgent first
ORDER: tuple[Section, ...] = tuple(Section)


def findings_title() -> str:
    return f"Findings, last {RECENT_DAYS} days"


def weeks_title(report: Report) -> str:
    return f"Weekly table (last {len(report.weeks)} weeks)"


#: headings of the sections whose title does not depend on the report
TITLES: dict[Section, str] = {
    Section.CHARTS: "Charts",
    Section.SHOES: "Shoes",
    Section.PROBLEMS: "Import problems",
}

NO_CHARTS = "No runs to chart yet."
NO_RUNS = "No runs."
NO_PROBLEMS = "Every file was read."
NOTHING_FLAGGED = "Nothing to flag in this period."
SHOES_NOT_TRACKED = "Shoes are not tracked."
