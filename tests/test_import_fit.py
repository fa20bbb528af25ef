"""FIT importer: every FIT file of the real-device corpus against expected.csv, its
odd files, and small synthetic files written with Garmin's encoder."""

from __future__ import annotations

import gzip
import io
import re
import zipfile
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from fitparse import FitFile
from helpers.corpus import CORPUS, corpus_ctx, corpus_expected
from helpers.fitbuild import (
    START,
    activity,
    encode,
    file_id,
    fit_seconds,
    lap,
    record,
    run_file,
    session,
    sport_message,
)
from helpers.fitreference import FitReference

from loadwatch.errors import CorruptFileError, LoadwatchError, NotAnActivityError
from loadwatch.ingest.importers import ParseContext, parse_bytes
from loadwatch.ingest.importers.fit import CLOCK_WARNING, CRC_NOTE, fit_crc, parse
from loadwatch.model import Integrity, ParsedFile, Sport, Surface, activity_id

FIT_ROWS = [row for row in corpus_expected() if row["format"].startswith("fit")]
ACTIVITY_ROWS = [row for row in FIT_ROWS if row["sport"]]
SINGLE_ROWS = [row for row in ACTIVITY_ROWS if "+" not in row["sport"]]
MULTI_ROWS = [row for row in ACTIVITY_ROWS if "+" in row["sport"]]
SKIPPED_ROWS = [row for row in FIT_ROWS if not row["sport"]]

#: the issue's sport mapping for the corpus's FIT sport names
SPORTS = {
    "running": Sport.RUN,
    "cycling": Sport.RIDE,
    "swimming": Sport.SWIM,
    "walking": Sport.WALK,
}

Outcome = ParsedFile | LoadwatchError


def corpus_bytes(name: str) -> bytes:
    """The FIT bytes of a corpus file, unwrapping .gz and single-FIT .zip files."""
    raw = (CORPUS / name).read_bytes()
    if name.endswith(".gz"):
        return gzip.decompress(raw)
    if name.endswith(".zip"):
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            members = [
                n
                for n in archive.namelist()
                if n.lower().endswith(".fit") and not n.startswith("__MACOSX/")
            ]
            assert len(members) == 1, members
            return archive.read(members[0])
    return raw


@pytest.fixture(scope="module")
def parsed(fit_reference: FitReference) -> Callable[[str], Outcome]:
    """Parse each corpus file at most once: fitparse needs seconds per megabyte.

    fitparse's decoding is the session's (``fit_reference``, shared with the fast
    path's comparison); what ``parse`` gives is what ``fit_reference.parse`` gives.
    """
    cache: dict[str, Outcome] = {}

    def get(name: str) -> Outcome:
        if name not in cache:
            try:
                cache[name] = fit_reference.parse(corpus_bytes(name), corpus_ctx(name))
            except LoadwatchError as error:
                cache[name] = error
        return cache[name]

    return get


def imported(outcome: Outcome) -> ParsedFile:
    assert isinstance(outcome, ParsedFile), f"expected activities, got: {outcome}"
    return outcome


def close(got: float | None, expected: str) -> bool:
    if expected == "":
        return got is None
    assert got is not None
    return abs(got - float(expected)) <= 0.005 * float(expected)


def sport_of(label: str) -> Sport:
    return SPORTS.get(label, Sport.OTHER)


def note_device(note: str) -> str:
    found = re.search(r"device=([^;]*)", note)
    assert found, note
    maker, _, product = found.group(1).partition("/")
    return f"{maker} {product}" if product else maker


# ------------------------------------------------------------------ corpus: one session


@pytest.mark.parametrize("row", SINGLE_ROWS, ids=lambda r: r["file"])
def test_corpus_file_matches_expected(
    row: dict[str, str], parsed: Callable[[str], Outcome]
) -> None:
    result = imported(parsed(row["file"]))
    assert len(result.activities) == 1
    found = result.activities[0]
    assert found.sport is sport_of(row["sport"])
    assert found.format == "fit"
    assert found.source == row["file"]
    if row["distance_m"]:
        assert close(found.distance_m, row["distance_m"]), (found.distance_m, row["distance_m"])
    else:  # the session states none: the laps or records stand in (tested below)
        assert "the session states no distance" in (found.integrity_note or "")
    assert close(found.duration_s, row["duration_s"]), (found.duration_s, row["duration_s"])
    assert close(found.ascent_m, row["ascent_m"]), (found.ascent_m, row["ascent_m"])
    elapsed = re.search(r"total_elapsed_time=([\d.]+)", row["note"])
    assert elapsed and close(found.elapsed_s, elapsed.group(1))
    expected_detail = "/".join(p for p in (row["sport"], row["sub_sport"]) if p)
    assert found.sport_detail == expected_detail
    if row["start_time_utc"]:
        assert found.start_utc.strftime("%Y-%m-%dT%H:%M:%SZ") == row["start_time_utc"]
        assert found.id == activity_id(found.start_utc)


