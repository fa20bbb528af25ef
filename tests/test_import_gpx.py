"""The GPX importer against the real corpus (expected.csv), gpxpy, and small hand-made documents."""

from __future__ import annotations

import math
import re
from datetime import UTC, datetime

import gpxpy
import pytest
from helpers.corpus import CORPUS, corpus_ctx, corpus_expected

from loadwatch.errors import (
    CorruptFileError,
    LoadwatchError,
    NotAnActivityError,
    SourceError,
    UnsupportedFormatError,
)
from loadwatch.ingest.importers import ParseContext
from loadwatch.ingest.importers.gpx import NO_POINTS_REASON, _GpxReader, parse
from loadwatch.ingest.importers.xmlsafety import ENTITY_REASON
from loadwatch.model import ParsedFile, Sport, Surface

GPX_ROWS = [row for row in corpus_expected() if row["format"] == "gpx"]
ACTIVITY_ROWS = [row for row in GPX_ROWS if row["start_time_utc"]]
# One metre of latitude in gpxpy's geometry, whose Earth radius is 6378.137 km.
DEGREES_PER_METRE = 360 / (2 * math.pi * 6_378_137)


@pytest.fixture(scope="module")
def parsed() -> dict[str, ParsedFile | LoadwatchError]:
    """Every corpus GPX parsed once: its result, or the error it raised."""
    results: dict[str, ParsedFile | LoadwatchError] = {}
    for row in GPX_ROWS:
        name = row["file"]
        try:
            results[name] = parse((CORPUS / name).read_bytes(), corpus_ctx(name))
        except LoadwatchError as error:
            results[name] = error
    return results


@pytest.fixture(scope="module")
def reference() -> dict[str, gpxpy.gpx.GPX]:
    """Every corpus GPX with an activity, parsed once by gpxpy (the reference decoder)."""
    return {row["file"]: gpxpy.parse((CORPUS / row["file"]).read_bytes()) for row in ACTIVITY_ROWS}


def _ok(parsed: dict[str, ParsedFile | LoadwatchError], name: str) -> ParsedFile:
    result = parsed[name]
    assert isinstance(result, ParsedFile), f"{name}: {result}"
    return result


def _note(row: dict[str, str], key: str) -> str | None:
    match = re.search(rf"(?:^|; ){re.escape(key)}=([^;]*)", row["note"])
    return match.group(1) if match else None


def _speed_rule(distance_m: float, duration_s: float) -> Sport:
    """The documented guess for an untyped track: 1.9 to 5.0 m/s is a run."""
    speed = distance_m / duration_s
    return Sport.WALK if speed < 1.9 else Sport.RUN if speed <= 5.0 else Sport.OTHER


def _untimed_tracks_length(document: gpxpy.gpx.GPX) -> float:
    """What gpxpy measures on tracks that have points but no timestamps."""
    return sum(
        track.length_2d()
        for track in document.tracks
        if track.get_points_no() and track.get_time_bounds().start_time is None
    )


@pytest.mark.parametrize("row", ACTIVITY_ROWS, ids=[r["file"] for r in ACTIVITY_ROWS])
def test_corpus_file_matches_expected(parsed: dict, reference: dict, row: dict[str, str]) -> None:
    result = _ok(parsed, row["file"])
    first = result.activities[0]
    assert first.start_utc.strftime("%Y-%m-%dT%H:%M:%SZ") == row["start_time_utc"]
    # expected.csv measures every track; a track without times is not an activity
    total = sum(a.distance_m or 0.0 for a in result.activities)
    total += _untimed_tracks_length(reference[row["file"]])
    assert total == pytest.approx(float(row["distance_m"]), rel=0.005)
    if row["duration_s"]:
        durations = sum(a.duration_s or 0.0 for a in result.activities)
        assert durations == pytest.approx(float(row["duration_s"]), abs=0.01)
    assert all(a.device == _note(row, "creator") for a in result.activities)
    assert all(a.format == "gpx" and a.source == row["file"] for a in result.activities)


@pytest.mark.parametrize(
    ("name", "sport"),
    [
        ("runpandas__strava_export.gpx", Sport.RUN),  # Strava <type>9</type>
        ("sweatpy__4801048867_strava.gpx", Sport.RIDE),  # Strava <type>1</type>
        ("runpandas__garmin_connect.gpx", Sport.RUN),  # <type>running</type>
        ("sweatpy__activity_5039744860.gpx", Sport.RIDE),  # <type>cycling</type>
    ],
)
def test_typed_track_sport_comes_from_type(parsed: dict, name: str, sport: Sport) -> None:
    (row,) = [r for r in GPX_ROWS if r["file"] == name]
    (activity,) = _ok(parsed, name).activities
    assert activity.sport is sport
    assert activity.sport_detail == row["sport"]
    assert not any("sport not stated" in w for w in _ok(parsed, name).warnings)


