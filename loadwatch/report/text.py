"""The report as plain text (the e-mail's text part) and the short terminal summary."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

from loadwatch.pain_review import NOT_A_DIAGNOSIS
from loadwatch.report import wording
from loadwatch.report.model import RECENT_DAYS, Report
from loadwatch.report.sections import (
    NO_PROBLEMS,
    NO_RUNS,
    NOTHING_FLAGGED,
    ORDER,
    SHOES_NOT_TRACKED,
    TITLES,
    Section,
    findings_title,
    weeks_title,
)
from loadwatch.report.tables import (
    TableData,
    problems_table,
    runs_table,
    shoes_table,
    weekly_table,
)
from loadwatch.rules import Finding

WIDTH = 78


def summary_lines(report: Report, path: Path | None = None) -> list[str]:
    """What the terminal shows: the week, shoes due, findings by severity, the file."""
    due = report.shoes_due()
    lines = [
        f"loadwatch {report.label}: {wording.LIGHT_WORDS[report.light]}",
        wording.week_sentence(report),
        "Shoes due: " + (", ".join(wording.shoe_due_text(s) for s in due) if due else "none"),
        f"Findings in the last {RECENT_DAYS} days: {wording.counts_line(report)}",
    ]
    flags = wording.red_flags(report)
    if flags:
        lines.insert(1, f"{wording.RED_FLAG_TITLE} (logged {flags[0].date.isoformat()}).")
    if report.stale:
        lines.insert(1, report.stale)
    if path is not None:
        lines.append(f"Report: {path}")
    return lines


def _wrap(text: str, indent: str = "") -> list[str]:
    return textwrap.wrap(text, WIDTH, initial_indent=indent, subsequent_indent=indent) or [""]


def render(report: Report) -> str:
    lines = [f"YOUR RUNNING WEEK: {report.label} (as of {report.as_of.isoformat()})", ""]
    for section in ORDER:
        lines += _SECTIONS[section](report)
    return "\n".join(lines)


def _red_flags(report: Report) -> list[str]:
    flags = wording.red_flag_lines(report)
    if not flags:
        return []
    return [
        wording.RED_FLAG_TITLE.upper(),
        "",
        *(part for line in flags for part in _wrap(line, "! ")),
        "",
    ]


def _stale(report: Report) -> list[str]:
    return [*_wrap(report.stale.upper()), ""] if report.stale else []


def _headline(report: Report) -> list[str]:
    return _wrap(f"{wording.LIGHT_WORDS[report.light]}. {wording.headline(report)}")


def _notice(report: Report) -> list[str]:
    return ["", *_wrap(wording.NOT_MEDICAL_ADVICE), ""]


def _findings(report: Report) -> list[str]:
    lines = [findings_title().upper(), ""]
    if not report.findings:
        lines += [NOTHING_FLAGGED, ""]
    for severity, group in report.grouped().items():
        if not group:
            continue
        lines += [f"{wording.SEVERITY_TITLES[severity]} ({len(group)})", ""]
        for same in wording.by_rule(group):
            lines += _finding(report, same)
    return lines


def _finding(report: Report, same: list[Finding]) -> list[str]:
    finding, earlier = same[0], same[1:]
    title = f"* {finding.date.isoformat()} {wording.rule_title(finding.rule)}"
    context = wording.finding_context(report, finding)
    if context:
        title += f" ({context})"
    lines = _wrap(title)
    lines += _wrap(f"Measured: {finding.message}", "  ")
    lines += _wrap(f"Why it matters for your heels: {wording.heel_reason(finding.rule)}", "  ")
    lines += _wrap(f"What to do: {finding.advice}", "  ")
    lines += _wrap(
        f"Source: {finding.evidence.source} (evidence grade {finding.evidence.grade})", "  "
    )
    if finding.severity_reason:
        lines += _wrap(f"Why this level: {finding.severity_reason}", "  ")
    if earlier:
        lines.append(f"  Also flagged ({len(earlier)}):")
        for older in earlier:
            lines += _wrap(f"- {wording.also_line(report, older)}", "    ")
    return [*lines, ""]


def _pain(report: Report) -> list[str]:
    if report.pain is None:
        return []
    lines = [wording.PAIN_TITLE.upper(), ""]
    episodes = wording.pain_episodes(report)
    for summary, heading, facts in episodes:
        lines += [*_wrap(summary), *_wrap(heading)]
        lines += [part for fact in facts for part in _wrap(f"- {fact}", "  ")] + [""]
    return [*lines, *_wrap(NOT_A_DIAGNOSIS if episodes else wording.PAIN_FREE_ONLY), ""]


def _professional(report: Report) -> list[str]:
    lines = [wording.PROFESSIONAL_TITLE.upper(), ""]
    for item in wording.PROFESSIONAL:
        lines += _wrap(f"- {item}", "")
    return [*lines, ""]


def _charts(report: Report) -> list[str]:
    # a text part cannot show a picture; the HTML part (or page) has them
    return ["The charts are in the HTML version of this report.", ""]


def _runs(report: Report) -> list[str]:
    runs = runs_table(report)
    return [wording.runs_title(report).upper(), "", *(_table(runs) if runs.rows else [NO_RUNS]), ""]


def _shoes(report: Report) -> list[str]:
    lines = [TITLES[Section.SHOES].upper(), ""]
    shoes = shoes_table(report)
    if report.shoes is None:
        lines.append(SHOES_NOT_TRACKED)
    else:
        lines += _table(shoes) if shoes.rows else ["No shoes recorded."]
    if shoes.note:
        lines += _wrap(shoes.note)
    return [*lines, ""]


def _weeks(report: Report) -> list[str]:
    return [weeks_title(report).upper(), "", *_table(weekly_table(report)), ""]


def _problems(report: Report) -> list[str]:
    lines = [TITLES[Section.PROBLEMS].upper(), ""]
    if not report.problems:
        return [*lines, NO_PROBLEMS, ""]
    problems = problems_table(report)
    lines += [f"- {row[0]}: {row[2]} ({row[1]})" for row in problems.rows]
    if problems.note:
        lines.append(problems.note)
    return [*lines, ""]


#: each section's text, laid out in ``sections.ORDER``; the glance chart has no text
_SECTIONS: dict[Section, Callable[[Report], list[str]]] = {
    Section.RED_FLAGS: _red_flags,
    Section.STALE: _stale,
    Section.HEADLINE: _headline,
    Section.NOT_MEDICAL_ADVICE: _notice,
    Section.GLANCE: lambda report: [],
    Section.FINDINGS: _findings,
    Section.PAIN: _pain,
    Section.PROFESSIONAL: _professional,
    Section.CHARTS: _charts,
    Section.RUNS: _runs,
    Section.SHOES: _shoes,
    Section.WEEKS: _weeks,
    Section.PROBLEMS: _problems,
}


def _table(table: TableData) -> list[str]:
    widths = [
        max(len(table.header[i]), *(len(row[i]) for row in table.rows))
        if table.rows
        else len(table.header[i])
        for i in range(len(table.header))
    ]

    def line(cells: list[str]) -> str:
        return "  ".join(
            c.rjust(w) if i in table.numeric else c.ljust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    return [line(table.header), line(["-" * w for w in widths]), *map(line, table.rows)]
