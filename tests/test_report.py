"""The report's data, wording, charts, HTML, Markdown and JSON, on hand-made scenarios.

The scenario (UTC, weeks from Monday, as of Sunday 2026-03-22), distances in km:

    week of 02 Feb: A 8 (Mon), B 8 (Wed)           = 16
    weeks of 09, 16, 23 Feb: nothing
    week of 02 Mar: C 10 (Mon), D 5 (Wed)          = 15
    week of 09 Mar: E 12 (Mon), F 6 (Wed)          = 18   (+20%)
    week of 16 Mar: G 10 (Mon), H 25 (Sat)         = 35   (+94.4%)

Findings are made by hand here (the rules have their own tests), so every number
below is computed from this table.
"""

from __future__ import annotations

import io
import json
import math
import re
from dataclasses import replace
from datetime import date
from html.parser import HTMLParser
from typing import Any

import numpy as np
import pytest
from helpers.activities import make_activity
from markdown_it import MarkdownIt
from matplotlib.image import imread

from loadwatch import weekly
from loadwatch.model import Activity, Problem, Surface
from loadwatch.report import html, jsonout, markdown, render, text, wording
from loadwatch.report.charts import (
    NARROW,
    VERMILLION,
    WIDE,
    Chart,
    plain_text,
    render_all,
    weekly_distance,
)
from loadwatch.report.model import Report, assemble
from loadwatch.rules import Evidence, Finding, Severity
from loadwatch.units import Units

AS_OF = date(2026, 3, 22)
SCRIPT = "<script>alert(1)</script>"
SHOE = "Pegasus <b>40</b> & *fast* [x](http://example.com)"
BAD_FILE = "bad/<img src=x onerror=alert(2)>.fit"


def scenario_runs() -> dict[str, Activity]:
    return {
        "A": make_activity("2026-02-02 07:00", 8.0),
        "B": make_activity("2026-02-04 07:00", 8.0),
        "C": make_activity("2026-03-02 07:00", 10.0, surface=Surface.ROAD),
        "D": make_activity("2026-03-04 07:00", 5.0, surface=Surface.TRAIL),
        "E": make_activity("2026-03-09 07:00", 12.0, surface=Surface.ROAD),
        "F": make_activity("2026-03-11 07:00", 6.0, surface=Surface.ROAD),
        "G": make_activity("2026-03-16 07:00", 10.0, surface=Surface.ROAD, shoe=SHOE),
        "H": make_activity("2026-03-21 07:00", 25.0, surface=Surface.ROAD, name=SCRIPT),
    }


def finding(
    rule: str,
    severity: Severity,
    day: date,
    week_start: date,
    *,
    activity_id: str | None = None,
    shoe: str | None = None,
    message: str = "measured",
) -> Finding:
    return Finding(
        rule=rule,
        severity=severity,
        date=day,
        week_start=week_start,
        value=1.0,
        threshold=1.0,
        unit="%",
        message=message,
        advice="ease off",
        evidence=Evidence("Someone et al. 2025", "A"),
        activity_id=activity_id,
        shoe=shoe,
    )


def scenario_findings(runs: dict[str, Activity]) -> list[Finding]:
    return [
        finding(
            "long-run-spike",
            Severity.CAUTION,
            date(2026, 3, 9),
            date(2026, 3, 9),
            activity_id=runs["E"].id,
        ),
        finding("weekly-increase", Severity.CAUTION, date(2026, 3, 15), date(2026, 3, 9)),
        finding(
            "long-run-spike",
            Severity.WARNING,
            date(2026, 3, 21),
            date(2026, 3, 16),
            activity_id=runs["H"].id,
            message=f"long run {SCRIPT}",
        ),
        finding("weekly-increase", Severity.WARNING, date(2026, 3, 22), date(2026, 3, 16)),
        # exactly 28 days before as_of: inside the report window
        finding("monotony", Severity.INFO, date(2026, 2, 22), date(2026, 2, 16)),
        # one day earlier: outside the window, but its week is still charted
        finding("no-rest", Severity.CAUTION, date(2026, 2, 21), date(2026, 2, 16)),
        finding("shoe-mileage", Severity.CAUTION, date(2026, 3, 16), date(2026, 3, 16), shoe=SHOE),
    ]


