"""Garmin Connect's ``Activities.csv`` (the activity list export), in any of its languages.

Garmin writes the list in the account's language and display units, without
saying which units. ``Date`` is local wall time, ``--`` means no value, numbers
may carry thousands separators, and the column set varies between years. Column
and activity-type names of every language come from ``csv_vocabulary`` (with
their sources); ``csv_columns`` finds them and the file's language.

**Layouts.** The current list (``Activity Type,Date,...``, ISO dates) and the
2012-2016 one: a title line above the header, ``Activity Name,Activity Type,Start``,
starts such as ``Wed, Jun 10, 2015 4:44`` or ``Fr, 25 Mai 2012 20:31`` in the
account's language (``csv_dates``), decimal commas and ``--`` for empty, and swim
distances with their unit (``1,000 m``).

**Time.** ``Time`` is the timer time. Danish writes it as h:mm (``0:33`` is 33
minutes) where every other language writes h:mm:ss; a two-part ``Time`` is read as
h:mm when the row's moving or elapsed time agrees with that reading (or, with
neither column, when the list is Danish), else as m:ss. An h:mm time is only exact
to the minute, so an elapsed (else moving) time within that minute is used instead.

**Which distance unit.** In this order, the first that can tell:

1. a unit written in the cells (``8.07 km``, ``5.00 mi``);
2. stride length: Garmin's "stride" is the distance of one step, so ``Steps x Avg
   Stride Length`` (or ``cadence x stride x minutes``) is the distance in the
   stride's own unit. Its ratio to ``Distance`` is 1000 when Distance is in km
   (stride in m), 1609 in miles (stride in m) and 5280 in miles with stride in
   feet; the file's median ratio within 15 % of one of these decides;
3. pace: ``Avg Pace`` and ``Avg Speed`` share the distance's unit, so ``pace x
   distance = time`` holds in both and tells nothing, but a median run faster than
   4:50 per unit must be per km (4:50 per mile is a 3:00/km median, beyond almost
   every runner);
4. otherwise the configured units (``ParseContext.units``), said in one warning.

Ascent is in feet when the distance is in miles, and pool-swim distances are in
metres or yards.

**Types.** A type word the vocabulary does not know is never guessed at: the row
is kept as ``other`` and one warning names the words.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from loadwatch.ingest.classify import ON_FOOT, classify, understood
from loadwatch.ingest.importers import ParseContext
from loadwatch.ingest.importers.csv_cells import (
    EMPTY,
    SAMPLE_ROWS,
    CellError,
    Table,
    cell,
    duration,
    local_start,
    make_activity,
    number,
    read_rows,
    show,
    spread,
    start_pair,
)
from loadwatch.ingest.importers.csv_columns import GARMIN, Columns, match
from loadwatch.ingest.importers.csv_dates import DateReader
from loadwatch.ingest.importers.csv_guess import duration_for
from loadwatch.ingest.importers.csv_vocabulary import GARMIN_HEADERS
from loadwatch.model import Activity, ParsedFile, Sport
from loadwatch.units import FOOT_M, METRES_PER_KM, METRES_PER_MILE, Units

FORMAT = "garmin-csv"
EXPECTED = (
    "a Garmin Activities.csv needs its type, date and distance columns (Activity Type, "
    f"Date, Distance, named in any of {len(GARMIN_HEADERS)} languages)"
)

YARD = 0.9144

# (stride-distance / Distance ratio, the Distance unit it means)
_RATIOS = ((METRES_PER_KM, Units.KM), (METRES_PER_MILE, Units.MI), (5280.0, Units.MI))
#: a median run pace (seconds per display unit) faster than this must be per km
FASTEST_MILE_PACE_S = 290.0
#: a distance cell with its unit ("8.07 km", "1,000 m" in the old layout)
_WITH_UNIT = re.compile(r"(.*?)\s*(km|mi|m|yd|yds|ft)\.?", re.IGNORECASE)
_UNIT_WORDS = {"km": Units.KM, "mi": Units.MI}
#: type words named in the warning, at most
SHOWN_WORDS = 6


def recognise(table: Table) -> bool:
    return match(table, GARMIN).has("type", "date", "distance")


def distance_cell(text: str, comma: bool) -> tuple[float | None, str | None]:
    """A distance cell's number and the unit written after it, if any."""
    value = text.strip()
    found = _WITH_UNIT.fullmatch(value)
    unit = None
    if found and found.group(1) and found.group(1)[-1].isdigit():
        value, unit = found.group(1), found.group(2).lower()
    return number(value, comma, "Distance"), unit