UNTYPED_SINGLE = [
    r for r in ACTIVITY_ROWS if not r["sport"] and r["duration_s"] and _note(r, "tracks") == "1"
]


@pytest.mark.parametrize("row", UNTYPED_SINGLE, ids=[r["file"] for r in UNTYPED_SINGLE])
def test_untyped_track_sport_is_guessed_from_speed_with_a_warning(
    parsed: dict, row: dict[str, str]
) -> None:
    result = _ok(parsed, row["file"])
    (activity,) = result.activities
    expected = _speed_rule(float(row["distance_m"]), float(row["duration_s"]))
    assert activity.sport is expected
    (warning,) = [w for w in result.warnings if "sport not stated" in w]
    assert f"taken as {expected}" in warning


def test_the_car_and_the_movescount_ride_are_not_runs(parsed: dict) -> None:
    for name in ("gpxpy__around-visnjan-with-car.gpx", "gc__Move_2014_01_16_19_48_44.gpx"):
        (activity,) = _ok(parsed, name).activities
        assert activity.sport is Sport.OTHER


def test_ascent_is_gpxpys_uphill_as_noted_in_expected(parsed: dict) -> None:
    for row in ACTIVITY_ROWS:
        activities = _ok(parsed, row["file"]).activities
        noted = _note(row, "gpxpy uphill")
        assert noted is not None
        stated = float(noted.split()[0])
        if row["file"] == "gpxpy__korita-zbevnica.gpx":
            continue  # its noted uphill includes the untimed track; checked against gpxpy below
        assert sum(a.ascent_m or 0.0 for a in activities) == pytest.approx(stated, abs=0.051)


def test_every_track_equals_gpxpy_exactly(parsed: dict, reference: dict) -> None:
    """Same length_2d, uphill, duration and start as gpxpy for each timed track."""
    for name, document in reference.items():
        expected = [
            (
                t.length_2d(),
                t.get_uphill_downhill().uphill,
                t.get_duration(),
                t.get_time_bounds().start_time.replace(microsecond=0),
            )
            for t in document.tracks
            if t.get_points_no() and t.get_time_bounds().start_time is not None
        ]
        ours = [
            (a.distance_m, a.ascent_m, a.duration_s, a.start_utc)
            for a in _ok(parsed, name).activities
        ]
        assert ours == expected, name


def test_multi_track_file_gives_one_activity_per_timed_track(parsed: dict) -> None:
    (row,) = [r for r in GPX_ROWS if r["file"] == "gpxpy__cerknicko-jezero.gpx"]
    activities = _ok(parsed, row["file"]).activities
    # tracks=8 in expected.csv; the first, "ACTIVE LOG", has no points at all
    assert len(activities) == int(_note(row, "tracks") or 0) - 1
    assert [a.name for a in activities] == [f"ACTIVE LOG #{n}" for n in range(2, 9)]
    assert len({a.id for a in activities}) == len(activities)
    assert sum(a.distance_m or 0.0 for a in activities) == pytest.approx(
        float(row["distance_m"]), rel=0.005
    )


def test_track_without_times_is_skipped_with_its_reason(parsed: dict) -> None:
    result = _ok(parsed, "gpxpy__korita-zbevnica.gpx")
    assert [a.name for a in result.activities] == ["ACTIVE LOG", "ACTIVE LOG #2"]
    # SOURCES.md: 358 of its 871 points have no time (they are one whole track)
    assert "track '03-OCT-10 #2' skipped: none of its 358 points has a time" in result.warnings


def test_metadata_only_file_is_not_an_activity(parsed: dict) -> None:
    error = parsed["gc__MetadataOnly.gpx"]
    assert isinstance(error, NotAnActivityError)
    assert error.reason == NO_POINTS_REASON


def test_empty_segment_is_harmless(parsed: dict) -> None:
    (activity,) = _ok(parsed, "gpxpy__track-with-empty-segment.gpx").activities
    assert activity.duration_s == activity.elapsed_s == 76.0


def test_fractional_start_is_cut_to_the_second_but_durations_keep_it(parsed: dict) -> None:
    (activity,) = _ok(parsed, "gc__Move_2014_01_16_19_48_44.gpx").activities
    # its first point is at 18:48:44.340 and its last at 19:16:20.790
    assert activity.start_utc == datetime(2014, 1, 16, 18, 48, 44, tzinfo=UTC)
    assert activity.id == "20140116T184844Z"
    assert activity.elapsed_s == pytest.approx(1656.45)


