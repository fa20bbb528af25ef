"""The pain diary in the weekly report: chart overlay, episode summary, red-flag box.

The last two tests are the issue's "done when", end to end on the sample archive:
morning pain under the heel logged every day after the marathon of 2026-11-22
(the sample's last, +31% long-run spike in a +58% week), then ``loadwatch report``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from helpers.paths import SAMPLE
from test_report import _pixels, scenario_runs
from typer.testing import CliRunner

import loadwatch.cli.pain as pain_cli
from loadwatch import pain_review, weekly
from loadwatch.cli import app
from loadwatch.report import html, jsonout, markdown, text, wording
from loadwatch.report.chartcache import digest
from loadwatch.report.charts import PURPLE, weekly_distance
from loadwatch.report.model import Report, assemble
from loadwatch.rules import evaluate
from loadwatch.units import Units
from loadwatch.userdata.pain import PainEntry

AS_OF = date(2026, 3, 22)  # the scenario of test_report: runs from 2026-02-02 to 03-21


def morning(day: date, level: int = 4, **kw: Any) -> PainEntry:
    return PainEntry(day, level, "under", "first-steps", **kw)


def build(entries: list[PainEntry]) -> Report:
    runs = list(scenario_runs().values())
    found = evaluate(runs, AS_OF, pain=entries, since=AS_OF - timedelta(days=120))
    report = assemble(runs, weekly.build_weekly(runs, AS_OF), found, as_of=AS_OF, units=Units.KM)
    first = report.weeks["week_start"].iloc[0]
    return replace(report, pain=pain_review.summarise(entries, runs, first_day=first, as_of=AS_OF))


WEEK_OF_PAIN = [morning(date(2026, 3, 16) + timedelta(days=n)) for n in range(7)]


def _purple(png: bytes) -> int:
    """Pixels in the pain line's colour (nothing else in the chart uses it)."""
    rgb = np.array([int(PURPLE[i : i + 2], 16) for i in (1, 3, 5)]) / 255.0
    return int((np.abs(_pixels(png)[..., :3] - rgb).max(axis=2) < 0.02).sum())


@pytest.fixture(scope="module")
def sore() -> Report:
    return build(WEEK_OF_PAIN)


@pytest.fixture(scope="module")
def calm() -> Report:
    return build([])


def test_no_diary_no_pain_parts(calm: Report) -> None:
    assert calm.pain is None
    page = html.render(calm, [])
    assert 'id="pain"' not in page and 'id="red-flag"' not in page
    assert jsonout.to_data(calm)["pain"] is None
    assert wording.PAIN_TITLE not in markdown.render(calm, [])
    chart = weekly_distance(calm)
    assert chart is not None and "Heel pain" not in chart.alt
    assert _purple(chart.png) == 0


def test_pain_levels_are_drawn_over_the_weekly_distance(calm: Report, sore: Report) -> None:
    chart = weekly_distance(sore)
    assert chart is not None
    assert chart.alt.endswith("plotted on the days they were logged: 7 entries, up to 4/10.")
    assert _purple(chart.png) > 100
    # the chart cache must not hand back the chart drawn without the pain levels
    assert digest(sore) != digest(calm)
    assert digest(sore) != digest(build([morning(date(2026, 3, 16), 5)]))


def test_episode_summary_with_what_changed_in_every_format(sore: Report) -> None:
    assert sore.pain is not None
    summary = (
        "Episode 1: from 2026-03-16, up to 4/10, 7 painful entries over 7 days; still ongoing."
    )
    heading = (
        "What changed in the 4 weeks up to the day it began (2026-02-17 to 2026-03-16), "
        "against the 8 weeks before:"
    )
    page = html.render(sore, [])
    section = page[page.index('<section id="pain">') :]
    section = section[: section.index("</section>")]
    assert f"<h3>{summary}</h3>" in section and heading in section
    # 7-day blocks up to the onset day: none; C (03-02); D+E (03-04, 03-09); F+G (03-11,
    # and G on 03-16 itself, the day the pain began)
    assert "0.0, 10.0, 17.0 and 16.0 km" in section
    assert pain_review.NOT_A_DIAGNOSIS in section
    page_md = markdown.render(sore, [])
    assert f"### {summary}" in page_md
    plain = text.render(sore)
    assert wording.PAIN_TITLE.upper() in plain
    assert summary in " ".join(plain.split())  # wrapped at 78 columns
    data = jsonout.to_data(sore)["pain"]
    assert data["levels"][0] == {"date": "2026-03-16", "level": 4}
    [episode] = data["episodes"]
    assert (episode["number"], episode["onset"], episode["ongoing"]) == (1, "2026-03-16", True)
    assert {fact["topic"] for fact in episode["facts"]} == {
        "distance",
        "long-runs",
        "shoes",
        "surface",
        "rest",
    }
    # the pattern note is a finding like any other
    assert any(f.rule == "pain-pattern" for f in sore.findings)


