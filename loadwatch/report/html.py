"""The report as one self-contained HTML page: inline CSS, charts as data: URIs, no script.

Every string that can come from a file (activity, shoe and file names, messages
that quote them) passes through ``html.escape``; the Content-Security-Policy
also forbids scripts and every fetch, as a second line of defence.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable
from html import escape

from loadwatch import __version__, pain_review
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
from loadwatch.rules import Finding, Severity

ImageSource = Callable[[Chart], str]

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")

#: nothing may load or run: images only from the page itself (or the e-mail's parts)
CSP = "default-src 'none'; img-src data: cid:; style-src 'unsafe-inline'; form-action 'none'"

#: a red lamp must read as red (the lamps' order and the words carry it for colour-blind eyes)
LIGHT_COLOURS = {"red": "#C8102E", "amber": "#E69F00", "green": "#009E73"}

STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;
 color:#1a1a1a;background:#fff;max-width:60rem;margin:0 auto;padding:1rem 1.25rem;
 line-height:1.45}
h1{font-size:1.6rem;margin:.2rem 0}h2{font-size:1.25rem;margin-top:2rem;
 border-bottom:1px solid #ddd;padding-bottom:.2rem}h3{font-size:1.05rem}
.meta{color:#555;margin:0}
.headline{display:flex;gap:1rem;align-items:center;border:2px solid #ccc;border-radius:8px;
 padding:.8rem 1rem;margin:1rem 0}
.headline p{margin:0;font-size:1.1rem}
.lights{display:flex;flex-direction:column;gap:4px;background:#222;padding:6px;
 border-radius:6px}
.lights span{display:block;width:22px;height:22px;border-radius:50%;background:#555;
 opacity:.35}
.lights span.on{opacity:1}
.notice{background:#f4f4f4;border-left:4px solid #555;padding:.6rem .9rem;margin:1rem 0}
.pro{border:2px solid #0072B2;border-radius:8px;padding:.4rem 1rem;margin:1.5rem 0;
 background:#f2f8fc}
.pro h2{border:none;margin-top:.4rem}
.finding{border-left:6px solid #56B4E9;padding:.2rem .9rem;margin:.8rem 0;background:#fafafa}
.finding.warning{border-color:#D55E00}.finding.caution{border-color:#E69F00}
.finding h4{margin:.4rem 0}summary h3{display:inline;cursor:pointer}.finding p{margin:.3rem 0}
.evidence{color:#444;font-size:.92rem}
.sev{display:inline-block;font-size:.8rem;font-weight:700;text-transform:uppercase;
 padding:0 .4rem;border-radius:3px;color:#fff;background:#0072B2;margin-right:.4rem}
.sev.warning{background:#D55E00}.sev.caution{background:#E69F00;color:#000}
figure{margin:1.2rem 0}figure img{max-width:100%;height:auto;border:1px solid #eee}
figcaption{color:#444;font-size:.9rem}
table{border-collapse:collapse;width:100%;font-size:.9rem;margin:.5rem 0}
th,td{border:1px solid #ddd;padding:.25rem .45rem;text-align:left;vertical-align:top}
th{background:#f0f0f0}td.num{text-align:right;font-variant-numeric:tabular-nums}
td.num,td.date{white-space:nowrap}
.scroll{overflow-x:auto}
footer{color:#666;font-size:.85rem;margin-top:2rem}
.redflag{border:3px solid #D55E00;border-radius:8px;background:#fdf0e8;padding:.4rem 1rem;
 margin:1rem 0}.redflag h2{border:none;margin-top:.4rem;color:#a34400}
"""


#: below this width the browser takes the charts drawn for a phone (``charts.NARROW``)
NARROW_MEDIA = "(max-width: 600px)"


def data_uri(chart: Chart) -> str:
    return "data:image/png;base64," + base64.b64encode(chart.png).decode("ascii")


def narrow_data_uri(chart: Chart) -> str | None:
    if chart.narrow_png is None:
        return None
    return "data:image/png;base64," + base64.b64encode(chart.narrow_png).decode("ascii")


def render(
    report: Report,
    charts: list[Chart],
    image_src: ImageSource = data_uri,
    narrow_src: Callable[[Chart], str | None] | None = narrow_data_uri,
) -> str:
    """The whole page; ``image_src`` gives each chart's ``src`` (a data: URI or a cid:).

    ``narrow_src`` gives the phone-width drawing a small screen picks instead;
    None leaves it out (e-mail clients mostly ignore ``<picture>``).
    """

    def figure(chart: Chart) -> str:
        return _figure(chart, image_src, narrow_src)

    title = f"loadwatch weekly report {report.label}"
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        '<meta name="referrer" content="no-referrer">',
        f"<title>{escape(title)}</title>",
        f"<style>{STYLE}</style>",
        "</head>",
        "<body>",
        "<header>",
        f"<h1>Your running week: {escape(report.label)}</h1>",
        f'<p class="meta">As of {escape(report.as_of.isoformat())}; distances in '
        f"{escape(report.units.value)}; findings from "
        f"{escape(report.findings_since.isoformat())}.</p>",
        "</header>",
        *(_SECTIONS[section](report, charts, figure) for section in ORDER),
        f"<footer>Made by loadwatch {escape(__version__)} from your own export files, "
        "on your own machine. Not medical advice.</footer>",
        "</body>",
        "</html>",
    ]
    return "\n".join(parts) + "\n"