SHOES: dict[str, Any] = {
    "shoes": [
        {
            "name": SHOE,
            "brand": "Nike",
            "model": None,
            "runs": 40,
            "distance_m": 520_000.0,
            "first_run": "2025-10-01",
            "last_run": "2026-03-16",
            "age_days": 166,
            "limit_m": 804_672.0,
            "status": "plan",
            "projected_limit_date": "2026-07-01",
            "default_for": None,
            "retired_on": None,
        },
        {
            "name": "$\\foo{$ trail",
            "brand": None,
            "model": None,
            "runs": 3,
            "distance_m": 30_000.0,
            "first_run": "2026-03-04",
            "last_run": "2026-03-04",
            "age_days": 18,
            "limit_m": 700_000.0,
            "status": "ok",
            "projected_limit_date": None,
            "default_for": "trail",
            "retired_on": None,
        },
    ],
    "unassigned": {"runs": 2, "distance_m": 16_000.0},
}


def build(
    *,
    as_of: date = AS_OF,
    weeks: int = 16,
    units: Units = Units.KM,
    shoes: dict[str, Any] | None = SHOES,
    problems: tuple[Problem, ...] = (Problem(BAD_FILE, "not a FIT file <really>"),),
    findings: list[Finding] | None = None,
) -> Report:
    runs = scenario_runs()
    table = weekly.build_weekly(list(runs.values()), as_of)
    found = scenario_findings(runs) if findings is None else findings
    return assemble(
        list(runs.values()),
        table,
        found,
        as_of=as_of,
        units=units,
        weeks=weeks,
        shoes=shoes,
        problems=problems,
    )


@pytest.fixture(scope="module")
def report() -> Report:
    return build()


@pytest.fixture(scope="module")
def charts(report: Report) -> list[Chart]:
    return render_all(report)


# ---------------------------------------------------------------------------
# the data


def test_shown_weeks_and_allowance() -> None:
    three = build(weeks=3)
    assert list(three.weeks["week_start"]) == [
        date(2026, 3, 2),
        date(2026, 3, 9),
        date(2026, 3, 16),
    ]
    allowance = list(three.weeks["allowance_m"])
    # the week before 02 Mar is empty: no allowance to draw
    assert math.isnan(allowance[0])
    assert allowance[1:] == pytest.approx([15_000 * 1.1, 18_000 * 1.1])
    # all seven weeks exist, so sixteen asked shows seven
    assert len(build().weeks) == 7


def test_findings_window_is_the_28_days_check_uses(report: Report) -> None:
    dates = sorted(f.date for f in report.findings)
    assert dates[0] == date(2026, 2, 22)
    assert date(2026, 2, 21) not in dates
    assert report.findings_since == date(2026, 2, 22)
    assert len(report.findings) == 6
    counts = report.counts()
    assert (counts[Severity.WARNING], counts[Severity.CAUTION], counts[Severity.INFO]) == (2, 3, 1)


def test_week_flags_keep_the_highest_severity_of_each_week(report: Report) -> None:
    assert report.week_flags == {
        date(2026, 3, 9): Severity.CAUTION,
        date(2026, 3, 16): Severity.WARNING,
        # older than the report window, still coloured in the chart
        date(2026, 2, 16): Severity.CAUTION,
    }


def test_each_shown_run_against_the_longest_of_the_30_days_before() -> None:
    runs = build(weeks=3).runs
    assert list(runs["day"]) == [
        date(2026, 3, 2),
        date(2026, 3, 4),
        date(2026, 3, 9),
        date(2026, 3, 11),
        date(2026, 3, 16),
        date(2026, 3, 21),
    ]
    # C looks back to 31 Jan (A, B: 8); D to 2 Feb (A..C: 10); E, F, G, H as computed
    assert list(runs["reference_m"]) == [8000.0, 10000.0, 10000.0, 12000.0, 12000.0, 12000.0]
    assert list(runs["severity"]) == [None, None, Severity.CAUTION, None, None, Severity.WARNING]


