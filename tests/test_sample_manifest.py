"""sample_activities/ against its manifest: the files say what the manifest says.

These tests read the files with the third-party parsers directly (fitparse, gpxpy, csv,
ElementTree), not with loadwatch's importers, so they check the archive itself; the
importer and rule tests then compare loadwatch's output with the same manifest.
"""

from __future__ import annotations

import csv
import gzip
import importlib.util
import io
import json
import sys
import xml.etree.ElementTree as ET
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from types import ModuleType
from typing import Any
from zoneinfo import ZoneInfo

import fitparse
import gpxpy
import pytest

from loadwatch.config import load_config

PROJECT = Path(__file__).resolve().parent.parent
SAMPLE = PROJECT / "sample_activities"
SCRIPT = PROJECT / "scripts" / "make_sample_activities.py"
LONDON = ZoneInfo("Europe/London")
MILE_M = 1609.344
TCX_NS = {"t": "http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2"}


def load_manifest() -> dict[str, Any]:
    return json.loads((SAMPLE / "manifest.json").read_text(encoding="utf-8"))


MANIFEST = load_manifest()
FILES = {entry["path"]: entry for entry in MANIFEST["files"]}


def paths_ending(*suffixes: str) -> list[str]:
    return sorted(p for p in FILES if p.endswith(suffixes))


def read_bytes(path: str) -> bytes:
    data = (SAMPLE / path).read_bytes()
    return gzip.decompress(data) if path.endswith(".gz") else data


def utc(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)


def only_activity(path: str) -> dict[str, Any]:
    activities = FILES[path]["activities"]
    assert len(activities) == 1, path
    return activities[0]