def test_corpus_zero_distance_stays_zero_and_missing_comes_from_the_records(
    parsed: Callable[[str], Outcome],
) -> None:
    rowing = imported(parsed("gc__RowingCIQspeed.FIT")).activities[0]
    assert rowing.distance_m == 0.0
    # the SDK's example session states no total_distance; its records do
    name = "garminsdk__ActivityDevFields.fit"
    records = FitFile(str(CORPUS / name)).get_messages("record")
    distances = [m.get_value("distance") for m in records]
    last = [d for d in distances if d is not None][-1]
    paddle = imported(parsed(name)).activities[0]
    assert paddle.distance_m == last
    assert paddle.integrity is Integrity.COMPLETE
    assert paddle.integrity_note == "the session states no distance: distance from its records"


# the files whose file_id names its product in words: that name wins over the number
PRODUCT_NAMES = {
    "fitparse__coros-pace-2-cycling-misaligned-fields.fit": "COROS PACE 2",
    "gc__Karoo-Botley_BW_Swanmore_Wickham-2025-05-09-1238.fit": "hammerhead Karoo 2",
    "gc__SigmaRox11_1.fit": "sigmasport ROX 11.1 EVO",
    "gc__2024-10-14-070422-Pool Swim-BingiWatch.fit": "development Watch6,18",
}


@pytest.mark.parametrize("row", ACTIVITY_ROWS, ids=lambda r: r["file"])
def test_corpus_device_is_manufacturer_and_product(
    row: dict[str, str], parsed: Callable[[str], Outcome]
) -> None:
    expected = PRODUCT_NAMES.get(row["file"], note_device(row["note"]))
    assert {a.device for a in imported(parsed(row["file"])).activities} == {expected}


def test_corpus_files_name_no_activity_and_no_shoe_without_saying_so(
    parsed: Callable[[str], Outcome],
) -> None:
    # Only one corpus file carries a title (a developer field "Title" on its session);
    # sport profile names such as "Run" or "Trail Run" are not activity names.
    for row in ACTIVITY_ROWS:
        for found in imported(parsed(row["file"])).activities:
            assert found.shoe is None
            if row["file"] == "gc__14582164182.fit.gz":
                assert found.name == "dit"
            else:
                assert found.name is None, row["file"]


# ------------------------------------------------------------------ corpus: multisport


def sessions_in_note(note: str) -> list[tuple[str, str, str, str, str]]:
    part = note.split("per session:", 1)[1]
    return re.findall(r"(\w+)/(\S+) (\S+Z) d=([\d.]+) t=([\d.]+) asc=(?:\d+)", part)


@pytest.mark.parametrize("row", MULTI_ROWS, ids=lambda r: r["file"])
def test_corpus_multisport_gives_one_activity_per_session(
    row: dict[str, str], parsed: Callable[[str], Outcome]
) -> None:
    expected = sessions_in_note(row["note"])
    assert len(expected) == len(row["sport"].split("+"))
    found = imported(parsed(row["file"])).activities
    assert len(found) == len(expected)
    for got, (sport, _sub, start, distance, timer) in zip(found, expected, strict=True):
        assert got.sport is sport_of(sport)
        assert got.start_utc.strftime("%Y-%m-%dT%H:%M:%SZ") == start
        assert close(got.distance_m, distance)
        assert close(got.duration_s, timer)
    ascents = [int(a) for a in re.findall(r"asc=(\d+)", row["note"])]
    assert [a.ascent_m for a in found] == ascents


def test_corpus_triathlon_keeps_its_run_and_sub_sports(parsed: Callable[[str], Outcome]) -> None:
    found = imported(parsed("fitparse__sample_mulitple_header.fit")).activities
    assert [a.sport_detail for a in found] == [
        "swimming/open_water",
        "transition/generic",
        "cycling/generic",
        "transition/generic",
        "running/generic",
    ]
    assert [a.sport for a in found].count(Sport.RUN) == 1


# ------------------------------------------------------------------ corpus: odd files