def test_first_run_has_no_reference() -> None:
    runs = build(weeks=16).runs
    assert math.isnan(runs["reference_m"].iloc[0])
    assert runs["reference_m"].iloc[1] == 8000.0  # B looks back at A


def test_load_lines_cover_the_shown_days(report: Report) -> None:
    load = report.load
    assert load.index[0].date() == date(2026, 2, 2)
    assert load.index[-1].date() == AS_OF
    # the acute line is the last 7 days' distance: from the 7th day, A and B's 16 km
    assert load["acute_m"].iloc[:6].isna().all()
    assert load["acute_m"].iloc[6] == pytest.approx(16000.0)
    # the ratio needs 28 days of data
    assert load["acwr"].iloc[:27].isna().all()


def test_traffic_light_follows_the_highest_severity_in_the_window() -> None:
    runs = scenario_runs()
    assert build().light == "red"
    cautions = [f for f in scenario_findings(runs) if f.severity is not Severity.WARNING]
    assert build(findings=cautions).light == "amber"
    notes = [f for f in scenario_findings(runs) if f.severity is Severity.INFO]
    calm = build(findings=notes)
    assert calm.light == "green"
    assert not calm.has_news
    assert build(findings=cautions).has_news


# ---------------------------------------------------------------------------
# wording


def test_headline_describes_this_week_and_counts(report: Report) -> None:
    # 35 km in the week of 16 Mar, 18 km the week before: +94.4%
    assert wording.week_sentence(report) == (
        "This week (from Mon 16 Mar): 35.0 km in 2 runs, up 94% on the week before, "
        "longest run 25.0 km."
    )
    assert wording.status_sentence(report) == (
        "2 warnings and 3 cautions in the last 28 days need attention."
    )
    assert wording.headline(report).endswith(
        "2 warnings and 3 cautions in the last 28 days need attention."
    )


def test_monday_morning_headline_describes_last_week() -> None:
    monday = build(as_of=date(2026, 3, 23))
    assert monday.label == "2026-W13"
    assert wording.week_sentence(monday).startswith(
        "No run yet this week; last week (from Mon 16 Mar): 35.0 km in 2 runs"
    )
    assert [r.start_local.date() for r in monday.focus_runs] == [
        date(2026, 3, 16),
        date(2026, 3, 21),
    ]


def test_headline_rounds_a_tiny_change_to_the_same() -> None:
    runs = scenario_runs()
    # 15 km then 15.04 km: +0.27%, which would print as "up 0%"
    runs["F"] = runs["F"].replace(distance_m=3040.0)
    runs["E"] = runs["E"].replace(distance_m=12000.0)
    table = weekly.build_weekly(list(runs.values()), date(2026, 3, 15))
    report = assemble(list(runs.values()), table, [], as_of=date(2026, 3, 15), units=Units.KM)
    assert wording.week_sentence(report) == (
        "This week (from Mon 9 Mar): 15.0 km in 2 runs, about the same as the week before, "
        "longest run 12.0 km."
    )


def test_headline_with_no_recent_runs_names_the_last_one() -> None:
    later = build(as_of=date(2026, 5, 6), findings=[])
    assert wording.week_sentence(later) == (
        "This week so far (from Mon 4 May): no runs; your last run was on 2026-03-21."
    )
    assert wording.status_sentence(later) == "Nothing to flag in the last 28 days."


def test_every_rule_has_a_heel_reason() -> None:
    from loadwatch.rules import RULES

    for rule in RULES:
        reason = wording.heel_reason(rule.id)
        assert reason and reason != wording.heel_reason("not-a-rule"), rule.id


# ---------------------------------------------------------------------------
# charts


def _pixels(png: bytes) -> np.ndarray:
    return imread(io.BytesIO(png), format="png")


