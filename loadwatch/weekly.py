"""The weekly mileage table and the daily load series the rules share.

Everything here works on the runner's *local* calendar (``Activity.start_local``):
a run at 23:30 on a Sunday belongs to that Sunday's week, whatever UTC says.
Distances stay in metres; ``to_display`` converts to miles or kilometres at the edge.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from loadwatch.model import Activity
from loadwatch.runs import SURFACES, WeekStart, running, week_start_of
from loadwatch.units import FOOT_M, Units

#: one distance column per surface, e.g. ``road_m``
SURFACE_COLUMNS: tuple[str, ...] = tuple(f"{surface}_m" for surface in SURFACES)
COLUMNS: tuple[str, ...] = (
    "week_start",
    "runs",
    "distance_m",
    "duration_s",
    "ascent_m",
    "longest_run_m",
    *SURFACE_COLUMNS,
    "change_pct",
    "rolling_4wk_m",
    "acwr",
    "partial",
)

#: the acute window and the whole window (acute plus the 21 days before it), in days
ACUTE_DAYS = 7
CHRONIC_DAYS = 28


def _runs_frame(runs: Iterable[Activity], as_of: date | None) -> pd.DataFrame:
    """One row per run: local day, distance, duration, ascent, surface (missing = 0)."""
    kept = running(runs, as_of)
    frame = pd.DataFrame(
        {
            "day": pd.to_datetime([a.start_local for a in kept]).normalize(),
            "distance_m": [a.distance_m for a in kept],
            "duration_s": [a.duration_s for a in kept],
            "ascent_m": [a.ascent_m for a in kept],
            "surface": [a.surface.value for a in kept],
        }
    )
    numbers = ["distance_m", "duration_s", "ascent_m"]
    frame[numbers] = frame[numbers].astype("float64").fillna(0.0)
    return frame


def _day_index(start: date, end: date) -> pd.DatetimeIndex:
    return pd.date_range(pd.Timestamp(start), pd.Timestamp(end), freq="D", name="date")


def daily_distance(runs: Sequence[Activity], start: date, end: date) -> pd.Series:
    """Metres run on each local day from ``start`` to ``end`` inclusive; rest days are 0."""
    frame = _runs_frame(runs, end)
    index = _day_index(start, end)
    totals = frame.groupby("day")["distance_m"].sum()
    return totals.reindex(index, fill_value=0.0).astype("float64").rename("distance_m")


def daily_surface_distance(runs: Sequence[Activity], start: date, end: date) -> pd.DataFrame:
    """Metres run on each local day per surface (one column per surface value)."""
    frame = _runs_frame(runs, end)
    index = _day_index(start, end)
    table = frame.groupby(["day", "surface"])["distance_m"].sum().unstack("surface")
    return table.reindex(index=index, columns=list(SURFACES), fill_value=0.0).fillna(0.0)


def acute_chronic(daily: pd.Series) -> tuple[pd.Series, pd.Series]:
    """The acute and chronic loads (metres per day) behind ``acwr_series``.

    Acute: the mean of days t-6..t; chronic: the mean of days t-27..t-7, so this
    week is not part of its own baseline (the coupling Lolli et al. 2019 criticised)
    and any steady weekly pattern reads the same every day. Rest days are 0.
    """
    acute = daily.rolling(ACUTE_DAYS, min_periods=ACUTE_DAYS).mean()
    chronic = (
        daily.rolling(CHRONIC_DAYS - ACUTE_DAYS, min_periods=CHRONIC_DAYS - ACUTE_DAYS)
        .mean()
        .shift(ACUTE_DAYS)
    )
    return acute, chronic


def acwr_series(daily: pd.Series) -> pd.Series:
    """Uncoupled rolling acute:chronic ratio of a daily load series (rest days already 0).

    Days t-6..t over days t-27..t-7 (science notes, section 3): a steady weekly
    pattern of any shape reads exactly 1.0, whichever weekday it is read on. It
    is undefined (NaN) until 28 days of history and whenever the chronic load is
    zero.
    """
    acute, chronic = acute_chronic(daily)
    return (acute / chronic).where(chronic > 0).rename("acwr")


def _empty() -> pd.DataFrame:
    frame = pd.DataFrame({column: pd.Series(dtype="float64") for column in COLUMNS})
    frame["week_start"] = frame["week_start"].astype(object)
    frame["runs"] = frame["runs"].astype("int64")
    frame["partial"] = frame["partial"].astype(bool)
    return frame


def build_weekly(
    runs: Sequence[Activity], as_of: date, week_start: WeekStart = "monday"
) -> pd.DataFrame:
    """One row per local calendar week, from the first run's week to the week of ``as_of``.

    Columns are in SI (see ``COLUMNS``); weeks without runs are present with zeros.
    ``change_pct`` is NaN when the previous week is zero (or missing), ``acwr`` is
    the ratio on the week's last day (or on ``as_of`` for the current week) and
    ``partial`` marks the week holding ``as_of`` unless ``as_of`` is its last day.
    Activities that are not runs, and runs after ``as_of``, are ignored.
    """
    frame = _runs_frame(runs, as_of)
    if frame.empty:
        return _empty()
    weekday = frame["day"].dt.day_of_week
    shift = weekday if week_start == "monday" else (weekday + 1) % 7
    frame["week"] = frame["day"] - pd.to_timedelta(shift, unit="D")
    weeks = pd.date_range(
        frame["week"].min(), pd.Timestamp(week_start_of(as_of, week_start)), freq="7D"
    )

    grouped = frame.groupby("week")
    table = grouped[["distance_m", "duration_s", "ascent_m"]].sum().reindex(weeks, fill_value=0.0)
    table.insert(0, "runs", grouped.size().reindex(weeks, fill_value=0).astype("int64"))
    table["longest_run_m"] = grouped["distance_m"].max().reindex(weeks, fill_value=0.0)
    by_surface = frame.groupby(["week", "surface"])["distance_m"].sum().unstack("surface")
    by_surface = by_surface.reindex(index=weeks, columns=list(SURFACES)).fillna(0.0)
    table[list(SURFACE_COLUMNS)] = by_surface.to_numpy()

    distance = table["distance_m"]
    previous = distance.shift(1)
    table["change_pct"] = ((distance - previous) / previous * 100.0).where(previous > 0)
    table["rolling_4wk_m"] = distance.rolling(4, min_periods=1).mean()

    first_day = frame["day"].min().date()
    ratio = acwr_series(daily_distance(runs, first_day, as_of))
    last_days = (weeks + pd.Timedelta(days=6)).to_series(index=weeks)
    as_of_ts = pd.Timestamp(as_of)
    table["acwr"] = ratio.reindex(last_days.clip(upper=as_of_ts)).to_numpy()
    table["partial"] = (last_days > as_of_ts).to_numpy()

    table.insert(0, "week_start", weeks.date)
    return table.reset_index(drop=True)[list(COLUMNS)]


def _rename_distance(column: str, units: Units) -> str:
    return f"{column[:-2]}_{units.value}"


def to_display(weeks: pd.DataFrame, units: Units | str) -> list[dict[str, Any]]:
    """The SI table as plain records in ``units``: ``distance_mi`` or ``distance_km``...

    Distances are rounded to 0.01, ``change_pct`` to 0.1 and ``acwr`` to 0.01;
    ascent is in feet (``ascent_ft``) for miles and metres (``ascent_m``) for
    kilometres, to 1 decimal; missing values become ``None`` and dates ISO
    strings, ready for a table, CSV or JSON.
    """
    units = Units(units)
    shown = weeks.copy()
    distance_columns = ["distance_m", "longest_run_m", *SURFACE_COLUMNS, "rolling_4wk_m"]
    shown[distance_columns] = (shown[distance_columns] / units.metres).round(2)
    shown["duration_s"] = shown["duration_s"].round(0)
    climb = "ascent_ft" if units is Units.MI else "ascent_m"
    shown["ascent_m"] = (shown["ascent_m"] / (FOOT_M if units is Units.MI else 1.0)).round(1)
    shown["change_pct"] = shown["change_pct"].round(1)
    shown["acwr"] = shown["acwr"].round(2)
    shown["week_start"] = [day.isoformat() for day in shown["week_start"]]
    renamed = {c: _rename_distance(c, units) for c in distance_columns}
    shown = shown.rename(columns={**renamed, "ascent_m": climb})
    records = shown.astype(object).where(shown.notna(), None).to_dict("records")
    return [{str(key): _native(value) for key, value in row.items()} for row in records]


def _native(value: Any) -> Any:
    """Plain Python scalars, so ``json.dumps`` and ``csv`` need no help."""
    return value.item() if isinstance(value, np.generic) else value
