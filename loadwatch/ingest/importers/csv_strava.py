"""Strava bulk export ``activities.csv``: one row per activity, the files beside it.

Layouts (column names in the account's language, see ``csv_vocabulary``):

- **2018 lowercase**: ``id,date,name,type,description,elapsed_time,distance,...``;
  ISO dates, distance in metres.
- **2019 short**: ``Activity ID,Activity Date,...,Elapsed Time,Distance,...``: one
  ``Distance``, in the athlete's display unit.
- **long** (2019 on, 70 to 100+ columns): header names repeat. The first
  ``Distance`` is in the display unit and a later one in metres, so the last
  ``Distance`` is read. Both ``Elapsed Time`` columns are seconds; the later one (a
  float) is preferred. Since 2025 columns come and go between exports: everything
  is found by name.

What else the export does that matters here:

- A single ``Distance`` column says nothing of its unit. A median "distance" above
  250 is in metres (no sport's median outing is 250 km); a median run faster
  than 4:50 per unit is per km (see ``csv_garmin``); otherwise the configured
  units are used and a warning says so.
- Some headers are HTML (``<span class="translation_missing" ...>Sport Type</span>``);
  their visible text names them.
- ``Activity Date`` is UTC, written in the account's language ("May 12, 2026,
  8:07:59 AM", "09.12.2022, 15:24:49", "10 mars 2024, 07:30:00", see
  ``csv_dates``); the local start follows from the runner's time zone.
- German ``Höhenunterschied`` is the elevation *loss*; the gain is ``Höhenzunahme``.
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
import statistics
from collections import Counter
from datetime import UTC, datetime

from loadwatch.ingest.classify import classify, understood
from loadwatch.ingest.importers import ParseContext
from loadwatch.ingest.importers.csv_cells import (
    SAMPLE_ROWS,
    CellError,
    Table,
    cell,
    duration,
    make_activity,
    number,
    read_rows,
    show,
    spread,
)
from loadwatch.ingest.importers.csv_columns import STRAVA, Columns, match
from loadwatch.ingest.importers.csv_dates import DateReader
from loadwatch.ingest.importers.csv_garmin import FASTEST_MILE_PACE_S, unknown_types_warning
from loadwatch.model import Activity, ParsedFile, Sport
from loadwatch.timezones import local_wall_time
from loadwatch.units import Units

FORMAT = "strava-csv"
EXPECTED = (
    "a Strava activities.csv needs Activity ID, Activity Date and Distance (or their translations)"
)

#: below this an average running cadence must be one leg's (strides/min)
ONE_LEG_LIMIT = 130.0
#: a median run "distance" above this can only be metres
METRES_FROM = 250.0


def recognise(table: Table) -> bool:
    return match(table, STRAVA).has("activity_id", "activity_date", "distance")


def activity_date(text: str, reader: DateReader | None = None) -> datetime:
    """The UTC start of a Strava ``Activity Date`` cell."""
    value = text.strip()
    if not value:
        raise CellError("Activity Date is empty")
    found = (reader or DateReader([value]))(value)
    if found is None:
        raise CellError(f"Activity Date {show(text)} is not a date")
    return found.replace(tzinfo=UTC) if found.tzinfo is None else found.astimezone(UTC)


def linked_path(source: str, filename: str) -> str:
    """``Filename`` as a source path: joined to the folder of ``activities.csv``.

    Inside an archive (``export.zip!activities.csv``) the folder is the one inside
    the archive, so the link reads ``export.zip!activities/123.fit.gz``.
    """
    outer, bang, inner = source.rpartition("!")
    base = posixpath.dirname(inner.replace("\\", "/"))
    joined = posixpath.join(base, filename.strip().replace("\\", "/"))
    return f"{outer}{bang}{joined}"


def distance_scale(table: Table, col: Columns, ctx: ParseContext) -> tuple[int, float, str | None]:
    """(column holding the distance, metres per its unit, a warning if the unit was assumed)."""
    distances = col.at["distance"]
    if len(distances) >= 2:
        return distances[-1], 1.0, None
    index = distances[0]
    comma = table.decimal_comma
    values: list[float] = []
    paces: list[float] = []
    measured: list[float] = []
    for _, cells in spread(table.rows):
        try:
            distance = number(cell(cells, index), comma, "Distance")
            seconds = _elapsed(cells, col, comma)
        except CellError:
            continue
        if distance:
            measured.append(distance)
        sport, _ = classify(
            cell(cells, col.first("sport_type")), cell(cells, col.first("activity_type"))
        )
        if sport is Sport.RUN and distance:
            values.append(distance)
            if seconds:
                paces.append(seconds / distance)
    # no sport's median outing is 250 km or mi: such numbers are metres (the 2018 layout)
    if measured and statistics.median(measured) > METRES_FROM:
        return index, 1.0, None
    if paces and statistics.median(paces) < FASTEST_MILE_PACE_S:
        return index, Units.KM.metres, None
    if not measured:
        return index, ctx.units.metres, None
    return (
        index,
        ctx.units.metres,
        (
            f"only one Distance column (an older export) and nothing in the file tells its "
            f"unit: read as {ctx.units.value}, the configured units"
        ),
    )


def _elapsed(cells: list[str], col: Columns, comma: bool) -> float | None:
    # the later column is the precise one (a float); the first is whole seconds
    for index in reversed(col.at.get("elapsed_time", [])):
        found = duration(cell(cells, index), comma, "Elapsed Time")
        if found is not None:
            return found
    return None


def parse(table: Table, ctx: ParseContext) -> ParsedFile:
    return read_with(table, match(table, STRAVA), ctx, [])


def read_with(table: Table, col: Columns, ctx: ParseContext, warnings: list[str]) -> ParsedFile:
    """Every row read with the columns ``col`` names (also the structural fallback's)."""
    comma = table.decimal_comma
    distance_col, metres_per_unit, warning = distance_scale(table, col, ctx)
    samples = [cell(cells, col.first("activity_date")) for _, cells in table.rows[:SAMPLE_ROWS]]
    dates = DateReader(samples, col.date_languages)
    unknown: Counter[str] = Counter()

    def read(row: int, cells: list[str], _warnings: list[str]) -> Activity:
        def text(name: str) -> str:
            return cell(cells, col.first(name)).strip()

        start_utc = activity_date(text("activity_date"), dates)
        try:
            start_local = local_wall_time(start_utc, ctx.zone)
        except OverflowError as exc:
            raise CellError(f"Activity Date {show(text('activity_date'))} is out of range") from exc
        name = text("activity_name") or None
        kind = text("activity_type")
        detail = text("sport_type")
        if (kind or detail) and not (understood(detail) or understood(kind)):
            unknown[detail or kind] += 1
            sport, surface = classify(None)
        else:
            sport, surface = classify(detail, kind, name=name)
        distance = number(cell(cells, distance_col), comma, "Distance")
        cadence = number(text("average_cadence"), comma, "Average Cadence")
        if sport is not Sport.RUN:
            cadence = None
        elif cadence is not None and cadence < ONE_LEG_LIMIT:
            cadence *= 2
        filename = text("filename")
        return make_activity(
            ctx,
            FORMAT,
            row,
            start_utc,
            start_local,
            sport=sport,
            surface=surface,
            name=name,
            distance_m=None if distance is None else distance * metres_per_unit,
            duration_s=duration(text("moving_time"), comma, "Moving Time"),
            elapsed_s=_elapsed(cells, col, comma),
            ascent_m=number(text("elevation_gain"), comma, "Elevation Gain"),
            avg_cadence_spm=cadence or None,
            shoe=text("activity_gear") or None,
            sport_detail=detail or kind or None,
            linked_file=linked_path(ctx.source, filename) if filename else None,
            # Strava's dates are UTC: the local time is the configured zone's
            zone_guessed=True,
        )

    parsed = read_rows(table, read, [*warnings, *([warning] if warning else [])])
    note = unknown_types_warning(unknown)
    if note:
        parsed.warnings.append(note)
    return parsed
