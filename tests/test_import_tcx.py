"""The TCX importer against the real corpus (expected.csv) and small hand-made documents."""

from __future__ import annotations

import re
from datetime import UTC, datetime

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
from loadwatch.ingest.importers.tcx import COURSE_REASON, parse
from loadwatch.ingest.importers.xmlsafety import ENTITY_REASON
from loadwatch.model import ParsedFile, Sport, Surface

TCX_ROWS = [row for row in corpus_expected() if row["format"] == "tcx"]
ACTIVITY_ROWS = [row for row in TCX_ROWS if row["start_time_utc"]]
TCX_SPORTS = {"Running": Sport.RUN, "Biking": Sport.RIDE, "Other": Sport.OTHER}


@pytest.fixture(scope="module")
def parsed() -> dict[str, ParsedFile | LoadwatchError]:
    """Every corpus TCX parsed once: its result, or the error it raised."""
    results: dict[str, ParsedFile | LoadwatchError] = {}
    for row in TCX_ROWS:
        name = row["file"]
        try:
            results[name] = parse((CORPUS / name).read_bytes(), corpus_ctx(name))
        except LoadwatchError as error:
            results[name] = error
    return results


def _ok(parsed: dict[str, ParsedFile | LoadwatchError], name: str) -> ParsedFile:
    result = parsed[name]
    assert isinstance(result, ParsedFile), f"{name}: {result}"
    return result


def _note(row: dict[str, str], key: str) -> str | None:
    match = re.search(rf"(?:^|; ){re.escape(key)}=([^;]*)", row["note"])
    return match.group(1) if match else None


@pytest.mark.parametrize("row", ACTIVITY_ROWS, ids=[r["file"] for r in ACTIVITY_ROWS])
def test_corpus_file_matches_expected(parsed: dict, row: dict[str, str]) -> None:
    result = _ok(parsed, row["file"])
    activities = result.activities
    assert activities[0].start_utc.strftime("%Y-%m-%dT%H:%M:%SZ") == row["start_time_utc"]
    # a row holding several activities states their sums ("Running+Biking+...")
    assert [a.sport for a in activities] == [TCX_SPORTS[s] for s in row["sport"].split("+")]
    assert [a.sport_detail for a in activities] == row["sport"].split("+")
    distance = sum(a.distance_m or 0.0 for a in activities)
    assert distance == pytest.approx(float(row["distance_m"]), rel=0.005)
    duration = sum(a.duration_s or 0.0 for a in activities)
    assert duration == pytest.approx(float(row["duration_s"]), abs=0.01)
    creator = (_note(row, "creator") or "").strip()
    assert all(a.device == (None if creator == "(none)" else creator) for a in activities)
    assert all(a.format == "tcx" and a.source == row["file"] for a in activities)
    assert result.warnings == []


def test_multi_session_file_gives_its_four_activities(parsed: dict) -> None:
    (row,) = [r for r in TCX_ROWS if r["file"] == "gc__activity_165850259_multi-session.tcx"]
    activities = _ok(parsed, row["file"]).activities
    ids = re.search(r"Ids: ([^;]*);", row["note"])
    assert ids is not None
    stated = [s.strip() for s in ids.group(1).split(",")]
    assert [a.start_utc.strftime("%Y-%m-%dT%H:%M:%SZ") for a in activities] == stated
    assert len({a.id for a in activities}) == 4


def test_malformed_file_gives_the_parsers_reason(parsed: dict) -> None:
    (row,) = [r for r in TCX_ROWS if r["file"] == "runpandas__malformed.tcx"]
    error = parsed[row["file"]]
    assert isinstance(error, CorruptFileError)
    # expected.csv: "UNREADABLE: ET ParseError: unbound prefix: line 4653, column 6; ..."
    stated = row["note"].split("ParseError: ", 1)[1].split(";", 1)[0]
    assert error.reason == f"not well-formed XML: {stated}"
    assert error.__cause__ is not None


def test_running_cadence_is_strides_doubled(parsed: dict) -> None:
    (activity,) = _ok(parsed, "runpandas__run_garmin.tcx").activities
    # its RunCadence values sit at 85 to 89 strides per minute
    assert activity.avg_cadence_spm is not None
    assert 170 <= activity.avg_cadence_spm <= 178


