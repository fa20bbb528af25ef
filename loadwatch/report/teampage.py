"""The team dashboard as one self-contained HTML page and as JSON.

The page follows the weekly report's rules (``report.html``): inline CSS, no script,
no fetch (the same Content-Security-Policy), and every string that can come from a
file or a roster (athlete names, finding messages that quote activity and shoe
names) passes through ``html.escape``. Each row's small chart is an inline SVG, so
the page needs no image files and no matplotlib.
"""

from __future__ import annotations

import json
from datetime import timedelta
from html import escape
from typing import TYPE_CHECKING, Any

from loadwatch import __version__
from loadwatch.report import wording
from loadwatch.report.html import CSP, LIGHT_COLOURS, STYLE
from loadwatch.report.model import RECENT_DAYS
from loadwatch.rules import Finding, Severity
from loadwatch.units import Units

if TYPE_CHECKING:
    from loadwatch.team import TeamReport, TeamRow

_TEAM_STYLE = """
td.light{text-align:center}.dot{display:inline-block;width:16px;height:16px;border-radius:50%;
 border:1px solid #333;vertical-align:middle}
td ul{margin:0;padding-left:1rem}.why{font-weight:600}.quiet{color:#666}
svg.spark{display:block}
"""
_SPARK_W, _SPARK_H, _BAR_GAP = 96, 28, 2
_UNKNOWN_COLOUR = "#999999"
#: the weekly report's notice points at its own "when to see a professional" box; the
#: team page has none, so it points at each athlete's report
TEAM_NOTICE = (
    "Not medical advice. loadwatch does not diagnose anything: it points out patterns in "
    "the athletes' training that studies of runners have linked to injury, and how strong "
    "that evidence is. Pain is what matters: each athlete's report says when to see a GP, "
    "physiotherapist or podiatrist."
)


def one_line(finding: Finding) -> str:
    """A finding in one line: its rule's title and the first sentence of what was measured."""
    message = finding.message
    cut = message.find(". ")
    first = message if cut < 0 else message[: cut + 1]
    return f"{wording.rule_title(finding.rule)}: {first}"


def _distance(metres: float, units: Units) -> float:
    return round(metres / units.metres, 2)


def row_dict(row: TeamRow, rank: int, units: Units) -> dict[str, Any]:
    from loadwatch.team import ATTENTION_WORDS

    counts = row.counts()
    summary = row.summary
    return {
        "rank": rank,
        "name": row.athlete.name,
        "slug": row.athlete.slug,
        "light": row.light,
        "attention": [reason.value for reason in row.attention],
        "why": [ATTENTION_WORDS[reason] for reason in row.attention],
        "last_run": None if row.last_run is None else row.last_run.isoformat(),
        "days_since_last_run": row.days_since_run,
        "counts": {severity.value: counts[severity] for severity in Severity},
        "weeks": [
            {"week_start": day.isoformat(), f"distance_{units.value}": _distance(m, units)}
            for day, m in row.weeks()
        ],
        "findings": [
            {
                "date": f.date.isoformat(),
                "severity": f.severity.value,
                "rule": f.rule,
                "line": one_line(f),
            }
            for f in row.top_findings()
        ],
        "shoes_due": row.shoes_due(),
        "report": row.link,
        "data_dir": None if row.data_dir is None else str(row.data_dir),
        "import": None
        if summary is None
        else {
            "files": summary.files,
            "parsed": summary.parsed,
            "skipped": summary.skipped,
        },
        "error": row.error,
    }


def to_dict(team: TeamReport) -> dict[str, Any]:
    return {
        "as_of": team.as_of.isoformat(),
        "units": team.units.value,
        "findings_since": None if not team.rows else _since(team),
        "lights": team.lights(),
        "athletes": [row_dict(row, rank, team.units) for rank, row in enumerate(team.rows, 1)],
    }


def _since(team: TeamReport) -> str:
    return (team.as_of - timedelta(days=RECENT_DAYS)).isoformat()


