"""The heel-pain diary: entries, episodes, and what changed in training before it hurt.

The diary is user data (``userdata.sqlite``), never rebuilt from exports. Pure
functions come first; the ``UserData`` helpers at the end read and write it.
"Today" is always a parameter.

Two definitions hold the rest together:

* An **episode** starts with the first entry above 0 after a 0 entry, or after
  at least ``PAIN_FREE_DAYS`` (14) pain-free days, and holds every entry up to the
  next episode. A 0 entry ends an episode at once; a day with no entry counts as
  pain-free, so two painful entries 15 or more days apart belong to different
  episodes, 14 days apart to the same one.
* A day is **in pain** when the latest entry of the ``RECENT_PAIN_DAYS`` (14)
  days up to and including it is above 0; a 0 entry ends it at once.
* Pain has **lasted** N days from its first to its last painful entry of an
  episode, both days counted (``days_of_pain``); ``PERSISTENT_DAYS`` (14) of them
  is when the guidance says to see a professional, and ``pain why`` and the
  ``pain-persistent`` rule both use this one count.

What the diary shows is an association with training, never a diagnosis.
"""

from __future__ import annotations

import csv
import io
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from loadwatch import weekly
from loadwatch.display import km_mi, looks_like_formula
from loadwatch.errors import LoadwatchError, StoreError, UsageError
from loadwatch.ingest.importers.csv_cells import decode, sniff_separator
from loadwatch.model import Activity, Surface
from loadwatch.units import Units, to_unit
from loadwatch.userdata.shoes import PLAN_AT_M, rule_usage
from loadwatch.userdata.store import (
    DamagedRow,
    RowReader,
    Shoe,
    UserData,
    note_damage,
    open_userdata,
)

if TYPE_CHECKING:
    from loadwatch.rules import Params

WHERE: tuple[str, ...] = ("under", "back", "both")
WHEN: tuple[str, ...] = ("first-steps", "after-run", "during-run", "rest", "night")
SIDES: tuple[str, ...] = ("left", "right", "both")
MAX_LEVEL = 10
#: a note is a reminder, not a document; longer text is almost surely a paste mistake
MAX_NOTE = 500

PAIN_FREE_DAYS = 14
RECENT_PAIN_DAYS = 14
PERSISTENT_DAYS = 14
#: an episode that ended this many days before a run still counts as a previous
#: heel or Achilles problem (Lagas et al. 2020: previous 12 months)
PREVIOUS_EPISODE_DAYS = 365
#: "what changed" compares the 4 weeks before onset with the 8 weeks before those
RECENT_WEEKS = 4
EARLIER_WEEKS = 8
#: a surface's share of the distance must move this many points to be listed as a shift
SURFACE_SHIFT_POINTS = 10.0
#: a 7-day block up this much on the one before is listed as the largest rise
RISE_PCT = 10.0

NOT_A_DIAGNOSIS = (
    "These are facts about your training in the weeks before the pain began. They are "
    "not a diagnosis and cannot show what caused it; a GP, physiotherapist or podiatrist "
    "can."
)

WHERE_WORDS = {"under": "under the heel", "back": "at the back of the heel",
               "both": "under and at the back of the heel"}
WHEN_WORDS = {"first-steps": "on the first steps", "after-run": "after running",
              "during-run": "while running", "rest": "at rest", "night": "at night"}


# ---------------------------------------------------------------------------
# entries


@dataclass(frozen=True, slots=True)
class PainEntry:
    """One diary line: how much the heel hurt on a local date, where and when."""

    day: date
    #: 0 (no pain) to 10 (worst imaginable)
    level: int
    #: under | back | both; only a 0 entry may leave it out
    where: str | None = None
    #: first-steps | after-run | during-run | rest | night
    when: str | None = None
    #: left | right | both
    side: str | None = None
    swelling: bool = False
    cannot_bear_weight: bool = False
    note: str | None = None
    #: the diary's number for the entry; None until stored
    id: int | None = None

    @property
    def hurts(self) -> bool:
        return self.level > 0

    def describe(self, flags: bool = True) -> str:
        """``4/10 under the heel on the first steps (left), swelling``; ``flags``: the last part."""
        parts = [f"{self.level}/10"]
        if self.where:
            parts.append(WHERE_WORDS[self.where])
        if self.when:
            parts.append(WHEN_WORDS[self.when])
        text = " ".join(parts)
        if self.side:
            text += f" ({self.side} foot)" if self.side != "both" else " (both feet)"
        extras = [word for flag, word in ((self.swelling, "swelling"),
                  (self.cannot_bear_weight, "cannot bear weight")) if flag]
        return ", ".join([text, *extras]) if flags else text

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "date": self.day.isoformat(),
            "level": self.level,
            "where": self.where,
            "when": self.when,
            "side": self.side,
            "swelling": self.swelling,
            "cannot_bear_weight": self.cannot_bear_weight,
            "note": self.note,
        }


