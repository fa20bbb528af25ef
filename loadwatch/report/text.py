"""The report as plain text (the e-mail's text part) and the short terminal summary."""

from __future__ import annotations

import textwrap
from pathlib import Path

from loadwatch.pain import NOT_A_DIAGNOSIS
from loadwatch.report import wording
from loadwatch.report.model import RECENT_DAYS, Report
from loadwatch.report.tables import (
    TableData,
    problems_table,
    runs_table,
    shoes_table,
    weekly_table,
)

WIDTH = 78


def summary_lines(report: Report, path: Path | None = None) -> list[str]:
    """What the terminal shows: the week, shoes due, findings by severity, the file."""
    due = report.shoes_due()
    lines = [
        f"loadwatch {report.label}: {wording.LIGHT_WORDS[report.light]}",
        wording.week_sentence(report),
        "Shoes due: "
        + (", ".join(wording.shoe_due_text(s) for s in due) if due else "none"),
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
    flags = wording.red_flag_lines(report)
    if flags:
        lines += [wording.RED_FLAG_TITLE.upper(), ""]
        lines += [part for line in flags for part in _wrap(line, "! ")] + [""]
    if report.stale:
        lines += [*_wrap(report.stale.upper()), ""]
    lines += _wrap(f"{wording.LIGHT_WORDS[report.light]}. {wording.headline(report)}")
    lines += ["", *_wrap(wording.NOT_MEDICAL_ADVICE), ""]
    lines += [f"FINDINGS, LAST {RECENT_DAYS} DAYS", ""]
    if not report.findings:
        lines += ["Nothing to flag in this period.", ""]
    for severity, group in report.grouped().items():
        if not group:
            continue
        lines += [f"{wording.SEVERITY_TITLES[severity]} ({len(group)})", ""]
        for same in wording.by_rule(group):
            finding, earlier = same[0], same[1:]
            title = f"* {finding.date.isoformat()} {wording.rule_title(finding.rule)}"
            context = wording.finding_context(report, finding)
            if context:
                title += f" ({context})"
            lines += _wrap(title)
            lines += _wrap(f"Measured: {finding.message}", "  ")
            lines += _wrap(f"Why it matters for your heels: {wording.heel_reason(finding.rule)}",
                           "  ")
            lines += _wrap(f"What to do: {finding.advice}", "  ")
            lines += _wrap(
                f"Source: {finding.evidence.source} (evidence grade {finding.evidence.grade})",
                "  ",
            )
            if finding.severity_reason:
                lines += _wrap(f"Why this level: {finding.severity_reason}", "  ")
            if earlier:
                lines.append(f"  Also flagged ({len(earlier)}):")
                for older in earlier:
                    lines += _wrap(f"- {wording.also_line(report, older)}", "    ")
            lines.append("")
    if report.pain is not None:
        lines += [wording.PAIN_TITLE.upper(), ""]
        episodes = wording.pain_episodes(report)
        for summary, heading, facts in episodes:
            lines += [*_wrap(summary), *_wrap(heading)]
            lines += [part for fact in facts for part in _wrap(f"- {fact}", "  ")] + [""]
        lines += [*_wrap(NOT_A_DIAGNOSIS if episodes else wording.PAIN_FREE_ONLY), ""]
    lines += [wording.PROFESSIONAL_TITLE.upper(), ""]
    for item in wording.PROFESSIONAL:
        lines += _wrap(f"- {item}", "")
    lines += ["", wording.runs_title(report).upper(), ""]
    runs = runs_table(report)
    lines += _table(runs) if runs.rows else ["No runs."]
    lines += ["", "SHOES", ""]
    shoes = shoes_table(report)
    lines += _table(shoes) if shoes.rows else ["No shoes recorded."]
    if shoes.note:
        lines += _wrap(shoes.note)
    lines += ["", f"WEEKLY TABLE (LAST {len(report.weeks)} WEEKS)", ""]
    lines += _table(weekly_table(report))
    lines += ["", "IMPORT PROBLEMS", ""]
    if report.problems:
        problems = problems_table(report)
        lines += [f"- {row[0]}: {row[2]} ({row[1]})" for row in problems.rows]
        if problems.note:
            lines.append(problems.note)
    else:
        lines.append("Every file was read.")
    lines += ["", "The charts are in the HTML version of this report.", ""]
    return "\n".join(lines)


def _table(table: TableData) -> list[str]:
    widths = [
        max(len(table.header[i]), *(len(row[i]) for row in table.rows)) if table.rows
        else len(table.header[i])
        for i in range(len(table.header))
    ]

    def line(cells: list[str]) -> str:
        return "  ".join(
            c.rjust(w) if i in table.numeric else c.ljust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    return [line(table.header), line(["-" * w for w in widths]), *map(line, table.rows)]
