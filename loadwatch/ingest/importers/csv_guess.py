"""The structural fallback: an activity list whose header no vocabulary knows.

A Garmin list in a language not in ``csv_vocabulary`` (or a layout not seen yet)
still has the same shape: one row per activity, a column of dates, one of
distances, one of h:mm:ss durations and one of type words. Columns are taken
from their contents only where the evidence is strong:

- **date**: the leftmost column whose non-empty cells all read as dates
  (``csv_dates``, every language) and that is filled in most rows;
- **duration**: the leftmost column of h:mm:ss cells without fractions (lap times
  carry tenths);
- **distance**: a column of decimals ("8.00", "10,02") proven by ``distance x pace =
  duration`` in most rows (the pace column holds m:ss), or, without a pace column,
  the only column of decimals between the date and the duration (where
  Garmin writes it);
- **type**: the column whose cells are mostly type words the vocabulary knows, or
  else the first column when it holds words and comes before the date (Garmin's
  place for it). Words in it that nothing knows are never guessed at: their rows
  stay ``other`` and are named.

Without a date and a distance column nothing is imported (the file is reported as
not recognised). What was guessed is said in one line. The same evidence fills a
duration column a recognised list lacks (a language with only some names known).

A Strava export in a language with no known names is told apart first, by its
``activities/<id>.fit.gz`` file names, and read in Strava's fixed column order
(``strava``).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from loadwatch.ingest.classify import understood
from loadwatch.ingest.importers import ParseContext
from loadwatch.ingest.importers.csv_cells import (
    EMPTY,
    SAMPLE_ROWS,
    CellError,
    Table,
    cell,
    duration,
    number,
    show,
)
from loadwatch.ingest.importers.csv_columns import Columns
from loadwatch.ingest.importers.csv_dates import ALL_LANGUAGES, read_date
from loadwatch.model import ParsedFile

FORMAT = "csv"

_HMS = re.compile(r"\d{1,3}:\d{2}:\d{2}")
_MS = re.compile(r"\d{1,2}:\d{2}")
#: share of a column's non-empty cells that must fit its kind
STRONG = 0.9
#: share of rows in which ``distance x pace = duration`` must hold
PROVEN = 0.8
#: how far distance x pace may be from the duration (pace is rounded to the second)
PACE_SLACK = 0.03


#: rows whose cells decide what a column holds: enough for strong evidence, few enough
#: that a wide unknown list costs little more than its parse
GUESS_ROWS = 100


def _texts(table: Table, index: int) -> list[str]:
    return [cell(cells, index).strip() for _, cells in table.rows[:GUESS_ROWS]]


def _filled(texts: list[str]) -> list[str]:
    return [t.lstrip("'") for t in texts if t and t not in EMPTY]


def _share(texts: list[str], test: Callable[[str], bool]) -> float:
    filled = _filled(texts)
    if not filled:
        return 0.0
    return sum(1 for t in filled if test(t)) / len(filled)


def _matches(pattern: re.Pattern[str]) -> Callable[[str], bool]:
    return lambda text: pattern.fullmatch(text) is not None


def _is_date(text: str) -> bool:
    return read_date(text, ALL_LANGUAGES) is not None


def _decimal(comma: bool) -> Callable[[str], bool]:
    """Whether a cell is written as a decimal number ("8.00", "10,02"): distances are."""
    written = re.compile(r"\d+,\d{1,3}" if comma else r"\d+\.\d{1,3}")

    def test(text: str) -> bool:
        if not written.fullmatch(text):
            return False
        try:
            value = number(text, comma, "x")
        except CellError:
            return False
        return value is not None

    return test


def date_column(table: Table, skip: set[int]) -> int | None:
    rows = max(1, min(len(table.rows), GUESS_ROWS))
    for index in range(len(table.header)):
        if index in skip:
            continue
        texts = _texts(table, index)
        if len(_filled(texts)) >= rows / 2 and _share(texts, _is_date) >= STRONG:
            return index
    return None


def duration_column(table: Table, skip: set[int]) -> int | None:
    for index in range(len(table.header)):
        if index not in skip and _share(_texts(table, index), _matches(_HMS)) >= STRONG:
            return index
    return None


def _proven_by_pace(table: Table, distance: int, time: int, pace: int) -> bool:
    comma = table.decimal_comma
    checked = agreed = 0
    for _, cells in table.rows[:SAMPLE_ROWS]:
        try:
            km = number(cell(cells, distance), comma, "x")
            seconds = duration(cell(cells, time), comma, "x")
            per = duration(cell(cells, pace), comma, "x")
        except CellError:
            continue
        if not km or not seconds or not per:
            continue
        checked += 1
        agreed += abs(km * per - seconds) <= PACE_SLACK * seconds
    return checked > 0 and agreed >= PROVEN * checked


def distance_column(table: Table, date: int, time: int | None, skip: set[int]) -> int | None:
    comma = table.decimal_comma
    decimals = [
        i
        for i in range(len(table.header))
        if i not in skip and i != date and _share(_texts(table, i), _decimal(comma)) >= STRONG
    ]
    if time is not None:
        paces = [
            i
            for i in range(len(table.header))
            if i not in skip
            and i not in (date, time)
            and _share(_texts(table, i), _matches(_MS)) >= STRONG
        ]
        for index in decimals:
            if any(_proven_by_pace(table, index, time, pace) for pace in paces):
                return index
        if paces:
            return None
        between = [i for i in decimals if date < i < time]
        return between[0] if len(between) == 1 else None
    return None


def type_column(table: Table, date: int, skip: set[int]) -> int | None:
    best, best_share = None, 0.5
    for index in range(len(table.header)):
        if index in skip or index == date:
            continue
        share = _share(_texts(table, index), understood)
        if share > best_share:
            best, best_share = index, share
    if best is not None:
        return best
    first = _filled(_texts(table, 0))
    if 0 not in skip and date > 0 and first and not any(c.isdigit() for c in "".join(first)):
        return 0
    return None


def duration_for(table: Table, col: Columns) -> str | None:
    """Fill in a duration column a recognised list lacks; the line saying so, if one was."""
    if any(col.at.get(name) for name in ("time", "moving", "elapsed")):
        return None
    taken = {i for indexes in col.at.values() for i in indexes}
    found = duration_column(table, taken)
    if found is None:
        return None
    col.at["time"] = [found]
    return f"duration column guessed from its contents: {show(table.header[found])}"


def guess(table: Table) -> tuple[Columns, str] | None:
    """The columns of an unknown list from their contents, and the line naming them."""
    date = date_column(table, set())
    if date is None:
        return None
    time = duration_column(table, {date})
    distance = distance_column(table, date, time, set())
    if distance is None:
        return None
    kind = type_column(table, date, {distance} | ({time} if time is not None else set()))
    found = {"date": date, "distance": distance, "duration": time, "type": kind}
    col = Columns(None, {"date": [date], "distance": [distance]})
    if time is not None:
        col.at["time"] = [time]
    if kind is not None:
        col.at["type"] = [kind]
    named = ", ".join(
        f"{what} = {show(table.header[index])}"
        for what, index in found.items()
        if index is not None
    )
    return col, f"columns not recognised by name; guessed from their contents: {named}"


# ---------------------------------------------------------------- Strava by its column order

#: a Strava export's Filename cell: the activity's file inside the export
_STRAVA_FILE = re.compile(r"activities/\d+\.(fit|gpx|tcx)(\.gz)?", re.IGNORECASE)
_WHOLE = re.compile(r"\d+(\.0+)?")
#: Strava's first columns, the same in every language and every layout since 2019
STRAVA_ORDER = {
    "activity_id": 0,
    "activity_date": 1,
    "activity_name": 2,
    "activity_type": 3,
    "elapsed_time": 5,
    "distance": 6,
}
#: metres per display unit: the long layout's second distance is the first in metres
_PER_UNIT = (1000.0, 1609.344)
_RATIO_SLACK = 0.02


def _metres_column(table: Table, display: int) -> int | None:
    """The column holding the display distance in metres (the long layout's second one)."""
    comma = table.decimal_comma
    for index in range(display + 1, len(table.header)):
        checked = agreed = 0
        for _, cells in table.rows[:SAMPLE_ROWS]:
            try:
                shown = number(cell(cells, display), comma, "x")
                metres = number(cell(cells, index), comma, "x")
            except CellError:
                continue
            if not shown or not metres:
                continue
            checked += 1
            agreed += any(abs(metres / (shown * unit) - 1.0) <= _RATIO_SLACK for unit in _PER_UNIT)
        if checked and agreed >= PROVEN * checked:
            return index
    return None


def strava(table: Table) -> tuple[Columns, str] | None:
    """A Strava export in a language with no known names, told by its structure.

    Strava starts every layout with ID, date, name, type, description, elapsed time
    and distance, and its Filename cells point into the export
    (``activities/123.fit.gz``). The metres column is the one that is the display
    distance times 1000 or 1609.344 in most rows; without it the distance's unit is
    decided as for the short layout.
    """
    if len(table.header) <= STRAVA_ORDER["distance"]:
        return None
    files = [
        i
        for i in range(len(table.header))
        if _share(_texts(table, i), _matches(_STRAVA_FILE)) >= 0.5
    ]
    if not files:
        return None
    checks = (
        (STRAVA_ORDER["activity_id"], _matches(_WHOLE)),
        (STRAVA_ORDER["activity_date"], _is_date),
        (STRAVA_ORDER["elapsed_time"], _matches(_WHOLE)),
    )
    if any(_share(_texts(table, i), test) < STRONG for i, test in checks):
        return None
    col = Columns(None, {name: [index] for name, index in STRAVA_ORDER.items()})
    col.at["filename"] = [files[0]]
    metres = _metres_column(table, STRAVA_ORDER["distance"])
    named = [
        f"{what} = {show(table.header[STRAVA_ORDER[key]])}"
        for what, key in (
            ("date", "activity_date"),
            ("type", "activity_type"),
            ("distance", "distance"),
        )
    ]
    if metres is not None:
        col.at["distance"].append(metres)
        named.append(f"metres = {show(table.header[metres])}")
    return col, (
        "columns not recognised by name; read in Strava's column order: " + ", ".join(named)
    )


def parse(table: Table, ctx: ParseContext) -> ParsedFile | None:
    """The activities of an unknown list, or None when its columns cannot be told."""
    # imported here: the readers are shared, and csv_garmin imports this module
    from loadwatch.ingest.importers import csv_strava
    from loadwatch.ingest.importers.csv_garmin import layout, read_with

    found_strava = strava(table)
    if found_strava is not None:
        col, line = found_strava
        return csv_strava.read_with(table, col, ctx, [line])
    found = guess(table)
    if found is None:
        return None
    col, line = found
    plan, warning = layout(table, col, ctx)
    return read_with(table, plan, ctx, [line, *([warning] if warning else [])], fmt=FORMAT)