def _one_of(value: str | None, allowed: Sequence[str], what: str) -> str | None:
    if value is None:
        return None
    cleaned = value.strip().lower()
    if cleaned not in allowed:
        raise UsageError(f"{what} must be one of {', '.join(allowed)}, not '{value}'")
    return cleaned


def validate(entry: PainEntry, today: date | None = None) -> PainEntry:
    """The entry with its words normalised, or a ``UsageError`` saying what is wrong.

    ``today`` (when given) refuses entries dated in the future.
    """
    if isinstance(entry.level, bool) or not isinstance(entry.level, int):
        raise UsageError(f"the pain level must be a whole number from 0 to {MAX_LEVEL}")
    if not 0 <= entry.level <= MAX_LEVEL:
        raise UsageError(f"the pain level must be from 0 to {MAX_LEVEL}, not {entry.level}")
    if today is not None and entry.day > today:
        raise UsageError(f"{entry.day.isoformat()} is in the future; pain is logged as it happens")
    where = _one_of(entry.where, WHERE, "where")
    if where is None and entry.level > 0:
        raise UsageError("say where it hurts: under (the heel), back (of the heel) or both")
    note = " ".join(entry.note.split()) if entry.note else None
    if note and len(note) > MAX_NOTE:
        raise UsageError(f"a note can be at most {MAX_NOTE} characters")
    return replace(
        entry,
        where=where,
        when=_one_of(entry.when, WHEN, "when"),
        side=_one_of(entry.side, SIDES, "side"),
        swelling=bool(entry.swelling),
        cannot_bear_weight=bool(entry.cannot_bear_weight),
        note=note or None,
    )


def diary_order(entry: PainEntry) -> tuple[date, int]:
    """Oldest first; entries of one day in the order they were logged."""
    return (entry.day, entry.id if entry.id is not None else 0)


def up_to(entries: Iterable[PainEntry], as_of: date | None) -> list[PainEntry]:
    """The entries dated up to ``as_of`` (all when None), in diary order."""
    kept = [e for e in entries if as_of is None or e.day <= as_of]
    return sorted(kept, key=diary_order)


def in_pain(
    entries: Iterable[PainEntry], day: date, days: int = RECENT_PAIN_DAYS
) -> PainEntry | None:
    """The painful entry that makes ``day`` a day in pain, or None (see module docs)."""
    window = [e for e in up_to(entries, day) if (day - e.day).days < days]
    if not window or not window[-1].hurts:
        return None
    return window[-1]


def days_of_pain(first: date, last: date) -> int:
    """How many days pain has lasted from its first to its last entry, both counted."""
    return (last - first).days + 1


def pain_note(pain_day: date) -> str:
    """The sentence a load rule adds when it is stricter because the heel hurts."""
    return (
        f"It counts for more because you logged heel pain on {pain_day.isoformat()}, "
        f"within the {RECENT_PAIN_DAYS} days up to it; heel-pain guidance (NHS) advises "
        "resting a sore heel from running rather than adding load."
    )


def previous_episode(entries: Iterable[PainEntry], day: date) -> Episode | None:
    """The latest episode that ended before ``day`` within the 12 months before it.

    "Ended" means the heel was not in pain on ``day`` (``in_pain``); an ongoing
    episode is the pain the load rules already allow for.
    """
    if in_pain(entries, day) is not None:
        return None
    earlier = [
        e for e in episodes(entries, day)
        if e.painful and 0 <= (day - e.last_pain).days <= PREVIOUS_EPISODE_DAYS
    ]
    return earlier[-1] if earlier else None


# ---------------------------------------------------------------------------
# episodes


