"""Which shoe each run counts for, each pair's distance, status and forecast.

Everything here is pure except ``sync_gear``, ``import_listed_shoes`` and
``load_rule_inputs``, which read or write the user data. "Today" is always the
``as_of`` argument; distances are metres and dates are the runner's local dates.

A run counts for the first of these that applies:

1. the user's assignment of that activity, then of a date range holding its day
   (the most recent range wins where ranges overlap);
2. the pair the source names as its gear (matched by name or an earlier name);
3. the pair in service that day that is the default for the run's surface, then
   the one that is the default for any run (the most recently started wins a tie);
4. the only pair in service that day;
5. none: the run is reported as unassigned, never dropped.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from loadwatch.errors import UsageError
from loadwatch.model import Activity, Gear
from loadwatch.units import METRES_PER_MILE
from loadwatch.userdata.store import (
    DEFAULT_LIMIT_M,
    Assignment,
    Shoe,
    UserData,
    gear_changes,
    name_key,
    open_userdata,
)

#: a pair is worth replacing soon from here (the 300-500 mi retail range's low end)
PLAN_AT_M = 300 * METRES_PER_MILE
#: the forecast's usage rate is taken over this many days up to ``as_of``
RATE_DAYS = 56

OK, PLAN, RETIRE, RETIRED = "ok", "plan", "retire", "retired"
#: the order rows are listed in: what needs doing first
_STATUS_ORDER = {RETIRE: 0, PLAN: 1, OK: 2, RETIRED: 3}
#: ``--fail-on`` level -> the statuses that meet it
FAIL_ON = {PLAN: (PLAN, RETIRE), RETIRE: (RETIRE,)}

# Distances are sums of floats; a pair exactly at a threshold must count as there.
_SLACK_M = 1e-6


def reached(distance_m: float, threshold_m: float) -> bool:
    return distance_m >= threshold_m - _SLACK_M


@dataclass(frozen=True, slots=True)
class Registry:
    """The user's pairs and assignments at one moment (a snapshot of the user data)."""

    shoes: tuple[Shoe, ...] = ()
    assignments: tuple[Assignment, ...] = ()

    @classmethod
    def load(cls, store: UserData) -> Registry:
        return cls(store.shoes(), store.assignments())

    def index(self) -> dict[str, Shoe]:
        """Every name and earlier name, as compared (``name_key``), -> its pair."""
        found: dict[str, Shoe] = {}
        for shoe in self.shoes:
            for alias in shoe.aliases:
                found.setdefault(name_key(alias), shoe)
        for shoe in self.shoes:
            found[shoe.key] = shoe
        return found


def runs_until(activities: Iterable[Activity], as_of: date | None = None) -> list[Activity]:
    """The runs among ``activities`` up to ``as_of`` (local date), oldest first."""
    runs = [a for a in activities if a.is_run and (as_of is None or a.start_local.date() <= as_of)]
    return sorted(runs, key=lambda a: (a.start_utc, a.id))


# ---------------------------------------------------------------------------
# gear names met in sources


def gear_first_seen(activities: Iterable[Activity]) -> dict[str, tuple[str, date]]:
    """Each gear name on a run (as compared) -> (spelling of its first run, that run's date).

    Only runs count: Strava puts a bike's name in the same column for rides.
    """
    seen: dict[str, tuple[str, date]] = {}
    for run in runs_until(activities):
        if not run.shoe or not run.shoe.strip():
            continue
        key = name_key(run.shoe)
        day = run.start_local.date()
        if key not in seen or day < seen[key][1]:
            seen[key] = (" ".join(run.shoe.split()), day)
    return seen


def with_gear(registry: Registry, activities: Iterable[Activity]) -> Registry:
    """The registry as it is once the gear names in ``activities`` are recorded (pure)."""
    created, starts = gear_changes(registry.shoes, gear_first_seen(activities))
    if not created and not starts:
        return registry
    shoes = [
        replace(shoe, in_service=starts[shoe.name]) if shoe.name in starts else shoe
        for shoe in registry.shoes
    ]
    return Registry(tuple(shoes) + tuple(created), registry.assignments)


