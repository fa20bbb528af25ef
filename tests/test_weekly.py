"""The weekly mileage table, the daily series and the display records, by hand."""

from __future__ import annotations

import json
import math
from datetime import date

import pandas as pd
import pytest
from helpers.activities import daily_runs, make_activity

from loadwatch import weekly
from loadwatch.model import Sport, Surface
from loadwatch.units import METRES_PER_MILE

AS_OF = date(2024, 1, 24)  # a Wednesday


def _scenario() -> list:
    return [
        make_activity("2024-01-01 07:00", 10.0, surface=Surface.ROAD, ascent_m=50.0),
        make_activity("2024-01-03 07:00", 5.0, surface=Surface.TRAIL, ascent_m=120.0),
        make_activity("2024-01-07 18:00", 12.0),
        # nothing in the week of 2024-01-08
        make_activity("2024-01-15 07:00", 8.0, surface=Surface.TRACK),
        make_activity("2024-01-16 12:00", 4.0, sport=Sport.WALK),
        make_activity("2024-01-23 07:00", 6.0, surface=Surface.TREADMILL),
        make_activity("2024-01-25 07:00", 30.0),  # after as_of
    ]


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    return weekly.build_weekly(_scenario(), AS_OF)


def test_one_row_per_week_from_first_run_to_as_of(table: pd.DataFrame) -> None:
    assert list(table.columns) == list(weekly.COLUMNS)
    assert list(table["week_start"]) == [
        date(2024, 1, 1),
        date(2024, 1, 8),
        date(2024, 1, 15),
        date(2024, 1, 22),
    ]


def test_totals_per_week(table: pd.DataFrame) -> None:
    assert list(table["runs"]) == [3, 0, 1, 1]  # the walk and the run after as_of are ignored
    assert list(table["distance_m"]) == [27000.0, 0.0, 8000.0, 6000.0]
    assert list(table["longest_run_m"]) == [12000.0, 0.0, 8000.0, 6000.0]
    assert list(table["ascent_m"]) == [170.0, 0.0, 0.0, 0.0]
    # make_activity's default pace is 330 s/km
    assert list(table["duration_s"]) == [27 * 330.0, 0.0, 8 * 330.0, 6 * 330.0]


def test_distance_per_surface(table: pd.DataFrame) -> None:
    first = table.iloc[0]
    assert (first["road_m"], first["trail_m"], first["unknown_m"]) == (10000.0, 5000.0, 12000.0)
    assert first["track_m"] == first["treadmill_m"] == first["grass_m"] == first["mixed_m"] == 0
    assert table.iloc[2]["track_m"] == 8000.0
    assert table.iloc[3]["treadmill_m"] == 6000.0
    surfaces = table[list(weekly.SURFACE_COLUMNS)].sum(axis=1)
    assert list(surfaces) == list(table["distance_m"])


def test_change_is_null_after_an_empty_week(table: pd.DataFrame) -> None:
    change = list(table["change_pct"])
    assert math.isnan(change[0])  # no previous week
    assert change[1] == -100.0
    assert math.isnan(change[2])  # previous week is zero
    assert change[3] == pytest.approx(-25.0)


def test_rolling_four_week_mean(table: pd.DataFrame) -> None:
    expected_km = [27.0, 27.0 / 2, 35.0 / 3, 41.0 / 4]
    assert list(table["rolling_4wk_m"]) == pytest.approx([km * 1000 for km in expected_km])


def test_only_the_week_holding_as_of_is_partial(table: pd.DataFrame) -> None:
    assert list(table["partial"]) == [False, False, False, True]
    on_sunday = weekly.build_weekly(_scenario(), date(2024, 1, 28))
    assert not on_sunday["partial"].any()


def test_sunday_2330_local_stays_in_that_week() -> None:
    # 23:30 in New York on Sunday 7 January is 04:30 UTC on Monday 8 January
    late = make_activity("2024-01-07 23:30", 5.0, zone="America/New_York")
    assert late.start_utc.date() == date(2024, 1, 8)
    table = weekly.build_weekly([late], date(2024, 1, 14))
    assert list(table["week_start"]) == [date(2024, 1, 1), date(2024, 1, 8)]
    assert list(table["runs"]) == [1, 0]


def test_sunday_start_weeks() -> None:
    runs = [
        make_activity("2024-01-06 09:00", 4.0),  # Saturday
        make_activity("2024-01-07 09:00", 6.0),  # Sunday: opens the next week
    ]
    table = weekly.build_weekly(runs, date(2024, 1, 13), week_start="sunday")
    assert list(table["week_start"]) == [date(2023, 12, 31), date(2024, 1, 7)]
    assert list(table["distance_m"]) == [4000.0, 6000.0]
    assert list(table["partial"]) == [False, False]  # 13 January is a Saturday