@pytest.mark.parametrize("row", SKIPPED_ROWS, ids=lambda r: r["file"])
def test_corpus_non_activity_files_are_skipped_with_their_type(
    row: dict[str, str], parsed: Callable[[str], Outcome]
) -> None:
    file_type = re.search(r"file_type=(\w+)", row["note"])
    assert file_type
    outcome = parsed(row["file"])
    assert isinstance(outcome, NotAnActivityError)
    assert outcome.reason == f"not an activity (FIT file type: {file_type.group(1)})"


AFTER_SUMMARY = ", after this session's summary, which is used"
ODD_FILES = {
    # the stored file CRC is wrong (SOURCES.md); everything before it decodes
    "fitparse__activity-filecrc.fit": CRC_NOTE,
    # a chained settings file with a broken header follows the activity at byte 771
    "fitparse__activity-settings-corruptheader.fit": "damaged FIT file: "
    "invalid FIT header at byte 771" + AFTER_SUMMARY,
    # the 768-byte file stops one byte short of its last (activity) message
    "fitparse__activity-unexpected-eof.fit": "truncated FIT file: "
    "ends at byte 768 in the middle of a message" + AFTER_SUMMARY,
    # Strava's app uses local message 11 at byte 7471 without defining it
    "fitparse__strava-android-app-201.10-b1218918.fit": "damaged FIT file: "
    "message at byte 7471 uses undefined local message type 11" + AFTER_SUMMARY,
}


@pytest.mark.parametrize("name", sorted(ODD_FILES))
def test_corpus_damaged_files_import_what_decoded_as_suspect(
    name: str, parsed: Callable[[str], Outcome]
) -> None:
    result = imported(parsed(name))
    assert result.warnings == []
    assert [(a.integrity, a.integrity_note) for a in result.activities] == [
        (Integrity.SUSPECT, ODD_FILES[name])
    ]


def test_corpus_clean_files_are_complete_without_warnings(parsed: Callable[[str], Outcome]) -> None:
    odd = set(ODD_FILES) | {"fitparse__compressed-speed-distance.fit"}
    for row in ACTIVITY_ROWS:
        if row["file"] not in odd:
            result = imported(parsed(row["file"]))
            assert result.warnings == [], row["file"]
            assert {a.integrity for a in result.activities} == {Integrity.COMPLETE}, row["file"]


def test_corpus_coros_impossible_field_size_is_read_like_garmins_sdk(
    parsed: Callable[[str], Outcome],
) -> None:
    # fitparse alone stops at a uint32 field of size 1 (byte 41093) and never sees
    # the session at the end; read as raw bytes, the whole ride decodes.
    ride = imported(parsed("fitparse__coros-pace-2-cycling-misaligned-fields.fit"))
    assert ride.warnings == []
    assert ride.activities[0].sport is Sport.RIDE
    assert ride.activities[0].distance_m == pytest.approx(32145.76)


def test_corpus_device_clock_never_set_uses_the_watchs_local_time(
    fit_reference: FitReference,
) -> None:
    # The Forerunner 70 counts from power-on: session start_time 17217864 s,
    # activity timestamp 17221751 s, activity local_timestamp 2012-02-13 12:21:03.
    # Start = 12:21:03 - (17221751 - 17217864) s = 12:21:03 - 1:04:47 = 11:16:16 local.
    name = "fitparse__compressed-speed-distance.fit"
    result = fit_reference.parse(corpus_bytes(name), corpus_ctx(name, "Europe/Berlin"))
    assert result.warnings == [CLOCK_WARNING]
    run = result.activities[0]
    assert run.start_local == datetime(2012, 2, 13, 11, 16, 16)
    assert run.start_utc == datetime(2012, 2, 13, 10, 16, 16, tzinfo=UTC)  # CET is UTC+1


def test_corpus_local_time_from_the_activity_message(parsed: Callable[[str], Outcome]) -> None:
    # fenix 5: activity timestamp 14:35:24Z, local_timestamp 07:35:24, so UTC-7.
    run = imported(parsed("fitparse__garmin-fenix-5-run.fit")).activities[0]
    assert run.start_local == datetime(2017, 6, 11, 7, 34, 9)
    # FR55: local_timestamp is 3 min 45 s ahead of timestamp; offsets come in
    # quarter hours, so this is UTC+0.
    walk = imported(parsed("gc__FR55-CoreTemp-Walk.fit")).activities[0]
    assert walk.start_local == datetime(2025, 1, 28, 13, 33, 2)


