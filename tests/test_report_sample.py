"""The report of sample_activities/ against its manifest: weeks, flags, findings, shoes."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from helpers.paths import SAMPLE
from test_report import _has_colour
from typer.testing import CliRunner

from loadwatch.cli import app
from loadwatch.config import load_config
from loadwatch.ingest.pipeline import import_folders
from loadwatch.report import Report, build_report
from loadwatch.report.charts import ORANGE, VERMILLION
from loadwatch.rules import Severity

MANIFEST: dict[str, Any] = json.loads((SAMPLE / "manifest.json").read_text(encoding="utf-8"))
AS_OF = date.fromisoformat(MANIFEST["as_of"])
WEEKS = len(MANIFEST["weeks"])
RANK = {"info": 0, "caution": 1, "warning": 2}


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("sample-home")


@pytest.fixture(scope="module")
def cli_run(home: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, Path]:
    out = tmp_path_factory.mktemp("sample-out")
    result = CliRunner().invoke(
        app,
        [
            "--data-dir",
            str(home),
            "report",
            str(SAMPLE),
            "--as-of",
            AS_OF.isoformat(),
            "--weeks",
            str(WEEKS),
            "--units",
            "km",
            "--out",
            str(out),
            "--quiet",
        ],
    )
    return result, out


@pytest.fixture(scope="module")
def report(home: Path, cli_run: tuple[Any, Path]) -> Report:
    config = load_config(None, [SAMPLE])
    collection = import_folders([SAMPLE], config=config, home=home)
    return build_report(collection, config, as_of=AS_OF, weeks=WEEKS, home=home)


def _json(out: Path) -> dict[str, Any]:
    year, week, _ = AS_OF.isocalendar()
    return json.loads((out / f"loadwatch-{year}-W{week:02d}.json").read_text())


def test_quiet_speaks_on_the_sample(cli_run: tuple[Any, Path]) -> None:
    result, _ = cli_run
    assert result.exit_code == 0, result.output
    # the marathon and the pair it took past 500 mi: two cautions, nothing red
    assert result.output.startswith("loadwatch 2026-W47: Amber: worth a look")
    assert "0 warning, 2 caution" in result.output


def test_weekly_table_matches_the_manifest(cli_run: tuple[Any, Path]) -> None:
    weeks = _json(cli_run[1])["weeks"]
    expected = MANIFEST["weeks"]
    assert [w["week_start"] for w in weeks] == [w["week_start"] for w in expected]
    assert [w["runs"] for w in weeks] == [w["runs"] for w in expected]
    for got, want in zip(weeks, expected, strict=True):
        # GPX distances may differ by up to 0.2% between haversine variants
        assert got["distance_km"] == pytest.approx(want["distance_km"], rel=0.002, abs=0.01)


def test_chart_flags_every_manifest_finding_week(report: Report) -> None:
    expected: dict[date, Severity] = {}
    for finding in MANIFEST["expected_findings"]:
        week = date.fromisoformat(finding["week_start"])
        severity = Severity(finding["severity"])
        if week not in expected or severity.rank > expected[week].rank:
            expected[week] = severity
    flagged = {w: s for w, s in report.week_flags.items() if s.at_least(Severity.CAUTION)}
    assert flagged == expected


def test_findings_in_the_window_are_the_manifest_ones(cli_run: tuple[Any, Path]) -> None:
    since = AS_OF - timedelta(days=28)
    want = sorted(
        (f["rule"], f["severity"], f["date"], f.get("activity_id"), f.get("shoe"))
        for f in MANIFEST["expected_findings"]
        if date.fromisoformat(f["date"]) >= since
    )
    findings = _json(cli_run[1])["findings"]
    got = sorted(
        (
            f["rule"],
            f["severity"],
            f["date"],
            f["activity_id"] if "activity_id" in _keys(f["rule"]) else None,
            f["shoe"] if "shoe" in _keys(f["rule"]) else None,
        )
        for f in findings
        if RANK[f["severity"]] >= 1
    )
    assert got == want


def _keys(rule: str) -> set[str]:
    """Which identifying keys the manifest gives for a rule's findings."""
    keys: set[str] = set()
    for finding in MANIFEST["expected_findings"]:
        if finding["rule"] == rule:
            keys |= {k for k in ("activity_id", "shoe") if k in finding}
    return keys


def test_shoes_and_their_chart_match_the_manifest(cli_run: tuple[Any, Path]) -> None:
    data = _json(cli_run[1])
    status = {s["name"]: s["status"] for s in data["shoes"]["shoes"]}
    assert status == {s["name"]: s["status"] for s in MANIFEST["shoes"]}
    out = cli_run[1]
    assert (out / "loadwatch-2026-W47-shoes.png").is_file()
    # a caution in the charted weeks (the marathon week): its bar shows orange, and no
    # bar is vermillion, the colour of a warning
    chart = (out / "loadwatch-2026-W47-distance.png").read_bytes()
    assert _has_colour(chart, ORANGE)
    assert not _has_colour(chart, VERMILLION)
