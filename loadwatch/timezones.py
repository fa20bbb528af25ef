"""The runner's time zone, and turning source timestamps into UTC and local wall time."""

from __future__ import annotations

import os
from datetime import UTC, datetime, tzinfo
from pathlib import Path
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