def test_every_chart_is_a_real_png_of_the_planned_size(charts: list[Chart]) -> None:
    assert [c.key for c in charts] == ["distance", "long-runs", "surfaces", "load", "shoes"]
    for chart in charts:
        assert chart.alt and chart.title
        assert chart.narrow_png is not None, chart.key
        for png, layout in ((chart.png, WIDE), (chart.narrow_png, NARROW)):
            assert png.startswith(b"\x89PNG\r\n\x1a\n"), chart.key
            pixels = _pixels(png)
            # the width is the layout's; the height its plot plus title and legend rows
            assert pixels.shape[1] == layout.width_in * layout.dpi, (chart.key, layout.name)
            assert 1.0 * layout.dpi < pixels.shape[0] < 3 * layout.width_in * layout.dpi
            assert pixels[..., :3].std() > 0.05, f"{chart.key} looks blank"


@pytest.fixture(scope="module")
def drawn_text(report: Report) -> dict[tuple[str, str], tuple[list[tuple[str, float]], Any]]:
    """Each chart's pieces of text with their sizes, and how far what it drew reaches.

    The reach is matplotlib's tight box of every drawn artist, in inches from the
    figure's lower left corner; the figure's size follows it.
    """
    from matplotlib.text import Text

    from loadwatch.report import charts as drawing

    seen: dict[tuple[str, str], tuple[list[tuple[str, float]], Any]] = {}
    original = drawing._png

    def capture(figure: Any) -> bytes:
        png = original(figure)
        renderer = figure.canvas.get_renderer()
        layout = "narrow" if figure.dpi == NARROW.dpi else "wide"
        title = figure.axes[0].get_title()
        texts = [
            (t.get_text(), t.get_fontsize())
            for t in figure.findobj(Text)
            if t.get_visible() and t.get_text().strip()
        ]
        seen[(title, layout)] = (texts, (figure.get_tightbbox(renderer), figure.get_size_inches()))
        return png

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(drawing, "_png", capture)
        drawing.render_all(report)
    return seen


def test_chart_type_is_never_smaller_than_the_layout_allows(
    drawn_text: dict[tuple[str, str], tuple[list[tuple[str, float]], Any]],
) -> None:
    assert len(drawn_text) == 10  # five charts, each drawn wide and narrow
    for (title, layout), (texts, _) in drawn_text.items():
        smallest = (NARROW if layout == "narrow" else WIDE).smallest_pt
        assert texts, title
        for words, points in texts:
            assert points >= smallest, (title, layout, words, points)


def test_chart_text_stays_inside_the_picture(
    drawn_text: dict[tuple[str, str], tuple[list[tuple[str, float]], Any]],
) -> None:
    # the margins are set by hand from the type sizes: no title, tick or legend is cut off
    for (title, layout), (_, (reach, (width, height))) in drawn_text.items():
        assert reach.x0 >= -0.01 and reach.y0 >= -0.01, (title, layout, reach)
        assert reach.x1 <= width + 0.01 and reach.y1 <= height + 0.01, (title, layout, reach)


def _has_colour(png: bytes, hex_colour: str) -> bool:
    rgb = np.array([int(hex_colour[i : i + 2], 16) for i in (1, 3, 5)]) / 255.0
    pixels = _pixels(png)[..., :3]
    return bool((np.abs(pixels - rgb).max(axis=2) < 0.02).sum() > 200)


def test_flagged_weeks_are_coloured_by_severity(charts: list[Chart]) -> None:
    calm = weekly_distance(build(findings=[]))
    assert calm is not None
    assert _has_colour(charts[0].png, VERMILLION)
    assert not _has_colour(calm.png, VERMILLION)


def test_no_shoes_no_shoe_chart_and_no_runs_no_charts() -> None:
    assert [c.key for c in render_all(build(shoes=None))] == [
        "distance",
        "long-runs",
        "surfaces",
        "load",
    ]
    empty = assemble([], weekly.build_weekly([], AS_OF), [], as_of=AS_OF, units=Units.MI)
    assert render_all(empty) == []
    # and the empty report still renders everywhere
    rendered = render(empty)
    assert "No runs found up to 2026-03-22." in rendered.html
    assert "No runs to chart yet." in rendered.markdown


