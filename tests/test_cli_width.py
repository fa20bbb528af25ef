"""Every command read in an 80- and a 120-column terminal, on the sample archive.

The values come from each command's own JSON output, so the test checks the table
and prose against the numbers they were made from: a cut date ("2026-05…"), a
distance split from its unit or a word broken in two cannot pass.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from loadwatch.cli import app

SAMPLE = Path(__file__).resolve().parent.parent / "sample_activities"
AS_OF = json.loads((SAMPLE / "manifest.json").read_text(encoding="utf-8"))["as_of"]
WIDTHS = (80, 120)
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("width-home")
    assert invoke(home, 200, "import", str(SAMPLE)).exit_code == 0
    return home


def invoke(home: Path, width: int, *args: str) -> Any:
    return CliRunner().invoke(app, ["--data-dir", str(home), *args], env={"COLUMNS": str(width)})


def json_of(home: Path, *args: str) -> Any:
    result = invoke(home, 200, *args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def fits(text: str, width: int) -> list[str]:
    lines = text.splitlines()
    assert lines, "nothing printed"
    for line in lines:
        assert len(line) <= width, (width, line)
        assert "…" not in line, line
    return lines


@pytest.mark.parametrize("width", WIDTHS)
def test_weekly_rows_show_whole_weeks_and_distances(home: Path, width: int) -> None:
    args = ("weekly", str(SAMPLE), "--as-of", AS_OF)
    weeks = json_of(home, *args)
    result = invoke(home, width, *args)
    assert result.exit_code == 0
    lines = fits(result.stdout, width)
    header = next(line for line in lines if line.startswith("week"))
    for title in ("runs", "mi", "change", "longest"):
        assert title in header.split(), (title, header)
    rows = [line for line in lines if ISO_DATE.match(line)]
    # oldest first, every week once, as a terminal scrolls
    assert [row.split()[0] for row in rows] == [w["week_start"] for w in weeks]
    for row, week in zip(rows, weeks, strict=True):
        cells = row.split()
        assert cells[1] == str(week["runs"])
        assert cells[2] == f"{week['distance_mi']:.1f}"
        assert f"{week['longest_run_mi']:.1f}" in cells


@pytest.mark.parametrize("width", WIDTHS)
def test_activities_take_one_line_each(home: Path, width: int) -> None:
    args = ("activities", str(SAMPLE), "--since", "2026-10-01")
    runs = json_of(home, *args)
    result = invoke(home, width, *args, "--units", "km")
    assert result.exit_code == 0
    rows = [line for line in fits(result.stdout, width) if ISO_DATE.match(line)]
    assert len(rows) == len(runs) > 20
    for row, run in zip(rows, runs, strict=True):
        cells = row.split()
        assert cells[0] == run["start_local"][:10]
        assert f"{run['distance_m'] / 1000:.2f}" in cells, (row, run["distance_m"])


def _words(*texts: str) -> set[str]:
    return {word for text in texts for word in text.split()}


@pytest.mark.parametrize("width", WIDTHS)
def test_check_wraps_between_words(home: Path, width: int) -> None:
    args = ("check", str(SAMPLE), "--as-of", AS_OF)
    findings = json_of(home, *args)
    result = invoke(home, width, *args)
    assert result.exit_code == 0
    text = "\n".join(fits(result.stdout, width))
    known = _words(
        *(
            f"- {f['date']} [{f['rule']}] {f['message']} What to do: {f['advice']} "
            f"Why this level: {f['severity_reason']} Evidence: {f['evidence']['source']} "
            f"(grade {f['evidence']['grade']})"
            for f in findings
        ),
        "INFO WARNING CAUTION (1) (2) (3) (4) (5) (6) (7) (8) (9)",
        "loadwatch is not medical advice. If heel pain lasts more than two weeks, see "
        "a GP, physiotherapist or podiatrist.",
    )
    # a word split across two lines would leave pieces that are no word of the findings
    strays = [word for word in text.split() if word not in known]
    assert strays == []
    assert not re.search(r"\d\n\s*(?:mi|km|ft)\b", text), "a number left without its unit"
    for finding in findings:
        assert f"- {finding['date']} [{finding['rule']}]" in text


@pytest.mark.parametrize("width", WIDTHS)
def test_shoes_rows_keep_names_and_distances(home: Path, width: int) -> None:
    args = ("shoes", str(SAMPLE), "--as-of", AS_OF)
    shoes = json_of(home, *args)["shoes"]
    result = invoke(home, width, *args, "--units", "km")
    assert result.exit_code == 0
    lines = fits(result.stdout, width)
    for shoe in shoes:
        row = next(line for line in lines if line.startswith(shoe["name"]))
        assert f"{shoe['distance_m'] / 1000:.1f}" in row.split(), row
        assert shoe["status"] in row.split(), row


@pytest.mark.parametrize("width", WIDTHS)
def test_report_summary_fits(home: Path, width: int, tmp_path: Path) -> None:
    result = invoke(home, width, "report", str(SAMPLE), "--as-of", AS_OF, "--out", str(tmp_path))
    assert result.exit_code == 0, result.output
    *summary, report_line = result.stdout.splitlines()
    fits("\n".join(summary), width)
    assert summary[0].startswith("loadwatch 2026-W47: Amber")
    # the path is one token, longer than the terminal here: whole, to copy, never cut
    assert report_line == f"Report: {tmp_path / 'loadwatch-2026-W47.html'}"