# --- small hand-made documents -------------------------------------------------------


def _gpx(
    *tracks: str, version: str = "1.1", head: str = "", prolog: str = "", creator: str = "test"
) -> bytes:
    namespace = "http://www.topografix.com/GPX/" + version.replace(".", "/")
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>{prolog}\n'
        f'<gpx xmlns="{namespace}" version="{version}" creator="{creator}">{head}'
        + "".join(tracks)
        + "</gpx>"
    ).encode()


def _trk(
    points: list[tuple[float, str | None, float | None]],
    *,
    name: str | None = None,
    kind: str | None = None,
    segments: int = 1,
) -> str:
    """A track of points (metres north of 46N 14E, time, elevation), split into segments."""
    head = (f"<name>{name}</name>" if name else "") + (f"<type>{kind}</type>" if kind else "")
    per_segment = -(-len(points) // segments) if points else 1
    body = ""
    for first in range(0, max(len(points), 1), per_segment):
        body += "<trkseg>"
        for north_m, time, ele in points[first : first + per_segment]:
            body += f'<trkpt lat="{46 + north_m * DEGREES_PER_METRE!r}" lon="14.0">'
            body += f"<ele>{ele}</ele>" if ele is not None else ""
            body += f"<time>{time}</time>" if time else ""
            body += "</trkpt>"
        body += "</trkseg>"
    return f"<trk>{head}{body}</trk>"


def _ctx(zone: str = "UTC") -> ParseContext:
    return corpus_ctx("inline.gpx", zone)


def _steady(metres_per_second: float, seconds: int = 600, **kw: object) -> str:
    """Two timed points ``seconds`` apart at the given speed due north."""
    return _trk(
        [
            (0.0, "2024-03-02T07:00:00Z", None),
            (metres_per_second * seconds, f"2024-03-02T07:{seconds // 60:02d}:00Z", None),
        ],
        **kw,  # type: ignore[arg-type]
    )


def test_hand_made_track_gives_hand_computed_numbers() -> None:
    points = [
        (0.0, "2024-03-02T07:00:00Z", 100.0),
        (500.0, "2024-03-02T07:02:30Z", 100.0),
        (1000.0, "2024-03-02T07:05:00Z", 100.0),
    ]
    (activity,) = parse(_gpx(_trk(points, name="Easy")), _ctx()).activities
    assert activity.distance_m == pytest.approx(1000.0, abs=0.01)
    assert activity.duration_s == activity.elapsed_s == 300.0
    assert activity.ascent_m == 0.0
    assert activity.start_utc == datetime(2024, 3, 2, 7, 0, tzinfo=UTC)
    assert activity.id == "20240302T070000Z"
    assert activity.device == "test"


def test_segments_add_their_own_time_and_the_pause_between_is_elapsed_only() -> None:
    points = [
        (0.0, "2024-03-02T07:00:00Z", None),
        (600.0, "2024-03-02T07:03:00Z", None),
        (600.0, "2024-03-02T07:10:00Z", None),  # second segment, after a 7-minute stop
        (1200.0, "2024-03-02T07:13:00Z", None),
    ]
    (activity,) = parse(_gpx(_trk(points, kind="running", segments=2)), _ctx()).activities
    assert activity.duration_s == 360.0
    assert activity.elapsed_s == 780.0
    # gpxpy measures segments apart: the jump between them is not distance
    assert activity.distance_m == pytest.approx(1200.0, abs=0.01)
    assert activity.ascent_m is None


def test_start_local_is_wall_time_in_the_runners_zone() -> None:
    track = _trk([(0.0, "2024-07-01T05:30:00+00:00", None), (3000.0, "2024-07-01T05:45:00Z", None)])
    (activity,) = parse(_gpx(track), _ctx("Europe/Berlin")).activities
    assert activity.start_utc == datetime(2024, 7, 1, 5, 30, tzinfo=UTC)
    assert activity.start_local == datetime(2024, 7, 1, 7, 30)


def test_time_with_an_offset_is_converted_to_utc() -> None:
    track = _trk([(0.0, "2024-07-01T07:30:00+02:00", None), (3000.0, "2024-07-01T05:45:00Z", None)])
    (activity,) = parse(_gpx(track), _ctx()).activities
    assert activity.start_utc == datetime(2024, 7, 1, 5, 30, tzinfo=UTC)
    assert activity.elapsed_s == 900.0


@pytest.mark.parametrize(
    ("speed", "sport"),
    [(1.5, Sport.WALK), (1.8, Sport.WALK), (2.0, Sport.RUN), (4.9, Sport.RUN), (5.2, Sport.OTHER)],
)
def test_speed_rule_boundaries(speed: float, sport: Sport) -> None:
    result = parse(_gpx(_steady(speed)), _ctx())
    assert result.activities[0].sport is sport
    assert result.warnings == [
        f"track 1: sport not stated; taken as {sport} from its average speed of {speed:.1f} m/s"
    ]


def test_trail_running_type_gives_a_trail_run() -> None:
    (activity,) = parse(_gpx(_steady(1.0, kind="trail_running")), _ctx()).activities
    assert (activity.sport, activity.surface) == (Sport.RUN, Surface.TRAIL)
    assert activity.sport_detail == "trail_running"


def test_treadmill_in_the_name_gives_a_treadmill_run_without_guessing() -> None:
    result = parse(_gpx(_steady(1.0, name="Treadmill 5k")), _ctx())
    (activity,) = result.activities
    assert (activity.sport, activity.surface) == (Sport.RUN, Surface.TREADMILL)
    assert activity.name == "Treadmill 5k"
    assert result.warnings == []


def test_sport_word_in_the_name_beats_the_speed_rule() -> None:
    (activity,) = parse(_gpx(_steady(3.0, name="Afternoon Ride")), _ctx()).activities
    assert activity.sport is Sport.RIDE


def test_type_wins_over_name_and_name_still_gives_the_surface() -> None:
    (activity,) = parse(_gpx(_steady(3.0, kind="9", name="Track 8x400")), _ctx()).activities
    assert (activity.sport, activity.surface) == (Sport.RUN, Surface.TRACK)


def test_script_in_a_name_is_kept_verbatim() -> None:
    track = _steady(3.0, name="&lt;script&gt;alert(1)&lt;/script&gt;")
    (activity,) = parse(_gpx(track), _ctx()).activities
    assert activity.name == "<script>alert(1)</script>"


def test_file_name_stands_in_for_a_nameless_track() -> None:
    document = _gpx(_steady(3.0), head="<metadata><name>Sunday long run</name></metadata>")
    assert parse(document, _ctx()).activities[0].name == "Sunday long run"
    old = _gpx(_steady(3.0), version="1.0", head="<name>Old eTrex day</name>")
    assert parse(old, _ctx()).activities[0].name == "Old eTrex day"


def test_point_names_and_times_outside_tracks_are_not_mistaken_for_the_tracks() -> None:
    waypoint = '<wpt lat="46" lon="14"><time>2020-01-01T00:00:00Z</time><name>Hut</name></wpt>'
    track = _steady(3.0, name="Hill reps")
    (activity,) = parse(_gpx(track, head=waypoint), _ctx()).activities
    assert activity.name == "Hill reps"
    assert activity.start_utc.year == 2024


def test_route_only_file_is_not_an_activity() -> None:
    route = '<rte><name>Plan</name><rtept lat="46" lon="14"/><rtept lat="46.01" lon="14"/></rte>'
    with pytest.raises(NotAnActivityError) as caught:
        parse(_gpx(route), _ctx())
    assert caught.value.reason == NO_POINTS_REASON


def test_track_without_timestamps_is_refused_with_its_reason() -> None:
    track = _trk([(0.0, None, 5.0), (100.0, None, 6.0), (200.0, None, 7.0)], name="Drawn")
    with pytest.raises(SourceError) as caught:
        parse(_gpx(track), _ctx())
    assert caught.value.reason == "track 'Drawn' skipped: none of its 3 points has a time"


def test_untimed_track_beside_a_timed_one_becomes_a_warning() -> None:
    empty, untimed = _trk([]), _trk([(0.0, None, None), (100.0, None, None)])
    result = parse(_gpx(empty, untimed, _steady(3.0, kind="running")), _ctx())
    assert len(result.activities) == 1
    # tracks are numbered as they stand in the file; the empty first one is passed over
    assert result.warnings == ["track 2 skipped: none of its 2 points has a time"]


def test_unreadable_point_time_is_ignored_with_a_warning() -> None:
    points = [
        (0.0, "2024-03-02T07:00:00Z", None),
        (500.0, "yesterday", None),
        (1000.0, "2024-03-02T07:05:00Z", None),
    ]
    result = parse(_gpx(_trk(points, kind="running")), _ctx())
    assert result.activities[0].elapsed_s == 300.0
    assert result.warnings == ["1 track point times could not be read and were ignored"]


BILLION_LAUGHS = (
    '<!DOCTYPE gpx [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
    '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'
)


@pytest.mark.parametrize(
    "prolog",
    [BILLION_LAUGHS, '<!DOCTYPE gpx [<!ENTITY secret SYSTEM "file:///etc/passwd">]>'],
    ids=["expansion", "external"],
)
def test_entity_declarations_are_refused(prolog: str) -> None:
    document = _gpx(_steady(3.0, name="&c;&secret;"), prolog=prolog)
    with pytest.raises(CorruptFileError) as caught:
        parse(document, _ctx())
    assert caught.value.reason == ENTITY_REASON


def test_the_parser_itself_refuses_entities_should_the_scan_miss_one() -> None:
    document = _gpx(_steady(3.0, name="&c;"), prolog=BILLION_LAUGHS)
    with pytest.raises(CorruptFileError) as caught:
        _GpxReader().feed(document)  # straight to expat, past check_document
    assert caught.value.reason == ENTITY_REASON


def test_entity_declaration_in_utf16_is_refused_too() -> None:
    text = _gpx(_steady(3.0), prolog=BILLION_LAUGHS).decode().replace("UTF-8", "UTF-16")
    with pytest.raises(CorruptFileError) as caught:
        parse(text.encode("utf-16"), _ctx())
    assert caught.value.reason == ENTITY_REASON


def test_utf16_document_is_read() -> None:
    text = _gpx(_steady(3.0, name="Zürich")).decode().replace("UTF-8", "UTF-16")
    (activity,) = parse(text.encode("utf-16"), _ctx()).activities
    assert activity.name == "Zürich"


def test_declared_latin1_document_is_read() -> None:
    text = _gpx(_steady(3.0, name="Lauf am Fluß")).decode().replace("UTF-8", "ISO-8859-1")
    (activity,) = parse(text.encode("latin-1"), _ctx()).activities
    assert activity.name == "Lauf am Fluß"


def test_invalid_utf8_names_the_byte_and_offset() -> None:
    document = _gpx(_steady(3.0, name="Fluß")).replace("ß".encode(), b"\xdf")
    with pytest.raises(CorruptFileError) as caught:
        parse(document, _ctx())
    offset = document.index(b"\xdf")
    assert caught.value.reason.startswith(f"not valid UTF-8 text (byte 0xDF at offset {offset})")


@pytest.mark.parametrize(
    ("document", "reason"),
    [
        (b"", "empty file"),
        (b"<gpx><trk>", "not well-formed XML: no element found: line 1, column 10"),
        (
            b'<gpx><trk><trkseg><trkpt lat="x" lon="14"/></trkseg></trk></gpx>',
            "track point without a valid position (lat='x', lon='14')",
        ),
        (
            b'<gpx><trk><trkseg><trkpt lat="inf" lon="14"/></trkseg></trk></gpx>',
            "track point without a valid position (lat='inf', lon='14')",
        ),
    ],
    ids=["empty", "truncated", "bad-lat", "infinite-lat"],
)
def test_broken_documents_give_one_line_reasons(document: bytes, reason: str) -> None:
    with pytest.raises(CorruptFileError) as caught:
        parse(document, _ctx())
    assert caught.value.reason == reason


def test_parser_error_keeps_its_cause() -> None:
    with pytest.raises(CorruptFileError) as caught:
        parse(b"<gpx><trk></gpx>", _ctx())
    assert caught.value.__cause__ is not None


def test_other_xml_is_not_taken_for_gpx() -> None:
    with pytest.raises(UnsupportedFormatError) as caught:
        parse(b'<kml xmlns="http://www.opengis.net/kml/2.2"><Document/></kml>', _ctx())
    assert caught.value.reason == "not a GPX document (its root is <kml>)"


def test_a_split_logger_file_takes_one_sport_from_its_overall_pace() -> None:
    # The lake walk is saved as 8 tracks; GPS jumps make two of them look like runs
    # on their own, but the outing as a whole moves at walking pace: the tracks
    # are walks, except the two too fast for anyone on foot (a boat or car leg),
    # which are listed as other rather than counted as walks or refused.
    name = "gpxpy__cerknicko-jezero.gpx"
    result = parse((CORPUS / name).read_bytes(), corpus_ctx(name))
    assert len(result.activities) == 7
    fast = [
        a
        for a in result.activities
        if a.distance_m and a.duration_s and a.distance_m / a.duration_s > 4.6
    ]
    assert len(fast) == 2
    assert {a.sport for a in fast} == {Sport.OTHER}
    assert {a.sport for a in result.activities if a not in fast} == {Sport.WALK}