def test_chart_labels_from_files_are_literal(charts: list[Chart]) -> None:
    assert plain_text("$x^2$") == r"\$x^2\$"
    # the scenario's second shoe is broken mathtext: drawing it must not fail
    assert charts[-1].key == "shoes"


# ---------------------------------------------------------------------------
# HTML


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse_html(page: str) -> _Tags:
    parser = _Tags()
    parser.feed(page)
    parser.close()
    return parser


def test_html_is_self_contained_and_runs_nothing(report: Report, charts: list[Chart]) -> None:
    page = html.render(report, charts)
    parsed = parse_html(page)
    names = {tag for tag, _ in parsed.tags}
    assert not names & {"script", "link", "iframe", "object", "embed", "base", "form"}
    for tag, attrs in parsed.tags:
        assert not any(key.startswith("on") for key in attrs), (tag, attrs)
        for key in ("href", "src", "action"):
            value = attrs.get(key)
            assert value is None or value.startswith("data:image/png;base64,"), (tag, attrs)
    images = [attrs for tag, attrs in parsed.tags if tag == "img"]
    assert len(images) == len(charts) == 5
    assert "Content-Security-Policy" in page and "default-src 'none'" in page


def test_html_shows_file_strings_as_text(report: Report, charts: list[Chart]) -> None:
    page = html.render(report, charts)
    assert SCRIPT not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "onerror=alert(2)>" not in page
    text_content = "".join(parse_html(page).text)
    # the run's name (a finding's heading and this week's runs), the message, the shoe
    assert text_content.count(SCRIPT) >= 3
    assert SHOE in text_content
    assert BAD_FILE in text_content
    assert "not a FIT file <really>" in text_content


def test_html_has_every_section(report: Report, charts: list[Chart]) -> None:
    page = html.render(report, charts)
    words = "".join(parse_html(page).text)
    assert "<title>loadwatch weekly report 2026-W12</title>" in page
    assert "Red: a warning needs attention." in words
    assert wording.NOT_MEDICAL_ADVICE in words
    assert wording.PROFESSIONAL_TITLE in words
    for item in wording.PROFESSIONAL:
        assert item in words
    assert "urgent care" in words and "more than two weeks" in words
    for title in ("Warnings (2)", "Cautions (3)", "For information (1)"):
        assert title in words
    # why it matters for the heel, what to do, the source and its grade
    assert wording.heel_reason("long-run-spike") in words
    assert "ease off" in words and "Someone et al. 2025" in words and "grade A" in words
    assert "Runs this week (from Mon 16 Mar)" in words
    assert "Weekly table (last 7 weeks)" in words
    assert "2 run(s), 16.0 km, have no shoe" in words
    assert "Import problems" in words


def test_warnings_come_before_cautions_before_notes(report: Report, charts: list[Chart]) -> None:
    words = "".join(parse_html(html.render(report, charts)).text)
    assert (
        words.index("Warnings (2)")
        < words.index("Cautions (3)")
        < words.index("For information (1)")
    )


# ---------------------------------------------------------------------------
# Markdown


def test_markdown_shows_file_strings_as_text(report: Report, charts: list[Chart]) -> None:
    page = markdown.render(report, charts)
    assert SCRIPT not in page
    assert "<img" not in page
    rendered = MarkdownIt("commonmark", {"html": True}).enable("table").render(page)
    parsed = parse_html(rendered)
    assert "script" not in {tag for tag, _ in parsed.tags}
    links = [attrs.get("href") for tag, attrs in parsed.tags if tag == "a"]
    assert links == []  # the shoe's [x](http://...) stayed text
    words = "".join(parsed.text)
    assert SCRIPT in words
    assert SHOE in words
    assert BAD_FILE in words


def test_markdown_links_its_png_files(report: Report, charts: list[Chart]) -> None:
    page = markdown.render(report, charts)
    files = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", page)
    assert files == [f"loadwatch-2026-W12-{c.key}.png" for c in charts]


