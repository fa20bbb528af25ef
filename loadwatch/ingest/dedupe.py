"""The same run arriving from several sources is counted once.

A Strava ``activities.csv`` row and the ``.fit.gz`` it links to, the same run
exported as FIT and GPX, a file copied into two folders, a run recorded by a
watch and a phone at once: all become one activity. Two activities are the same
when they start within a few minutes of each other and their distances agree
(or a CSV row names the other's file). The most trustworthy copy supplies the
numbers (``rank_key``: integrity first, then the richest source); a CSV row adds
the name and gear the runner gave it on the service. A copy whose numbers were
not used is named in the problems when it was damaged or disagrees.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from loadwatch.model import Activity, Integrity, Problem, Sport, Surface

#: how far apart two recordings of one run may start (watch and phone started by hand)
START_TOLERANCE_S = 180.0
#: starts this close are one session whatever the distances say (a GPX re-export of a
#: FIT can measure the same points quite differently; one person cannot start twice)
SAME_MOMENT_S = 10.0
#: relative distance difference still taken as the same run (GPS tracks differ a little)
DISTANCE_TOLERANCE = 0.05
#: below this, distances are too small to compare by ratio
DISTANCE_FLOOR_M = 100.0
#: durations of copies closer than this never conflict (devices start and stop apart)
CONFLICT_FLOOR_S = 60.0

#: which source's numbers win: device files over summaries over hand-typed logs
RICHNESS = {
    "fit": 5,
    "tcx": 4,
    "gpx": 3,
    "garmin-json": 2,
    "garmin-csv": 2,
    "strava-csv": 1,
    "csv": 0,
}
#: lists that state the local wall time and derive the instant from the configured zone:
#: their offset is the zone's, so it can tell nothing more of the place's clock
_LOCAL_ONLY = frozenset({"garmin-csv", "csv"})
#: summaries a runner keeps on a service: their names and gear are the runner's own words
_TABLE_FORMATS = frozenset({"garmin-json", "garmin-csv", "strava-csv", "csv"})


def _close(a: float | None, b: float | None, floor: float) -> bool:
    if a is None or b is None:
        return a is None and b is None
    if max(a, b) < floor:
        return True
    return abs(a - b) <= DISTANCE_TOLERANCE * max(a, b)


def _linked(a: Activity, b: Activity) -> bool:
    return bool(a.linked_file) and (
        b.source == a.linked_file or b.source.startswith(f"{a.linked_file}!")
    )


def _leaf_of(activity: Activity) -> str:
    """The file (or archive member) an activity came from, without a CSV row number."""
    return activity.source.split("#", 1)[0]


def same_run(a: Activity, b: Activity) -> bool:
    """Whether two activities are one session recorded or exported twice."""
    if _leaf_of(a) == _leaf_of(b):
        # Sessions of one multisport file, or rows of one log, are distinct by construction.
        return False
    gap = abs((a.start_utc - b.start_utc).total_seconds())
    if (_linked(a, b) or _linked(b, a)) and gap <= 86400:
        return True
    if gap > START_TOLERANCE_S:
        return False
    if a.sport is not b.sport and Sport.OTHER not in (a.sport, b.sport):
        return False
    if gap <= SAME_MOMENT_S:
        return True
    if a.distance_m and b.distance_m:
        return _close(a.distance_m, b.distance_m, DISTANCE_FLOOR_M)
    if not a.distance_m and not b.distance_m:
        return _close(a.duration_s, b.duration_s, 60.0)
    return False


#: in a crowd of activities starting together, each is compared with at most this
#: many before it: real copies of a run are a handful, and a hostile archive of
#: thousands of runs at one moment must not cost quadratic time
MAX_COMPARED = 64


def _filled(activity: Activity) -> int:
    return sum(
        value is not None
        for value in (
            activity.distance_m,
            activity.duration_s,
            activity.elapsed_s,
            activity.ascent_m,
            activity.avg_cadence_spm,
            activity.device,
        )
    )


def _disagreement(activity: Activity, group: Sequence[Activity]) -> float:
    """How far an activity's distance is from the other copies' (0: all agree)."""
    mine = activity.distance_m
    if not mine:
        return 0.0
    # real copies are a handful; a hostile crowd chained into one group of thousands
    # must not make ranking it quadratic
    return sum(
        abs(mine - other.distance_m) / max(mine, other.distance_m)
        for other in group[:MAX_COMPARED]
        if other is not activity and other.distance_m
    )


def rank_key(activity: Activity, group: Sequence[Activity]) -> tuple[object, ...]:
    """Sort key putting the copy whose numbers count first.

    Integrity first (complete, then suspect, then partial), whatever the format;
    then the richest format, the most values, and the copy closest to the other
    copies' distance. The path decides only between copies equal in all of these
    (copies of one file, the likeliest such tie, were settled by ``copies``).
    """
    return (
        activity.integrity.rank,
        -RICHNESS.get(activity.format, 0),
        -_filled(activity),
        round(_disagreement(activity, group), 6),
        activity.source,
    )


def merge_group(group: Sequence[Activity]) -> Activity:
    """One activity from several copies of the same run."""
    return _merge(group)[0]


def _merge(group: Sequence[Activity]) -> tuple[Activity, list[Problem]]:
    ordered = sorted(group, key=lambda a: rank_key(a, group))
    best = ordered[0]
    if len(ordered) == 1:
        return best, []
    # Gaps are filled only from copies as trustworthy as the best: a damaged
    # copy's ascent must not slip into a clean run's numbers.
    donors = [a for a in ordered if a.integrity.rank <= best.integrity.rank]
    filled: dict[str, object] = {}
    for field in ("distance_m", "duration_s", "elapsed_s", "ascent_m", "avg_cadence_spm", "device"):
        if getattr(best, field) is None:
            filled[field] = next(
                (getattr(a, field) for a in donors if getattr(a, field) is not None), None
            )
    tables = [a for a in ordered if a.format in _TABLE_FORMATS]
    # The name and gear a runner typed on the service beat a device's default label.
    name = next((a.name for a in tables if a.name), None) or next(
        (a.name for a in ordered if a.name), None
    )
    shoe = next((a.shoe for a in tables if a.shoe), None) or next(
        (a.shoe for a in ordered if a.shoe), None
    )
    surface = best.surface
    if surface is Surface.UNKNOWN:
        surface = next((a.surface for a in ordered if a.surface is not Surface.UNKNOWN), surface)
    sport = best.sport
    if sport is Sport.OTHER:
        sport = next((a.sport for a in ordered if a.sport is not Sport.OTHER), sport)
    merged = sorted(
        {a.source for a in ordered[1:]} | {s for a in ordered for s in a.merged_sources}
    )
    start_local, guessed = _local_start(best, ordered)
    kept = best.replace(
        start_local=start_local,
        zone_guessed=guessed,
        name=name,
        shoe=shoe,
        surface=surface,
        sport=sport,
        merged_sources=tuple(s for s in merged if s != best.source),
        **filled,
    )
    return kept, [p for other in ordered[1:] if (p := _copy_problem(other, best)) is not None]


def _local_start(best: Activity, ordered: Sequence[Activity]) -> tuple[datetime, bool]:
    """The local start of a merged run: the best copy's, unless it only guessed the zone.

    A FIT without the watch's offset, or a Strava row, put the start in the
    configured zone; a copy that knows the place's clock (a GPX's first point, a
    Garmin summary, a FIT with its offset) gives the run its own local day.
    """
    if not best.zone_guessed:
        return best.start_local, False
    knowing = next((a for a in ordered if not a.zone_guessed and a.format not in _LOCAL_ONLY), None)
    if knowing is None:
        return best.start_local, True
    offset = knowing.start_local - knowing.start_utc.replace(tzinfo=None)
    return best.start_utc.replace(tzinfo=None) + offset, False


def _copy_problem(other: Activity, best: Activity) -> Problem | None:
    """A line naming a copy whose numbers were not used, when it was damaged or disagrees."""
    parts = []
    if other.integrity is not Integrity.COMPLETE:
        parts.append(f"it is {other.integrity.value}: {other.integrity_note}")
    if _disagree(other.distance_m, best.distance_m, DISTANCE_FLOOR_M):
        parts.append(f"it says {_km(other.distance_m)} against {_km(best.distance_m)}")
    if _disagree(other.duration_s, best.duration_s, CONFLICT_FLOOR_S):
        parts.append(f"it says {_minutes(other.duration_s)} against {_minutes(best.duration_s)}")
    if not parts:
        return None
    when = best.start_local.strftime("%Y-%m-%d %H:%M")
    if best.integrity.rank < other.integrity.rank:
        why = "more trustworthy"
    elif RICHNESS.get(best.format, 0) > RICHNESS.get(other.format, 0):
        why = f"a {best.format.upper()} file holds more than a {other.format.upper()} one"
    else:
        why = "it agrees best with the other copies"
    return Problem(
        other.source,
        f"a copy of the {best.sport.value} of {when} ({'; '.join(parts)}); "
        f"{best.source} is used ({best.integrity.value}, {why})",
        "integrity",
    )


def _disagree(a: float | None, b: float | None, floor: float) -> bool:
    """Whether two measurements of one run differ beyond GPS and rounding error."""
    if a is None or b is None:
        return False
    return abs(a - b) > max(DISTANCE_TOLERANCE * max(a, b), floor)


def _km(metres: float | None) -> str:
    return f"{(metres or 0.0) / 1000.0:,.2f} km"


def _minutes(seconds: float | None) -> str:
    return f"{(seconds or 0.0) / 60.0:,.1f} min"


def merge_duplicates(activities: Sequence[Activity]) -> list[Activity]:
    """Activities with copies merged, sorted by start, with unique ids."""
    return merge_reporting(activities)[0]


def merge_reporting(activities: Sequence[Activity]) -> tuple[list[Activity], list[Problem]]:
    """``merge_duplicates``, and a problem for every copy set aside as damaged or disagreeing."""
    ordered = sorted(activities, key=lambda a: (a.start_utc, a.source))
    parent = list(range(len(ordered)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    linked_by_file = {a.linked_file: i for i, a in enumerate(ordered) if a.linked_file}
    for i, current in enumerate(ordered):
        j = i - 1
        while (
            j >= max(0, i - MAX_COMPARED)
            and (current.start_utc - ordered[j].start_utc).total_seconds() <= START_TOLERANCE_S
        ):
            if same_run(current, ordered[j]):
                parent[root(i)] = root(j)
            j -= 1
        # A CSV row and its linked file may disagree on the start by more than the window.
        for key in (current.source, current.source.split("!", 1)[0]):
            k = linked_by_file.get(key)
            if k is not None and same_run(ordered[k], current):
                parent[root(i)] = root(k)

    groups: dict[int, list[Activity]] = {}
    for i, activity in enumerate(ordered):
        groups.setdefault(root(i), []).append(activity)
    merged: list[Activity] = []
    problems: list[Problem] = []
    for group in groups.values():
        kept, found = _merge(group)
        merged.append(kept)
        problems.extend(found)
    merged.sort(key=lambda a: (a.start_utc, a.source))
    return _unique_ids(merged), problems


def _unique_ids(activities: list[Activity]) -> list[Activity]:
    counts: dict[str, int] = {}
    out: list[Activity] = []
    for activity in activities:
        seen = counts.get(activity.id, 0) + 1
        counts[activity.id] = seen
        out.append(activity if seen == 1 else activity.replace(id=f"{activity.id}-{seen}"))
    return out