@dataclass(frozen=True, slots=True)
class Episode:
    """A spell of heel pain: its entries (0 entries included) up to the next episode."""

    #: 1 for the first episode in the diary, counting up
    number: int
    entries: tuple[PainEntry, ...]

    @property
    def onset(self) -> date:
        return self.entries[0].day

    @property
    def painful(self) -> tuple[PainEntry, ...]:
        return tuple(e for e in self.entries if e.hurts)

    @property
    def last_pain(self) -> date:
        return self.painful[-1].day

    @property
    def peak(self) -> int:
        return max(e.level for e in self.entries)

    @property
    def days(self) -> int:
        """Days from the first to the last painful entry, both included (``days_of_pain``)."""
        return days_of_pain(self.onset, self.last_pain)

    def ongoing(self, as_of: date) -> bool:
        return in_pain(self.entries, as_of) is not None

    def summary(self, as_of: date) -> str:
        """``Episode 2: from 2026-11-23, up to 5/10, 8 entries; still ongoing.``"""
        state = (
            "still ongoing" if self.ongoing(as_of)
            else f"last pain logged on {self.last_pain.isoformat()}"
        )
        count = len(self.painful)
        return (
            f"Episode {self.number}: from {self.onset.isoformat()}, up to {self.peak}/10, "
            f"{count} painful entr{'y' if count == 1 else 'ies'} over {self.days} "
            f"day{'s' if self.days != 1 else ''}; {state}."
        )

    def to_dict(self, as_of: date) -> dict[str, Any]:
        return {
            "number": self.number,
            "onset": self.onset.isoformat(),
            "last_pain": self.last_pain.isoformat(),
            "peak": self.peak,
            "entries": len(self.painful),
            "ongoing": self.ongoing(as_of),
        }


def episodes(entries: Iterable[PainEntry], as_of: date | None = None) -> list[Episode]:
    """The diary's episodes up to ``as_of``, oldest first (0 entries before any pain dropped)."""
    groups: list[list[PainEntry]] = []
    last_pain: date | None = None
    ended = True
    for entry in up_to(entries, as_of):
        if entry.hurts:
            gap = None if last_pain is None else (entry.day - last_pain).days - 1
            if ended or (gap is not None and gap >= PAIN_FREE_DAYS):
                groups.append([])
            last_pain = entry.day
            ended = False
        elif groups:
            ended = True  # "no pain today" closes the episode
        if groups:
            groups[-1].append(entry)
    return [Episode(number, tuple(group)) for number, group in enumerate(groups, 1)]


def episode_of(entries: Iterable[PainEntry], number: int | None, as_of: date) -> Episode:
    """Episode ``number`` (default: the latest), or a ``UsageError`` naming the ones there are."""
    found = episodes(entries, as_of)
    if not found:
        raise UsageError("no pain above 0 is logged yet, so there is no episode to look at")
    if number is None:
        return found[-1]
    if not 1 <= number <= len(found):
        raise UsageError(f"there is no episode {number}; episodes are numbered 1 to {len(found)}")
    return found[number - 1]


# ---------------------------------------------------------------------------
# what changed before it hurt


@dataclass(frozen=True, slots=True)
class Fact:
    #: distance | long-runs | shoes | surface | rest
    topic: str
    text: str


@dataclass(frozen=True, slots=True)
class Changes:
    """What the training looked like before an episode, as plain facts."""

    episode: Episode
    #: first and last day of the 4 weeks before onset, then of the 8 weeks before those
    recent: tuple[date, date]
    earlier: tuple[date, date]
    facts: tuple[Fact, ...]

    def heading(self) -> str:
        return (
            f"What changed in the {RECENT_WEEKS} weeks up to the day it began "
            f"({self.recent[0].isoformat()} to {self.recent[1].isoformat()}), against the "
            f"{EARLIER_WEEKS} weeks before:"
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "episode": self.episode.number,
            "onset": self.episode.onset.isoformat(),
            "recent": [day.isoformat() for day in self.recent],
            "earlier": [day.isoformat() for day in self.earlier],
            "facts": [{"topic": f.topic, "text": f.text} for f in self.facts],
        }


def _number(metres: float, units: Units) -> str:
    return f"{to_unit(metres, units):.1f}"


def _pct(new: float, old: float) -> str:
    change = (new - old) / old * 100.0
    if round(change) == 0:
        return "about the same as"
    return f"{'up' if change > 0 else 'down'} {abs(change):.0f}% on"


@dataclass(frozen=True, slots=True)
class _Window:
    first: date
    last: date

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def holds(self, day: date) -> bool:
        return self.first <= day <= self.last

    def days_list(self) -> list[date]:
        return [self.first + timedelta(days=i) for i in range(self.days)]