def test_a_red_flag_puts_a_box_at_the_top(sore: Report) -> None:
    flagged = build([*WEEK_OF_PAIN, morning(date(2026, 3, 21), 6, swelling=True)])
    page = html.render(flagged, [])
    assert 'id="red-flag"' in page
    assert page.index('id="red-flag"') < page.index('id="headline"')
    box = page[page.index('id="red-flag"') :]
    box = box[: box.index("</aside>")]
    assert wording.RED_FLAG_TITLE in box
    assert "On 2026-03-21 you logged 6/10 under the heel on the first steps, with swelling" in box
    assert "Stop running and see a GP, physiotherapist or podiatrist soon" in box
    page_md = markdown.render(flagged, [])
    assert page_md.index(wording.RED_FLAG_TITLE) < page_md.index("**Red:")
    plain = text.render(flagged)
    assert plain.index(wording.RED_FLAG_TITLE.upper()) < plain.index("Red: a warning")
    assert text.summary_lines(flagged)[1] == (f"{wording.RED_FLAG_TITLE} (logged 2026-03-21).")
    assert 'id="red-flag"' not in html.render(sore, [])


# ---------------------------------------------------------------------------
# done when: the sample archive, a diary of morning heel pain, `loadwatch report`


@pytest.fixture(scope="module")
def sample_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A data directory whose diary has morning under-heel pain from 11-23 to 12-07."""
    home = tmp_path_factory.mktemp("pain-sample")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CONFIG_HOME", str(home / "xdg"))
        patch.setattr(pain_cli, "_today", lambda: date(2026, 12, 7))
        for n in range(15):
            day = date(2026, 11, 23) + timedelta(days=n)
            result = CliRunner().invoke(
                app,
                [
                    "--data-dir",
                    str(home),
                    "pain",
                    "log",
                    "--date",
                    day.isoformat(),
                    "--level",
                    "4" if n < 7 else "3",
                    "--where",
                    "under",
                    "--when",
                    "first-steps",
                ],
            )
            assert result.exit_code == 0, result.output
        yield home


def report_json(home: Path, as_of: str) -> dict[str, Any]:
    out = home / f"out-{as_of}"
    result = CliRunner().invoke(
        app,
        [
            "--data-dir",
            str(home),
            "report",
            str(SAMPLE),
            "--as-of",
            as_of,
            "--out",
            str(out),
            "--formats",
            "json,html",
        ],
    )
    assert result.exit_code == 0, result.output
    [found] = out.glob("loadwatch-*.json")
    data: dict[str, Any] = json.loads(found.read_text(encoding="utf-8"))
    data["_html"] = (out / "latest.html").read_text(encoding="utf-8")
    return data


def _facts(data: dict[str, Any]) -> list[str]:
    [episode] = data["pain"]["episodes"]
    assert episode["onset"] == "2026-11-23"
    assert episode["recent"] == ["2026-10-27", "2026-11-23"]
    return [fact["text"] for fact in episode["facts"]]


def _what_changed_is_listed(data: dict[str, Any]) -> None:
    facts = _facts(data)
    # from the sample manifest: the marathon week is up about 58% after the taper (the
    # blocks end on the onset day, a Monday without a run), and the marathon itself is
    # 42.5 / 32.5 - 1 = 30.8% longer than the month's 32.5 km (30.5% at the files' metres);
    # the sample's config gives miles, so miles come first
    assert any("the 7 days to 2026-11-23 were up 58%" in f for f in facts)
    assert any("2026-11-22, 26.4 mi (42.5 km), 30.5% longer" in f for f in facts)
    # Brooks Ghost 15 passes 500 mi with the marathon (manifest: shoe-mileage)
    assert any(
        f.startswith("'Brooks Ghost 15'") and "past its 500.0 mi (804.7 km) limit" in f
        for f in facts
    )
    page = data["_html"]
    assert '<section id="pain">' in page
    assert "What changed in the 4 weeks up to the day it began (2026-10-27 to 2026-11-23)" in page


def test_done_when_two_weeks_of_morning_pain_show_all_three(sample_home: Path) -> None:
    data = report_json(sample_home, "2026-12-07")
    found = {(f["rule"], f["severity"]): f for f in data["findings"]}
    persistent = found[("pain-persistent", "warning")]
    assert persistent["date"] == "2026-12-07"
    assert "see a GP, physiotherapist or podiatrist" in persistent["advice"]
    pattern = found[("pain-pattern", "info")]
    assert "matches the pattern typical of plantar fasciitis" in pattern["message"]
    _what_changed_is_listed(data)
    assert 'id="red-flag"' not in data["_html"]  # nothing was logged that is a red flag


def test_done_when_after_one_week_the_pattern_and_what_changed_but_not_yet_persistent(
    sample_home: Path,
) -> None:
    # a week of daily entries spans 6 days: pain-persistent needs 14
    data = report_json(sample_home, "2026-11-29")
    rules = {f["rule"] for f in data["findings"]}
    assert "pain-pattern" in rules and "pain-persistent" not in rules
    _what_changed_is_listed(data)
