"""Strava bulk export ``activities.csv``: one row per activity, the files beside it.

What the export does that matters here:

- Header names repeat. The first ``Distance`` is in the athlete's display unit
  (km or mi) and a later one in metres, so the last ``Distance`` is read. Both
  ``Elapsed Time`` columns are seconds; the later one (a float) is preferred.
  Older exports with a single ``Distance`` have only the display-unit column; it is
  read as kilometres, with a warning.
- Some headers are HTML (``<span class="translation_missing" ...>Sport Type</span>``);
  their visible text names them.
- ``Activity Date`` ("May 12, 2026, 8:07:59 AM") is UTC; the local start follows
  from the runner's time zone.
- ``Average Cadence`` for a run is what the device recorded, which for runs is one
  leg (strides per minute, as FIT stores running cadence). A run's value below
  130 is doubled into steps per minute; at 130 or more it cannot be one-leg
  running cadence (that tops out near 110) and is kept. Other sports' cadence
  (pedal rpm, or walking cadence of unknown convention) is not kept.
- ``Filename`` (``activities/123.fit.gz``) is relative to the export root, which
  is the folder holding ``activities.csv``; rows without one were typed in by hand
  and stand alone.
"""

from __future__ import annotations

import posixpath
import re
from datetime import UTC, datetime

from loadwatch.classify import classify
from loadwatch.importers import ParseContext
from loadwatch.importers.csv_cells import (
    CellError,
    Table,
    cell,
    duration,
    make_activity,
    number,
    read_rows,
    show,
)
from loadwatch.model import Activity, ParsedFile, Sport
from loadwatch.timezones import local_wall_time
from loadwatch.units import METRES_PER_KM

FORMAT = "strava-csv"
EXPECTED = "a Strava activities.csv needs Activity Date, Activity Type and Distance"

#: below this an average running cadence must be one leg's (strides/min)
ONE_LEG_LIMIT = 130.0

_MONTHS = {m: i for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)}
_CLOCK = r",? (\d{1,2}):(\d{2}):(\d{2})(?: ?([AaPp])\.?[Mm]\.?)?"
# "May 12, 2026, 8:07:59 AM" (en-US) and "12 May 2026, 08:07:59" (en-GB)
_US_DATE = re.compile(r"([A-Za-z]{3})[A-Za-z]*\.? (\d{1,2}), (\d{4})" + _CLOCK)
_GB_DATE = re.compile(r"(\d{1,2}) ([A-Za-z]{3})[A-Za-z]*\.? (\d{4})" + _CLOCK)


def recognise(table: Table) -> bool:
    names = ("activity date", "activity type", "distance")
    return all(table.find(name) is not None for name in names)


def activity_date(text: str) -> datetime:
    """The UTC start of a Strava ``Activity Date`` cell."""
    value = text.strip()
    if not value:
        raise CellError("Activity Date is empty")
    try:
        if re.match(r"\d{4}-\d{2}-\d{2}", value):
            moment = datetime.fromisoformat(value)
            return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
        for pattern, month_group, day_group in ((_US_DATE, 1, 2), (_GB_DATE, 2, 1)):
            match = pattern.fullmatch(value)
            if not match:
                continue
            month = _MONTHS.get(match[month_group].lower())
            hour = int(match[4])
            if match[7]:
                if not 1 <= hour <= 12:
                    break
                hour = hour % 12 + (12 if match[7].lower() == "p" else 0)
            if month is None:
                break
            return datetime(int(match[3]), month, int(match[day_group]), hour,
                            int(match[5]), int(match[6]), tzinfo=UTC)
    except ValueError:
        pass
    raise CellError(f"Activity Date {show(text)} is not a date")


def linked_path(source: str, filename: str) -> str:
    """``Filename`` as a source path: joined to the folder of ``activities.csv``.

    Inside an archive (``export.zip!activities.csv``) the folder is the one inside
    the archive, so the link reads ``export.zip!activities/123.fit.gz``.
    """
    outer, bang, inner = source.rpartition("!")
    base = posixpath.dirname(inner.replace("\\", "/"))
    joined = posixpath.join(base, filename.strip().replace("\\", "/"))
    return f"{outer}{bang}{joined}"


def parse(table: Table, ctx: ParseContext) -> ParsedFile:
    comma = table.decimal_comma
    distances = table.find_all("distance")
    elapsed_cols = table.find_all("elapsed time")[::-1]
    col = {
        name: table.find(name)
        for name in ("activity date", "activity type", "activity name", "activity gear",
                     "filename", "moving time", "elevation gain", "average cadence", "sport type")
    }
    warnings = []
    if len(distances) >= 2:
        distance_col, metres_per_unit = distances[-1], 1.0
    else:
        distance_col, metres_per_unit = distances[0], METRES_PER_KM
        warnings.append("only one Distance column (an older export): read as kilometres")

    def read(row: int, cells: list[str], _warnings: list[str]) -> Activity:
        def text(name: str) -> str:
            return cell(cells, col[name]).strip()

        start_utc = activity_date(text("activity date"))
        try:
            start_local = local_wall_time(start_utc, ctx.zone)
        except OverflowError as exc:
            raise CellError(f"Activity Date {show(text('activity date'))} is out of range") from exc
        name = text("activity name") or None
        kind = text("activity type")
        sport, surface = classify(text("sport type"), kind, name=name)
        distance = number(cell(cells, distance_col), comma, "Distance")
        elapsed = None
        for index in elapsed_cols:
            elapsed = duration(cell(cells, index), comma, "Elapsed Time")
            if elapsed is not None:
                break
        cadence = number(text("average cadence"), comma, "Average Cadence")
        if sport is not Sport.RUN:
            cadence = None
        elif cadence is not None and cadence < ONE_LEG_LIMIT:
            cadence *= 2
        filename = text("filename")
        return make_activity(
            ctx, FORMAT, row, start_utc, start_local,
            sport=sport, surface=surface, name=name,
            distance_m=None if distance is None else distance * metres_per_unit,
            duration_s=duration(text("moving time"), comma, "Moving Time"),
            elapsed_s=elapsed,
            ascent_m=number(text("elevation gain"), comma, "Elevation Gain"),
            avg_cadence_spm=cadence or None,
            shoe=text("activity gear") or None,
            sport_detail=text("sport type") or kind or None,
            linked_file=linked_path(ctx.source, filename) if filename else None,
        )

    return read_rows(table, read, warnings)