def what_changed(
    episode: Episode,
    activities: Iterable[Activity],
    *,
    shoes: Sequence[Shoe] = (),
    shoe_of: Mapping[str, str | None] | None = None,
    params: Params | None = None,
    units: Units = Units.KM,
) -> Changes:
    """The 4 weeks up to ``episode``'s onset day against the 8 weeks before them.

    Facts on weekly distance and its change, long-run spikes (as ``long-run-spike``
    measures them, with ``params``), shoes past 300 mi or new, shifts in surface,
    and rest days, distances in ``units`` first. ``shoes`` and ``shoe_of`` are
    ``shoes.rule_inputs``; without them runs count for the gear their sources name.
    Runs on the onset day are included and marked as on the same day: a long run
    that morning may be what the pain followed, or the pain may have come first.
    """
    onset = episode.onset
    recent = _Window(onset - timedelta(weeks=RECENT_WEEKS) + timedelta(days=1), onset)
    earlier = _Window(recent.first - timedelta(weeks=EARLIER_WEEKS),
                      recent.first - timedelta(days=1))
    runs = weekly.running(activities, recent.last)
    window = (recent.first, recent.last), (earlier.first, earlier.last)
    if not any(recent.holds(r.start_local.date()) for r in runs):
        fact = Fact("distance", f"No runs are on record in the {RECENT_WEEKS} weeks up to the "
                    f"day the pain began ({recent.first.isoformat()} to "
                    f"{recent.last.isoformat()}).")
        return Changes(episode, *window, (fact,))
    history = min(r.start_local.date() for r in runs)
    # the earlier window only counts from the first run on record
    covered = _Window(max(earlier.first, history), earlier.last) if history <= earlier.last \
        else None
    if covered is not None and covered.days < 7:
        covered = None
    daily: dict[date, float] = {}
    for run in runs:
        day = run.start_local.date()
        daily[day] = daily.get(day, 0.0) + (run.distance_m or 0.0)
    facts = [
        *_distance_facts(daily, recent, covered, units),
        *_spike_facts(runs, recent, covered, params, units),
        *_shoe_facts(runs, recent, shoes, shoe_of, units),
        _surface_fact(runs, recent, covered),
        _rest_fact(daily, recent, covered),
    ]
    return Changes(episode, *window, tuple(facts))


def _distance_facts(
    daily: Mapping[date, float], recent: _Window, covered: _Window | None, units: Units
) -> list[Fact]:
    def total(first: date, last: date) -> float:
        return sum(m for day, m in daily.items() if first <= day <= last)

    blocks = [
        total(recent.first + timedelta(weeks=i), recent.first + timedelta(weeks=i, days=6))
        for i in range(RECENT_WEEKS)
    ]
    average = sum(blocks) / RECENT_WEEKS
    listed = (", ".join(_number(b, units) for b in blocks[:-1])
              + f" and {_number(blocks[-1], units)} {units.value}")
    text = (
        f"Weekly distance in the {RECENT_WEEKS} weeks up to the day the pain began "
        f"({recent.first.isoformat()} to {recent.last.isoformat()}, 7-day blocks oldest "
        f"first): {listed}; {km_mi(average, units)} a week on average"
    )
    if covered is None:
        text += ". There are too few earlier runs on record to compare with."
    else:
        before = total(covered.first, covered.last) / covered.days * 7.0
        span = "8 weeks" if covered.days == EARLIER_WEEKS * 7 else f"{covered.days} days"
        if before > 0:
            text += f", {_pct(average, before)} {km_mi(before, units)} a week in the {span} before."
        else:
            text += f", after no running at all in the {span} before."
    facts = [Fact("distance", text)]
    # the block just before the window lets the first recent block be compared too
    previous = None if covered is None else total(recent.first - timedelta(days=7),
                                                  recent.first - timedelta(days=1))
    rises = []
    for i, block in enumerate(blocks):
        prior = previous if i == 0 else blocks[i - 1]
        if prior is not None and prior > 0 and (block - prior) / prior * 100.0 > RISE_PCT:
            rises.append(((block - prior) / prior * 100.0, i, prior, block))
    if rises:
        pct, i, prior, block = max(rises)
        end = recent.first + timedelta(weeks=i, days=6)
        facts.append(Fact("distance", (
            f"Largest week-on-week rise: the 7 days to {end.isoformat()} were up {pct:.0f}% "
            f"on the 7 days before ({_number(prior, units)} to {_number(block, units)} "
            f"{units.value})."
        )))
    else:
        facts.append(Fact("distance", f"No 7-day block rose more than {RISE_PCT:g}% on the "
                          "one before."))
    return facts