def json_text(team: TeamReport) -> str:
    return json.dumps(to_dict(team), indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def sparkline(weeks: list[tuple[Any, float]], units: Units, colour: str) -> str:
    """The last weeks' distance as a tiny bar chart (inline SVG), with a text equivalent."""
    if not weeks:
        return '<span class="quiet">no runs</span>'
    top = max((m for _, m in weeks), default=0.0)
    width = (_SPARK_W - _BAR_GAP * (len(weeks) - 1)) / len(weeks)
    bars = []
    for index, (day, metres) in enumerate(weeks):
        height = 0.0 if top <= 0 else max(1.0, metres / top * (_SPARK_H - 2))
        x = index * (width + _BAR_GAP)
        label = f"week of {day.isoformat()}: {_distance(metres, units):g} {units.value}"
        bars.append(
            f'<rect x="{x:.1f}" y="{_SPARK_H - height:.1f}" width="{width:.1f}" '
            f'height="{height:.1f}" fill="{colour}"><title>{escape(label)}</title></rect>'
        )
    described = ", ".join(f"{_distance(m, units):g}" for _, m in weeks)
    alt = f"Distance in the last {len(weeks)} weeks ({units.value}): {described}"
    return (
        f'<svg class="spark" role="img" aria-label="{escape(alt)}" width="{_SPARK_W}" '
        f'height="{_SPARK_H}" viewBox="0 0 {_SPARK_W} {_SPARK_H}" '
        f'xmlns="http://www.w3.org/2000/svg">{"".join(bars)}</svg>'
    )


def _row_html(row: TeamRow, rank: int, units: Units) -> str:
    from loadwatch.team import ATTENTION_WORDS

    light = row.light
    colour = LIGHT_COLOURS.get(light or "", _UNKNOWN_COLOUR)
    name = escape(row.athlete.name)
    cell_name = f'<a href="{escape(row.link)}">{name}</a>' if row.link else name
    why = "; ".join(ATTENTION_WORDS[reason] for reason in row.attention)
    findings = row.top_findings()
    if row.error:
        detail = f"<p>{escape(row.error)}</p>"
    elif findings:
        detail = (
            "<ul>"
            + "".join(
                f'<li><span class="sev {escape(f.severity.value)}">'
                f"{escape(f.severity.value)}</span>"
                f"{escape(f.date.isoformat())} {escape(one_line(f))}</li>"
                for f in findings
            )
            + "</ul>"
        )
    else:
        detail = f'<span class="quiet">nothing in the last {RECENT_DAYS} days</span>'
    due = row.shoes_due()
    if due:
        detail += f"<p>Shoes due: {escape(', '.join(due))}</p>"
    last = row.last_run
    if last is None:
        last_text = "no runs"
    else:
        days = row.days_since_run
        ago = "today" if days == 0 else f"{days} day{'s' if days != 1 else ''} ago"
        last_text = f"{last.isoformat()} ({ago})"
    return (
        "<tr>"
        f'<td class="num">{rank}</td>'
        f'<td class="light"><span class="dot" style="background:{colour}" '
        f'title="{escape(light or "unknown")}"></span></td>'
        f"<td>{cell_name}</td>"
        f'<td class="why">{escape(why)}</td>'
        f"<td>{sparkline(row.weeks(), units, colour)}</td>"
        f"<td>{detail}</td>"
        f"<td>{escape(last_text)}</td>"
        "</tr>"
    )


def html(team: TeamReport) -> str:
    lights = team.lights()
    count = len(team.rows)
    title = f"loadwatch team dashboard, as of {team.as_of.isoformat()}"
    summary = (
        f"{count} athlete{'s' if count != 1 else ''}: {lights['red']} red, "
        f"{lights['amber']} amber, {lights['green']} green"
        + (f", {lights['unknown']} unreadable" if lights["unknown"] else "")
        + f". Findings from the last {RECENT_DAYS} days; distances in {team.units.value}."
    )
    rows = "\n".join(_row_html(row, rank, team.units) for rank, row in enumerate(team.rows, 1))
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        '<meta name="referrer" content="no-referrer">',
        f"<title>{escape(title)}</title>",
        f"<style>{STYLE}{_TEAM_STYLE}</style>",
        "</head>",
        "<body>",
        "<header>",
        f"<h1>Team: who needs a look this week ({escape(team.as_of.isoformat())})</h1>",
        f'<p class="meta">{escape(summary)}</p>',
        "</header>",
        f'<p class="notice"><strong>{escape(TEAM_NOTICE)}</strong></p>',
        '<div class="scroll"><table id="team">',
        "<thead><tr><th>#</th><th>light</th><th>athlete</th><th>why</th>"
        f"<th>last 8 weeks ({escape(team.units.value)})</th><th>top findings</th>"
        "<th>last run</th></tr></thead>",
        f"<tbody>\n{rows}\n</tbody>",
        "</table></div>",
        "<p>Ranked by red flags and heel pain first, then warnings, cautions, shoes due and "
        "athletes with no run for three weeks. Each name links to the athlete's full weekly "
        "report.</p>",
        f"<footer>Made by loadwatch {escape(__version__)} from the athletes' own export "
        "files, on this machine. Not medical advice.</footer>",
        "</body>",
        "</html>",
    ]
    return "\n".join(parts) + "\n"