def test_rides_and_swims_have_no_step_cadence(parsed: dict) -> None:
    for name in ("sweatpy__activity_5039744860.tcx", "gc__OWswim.tcx"):
        (activity,) = _ok(parsed, name).activities
        assert activity.avg_cadence_spm is None


def test_file_without_altitude_has_no_ascent(parsed: dict) -> None:
    (activity,) = _ok(parsed, "gc__10kUNLP2014-Garmin15.tcx").activities
    assert activity.ascent_m is None


# --- small hand-made documents -------------------------------------------------------

NAMESPACE = "http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2"
TPX = "http://www.garmin.com/xmlschemas/ActivityExtension/v2"


def _tcx(*activities: str, prolog: str = "", encoding: str = "UTF-8") -> bytes:
    return (
        f'<?xml version="1.0" encoding="{encoding}"?>{prolog}\n'
        f'<TrainingCenterDatabase xmlns="{NAMESPACE}"><Activities>'
        + "".join(activities)
        + "</Activities></TrainingCenterDatabase>"
    ).encode()


def _trackpoint(
    time: str,
    *,
    distance: float | None = None,
    altitude: float | None = None,
    run_cadence: int | None = None,
    cadence: int | None = None,
) -> str:
    parts = [f"<Time>{time}</Time>"]
    if altitude is not None:
        parts.append(f"<AltitudeMeters>{altitude}</AltitudeMeters>")
    if distance is not None:
        parts.append(f"<DistanceMeters>{distance}</DistanceMeters>")
    if cadence is not None:
        parts.append(f"<Cadence>{cadence}</Cadence>")
    if run_cadence is not None:
        parts.append(
            f'<Extensions><TPX xmlns="{TPX}"><RunCadence>{run_cadence}</RunCadence></TPX>'
            "</Extensions>"
        )
    return "<Trackpoint>" + "".join(parts) + "</Trackpoint>"


def _lap(
    *points: str,
    seconds: float | None = None,
    metres: float | None = None,
    start: str = "2024-03-02T07:00:00Z",
) -> str:
    totals = f"<TotalTimeSeconds>{seconds}</TotalTimeSeconds>" if seconds is not None else ""
    totals += f"<DistanceMeters>{metres}</DistanceMeters>" if metres is not None else ""
    return f'<Lap StartTime="{start}">{totals}<Track>{"".join(points)}</Track></Lap>'


def _activity(
    *laps: str,
    sport: str = "Running",
    id_: str | None = "2024-03-02T07:00:00Z",
    notes: str | None = None,
    creator: str | None = None,
) -> str:
    body = f"<Id>{id_}</Id>" if id_ is not None else ""
    body += "".join(laps)
    body += f"<Notes>{notes}</Notes>" if notes is not None else ""
    body += f"<Creator><Name>{creator}</Name></Creator>" if creator is not None else ""
    return f'<Activity Sport="{sport}">{body}</Activity>'


def _ctx(zone: str = "UTC") -> ParseContext:
    return corpus_ctx("inline.tcx", zone)


def test_lap_totals_are_summed_and_trackpoints_give_elapsed_and_climb() -> None:
    laps = (
        _lap(
            _trackpoint("2024-03-02T07:00:00Z", altitude=10.0),
            _trackpoint("2024-03-02T07:05:00Z", altitude=15.0),
            seconds=290.0,
            metres=1000.0,
        ),
        _lap(
            _trackpoint("2024-03-02T07:06:00Z", altitude=12.0),
            _trackpoint("2024-03-02T07:10:30Z", altitude=20.0),
            seconds=270.5,
            metres=900.5,
            start="2024-03-02T07:06:00Z",
        ),
    )
    (activity,) = parse(_tcx(_activity(*laps, creator=" Forerunner 15 ")), _ctx()).activities
    assert activity.distance_m == 1900.5
    assert activity.duration_s == 560.5
    assert activity.elapsed_s == 630.0  # 07:10:30 less the <Id> 07:00:00
    assert activity.ascent_m == 13.0  # rises of 5 and 8 metres
    assert activity.device == "Forerunner 15"
    assert activity.id == "20240302T070000Z"


def test_trackpoints_stand_in_for_missing_lap_totals() -> None:
    lap = _lap(
        _trackpoint("2024-03-02T07:00:10Z", distance=0.0),
        _trackpoint("2024-03-02T07:20:10Z", distance=4321.5),
    )
    (activity,) = parse(_tcx(_activity(lap)), _ctx()).activities
    assert activity.distance_m == 4321.5
    assert activity.duration_s == 1200.0
    assert activity.elapsed_s == 1210.0