def _on(day: date, onset: date) -> str:
    """A run's date, marked when it is the day the pain began."""
    return f"{day.isoformat()} (the day the pain began)" if day == onset else day.isoformat()


def _spike_facts(
    runs: Sequence[Activity], recent: _Window, covered: _Window | None, params: Params | None,
    units: Units,
) -> list[Fact]:
    # imported here: the rules package imports this module for its pain rules
    from loadwatch.rules import RuleContext, long_run_spike

    ctx = RuleContext.build(runs, recent.last, params=params, units=units)
    spikes = long_run_spike.check(ctx)
    mine = [f for f in spikes if recent.holds(f.date) and f.unit == "%"]
    distance = {r.id: r.distance_m or 0.0 for r in runs}
    in_recent = [r for r in runs if recent.holds(r.start_local.date())]
    longest = max(in_recent, key=lambda r: (r.distance_m or 0.0, r.start_utc))
    text = (f"Longest run in the {RECENT_WEEKS} weeks: {km_mi(longest.distance_m or 0.0, units)} "
            f"on {_on(longest.start_local.date(), recent.last)}")
    if covered is not None:
        older = [r for r in runs if covered.holds(r.start_local.date())]
        if older:
            top = max(r.distance_m or 0.0 for r in older)
            text += f" (longest in the weeks before: {km_mi(top, units)})"
    facts = [Fact("long-runs", text + ".")]
    threshold = ctx.settings(long_run_spike.RULE)["caution_pct"]
    if mine:
        listed = "; ".join(
            f"{_on(f.date, recent.last)}, {km_mi(distance.get(f.activity_id or '', 0.0), units)}, "
            f"{f.value:.1f}% longer"
            for f in sorted(mine, key=lambda f: f.date)
        )
        text = (f"Runs more than {threshold:g}% longer than your longest of the 30 days before "
                f"them: {listed}.")
    else:
        text = (f"No run in these {RECENT_WEEKS} weeks was more than {threshold:g}% longer than "
                "your longest of the 30 days before it.")
    if covered is not None:
        count = sum(covered.holds(f.date) for f in spikes)
        text += f" In the weeks before: {count} such run{'s' if count != 1 else ''}."
    facts.append(Fact("long-runs", text))
    return facts


def _shoe_facts(
    runs: Sequence[Activity],
    recent: _Window,
    shoes: Sequence[Shoe],
    shoe_of: Mapping[str, str | None] | None,
    units: Units,
) -> list[Fact]:
    facts: list[Fact] = []
    anything = False
    for usage in rule_usage(runs, shoes, shoe_of):
        used = [step for step in usage.runs if recent.holds(step.day)]
        if not used:
            continue
        anything = True
        name = usage.shoe.name
        count = f"{len(used)} run{'s' if len(used) != 1 else ''} in these weeks"
        started = usage.started
        # a pair that came with distance on it is new to the diary, not to the runner
        fresh = usage.shoe.start_distance_m <= 0
        if fresh and started is not None and started >= recent.first:
            facts.append(Fact("shoes", f"New pair: '{name}', in use from "
                              f"{started.isoformat()} ({count})."))
        plan = usage.first_reaching(PLAN_AT_M)
        if plan is None:
            continue
        limit = usage.first_reaching(usage.shoe.limit_m)
        text = (f"'{name}' had {km_mi(usage.distance_m, units)} on it by the time the pain "
                f"began ({count}), past {km_mi(PLAN_AT_M, units)} since {plan.day.isoformat()}")
        if limit is not None:
            text += (f" and past its {km_mi(usage.shoe.limit_m, units)} limit since "
                     f"{limit.day.isoformat()}")
        facts.append(Fact("shoes", text + "."))
    if not anything:
        return [Fact("shoes", "No shoe is recorded for the runs of these weeks.")]
    if not facts:
        facts.append(Fact("shoes", "No pair worn in these weeks was new or past "
                          f"{km_mi(PLAN_AT_M, units)}."))
    return facts


_KNOWN = tuple(s.value for s in Surface if s is not Surface.UNKNOWN)


def _shares(runs: Sequence[Activity], window: _Window) -> dict[str, float]:
    metres = dict.fromkeys(_KNOWN, 0.0)
    for run in runs:
        if window.holds(run.start_local.date()) and run.surface.value in metres:
            metres[run.surface.value] += run.distance_m or 0.0
    known = sum(metres.values())
    return {} if known <= 0 else {s: m / known * 100.0 for s, m in metres.items()}


