"""The report as Markdown, with the charts as PNG files beside it.

Text from files is escaped twice over: Markdown punctuation gets a backslash (so
a shoe called ``*fast*`` is not emphasis and ``[x](y)`` is not a link) and
``<``, ``>`` and ``&`` become entities, so a renderer that allows inline HTML
still shows ``<script>`` as text.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from loadwatch import pain_review
from loadwatch.report import wording
from loadwatch.report.model import Chart, Report
from loadwatch.report.sections import (
    NO_CHARTS,
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

# inline syntax anywhere in a line; block syntax (headings, lists) only at its start.
# "!" needs no escape: it only makes an image before a "[", which is escaped.
_INLINE = re.compile(r"([\\`*_\[\]|~$])")
_BLOCK_START = re.compile(r"^(\d+)([.)])|^([#+\-=])")
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}


def md(text: str, *, line_start: bool = False) -> str:
    """``text`` shown literally in Markdown, on one line.

    ``line_start``: the text begins a line, where ``1.``, ``-`` or ``#`` would
    start a list or a heading.
    """
    flat = " ".join(text.split())
    escaped = _INLINE.sub(r"\\\1", flat)
    if line_start:
        escaped = _BLOCK_START.sub(lambda m: f"{m[1]}\\{m[2]}" if m[1] else f"\\{m[3]}", escaped)
    return "".join(_ENTITIES.get(ch, ch) for ch in escaped)


def chart_file(report: Report, key: str) -> str:
    """A chart's PNG file name beside the Markdown (safe: built from our own keys)."""
    return f"loadwatch-{report.label}-{key}.png"


def _image(report: Report, chart: Chart) -> str:
    return f"![{md(chart.alt)}]({chart_file(report, chart.key)})"


def render(report: Report, charts: list[Chart]) -> str:
    lines = [
        f"# Your running week: {md(report.label)}",
        "",
        f"As of {md(report.as_of.isoformat())}; distances in {md(report.units.value)}; "
        f"findings from {md(report.findings_since.isoformat())}.",
        "",
    ]
    for section in ORDER:
        lines += _SECTIONS[section](report, charts)
    lines += ["---", "", "Made by loadwatch from your own export files. Not medical advice.", ""]
    return "\n".join(lines)


def _stale(report: Report, charts: list[Chart]) -> list[str]:
    return [f"**{md(report.stale)}**", ""] if report.stale else []


def _headline(report: Report, charts: list[Chart]) -> list[str]:
    return [f"**{md(wording.LIGHT_WORDS[report.light])}.** {md(wording.headline(report))}", ""]


def _notice(report: Report, charts: list[Chart]) -> list[str]:
    return [f"> **{md(wording.NOT_MEDICAL_ADVICE)}**", ""]


def _glance(report: Report, charts: list[Chart]) -> list[str]:
    return [_image(report, charts[0]), ""] if charts else []


def _findings(report: Report, charts: list[Chart]) -> list[str]:
    lines = [f"## {md(findings_title())}", ""]
    if not report.findings:
        lines += [NOTHING_FLAGGED, ""]
    for severity, group in report.grouped().items():
        if group:
            lines += [f"### {md(wording.SEVERITY_TITLES[severity])} ({len(group)})", ""]
            for same in wording.by_rule(group):
                lines += _finding(report, same)
    return lines


def _professional(report: Report, charts: list[Chart]) -> list[str]:
    lines = [f"## {md(wording.PROFESSIONAL_TITLE)}", ""]
    return lines + [f"- {md(item)}" for item in wording.PROFESSIONAL] + [""]


def _charts(report: Report, charts: list[Chart]) -> list[str]:
    lines = [f"## {TITLES[Section.CHARTS]}", ""]
    for chart in charts[1:]:
        lines += [_image(report, chart), ""]
    return lines + ([NO_CHARTS, ""] if not charts else [])


def _runs(report: Report, charts: list[Chart]) -> list[str]:
    runs = runs_table(report)
    return [
        f"## {md(wording.runs_title(report))}",
        "",
        *(_table(runs) if runs.rows else [NO_RUNS, ""]),
    ]