@pytest.mark.parametrize(
    ("name", "local"),
    [
        # local_timestamp 22 days before timestamp: nonsense, the runner's zone decides
        ("gc__GarminSwimExample.fit", datetime(2015, 11, 5, 18, 45, 43)),
        # Zwift writes local_timestamp 0 (the FIT epoch)
        ("fitparse__null_compressed_speed_dist.fit", datetime(2017, 10, 5, 2, 4, 6)),
        # no local_timestamp at all (Berlin is back on CET, UTC+1, in November)
        ("fitparse__sample-activity-indoor-trainer.fit", datetime(2011, 11, 2, 13, 54, 19)),
    ],
)
def test_corpus_unusable_local_time_falls_back_to_the_zone(
    name: str, local: datetime, fit_reference: FitReference
) -> None:
    result = fit_reference.parse(corpus_bytes(name), corpus_ctx(name, "Europe/Berlin"))
    assert result.activities[0].start_local == local


def test_corpus_running_cadence_is_steps_per_minute(parsed: Callable[[str], Outcome]) -> None:
    # session avg_running_cadence 83 strides/min + avg_fractional_cadence 0.671875
    run = imported(parsed("fitparse__garmin-fenix-5-run.fit")).activities[0]
    assert run.avg_cadence_spm == 2 * (83 + 0.671875)
    ride = imported(parsed("fitparse__garmin-edge-820-bike.fit")).activities[0]
    assert ride.avg_cadence_spm is None  # pedal rpm is not steps


def test_corpus_trail_run_in_a_zip(parsed: Callable[[str], Outcome]) -> None:
    run = imported(parsed("gc__4077461142.zip")).activities[0]
    assert (run.sport, run.surface) == (Sport.RUN, Surface.TRAIL)


# ------------------------------------------------------------------ synthetic files


def read(data: bytes, zone: str = "UTC") -> ParsedFile:
    return parse(data, ParseContext(source="watch/run.fit", zone=ZoneInfo(zone)))


@pytest.mark.parametrize(
    ("sport", "sub_sport", "surface"),
    [
        ("running", "treadmill", Surface.TREADMILL),
        ("fitness_equipment", "treadmill", Surface.TREADMILL),
        ("running", "indoor_running", Surface.TREADMILL),
        ("running", "trail", Surface.TRAIL),
        ("running", "street", Surface.ROAD),
        ("running", "track", Surface.TRACK),
        ("running", "generic", Surface.UNKNOWN),
        ("running", None, Surface.UNKNOWN),
    ],
)
def test_run_surfaces_from_sub_sport(sport: str, sub_sport: str | None, surface: Surface) -> None:
    found = read(run_file(sport=sport, sub_sport=sub_sport)).activities[0]
    assert (found.sport, found.surface) == (Sport.RUN, surface)
    assert found.sport_detail == (f"{sport}/{sub_sport}" if sub_sport else sport)


def test_synthetic_run_values_pass_through() -> None:
    data = run_file(
        distance_m=10012.34,
        timer_s=3001.5,
        elapsed_s=3100.25,
        total_ascent=57,
        avg_cadence=86,
        avg_fractional_cadence=0.25,
    )
    result = read(data)
    assert result.warnings == []
    found = result.activities[0]
    assert found.id == "20240302T070000Z"
    assert found.start_utc == START
    assert found.source == "watch/run.fit"
    assert (found.distance_m, found.duration_s, found.elapsed_s, found.ascent_m) == (
        10012.34,
        3001.5,
        3100.25,
        57.0,
    )
    assert found.avg_cadence_spm == 172.5  # 2 * (86 + 0.25)
    assert found.device == "garmin fr955"  # garmin product 4024
    assert found.name is None
    assert found.shoe is None


@pytest.mark.parametrize(
    ("offset", "local"),
    [
        (timedelta(hours=2), datetime(2024, 3, 2, 9, 0)),
        (timedelta(hours=-5), datetime(2024, 3, 2, 2, 0)),
        (timedelta(hours=5, minutes=30), datetime(2024, 3, 2, 12, 30)),
        # local_timestamp written a few seconds after timestamp still means +01:00
        (timedelta(hours=1, seconds=7), datetime(2024, 3, 2, 8, 0)),
    ],
)
def test_local_start_from_local_timestamp(offset: timedelta, local: datetime) -> None:
    found = read(run_file(local_offset=offset), zone="America/New_York").activities[0]
    assert found.start_utc == START
    assert found.start_local == local