def _mix(shares: Mapping[str, float]) -> str:
    ordered = sorted(((p, s) for s, p in shares.items() if round(p) > 0), reverse=True)
    return ", ".join(f"{s} {p:.0f}%" for p, s in ordered)


def _surface_fact(runs: Sequence[Activity], recent: _Window, covered: _Window | None) -> Fact:
    now = _shares(runs, recent)
    if not now:
        return Fact("surface", "The surface is not known for the runs of these weeks.")
    before = _shares(runs, covered) if covered is not None else {}
    if not before:
        return Fact("surface", f"Surfaces in these weeks (distance of known surface): "
                    f"{_mix(now)}; none known for the weeks before.")
    shifts = [
        f"{surface} {now[surface]:.0f}% (from {before[surface]:.0f}%)"
        for surface in _KNOWN
        if abs(now[surface] - before[surface]) >= SURFACE_SHIFT_POINTS
    ]
    if shifts:
        return Fact("surface", "Shift in surfaces (share of the distance of known surface): "
                    + "; ".join(shifts) + ".")
    return Fact("surface", f"Surfaces about as before (no share moved {SURFACE_SHIFT_POINTS:g} "
                f"points or more): {_mix(now)}.")


def _streak(daily: Mapping[date, float], window: _Window) -> int:
    best = current = 0
    for day in window.days_list():
        current = current + 1 if daily.get(day, 0.0) > 0 else 0
        best = max(best, current)
    return best


def _rest_fact(daily: Mapping[date, float], recent: _Window, covered: _Window | None) -> Fact:
    def rest_per_week(window: _Window) -> float:
        rest = sum(1 for day in window.days_list() if daily.get(day, 0.0) <= 0)
        return rest / window.days * 7.0

    text = (f"Rest days: {rest_per_week(recent):.1f} a week; longest stretch of days in a "
            f"row with a run: {_streak(daily, recent)}")
    if covered is not None:
        text += (f" (in the weeks before: {rest_per_week(covered):.1f} a week, longest "
                 f"stretch {_streak(daily, covered)})")
    return Fact("rest", text + ".")


# ---------------------------------------------------------------------------
# what a report shows of the diary


@dataclass(frozen=True, slots=True)
class DiarySummary:
    """The diary over a report's weeks: levels to plot, and each episode with what changed."""

    as_of: date
    #: (day, level) of every entry from the report's first day to ``as_of``, oldest first
    levels: tuple[tuple[date, int], ...]
    #: the episodes with an entry in those weeks, oldest first, with what changed before each
    changes: tuple[Changes, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "levels": [{"date": day.isoformat(), "level": level} for day, level in self.levels],
            "episodes": [
                {**c.episode.to_dict(self.as_of), **c.to_dict()} for c in self.changes
            ],
            "note": NOT_A_DIAGNOSIS,
        }


def summarise(
    entries: Iterable[PainEntry],
    activities: Iterable[Activity],
    *,
    first_day: date,
    as_of: date,
    shoes: Sequence[Shoe] = (),
    shoe_of: Mapping[str, str | None] | None = None,
    params: Params | None = None,
    units: Units = Units.KM,
) -> DiarySummary | None:
    """The diary from ``first_day`` to ``as_of`` for a report; None when nothing is logged there."""
    kept = up_to(entries, as_of)
    activities = tuple(activities)
    shown = [e for e in episodes(kept) if e.entries[-1].day >= first_day]
    levels = tuple((e.day, e.level) for e in kept if e.day >= first_day)
    if not levels and not shown:
        return None
    changes = tuple(
        what_changed(e, activities, shoes=shoes, shoe_of=shoe_of, params=params, units=units)
        for e in shown
    )
    return DiarySummary(as_of, levels, changes)


# ---------------------------------------------------------------------------
# CSV export and import

CSV_COLUMNS: tuple[str, ...] = (
    "id", "date", "level", "where", "when", "side", "swelling", "cannot_bear_weight", "note",
)
#: a diary of a lifetime is far smaller; anything bigger is the wrong file
MAX_CSV_BYTES = 5_000_000
_TRUE = {"1", "yes", "y", "true"}
_FALSE = {"", "0", "no", "n", "false"}


