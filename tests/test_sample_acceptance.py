"""Issues 3 and 4, "done when": the CLI on the sample archive says what its manifest says.

`check` over the whole archive gives exactly the manifest's findings at caution or above
(nothing else), and `shoes` shows the pair past 300 mi as `plan` and the one past its
limit as `retire`, with forecasts.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from helpers.paths import SAMPLE
from typer.testing import CliRunner

from loadwatch.cli import app

MANIFEST: dict[str, Any] = json.loads((SAMPLE / "manifest.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("home")


def run(home: Path, *args: str) -> Any:
    result = CliRunner().invoke(app, ["--data-dir", str(home), *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_check_over_the_whole_archive_gives_exactly_the_manifest_findings(home: Path) -> None:
    findings = run(
        home,
        "check",
        str(SAMPLE),
        "--since",
        MANIFEST["first_day"],
        "--as-of",
        MANIFEST["last_day"],
        "--format",
        "json",
    )
    serious = sorted(
        (
            f["rule"],
            f["severity"],
            f["date"],
            f["shoe"] if f["rule"].startswith(("shoe", "worn")) else None,
        )
        for f in findings
        if f["severity"] in ("caution", "warning")
    )
    expected = sorted(
        (
            f["rule"],
            f["severity"],
            f["date"],
            f.get("shoe") if f["rule"].startswith(("shoe", "worn")) else None,
        )
        for f in MANIFEST["expected_findings"]
    )
    assert serious == expected


def test_shoes_plan_and_retire_with_forecasts(home: Path) -> None:
    report = run(home, "shoes", str(SAMPLE), "--format", "json")  # as_of from the folder config
    shoes = {s["name"]: s for s in report["shoes"]}
    for expected in MANIFEST["shoes"]:
        shoe = shoes[expected["name"]]
        assert shoe["status"] == expected["status"], shoe["name"]
        assert shoe["runs"] == expected["runs"]
        assert shoe["distance_m"] == pytest.approx(expected["distance_m"], abs=1.0)
    assert shoes["ASICS Novablast 4"]["status"] == "plan"
    assert shoes["ASICS Novablast 4"]["projected_limit_date"] > MANIFEST["last_day"]
    assert shoes["Brooks Ghost 15"]["status"] == "retire"
    assert report["unassigned"]["runs"] == MANIFEST["unassigned"]["runs"]
    assert report["unassigned"]["distance_m"] == pytest.approx(
        MANIFEST["unassigned"]["distance_m"], abs=1.0
    )
    due = run(home, "shoes", str(SAMPLE), "--format", "json", "--due")
    assert sorted(s["status"] for s in due["shoes"]) == ["plan", "retire"]
