"""Which shoe a run counts for, distance, status, forecasts and the report's shape."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest
from helpers.activities import make_activity

from loadwatch.config import Config
from loadwatch.ingest.importers.csv_strava_shoes import read_shoes_csv
from loadwatch.ingest.pipeline import import_folders
from loadwatch.model import Sport, Surface
from loadwatch.units import METRES_PER_MILE, parse_distance
from loadwatch.userdata.shoes import (
    PLAN,
    PLAN_AT_M,
    RETIRE,
    RETIRED,
    Registry,
    assign_runs,
    plan_mark,
    report_from_store,
    shoe_of,
    shoe_report,
    sync_gear,
)
from loadwatch.userdata.store import Assignment, Shoe, open_userdata

SHOE_KEYS = [
    "name",
    "brand",
    "model",
    "runs",
    "distance_m",
    "first_run",
    "last_run",
    "age_days",
    "limit_m",
    "status",
    "projected_limit_date",
    "default_for",
    "retired_on",
]


def run(day: str, km: float = 10.0, **kw: object):  # type: ignore[no-untyped-def]
    return make_activity(f"{day}T07:00:00", km, **kw)


# ---------------------------------------------------------------------------
# assignment precedence


ROAD = Shoe("Road pair", in_service=date(2026, 1, 1), default_for="road")
ANY = Shoe("Any pair", in_service=date(2026, 1, 1), default_for="run")
SPARE = Shoe("Spare", in_service=date(2026, 1, 1))


def test_the_users_word_beats_the_gear_which_beats_the_defaults() -> None:
    by_activity = run("2026-02-02", shoe="Road pair", surface=Surface.ROAD)
    in_range = run("2026-02-03", shoe="Road pair", surface=Surface.ROAD)
    gear = run("2026-02-04", shoe="  road PAIR ", surface=Surface.TRAIL)
    road = run("2026-02-05", surface=Surface.ROAD)
    trail = run("2026-02-06", surface=Surface.TRAIL)
    registry = Registry(
        (ROAD, ANY, SPARE),
        (
            Assignment("Spare", activity_id=by_activity.id, seq=3),
            # overlapping ranges: the most recent (highest seq) wins
            Assignment("Any pair", first=date(2026, 2, 3), last=date(2026, 2, 3), seq=2),
            Assignment("Spare", first=date(2026, 2, 1), last=date(2026, 2, 3), seq=1),
        ),
    )
    chosen = assign_runs([by_activity, in_range, gear, road, trail], registry)
    assert chosen == {
        by_activity.id: "Spare",
        in_range.id: "Any pair",
        gear.id: "Road pair",
        road.id: "Road pair",
        trail.id: "Any pair",
    }


def test_the_only_pair_in_service_else_unassigned() -> None:
    early = Shoe("Early", in_service=date(2026, 1, 1), retired_on=date(2026, 1, 31))
    late = Shoe("Late", in_service=date(2026, 1, 20))
    runs = [run("2026-01-10"), run("2026-01-25"), run("2026-01-31"), run("2026-02-01")]
    chosen = assign_runs(runs, Registry((early, late)))
    assert list(chosen.values()) == ["Early", None, None, "Late"]


def test_a_retired_default_no_longer_takes_runs() -> None:
    old = Shoe("Old", in_service=date(2025, 6, 1), retired_on=date(2026, 1, 31), default_for="run")
    new = Shoe("New", in_service=date(2026, 1, 15), default_for="run")
    runs = [run("2026-01-10"), run("2026-01-20"), run("2026-02-01")]
    # on 2026-01-20 both are defaults in service: the newer pair wins
    assert list(assign_runs(runs, Registry((old, new))).values()) == ["Old", "New", "New"]


def test_gear_wins_even_for_a_retired_pair_and_matches_old_names() -> None:
    renamed = Shoe(
        "Peg blue", in_service=date(2026, 1, 1), retired_on=date(2026, 1, 5), aliases=("Pegasus",)
    )
    runs = [run("2026-03-01", shoe="PEGASUS")]
    assert assign_runs(runs, Registry((renamed, ANY))) == {runs[0].id: "Peg blue"}


# ---------------------------------------------------------------------------
# the report


def test_json_has_exactly_the_documented_keys_and_unassigned_runs() -> None:
    runs = [run("2026-03-02", 8.0, shoe="A"), run("2026-03-03", 6.5), run("2026-03-04", 3.0)]
    report = shoe_report(
        runs, Registry((Shoe("B", in_service=date(2026, 3, 1)), Shoe("C"))), date(2026, 3, 31)
    )
    data = report.to_dict()
    assert list(data) == ["shoes", "unassigned"]
    assert data["unassigned"] == {"runs": 2, "distance_m": 9500.0}
    for row in data["shoes"]:
        assert list(row) == SHOE_KEYS
    by_name = {row["name"]: row for row in data["shoes"]}
    assert by_name["A"]["runs"] == 1 and by_name["A"]["distance_m"] == 8000.0
    assert by_name["B"]["runs"] == 0 and by_name["B"]["first_run"] is None


def test_walks_and_rides_never_count() -> None:
    activities = [
        run("2026-03-02", 8.0, shoe="A"),
        run("2026-03-03", 30.0, shoe="Canyon", sport=Sport.RIDE),
        run("2026-03-04", 4.0, shoe="A", sport=Sport.WALK),
    ]
    report = shoe_report(activities, Registry(), date(2026, 3, 31))
    assert [(r.shoe.name, r.runs, r.distance_m) for r in report.rows] == [("A", 1, 8000.0)]
    assert report.unassigned_runs == 0


def test_status_thresholds_count_the_start_distance() -> None:
    as_of = date(2026, 3, 31)
    # 300 mi exactly, 10 km of it run: plan
    at_plan = Shoe("At plan", start_distance_m=PLAN_AT_M - 10_000.0)
    below = Shoe("Below", start_distance_m=PLAN_AT_M - 10_000.1)
    at_limit = Shoe("At limit", start_distance_m=500 * METRES_PER_MILE - 10_000.0)
    gone = Shoe("Gone", start_distance_m=600 * METRES_PER_MILE, retired_on=as_of)
    runs = [
        run("2026-03-01", shoe="At plan"),
        run("2026-03-02", shoe="Below"),
        run("2026-03-03", shoe="At limit"),
        run("2026-03-04", shoe="Gone"),
    ]
    report = shoe_report(runs, Registry((at_plan, below, at_limit, gone)), as_of)
    assert [(r.shoe.name, r.status) for r in report.rows] == [
        ("At limit", RETIRE),
        ("At plan", PLAN),
        ("Below", "ok"),
        ("Gone", RETIRED),
    ]
    assert report.rows[0].distance_m == pytest.approx(500 * METRES_PER_MILE)
    assert report.meets("plan") and report.meets("retire")
    assert [r.shoe.name for r in report.due().rows] == ["At limit", "At plan"]
    # a pair retired after as_of is still in use on as_of
    later = shoe_report(runs, Registry((replace(gone, retired_on=date(2026, 4, 1)),)), as_of)
    assert later.rows[0].status == RETIRE


def test_a_configured_planning_mark_moves_plan() -> None:
    assert plan_mark({}) == PLAN_AT_M
    assert plan_mark({"shoe-mileage": {"plan_mi": 250}}) == pytest.approx(250 * METRES_PER_MILE)
    report = shoe_report(
        [run("2026-03-01", 5.0, shoe="A")], Registry(), date(2026, 3, 31), plan_at_m=5_000.0
    )
    assert report.rows[0].status == PLAN
    assert not report.meets("retire")


def test_forecast_at_the_last_eight_weeks_rate() -> None:
    as_of = date(2026, 3, 31)
    # The window is the 56 days 2026-02-04 .. 2026-03-31. The 20 km on 02-03 counts
    # towards the distance but not the rate: 7 x 5 km = 35 km in 56 days = 0.625 km/day.
    # Total 55 km, limit 100 km: 45 km to go / 0.625 = 72 days -> 2026-06-11.
    shoe = Shoe("Pair", in_service=date(2025, 12, 1), limit_m=100_000.0)
    runs = [run("2026-02-03", 20.0, shoe="Pair")] + [
        run(day, 5.0, shoe="Pair")
        for day in (
            "2026-02-04",
            "2026-02-20",
            "2026-03-01",
            "2026-03-10",
            "2026-03-20",
            "2026-03-25",
            "2026-03-31",
        )
    ]
    (row,) = shoe_report(runs, Registry((shoe,)), as_of).rows
    assert row.distance_m == 55_000.0
    assert row.projected_limit_date == date(2026, 6, 11)
    assert row.age_days == (as_of - date(2025, 12, 1)).days == 120
    assert (row.first_run, row.last_run) == (date(2026, 2, 3), date(2026, 3, 31))


def test_forecast_of_a_young_pair_uses_only_its_days() -> None:
    # In service 2026-03-18: 14 days to 03-31; 21 km / 14 = 1.5 km/day; 79 km to go
    # -> 52.67, rounded up to 53 days -> 2026-05-23.
    shoe = Shoe("Young", in_service=date(2026, 3, 18), limit_m=100_000.0)
    runs = [run(d, 7.0, shoe="Young") for d in ("2026-03-18", "2026-03-25", "2026-03-30")]
    (row,) = shoe_report(runs, Registry((shoe,)), date(2026, 3, 31)).rows
    assert row.projected_limit_date == date(2026, 5, 23)


def test_no_forecast_without_recent_runs_or_once_retired() -> None:
    idle = Shoe("Idle", in_service=date(2025, 1, 1))
    retired = Shoe("Retired", in_service=date(2025, 1, 1), retired_on=date(2026, 1, 1))
    runs = [run("2025-06-01", shoe="Idle"), run("2025-06-02", shoe="Retired")]
    rows = {
        r.shoe.name: r for r in shoe_report(runs, Registry((idle, retired)), date(2026, 3, 31)).rows
    }
    assert rows["Idle"].projected_limit_date is None
    assert rows["Retired"].projected_limit_date is None
    assert rows["Retired"].age_days == (date(2026, 1, 1) - date(2025, 1, 1)).days
    assert rows["Idle"].age_days == (date(2026, 3, 31) - date(2025, 1, 1)).days


def test_a_pair_at_its_limit_shows_the_day_it_got_there() -> None:
    shoe = Shoe("Worn", limit_m=25_000.0)
    runs = [run(d, 10.0, shoe="Worn") for d in ("2026-03-01", "2026-03-05", "2026-03-09")]
    (row,) = shoe_report(runs, Registry((shoe,)), date(2026, 3, 31)).rows
    assert row.status == RETIRE and row.projected_limit_date == date(2026, 3, 9)


def test_runs_after_as_of_are_ignored() -> None:
    runs = [run("2026-03-01", shoe="A"), run("2026-04-02", shoe="A")]
    (row,) = shoe_report(runs, Registry(), date(2026, 3, 31)).rows
    assert row.runs == 1


# ---------------------------------------------------------------------------
# Strava: gear names in activities.csv, and shoes.csv

STRAVA_HEADER = (
    "Activity ID,Activity Date,Activity Name,Activity Type,Elapsed Time,Distance,"
    "Activity Gear,Filename,Elapsed Time,Moving Time,Distance,Elevation Gain,Average Cadence"
)


def strava_row(n: int, when: str, kind: str, metres: float, gear: str) -> str:
    return (
        f'{n},"{when}",Run {n},{kind},3000,{metres / 1000:.2f},{gear},,3000.0,3000.0,'
        f"{metres:.1f},10.0,85"
    )


@pytest.fixture
def strava_export(tmp_path: Path) -> Path:
    folder = tmp_path / "export"
    folder.mkdir()
    rows = [
        STRAVA_HEADER,
        strava_row(1, "Jan 5, 2026, 8:00:00 AM", "Run", 10000.0, "Pegasus 40"),
        strava_row(2, "Jan 7, 2026, 8:00:00 AM", "Run", 12000.0, " pegasus  40 "),
        strava_row(3, "Jan 8, 2026, 8:00:00 AM", "Ride", 30000.0, "Canyon"),
        strava_row(4, "Jan 9, 2026, 8:00:00 AM", "Trail Run", 9000.0, "Speedgoat"),
        strava_row(5, "Jan 10, 2026, 8:00:00 AM", "Run", 5000.0, ""),
        strava_row(6, "Jan 3, 2026, 8:00:00 AM", "Run", 4000.0, "PEGASUS 40"),
    ]
    (folder / "activities.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return folder


def test_a_strava_export_creates_its_shoes_with_no_setup(
    tmp_path: Path, strava_export: Path
) -> None:
    home = tmp_path / "home"
    collection = import_folders([strava_export], config=Config(timezone="UTC"), home=home)
    report, created = report_from_store(home, collection.activities, date(2026, 1, 31))
    assert created == ["PEGASUS 40", "Speedgoat"]  # spelled as on the first run; no bike
    rows = {r.shoe.name: r for r in report.rows}
    pegasus = rows["PEGASUS 40"]
    assert (pegasus.runs, pegasus.distance_m) == (3, 26_000.0)
    assert pegasus.shoe.auto_created and pegasus.shoe.in_service == date(2026, 1, 3)
    assert (rows["Speedgoat"].runs, rows["Speedgoat"].distance_m) == (1, 9000.0)
    assert (report.unassigned_runs, report.unassigned_distance_m) == (1, 5000.0)
    # seen again, nothing new is created
    _, again = report_from_store(home, collection.activities, date(2026, 1, 31))
    assert again == []


def test_user_data_survives_deleting_the_cache(tmp_path: Path, strava_export: Path) -> None:
    home = tmp_path / "home"
    config = Config(timezone="UTC")
    collection = import_folders([strava_export], config=config, home=home)
    with open_userdata(home) as store:
        sync_gear(store, collection.activities)
        store.add_shoe("pegasus 40", limit_m=parse_distance("20km"))
        store.add_shoe("Spare", default_for="run", in_service=date(2026, 1, 1))
    for part in home.glob("cache.sqlite*"):
        part.unlink()
    collection = import_folders([strava_export], config=config, home=home)
    assert collection.summary.new == 1  # the cache really was rebuilt
    report, created = report_from_store(home, collection.activities, date(2026, 1, 31))
    assert created == []
    rows = {r.shoe.name: r for r in report.rows}
    assert rows["pegasus 40"].status == RETIRE
    assert rows["Spare"].runs == 1  # the run without gear, by default
    assert report.unassigned_runs == 0


def test_strava_shoes_csv() -> None:
    data = (
        b"Shoe Name,Shoe Brand,Shoe Model,Shoe Default Sport Types\n"
        b'Blue pair,Nike,Pegasus 40,"Run,Walk"\n'
        b",Hoka,Speedgoat 5,TrailRun\n"
        b",Saucony,Kinvara 14,\n"
        b",,,\n"
    )
    listed = [shoe_of(gear) for gear in read_shoes_csv(data)]
    assert [(s.name, s.brand, s.model, s.default_for, s.aliases) for s in listed] == [
        (
            "Blue pair",
            "Nike",
            "Pegasus 40",
            "run",
            ("Nike Pegasus 40", "Nike Pegasus 40 Blue pair"),
        ),
        ("Hoka Speedgoat 5", "Hoka", "Speedgoat 5", "trail", ()),
        ("Saucony Kinvara 14", "Saucony", "Kinvara 14", None, ()),
    ]


def test_not_a_shoes_csv() -> None:
    with pytest.raises(Exception, match="not a Strava shoes.csv"):
        read_shoes_csv(b"Bike Name,Bike Brand\nA,B\n")


def test_distances_need_a_unit() -> None:
    assert parse_distance("450mi") == pytest.approx(450 * METRES_PER_MILE)
    assert parse_distance("720 km") == 720_000.0
    assert parse_distance("40MI") == pytest.approx(40 * METRES_PER_MILE)
    with pytest.raises(Exception, match="not a distance with a unit"):
        parse_distance("450")


def test_forecast_is_whole_days_despite_float_noise() -> None:
    # two 1.1 km runs in the 56-day window: 2,200 m / 56 days. The pair stands exactly 24
    # days of that rate short of its 100 km limit, but in floating point the days come to
    # 24.000000000000053, which rounded up would forecast a day late.
    rate = 2200.0 / 56
    start = 100_000.0 - 24 * rate - 2200.0
    shoe = Shoe("Pair", in_service=date(2025, 1, 1), limit_m=100_000.0, start_distance_m=start)
    runs = [run("2026-03-10", 1.1, shoe="Pair"), run("2026-03-20", 1.1, shoe="Pair")]
    assert (100_000.0 - (start + 1100.0 + 1100.0)) / rate > 24  # the noise is real
    (row,) = shoe_report(runs, Registry((shoe,)), date(2026, 3, 31)).rows
    assert row.projected_limit_date == date(2026, 3, 31) + timedelta(days=24)
