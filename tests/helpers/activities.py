"""Activities for rule and table tests, made in memory (no file behind them)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from loadwatch.model import Activity, Sport, Surface, activity_id


def make_activity(
    start: datetime | str,
    distance_km: float | None = 5.0,
    *,
    sport: Sport = Sport.RUN,
    surface: Surface = Surface.UNKNOWN,
    duration_s: float | None = None,
    zone: str = "UTC",
    **overrides: Any,
) -> Activity:
    """An activity for rule and table tests; ``start`` is local wall time in ``zone``."""
    if isinstance(start, str):
        start = datetime.fromisoformat(start)
    local = start.replace(tzinfo=None)
    start_utc = local.replace(tzinfo=ZoneInfo(zone)).astimezone(UTC)
    distance_m = None if distance_km is None else distance_km * 1000.0
    if duration_s is None and distance_m is not None:
        duration_s = distance_m / 1000.0 * 330.0  # 5:30 per km
    values: dict[str, Any] = {
        "id": activity_id(start_utc),
        "source": f"test/{activity_id(start_utc)}.fit",
        "format": "fit",
        "sport": sport,
        "surface": surface,
        "start_utc": start_utc,
        "start_local": local,
        "distance_m": distance_m,
        "duration_s": duration_s,
        "elapsed_s": duration_s,
    }
    values.update(overrides)
    return Activity(**values)


def daily_runs(first: str, days: int, km: float, every: int = 1, **kw: Any) -> list[Activity]:
    """A run of ``km`` every ``every`` days at 07:00, starting on ``first``."""
    start = datetime.fromisoformat(first).replace(hour=7)
    return [make_activity(start + timedelta(days=d), km, **kw) for d in range(0, days, every)]