Figure = Callable[[Chart], str]


def _notice(report: Report, charts: list[Chart], figure: Figure) -> str:
    return f'<p class="notice"><strong>{escape(wording.NOT_MEDICAL_ADVICE)}</strong></p>'


def _weeks(report: Report, charts: list[Chart], figure: Figure) -> str:
    return (
        f'<section id="weeks">\n<h2>{escape(weeks_title(report))}</h2>\n'
        f"{_table(weekly_table(report))}\n</section>"
    )


def _stale(report: Report) -> str:
    if not report.stale:
        return ""
    return f'<p class="notice" id="stale"><strong>{escape(report.stale)}</strong></p>'


def _headline(report: Report) -> str:
    light = report.light
    lamps = "".join(
        f'<span class="{"on" if name == light else "off"}" '
        f'style="background:{LIGHT_COLOURS[name]}"></span>'
        for name in ("red", "amber", "green")
    )
    words = wording.LIGHT_WORDS[light]
    return (
        f'<section class="headline" id="headline" style="border-color:{LIGHT_COLOURS[light]}">'
        f'<div class="lights" role="img" aria-label="{escape(words)}">{lamps}</div>'
        f"<p><strong>{escape(words)}.</strong> {escape(wording.headline(report))}</p>"
        "</section>"
    )


def _findings(report: Report) -> str:
    out = ['<section id="findings">', f"<h2>{escape(findings_title())}</h2>"]
    if not report.findings:
        out.append(f"<p>{NOTHING_FLAGGED}</p>")
    for severity, group in report.grouped().items():
        if not group:
            continue
        heading = f"{escape(wording.SEVERITY_TITLES[severity])} ({len(group)})"
        cards = "\n".join(_finding(report, same) for same in wording.by_rule(group))
        if severity is Severity.INFO and report.has_news:
            # notes stay one click away so the cautions and warnings come first
            out.append(f"<details><summary><h3>{heading}</h3></summary>\n{cards}</details>")
        else:
            out.append(f"<h3>{heading}</h3>\n{cards}")
    out.append("</section>")
    return "\n".join(out)


def _finding(report: Report, same: list[Finding]) -> str:
    """One card: the rule's newest finding in full, its earlier ones a line each."""
    finding, earlier = same[0], same[1:]
    severity = finding.severity.value
    context = wording.finding_context(report, finding)
    extra = f" · {escape(context)}" if context else ""
    return (
        f'<article class="finding {escape(severity)}">'
        f'<h4><span class="sev {escape(severity)}">{escape(severity)}</span>'
        f"{escape(wording.rule_title(finding.rule))} · {escape(finding.date.isoformat())}"
        f"{extra}</h4>"
        f"<p><strong>Measured:</strong> {escape(finding.message)}</p>"
        f"<p><strong>Why it matters for your heels:</strong> "
        f"{escape(wording.heel_reason(finding.rule))}</p>"
        f"<p><strong>What to do:</strong> {escape(finding.advice)}</p>"
        f'<p class="evidence">Source: {escape(finding.evidence.source)}. '
        f"Evidence grade {escape(finding.evidence.grade)}. "
        f"{escape(finding.severity_reason)}</p>"
        f"{_earlier(report, earlier)}"
        "</article>"
    )


def _earlier(report: Report, earlier: list[Finding]) -> str:
    if not earlier:
        return ""
    items = "".join(f"<li>{escape(wording.also_line(report, f))}</li>" for f in earlier)
    return f"<p><strong>Also flagged ({len(earlier)}):</strong></p><ul>{items}</ul>"


def _red_flags(report: Report) -> str:
    lines = wording.red_flag_lines(report)
    if not lines:
        return ""
    body = "".join(f"<p>{escape(line)}</p>" for line in lines)
    return (
        f'<aside class="redflag" id="red-flag" role="alert">'
        f"<h2>{escape(wording.RED_FLAG_TITLE)}</h2>{body}</aside>"
    )


