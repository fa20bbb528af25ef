"""What changed in training before heel pain began, and the diary as a report shows it.

Facts, never a diagnosis: the 4 weeks up to an episode's first day against the 8
weeks before those (weekly distance, long-run spikes, shoes, surfaces, rest days),
for ``loadwatch pain why`` and the report's diary section.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from loadwatch.display import km_mi
from loadwatch.model import Activity, Surface
from loadwatch.runs import running
from loadwatch.units import Units, to_unit
from loadwatch.userdata.pain import Episode, PainEntry, episodes, up_to
from loadwatch.userdata.shoes import PLAN_AT_M, rule_usage
from loadwatch.userdata.store import (
    Shoe,
)

if TYPE_CHECKING:
    from loadwatch.rules import Params

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
    earlier = _Window(
        recent.first - timedelta(weeks=EARLIER_WEEKS), recent.first - timedelta(days=1)
    )
    runs = running(activities, recent.last)
    window = (recent.first, recent.last), (earlier.first, earlier.last)
    if not any(recent.holds(r.start_local.date()) for r in runs):
        fact = Fact(
            "distance",
            f"No runs are on record in the {RECENT_WEEKS} weeks up to the "
            f"day the pain began ({recent.first.isoformat()} to "
            f"{recent.last.isoformat()}).",
        )
        return Changes(episode, *window, (fact,))
    history = min(r.start_local.date() for r in runs)
    # the earlier window only counts from the first run on record
    covered = (
        _Window(max(earlier.first, history), earlier.last) if history <= earlier.last else None
    )
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
    listed = (
        ", ".join(_number(b, units) for b in blocks[:-1])
        + f" and {_number(blocks[-1], units)} {units.value}"
    )
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
    previous = (
        None
        if covered is None
        else total(recent.first - timedelta(days=7), recent.first - timedelta(days=1))
    )
    rises = []
    for i, block in enumerate(blocks):
        prior = previous if i == 0 else blocks[i - 1]
        if prior is not None and prior > 0 and (block - prior) / prior * 100.0 > RISE_PCT:
            rises.append(((block - prior) / prior * 100.0, i, prior, block))
    if rises:
        pct, i, prior, block = max(rises)
        end = recent.first + timedelta(weeks=i, days=6)
        facts.append(
            Fact(
                "distance",
                (
                    f"Largest week-on-week rise: the 7 days to {end.isoformat()} "
                    f"were up {pct:.0f}% "
                    f"on the 7 days before ({_number(prior, units)} to {_number(block, units)} "
                    f"{units.value})."
                ),
            )
        )
    else:
        facts.append(
            Fact("distance", f"No 7-day block rose more than {RISE_PCT:g}% on the one before.")
        )
    return facts


def _on(day: date, onset: date) -> str:
    """A run's date, marked when it is the day the pain began."""
    return f"{day.isoformat()} (the day the pain began)" if day == onset else day.isoformat()


def _spike_facts(
    runs: Sequence[Activity],
    recent: _Window,
    covered: _Window | None,
    params: Params | None,
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
    text = (
        f"Longest run in the {RECENT_WEEKS} weeks: {km_mi(longest.distance_m or 0.0, units)} "
        f"on {_on(longest.start_local.date(), recent.last)}"
    )
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
        text = (
            f"Runs more than {threshold:g}% longer than your longest of the 30 days before "
            f"them: {listed}."
        )
    else:
        text = (
            f"No run in these {RECENT_WEEKS} weeks was more than {threshold:g}% longer than "
            "your longest of the 30 days before it."
        )
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
            facts.append(
                Fact("shoes", f"New pair: '{name}', in use from {started.isoformat()} ({count}).")
            )
        plan = usage.first_reaching(PLAN_AT_M)
        if plan is None:
            continue
        limit = usage.first_reaching(usage.shoe.limit_m)
        text = (
            f"'{name}' had {km_mi(usage.distance_m, units)} on it by the time the pain "
            f"began ({count}), past {km_mi(PLAN_AT_M, units)} since {plan.day.isoformat()}"
        )
        if limit is not None:
            text += (
                f" and past its {km_mi(usage.shoe.limit_m, units)} limit since "
                f"{limit.day.isoformat()}"
            )
        facts.append(Fact("shoes", text + "."))
    if not anything:
        return [Fact("shoes", "No shoe is recorded for the runs of these weeks.")]
    if not facts:
        facts.append(
            Fact("shoes", f"No pair worn in these weeks was new or past {km_mi(PLAN_AT_M, units)}.")
        )
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
        return Fact(
            "surface",
            f"Surfaces in these weeks (distance of known surface): "
            f"{_mix(now)}; none known for the weeks before.",
        )
    shifts = [
        f"{surface} {now[surface]:.0f}% (from {before[surface]:.0f}%)"
        for surface in _KNOWN
        if abs(now[surface] - before[surface]) >= SURFACE_SHIFT_POINTS
    ]
    if shifts:
        return Fact(
            "surface",
            "Shift in surfaces (share of the distance of known surface): "
            + "; ".join(shifts)
            + ".",
        )
    return Fact(
        "surface",
        f"Surfaces about as before (no share moved {SURFACE_SHIFT_POINTS:g} "
        f"points or more): {_mix(now)}.",
    )


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

    text = (
        f"Rest days: {rest_per_week(recent):.1f} a week; longest stretch of days in a "
        f"row with a run: {_streak(daily, recent)}"
    )
    if covered is not None:
        text += (
            f" (in the weeks before: {rest_per_week(covered):.1f} a week, longest "
            f"stretch {_streak(daily, covered)})"
        )
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
            "episodes": [{**c.episode.to_dict(self.as_of), **c.to_dict()} for c in self.changes],
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