def test_dst_week_in_london() -> None:
    # Clocks went forward at 01:00 on Sunday 31 March 2024: the week has 167 hours.
    runs = [
        make_activity("2024-03-25 07:00", 5.0, zone="Europe/London"),
        make_activity("2024-03-31 23:30", 7.0, zone="Europe/London"),  # 22:30 UTC
        make_activity("2024-04-01 00:30", 9.0, zone="Europe/London"),  # 23:30 UTC Sunday
    ]
    assert runs[2].start_utc.date() == date(2024, 3, 31)
    table = weekly.build_weekly(runs, date(2024, 4, 7))
    assert list(table["week_start"]) == [date(2024, 3, 25), date(2024, 4, 1)]
    assert list(table["distance_m"]) == [12000.0, 9000.0]


def test_no_runs_gives_an_empty_table_with_the_columns() -> None:
    table = weekly.build_weekly([make_activity("2024-01-01 07:00", 20.0, sport=Sport.RIDE)], AS_OF)
    assert table.empty
    assert list(table.columns) == list(weekly.COLUMNS)
    assert weekly.to_display(table, "km") == []


def test_runs_without_distance_count_as_runs() -> None:
    runs = [make_activity("2024-01-01 07:00", None), make_activity("2024-01-02 07:00", 5.0)]
    table = weekly.build_weekly(runs, date(2024, 1, 7))
    assert list(table["runs"]) == [2]
    assert list(table["distance_m"]) == [5000.0]


def test_daily_distance_sums_days_and_zeros_rest_days() -> None:
    runs = [
        make_activity("2024-01-02 07:00", 5.0),
        make_activity("2024-01-02 18:00", 3.0),
        make_activity("2024-01-04 07:00", 10.0),
    ]
    daily = weekly.daily_distance(runs, date(2024, 1, 1), date(2024, 1, 5))
    assert list(daily.index.date) == [date(2024, 1, d) for d in range(1, 6)]
    assert list(daily) == [0.0, 8000.0, 0.0, 10000.0, 0.0]


def test_acwr_hidden_until_28_days_then_one_for_steady_running() -> None:
    runs = daily_runs("2024-01-01", 35, 5.0)
    table = weekly.build_weekly(runs, date(2024, 2, 4))
    acwr = list(table["acwr"])
    # week ends fall on days 7, 14, 21 (too early), then 28 and 35 of data
    assert all(math.isnan(value) for value in acwr[:3])
    assert acwr[3:] == pytest.approx([1.0, 1.0])


def test_acwr_after_a_step_up_is_the_rolling_means_by_hand() -> None:
    # 35 days of 5 km, then 7 days of 15 km: on the last day the 7 days average 15 km,
    # the 21 days before them 5 km
    runs = daily_runs("2024-01-01", 35, 5.0) + daily_runs("2024-02-05", 7, 15.0)
    table = weekly.build_weekly(runs, date(2024, 2, 11))
    assert table["acwr"].iloc[-1] == pytest.approx(15 / 5)


def test_acwr_of_the_current_week_is_taken_on_as_of() -> None:
    # on Wednesday 7 February: the last 7 days are four days of 5 km and three of 15 km
    runs = daily_runs("2024-01-01", 35, 5.0) + daily_runs("2024-02-05", 3, 15.0)
    table = weekly.build_weekly(runs, date(2024, 2, 7))
    assert table["acwr"].iloc[-1] == pytest.approx(((4 * 5 + 3 * 15) / 7) / 5)


def test_display_records_in_miles() -> None:
    runs = [make_activity("2024-01-01 07:00", METRES_PER_MILE * 10 / 1000, surface=Surface.ROAD)]
    records = weekly.to_display(weekly.build_weekly(runs, date(2024, 1, 10)), "mi")
    assert records[0] == {
        "week_start": "2024-01-01",
        "runs": 1,
        "distance_mi": 10.0,
        "duration_s": pytest.approx(10 * METRES_PER_MILE * 0.33, abs=0.5),
        "ascent_ft": 0.0,  # climb in feet for miles
        "longest_run_mi": 10.0,
        "road_mi": 10.0,
        "trail_mi": 0.0,
        "track_mi": 0.0,
        "treadmill_mi": 0.0,
        "grass_mi": 0.0,
        "mixed_mi": 0.0,
        "unknown_mi": 0.0,
        "change_pct": None,
        "rolling_4wk_mi": 10.0,
        "acwr": None,
        "partial": False,
    }
    assert records[1]["distance_mi"] == 0.0
    assert records[1]["change_pct"] == -100.0
    assert records[1]["partial"] is True
    assert type(records[1]["runs"]) is int
    json.dumps(records)  # plain Python values only


def test_display_records_in_kilometres() -> None:
    records = weekly.to_display(weekly.build_weekly(_scenario(), AS_OF), "km")
    assert [r["distance_km"] for r in records] == [27.0, 0.0, 8.0, 6.0]
    assert records[3]["rolling_4wk_km"] == 10.25
    assert "distance_m" not in records[0]