def csv_rows(entries: Iterable[PainEntry]) -> list[dict[str, Any]]:
    """One row per entry under ``CSV_COLUMNS``, booleans as yes/no."""
    return [
        {
            **entry.to_dict(),
            "swelling": "yes" if entry.swelling else "no",
            "cannot_bear_weight": "yes" if entry.cannot_bear_weight else "no",
        }
        for entry in sorted(entries, key=diary_order)
    ]


def parse_csv(data: bytes, today: date | None = None) -> list[PainEntry]:
    """The entries of a CSV with ``CSV_COLUMNS`` (``date`` and ``level`` required).

    The ``id`` column is ignored: imported entries get new numbers. Any bad row
    refuses the whole file with the row's number, so nothing is half-imported.
    """
    if len(data) > MAX_CSV_BYTES:
        raise UsageError(f"the file is larger than {MAX_CSV_BYTES // 1_000_000} MB; "
                         "it is not a pain diary")
    try:
        text = decode(data)
    except LoadwatchError as exc:
        raise UsageError(f"cannot read the file as text: {exc.reason}") from exc
    try:
        return _parse_rows(text, today)
    except csv.Error as exc:
        raise UsageError(f"not a readable CSV file ({exc})") from exc


def _parse_rows(text: str, today: date | None) -> list[PainEntry]:
    # a spreadsheet in a European locale saves with semicolons
    separator = sniff_separator(text.split("\n", 1)[0])
    reader = csv.reader(io.StringIO(text), delimiter=separator)
    header = next(reader, None)
    if header is None:
        return []
    names = [cell.strip().lower().replace(" ", "_").replace("-", "_") for cell in header]
    unknown = sorted(set(names) - set(CSV_COLUMNS) - {""})
    if unknown:
        raise UsageError(f"unknown column(s) {', '.join(unknown)}; the columns are "
                         f"{', '.join(CSV_COLUMNS)}")
    missing = [c for c in ("date", "level") if c not in names]
    if missing:
        raise UsageError(f"the file needs the column(s) {', '.join(missing)}")
    entries: list[PainEntry] = []
    for number, cells in enumerate(reader, 1):
        if not any(cell.strip() for cell in cells):
            continue
        row = {name: _unprotect(cell) for name, cell in zip(names, cells, strict=False) if name}
        try:
            entries.append(validate(_entry(row), today))
        except UsageError as exc:
            raise UsageError(f"row {number}: {exc.reason}") from None
    return entries


def _unprotect(cell: str) -> str:
    # spreadsheets (and ``cli.common.csv_text``) protect formula-like cells with a quote
    if cell.startswith("'") and looks_like_formula(cell[1:]):
        return cell[1:]
    return cell


def _entry(row: Mapping[str, str]) -> PainEntry:
    raw_day = row.get("date", "").strip()
    try:
        day = date.fromisoformat(raw_day)
    except ValueError:
        raise UsageError(f"the date must look like 2026-11-22, not '{raw_day}'") from None
    raw_level = row.get("level", "").strip()
    if not raw_level.isdecimal():
        raise UsageError(f"the level must be a whole number from 0 to {MAX_LEVEL}, "
                         f"not '{raw_level}'")

    def text(name: str) -> str | None:
        value = row.get(name, "").strip()
        return value or None

    def flag(name: str) -> bool:
        value = row.get(name, "").strip().lower()
        if value in _TRUE:
            return True
        if value in _FALSE:
            return False
        raise UsageError(f"{name} must be yes or no, not '{value}'")

    return PainEntry(
        day=day,
        level=int(raw_level),
        where=text("where"),
        when=text("when"),
        side=text("side"),
        swelling=flag("swelling"),
        cannot_bear_weight=flag("cannot_bear_weight"),
        note=text("note"),
    )


# ---------------------------------------------------------------------------
# the diary in the user data (``userdata.MIGRATIONS`` creates ``pain_entries``)

_SELECT = (
    "SELECT id, day, level, location, timing, side, swelling, cannot_bear_weight, note "
    "FROM pain_entries"
)


def _from_row(row: Sequence[Any]) -> PainEntry:
    """The entry a row holds; ``DamagedRow`` naming the field when the row is damaged."""
    entry_id, day, level, where, when, side, swelling, cannot, note = row
    read = RowReader("pain_entries", entry_id)
    day_read = read.day("day", day)
    if day_read is None:
        raise read.damaged("day", day, "a date (YYYY-MM-DD)")
    return PainEntry(day_read, read.whole("level", level, 0, MAX_LEVEL),
                     read.choice("location", where, WHERE), read.choice("timing", when, WHEN),
                     read.choice("side", side, SIDES), read.flag("swelling", swelling),
                     read.flag("cannot_bear_weight", cannot), read.text("note", note),
                     read.whole("id", entry_id, 0, 2**63 - 1))