def test_activity_without_an_id_starts_at_its_first_lap() -> None:
    lap = _lap(seconds=60.0, metres=200.0, start="2024-03-02T06:59:00Z")
    (activity,) = parse(_tcx(_activity(lap, id_=None)), _ctx()).activities
    assert activity.start_utc == datetime(2024, 3, 2, 6, 59, tzinfo=UTC)
    assert activity.elapsed_s == 60.0  # no trackpoint: the timer time stands in


def test_start_local_is_wall_time_in_the_runners_zone() -> None:
    document = _tcx(
        _activity(
            _lap(seconds=60.0, metres=200.0, start="2024-12-31T23:30:00Z"),
            id_="2024-12-31T23:30:00Z",
        )
    )
    (activity,) = parse(document, _ctx("America/New_York")).activities
    assert activity.start_local == datetime(2024, 12, 31, 18, 30)


def test_run_cadence_is_averaged_without_standstills_and_doubled() -> None:
    lap = _lap(
        _trackpoint("2024-03-02T07:00:00Z", run_cadence=80),
        _trackpoint("2024-03-02T07:00:01Z", run_cadence=0),
        _trackpoint("2024-03-02T07:00:02Z", run_cadence=90),
        seconds=2.0,
        metres=8.0,
    )
    (activity,) = parse(_tcx(_activity(lap)), _ctx()).activities
    assert activity.avg_cadence_spm == 170.0


def test_bike_cadence_is_not_steps() -> None:
    lap = _lap(_trackpoint("2024-03-02T07:00:00Z", cadence=90), seconds=1.0, metres=8.0)
    (activity,) = parse(_tcx(_activity(lap, sport="Biking")), _ctx()).activities
    assert activity.sport is Sport.RIDE and activity.avg_cadence_spm is None


@pytest.mark.parametrize(
    ("sport", "notes", "expected"),
    [
        ("Running", None, (Sport.RUN, Surface.UNKNOWN)),
        ("Running", "Treadmill 5k", (Sport.RUN, Surface.TREADMILL)),
        ("Running", "Trail loop", (Sport.RUN, Surface.TRAIL)),
        ("Biking", "Commute", (Sport.RIDE, Surface.UNKNOWN)),
        ("Other", "Treadmill 5k", (Sport.RUN, Surface.TREADMILL)),
        ("Other", "Evening walk", (Sport.WALK, Surface.UNKNOWN)),
        ("Other", "Cross-country skiing", (Sport.OTHER, Surface.UNKNOWN)),
        ("Other", None, (Sport.OTHER, Surface.UNKNOWN)),
    ],
)
def test_sport_and_surface(sport: str, notes: str | None, expected: tuple[Sport, Surface]) -> None:
    document = _tcx(_activity(_lap(seconds=60.0, metres=200.0), sport=sport, notes=notes))
    (activity,) = parse(document, _ctx()).activities
    assert (activity.sport, activity.surface) == expected
    assert activity.name == notes


def test_script_in_notes_is_kept_verbatim() -> None:
    notes = "&lt;script&gt;alert(1)&lt;/script&gt;"
    document = _tcx(_activity(_lap(seconds=60.0, metres=200.0), notes=notes))
    assert parse(document, _ctx()).activities[0].name == "<script>alert(1)</script>"


def test_multisport_session_activities_are_found_at_any_depth() -> None:
    run = _activity(_lap(seconds=600.0, metres=2000.0))
    ride = _activity(
        _lap(seconds=1200.0, metres=9000.0), sport="Biking", id_="2024-03-02T07:10:00Z"
    )
    session = (
        f"<MultiSportSession><Id>2024-03-02T07:00:00Z</Id><FirstSport>{run}</FirstSport>"
        f"<NextSport>{ride}</NextSport></MultiSportSession>"
    )
    activities = parse(_tcx(session), _ctx()).activities
    assert [(a.sport, a.distance_m) for a in activities] == [
        (Sport.RUN, 2000.0),
        (Sport.RIDE, 9000.0),
    ]


