"""What a recording can physically say: one table of limits for every format.

A damaged file, a GPS fault or a watch with a wrong clock can produce numbers no
runner could have produced (a 2,693 km run, 32,576 m of climb in 10 km, a start in
1970). Every activity passes through ``check`` before it is stored, whatever file
it came from:

* a value that is impossible but not needed to count the activity (ascent,
  cadence) is left out and the activity marked ``suspect``;
* an elapsed time shorter than the moving time is raised to it;
* an activity whose distance, duration, average speed or start is impossible is
  refused with a one-line reason: it is kept out of every total.

The GPX reader also leaves out single GPS points that imply an impossible speed
from their neighbours (``importers.trackpoints``); the README lists the table.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from dataclasses import dataclass
from datetime import UTC, datetime

from loadwatch.model import Activity, Integrity, Sport

#: the first consumer GPS sports watches appeared around 2000; an earlier start is
#: a clock that was never set (FIT counts from 1989, Unix from 1970)
EARLIEST_START = datetime(2000, 1, 1, tzinfo=UTC)
#: below this distance an activity's average speed and climb rate say nothing
#: (a watch started and stopped at once, GPS settling)
JUDGED_FROM_M = 100.0
#: activities shorter than this may climb as much as one of this length (altitude noise)
ASCENT_JUDGED_FROM_M = 1000.0
#: an average cadence above this counts steps, not strides (see ``steps_per_minute``)
ONE_LEG_LIMIT = 130.0

DAY_S = 86400.0


@dataclass(frozen=True, slots=True)
class Limits:
    """What one activity of a sport can be, at most."""

    #: distance of one activity
    distance_m: float
    #: elapsed (wall-clock) time of one activity
    duration_s: float
    #: average speed over the moving time (distance / duration)
    speed_ms: float
    #: metres of climb per kilometre, from ``ASCENT_JUDGED_FROM_M``
    ascent_per_km_m: float
    #: average steps per minute (None: cadence is not kept for the sport)
    cadence_spm: float | None = None


#: World records on foot (distance in metres, time in seconds), for the running
#: speed limit: no activity of a distance is run faster than its record. Shorter
#: distances are run faster, so the limit for a distance is the record speed of
#: the next standard distance at or below it, plus ``RECORD_MARGIN``.
RUNNING_RECORDS: tuple[tuple[float, float], ...] = (
    (100.0, 9.58),
    (400.0, 43.03),
    (800.0, 100.91),
    (1500.0, 206.0),
    (5000.0, 755.36),
    (10000.0, 1571.0),
    (21097.5, 3451.0),
    (42195.0, 7235.0),
    (100000.0, 21665.0),
)
#: GPS and hand-typed distances err by a few percent; the margin keeps an honest
#: fast runner with a generous GPS well inside the limit
RECORD_MARGIN = 1.05

LIMITS: dict[Sport, Limits] = {
    # multi-day ultras are recorded as one activity (Tor des Geants: 330 km, 6 days)
    # speed: see RUNNING_RECORDS (this is the 100 m record's, the fastest of them)
    Sport.RUN: Limits(500_000.0, 7 * DAY_S, 100.0 / 9.58 * RECORD_MARGIN, 600.0, 240.0),
    # race walking's 20 km record is 4.4 m/s
    Sport.WALK: Limits(500_000.0, 7 * DAY_S, 4.6, 600.0, 240.0),
    Sport.HIKE: Limits(500_000.0, 14 * DAY_S, 4.6, 800.0, 240.0),
    # Paris-Brest-Paris is 1,200 km in under 90 hours
    Sport.RIDE: Limits(2_000_000.0, 10 * DAY_S, 25.0, 250.0),
    # open-water swims of 100 km and more exist; pool records stay under 2.4 m/s
    Sport.SWIM: Limits(250_000.0, 3 * DAY_S, 2.5, 50.0),
    Sport.OTHER: Limits(3_000_000.0, 14 * DAY_S, 70.0, 800.0),
}


def running_speed_limit(distance_m: float) -> float:
    """The fastest plausible average speed (m/s) for a run of ``distance_m``."""
    index = bisect_right([d for d, _ in RUNNING_RECORDS], distance_m) - 1
    record_m, record_s = RUNNING_RECORDS[max(index, 0)]
    return record_m / record_s * RECORD_MARGIN


def speed_limit(sport: Sport, distance_m: float) -> float:
    if sport is Sport.RUN:
        return running_speed_limit(distance_m)
    return LIMITS[sport].speed_ms


def steps_per_minute(value: float) -> float:
    """A running cadence in steps per minute, whichever way the source counted it.

    FIT and most TCX writers count strides (one foot), some count steps. No runner
    averages more than about 110 strides a minute, so a value of ``ONE_LEG_LIMIT``
    or more is already steps and a lower one is doubled.
    """
    return value if value >= ONE_LEG_LIMIT else value * 2.0


class Implausible(ValueError):
    """An activity no one could have recorded; ``str()`` is the one-line reason."""


#: past this a number is damage, and is shown in scientific notation: 1e308 written
#: out in full is 309 digits, which would fill a reason line with nothing but digits
_WRITTEN_OUT = 1e9


def kilometres(metres: float, digits: int = 1) -> str:
    """A distance for a message, e.g. ``12.3 km``; an absurd one as ``1e+305 km``."""
    km = metres / 1000.0
    return f"{km:,.{digits}f} km" if abs(km) < _WRITTEN_OUT else f"{km:.3g} km"


def _kilometres(metres: float) -> str:
    return kilometres(metres)


def _hours(seconds: float) -> str:
    hours = seconds / 3600.0
    return f"{hours:,.1f} h" if abs(hours) < _WRITTEN_OUT else f"{hours:.3g} h"


def _pace(metres: float, seconds: float) -> str:
    per_km = seconds / (metres / 1000.0)
    minutes, secs = divmod(int(round(per_km)), 60)
    return f"{minutes}:{secs:02d}/km"


def check(activity: Activity) -> Activity:
    """The activity with impossible side values left out, or ``Implausible``.

    Raises ``Implausible`` when the start, distance, duration or average speed is
    beyond ``LIMITS``: such an activity must not be counted anywhere.
    """
    limits = LIMITS[activity.sport]
    sport = activity.sport.value
    if activity.start_utc < EARLIEST_START:
        raise Implausible(
            f"starts on {activity.start_utc.date().isoformat()}, before 2000 (earlier than "
            "GPS sports watches): a clock never set or a mistyped date; not counted"
        )
    for name in ("distance_m", "duration_s", "elapsed_s"):
        value = getattr(activity, name)
        if value is not None and not (math.isfinite(value) and value >= 0):
            raise Implausible(f"{name.split('_')[0]} {value} is not a measurement; not counted")
    distance = activity.distance_m
    moving = activity.duration_s
    if distance is not None and distance > limits.distance_m:
        raise Implausible(
            f"{_kilometres(distance)} in one {sport} is beyond the "
            f"{_kilometres(limits.distance_m)} any single activity can cover; not counted"
        )
    longest = max(moving or 0.0, activity.elapsed_s or 0.0)
    if longest > limits.duration_s:
        raise Implausible(
            f"{_hours(longest)} in one {sport} is beyond the {_hours(limits.duration_s)} "
            "a single recording can last; not counted"
        )
    if distance is not None and moving and distance >= JUDGED_FROM_M:
        fastest = speed_limit(activity.sport, distance)
        if distance / moving > fastest:
            raise Implausible(
                f"{_kilometres(distance)} in {moving / 60.0:,.1f} min ({_pace(distance, moving)}) "
                f"is faster than any {sport} of that distance can be "
                f"(limit {_pace(1000.0, 1000.0 / fastest)}): a ride or drive recorded as a "
                f"{sport}, or a damaged file; not counted"
            )
    return _repaired(activity, limits)


def _repaired(activity: Activity, limits: Limits) -> Activity:
    out = activity
    if out.duration_s is not None and out.elapsed_s is not None and out.elapsed_s < out.duration_s:
        # Elapsed includes pauses, so it cannot be shorter; some devices write it short.
        out = out.replace(elapsed_s=out.duration_s)
    distance = out.distance_m or 0.0
    ascent = out.ascent_m
    # a short activity may climb as much as a kilometre of it could
    most = limits.ascent_per_km_m * max(distance, ASCENT_JUDGED_FROM_M) / 1000.0
    if ascent is not None and not (math.isfinite(ascent) and 0 <= ascent <= most):
        shown = f"{ascent:,.0f}" if abs(ascent) < _WRITTEN_OUT else f"{ascent:.3g}"
        out = out.replace(ascent_m=None).flagged(
            Integrity.SUSPECT,
            f"ascent of {shown} m left out: not between 0 and "
            f"{limits.ascent_per_km_m:g} m per km over {_kilometres(distance)}",
        )
    cadence = out.avg_cadence_spm
    if cadence is not None and limits.cadence_spm is None:
        out = out.replace(avg_cadence_spm=None)
    elif cadence is not None and not (
        math.isfinite(cadence) and 0 < cadence <= (limits.cadence_spm or 0.0)
    ):
        out = out.replace(avg_cadence_spm=None).flagged(
            Integrity.SUSPECT,
            f"cadence of {cadence:.0f} steps/min left out: not between 0 and "
            f"{limits.cadence_spm:g}",
        )
    return out