def _pain(report: Report) -> str:
    if report.pain is None:
        return ""
    out = ['<section id="pain">', f"<h2>{escape(wording.PAIN_TITLE)}</h2>"]
    episodes = wording.pain_episodes(report)
    if not episodes:
        out.append(f"<p>{escape(wording.PAIN_FREE_ONLY)}</p>")
    for summary, heading, facts in episodes:
        items = "".join(f"<li>{escape(fact)}</li>" for fact in facts)
        out.append(f"<h3>{escape(summary)}</h3><p>{escape(heading)}</p><ul>{items}</ul>")
    if episodes:
        out.append(f'<p class="evidence">{escape(pain_review.NOT_A_DIAGNOSIS)}</p>')
    out.append("</section>")
    return "\n".join(out)


def _professional() -> str:
    items = "".join(f"<li>{escape(item)}</li>" for item in wording.PROFESSIONAL)
    return (
        f'<aside class="pro" id="professional"><h2>{escape(wording.PROFESSIONAL_TITLE)}</h2>'
        f"<ul>{items}</ul></aside>"
    )


def _figure(
    chart: Chart, image_src: ImageSource, narrow_src: Callable[[Chart], str | None] | None
) -> str:
    narrow = narrow_src(chart) if narrow_src else None
    source = f'<source media="{NARROW_MEDIA}" srcset="{escape(narrow)}">' if narrow else ""
    return (
        f'<figure id="chart-{escape(chart.key)}"><picture>{source}'
        f'<img src="{escape(image_src(chart))}" alt="{escape(chart.alt)}"></picture>'
        f"<figcaption>{escape(chart.alt)}</figcaption></figure>"
    )


def _glance(charts: list[Chart], figure: Figure) -> str:
    """The weekly distance chart right under the headline: the load at a glance."""
    return figure(charts[0]) if charts else ""


def _charts(charts: list[Chart], figure: Figure) -> str:
    out = ['<section id="charts">', f"<h2>{TITLES[Section.CHARTS]}</h2>"]
    out.extend(figure(chart) for chart in charts[1:])
    if not charts:
        out.append(f"<p>{NO_CHARTS}</p>")
    out.append("</section>")
    return "\n".join(out)


def _runs(report: Report) -> str:
    out = ['<section id="runs">', f"<h2>{escape(wording.runs_title(report))}</h2>"]
    table = runs_table(report)
    out.append(_table(table) if table.rows else f"<p>{NO_RUNS}</p>")
    out.append("</section>")
    return "\n".join(out)


def _shoes(report: Report) -> str:
    table = shoes_table(report)
    out = ['<section id="shoes">', f"<h2>{TITLES[Section.SHOES]}</h2>"]
    if report.shoes is None:
        out.append(f"<p>{SHOES_NOT_TRACKED}</p>")
    elif not table.rows:
        out.append("<p>No shoes recorded yet (loadwatch shoes add NAME).</p>")
    else:
        out.append(_table(table))
    if table.note:
        out.append(f"<p>{escape(table.note)}</p>")
    out.append("</section>")
    return "\n".join(out)


def _problems(report: Report) -> str:
    out = ['<section id="problems">', f"<h2>{TITLES[Section.PROBLEMS]}</h2>"]
    if not report.problems:
        out.append(f"<p>{NO_PROBLEMS}</p>")
    else:
        table = problems_table(report)
        out.append(_table(table))
        if table.note:
            out.append(f"<p>{escape(table.note)}</p>")
    out.append("</section>")
    return "\n".join(out)


def _report_only(part: Callable[[Report], str]) -> Callable[[Report, list[Chart], Figure], str]:
    return lambda report, charts, figure: part(report)


def _charts_only(
    part: Callable[[list[Chart], Figure], str],
) -> Callable[[Report, list[Chart], Figure], str]:
    return lambda report, charts, figure: part(charts, figure)


#: each section's HTML, laid out in ``sections.ORDER``
_SECTIONS: dict[Section, Callable[[Report, list[Chart], Figure], str]] = {
    Section.RED_FLAGS: _report_only(_red_flags),
    Section.STALE: _report_only(_stale),
    Section.HEADLINE: _report_only(_headline),
    Section.NOT_MEDICAL_ADVICE: _notice,
    Section.GLANCE: _charts_only(_glance),
    Section.FINDINGS: _report_only(_findings),
    Section.PAIN: _report_only(_pain),
    Section.PROFESSIONAL: lambda report, charts, figure: _professional(),
    Section.CHARTS: _charts_only(_charts),
    Section.RUNS: _report_only(_runs),
    Section.SHOES: _report_only(_shoes),
    Section.WEEKS: _weeks,
    Section.PROBLEMS: _report_only(_problems),
}


def _table(table: TableData) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in table.header)
    body = []
    for row in table.rows:
        cells = "".join(
            f'<td class="num">{escape(c)}</td>'
            if i in table.numeric
            # dates never break across lines, however narrow the screen
            else f'<td class="date">{escape(c)}</td>'
            if _DATE.match(c)
            else f"<td>{escape(c)}</td>"
            for i, c in enumerate(row)
        )
        body.append(f"<tr>{cells}</tr>")
    return (
        f'<div class="scroll"><table><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table></div>"
    )
