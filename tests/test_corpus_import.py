"""Issue 2's acceptance check: the whole real-device corpus through the real pipeline.

Every file in expected.csv is either listed (as an activity or as a merged copy of
one) with the values it states, or skipped with a one-line reason.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from helpers.corpus import CORPUS, corpus_expected

from loadwatch.config import Config
from loadwatch.ingest.pipeline import Collection, import_folders


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("home")


@pytest.fixture(scope="module")
def collection(home: Path) -> Collection:
    return import_folders([CORPUS], config=Config(timezone="UTC"), home=home)


def _file_of(source: str) -> str:
    return source.split("!", 1)[0].split("#", 1)[0]


def test_every_corpus_file_is_listed_or_has_a_reason(collection: Collection) -> None:
    listed = {_file_of(a.source) for a in collection.activities}
    listed |= {_file_of(s) for a in collection.activities for s in a.merged_sources}
    reasons = {
        p.source.split("!", 1)[0]: p.reason
        for p in collection.summary.problems
        if p.kind in ("skipped", "integrity") and not p.reason.startswith("counted")
    }
    for row in corpus_expected():
        name = row["file"]
        assert name in listed or name in reasons, name
        if name in reasons:
            assert reasons[name] and "\n" not in reasons[name]
    # the files that hold no activity at all, and why
    assert reasons["fitparse__MonitoringFile.fit"].startswith("not an activity")
    assert reasons["fitparse__nametest.FIT"].startswith("not an activity")
    assert "no track points" in reasons["gc__MetadataOnly.gpx"]
    assert "not well-formed XML" in reasons["runpandas__malformed.tcx"]


#: damaged copies of ``fitparse__Activity.fit`` the corpus holds (SOURCES.md): each is
#: set aside, named, and the clean original counts once
DAMAGED_COPIES = (
    "fitparse__activity-filecrc.fit",
    "fitparse__activity-settings-corruptheader.fit",
    "fitparse__activity-unexpected-eof.fit",
)


def test_damaged_copies_never_count_over_the_clean_original(collection: Collection) -> None:
    original = "fitparse__Activity.fit"
    notes = {p.source: p.reason for p in collection.summary.problems if p.kind == "integrity"}
    for name in DAMAGED_COPIES:
        assert notes[name].startswith(f"a damaged or altered copy of {original} (it is suspect: ")
    family = (original, *DAMAGED_COPIES)
    counted = [a for a in collection.activities if _file_of(a.source) in family]
    assert [a.source for a in counted] == [original]
    assert counted[0].integrity.value == "complete"


#: tracks without any timestamps are skipped by design (issue 2), so the file's total
#: is that of its timed tracks only; the skipped tracks must be named as warnings
UNTIMED_TRACKS = {"gpxpy__korita-zbevnica.gpx"}


def test_untimed_tracks_are_skipped_with_a_reason(collection: Collection) -> None:
    for name in UNTIMED_TRACKS:
        notes = [p.reason for p in collection.summary.problems if p.source == name]
        assert any("has a time" in note for note in notes), notes


def test_listed_values_match_expected(collection: Collection) -> None:
    by_file: dict[str, list] = {}  # type: ignore[type-arg]
    everything = list(collection.activities)
    for activity in everything:
        for source in (activity.source, *activity.merged_sources):
            by_file.setdefault(_file_of(source), []).append(activity)
    checked = 0
    for row in corpus_expected():
        if row["format"] == "csv" or not row["start_time_utc"] or not row["distance_m"]:
            continue
        if row["file"] in UNTIMED_TRACKS or row["file"] in DAMAGED_COPIES:
            continue
        found = by_file.get(row["file"])
        assert found, row["file"]
        start = datetime.fromisoformat(row["start_time_utc"].replace("Z", "+00:00"))
        first = min(found, key=lambda a: a.start_utc)
        if row["file"] in {a.source.split("!", 1)[0] for a in found}:
            # the file's own activities (not a copy merged into another file's)
            own = [a for a in found if _file_of(a.source) == row["file"]]
            first = min(own, key=lambda a: a.start_utc)
            assert first.start_utc.replace(microsecond=0) == start.astimezone(UTC), row["file"]
            total = sum(a.distance_m or 0.0 for a in own)
            expected = float(row["distance_m"])
            assert total == pytest.approx(expected, rel=0.005, abs=0.5), row["file"]
            checked += 1
    assert checked >= 55


def test_sports_of_running_files(collection: Collection) -> None:
    runs = {_file_of(a.source) for a in collection.runs}
    for name in (
        "runpandas__run.fit",
        "gc__10kUNLP2014-Garmin15.fit",
        "runpandas__basic.tcx",
        "gc__GarminFR955v18.zip",
        "runpandas__strava_export.gpx",
        "fitparse__activity-small-fenix2-run.fit",
    ):
        assert name in runs, name
    for name in (
        "sweatpy__4078723797.fit",
        "stravalib__sample.tcx",
        "gc__OWswim.tcx",
        "gpxpy__around-visnjan-with-car.gpx",
    ):
        assert name not in runs, name


def test_second_import_parses_nothing(collection: Collection, home: Path) -> None:
    assert collection.summary.parsed == collection.summary.files
    again = import_folders([CORPUS], config=Config(timezone="UTC"), home=home)
    assert again.summary.parsed == 0 and again.summary.unchanged == again.summary.files