def sync_gear(
    store: UserData, activities: Iterable[Activity], gear: Iterable[Gear] = ()
) -> list[str]:
    """Record the gear the exports list and the gear names met on runs; the pairs created.

    The services' own lists (Garmin's gear, Strava's shoes.csv) come first, so a
    pair is created with its brand, model and dates; they only ever fill blanks
    in what the user typed (``UserData.merge_listed``).
    """
    activities = list(activities)
    listed = [shoe_of(pair) for pair in gear]
    created = store.merge_listed(listed, auto=True)[0] if listed else []
    return created + store.record_gear(gear_first_seen(activities))


# ---------------------------------------------------------------------------
# which shoe each run counts for


def assign_runs(runs: Sequence[Activity], registry: Registry) -> dict[str, str | None]:
    """Activity id -> the name of the pair it counts for, or None (see module docs)."""
    by_activity = {a.activity_id: a.shoe for a in registry.assignments if a.activity_id}
    ranges = sorted(
        (a for a in registry.assignments if a.activity_id is None),
        key=lambda a: a.seq,
        reverse=True,
    )
    names = registry.index()
    chosen: dict[str, str | None] = {}
    for run in runs:
        day = run.start_local.date()
        pick = by_activity.get(run.id)
        if pick is None:
            pick = next((a.shoe for a in ranges if a.covers(day)), None)
        if pick is None and run.shoe:
            gear = names.get(name_key(run.shoe))
            pick = None if gear is None else gear.name
        if pick is None:
            pick = _default_shoe(registry.shoes, day, run.surface.value)
        chosen[run.id] = pick
    return chosen


def _default_shoe(shoes: Sequence[Shoe], day: date, surface: str) -> str | None:
    in_service = [s for s in shoes if s.in_service_on(day)]
    for wanted in (surface, "run"):
        candidates = [s for s in in_service if s.default_for == wanted]
        if candidates:
            # The newest pair is the likelier replacement of an older default.
            newest = max(candidates, key=lambda s: (s.in_service or date.min, s.key))
            return newest.name
    return in_service[0].name if len(in_service) == 1 else None


# ---------------------------------------------------------------------------
# distance per pair


@dataclass(frozen=True, slots=True)
class ShoeRun:
    """One run on a pair, with the pair's distance before and after it."""

    run: Activity
    before_m: float
    after_m: float

    @property
    def day(self) -> date:
        return self.run.start_local.date()


@dataclass(frozen=True, slots=True)
class Usage:
    """One pair and its runs, oldest first."""

    shoe: Shoe
    runs: tuple[ShoeRun, ...]

    @property
    def distance_m(self) -> float:
        return self.runs[-1].after_m if self.runs else self.shoe.start_distance_m

    def first_reaching(self, threshold_m: float) -> ShoeRun | None:
        """The first run after which the pair had at least ``threshold_m``."""
        return next((r for r in self.runs if reached(r.after_m, threshold_m)), None)

    @property
    def started(self) -> date | None:
        """When the pair came into use: its in-service date or first run, the earlier."""
        days = [d for d in (self.shoe.in_service, self.runs[0].day if self.runs else None) if d]
        return min(days, default=None)


def usage_by_shoe(
    runs: Sequence[Activity], shoes: Sequence[Shoe], shoe_of: Mapping[str, str | None]
) -> dict[str, Usage]:
    """Pair name -> its usage. A name in ``shoe_of`` with no registry entry gets the defaults."""
    known = {shoe.name: shoe for shoe in shoes}
    for name in shoe_of.values():
        if name is not None and name not in known:
            known[name] = Shoe(name)
    mine: dict[str, list[Activity]] = {name: [] for name in known}
    for run in sorted(runs, key=lambda a: (a.start_utc, a.id)):
        name = shoe_of.get(run.id)
        if name is not None:
            mine[name].append(run)
    usage: dict[str, Usage] = {}
    for name, shoe in known.items():
        total = shoe.start_distance_m
        steps: list[ShoeRun] = []
        for run in mine[name]:
            after = total + (run.distance_m or 0.0)
            steps.append(ShoeRun(run, total, after))
            total = after
        usage[name] = Usage(shoe, tuple(steps))
    return usage


def status(shoe: Shoe, distance_m: float, as_of: date, plan_at_m: float = PLAN_AT_M) -> str:
    if shoe.retired_on is not None and shoe.retired_on <= as_of:
        return RETIRED
    if reached(distance_m, shoe.limit_m):
        return RETIRE
    if reached(distance_m, plan_at_m):
        return PLAN
    return OK