@dataclass(frozen=True, slots=True)
class Layout:
    """What one file's header and contents say about how to read its cells."""

    col: Columns
    comma: bool
    unit: Units
    #: a two-part Time is hours and minutes (Danish "Tid")
    hours_minutes: bool
    dates: DateReader


def _time_in_hours(table: Table, col: Columns) -> bool:
    """Whether the Time column's two-part values are h:mm rather than m:ss (see module docs)."""
    comma = table.decimal_comma
    hm_votes = ms_votes = 0
    for _, cells in spread(table.rows):
        parts = cell(cells, col.first("time")).strip().split(":")
        if len(parts) != 2 or not all(p.isdecimal() for p in parts):
            continue
        reference = None
        for name in ("moving", "elapsed"):
            try:
                reference = duration(cell(cells, col.first(name)), comma, name)
            except CellError:
                reference = None
            if reference:
                break
        if not reference:
            continue
        first, second = int(parts[0]), int(parts[1])
        slack = max(90.0, 0.05 * reference)
        hm_votes += abs(first * 3600 + second * 60 - reference) <= slack
        ms_votes += abs(first * 60 + second - reference) <= slack
    if hm_votes != ms_votes:
        return hm_votes > ms_votes
    return col.language == "da"


def _seconds(text: str, comma: bool, what: str, hours_minutes: bool) -> float | None:
    value = text.strip()
    parts = value.split(":")
    if hours_minutes and len(parts) == 2 and all(p.isdecimal() for p in parts):
        minutes = int(parts[1])
        if minutes >= 60:
            raise CellError(f"{what} {show(text)} is not a duration (h:mm)")
        return int(parts[0]) * 3600.0 + minutes * 60.0
    return duration(value, comma, what)


def detect_units(
    table: Table, col: Columns, ctx: ParseContext, hours_minutes: bool = False
) -> tuple[Units, str | None]:
    """The file's distance unit, and a warning when it had to be assumed."""
    comma = table.decimal_comma
    ratios: list[float] = []
    paces: list[float] = []
    written: Counter[Units] = Counter()
    measured = False
    for _, cells in spread(table.rows):
        try:
            distance, unit = distance_cell(cell(cells, col.first("distance")), comma)
            stride = number(cell(cells, col.first("stride")), comma, "stride")
            steps = number(cell(cells, col.first("steps")), comma, "steps")
            cadence = _first_number(cells, col.at.get("cadence", []), comma)
            seconds = _seconds(cell(cells, col.first("moving")), comma, "time", False) or _seconds(
                cell(cells, col.first("time")), comma, "time", hours_minutes
            )
        except CellError:
            continue
        if unit in _UNIT_WORDS:
            written[_UNIT_WORDS[unit]] += 1
        if not distance or unit is not None:
            continue
        sport, _ = classify(cell(cells, col.first("type")))
        if sport is Sport.SWIM:
            continue
        measured = True
        if stride and steps:
            ratios.append(steps * stride / distance)
        elif stride and cadence and seconds:
            ratios.append(cadence * stride * seconds / 60.0 / distance)
        if sport is Sport.RUN and seconds:
            paces.append(seconds / distance)
    if written:
        return written.most_common(1)[0][0], None
    if ratios:
        median = statistics.median(ratios)
        for ratio, unit_found in _RATIOS:
            if abs(median / ratio - 1.0) < 0.15:
                return unit_found, None
    if not measured:
        return ctx.units, None
    if paces and statistics.median(paces) < FASTEST_MILE_PACE_S:
        return Units.KM, None
    return ctx.units, (
        f"distance unit not stated and not detectable (no stride length): read as "
        f"{ctx.units.value}, the configured units"
    )


