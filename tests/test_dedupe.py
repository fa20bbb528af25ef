"""The same run from several sources is one activity."""

from __future__ import annotations

import random

from helpers.activities import make_activity

from loadwatch.ingest.dedupe import merge_duplicates
from loadwatch.model import Sport, Surface


def test_fit_and_its_strava_row_merge_keeping_fit_numbers_and_csv_gear() -> None:
    fit = make_activity(
        "2026-05-03 07:00:00",
        10.02,
        source="export/activities/1.fit.gz",
        ascent_m=52.0,
        device="garmin fr955",
    )
    row = make_activity(
        "2026-05-03 07:00:00",
        10.0,
        format="strava-csv",
        source="export/activities.csv#row4",
        name="Sunday long run",
        shoe="Pegasus 40",
        surface=Surface.TRAIL,
        linked_file="export/activities/1.fit.gz",
        ascent_m=None,
    )
    (merged,) = merge_duplicates([row, fit])
    assert merged.source == "export/activities/1.fit.gz"
    assert merged.distance_m == 10020.0
    assert merged.ascent_m == 52.0
    assert (merged.name, merged.shoe) == ("Sunday long run", "Pegasus 40")
    assert merged.surface is Surface.TRAIL  # the FIT said nothing about surface
    assert merged.merged_sources == ("export/activities.csv#row4",)


def test_same_run_as_fit_and_gpx_two_minutes_apart_merges() -> None:
    fit = make_activity("2026-05-03 07:00:00", 8.0, source="watch/a.fit")
    gpx = make_activity("2026-05-03 07:02:00", 8.2, source="phone/a.gpx", format="gpx")
    (merged,) = merge_duplicates([gpx, fit])
    assert merged.source == "watch/a.fit" and merged.merged_sources == ("phone/a.gpx",)


def test_different_runs_stay_apart() -> None:
    morning = make_activity("2026-05-03 07:00:00", 8.0, source="a.fit")
    later = make_activity("2026-05-03 07:04:00", 8.0, source="b.fit")  # outside 3 minutes
    shorter = make_activity("2026-05-03 07:01:00", 5.0, source="c.fit")  # distance differs
    ride = make_activity("2026-05-03 07:00:30", 8.0, source="d.fit", sport=Sport.RIDE)
    merged = merge_duplicates([morning, later, shorter, ride])
    assert len(merged) == 4
    assert len({a.id for a in merged}) == 4  # same-second starts get distinct ids


def test_exact_copies_merge_and_the_first_path_wins_whatever_the_order() -> None:
    copies = [make_activity("2026-05-03 07:00:00", 8.0, source=f"{d}/run.fit") for d in "cab"]
    for _ in range(5):
        random.shuffle(copies)
        (merged,) = merge_duplicates(copies)
        assert merged.source == "a/run.fit"
        assert merged.merged_sources == ("b/run.fit", "c/run.fit")


def test_linked_row_merges_even_when_start_differs_by_more_than_the_window() -> None:
    fit = make_activity("2026-05-03 07:00:00", 8.0, source="s/activities/9.fit.gz")
    row = make_activity(
        "2026-05-03 07:10:00",
        8.0,
        format="strava-csv",
        source="s/activities.csv#row1",
        linked_file="s/activities/9.fit.gz",
    )
    assert len(merge_duplicates([fit, row])) == 1


def test_indoor_activities_without_distance_compare_by_duration() -> None:
    a = make_activity("2026-05-03 07:00:00", None, duration_s=1800.0, source="a.fit")
    b = make_activity("2026-05-03 07:00:20", None, duration_s=1810.0, source="b.tcx", format="tcx")
    c = make_activity("2026-05-03 07:00:40", 6.0, source="c.gpx", format="gpx")
    merged = merge_duplicates([a, b, c])
    assert [m.source for m in merged] == ["a.fit", "c.gpx"]


def test_same_second_start_merges_even_when_a_reexport_measures_differently() -> None:
    fit = make_activity("2020-06-01 14:52:40", 0.668, source="ride.fit", sport=Sport.RIDE)
    gpx = make_activity(
        "2020-06-01 14:52:40", 0.900, source="ride.gpx", format="gpx", sport=Sport.RIDE
    )
    (merged,) = merge_duplicates([gpx, fit])
    assert merged.source == "ride.fit" and merged.distance_m == 668.0


def test_sessions_of_one_multisport_file_never_merge() -> None:
    transition = make_activity("2015-08-29 11:14:16", 0.004, source="tri.fit", sport=Sport.OTHER)
    run = make_activity("2015-08-29 11:14:21", 12.7, source="tri.fit")
    rows = [
        make_activity(
            "2021-04-01 12:00:00", 0.0, format="csv", source=f"log.csv#row{i}", sport=Sport.OTHER
        )
        for i in (1, 2)
    ]
    assert len(merge_duplicates([transition, run, *rows])) == 4
