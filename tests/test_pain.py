"""The pain diary's pure parts: entries, validation, episodes, "in pain", CSV, what changed."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from helpers.activities import make_activity
from hypothesis import given
from hypothesis import strategies as st

from loadwatch.cli.common import csv_text
from loadwatch.errors import UsageError
from loadwatch.model import Activity, Surface
from loadwatch.pain_review import what_changed
from loadwatch.units import METRES_PER_MILE, Units
from loadwatch.userdata.pain import PainEntry, episode_of, episodes, in_pain, validate
from loadwatch.userdata.pain_csv import csv_rows, parse_csv
from loadwatch.userdata.store import Shoe

D = date(2024, 1, 1)


def hurt(day: date, level: int = 3, **kw: object) -> PainEntry:
    values: dict[str, object] = {"where": "under", "when": "first-steps", **kw}
    return PainEntry(day, level, **values)  # type: ignore[arg-type]


def zero(day: date) -> PainEntry:
    return PainEntry(day, 0)


def day(n: int) -> date:
    return D + timedelta(days=n)


# -- validation ------------------------------------------------------------------


def test_validate_normalises_words_and_note() -> None:
    entry = validate(PainEntry(D, 4, " Under ", "FIRST-STEPS", "Left", note="  sore \n  again "))
    assert (entry.where, entry.when, entry.side, entry.note) == (
        "under",
        "first-steps",
        "left",
        "sore again",
    )


@pytest.mark.parametrize(
    ("entry", "reason"),
    [
        (PainEntry(D, 11, "under"), "from 0 to 10, not 11"),
        (PainEntry(D, -1, "under"), "from 0 to 10"),
        (PainEntry(D, 3), "say where it hurts"),
        (PainEntry(D, 3, "side"), "where must be one of under, back, both"),
        (PainEntry(D, 3, "under", "morning"), "when must be one of first-steps"),
        (PainEntry(D, 3, "under", side="middle"), "side must be one of left, right, both"),
        (PainEntry(D, 3, "under", note="x" * 501), "at most 500 characters"),
        (PainEntry(D, True, "under"), "whole number"),
    ],
)
def test_validate_refuses_bad_entries(entry: PainEntry, reason: str) -> None:
    with pytest.raises(UsageError, match=reason):
        validate(entry)


def test_a_zero_entry_needs_no_place_but_a_future_date_is_refused() -> None:
    assert validate(PainEntry(D, 0)).where is None
    with pytest.raises(UsageError, match="in the future"):
        validate(PainEntry(day(1), 2, "under"), today=D)
    assert validate(PainEntry(D, 2, "under"), today=D).day == D


def test_describe_reads_as_a_sentence_part() -> None:
    entry = PainEntry(D, 6, "back", "night", "left", swelling=True, cannot_bear_weight=True)
    assert entry.describe() == (
        "6/10 at the back of the heel at night (left foot), swelling, cannot bear weight"
    )


# -- in pain ---------------------------------------------------------------------


def test_in_pain_looks_back_14_days_including_the_day() -> None:
    entries = [hurt(day(0))]
    assert in_pain(entries, day(0)) == entries[0]
    assert in_pain(entries, day(13)) == entries[0]  # days 0..13 are the 14 days up to day 13
    assert in_pain(entries, day(14)) is None
    assert in_pain(entries, day(-1)) is None  # logged later than the day asked about


def test_a_zero_entry_ends_pain_at_once_and_same_day_order_counts() -> None:
    assert in_pain([hurt(day(0)), zero(day(3))], day(5)) is None
    assert in_pain([hurt(day(0)), zero(day(3)), hurt(day(4))], day(5)) is not None
    morning, evening = hurt(day(0), id=1), PainEntry(day(0), 0, id=2)
    assert in_pain([evening, morning], day(0)) is None  # the later entry of the day wins


# -- episodes --------------------------------------------------------------------


def test_thirteen_pain_free_days_keep_one_episode_fourteen_start_another() -> None:
    # days 1..13 have no pain: 13 pain-free days, still the same episode
    assert len(episodes([hurt(day(0)), hurt(day(14))])) == 1
    # days 1..14 have no pain: 14 pain-free days, so day 15 starts episode 2
    split = episodes([hurt(day(0)), hurt(day(15))])
    assert [(e.number, e.onset) for e in split] == [(1, day(0)), (2, day(15))]


def test_a_zero_entry_ends_an_episode_and_later_pain_starts_the_next() -> None:
    # a niggle of 2/10, then "no pain", then real pain three days later: two episodes,
    # so "what changed" looks at the weeks before the real pain began
    entries = [zero(day(-3)), hurt(day(0), 2), zero(day(2)), hurt(day(5), 6), zero(day(9))]
    first, second = episodes(entries)
    assert [e.day for e in first.entries] == [day(0), day(2)]
    assert [e.day for e in second.entries] == [day(5), day(9)]
    assert (second.onset, second.last_pain, second.peak, second.days) == (day(5), day(5), 6, 1)
    assert not first.ongoing(day(2)) and not second.ongoing(day(9))  # the last word is a 0
    assert second.ongoing(day(8))


def test_episodes_ignore_entries_after_as_of_and_are_numbered_in_order() -> None:
    entries = [hurt(day(40)), hurt(day(0)), hurt(day(20))]
    assert [e.onset for e in episodes(entries)] == [day(0), day(20), day(40)]
    assert [e.onset for e in episodes(entries, as_of=day(30))] == [day(0), day(20)]
    assert episode_of(entries, None, day(50)).number == 3
    assert episode_of(entries, 2, day(50)).onset == day(20)
    with pytest.raises(UsageError, match="no episode 4; episodes are numbered 1 to 3"):
        episode_of(entries, 4, day(50))
    with pytest.raises(UsageError, match="no pain above 0"):
        episode_of([zero(D)], None, D)


@given(st.lists(st.tuples(st.integers(0, 120), st.integers(0, 10)), max_size=40))
def test_episodes_hold_every_painful_entry_once_split_at_a_zero_or_14_free_days(
    logged: list[tuple[int, int]],
) -> None:
    entries = [
        PainEntry(day(n), level, "under" if level else None, id=i)
        for i, (n, level) in enumerate(logged, 1)
    ]
    found = episodes(entries)
    painful = sorted(e.id or 0 for e in entries if e.hurts)
    assert sorted(e.id or 0 for ep in found for e in ep.painful) == painful
    for before, after in zip(found, found[1:], strict=False):
        pain_free_days = (after.onset - before.last_pain).days - 1
        assert pain_free_days >= 14 or not before.entries[-1].hurts
        assert after.number == before.number + 1
    for episode in found:
        days = [e.day for e in episode.painful]
        assert all((b - a).days - 1 < 14 for a, b in zip(days, days[1:], strict=False))
        # no "no pain" entry between two painful ones of one episode
        levels = [e.level for e in episode.entries]
        last_painful = max(i for i, level in enumerate(levels) if level)
        assert 0 not in levels[:last_painful]


def test_episode_summary_says_ongoing_or_when_it_stopped() -> None:
    [episode] = episodes([hurt(day(0), 2), hurt(day(6), 5)])
    assert episode.summary(day(7)) == (
        "Episode 1: from 2024-01-01, up to 5/10, 2 painful entries over 7 days; still ongoing."
    )
    assert episode.summary(day(30)).endswith("last pain logged on 2024-01-07.")


# -- CSV -------------------------------------------------------------------------


def test_csv_round_trip_keeps_every_field_even_formula_like_notes() -> None:
    entries = [
        PainEntry(D, 3, "under", "first-steps", "left", note="=cmd|' /C calc'!A0", id=1),
        PainEntry(day(1), 0, id=2),
        PainEntry(day(2), 7, "back", "night", "both", True, True, 'stairs, "bad"', id=3),
    ]
    text = csv_text(csv_rows(entries))
    assert text.splitlines()[0] == (
        "id,date,level,where,when,side,swelling,cannot_bear_weight,note"
    )
    assert "'=cmd" in text  # defused for spreadsheets
    back = parse_csv(text.encode("utf-8"))
    assert back == [replace(e, id=None) for e in entries]


@pytest.mark.parametrize(
    "note", ["\uff1dcmd|' /C calc'!A0", "\uff0b1", "\uff201", " =1", "\u3000=1", "\t=1"]
)
def test_fullwidth_and_indented_formulas_are_defused_too(note: str) -> None:
    # spreadsheets read the fullwidth ＝ ＋ ＠ (East Asian input) as the ASCII signs
    entries = [PainEntry(D, 3, "under", note=note, id=1)]
    text = csv_text(csv_rows(entries))
    assert f"'{note}" in text
    # notes are stripped when entered, so the indented ones come back without the indent
    [back] = parse_csv(text.encode("utf-8"))
    assert back == replace(entries[0], id=None, note=note.strip())


def test_csv_import_takes_spreadsheet_spellings_and_names_the_bad_row() -> None:
    data = "\ufeffDate,Level,Where,Cannot bear weight\n2024-01-01,2,under,yes\n\n".encode()
    [entry] = parse_csv(data)
    assert (entry.day, entry.level, entry.where, entry.cannot_bear_weight) == (D, 2, "under", True)
    with pytest.raises(UsageError, match="row 2: the level must be a whole number"):
        parse_csv(b"date,level,where\n2024-01-01,2,under\n2024-01-02,lots,under\n")
    with pytest.raises(UsageError, match="row 1: the date must look like"):
        parse_csv(b"date,level\n01/02/2024,0\n")
    with pytest.raises(UsageError, match="unknown column\\(s\\) mood"):
        parse_csv(b"date,level,mood\n")
    with pytest.raises(UsageError, match="needs the column\\(s\\) level"):
        parse_csv(b"date\n2024-01-01\n")
    with pytest.raises(UsageError, match="swelling must be yes or no"):
        parse_csv(b"date,level,where,swelling\n2024-01-01,1,under,maybe\n")
    with pytest.raises(UsageError, match="row 1: .*in the future"):
        parse_csv(b"date,level,where\n2024-01-02,1,under\n", today=D)
    assert parse_csv(b"") == []


def test_csv_import_reads_semicolons_and_refuses_garbage() -> None:
    [entry] = parse_csv("date;level;where;note\n2024-01-01;3;back;a, b\n".encode("utf-16"))
    assert (entry.where, entry.note) == ("back", "a, b")
    with pytest.raises(UsageError, match="not a readable CSV file"):
        parse_csv(b'date,level\n2024-01-01,1,"' + b"x" * 200_000 + b'"\n')
    with pytest.raises(UsageError, match="cannot read the file as text"):
        parse_csv(b"\xef\xbb\xbfdate,level\n\xff\xfe\n")


# -- what changed ----------------------------------------------------------------

#: a Sunday: the 4 weeks up to it are 03-04..03-31, the 8 weeks before 01-08..03-03
ONSET = date(2024, 3, 31)


def _history() -> tuple[list[Activity], list[Shoe]]:
    """A hand-built 13 weeks; every number the facts quote is worked out below.

    * 2024-01-07 (Sun): 8 km, before both windows (so no run in them lacks a reference).
    * Weeks of 01-08 .. 03-18 (11 weeks): 5 km road Mon, Wed, Fri and an 8 km road long run
      on Sunday, 23 km a week. The week of 03-18 is on trail instead (a surface shift).
    * Week of 03-25: 5 km every day Monday to Saturday and 12 km on Sunday 03-31 (42 km),
      in a new pair. 12 km is 50% longer than the 8 km longest of the 30 days before,
      and it is on the day the pain began: it is in the window, marked so.
    * The old pair started with 470 km on it: 300 mi (482.803 km) is reached with the
      5 km run of 01-08 (470 + 8 + 5 = 483). By the onset it has
      470 + 8 + 11 weeks x 23 km = 731 km (454.2 mi).
    """
    old, new = "Old pair", "Fresh pair"
    runs = [make_activity("2024-01-07 07:00", 8.0, surface=Surface.ROAD, shoe=old)]
    monday = date(2024, 1, 8)
    for week in range(11):
        start = monday + timedelta(weeks=week)
        surface = Surface.TRAIL if start == date(2024, 3, 18) else Surface.ROAD
        for offset, km in ((0, 5.0), (2, 5.0), (4, 5.0), (6, 8.0)):
            when = f"{start + timedelta(days=offset)} 07:00"
            runs.append(make_activity(when, km, surface=surface, shoe=old))
    for offset in range(7):
        when = f"{date(2024, 3, 25) + timedelta(days=offset)} 07:00"
        runs.append(
            make_activity(when, 12.0 if offset == 6 else 5.0, surface=Surface.ROAD, shoe=new)
        )
    # a run after the onset day is left out
    runs.append(make_activity("2024-04-01 07:00", 30.0, surface=Surface.TRACK, shoe=new))
    return runs, [Shoe(old, start_distance_m=470_000.0), Shoe(new)]


def _facts() -> dict[str, list[str]]:
    runs, shoes = _history()
    [episode] = episodes([hurt(ONSET, 4), hurt(ONSET + timedelta(days=3), 5)])
    changes = what_changed(episode, runs, shoes=shoes)
    assert changes.recent == (date(2024, 3, 4), date(2024, 3, 31))
    assert changes.earlier == (date(2024, 1, 8), date(2024, 3, 3))
    found: dict[str, list[str]] = {}
    for fact in changes.facts:
        found.setdefault(fact.topic, []).append(fact.text)
    return found


def test_what_changed_weekly_distance_and_its_change() -> None:
    average, rise = _facts()["distance"]
    assert "(2024-03-04 to 2024-03-31, 7-day blocks oldest first)" in average
    assert "23.0, 23.0, 23.0 and 42.0 km" in average
    # (23 + 23 + 23 + 42) / 4 = 27.75 km a week, vs 23 km: +20.7%
    assert "27.8 km (17.2 mi) a week on average, up 21% on 23.0 km (14.3 mi) a week" in average
    assert "in the 8 weeks before" in average
    # 42 vs 23 km is +82.6%
    assert rise == (
        "Largest week-on-week rise: the 7 days to 2024-03-31 were up 83% on the 7 days before "
        "(23.0 to 42.0 km)."
    )


def test_what_changed_long_runs() -> None:
    longest, spikes = _facts()["long-runs"]
    assert longest == (
        "Longest run in the 4 weeks: 12.0 km (7.5 mi) on 2024-03-31 (the day the pain began) "
        "(longest in the weeks before: 8.0 km (5.0 mi))."
    )
    assert "2024-03-31 (the day the pain began), 12.0 km (7.5 mi), 50.0% longer." in spikes
    assert "In the weeks before: 0 such runs." in spikes


def test_what_changed_shoes() -> None:
    worn, new = _facts()["shoes"]
    assert new == "New pair: 'Fresh pair', in use from 2024-03-25 (7 runs in these weeks)."
    assert worn == (
        "'Old pair' had 731.0 km (454.2 mi) on it by the time the pain began (12 runs in "
        "these weeks), past 482.8 km (300.0 mi) since 2024-01-08."
    )


def test_what_changed_surfaces_and_rest_days() -> None:
    facts = _facts()
    # known-surface distance: road 23 + 23 + 42 = 88 km, trail 23 km -> 79% / 21%
    assert facts["surface"] == [
        "Shift in surfaces (share of the distance of known surface): road 79% (from 100%); "
        "trail 21% (from 0%)."
    ]
    # rest: 3 + 3 + 3 + 0 = 9 days in 28 -> 2.25 a week; 03-24 to 03-31 is 8 days in a row.
    # Before: 3 rest days a week; Sunday + Monday make 2 days in a row at most.
    assert facts["rest"] == [
        "Rest days: 2.2 a week; longest stretch of days in a row with a run: 8 "
        "(in the weeks before: 3.0 a week, longest stretch 2)."
    ]


def test_what_changed_with_little_history_or_none() -> None:
    [episode] = episodes([hurt(ONSET)])
    runs = [make_activity(f"2024-03-{d:02d} 07:00", 5.0) for d in range(20, 31)]
    facts = what_changed(episode, runs).facts
    assert "too few earlier runs on record to compare with" in facts[0].text
    assert facts[-1].text.startswith("Rest days: ") and "weeks before" not in facts[-1].text
    assert any(f.text == "No shoe is recorded for the runs of these weeks." for f in facts)
    assert any(f.text == "The surface is not known for the runs of these weeks." for f in facts)
    [only] = what_changed(episode, [make_activity("2023-01-01 07:00", 5.0)]).facts
    assert only.text.startswith("No runs are on record in the 4 weeks up to the day the pain began")


def test_what_changed_in_miles_leads_with_miles() -> None:
    runs, shoes = _history()
    [episode] = episodes([hurt(ONSET, 4)])
    facts = what_changed(episode, runs, shoes=shoes, units=Units.MI).facts
    average = next(f.text for f in facts if f.topic == "distance")
    # 23 km = 14.3 mi; 42 km = 26.1 mi; 27.75 km = 17.2 mi
    assert "14.3, 14.3, 14.3 and 26.1 mi" in average
    assert "17.2 mi (27.8 km) a week on average" in average


def test_a_pair_past_its_limit_says_so() -> None:
    [episode] = episodes([hurt(ONSET)])
    runs = [make_activity("2024-03-20 07:00", 10.0, shoe="Worn")]
    worn = Shoe("Worn", start_distance_m=500 * METRES_PER_MILE - 1000.0)
    [fact] = [f for f in what_changed(episode, runs, shoes=[worn]).facts if f.topic == "shoes"]
    assert "since 2024-03-20 and past its 804.7 km (500.0 mi) limit since 2024-03-20." in fact.text


def test_a_superscript_level_in_a_csv_is_a_clear_error_not_a_crash() -> None:
    from loadwatch.errors import LoadwatchError
    from loadwatch.userdata.pain_csv import parse_csv

    data = "date,level,where\n2026-11-02,\u00b2,under\n".encode()
    with pytest.raises(LoadwatchError, match="whole number"):
        parse_csv(data, date(2026, 11, 22))
