"""Every format presents every section, in the one order ``sections.ORDER`` gives."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from test_pain_report import WEEK_OF_PAIN, build, morning

from loadwatch.report import html, markdown, text, wording
from loadwatch.report.charts import render_all
from loadwatch.report.model import Report
from loadwatch.report.sections import ORDER, TITLES, Section, findings_title, weeks_title

STALE = "No run in the last 30 days (last on 2026-02-20): is your export still syncing?"


@pytest.fixture(scope="module")
def everything() -> Report:
    """A report with every section filled: a red flag, pain, findings, a stale note."""
    flagged = build([*WEEK_OF_PAIN, morning(date(2026, 3, 21), 6, swelling=True)])
    return replace(flagged, stale=STALE)


@pytest.mark.parametrize("renderer", [html, markdown, text], ids=lambda m: m.__name__)
def test_each_renderer_has_every_section(renderer: object) -> None:
    assert set(renderer._SECTIONS) == set(Section)  # type: ignore[attr-defined]


def _in_order(page: str, markers: list[tuple[Section, str]]) -> None:
    positions = [(section, page.index(marker)) for section, marker in markers]
    assert [s for s, _ in sorted(positions, key=lambda p: p[1])] == [s for s, _ in markers]
    assert [s for s, _ in markers] == [s for s in ORDER if s in dict(markers)]


def test_html_sections_come_in_order(everything: Report) -> None:
    page = html.render(everything, render_all(everything))
    _in_order(
        page,
        [
            (Section.RED_FLAGS, 'id="red-flag"'),
            (Section.STALE, 'id="stale"'),
            (Section.HEADLINE, 'id="headline"'),
            (Section.NOT_MEDICAL_ADVICE, 'class="notice"><'),
            (Section.GLANCE, 'id="chart-distance"'),
            (Section.FINDINGS, 'id="findings"'),
            (Section.PAIN, 'id="pain"'),
            (Section.PROFESSIONAL, 'id="professional"'),
            (Section.CHARTS, 'id="charts"'),
            (Section.RUNS, 'id="runs"'),
            (Section.SHOES, 'id="shoes"'),
            (Section.WEEKS, 'id="weeks"'),
            (Section.PROBLEMS, 'id="problems"'),
        ],
    )


def test_markdown_and_text_sections_come_in_order(everything: Report) -> None:
    headings = [
        (Section.RED_FLAGS, wording.RED_FLAG_TITLE),
        (Section.STALE, STALE),
        (Section.HEADLINE, f"{wording.LIGHT_WORDS[everything.light]}."),
        (Section.NOT_MEDICAL_ADVICE, wording.NOT_MEDICAL_ADVICE[:40]),
        (Section.FINDINGS, findings_title()),
        (Section.PAIN, wording.PAIN_TITLE),
        (Section.PROFESSIONAL, wording.PROFESSIONAL_TITLE),
        (Section.CHARTS, TITLES[Section.CHARTS]),
        (Section.RUNS, wording.runs_title(everything)),
        (Section.SHOES, TITLES[Section.SHOES]),
        (Section.WEEKS, weeks_title(everything)),
        (Section.PROBLEMS, TITLES[Section.PROBLEMS]),
    ]
    _in_order(
        markdown.render(everything, []),
        [
            (
                s,
                f"## {h}"
                if s
                in {
                    Section.FINDINGS,
                    Section.PAIN,
                    Section.PROFESSIONAL,
                    Section.CHARTS,
                    Section.RUNS,
                    Section.SHOES,
                    Section.WEEKS,
                    Section.PROBLEMS,
                }
                else h,
            )
            for s, h in headings
        ],
    )
    plain = text.render(everything)
    # text headings are in capitals; a text part says where the charts are instead
    _in_order(
        plain,
        [
            (
                s,
                "The charts are in the HTML version"
                if s is Section.CHARTS
                else h
                if s in {Section.HEADLINE, Section.NOT_MEDICAL_ADVICE}
                else h.upper(),
            )
            for s, h in headings
        ],
    )