def _sound_rows(rows: Iterable[Sequence[Any]]) -> list[PainEntry]:
    """The entries of ``rows``; each damaged row is noted (``note_damage``) and left out."""
    entries = []
    for row in rows:
        try:
            entries.append(_from_row(row))
        except DamagedRow as exc:
            note_damage(exc.note)
    return entries


def _values(entry: PainEntry) -> tuple[Any, ...]:
    return (entry.day.isoformat(), entry.level, entry.where, entry.when, entry.side,
            int(entry.swelling), int(entry.cannot_bear_weight), entry.note)


def load_entries(store: UserData) -> tuple[PainEntry, ...]:
    """Every entry, in diary order."""
    with store.reading() as conn:
        rows = conn.execute(f"{_SELECT} ORDER BY day, id").fetchall()
    return tuple(_sound_rows(rows))


def _get(conn: sqlite3.Connection, entry_id: int) -> PainEntry:
    row = conn.execute(f"{_SELECT} WHERE id = ?", (entry_id,)).fetchone()
    if row is None:
        raise UsageError(f"there is no pain entry #{entry_id} (see 'loadwatch pain list')")
    try:
        return _from_row(row)
    except DamagedRow as exc:
        raise StoreError(exc.note.replace("that row was left out and ", "it was ")) from None


def get_entry(store: UserData, entry_id: int) -> PainEntry:
    with store.reading() as conn:
        return _get(conn, entry_id)


def _insert(conn: sqlite3.Connection, entry: PainEntry) -> PainEntry:
    cursor = conn.execute(
        "INSERT INTO pain_entries (day, level, location, timing, side, swelling, "
        "cannot_bear_weight, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        _values(entry),
    )
    return replace(entry, id=cursor.lastrowid)


def add_entry(store: UserData, entry: PainEntry, today: date | None = None) -> PainEntry:
    """Store a new entry (validated); returns it with its number."""
    checked = validate(replace(entry, id=None), today)
    with store.transaction() as conn:
        return _insert(conn, checked)


def update_entry(
    store: UserData, entry_id: int, changes: Mapping[str, Any], today: date | None = None
) -> PainEntry:
    """Change some fields of entry ``entry_id`` (``PainEntry`` field names); returns it."""
    bad = sorted(set(changes) - (set(PainEntry.__dataclass_fields__) - {"id"}))
    if bad:
        raise ValueError(f"not pain entry fields: {', '.join(bad)}")
    with store.transaction() as conn:
        changed = validate(replace(_get(conn, entry_id), **changes), today)
        conn.execute(
            "UPDATE pain_entries SET day = ?, level = ?, location = ?, timing = ?, side = ?, "
            "swelling = ?, cannot_bear_weight = ?, note = ? WHERE id = ?",
            (*_values(changed), entry_id),
        )
        return changed


def delete_entry(store: UserData, entry_id: int) -> PainEntry:
    """Remove entry ``entry_id``; returns what it said."""
    with store.transaction() as conn:
        entry = _get(conn, entry_id)
        conn.execute("DELETE FROM pain_entries WHERE id = ?", (entry_id,))
        return entry


def import_entries(store: UserData, entries: Iterable[PainEntry]) -> tuple[int, int]:
    """Add ``entries`` in one transaction, skipping any the diary already holds.

    Returns (added, already there), so importing the same file twice adds nothing.
    """
    added = skipped = 0
    with store.transaction() as conn:
        rows = conn.execute(f"{_SELECT}").fetchall()
        known = {_values(entry) for entry in _sound_rows(rows)}
        for entry in entries:
            checked = validate(replace(entry, id=None))
            key = _values(checked)
            if key in known:
                skipped += 1
                continue
            _insert(conn, checked)
            known.add(key)
            added += 1
    return added, skipped


def load_pain(home: Path) -> tuple[PainEntry, ...]:
    """The diary in the data directory ``home``."""
    with open_userdata(home) as store:
        return load_entries(store)


def rule_inputs(home: Path) -> dict[str, Any]:
    """The ``RuleContext`` field the pain rules read: ``pain``."""
    return {"pain": load_pain(home)}