def projected_limit_date(usage: Usage, as_of: date) -> date | None:
    """When the pair reaches its limit at its recent rate; when it did, if it has.

    The rate is the pair's distance over the last ``RATE_DAYS`` days up to
    ``as_of`` (fewer if it came into use later) per day. None for a retired pair,
    a pair with no recent runs, or one whose start distance alone passed the limit.
    """
    shoe = usage.shoe
    if shoe.retired_on is not None and shoe.retired_on <= as_of:
        return None
    if reached(usage.distance_m, shoe.limit_m):
        crossing = usage.first_reaching(shoe.limit_m)
        return None if crossing is None else crossing.day
    started = usage.started
    if started is None or started > as_of:
        return None
    window_start = max(as_of - timedelta(days=RATE_DAYS - 1), started)
    days = (as_of - window_start).days + 1
    recent_m = sum(r.run.distance_m or 0.0 for r in usage.runs if r.day >= window_start)
    if recent_m <= 0:
        return None
    per_day = recent_m / days
    # whole days, rounded first: 26.000000000000025 days of float noise are 26, not 27
    remaining = round((shoe.limit_m - usage.distance_m) / per_day, 9)
    return as_of + timedelta(days=math.ceil(remaining))


# ---------------------------------------------------------------------------
# the report behind ``loadwatch shoes``


@dataclass(frozen=True, slots=True)
class ShoeRow:
    shoe: Shoe
    runs: int
    #: including the distance the pair had before tracking
    distance_m: float
    first_run: date | None
    last_run: date | None
    age_days: int | None
    status: str
    projected_limit_date: date | None

    def to_dict(self) -> dict[str, Any]:
        """The public JSON shape (exactly the documented keys)."""
        return {
            "name": self.shoe.name,
            "brand": self.shoe.brand,
            "model": self.shoe.model,
            "runs": self.runs,
            "distance_m": round(self.distance_m, 1),
            "first_run": _iso(self.first_run),
            "last_run": _iso(self.last_run),
            "age_days": self.age_days,
            "limit_m": round(self.shoe.limit_m, 1),
            "status": self.status,
            "projected_limit_date": _iso(self.projected_limit_date),
            "default_for": self.shoe.default_for,
            "retired_on": _iso(self.shoe.retired_on),
        }


@dataclass(frozen=True, slots=True)
class ShoeReport:
    as_of: date
    rows: tuple[ShoeRow, ...]
    unassigned_runs: int
    unassigned_distance_m: float

    def due(self) -> ShoeReport:
        """Only the pairs to plan for or retire (``--due``)."""
        rows = tuple(r for r in self.rows if r.status in (PLAN, RETIRE))
        return ShoeReport(self.as_of, rows, self.unassigned_runs, self.unassigned_distance_m)

    def meets(self, level: str) -> bool:
        """Whether a pair is at ``level`` (plan or retire) or beyond (``--fail-on``)."""
        if level not in FAIL_ON:
            raise UsageError(f"--fail-on must be plan or retire, not '{level}'")
        return any(row.status in FAIL_ON[level] for row in self.rows)

    def to_dict(self) -> dict[str, Any]:
        return {
            "shoes": [row.to_dict() for row in self.rows],
            "unassigned": {
                "runs": self.unassigned_runs,
                "distance_m": round(self.unassigned_distance_m, 1),
            },
        }


def shoe_report(
    activities: Iterable[Activity],
    registry: Registry,
    as_of: date,
    *,
    plan_at_m: float = PLAN_AT_M,
) -> ShoeReport:
    """Each pair's runs, distance, age, status and forecast as of ``as_of``.

    Gear names in ``activities`` that the registry lacks are counted as pairs
    with the defaults (``sync_gear`` stores them; this function never writes).
    """
    activities = list(activities)
    registry = with_gear(registry, activities)
    runs = runs_until(activities, as_of)
    shoe_of = assign_runs(runs, registry)
    usage = usage_by_shoe(runs, registry.shoes, shoe_of)
    rows = [_row(u, as_of, plan_at_m) for u in usage.values()]
    rows.sort(key=lambda r: (_STATUS_ORDER[r.status], r.shoe.key))
    loose = [run for run in runs if shoe_of.get(run.id) is None]
    return ShoeReport(
        as_of=as_of,
        rows=tuple(rows),
        unassigned_runs=len(loose),
        unassigned_distance_m=sum(run.distance_m or 0.0 for run in loose),
    )