def _first_number(cells: list[str], indexes: Sequence[int], comma: bool) -> float | None:
    """The first non-empty number among columns of one meaning (the cadence columns)."""
    for index in indexes:
        value = number(cell(cells, index), comma, "cadence")
        if value:
            return value
    return None


def unknown_types_warning(words: Counter[str]) -> str | None:
    """One line naming the type words no vocabulary knows (their rows are kept as other)."""
    if not words:
        return None
    shown = ", ".join(
        f"{show(word)} ({count} row{'s' * (count != 1)})"
        for word, count in words.most_common(SHOWN_WORDS)
    )
    more = f" and {len(words) - SHOWN_WORDS} more" if len(words) > SHOWN_WORDS else ""
    return f"activity types not understood, kept as other (not counted as runs): {shown}{more}"


def layout(table: Table, col: Columns, ctx: ParseContext) -> tuple[Layout, str | None]:
    hours_minutes = _time_in_hours(table, col) if col.first("time") is not None else False
    unit, warning = detect_units(table, col, ctx, hours_minutes)
    samples = [cell(cells, col.first("date")) for _, cells in table.rows[:SAMPLE_ROWS]]
    dates = DateReader(samples, col.date_languages)
    return Layout(col, table.decimal_comma, unit, hours_minutes, dates), warning


def parse(table: Table, ctx: ParseContext) -> ParsedFile:
    col = match(table, GARMIN)
    guessed = duration_for(table, col)
    plan, warning = layout(table, col, ctx)
    return read_with(table, plan, ctx, [w for w in (guessed, warning) if w])


def read_with(
    table: Table, plan: Layout, ctx: ParseContext, warnings: list[str], fmt: str = FORMAT
) -> ParsedFile:
    """Every row of a Garmin-like list read as ``plan`` says (also the structural fallback's)."""
    col, comma = plan.col, plan.comma
    miles = plan.unit is Units.MI
    unknown: Counter[str] = Counter()

    def text(cells: list[str], name: str) -> str:
        return cell(cells, col.first(name)).strip()

    def read(row: int, cells: list[str], _warnings: list[str]) -> Activity:
        start_utc, start_local = start_pair(
            local_start(text(cells, "date"), "Date", reader=plan.dates), ctx.zone, "Date"
        )
        kind = text(cells, "type")
        name = text(cells, "title") or None
        if kind and kind not in EMPTY and not understood(kind):
            unknown[kind] += 1
            sport, surface = classify(None)
        else:
            sport, surface = classify(kind, name=name)
        distance, written = distance_cell(text(cells, "distance"), comma)
        if distance is not None:
            if written in ("m", "yd", "yds", "ft"):
                distance *= {"m": 1.0, "yd": YARD, "yds": YARD, "ft": FOOT_M}[written]
            elif written in _UNIT_WORDS:
                distance *= _UNIT_WORDS[written].metres
            elif sport is Sport.SWIM:
                distance *= YARD if miles else 1.0
            else:
                distance *= plan.unit.metres
        ascent = number(text(cells, "ascent"), comma, "Total Ascent")
        if ascent is not None and miles:
            ascent *= FOOT_M
        cadence = _first_number(cells, col.at.get("cadence", []), comma)
        moving = _seconds(text(cells, "moving"), comma, "Moving Time", False)
        elapsed = _seconds(text(cells, "elapsed"), comma, "Elapsed Time", False)
        timer = _seconds(text(cells, "time"), comma, "Time", plan.hours_minutes)
        if timer and plan.hours_minutes and text(cells, "time").count(":") == 1:
            # h:mm is the timer to the minute: a time to the second within that minute
            # (elapsed, else moving) is the same timer, told more exactly
            timer = next((t for t in (elapsed, moving) if t and abs(t - timer) < 60), timer)
        return make_activity(
            ctx,
            fmt,
            row,
            start_utc,
            start_local,
            sport=sport,
            surface=surface,
            name=name,
            distance_m=distance,
            duration_s=timer or moving,
            elapsed_s=elapsed,
            ascent_m=ascent,
            avg_cadence_spm=cadence if cadence and sport in ON_FOOT else None,
            sport_detail=kind or None,
        )

    parsed = read_rows(table, read, warnings)
    note = unknown_types_warning(unknown)
    if note:
        parsed.warnings.append(note)
    return parsed
