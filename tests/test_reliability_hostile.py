"""Hostile input, part two: what an adversary's files did beyond the mutation figures.

Each test reproduces one defect with a small file and shows the command that used
to fail now gives a correct result or one line, with the rest of the report intact.
"""

from __future__ import annotations

import json
import re
from datetime import timedelta
from pathlib import Path

import pytest
from test_library import gpx
from test_reliability_regressions import campaign
from typer.testing import CliRunner, Result

from loadwatch.cli import app

# Text a file may carry that rich would read as markup: a closing tag with nothing
# to close (MarkupError), a live hyperlink, a style, and an emoji code.
HOSTILE_TEXT = "[/] [link=https://evil.example]click[/link] [blink]x[/blink] :smile:"


@pytest.fixture(autouse=True)
def no_user_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # a config in the machine's real config folder must not change these results
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))


def invoke(tmp_path: Path, *args: str) -> Result:
    # wide enough that no table cell wraps
    return CliRunner().invoke(app, ["--data-dir", str(tmp_path / "home"), *args],
                              env={"COLUMNS": "400"})


def test_strings_from_files_are_printed_as_text_never_as_markup(tmp_path: Path) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    (folder / "run.gpx").write_text(gpx("2026-05-04T07:00:00", name=HOSTILE_TEXT))
    (folder / "log.csv").write_text(
        "date,distance_km,duration,sport,shoe\n"
        f'2026-05-06,5,0:30:00,run,"{HOSTILE_TEXT}"\n', encoding="utf-8")
    (folder / "loadwatch.toml").write_text('timezone = "UTC"\n')
    listed = invoke(tmp_path, "activities", str(folder))
    assert listed.exit_code == 0, listed.output
    shoes = invoke(tmp_path, "shoes", str(folder), "--as-of", "2026-05-10")
    assert shoes.exit_code == 0, shoes.output
    logged = invoke(tmp_path, "pain", "log", "--level", "2", "--where", "under",
                    "--date", "2026-05-07", "--note", HOSTILE_TEXT)
    assert logged.exit_code == 0, logged.output
    pains = invoke(tmp_path, "pain", "list")
    assert pains.exit_code == 0, pains.output
    for result in (listed, shoes, pains):
        assert HOSTILE_TEXT in result.stdout, result.stdout


def _with_values(document: bytes, element: str, values: list[str]) -> bytes:
    """``document`` with the text of every ``<element>`` replaced by ``values`` in turn."""
    texts = iter(values * (document.count(f"<{element}>".encode()) // len(values) + 1))
    return re.sub(rf"<{element}>[^<]*</{element}>".encode(),
                  lambda _m: f"<{element}>{next(texts)}</{element}>".encode(), document)


def huge_number_files() -> dict[str, bytes]:
    """The files that once put an infinity or a negative distance into the cache."""
    day = campaign._START  # 2024-03-02
    tcx = campaign.tcx_document(30, seed=4, start=day + timedelta(days=7))
    lap_distance = re.sub(rb"</TotalTimeSeconds><DistanceMeters>[^<]*<",
                          b"</TotalTimeSeconds><DistanceMeters>1e308<", tcx, count=1)
    lap_time = re.sub(rb"<TotalTimeSeconds>[^<]*<", b"<TotalTimeSeconds>1e308<",
                      campaign.tcx_document(30, seed=5, start=day + timedelta(days=8)), count=1)
    # the trackpoints' distance jumps to -5,000 m half-way
    points = campaign.tcx_document(30, seed=6, start=day + timedelta(days=9))
    head, _, tail = points.partition(b"</Lap>")
    negative = head + b"</Lap>" + re.sub(
        rb"<DistanceMeters>[^<]*</DistanceMeters><HeartRateBpm>",
        b"<DistanceMeters>-5000.0</DistanceMeters><HeartRateBpm>", tail)
    return {
        "elevation.gpx": _with_values(
            campaign.gpx_document(30, seed=3, start=day + timedelta(days=6)), "ele",
            ["-1e308", "1e308"]),
        "lap-distance.tcx": lap_distance,
        "lap-time.tcx": lap_time,
        "negative.tcx": negative,
        "log.csv": b"date,distance_mi,duration,sport\n2024-03-12,1e308,0:30:00,run\n"
                   b"2024-03-13,3,0:30:00,run\n",
    }


def _finite(text: str) -> object:
    def refuse(constant: str) -> float:
        raise AssertionError(f"{constant} in the JSON output")

    return json.loads(text, parse_constant=refuse)


def test_files_with_huge_numbers_never_stop_the_report_of_the_folder(tmp_path: Path) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    good = {"good1.gpx": campaign.gpx_document(30, seed=1),
            "good2.tcx": campaign.tcx_document(30, seed=2, start=campaign._START
                                               + timedelta(days=3))}
    for name, data in {**good, **huge_number_files()}.items():
        (folder / name).write_bytes(data)
    (folder / "loadwatch.toml").write_text('timezone = "UTC"\n')
    as_of = ("--as-of", "2024-03-20")
    for attempt in range(2):  # the second run reads everything from the cache
        out = tmp_path / f"reports{attempt}"
        report = invoke(tmp_path, "report", str(folder), "--out", str(out), *as_of)
        assert report.exit_code == 0, report.output
        assert {p.suffix for p in out.iterdir()} >= {".html", ".md", ".json", ".png"}
        for document in out.glob("*.json"):
            _finite(document.read_text(encoding="utf-8"))
        weekly = invoke(tmp_path, "weekly", str(folder), "--format", "json", *as_of)
        assert weekly.exit_code == 0, weekly.output
        _finite(weekly.stdout)
        check = invoke(tmp_path, "check", str(folder), *as_of)
        assert check.exit_code == 0, check.output
        listed = invoke(tmp_path, "activities", str(folder), "--format", "json", "--all-sports")
        assert listed.exit_code == 0, listed.output
        activities = _finite(listed.stdout)
        assert isinstance(activities, list)
        sources = sorted(a["source"] for a in activities)
        # the good files, the log's sound row, and each damaged file whose totals
        # could be recovered (the others are left out with their reason)
        assert {"good1.gpx", "good2.tcx", "log.csv#row2"} <= set(sources)
        for activity in activities:
            for key in ("distance_m", "duration_s", "elapsed_s", "ascent_m"):
                value = activity[key]
                assert value is None or 0 <= value < 1e7, (activity["source"], key, value)