@pytest.fixture(scope="module")
def generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_sample_activities", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    # dataclasses resolve the module's annotations through sys.modules
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def regenerated(
    generator: ModuleType,
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[list[Any], Path]:
    """The generator's plan and a fresh copy of the archive written from it."""
    out = tmp_path_factory.mktemp("regen") / "sample_activities"
    runs, files = generator.generate()
    generator.write_archive(out, files)
    return runs, out


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


@pytest.mark.slow  # writes the whole sample archive again with Garmin's encoder
def test_regenerating_gives_byte_identical_files(regenerated: tuple[list[Any], Path]) -> None:
    committed, fresh = tree(SAMPLE), tree(regenerated[1])
    assert sorted(fresh) == sorted(committed)
    changed = [path for path in committed if committed[path] != fresh[path]]
    assert changed == []


def test_archive_is_under_5_mb() -> None:
    assert sum(len(data) for data in tree(SAMPLE).values()) < 5_000_000


def test_manifest_lists_every_file_with_its_size() -> None:
    on_disk = tree(SAMPLE)
    # the manifest describes data files; it does not list itself, the README, the config
    # or the shoe list (which holds no activities)
    undescribed = {"manifest.json", "README.md", "loadwatch.toml", "strava_export/shoes.csv"}
    assert sorted(FILES) == sorted(set(on_disk) - undescribed)
    assert {p: FILES[p]["bytes"] for p in FILES} == {p: len(on_disk[p]) for p in FILES}


def test_config_names_the_time_zone_and_pins_today_to_the_last_day() -> None:
    config = load_config(SAMPLE / "loadwatch.toml")
    assert config.timezone == MANIFEST["timezone"] == "Europe/London"
    assert config.as_of is not None and config.as_of.isoformat() == MANIFEST["last_day"]


@pytest.fixture(scope="module")
def fit_messages() -> dict[str, dict[str, list[dict[str, Any]]]]:
    """Every FIT file parsed once, with the CRC checked, grouped by message name."""
    parsed: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for path in paths_ending(".fit", ".fit.gz"):
        fit = fitparse.FitFile(io.BytesIO(read_bytes(path)), check_crc=True)
        grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for message in fit.get_messages(["file_id", "session", "activity", "lap"]):
            grouped[message.name].append(message.get_values())
        parsed[path] = grouped
    return parsed


def test_fit_sessions_equal_the_manifest(
    fit_messages: dict[str, dict[str, list[dict[str, Any]]]],
) -> None:
    # 99 Strava .fit.gz (85 road, 8 trail, 3 track, 2 Zwift, 1 also in watch/) + 3 watch/
    assert len(fit_messages) == 102
    for path, messages in fit_messages.items():
        expected = only_activity(path)
        file_id = messages["file_id"][0]
        assert file_id["type"] == "activity", path
        assert file_id["manufacturer"] == expected["manufacturer"], path
        (session,) = messages["session"]
        want = expected["fit_session"]
        got = {key: session.get(key) for key in want}
        assert got == want, path
        start = session["start_time"].replace(tzinfo=UTC)
        assert start == utc(expected["start_utc"]), path
        # laps add up to the session, so lap-based fallbacks agree too
        laps = messages["lap"]
        assert round(sum(lap["total_distance"] for lap in laps), 2) == want["total_distance"]
        assert sum(lap["total_timer_time"] for lap in laps) == want["total_timer_time"]


def test_fit_local_timestamp_is_london_time(
    fit_messages: dict[str, dict[str, list[dict[str, Any]]]],
) -> None:
    offsets = set()
    for path, messages in fit_messages.items():
        (activity,) = messages["activity"]
        end_utc = activity["timestamp"].replace(tzinfo=UTC)
        offset = activity["local_timestamp"] - activity["timestamp"]
        assert offset == end_utc.astimezone(LONDON).utcoffset(), path
        start_local = datetime.fromisoformat(only_activity(path)["start_local"])
        assert start_local == utc(only_activity(path)["start_utc"]).astimezone(LONDON).replace(
            tzinfo=None
        )
        offsets.add(offset)
    # summer time and winter time both occur (the clocks go back on 2026-10-25)
    assert offsets == {timedelta(hours=1), timedelta(0)}


def test_gpx_files_equal_the_manifest() -> None:
    gpx_paths = paths_ending(".gpx", ".gpx.gz")
    # 13 Strava road-or-unknown runs, 2 Strava trail runs, 2 phone runs, 1 copy
    assert len(gpx_paths) == 18
    for path in gpx_paths:
        expected = only_activity(path)
        gpx = gpxpy.parse(read_bytes(path).decode("utf-8"))
        (track,) = gpx.tracks
        assert track.type == expected["gpx_type"], path
        assert round(track.length_2d(), 2) == expected["distance_m"], path
        first = track.segments[0].points[0]
        assert first.time == utc(expected["start_utc"]), path
        bounds = track.get_time_bounds()
        assert bounds.start_time is not None and bounds.end_time is not None
        assert (bounds.end_time - bounds.start_time).total_seconds() == expected["duration_s"]


def test_tcx_files_equal_the_manifest() -> None:
    tcx_paths = paths_ending(".tcx", ".tcx.gz")
    assert len(tcx_paths) == 2
    for path in tcx_paths:
        expected = only_activity(path)
        root = ET.fromstring(read_bytes(path))
        (activity,) = root.findall("t:Activities/t:Activity", TCX_NS)
        assert activity.get("Sport") == expected["tcx_sport"]
        laps = activity.findall("t:Lap", TCX_NS)
        metres = sum(float(lap.findtext("t:DistanceMeters", "", TCX_NS)) for lap in laps)
        seconds = sum(float(lap.findtext("t:TotalTimeSeconds", "", TCX_NS)) for lap in laps)
        assert round(metres, 2) == expected["distance_m"], path
        assert seconds == expected["duration_s"], path
        assert activity.findtext("t:Id", "", TCX_NS) == expected["start_utc"]
        assert activity.find("t:Creator/t:Name", TCX_NS) is not None


def strava_rows() -> list[dict[str, str]]:
    """Rows keyed by header; a repeated header keeps its first and last occurrence."""
    with (SAMPLE / "strava_export/activities.csv").open(newline="", encoding="utf-8") as f:
        header, *rows = list(csv.reader(f))
    assert header.count("Distance") == 2 and header.count("Elapsed Time") == 2
    first = {name: header.index(name) for name in header}
    last = {name: len(header) - 1 - header[::-1].index(name) for name in header}
    out = []
    for row in rows:
        assert len(row) == len(header)
        values = {name: row[i] for name, i in first.items()}
        values["Distance (m)"] = row[last["Distance"]]
        out.append(values)
    return out


def test_strava_rows_equal_the_manifest() -> None:
    rows = strava_rows()
    listed = FILES["strava_export/activities.csv"]["activities"]
    expected = {a["strava_activity_id"]: a for a in listed}
    assert len(rows) == len(expected) == 117
    for number, row in enumerate(rows, start=1):
        want = expected[int(row["Activity ID"])]
        assert want["source"] == f"strava_export/activities.csv#row{number}"
        when = datetime.strptime(row["Activity Date"], "%b %d, %Y, %I:%M:%S %p")
        assert when.replace(tzinfo=UTC) == utc(want["start_utc"])
        assert float(row["Distance (m)"]) == want["distance_m"]
        # the first Distance column is the display unit (km, two decimals)
        assert float(row["Distance"]) == round(want["distance_m"] / 1000, 2)
        assert row["Activity Type"] == want["activity_type"]
        assert (row["Activity Gear"] or None) == want["shoe"]
        assert (row["Filename"] or None) == want["linked_file"]
        if want["linked_file"]:
            assert f"strava_export/{want['linked_file']}" in FILES
    # the three activity types and a manual entry all occur
    assert {r["Activity Type"] for r in rows} == {"Run", "Trail Run", "Virtual Run"}
    assert any(r["Filename"] == "" for r in rows)


def test_strava_shoe_list_names_every_gear() -> None:
    with (SAMPLE / "strava_export/shoes.csv").open(newline="", encoding="utf-8") as f:
        shoes = list(csv.DictReader(f))
    assert list(shoes[0]) == ["Shoe Name", "Shoe Brand", "Shoe Model", "Shoe Default Sport Types"]
    names = {s["Shoe Name"] for s in shoes}
    assert names == {s["name"] for s in MANIFEST["shoes"]}
    assert {r["Activity Gear"] for r in strava_rows()} == names


def test_treadmill_log_equals_the_manifest() -> None:
    with (SAMPLE / "treadmill_log.csv").open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    expected = FILES["treadmill_log.csv"]["activities"]
    assert len(rows) == len(expected) == 8
    for number, (row, want) in enumerate(zip(rows, expected, strict=True), start=1):
        assert want["source"] == f"treadmill_log.csv#row{number}"
        local = datetime.fromisoformat(row["date"])
        assert local.replace(tzinfo=LONDON).astimezone(UTC) == utc(want["start_utc"])
        assert float(row["distance_km"]) * 1000 == pytest.approx(want["distance_m"])
        h, m, s = (int(part) for part in row["duration"].split(":"))
        assert h * 3600 + m * 60 + s == want["duration_s"]
        assert (row["surface"], row["shoe"]) == (want["surface"], want["shoe"])


def test_sources_collapse_to_the_distinct_runs() -> None:
    by_id: dict[str, list[tuple[str, dict[str, Any]]]] = defaultdict(list)
    for path, entry in FILES.items():
        for activity in entry["activities"]:
            by_id[activity["id"]].append((path, activity))
    assert len(by_id) == MANIFEST["distinct_runs"] == len(MANIFEST["runs"]) == 131
    for run in MANIFEST["runs"]:
        copies = by_id[run["id"]]
        assert {a["start_utc"] for _, a in copies} == {run["start_utc"]}
        assert {a["distance_m"] for _, a in copies} == {run["distance_m"]}
        assert sorted({p for p, _ in copies}) == sorted({s.split("#")[0] for s in run["sources"]})
    groups = {d["kind"]: d for d in MANIFEST["duplicates"]}
    watch_and_strava = groups["watch FIT + Strava row + its .fit.gz (same bytes)"]
    fit_paths = [s for s in watch_and_strava["sources"] if s.endswith((".fit", ".fit.gz"))]
    assert len(fit_paths) == 2 and read_bytes(fit_paths[0]) == read_bytes(fit_paths[1])
    copied = groups["file copied twice (same bytes)"]["sources"]
    assert len(copied) == 2 and read_bytes(copied[0]) == read_bytes(copied[1])


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def test_weekly_totals_add_up_from_the_runs() -> None:
    totals: dict[str, list[float]] = defaultdict(list)
    for run in MANIFEST["runs"]:
        local = utc(run["start_utc"]).astimezone(LONDON).date()
        assert run["local_date"] == local.isoformat()
        totals[monday(local).isoformat()].append(run["distance_m"])
    weeks = MANIFEST["weeks"]
    assert [w["week_start"] for w in weeks][0] == "2026-05-25"
    assert weeks[-1]["week_start"] == "2026-11-16" and len(weeks) == 26
    for week in weeks:
        runs = totals[week["week_start"]]
        assert week["runs"] == len(runs)
        assert week["distance_km"] == round(sum(runs) / 1000, 3)


def findings_by_hand() -> list[tuple[str, str, str, str | None]]:
    """The findings at caution or above, recomputed from the manifest's runs by hand.

    Independently of the generator, by the rules' definitions (README): a week more
    than 30% above the highest of the four before it (from a 10 km baseline, with 30
    days of log before the week); a run more than 10% longer than the longest of the
    30 days before it (from a 3 km reference, with 30 days of log), more than 100% a
    warning; a pair passing its 500 mi limit.
    """
    runs = sorted(MANIFEST["runs"], key=lambda r: r["start_utc"])
    first_day = date.fromisoformat(MANIFEST["first_day"])
    found: list[tuple[str, str, str, str | None]] = []
    week_km = {
        w["week_start"]: sum(r["distance_m"] for r in runs if r["week_start"] == w["week_start"])
        for w in MANIFEST["weeks"]
    }
    ordered = sorted(week_km)
    for index, week in enumerate(ordered):
        baseline = max((week_km[w] for w in ordered[max(0, index - 4) : index]), default=0.0)
        start = date.fromisoformat(week)
        if (
            baseline >= 10_000
            and (start - first_day).days >= 30
            and week_km[week] > 1.30 * baseline
        ):
            found.append(
                ("weekly-increase", "caution", (start + timedelta(days=6)).isoformat(), None)
            )
    for i, run in enumerate(runs):
        start = utc(run["start_utc"])
        window = [
            r["distance_m"] for r in runs[:i] if start - utc(r["start_utc"]) <= timedelta(days=30)
        ]
        day = date.fromisoformat(run["local_date"])
        if not window or max(window) < 3000 or (day - first_day).days < 30:
            continue
        if run["distance_m"] > 1.10 * max(window):
            level = "warning" if run["distance_m"] > 2 * max(window) else "caution"
            found.append(("long-run-spike", level, run["local_date"], run["id"]))
    so_far: dict[str, float] = defaultdict(float)
    for run in runs:
        shoe = run["shoe"]
        if shoe is None:
            continue
        before = so_far[shoe]
        so_far[shoe] += run["distance_m"]
        if before < 500 * MILE_M <= so_far[shoe]:
            found.append(("shoe-mileage", "caution", run["local_date"], shoe))
    return sorted(found, key=lambda f: (f[0], f[2], f[3] or ""))


def manifest_findings() -> list[tuple[str, str, str, str | None]]:
    keyed = [
        (
            f["rule"],
            f["severity"],
            f["date"],
            f["activity_id"] if f["rule"] == "long-run-spike" else f.get("shoe"),
        )
        for f in MANIFEST["expected_findings"]
    ]
    return sorted(keyed, key=lambda f: (f[0], f[2], f[3] or ""))


def test_expected_findings_match_the_arithmetic() -> None:
    assert manifest_findings() == findings_by_hand()


def test_expected_findings_are_the_planned_events() -> None:
    # written down by hand from the plan: a steady marathon build whose only findings at
    # caution or above are the marathon itself (30% past the month's 32.5 km) and the
    # road pair it takes past 500 mi; the half marathon of 2026-06-21, twice the month's
    # longest, comes 27 days into the log and is only noted
    brooks = "Brooks Ghost 15"
    assert [(rule, level, day, key) for rule, level, day, key in manifest_findings()] == [
        ("long-run-spike", "caution", "2026-11-22", "20261122T093000Z"),
        ("shoe-mileage", "caution", "2026-11-22", brooks),
    ]


@pytest.mark.slow  # the same regenerated archive's plan
def test_expected_findings_match_the_generator(
    generator: ModuleType,
    regenerated: tuple[list[Any], Path],
) -> None:
    runs, _out = regenerated
    assert generator.expected_findings(runs) == MANIFEST["expected_findings"]


def test_shoe_totals_and_unassigned_runs() -> None:
    totals: dict[str | None, float] = defaultdict(float)
    for run in MANIFEST["runs"]:
        totals[run["shoe"]] += run["distance_m"]
    shoes = {s["name"]: s for s in MANIFEST["shoes"]}
    for name, shoe in shoes.items():
        assert shoe["distance_m"] == round(totals[name], 2)
    assert shoes["Brooks Ghost 15"]["distance_m"] > 500 * MILE_M
    assert 300 * MILE_M < shoes["ASICS Novablast 4"]["distance_m"] < 500 * MILE_M
    assert shoes["Salomon Speedcross 6"]["distance_m"] < 300 * MILE_M
    unassigned = MANIFEST["unassigned"]
    assert unassigned["distance_m"] == round(totals[None], 2)
    assert unassigned["runs"] == len(unassigned["ids"]) == 6
    # each unassigned run falls while both road pairs are in use, so no
    # "only shoe in service" rule can claim it
    for run_id in unassigned["ids"]:
        (run,) = [r for r in MANIFEST["runs"] if r["id"] == run_id]
        for name in ("Brooks Ghost 15", "ASICS Novablast 4"):
            assert shoes[name]["first_run"] < run["local_date"] < shoes[name]["last_run"]
