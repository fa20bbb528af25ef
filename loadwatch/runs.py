"""The runs among a runner's activities, in one fixed order, and the week each falls in.

Plain Python on purpose: the light commands (``activities``, ``shoes``, ``pain why``)
use these without loading pandas, and the weekly table builds on the same definitions.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any, Literal

from loadwatch.model import Activity, Surface

WeekStart = Literal["monday", "sunday"]

SURFACES: tuple[str, ...] = tuple(surface.value for surface in Surface)


def week_start_of(day: date, week_start: WeekStart = "monday") -> date:
    """The first day of the calendar week holding ``day``."""
    shift = day.weekday() if week_start == "monday" else (day.weekday() + 1) % 7
    return day - timedelta(days=shift)


def run_order(activity: Activity) -> tuple[Any, ...]:
    """A total order on activities, so sums and ties never depend on input order."""
    distance = -1.0 if activity.distance_m is None else activity.distance_m
    return (activity.start_utc, activity.id, activity.source, distance, activity.surface.value)


def running(activities: Iterable[Activity], as_of: date | None = None) -> tuple[Activity, ...]:
    """The runs among ``activities`` up to ``as_of`` (local date), in ``run_order``."""
    runs = (a for a in activities if a.is_run)
    if as_of is not None:
        runs = (a for a in runs if a.start_local.date() <= as_of)
    return tuple(sorted(runs, key=run_order))