def plan_mark(rule_params: Mapping[str, Mapping[str, float]]) -> float:
    """The planning distance in metres: ``[rules.shoe-mileage] plan_mi`` if configured."""
    miles = rule_params.get("shoe-mileage", {}).get("plan_mi")
    return PLAN_AT_M if miles is None else float(miles) * METRES_PER_MILE


def report_from_store(
    home: Path,
    activities: Iterable[Activity],
    as_of: date,
    *,
    plan_at_m: float = PLAN_AT_M,
    gear: Iterable[Gear] = (),
) -> tuple[ShoeReport, list[str]]:
    """``shoe_report`` over the user data in ``home``; also the pairs created from exports."""
    activities = list(activities)
    with open_userdata(home) as store:
        created = sync_gear(store, activities, gear)
        registry = Registry.load(store)
    return shoe_report(activities, registry, as_of, plan_at_m=plan_at_m), created


def _row(usage: Usage, as_of: date, plan_at_m: float) -> ShoeRow:
    shoe = usage.shoe
    started = usage.started
    ended = shoe.retired_on if shoe.retired_on is not None and shoe.retired_on < as_of else as_of
    age = None if started is None or started > ended else (ended - started).days
    return ShoeRow(
        shoe=shoe,
        runs=len(usage.runs),
        distance_m=usage.distance_m,
        first_run=usage.runs[0].day if usage.runs else None,
        last_run=usage.runs[-1].day if usage.runs else None,
        age_days=age,
        status=status(shoe, usage.distance_m, as_of, plan_at_m),
        projected_limit_date=projected_limit_date(usage, as_of),
    )


def _iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


# ---------------------------------------------------------------------------
# pairs a service lists (Strava's shoes.csv)


def shoe_of(gear: Gear) -> Shoe:
    """A pair as the user data keeps it, from gear an export lists."""
    return Shoe(
        name=gear.name,
        brand=gear.brand,
        model=gear.model,
        in_service=gear.in_service,
        retired_on=gear.retired_on,
        limit_m=gear.limit_m or DEFAULT_LIMIT_M,
        default_for=gear.default_for,
        aliases=gear.aliases,
    )


def import_listed_shoes(store: UserData, listed: Iterable[Gear]) -> tuple[list[str], list[str]]:
    """Add the pairs a service lists (``csv_strava_shoes.read_shoes_csv``); (added, updated)."""
    return store.merge_listed([shoe_of(gear) for gear in listed])


# ---------------------------------------------------------------------------
# what the shoe rules need


def rule_inputs(activities: Iterable[Activity], registry: Registry) -> dict[str, Any]:
    """The ``RuleContext`` fields the shoe rules read: ``shoes`` and ``shoe_of``.

    Pass them to ``rules.evaluate(..., **rule_inputs(...))``.
    """
    activities = list(activities)
    registry = with_gear(registry, activities)
    return {"shoes": registry.shoes, "shoe_of": assign_runs(runs_until(activities), registry)}


def load_rule_inputs(
    home: Path, activities: Iterable[Activity], gear: Iterable[Gear] = ()
) -> dict[str, Any]:
    """``rule_inputs`` from the user data in ``home``, recording the exports' gear first."""
    activities = list(activities)
    with open_userdata(home) as store:
        sync_gear(store, activities, gear)
        registry = Registry.load(store)
    return rule_inputs(activities, registry)


def rule_usage(
    runs: Sequence[Activity], shoes: Sequence[Shoe], shoe_of: Mapping[str, str | None] | None
) -> list[Usage]:
    """Every pair's usage for the shoe rules, in registry order.

    Without ``shoe_of`` (a caller that passed no shoe data) runs count for the
    gear their sources name, with the default limit.
    """
    if shoe_of is None:
        registry = with_gear(Registry(tuple(shoes)), runs)
        shoes, shoe_of = registry.shoes, assign_runs(runs_until(runs), registry)
    return list(usage_by_shoe(runs, shoes, shoe_of).values())