def test_without_local_timestamp_the_zone_gives_local_start() -> None:
    found = read(run_file(local_offset=None), zone="America/New_York").activities[0]
    assert found.start_local == datetime(2024, 3, 2, 2, 0)  # EST, UTC-5


def test_walk_and_hike_cadence_doubled_ride_cadence_dropped() -> None:
    walk = read(run_file(sport="walking", avg_cadence=55)).activities[0]
    assert (walk.sport, walk.avg_cadence_spm) == (Sport.WALK, 110.0)
    hike = read(run_file(sport="hiking", avg_cadence=50)).activities[0]
    assert (hike.sport, hike.avg_cadence_spm) == (Sport.HIKE, 100.0)
    ride = read(run_file(sport="cycling", avg_cadence=90)).activities[0]
    assert (ride.sport, ride.avg_cadence_spm) == (Sport.RIDE, None)
    no_sensor = read(run_file(avg_cadence=0)).activities[0]
    assert no_sensor.avg_cadence_spm is None


def test_no_session_falls_back_to_summed_laps() -> None:
    second = START + timedelta(seconds=1500)
    data = encode(
        [
            file_id(),
            sport_message("running", "trail", "Trail Run"),
            lap(START, 5000.0, 1500.0, total_ascent=40),
            lap(second, 4800.5, 1450.0, total_ascent=35),
            activity(second + timedelta(seconds=1450), timedelta(hours=1)),
        ]
    )
    result = read(data)
    assert result.warnings == []
    (found,) = result.activities
    assert found.start_utc == START
    assert found.start_local == datetime(2024, 3, 2, 8, 0)
    assert found.distance_m == 9800.5
    assert found.duration_s == 2950.0
    assert found.elapsed_s == 2950.0
    assert found.ascent_m == 75.0
    assert (found.sport, found.surface) == (Sport.RUN, Surface.TRAIL)  # from the sport message
    assert found.avg_cadence_spm is None


def test_laps_with_their_own_sport_win_over_the_sport_message() -> None:
    data = encode(
        [
            file_id(),
            sport_message("cycling", "generic", "Bike"),
            lap(START, 5000.0, 1500.0, sport="running", sub_sport="track"),
        ]
    )
    found = read(data).activities[0]
    assert (found.sport, found.surface) == (Sport.RUN, Surface.TRACK)


def test_no_session_no_lap_falls_back_to_records() -> None:
    data = encode(
        [file_id()] + [record(START + timedelta(seconds=s), 3.0 * s) for s in range(0, 601, 60)]
    )
    (found,) = read(data).activities
    assert found.start_utc == START
    assert found.distance_m == 1800.0
    assert found.duration_s == found.elapsed_s == 600.0
    assert found.sport is Sport.OTHER  # nothing in the file names a sport
    assert found.ascent_m is None


def test_records_only_and_truncated_is_partial() -> None:
    data = encode([file_id()] + [record(START + timedelta(seconds=s), 3.0 * s) for s in range(10)])
    (found,) = read(data[:-5]).activities
    # the last record is cut: the nine before it are what the recording holds
    assert (found.start_utc, found.distance_m, found.duration_s) == (START, 24.0, 8.0)
    assert found.integrity is Integrity.PARTIAL
    assert found.integrity_note == (
        f"truncated FIT file: ends at byte {len(data) - 5} in the middle of a message: "
        "recovered from its records read before it"
    )


def test_damage_before_any_session_lap_or_record_is_corrupt() -> None:
    data = encode([file_id()] + [record(START + timedelta(seconds=s), 3.0 * s) for s in range(2)])
    cut = len(encode([file_id()])) - 2 + 3
    with pytest.raises(CorruptFileError) as caught:
        read(data[:cut])
    assert caught.value.reason.startswith("truncated FIT file: ends at byte")


def test_activity_file_with_nothing_timed_is_not_an_activity() -> None:
    with pytest.raises(NotAnActivityError) as caught:
        read(encode([file_id()]))
    assert caught.value.reason == "FIT file holds no session, lap or record"


@pytest.mark.parametrize("file_type", ["settings", "workout", "course", "monitoring_b"])
def test_other_fit_file_types_are_not_activities(file_type: str) -> None:
    with pytest.raises(NotAnActivityError) as caught:
        read(encode([file_id(file_type)]))
    assert caught.value.reason == f"not an activity (FIT file type: {file_type})"


def test_bad_file_crc_makes_the_activity_suspect() -> None:
    data = bytearray(run_file())
    data[-1] ^= 0xFF
    result = read(bytes(data))
    assert result.warnings == []
    (run,) = result.activities
    assert (run.integrity, run.integrity_note) == (Integrity.SUSPECT, CRC_NOTE)
    assert run.distance_m == 10000.0


