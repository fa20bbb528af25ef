"""CSV importers: Strava's activities.csv (real corpus file), Garmin Connect's
Activities.csv in several languages and units, and loadwatch's manual log."""

from __future__ import annotations

import csv
from collections import Counter
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from helpers.corpus import CORPUS
from hypothesis import given, settings
from hypothesis import strategies as st

from loadwatch.errors import (
    CorruptFileError,
    LoadwatchError,
    NotAnActivityError,
    UnsupportedFormatError,
)
from loadwatch.ingest.importers import ParseContext, parse_bytes
from loadwatch.ingest.importers.csv_cells import CellError, duration, number
from loadwatch.ingest.importers.csvlog import parse
from loadwatch.model import Activity, ParsedFile, Sport, Surface, activity_id
from loadwatch.units import Units

STRAVA_FILE = "stravainsights__activities.csv"
MILE = 1609.344


def ctx(source: str = "log.csv", zone: str = "UTC", units: Units = Units.MI) -> ParseContext:
    return ParseContext(source=source, zone=ZoneInfo(zone), units=units)


def parse_text(
    text: str,
    zone: str = "UTC",
    source: str = "log.csv",
    encoding: str = "utf-8",
    units: Units = Units.MI,
) -> ParsedFile:
    return parse(text.encode(encoding), ctx(source, zone, units))


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


# ---------------------------------------------------------------- Strava, real export


