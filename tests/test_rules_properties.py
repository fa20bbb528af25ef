"""Properties of the weekly table and the rules over generated run histories."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta
from random import Random

import pytest
from helpers.activities import make_activity
from hypothesis import given, settings
from hypothesis import strategies as st

from loadwatch import weekly
from loadwatch.model import Activity, Surface
from loadwatch.rules import evaluate

FIRST_DAY = datetime(2024, 1, 1)
ZONES = ("UTC", "Europe/London", "America/New_York", "Asia/Tokyo")


@st.composite
def histories(draw: st.DrawFn, max_runs: int = 40) -> list[Activity]:
    runs = []
    for _ in range(draw(st.integers(0, max_runs))):
        start = FIRST_DAY + timedelta(
            days=draw(st.integers(0, 120)), minutes=draw(st.integers(0, 24 * 60 - 1))
        )
        runs.append(
            make_activity(
                start,
                draw(st.floats(0.5, 35.0, allow_nan=False)),
                surface=draw(st.sampled_from(list(Surface))),
                zone=draw(st.sampled_from(ZONES)),
            )
        )
    return runs


as_of_dates = st.integers(0, 130).map(lambda d: (FIRST_DAY + timedelta(days=d)).date())
week_starts = st.sampled_from(["monday", "sunday"])
fast = settings(max_examples=40, deadline=None)


@fast
@given(histories(), as_of_dates, week_starts)
def test_each_run_lands_in_exactly_one_week(runs, as_of, week_start) -> None:
    table = weekly.build_weekly(runs, as_of, week_start)
    counted = [r for r in runs if r.start_local.date() <= as_of]
    expected = Counter(weekly.week_start_of(r.start_local.date(), week_start) for r in counted)
    got = {w: n for w, n in zip(table["week_start"], table["runs"], strict=True) if n}
    assert got == dict(expected)
    assert int(table["runs"].sum()) == len(counted)


@fast
@given(histories(), as_of_dates, week_starts)
def test_weekly_distances_sum_to_the_total(runs, as_of, week_start) -> None:
    table = weekly.build_weekly(runs, as_of, week_start)
    total = sum(r.distance_m or 0.0 for r in runs if r.start_local.date() <= as_of)
    assert table["distance_m"].sum() == pytest.approx(total)
    by_surface = table[list(weekly.SURFACE_COLUMNS)].sum(axis=1)
    assert list(by_surface) == pytest.approx(list(table["distance_m"]))


@fast
@given(histories(), as_of_dates, week_starts)
def test_weeks_are_consecutive_and_end_at_as_of(runs, as_of, week_start) -> None:
    table = weekly.build_weekly(runs, as_of, week_start)
    if table.empty:
        return
    starts = list(table["week_start"])
    assert all(b - a == timedelta(days=7) for a, b in zip(starts, starts[1:], strict=False))
    assert starts[-1] == weekly.week_start_of(as_of, week_start)
    assert list(table["partial"]).count(True) <= 1


@fast
@given(
    st.lists(st.floats(0.0, 80.0, allow_nan=False), min_size=1, max_size=12),
    st.integers(0, 6),
)
def test_no_weekly_increase_when_distance_never_rises(weekly_km, weekday) -> None:
    # one run a week on the same weekday, each week no longer than the one before
    kms = sorted(weekly_km, reverse=True)
    runs = [
        make_activity(FIRST_DAY + timedelta(weeks=i, days=weekday, hours=7), km)
        for i, km in enumerate(kms)
    ]
    as_of = (FIRST_DAY + timedelta(weeks=len(kms))).date()
    assert [f for f in evaluate(runs, as_of) if f.rule == "weekly-increase"] == []


@settings(max_examples=40, deadline=None)
@given(histories(max_runs=30), as_of_dates, week_starts, st.randoms(use_true_random=False))
def test_findings_do_not_depend_on_input_order(runs, as_of, week_start, rng: Random) -> None:
    shuffled = list(runs)
    rng.shuffle(shuffled)
    ordered = evaluate(runs, as_of, week_start=week_start)
    assert [f.to_dict() for f in evaluate(shuffled, as_of, week_start=week_start)] == [
        f.to_dict() for f in ordered
    ]


def test_input_order_does_not_matter_on_a_fixed_history() -> None:
    # a deterministic companion to the property above, with findings guaranteed
    runs = [make_activity(FIRST_DAY + timedelta(days=d, hours=7), 3.0 + d % 5) for d in range(40)]
    runs.append(make_activity(FIRST_DAY + timedelta(days=40, hours=7), 30.0))
    as_of = date(2024, 2, 15)
    expected = [f.to_dict() for f in evaluate(runs, as_of)]
    assert expected
    assert [f.to_dict() for f in evaluate(runs[::-1], as_of)] == expected