def test_prefixed_namespace_is_read_like_the_default_one() -> None:
    document = _tcx(_activity(_lap(seconds=60.0, metres=200.0)))
    prefixed = re.sub(rb"<(/?)(?=[A-Z])", rb"<\1t:", document).replace(b'xmlns="', b'xmlns:t="', 1)
    assert b"<t:Activity" in prefixed
    (activity,) = parse(prefixed, _ctx()).activities
    assert activity.distance_m == 200.0


def test_course_file_is_not_an_activity() -> None:
    course = (
        f'<TrainingCenterDatabase xmlns="{NAMESPACE}"><Courses><Course><Name>Loop</Name>'
        "<Track><Trackpoint><Time>2024-03-02T07:00:00Z</Time></Trackpoint></Track>"
        "</Course></Courses></TrainingCenterDatabase>"
    ).encode()
    with pytest.raises(NotAnActivityError) as caught:
        parse(course, _ctx())
    assert caught.value.reason == COURSE_REASON


def test_activity_without_any_time_is_refused_with_its_reason() -> None:
    lap = "<Lap><TotalTimeSeconds>60</TotalTimeSeconds></Lap>"
    with pytest.raises(SourceError) as caught:
        parse(_tcx(_activity(lap, id_="not a time")), _ctx())
    assert caught.value.reason == "activity 1 skipped: no readable start time (<Id>)"


def test_timeless_activity_beside_a_good_one_becomes_a_warning() -> None:
    good = _activity(_lap(seconds=60.0, metres=200.0))
    bad = _activity("<Lap><TotalTimeSeconds>60</TotalTimeSeconds></Lap>", id_=None)
    result = parse(_tcx(bad, good), _ctx())
    assert len(result.activities) == 1
    assert result.warnings == ["activity 1 skipped: no readable start time (<Id>)"]


def test_nonsense_lap_numbers_are_ignored() -> None:
    points = (
        _trackpoint("2024-03-02T07:00:00Z", distance=0.0),
        _trackpoint("2024-03-02T07:01:00Z", distance=250.0),
    )
    lap = _lap(*points, seconds=-5.0, metres=float("inf"))
    (activity,) = parse(_tcx(_activity(lap)), _ctx()).activities
    assert (activity.distance_m, activity.duration_s) == (250.0, 60.0)


BILLION_LAUGHS = (
    '<!DOCTYPE TrainingCenterDatabase [<!ENTITY a "aaaaaaaaaa">'
    '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'
)


@pytest.mark.parametrize(
    "prolog",
    [
        BILLION_LAUGHS,
        '<!DOCTYPE TrainingCenterDatabase [<!ENTITY x SYSTEM "http://example.invalid/x">]>',
    ],
    ids=["expansion", "external"],
)
def test_entity_declarations_are_refused(prolog: str) -> None:
    document = _tcx(_activity(_lap(seconds=60.0, metres=200.0), notes="&c;&x;"), prolog=prolog)
    with pytest.raises(CorruptFileError) as caught:
        parse(document, _ctx())
    assert caught.value.reason == ENTITY_REASON


def test_invalid_utf8_is_refused_with_a_clear_reason() -> None:
    document = _tcx(_activity(_lap(seconds=60.0, metres=200.0), notes="caf\u00e9"))
    broken = document.replace("é".encode(), b"\xe9")
    offset = broken.index(b"\xe9")
    with pytest.raises(CorruptFileError) as caught:
        parse(broken, _ctx())
    assert caught.value.reason.startswith(f"not valid UTF-8 text (byte 0xE9 at offset {offset})")


def test_utf16_with_bom_is_read() -> None:
    text = _tcx(_activity(_lap(seconds=60.0, metres=200.0), notes="Lauf"), encoding="UTF-16")
    (activity,) = parse(text.decode().encode("utf-16"), _ctx()).activities
    assert activity.name == "Lauf"


def test_truncated_document_is_corrupt() -> None:
    document = _tcx(_activity(_lap(seconds=60.0, metres=200.0)))
    with pytest.raises(CorruptFileError) as caught:
        parse(document[: len(document) // 2], _ctx())
    assert caught.value.reason.startswith("not well-formed XML: no element found")


def test_other_xml_is_not_taken_for_tcx() -> None:
    with pytest.raises(UnsupportedFormatError) as caught:
        parse(b"<gpx><trk/></gpx>", _ctx())
    assert caught.value.reason == "not a TCX document (its root is <gpx>)"
