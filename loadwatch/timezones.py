"""The runner's time zone, and turning source timestamps into UTC and local wall time."""

from __future__ import annotations

import math
import os
from datetime import UTC, datetime, tzinfo
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def system_timezone_name() -> str:
    """The IANA name of this machine's zone (TZ, then /etc/localtime), else UTC."""
    name = os.environ.get("TZ", "").lstrip(":")
    if name:
        try:
            ZoneInfo(name)
            return name
        except (ZoneInfoNotFoundError, ValueError):
            pass
    localtime = Path("/etc/localtime")
    try:
        target = str(localtime.resolve())
    except OSError:
        return "UTC"
    marker = "zoneinfo/"
    if marker in target:
        candidate = target.split(marker, 1)[1]
        try:
            ZoneInfo(candidate)
            return candidate
        except (ZoneInfoNotFoundError, ValueError):
            pass
    return "UTC"


def local_wall_time(start_utc: datetime, zone: tzinfo) -> datetime:
    """Naive local wall-clock time of a UTC instant in ``zone``."""
    return start_utc.astimezone(zone).replace(tzinfo=None)


def utc_from_local(wall: datetime, zone: tzinfo) -> datetime:
    """UTC instant of a naive local wall-clock time in ``zone`` (first of an ambiguous pair)."""
    return wall.replace(tzinfo=zone).astimezone(UTC)


@cache
def _finder() -> Any:
    """The one offline zone lookup of this process, built on first use.

    ``timezonefinder`` ships the boundary data and answers a point in well under
    a millisecond once built (about 0.1 s): built lazily, so a run that reads
    only the cache or only FIT files never pays for it. None if it cannot load.
    """
    try:
        from timezonefinder import TimezoneFinder
    except ImportError:  # pragma: no cover - a declared dependency
        return None
    return TimezoneFinder()


@cache
def _zone(name: str) -> ZoneInfo | None:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def zone_at(latitude: float, longitude: float) -> ZoneInfo | None:
    """The time zone in force at a point (IANA rules), or None when it cannot be told.

    Over the sea the answer is the nautical zone (``Etc/GMT+10``), which is
    still the right clock for a run on a ship.
    """
    if not (
        math.isfinite(latitude)
        and math.isfinite(longitude)
        and -90 <= latitude <= 90
        and -180 <= longitude <= 180
    ):
        return None
    finder = _finder()
    if finder is None:
        return None
    try:
        name = finder.timezone_at(lng=longitude, lat=latitude)
    except ValueError:
        return None
    return _zone(name) if name else None


def local_wall_time_at(
    start_utc: datetime, position: tuple[float, float] | None, fallback: tzinfo
) -> tuple[datetime, bool]:
    """Local wall time of ``start_utc`` where ``position`` (lat, lon) is, else in ``fallback``.

    GPX and TCX state UTC only; the zone of the first GPS point puts a run abroad
    on the day and hour it had there, whatever zone the runner configured. The
    second value says the fallback had to be used (the place's zone is unknown).
    """
    zone = zone_at(*position) if position is not None else None
    return local_wall_time(start_utc, zone or fallback), zone is None
