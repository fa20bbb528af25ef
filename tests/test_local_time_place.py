"""GPX and TCX carry UTC only: a run lands on the local day of the place it was run.

Runs in Tokyo (UTC+9) and Honolulu (UTC-10) just after and just before local
midnight, read with a configured zone on the other side of the world: the zone of
the first GPS point decides the local day, the configured zone only what has none.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from helpers.fitbuild import run_file

from loadwatch.config import Config
from loadwatch.ingest.importers import ParseContext, parse_bytes
from loadwatch.ingest.pipeline import import_folders
from loadwatch.timezones import zone_at

TOKYO = (35.6812, 139.7671)
HONOLULU = (21.2793, -157.8292)
# 00:30 in Tokyo on 10 March 2025 (UTC+9) is 15:30 UTC on the 9th
TOKYO_START = datetime(2025, 3, 9, 15, 30, tzinfo=UTC)
# 23:45 in Honolulu on 9 March 2025 (UTC-10) is 09:45 UTC on the 10th
HONOLULU_START = datetime(2025, 3, 10, 9, 45, tzinfo=UTC)


def points(where: tuple[float, float], start: datetime, count: int = 30) -> list[tuple]:
    """A run northwards at about 3 m/s: a point every 10 s, about 30 m apart.

    The spacing varies as a runner's does (a constant speed is a planned route).
    """
    lat, lon = where
    out, north = [], 0.0
    for i in range(count):
        out.append((lat + north, lon, start + timedelta(seconds=10 * i)))
        north += 0.00027 * (1.0 + 0.15 * ((i * 7) % 5 - 2) / 2)
    return out


def gpx(where: tuple[float, float], start: datetime) -> bytes:
    trkpts = "".join(
        f'<trkpt lat="{lat:.6f}" lon="{lon:.6f}"><ele>10</ele>'
        f"<time>{moment:%Y-%m-%dT%H:%M:%SZ}</time></trkpt>"
        for lat, lon, moment in points(where, start)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<gpx version="1.1" creator="test" xmlns="http://www.topografix.com/GPX/1/1">'
        f"<trk><name>Night run</name><type>running</type><trkseg>{trkpts}</trkseg></trk></gpx>"
    ).encode()


def tcx(where: tuple[float, float], start: datetime, positions: bool = True) -> bytes:
    trackpoints = "".join(
        f"<Trackpoint><Time>{moment:%Y-%m-%dT%H:%M:%SZ}</Time>"
        + (
            f"<Position><LatitudeDegrees>{lat:.6f}</LatitudeDegrees>"
            f"<LongitudeDegrees>{lon:.6f}</LongitudeDegrees></Position>"
            if positions
            else ""
        )
        + f"<DistanceMeters>{30.0 * i:.1f}</DistanceMeters></Trackpoint>"
        for i, (lat, lon, moment) in enumerate(points(where, start))
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/'
        'TrainingCenterDatabase/v2"><Activities><Activity Sport="Running">'
        f"<Id>{start:%Y-%m-%dT%H:%M:%SZ}</Id>"
        f'<Lap StartTime="{start:%Y-%m-%dT%H:%M:%SZ}"><TotalTimeSeconds>290</TotalTimeSeconds>'
        f"<DistanceMeters>870</DistanceMeters><Track>{trackpoints}</Track></Lap>"
        "</Activity></Activities></TrainingCenterDatabase>"
    ).encode()


CASES = [
    # where, UTC start, the configured zone (far away), the local start expected there
    (TOKYO, TOKYO_START, "America/New_York", datetime(2025, 3, 10, 0, 30)),
    (HONOLULU, HONOLULU_START, "Asia/Tokyo", datetime(2025, 3, 9, 23, 45)),
]


@pytest.mark.parametrize(("where", "start", "configured", "local"), CASES)
@pytest.mark.parametrize("fmt", ["gpx", "tcx"])
def test_track_lands_on_the_local_day_of_its_place(
    fmt: str, where: tuple[float, float], start: datetime, configured: str, local: datetime
) -> None:
    data = gpx(where, start) if fmt == "gpx" else tcx(where, start)
    (run,) = parse_bytes(data, ParseContext(f"run.{fmt}", ZoneInfo(configured))).activities
    assert run.start_utc == start
    assert run.start_local == local
    # the configured zone alone would have put it on another day
    assert start.astimezone(ZoneInfo(configured)).date() != local.date()


def test_a_track_without_positions_keeps_the_configured_zone() -> None:
    # a treadmill TCX: distances and times, no positions
    data = tcx(TOKYO, TOKYO_START, positions=False)
    assert b"<Position>" not in data
    zone = ZoneInfo("America/New_York")
    (run,) = parse_bytes(data, ParseContext("run.tcx", zone)).activities
    assert run.start_local == datetime(2025, 3, 9, 11, 30)  # EDT, UTC-4


def test_zone_lookup_answers_the_zone_of_the_place() -> None:
    assert str(zone_at(*TOKYO)) == "Asia/Tokyo"
    assert str(zone_at(*HONOLULU)) == "Pacific/Honolulu"
    assert zone_at(95.0, 0.0) is None
    assert zone_at(float("nan"), 0.0) is None


def test_fit_and_gpx_of_one_run_abroad_merge_on_its_local_day(tmp_path: Path) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    (folder / "run.gpx").write_bytes(gpx(TOKYO, TOKYO_START))
    # the watch's own offset says UTC+9
    (folder / "run.fit").write_bytes(
        run_file(
            start=TOKYO_START, distance_m=870.0, timer_s=290.0, local_offset=timedelta(hours=9)
        )
    )
    collection = import_folders(
        [folder], config=Config(timezone="America/New_York"), home=tmp_path / "home"
    )
    (run,) = collection.activities
    assert run.format == "fit"
    assert run.merged_sources == ("run.gpx",)
    assert run.start_local == datetime(2025, 3, 10, 0, 30)


def test_a_fit_without_the_watchs_offset_takes_the_place_from_its_gpx(tmp_path: Path) -> None:
    # the FIT knows only UTC (no local_timestamp): alone it would land on the configured
    # zone's day; merged with the GPX of the same run, the place's zone decides
    folder = tmp_path / "exports"
    folder.mkdir()
    (folder / "run.gpx").write_bytes(gpx(TOKYO, TOKYO_START))
    (folder / "run.fit").write_bytes(
        run_file(start=TOKYO_START, distance_m=870.0, timer_s=290.0, local_offset=None)
    )
    config = Config(timezone="America/New_York")
    alone = parse_bytes(
        (folder / "run.fit").read_bytes(), ParseContext("run.fit", ZoneInfo(config.timezone))
    ).activities[0]
    assert (alone.start_local, alone.zone_guessed) == (datetime(2025, 3, 9, 11, 30), True)
    (run,) = import_folders([folder], config=config, home=tmp_path / "home").activities
    assert run.format == "fit"
    assert (run.start_local, run.zone_guessed) == (datetime(2025, 3, 10, 0, 30), False)
