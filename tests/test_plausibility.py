"""The plausibility table, one hand-made file per limit: at the limit it counts, just past it not.

Each file goes through the real pipeline (parse, settle, collection), so what is
tested is what a runner would see.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from gpxpy.geo import distance as gpxpy_distance

from loadwatch.config import Config
from loadwatch.ingest.importers.trackpoints import TELEPORT_SPEED_MS
from loadwatch.ingest.pipeline import Collection, import_folders
from loadwatch.ingest.plausibility import LIMITS, RECORD_MARGIN, RUNNING_RECORDS, Sport
from loadwatch.model import Integrity

CONFIG = Config(timezone="UTC")


def imported(tmp_path: Path, name: str, text: str, latest: date | None = None) -> Collection:
    folder = tmp_path / "exports"
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    return import_folders([folder], config=CONFIG, home=tmp_path / "home", latest=latest)


def log(*rows: str) -> str:
    return "date,distance_km,duration,sport,ascent_m\n" + "\n".join(rows) + "\n"


def distances(collection: Collection) -> list[float | None]:
    return [a.distance_m for a in collection.activities]


def refusals(collection: Collection) -> list[str]:
    return [p.reason for p in collection.summary.problems if "not counted" in p.reason]


def test_distance_of_one_run(tmp_path: Path) -> None:
    most_km = LIMITS[Sport.RUN].distance_m / 1000
    found = imported(
        tmp_path,
        "log.csv",
        log(f"2024-03-02,{most_km},120:00:00,run,", f"2024-03-09,{most_km + 0.1},120:00:00,run,"),
    )
    assert distances(found) == [most_km * 1000]
    (reason,) = refusals(found)
    assert reason.startswith("500.1 km in one run is beyond the 500.0 km")


def test_elapsed_time_of_one_run(tmp_path: Path) -> None:
    hours = LIMITS[Sport.RUN].duration_s / 3600
    found = imported(
        tmp_path,
        "log.csv",
        log(f"2024-03-02,10,{hours:.0f}:00:00,run,", f"2024-03-09,10,{hours:.0f}:00:01,run,"),
    )
    assert [a.duration_s for a in found.activities] == [hours * 3600]
    (reason,) = refusals(found)
    assert reason.startswith("168.0 h in one run is beyond the 168.0 h")


def test_average_speed_of_a_10_km_run_against_the_record(tmp_path: Path) -> None:
    record_m, record_s = next(r for r in RUNNING_RECORDS if r[0] == 10000.0)
    # the fastest plausible 10 km: the record's time less the 5% margin, 1,496.19 s
    fastest_s = record_s / RECORD_MARGIN
    assert 1496 < fastest_s < 1497
    found = imported(
        tmp_path, "log.csv", log("2024-03-02,10,0:24:57,run,", "2024-03-09,10,0:24:56,run,")
    )
    assert [a.duration_s for a in found.activities] == [1497.0]
    (reason,) = refusals(found)
    assert reason.startswith("10.0 km in 24.9 min (2:30/km) is faster than any run")


def test_climb_per_kilometre(tmp_path: Path) -> None:
    per_km = LIMITS[Sport.RUN].ascent_per_km_m
    found = imported(
        tmp_path,
        "log.csv",
        log(
            f"2024-03-02,10,2:00:00,run,{per_km * 10:.0f}",
            f"2024-03-09,10,2:00:00,run,{per_km * 10 + 1:.0f}",
        ),
    )
    at, past = found.activities
    assert (at.ascent_m, at.integrity) == (6000.0, Integrity.COMPLETE)
    assert (past.ascent_m, past.integrity) == (None, Integrity.SUSPECT)
    assert past.integrity_note == (
        "ascent of 6,001 m left out: not between 0 and 600 m per km over 10.0 km"
    )


def test_first_start(tmp_path: Path) -> None:
    found = imported(
        tmp_path, "log.csv", log("2000-01-01,5,0:30:00,run,", "1999-12-31,5,0:30:00,run,")
    )
    assert [a.start_local.date() for a in found.activities] == [date(2000, 1, 1)]
    (reason,) = refusals(found)
    assert reason.startswith("starts on 1999-12-31, before 2000")


def test_start_after_tomorrow(tmp_path: Path) -> None:
    latest = date(2026, 12, 3)  # what the CLI passes for today 2026-12-02
    found = imported(
        tmp_path,
        "log.csv",
        log("2026-12-03,5,0:30:00,run,", "2026-12-04,5,0:30:00,run,"),
        latest=latest,
    )
    assert [a.start_local.date() for a in found.activities] == [latest]
    (reason,) = refusals(found)
    assert reason.startswith("starts on 2026-12-04, after today")


def _tcx_with_cadence(day: str, strides: float) -> str:
    points = "".join(
        f"<Trackpoint><Time>{day}T07:{m:02d}:00Z</Time><DistanceMeters>{m * 250.0}"
        '</DistanceMeters><Extensions><TPX xmlns="http://www.garmin.com/xmlschemas/'
        f'ActivityExtension/v2"><RunCadence>{strides}</RunCadence></TPX></Extensions>'
        "</Trackpoint>"
        for m in range(11)
    )
    return (
        '<?xml version="1.0"?><TrainingCenterDatabase xmlns="http://www.garmin.com/'
        'xmlschemas/TrainingCenterDatabase/v2"><Activities><Activity Sport="Running">'
        f'<Id>{day}T07:00:00Z</Id><Lap StartTime="{day}T07:00:00Z"><Track>{points}</Track>'
        "</Lap></Activity></Activities></TrainingCenterDatabase>"
    )


def test_average_cadence(tmp_path: Path) -> None:
    most = LIMITS[Sport.RUN].cadence_spm
    assert most == 240.0
    imported(tmp_path, "a.tcx", _tcx_with_cadence("2024-03-02", 120))  # 240 steps/min
    found = imported(tmp_path, "b.tcx", _tcx_with_cadence("2024-03-09", 120.5))
    at, past = found.activities
    assert (at.avg_cadence_spm, at.integrity) == (240.0, Integrity.COMPLETE)
    assert (past.avg_cadence_spm, past.integrity) == (None, Integrity.SUSPECT)


def _east_of_equator(metres: float) -> float:
    """The longitude (degrees) of a point ``metres`` east of (0, 0), as gpxpy measures."""
    low, high = 0.0, 0.01
    for _ in range(60):
        middle = (low + high) / 2
        if gpxpy_distance(0.0, middle, None, 0.0, 0.0, None) < metres:
            low = middle
        else:
            high = middle
    return (low + high) / 2


def _track(detour_m: float) -> list[tuple[float, float]]:
    """Points north along the zero meridian, one a second, the middle one pushed east.

    The pace sways (2.2 to 3.3 m a second) as a GPS's does, so the track reads as a
    recording rather than a route planner's constant speed.
    """
    lon = _east_of_equator(detour_m)
    return [
        (second * 2.5e-5 + (5e-6 if second % 2 else 0.0), lon if second == 10 else 0.0)
        for second in range(20)
    ]


def _gpx(day: str, points: list[tuple[float, float]]) -> str:
    trkpts = "".join(
        f'<trkpt lat="{lat:.7f}" lon="{lon:.9f}"><time>{day}T07:00:{second:02d}Z</time></trkpt>'
        for second, (lat, lon) in enumerate(points)
    )
    return (
        '<?xml version="1.0"?><gpx version="1.1" creator="test" '
        'xmlns="http://www.topografix.com/GPX/1/1"><trk><type>running</type><trkseg>'
        + trkpts
        + "</trkseg></trk></gpx>"
    )


def _length(points: list[tuple[float, float]]) -> float:
    return sum(
        gpxpy_distance(b[0], b[1], None, a[0], a[1], None)
        for a, b in zip(points, points[1:], strict=False)
    )


@pytest.mark.parametrize(
    ("detour_m", "kept"), [(TELEPORT_SPEED_MS - 0.2, True), (TELEPORT_SPEED_MS + 0.2, False)]
)
def test_a_gps_point_off_the_track(tmp_path: Path, detour_m: float, kept: bool) -> None:
    points = _track(detour_m)
    (run,) = imported(tmp_path, "run.gpx", _gpx("2024-03-02", points)).activities
    if kept:
        # both steps to and from the point are just under 50 m in their one second
        assert run.distance_m == pytest.approx(_length(points), rel=1e-6)
        assert run.integrity is Integrity.COMPLETE
    else:
        assert run.distance_m == pytest.approx(_length(points[:10] + points[11:]), rel=1e-6)
        assert run.integrity is Integrity.SUSPECT