def test_markdown_escapes_block_syntax_only_at_a_line_start() -> None:
    assert markdown.md("1. first") == "1. first"
    assert markdown.md("1. first", line_start=True) == "1\\. first"
    assert markdown.md("# not a heading", line_start=True) == "\\# not a heading"
    assert markdown.md("a|b *c* `d` ~e~ $f$") == "a\\|b \\*c\\* \\`d\\` \\~e\\~ \\$f\\$"
    assert markdown.md("x\n# y") == "x # y"


# ---------------------------------------------------------------------------
# JSON and plain text


def test_json_holds_the_same_objects_as_the_other_commands(report: Report) -> None:
    data = json.loads(jsonout.render(report))
    assert list(data) == [
        "as_of",
        "units",
        "week",
        "light",
        "headline",
        "findings_since",
        "weeks",
        "findings",
        "shoes",
        "problems",
        "pain",
    ]
    assert data["as_of"] == "2026-03-22" and data["units"] == "km" and data["week"] == "2026-W12"
    assert data["weeks"] == weekly.to_display(report.weeks[list(weekly.COLUMNS)], Units.KM)
    assert data["weeks"][-1]["distance_km"] == 35.0
    assert data["findings"] == [f.to_dict() for f in report.findings]
    assert data["shoes"] == SHOES
    assert data["problems"] == [
        {"source": BAD_FILE, "reason": "not a FIT file <really>", "kind": "skipped"}
    ]


def test_plain_text_has_the_findings_and_the_help_box(report: Report) -> None:
    body = text.render(report)
    assert "YOUR RUNNING WEEK: 2026-W12" in body
    assert "WHEN TO SEE A PROFESSIONAL" in body
    assert "Warnings (2)" in body
    assert "The charts are in the HTML version" in body
    lines = text.summary_lines(report)
    assert lines[0] == "loadwatch 2026-W12: Red: a warning needs attention"
    assert lines[2] == f"Shoes due: {SHOE} (plan a replacement)"
    assert lines[3] == "Findings in the last 28 days: 2 warning, 3 caution, 1 info"


def test_units_follow_the_report(report: Report) -> None:
    miles = replace(report, units=Units.MI)
    assert "21.7 mi in 2 runs" in wording.week_sentence(miles)  # 35 km
    assert json.loads(jsonout.render(miles))["weeks"][-1]["distance_mi"] == 21.75


def test_repeats_of_a_rule_are_one_card_with_the_earlier_ones_listed() -> None:
    runs = scenario_runs()
    repeats = [
        finding(
            "worn-shoes-hard-surface",
            Severity.CAUTION,
            date(2026, 3, 22),
            date(2026, 3, 16),
            shoe=SHOE,
            message="newest week",
        ),
        finding(
            "worn-shoes-hard-surface",
            Severity.CAUTION,
            date(2026, 3, 15),
            date(2026, 3, 9),
            shoe=SHOE,
            message="week before",
        ),
        finding(
            "worn-shoes-hard-surface",
            Severity.CAUTION,
            date(2026, 3, 8),
            date(2026, 3, 2),
            shoe=SHOE,
            message=f"oldest {SCRIPT}",
        ),
        finding(
            "long-run-spike",
            Severity.CAUTION,
            date(2026, 3, 9),
            date(2026, 3, 9),
            activity_id=runs["E"].id,
        ),
    ]
    report = build(findings=repeats)
    page = html.render(report, [])
    words = "".join(parse_html(page).text)
    assert page.count('<article class="finding caution">') == 2
    assert words.count(wording.heel_reason("worn-shoes-hard-surface")) == 1
    assert "Also flagged (2):" in words
    assert f"2026-03-15 (shoe: {SHOE}): week before" in words
    assert f"2026-03-08 (shoe: {SHOE}): oldest {SCRIPT}" in words
    assert SCRIPT not in page
    md_page = markdown.render(report, [])
    assert md_page.count("*Also flagged (2):*") == 1
    assert "week before" in md_page and SCRIPT not in md_page
    plain = text.render(report)
    assert "Also flagged (2):" in plain and "oldest <script>" in plain