def test_bad_header_crc_makes_the_activity_suspect() -> None:
    data = bytearray(run_file())
    data[12] ^= 0x01
    assert [a.integrity for a in read(bytes(data)).activities] == [Integrity.SUSPECT]


def test_crc_matches_the_encoders() -> None:
    data = run_file()
    assert fit_crc(data[:-2]) == int.from_bytes(data[-2:], "little")
    assert fit_crc(data) == 0  # a message followed by its own CRC checks to zero


def test_chained_files_give_every_session() -> None:
    later = START + timedelta(hours=5)
    second = encode(
        [
            file_id(),
            session(later, sport="walking"),
            activity(later + timedelta(seconds=3000), timedelta(hours=1)),
        ]
    )
    found = read(run_file() + second).activities
    assert [(a.sport, a.start_utc) for a in found] == [(Sport.RUN, START), (Sport.WALK, later)]


def test_a_session_repeated_in_a_chained_file_counts_once() -> None:
    assert len(read(run_file() + run_file()).activities) == 1


def test_session_after_damage_is_lost_but_session_before_is_kept() -> None:
    data = run_file()
    result = read(data + data[:40])
    (run,) = result.activities
    assert run.integrity is Integrity.SUSPECT
    assert run.integrity_note == (
        f"truncated FIT file: ends at byte {len(data) + 40} in the middle of a message"
        + AFTER_SUMMARY
    )


def test_relative_device_time_uses_local_timestamp() -> None:
    # Clock never set: times count from power-on (below 0x10000000).
    session_values = session(sport="running")
    session_values["start_time"] = 1000
    session_values["timestamp"] = 4000
    closing = {
        "mesg_num": activity(START, None)["mesg_num"],
        "timestamp": 4000,
        "local_timestamp": fit_seconds(datetime(2024, 7, 1, 18, 50, tzinfo=UTC)),
        "num_sessions": 1,
    }
    result = read(encode([file_id(), session_values, closing]), zone="Europe/Paris")
    assert result.warnings == [CLOCK_WARNING]
    found = result.activities[0]
    assert found.start_local == datetime(2024, 7, 1, 18, 0)  # 18:50 - 3000 s
    assert found.start_utc == datetime(2024, 7, 1, 16, 0, tzinfo=UTC)  # CEST, UTC+2


def test_relative_device_time_without_local_time_is_corrupt() -> None:
    session_values = session()
    session_values["start_time"] = 1000
    with pytest.raises(CorruptFileError, match="device clock not set"):
        read(encode([file_id(), session_values]))


def test_developer_fields_give_name_and_shoe() -> None:
    data = encode(
        [file_id(), session(), activity(START, timedelta(0))],
        developer={"Activity Title": " Hill repeats ", "gear_name": "Pegasus 40"},
    )
    found = read(data).activities[0]
    assert (found.name, found.shoe) == ("Hill repeats", "Pegasus 40")


def test_through_the_format_sniffer() -> None:
    found = parse_bytes(run_file(), ParseContext("no-extension", ZoneInfo("UTC")))
    assert found.activities[0].format == "fit"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"<?xml version='1.0'?><gpx></gpx>", "not a FIT file (no FIT header)"),
        (b"", "empty file"),
        (b"\x0e\x10garbage", "truncated FIT file: ends at byte 9 inside a FIT header"),
    ],
)
def test_not_a_fit_file(data: bytes, reason: str) -> None:
    with pytest.raises(CorruptFileError) as caught:
        read(data)
    assert caught.value.reason == reason


# ------------------------------------------------------------------ hostile bytes


def small_corpus_file() -> bytes:
    return corpus_bytes("fitparse__Activity.fit")


@pytest.mark.corpus
def test_every_truncation_gives_activities_or_a_reason() -> None:
    data = small_corpus_file()
    for length in range(len(data) + 1):
        try:
            result = read(data[:length])
        except LoadwatchError as error:
            assert error.reason and "\n" not in error.reason
        else:
            assert result.activities


@pytest.mark.corpus
def test_every_single_byte_change_gives_activities_or_a_reason() -> None:
    data = small_corpus_file()
    for position in range(len(data)):
        for value in (0xFF, data[position] ^ 0x55):
            damaged = bytearray(data)
            damaged[position] = value
            try:
                read(bytes(damaged))
            except LoadwatchError as error:
                assert error.reason and "\n" not in error.reason