def _shoes(report: Report, charts: list[Chart]) -> list[str]:
    lines = [f"## {TITLES[Section.SHOES]}", ""]
    shoes = shoes_table(report)
    if report.shoes is None:
        lines += [SHOES_NOT_TRACKED, ""]
    elif not shoes.rows:
        lines += ["No shoes recorded yet.", ""]
    else:
        lines += _table(shoes)
    if shoes.note:
        lines += [md(shoes.note, line_start=True), ""]
    return lines


def _weeks(report: Report, charts: list[Chart]) -> list[str]:
    return [f"## {md(weeks_title(report))}", "", *_table(weekly_table(report))]


def _problems(report: Report, charts: list[Chart]) -> list[str]:
    lines = [f"## {TITLES[Section.PROBLEMS]}", ""]
    if not report.problems:
        return [*lines, NO_PROBLEMS, ""]
    problems = problems_table(report)
    lines += _table(problems)
    if problems.note:
        lines += [md(problems.note, line_start=True), ""]
    return lines


def _finding(report: Report, same: list[Finding]) -> list[str]:
    finding, earlier = same[0], same[1:]
    head = f"**{finding.severity.value.upper()}** {md(wording.rule_title(finding.rule))}, "
    head += md(finding.date.isoformat())
    context = wording.finding_context(report, finding)
    if context:
        head += f", {md(context)}"
    return [
        f"- {head}",
        f"  - *Measured:* {md(finding.message)}",
        f"  - *Why it matters for your heels:* {md(wording.heel_reason(finding.rule))}",
        f"  - *What to do:* {md(finding.advice)}",
        f"  - *Source:* {md(finding.evidence.source)} (evidence grade "
        f"{md(finding.evidence.grade)})",
        *(
            [f"  - *Why this level:* {md(finding.severity_reason)}"]
            if finding.severity_reason
            else []
        ),
        *(
            [f"  - *Also flagged ({len(earlier)}):*"]
            + [f"    - {md(wording.also_line(report, f))}" for f in earlier]
            if earlier
            else []
        ),
        "",
    ]


def _table(table: TableData) -> list[str]:
    align = ["---:" if i in table.numeric else "---" for i in range(len(table.header))]
    rows = [
        "| " + " | ".join(md(h) for h in table.header) + " |",
        "| " + " | ".join(align) + " |",
    ]
    rows += ["| " + " | ".join(md(cell) for cell in row) + " |" for row in table.rows]
    return [*rows, ""]


def _red_flags(report: Report, charts: list[Chart]) -> list[str]:
    lines = wording.red_flag_lines(report)
    if not lines:
        return []
    return [f"> **{md(wording.RED_FLAG_TITLE)}**", ">", *(f"> {md(line)}" for line in lines), ""]


def _pain(report: Report, charts: list[Chart]) -> list[str]:
    if report.pain is None:
        return []
    lines = [f"## {md(wording.PAIN_TITLE)}", ""]
    episodes = wording.pain_episodes(report)
    if not episodes:
        lines += [md(wording.PAIN_FREE_ONLY), ""]
    for summary, heading, facts in episodes:
        lines += [f"### {md(summary)}", "", md(heading, line_start=True), ""]
        lines += [f"- {md(fact)}" for fact in facts] + [""]
    if episodes:
        lines += [f"*{md(pain_review.NOT_A_DIAGNOSIS)}*", ""]
    return lines


#: each section's Markdown, laid out in ``sections.ORDER``
_SECTIONS: dict[Section, Callable[[Report, list[Chart]], list[str]]] = {
    Section.RED_FLAGS: _red_flags,
    Section.STALE: _stale,
    Section.HEADLINE: _headline,
    Section.NOT_MEDICAL_ADVICE: _notice,
    Section.GLANCE: _glance,
    Section.FINDINGS: _findings,
    Section.PAIN: _pain,
    Section.PROFESSIONAL: _professional,
    Section.CHARTS: _charts,
    Section.RUNS: _runs,
    Section.SHOES: _shoes,
    Section.WEEKS: _weeks,
    Section.PROBLEMS: _problems,
}