@pytest.fixture(scope="module")
def strava_raw() -> list[list[str]]:
    with (CORPUS / STRAVA_FILE).open(newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


@pytest.fixture(scope="module")
def strava() -> ParsedFile:
    data = (CORPUS / STRAVA_FILE).read_bytes()
    return parse(data, ctx(f"strava/{STRAVA_FILE}", "Europe/Copenhagen"))


def test_strava_corpus_every_row_is_one_activity(strava: ParsedFile) -> None:
    assert len(strava.activities) == 112
    assert strava.warnings == []
    assert [a.source for a in strava.activities] == [
        f"strava/{STRAVA_FILE}#row{n}" for n in range(1, 113)
    ]
    assert all(a.format == "strava-csv" for a in strava.activities)
    assert all(a.id == activity_id(a.start_utc) for a in strava.activities)


def test_strava_corpus_sports_follow_activity_type(
    strava: ParsedFile, strava_raw: list[list[str]]
) -> None:
    types = Counter(row[3] for row in strava_raw[1:])
    assert types == {"Run": 89, "Walk": 9, "Ride": 7, "Yoga": 5, "Workout": 2}
    sports = Counter(a.sport for a in strava.activities)
    assert sports == {Sport.RUN: 89, Sport.WALK: 9, Sport.RIDE: 7, Sport.OTHER: 7}
    for activity, row in zip(strava.activities, strava_raw[1:], strict=True):
        assert activity.sport_detail == row[3]


def test_strava_corpus_reads_the_metres_distance(
    strava: ParsedFile, strava_raw: list[list[str]]
) -> None:
    header = strava_raw[0]
    assert [i for i, name in enumerate(header) if name == "Distance"] == [6, 17]
    # Row 1 "Afternoon Ride": display distance 5.61 (km), metres 5612.39990234375.
    row1 = strava_raw[1]
    assert (row1[6], row1[17]) == ("5.61", "5612.39990234375")
    assert strava.activities[0].distance_m == pytest.approx(5612.39990234375)
    # Row 3 "Afternoon Run": 8.19 km shown, 8191.60009765625 m stored.
    row3 = strava_raw[3]
    assert (row3[2], row3[6], row3[17]) == ("Afternoon Run", "8.19", "8191.60009765625")
    assert strava.activities[2].distance_m == pytest.approx(8191.60009765625)
    # Every row: the later Distance cell, never the first one times anything.
    for activity, row in zip(strava.activities, strava_raw[1:], strict=True):
        assert activity.distance_m == pytest.approx(float(row[17]))


def test_strava_corpus_row_by_hand(strava: ParsedFile, strava_raw: list[list[str]]) -> None:
    row = strava_raw[2]
    # Activity Date, Name, Type, Elapsed Time (x2), Moving Time, Elevation Gain, Filename
    assert (row[1], row[2], row[3], row[5], row[15], row[16], row[20], row[12]) == (
        "Feb 22, 2021, 10:30:06 AM",
        "Lunch Run",
        "Run",
        "975",
        "975.0",
        "901.0",
        "7.638888835906982",
        "activities/4829010993.gpx",
    )
    run = strava.activities[1]
    assert run.start_utc == utc(2021, 2, 22, 10, 30, 6)
    assert run.start_local == datetime(2021, 2, 22, 11, 30, 6)  # CET, UTC+1
    assert run.id == "20210222T103006Z"
    assert run.name == "Lunch Run"
    assert (run.duration_s, run.elapsed_s) == (901.0, 975.0)
    assert run.ascent_m == pytest.approx(7.638888835906982)
    assert run.linked_file == "strava/activities/4829010993.gpx"
    assert run.surface is Surface.UNKNOWN


def test_strava_corpus_summer_row_and_non_ascii_name(
    strava: ParsedFile, strava_raw: list[list[str]]
) -> None:
    assert strava_raw[60][1:3] == ["May 9, 2021, 11:20:44 AM", "Wings for life World run"]
    summer = strava.activities[59]
    assert summer.start_local == datetime(2021, 5, 9, 13, 20, 44)  # CEST, UTC+2
    assert summer.distance_m == pytest.approx(15000.0)
    assert strava_raw[18][2] == "BAC Novo Nordisk Løbet"
    assert strava.activities[17].name == "BAC Novo Nordisk Løbet"
    assert strava.activities[17].start_utc == utc(2008, 4, 6, 20, 0, 0)  # "8:00:00 PM"


def test_strava_corpus_manual_rows_and_gear(
    strava: ParsedFile, strava_raw: list[list[str]]
) -> None:
    manual = [a for a, row in zip(strava.activities, strava_raw[1:], strict=True) if not row[12]]
    assert len(manual) == 19
    assert all(a.linked_file is None for a in manual)
    linked = [a for a in strava.activities if a.linked_file]
    assert len(linked) == 93
    assert all(a.linked_file.startswith("strava/activities/") for a in linked)  # type: ignore[union-attr]
    gear = Counter(a.shoe for a in strava.activities)
    assert gear == {None: 102, "pegasus": 10}


# ---------------------------------------------------------------- Strava, synthetic

STRAVA_HEADER = (
    "Activity ID,Activity Date,Activity Name,Activity Type,Elapsed Time,Distance,"
    "Activity Gear,Filename,Elapsed Time,Moving Time,Distance,Elevation Gain,Average Cadence"
)


def test_strava_cadence_surface_and_formula_name() -> None:
    text = "\n".join(
        [
            STRAVA_HEADER,
            '1,"May 12, 2026, 8:07:59 AM",Easy,Run,1900,5.00,Pegasus 40,activities/1.fit.gz,'
            "1900.0,1800.0,5000.0,12.0,85.5",
            '2,"May 13, 2026, 6:00:00 PM",Hills,Trail Run,3600,8.00,,activities/2.gpx.gz,'
            "3600.0,3500.0,8000.0,240.0,172",
            '3,"May 14, 2026, 12:00:00 PM",Zwift,Virtual Run,1200,4.00,,,1200.0,1200.0,4000.0,0,80',
            '4,"May 15, 2026, 12:30:00 AM",Commute,Ride,1500,10.00,,activities/4.fit.gz,'
            "1500.0,1400.0,10000.0,30.0,90",
            '5,"May 16, 2026, 7:00:00 AM","=HYPERLINK(""http://x"")",Run,600,2.00,,,600,600,2000,,',
        ]
    )
    parsed = parse_text(text, zone="America/New_York", source="exports/strava/activities.csv")
    easy, hills, zwift, ride, formula = parsed.activities
    # one-leg cadence doubled: 85.5 strides/min = 171 steps/min
    assert easy.avg_cadence_spm == pytest.approx(171.0)
    # 172 is already steps/min (a one-leg running cadence cannot be that high)
    assert hills.avg_cadence_spm == pytest.approx(172.0)
    assert ride.avg_cadence_spm is None  # pedal rpm are not steps
    assert easy.shoe == "Pegasus 40"
    assert easy.distance_m == 5000.0 and easy.duration_s == 1800.0 and easy.elapsed_s == 1900.0
    assert easy.linked_file == "exports/strava/activities/1.fit.gz"
    # "8:07:59 AM" UTC is 4:07:59 in New York (EDT, UTC-4)
    assert easy.start_utc == utc(2026, 5, 12, 8, 7, 59)
    assert easy.start_local == datetime(2026, 5, 12, 4, 7, 59)
    assert ride.start_utc == utc(2026, 5, 15, 0, 30, 0)  # 12:30 AM is just after midnight
    assert (hills.sport, hills.surface) == (Sport.RUN, Surface.TRAIL)
    assert (zwift.sport, zwift.surface) == (Sport.RUN, Surface.TREADMILL)
    assert zwift.linked_file is None
    assert ride.sport is Sport.RIDE
    assert formula.name == '=HYPERLINK("http://x")'


def test_strava_link_inside_an_archive() -> None:
    row = '1,"Jan 2, 2024, 9:00:00 AM",Run,Run,60,1,,activities/9.fit.gz,60,60,1000,0,'
    text = f"{STRAVA_HEADER}\n{row}\n"
    parsed = parse_text(text, source="export_123.zip!activities.csv")
    assert parsed.activities[0].linked_file == "export_123.zip!activities/9.fit.gz"


def test_strava_single_distance_column_unit_from_pace_else_the_configured_one() -> None:
    header = (
        "Activity ID,Activity Date,Activity Name,Activity Type,Elapsed Time,Distance,Filename\n"
    )
    # 5.25 units in 1500 s is 4:46 per unit: per mile that would be a 2:58/km run
    fast = header + '7,"Mar 1, 2019, 7:15:00 AM",Old run,Run,1500,5.25,activities/7.gpx\n'
    parsed = parse_text(fast, units=Units.MI)
    assert parsed.activities[0].distance_m == pytest.approx(5250.0)
    assert parsed.activities[0].elapsed_s == 1500.0
    assert parsed.warnings == []
    # 6.23 units in 3000 s is 8:02 per unit: km or mi both fit, so the config decides
    easy = header + '7,"Mar 1, 2019, 7:15:00 AM",Old run,Run,3000,6.23,activities/7.gpx\n'
    parsed = parse_text(easy, units=Units.MI)
    assert parsed.activities[0].distance_m == pytest.approx(6.23 * MILE)
    assert parsed.warnings == [
        "only one Distance column (an older export) and nothing in the file tells its unit: "
        "read as mi, the configured units"
    ]
    parsed = parse_text(easy, units=Units.KM)
    assert parsed.activities[0].distance_m == pytest.approx(6230.0)
    assert parsed.warnings[0].endswith("read as km, the configured units")


def test_strava_bad_rows_are_skipped_with_their_numbers() -> None:
    text = "\n".join(
        [
            STRAVA_HEADER,
            '1,"May 12, 2026, 8:07:59 AM",Good,Run,1900,5,,,1900,1800,5000,1,',
            '2,"Someday",Bad date,Run,1900,5,,,1900,1800,5000,1,',
            '3,"May 13, 2026, 8:07:59 AM",Bad distance,Run,1900,5,,,1900,1800,five km,1,',
            '4,"May 14, 2026, 8:07:59 AM",Good too,Run,1900,5,,,1900,1800,5000,1,',
        ]
    )
    parsed = parse_text(text)
    assert [a.name for a in parsed.activities] == ["Good", "Good too"]
    assert [a.source for a in parsed.activities] == ["log.csv#row1", "log.csv#row4"]
    assert len(parsed.warnings) == 2
    assert parsed.warnings[0].startswith("row 2: Activity Date 'Someday'")
    assert parsed.warnings[1].startswith("row 3: Distance 'five km' is not a number")


# ---------------------------------------------------------------- Garmin Connect

GARMIN_EN = (
    "Activity Type,Date,Favorite,Title,Distance,Calories,Time,Avg HR,Max HR,Aerobic TE,"
    "Avg Run Cadence,Max Run Cadence,Avg Pace,Best Pace,Total Ascent,Total Descent,"
    "Avg Stride Length,Steps,Moving Time,Elapsed Time"
)


def test_garmin_english_kilometres_detected_from_steps_and_stride() -> None:
    text = "\n".join(
        [
            GARMIN_EN,
            'Running,2025-02-06 17:06:03,false,"Wellington Running","5.48","447","00:31:24","153",'
            '"176","3.6","153","173","5:44","4:06","215","200","1.15","4,808","00:31:08","00:32:57"',
            'Strength Training,2025-02-07 07:00:00,false,"Gym","0.00","300","00:45:00","110","140",'
            '"1.0","--","--","--","--","--","--","0.00","--","00:40:00","00:46:00"',
            'Cycling,2025-02-08 10:00:00,false,"Spin","20.50","600","01:00:00","130","160",'
            '"2.0","--","--","20.5","35.0","310","305","0.00","--","00:58:00","01:02:00"',
        ]
    )
    parsed = parse_text(text, zone="Pacific/Auckland", source="garmin/Activities.csv")
    assert parsed.warnings == []
    run, gym, ride = parsed.activities
    # 4808 steps x 1.15 m / 5.48 = 1009 m per unit: kilometres
    assert run.distance_m == pytest.approx(5480.0)
    assert run.duration_s == 31 * 60 + 24
    assert run.elapsed_s == 32 * 60 + 57
    assert run.ascent_m == 215.0
    assert run.avg_cadence_spm == 153.0
    assert run.name == "Wellington Running"
    assert run.format == "garmin-csv"
    assert run.source == "garmin/Activities.csv#row1"
    # Date is local wall time: 17:06:03 NZDT (UTC+13) is 04:06:03 UTC
    assert run.start_local == datetime(2025, 2, 6, 17, 6, 3)
    assert run.start_utc == utc(2025, 2, 6, 4, 6, 3)
    assert run.id == "20250206T040603Z"
    assert (gym.sport, gym.distance_m, gym.ascent_m, gym.avg_cadence_spm) == (
        Sport.OTHER,
        0.0,
        None,
        None,
    )
    assert ride.sport is Sport.RIDE
    assert ride.distance_m == pytest.approx(20500.0)


def test_garmin_english_miles_detected_from_cadence_and_stride() -> None:
    text = "\n".join(
        [
            GARMIN_EN,
            # 168 steps/min x 1.20 m x 40 min = 8064 m over 5.00 units: 1613 m per unit = miles
            'Running,2025-06-01 07:00:00,false,"Long","5.00","500","00:40:00","150","170","3.0",'
            '"168","180","8:00","7:00","328","320","1.20","--","00:40:00","00:41:00"',
            'Treadmill Running,2025-06-02 07:00:00,false,"Mill","3.10","300","00:27:00","150",'
            '"170","3.0","170","180","8:43","8:00","0","0","0.98","--","00:27:00","00:27:00"',
            'Cycling,2025-06-03 07:00:00,false,"Ride","20.00","500","01:00:00","140","160","2.0",'
            '"--","--","20.0","30.0","1,200","1,150","0.00","--","00:59:00","01:01:00"',
            'Pool Swim,2025-06-04 07:00:00,false,"Swim","1,000","300","00:25:00","130","150",'
            '"2.0","--","--","--","--","--","--","0.00","--","00:25:00","00:25:00"',
        ]
    )
    parsed = parse_text(text, zone="America/Chicago")
    run, mill, ride, swim = parsed.activities
    assert parsed.warnings == []
    assert run.distance_m == pytest.approx(5 * MILE)  # 8046.72 m
    assert run.ascent_m == pytest.approx(328 * 0.3048)  # 99.97 m: feet with miles
    assert (mill.surface, mill.distance_m) == (Surface.TREADMILL, pytest.approx(3.1 * MILE))
    assert ride.distance_m == pytest.approx(20 * MILE)
    assert ride.ascent_m == pytest.approx(1200 * 0.3048)  # "1,200" has a thousands separator
    assert swim.sport is Sport.SWIM
    assert swim.distance_m == pytest.approx(1000 * 0.9144)  # pool swims in yards
    # 07:00 CDT (UTC-5)
    assert run.start_utc == utc(2025, 6, 1, 12, 0, 0)


def test_garmin_miles_with_stride_in_feet() -> None:
    # 168 x 3.94 ft x 40 min = 26477 ft over 5.00: 5295 per unit = miles (5280 ft)
    text = GARMIN_EN + (
        '\nRunning,2025-06-01 07:00:00,false,"Long","5.00","500","00:40:00","150","170","3.0",'
        '"168","180","8:00","7:00","100","100","3.94","--","00:40:00","00:41:00"\n'
    )
    assert parse_text(text).activities[0].distance_m == pytest.approx(5 * MILE)


def test_garmin_units_from_fast_pace_or_assumed_with_warning() -> None:
    header = "Activity Type,Date,Title,Distance,Time,Total Ascent"
    # 10.00 units in 42:00 = 4:12 per unit; per mile that would be a 2:37/km median run
    fast = header + "\nRunning,2025-03-01 09:00:00,Tempo,10.00,00:42:00,50\n"
    parsed = parse_text(fast)
    assert parsed.warnings == []
    assert parsed.activities[0].distance_m == pytest.approx(10000.0)
    # 6:00 per unit could be either: the configured units, said out loud
    easy = header + "\nRunning,2025-03-01 09:00:00,Easy,5.00,00:30:00,50\n"
    parsed = parse_text(easy, units=Units.KM)
    assert parsed.activities[0].distance_m == pytest.approx(5000.0)
    assert parsed.activities[0].ascent_m == 50.0
    assert parsed.warnings == [
        "distance unit not stated and not detectable (no stride length): read as km, "
        "the configured units"
    ]
    parsed = parse_text(easy, units=Units.MI)
    assert parsed.activities[0].distance_m == pytest.approx(5 * MILE)
    assert parsed.activities[0].ascent_m == pytest.approx(50 * 0.3048)  # feet with miles
    assert parsed.warnings[0].endswith("read as mi, the configured units")


GARMIN_DE = (
    "Aktivitätstyp,Datum,Favorit,Titel,Distanz,Kalorien,Zeit,Ø Herzfrequenz,"
    "Maximale Herzfrequenz,Ø Schrittfrequenz (Laufen),Max. Schrittfrequenz (Laufen),Ø Pace,"
    "Beste Pace,Anstieg gesamt,Abstieg gesamt,Ø Schrittlänge,Training Stress Score®,Schritte,"
    "Zeit in Bewegung,Verstrichene Zeit"
)
# 10.02 km in 52:10 at 166 spm and 1.16 m: 166 x 1.16 x 52.17 / 10.02 = 1003 m per unit
GARMIN_DE_ROWS = [
    'Laufen,2024-10-13 09:15:00,false,"Sonntagslauf","10.02","712","00:52:10","148","169",'
    '"166","181","5:12","4:31","87","90","1.16","0.0","--","00:51:40","00:54:02"',
    'Laufband,2024-10-15 18:30:00,false,"Laufband Intervalle","6.00","420","00:33:00","155",'
    '"178","172","190","5:30","3:50","--","--","1.06","0.0","--","00:33:00","00:33:00"',
    'Radfahren,2024-10-16 17:00:00,false,"Pendeln","12.40","300","00:35:00","--","--","--",'
    '"--","--","--","40","38","0.00","0.0","--","00:34:00","00:36:00"',
]


def check_german(parsed: ParsedFile) -> None:
    assert parsed.warnings == []
    run, mill, ride = parsed.activities
    assert (run.sport, run.surface, run.sport_detail) == (Sport.RUN, Surface.UNKNOWN, "Laufen")
    assert run.distance_m == pytest.approx(10020.0)
    assert (run.duration_s, run.elapsed_s) == (3130.0, 3242.0)
    assert (run.ascent_m, run.avg_cadence_spm) == (87.0, 166.0)
    assert run.name == "Sonntagslauf"
    # 09:15 CEST (UTC+2) on 13 October 2024
    assert run.start_utc == utc(2024, 10, 13, 7, 15, 0)
    assert (mill.sport, mill.surface) == (Sport.RUN, Surface.TREADMILL)
    assert mill.ascent_m is None  # "--"
    assert ride.sport is Sport.RIDE
    assert ride.avg_cadence_spm is None
    assert ride.distance_m == pytest.approx(12400.0)


def test_garmin_german_headers_and_dashes() -> None:
    text = "\n".join([GARMIN_DE, *GARMIN_DE_ROWS])
    check_german(parse_text(text, zone="Europe/Berlin"))


def test_garmin_german_saved_by_excel_as_utf16_with_tabs() -> None:
    rows = [next(csv.reader([line])) for line in [GARMIN_DE, *GARMIN_DE_ROWS]]
    text = "\r\n".join("\t".join(cells) for cells in rows) + "\r\n"
    data = text.encode("utf-16")
    assert data[:2] == b"\xff\xfe"
    check_german(parse(data, ctx("Activities.csv", "Europe/Berlin")))
    # and through the format sniffing every importer goes through
    check_german(parse_bytes(data, ctx("Activities.csv", "Europe/Berlin")))


def test_garmin_german_semicolons_and_decimal_commas() -> None:
    rows = [next(csv.reader([line])) for line in [GARMIN_DE, *GARMIN_DE_ROWS]]
    for cells in rows[1:]:
        for i in (4, 15):  # Distanz, Ø Schrittlänge
            cells[i] = cells[i].replace(".", ",")
    rows[1][13] = "1.087"  # Anstieg gesamt with a thousands point: 1087 m
    text = "\n".join(";".join(cells) for cells in rows)
    parsed = parse_text(text, zone="Europe/Berlin", encoding="cp1252")
    assert parsed.activities[0].ascent_m == 1087.0
    rows[1][13] = "87"
    text = "\n".join(";".join(cells) for cells in rows)
    check_german(parse_text(text, zone="Europe/Berlin", encoding="cp1252"))


def test_garmin_decimal_commas_in_a_comma_separated_file() -> None:
    text = (
        "Activity Type,Date,Favorite,Title,Distance,Calories,Time,Avg Pace,Total Ascent\n"
        'Running,2026-04-18 10:03:35,false,"Run","7,25","315","00:29:00","4:00","28"\n'
    )
    assert parse_text(text).activities[0].distance_m == pytest.approx(7250.0)


def test_garmin_french_export() -> None:
    text = (
        "Type d'activité,Date,Favori,Titre,Distance,Calories,Durée,"
        "Cadence de course moyenne,Allure moyenne,Ascension totale,Descente totale,"
        "Longueur moyenne des foulées,Pas,Température minimale,Temps de déplacement,Temps écoulé\n"
        # 4404 pas x 0.90 m / 3.95 = 1003 m per unit: km
        'Course à pied,2026-08-10 10:52:21,false,"Sortie du matin","3.95","407","00:35:20",'
        '"121","8:57","7","5","0.90","4,404","\'-12","00:35:08","00:36:00"\n'
        'Trail,2026-08-12 08:00:00,false,"Sentiers","12.30","900","01:30:00","160","7:19",'
        '"650","640","1.05","10,543","--","01:25:00","01:40:00"\n'
        'Musculation,2026-06-20 10:04:15,false,"=1+1","0.00","540","00:57:59","--","--",'
        '"--","--","0.00","--","\'-17","00:50:21","00:58:00"\n'
    )
    parsed = parse_text(text, zone="Europe/Paris")
    assert parsed.warnings == []
    road, trail, gym = parsed.activities
    assert (road.sport, road.duration_s) == (Sport.RUN, 2120.0)
    assert road.distance_m == pytest.approx(3950.0)
    assert (trail.sport, trail.surface, trail.ascent_m) == (Sport.RUN, Surface.TRAIL, 650.0)
    assert gym.sport is Sport.OTHER
    assert gym.name == "=1+1"


@pytest.mark.parametrize(
    ("header", "kind"),
    [
        ("Tipo de actividad,Fecha,Título,Distancia,Tiempo,Ascenso total", "Carrera"),
        ("Tipo di attività,Data,Titolo,Distanza,Tempo,Ascesa totale", "Corsa"),
        ("Activiteittype,Datum,Titel,Afstand,Tijd,Totale stijging", "Hardlopen"),
        ("Aktivitätstyp,Datum,Titel,Distanz,Zeit,Anstieg gesamt", "Laufen"),
    ],
)
def test_garmin_other_languages(header: str, kind: str) -> None:
    # 5:00 per unit fits km and mi: the configured km decide
    parsed = parse_text(
        f"{header}\n{kind},2025-05-05 06:45:00,Mattina,8.00,00:40:00,120\n", units=Units.KM
    )
    (run,) = parsed.activities
    assert (run.sport, run.format, run.name) == (Sport.RUN, "garmin-csv", "Mattina")
    assert (run.distance_m, run.duration_s, run.ascent_m) == (8000.0, 2400.0, 120.0)
    assert run.start_utc == utc(2025, 5, 5, 6, 45, 0)


def test_garmin_text_in_number_column_skips_that_row_only() -> None:
    text = "\n".join(
        [
            "Activity Type,Date,Title,Distance,Time",
            "Running,2025-01-01 08:00:00,A,4.00,00:20:00",
            "Running,2025-01-02 08:00:00,B,four,00:20:00",
            "Running,2025-01-03 08:00:00,C,4.00,-00:20:00",
            "Running,2025-01-04 08:00:00,D,4.00,00:20:00",
        ]
    )
    parsed = parse_text(text)
    assert [a.name for a in parsed.activities] == ["A", "D"]
    assert parsed.warnings[0].startswith("distance unit not stated")  # 5:00 per unit: either
    assert parsed.warnings[1:] == [
        "row 2: Distance 'four' is not a number; row skipped",
        "row 3: Time '-00:20:00' is negative; row skipped",
    ]


def test_garmin_slashed_dates_day_first_when_a_day_exceeds_12() -> None:
    header = "Activity Type,Date,Title,Distance,Time\n"
    us = header + "Running,7/4/2020 15:36,A,4.00,00:20:00\n"
    assert parse_text(us).activities[0].start_local == datetime(2020, 7, 4, 15, 36)
    eu = us + "Running,25/4/2020 15:36,B,4.00,00:20:00\n"
    assert parse_text(eu).activities[0].start_local == datetime(2020, 4, 7, 15, 36)


# ---------------------------------------------------------------- manual log


def test_manual_log_date_only_starts_at_local_noon() -> None:
    parsed = parse_text(
        "date,distance_km,duration\n2026-03-10,8,0:44:00\n", zone="America/New_York"
    )
    (run,) = parsed.activities
    assert run.start_local == datetime(2026, 3, 10, 12, 0)
    assert run.start_utc == utc(2026, 3, 10, 16, 0)  # EDT (UTC-4) began 8 March 2026
    assert (run.sport, run.surface, run.format) == (Sport.RUN, Surface.UNKNOWN, "csv")
    assert (run.distance_m, run.duration_s, run.elapsed_s) == (8000.0, 2640.0, None)
    assert run.id == "20260310T160000Z"
    assert run.source == "log.csv#row1"


def test_manual_log_all_columns() -> None:
    text = "\n".join(
        [
            "Date,Distance_mi,Duration,Sport,Surface,Shoe,Name,Ascent_m",
            "2026-01-15 06:30,3.1,45:30,,treadmill,Ghost 15,Gym mill,0",
            "2026-01-16T06:30:00+02:00,6.2,1:05:00,trail run,,Speedgoat,Hills,310",
            "2026-01-17,2,,walk,grass,,=SUM(A1:A9),",
            "2026-01-18,1,,yoga,,,Stretch,",
            "2026-01-19,5,,run,sand,,Beach,",
        ]
    )
    parsed = parse_text(text, zone="Europe/Berlin")
    mill, hills, walk, yoga, beach = parsed.activities
    assert mill.start_utc == utc(2026, 1, 15, 5, 30)  # CET (UTC+1)
    assert mill.distance_m == pytest.approx(3.1 * MILE)  # 4988.97 m
    assert (mill.duration_s, mill.surface, mill.shoe, mill.name) == (
        2730.0,
        Surface.TREADMILL,
        "Ghost 15",
        "Gym mill",
    )
    # an explicit offset wins over the configured zone
    assert hills.start_utc == utc(2026, 1, 16, 4, 30)
    assert hills.start_local == datetime(2026, 1, 16, 6, 30)
    assert (hills.sport, hills.surface, hills.duration_s, hills.ascent_m) == (
        Sport.RUN,
        Surface.TRAIL,
        3900.0,
        310.0,
    )
    assert (walk.sport, walk.surface, walk.name) == (Sport.WALK, Surface.GRASS, "=SUM(A1:A9)")
    assert yoga.sport is Sport.OTHER
    assert beach.surface is Surface.UNKNOWN
    assert parsed.warnings == [
        "row 4: sport 'yoga' not known; listed as other",
        "row 5: surface 'sand' is not one of road, trail, track, treadmill, grass, mixed; "
        "surface left to the sport and name",
    ]


def test_manual_log_semicolons_decimal_commas_and_bom() -> None:
    text = "date;distance_km;duration;name\n2026-02-01;10,5;0:52:30;Läufchen\n"
    parsed = parse(b"\xef\xbb\xbf" + text.encode("utf-8"), ctx())
    (run,) = parsed.activities
    assert (run.distance_m, run.duration_s, run.name) == (10500.0, 3150.0, "Läufchen")
    # the same file as a Windows spreadsheet saves it (cp1252, no BOM)
    assert parse(text.encode("cp1252"), ctx()).activities[0].name == "Läufchen"


def test_manual_log_unreadable_rows_are_skipped_with_their_number() -> None:
    text = "\n".join(
        [
            "date,distance_km,duration",
            "2026-02-01,5,0:25:00",
            "2026-02-02,five,0:25:00",
            "2026-02-31,5,0:25:00",
            "",
            "2026-02-04,5,-0:25:00",
            "2026-02-05,-5,0:25:00",
            "2026-02-06,6,0:30:00",
        ]
    )
    parsed = parse_text(text)
    assert [a.start_local.day for a in parsed.activities] == [1, 6]
    # the blank line is not a data row, so the last one is row 6
    assert [a.source for a in parsed.activities] == ["log.csv#row1", "log.csv#row6"]
    assert parsed.warnings == [
        "row 2: distance_km 'five' is not a number; row skipped",
        "row 3: date '2026-02-31' is not a date; row skipped",
        "row 4: duration '-0:25:00' is negative; row skipped",
        "row 5: distance_km '-5' is negative; row skipped",
    ]


def test_a_file_whose_rows_all_fail_is_corrupt() -> None:
    with pytest.raises(CorruptFileError, match="none of its 2 rows could be read"):
        parse_text("date,distance_km\nyesterday,5\ntoday,6\n")


def test_header_only_file_imports_nothing_and_says_so() -> None:
    # every file yields activities or a one-line reason (the second campaign found
    # header-only CSVs skipped in silence)
    with pytest.raises(NotAnActivityError, match="only a header, no rows: nothing to import"):
        parse_text("date,distance_km,duration\n")


# ---------------------------------------------------------------- not ours


@pytest.mark.parametrize(
    "text",
    [
        "when,km\n2026-01-01,5\n",
        # a header cell holding a line break must not break the one-line reason
        'when,"k\nm"\n2026-01-01,5\n',
        # a Strava export cut down to no Distance column at all
        "Activity ID,Activity Date,Activity Name,Activity Type\n"
        '1,"May 1, 2026, 1:00:00 PM",x,Run\n',
    ],
)
def test_unrecognised_csv_names_the_expected_columns(text: str) -> None:
    with pytest.raises(UnsupportedFormatError) as caught:
        parse_text(text)
    message = str(caught.value)
    if text.startswith("Activity ID"):
        # a Strava header missing one column: that column, named as this export names it
        assert message.startswith(
            "looks like a Strava activities.csv in English but has no distance ('Distance') column"
        )
    else:
        for expected in (
            "date",
            "distance_km",
            "distance_mi",
            "Activity Date",
            "Activity ID",
            "Activity Type",
            "Distance",
            "languages",
        ):
            assert expected in message
    assert "\n" not in message
    assert f"found: '{text.split(',')[0]}'" in message


def test_unrecognised_danish_list_names_the_missing_column_in_danish() -> None:
    with pytest.raises(UnsupportedFormatError) as caught:
        parse_text("Aktivitetstype,Dato,Titel\nLøb,2025-10-31 15:51:00,Skanderborg Løb\n")
    assert str(caught.value).startswith(
        "looks like a Garmin Activities.csv in Danish but has no distance ('Distance') column"
    )


def test_empty_file_is_unsupported() -> None:
    with pytest.raises(UnsupportedFormatError, match="empty"):
        parse(b"\r\n  \r\n", ctx())


# ---------------------------------------------------------------- cells


def test_numbers_with_thousands_and_decimal_marks() -> None:
    assert number("1,234.5", False, "x") == 1234.5
    assert number("1.234,5", True, "x") == 1234.5
    assert number("1 234,5", True, "x") == 1234.5
    assert number("'-12", False, "x", minimum=None) == -12.0
    assert number("--", False, "x") is None
    assert number("5e-05", False, "x") == pytest.approx(0.00005)
    # a decimal comma in a decimal-point file is refused, not read as 15
    with pytest.raises(CellError):
        number("1,5", False, "x")
    with pytest.raises(CellError, match="out of range"):
        number("1e999", False, "x")


def test_durations() -> None:
    assert duration("1:02:03", False, "t") == 3723.0
    assert duration("75:30", False, "t") == 4530.0
    assert duration("00:02:15.3", False, "t") == pytest.approx(135.3)
    assert duration("00:02:15,3", True, "t") == pytest.approx(135.3)
    assert duration("1800.0", False, "t") == 1800.0
    for bad in ("1:75:00", "0:10:60", "1:2:3:4", "ab:cd"):
        with pytest.raises(CellError):
            duration(bad, False, "t")


def test_every_activity_is_valid(strava: ParsedFile) -> None:
    # round-trip through the cache record keeps every field
    for activity in strava.activities:
        assert Activity.from_record(activity.to_record()) == activity


def test_an_oversized_cell_is_a_clear_error_not_a_crash() -> None:
    text = 'date,distance_km,name\n2026-01-01,5,"' + "x" * 200_000 + '"\n'
    with pytest.raises(CorruptFileError, match="unreadable CSV"):
        parse_text(text)


@settings(max_examples=300, deadline=None)
@given(
    header=st.sampled_from([STRAVA_HEADER, GARMIN_EN, GARMIN_DE, "date,distance_km,duration"]),
    body=st.binary(max_size=400),
)
def test_any_bytes_after_a_known_header_give_rows_or_a_clear_error(
    header: str, body: bytes
) -> None:
    try:
        parsed = parse(header.encode() + b"\n" + body, ctx())
    except LoadwatchError as exc:
        assert "\n" not in str(exc)
        return
    for activity in parsed.activities:
        assert activity.start_utc.tzinfo is UTC
    assert all("\n" not in warning for warning in parsed.warnings)
