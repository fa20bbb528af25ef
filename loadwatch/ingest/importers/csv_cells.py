"""A CSV export as a table of text cells, and the cells as numbers, durations and dates.

Shared by the manual-log, Strava and Garmin Connect importers. Spreadsheet tools
leave their marks on these files: Excel saves UTF-16 with tabs or UTF-8 with a
BOM, European locales use ``;`` and decimal commas, Garmin writes ``--`` for
"nothing", thousands get separators and text cells get a protecting apostrophe.
"""

from __future__ import annotations

import csv
import io
import math
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from typing import Any

from loadwatch.csvtext import decode, sniff_separator
from loadwatch.errors import CorruptFileError, UnsupportedFormatError
from loadwatch.ingest.importers import MAX_ACTIVITIES_PER_FILE, ParseContext, too_many
from loadwatch.ingest.importers.csv_dates import (
    ALL_LANGUAGES,
    DateReader,
    read_date,
)
from loadwatch.model import Activity, ParsedFile, activity_id
from loadwatch.timezones import utc_from_local

#: cells that mean "no value" (Garmin Connect writes ``--``, and ``--:--:--`` for a time)
EMPTY = frozenset({"", "--", "--:--:--", "--:--", "--:--.-"})

# How many rows the file-wide guesses (decimal mark, units, date order) look at:
# enough to be sure, bounded so a huge file costs no more than its parse.
SAMPLE_ROWS = 500


def spread(
    rows: list[tuple[int, list[str]]], count: int = SAMPLE_ROWS
) -> list[tuple[int, list[str]]]:
    """At most ``count`` rows taken evenly over the whole file.

    Merged or re-saved lists group rows by sport (every ride, then every run), so
    the first rows alone can hold no evidence at all.
    """
    if len(rows) <= count:
        return rows
    step = len(rows) / count
    return [rows[int(i * step)] for i in range(count)]


class CellError(ValueError):
    """One cell of one row cannot be read; the row is skipped, the file imports."""


def show(text: str, limit: int = 30) -> str:
    """A cell quoted for a one-line message: control characters gone, length capped."""
    clean = "".join(c if c.isprintable() else " " for c in text.strip())
    if len(clean) > limit:
        clean = clean[: limit - 1] + "…"
    return f"'{clean}'"


# ---------------------------------------------------------------- the table


def header_key(name: str) -> str:
    """A header cell as compared: HTML stripped, case and spacing folded.

    Strava exports some headers as ``<span class="translation_missing" ...>Sport
    Type</span>``; the visible text is the column's name.
    """
    text = re.sub(r"<[^>]*>", "", name)
    text = unicodedata.normalize("NFC", text).replace("\ufeff", "").replace("®", "")
    return re.sub(r"\s+", " ", text).strip().lower()


@dataclass(slots=True)
class Table:
    header: list[str]
    #: (data row number counted from 1 after the header, blank lines not counted; cells)
    rows: list[tuple[int, list[str]]]
    separator: str
    decimal_comma: bool = False
    keys: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.keys = [header_key(h) for h in self.header]

    def find(self, *names: str) -> int | None:
        """Index of the first column named any of ``names`` (header keys)."""
        wanted = set(names)
        return next((i for i, key in enumerate(self.keys) if key in wanted), None)

    def find_all(self, *names: str) -> list[int]:
        """Indexes of every column named any of ``names``, left to right."""
        wanted = set(names)
        return [i for i, key in enumerate(self.keys) if key in wanted]


def cell(cells: list[str], index: int | None) -> str:
    """The text of a column in a row; short rows simply lack their last cells."""
    if index is None or index >= len(cells):
        return ""
    return cells[index]


#: no header of an export is this long; a longer first line is not a table, and is
#: refused before the text is decoded, split or searched (a 250 MB line cost 2 GB)
MAX_HEADER_BYTES = 1 << 20


def read_table(data: bytes) -> Table:
    """Split a CSV into header and data rows, sniffing encoding and separator."""
    _check_first_line(data)
    text = decode(data).lstrip("\ufeff")
    first_line, rest = _first_line(text)
    if first_line is None:
        raise UnsupportedFormatError("empty CSV file")
    body = text
    # Excel honours (and sometimes writes) a first line "sep=;" naming the separator.
    hint = re.fullmatch(r'"?sep=(.)"?', first_line.strip())
    if hint:
        separator = hint.group(1)
        body = rest
    else:
        separator = sniff_separator(_header_line(first_line, rest))
    records: list[list[str]] = []
    try:
        for record in csv.reader(io.StringIO(body, newline=""), delimiter=separator):
            if any(c.strip() for c in record):
                # the header plus one row per activity: stop before memory fills
                if len(records) > MAX_ACTIVITIES_PER_FILE:
                    raise too_many("rows", MAX_ACTIVITIES_PER_FILE)
                records.append(record)
    except csv.Error as exc:
        raise CorruptFileError(f"unreadable CSV ({exc})") from exc
    if not records:
        raise UnsupportedFormatError("empty CSV file")
    records = records[_title_lines(records) :]
    rows = list(enumerate(records[1:], start=1))
    table = Table(header=records[0], rows=rows, separator=separator)
    table.decimal_comma = _decimal_comma(rows, separator)
    return table


#: lines above the header that can be a title: one cell, and a header of three or more after
TITLE_LINES = 3


def _title_lines(records: list[list[str]]) -> int:
    """How many records before the header are titles ("Activities", a report name)."""

    def filled(record: list[str]) -> int:
        return sum(1 for c in record if c.strip())

    count = 0
    while count < TITLE_LINES and count + 1 < len(records) and filled(records[count]) <= 1:
        count += 1
    return count if filled(records[count]) >= 3 else 0


def _header_line(first_line: str, rest: str) -> str:
    """The line to sniff the separator in: a title line ("Activities", as old Garmin
    lists start) has no separator, so the first of the next few lines that has one."""
    line, after = first_line, rest
    for _ in range(TITLE_LINES + 1):
        if any(sep in line for sep in ",;\t"):
            return line
        following, after = _first_line(after)
        if following is None:
            break
        line = following
    return first_line


def _check_first_line(data: bytes) -> None:
    # blank lines before the header are allowed; the header itself must end in time
    start = len(data) - len(data.lstrip(b"\r\n\x00\t \xef\xbb\xbf\xff\xfe"))
    head = data[start : start + MAX_HEADER_BYTES]
    if len(data) - start > MAX_HEADER_BYTES and b"\n" not in head and b"\r" not in head:
        raise CorruptFileError(
            f"its first line is longer than {MAX_HEADER_BYTES // 2**20} MB; not a CSV export"
        )


def _first_line(text: str) -> tuple[str | None, str]:
    """The first line that is not blank, and the text after it (no list of every line)."""
    start = 0
    while start < len(text):
        found = _LINE_END.search(text, start)
        stop, after = (found.start(), found.end()) if found else (len(text), len(text))
        line = text[start:stop]
        if line.strip():
            return line, text[after:]
        start = after
    return None, ""


_LINE_END = re.compile(r"\r\n|\r|\n")


# A whole cell that can only be read one way: 1-2 or 4+ digits after the mark
# (3 digits could be a thousands group), or a group separator before a decimal.
_DOT_EVIDENCE = re.compile(r"-?\d*\.(\d{1,2}|\d{4,})|-?\d{1,3}(,\d{3})+\.\d+")
_COMMA_EVIDENCE = re.compile(r"-?\d*,(\d{1,2}|\d{4,})|-?\d{1,3}(\.\d{3})+,\d+")


def _decimal_comma(rows: list[tuple[int, list[str]]], separator: str) -> bool:
    """Whether numbers use a decimal comma, judged from cells that are unambiguous.

    Decimal commas turn up in ``,``-separated files too (quoted, as Garmin Connect
    writes them for some locales), so the cells decide; the separator only breaks
    a tie (a ``;`` file comes from a locale whose decimal mark is the comma).
    """
    dots = commas = 0
    for _, cells in rows[:SAMPLE_ROWS]:
        for text in cells:
            value = text.strip().lstrip("'")
            if _DOT_EVIDENCE.fullmatch(value):
                dots += 1
            elif _COMMA_EVIDENCE.fullmatch(value):
                commas += 1
    if dots != commas:
        return commas > dots
    return separator == ";"


# ---------------------------------------------------------------- cell values

_DOT_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?|[+-]?\d{1,3}(,\d{3})+(\.\d+)?")
_COMMA_NUMBER = re.compile(r"[+-]?(\d+(,\d*)?|,\d+)|[+-]?\d{1,3}(\.\d{3})+(,\d+)?")
# French and Swiss locales group thousands with (narrow) spaces or apostrophes.
_GROUP_SPACES = re.compile(r"(?<=\d)[\s\u00a0\u202f'’](?=\d{3}\b)")


def number(
    text: str, decimal_comma: bool, what: str, *, minimum: float | None = 0.0
) -> float | None:
    """A number cell, ``None`` when empty; ``CellError`` naming ``what`` when unreadable.

    Thousands separators are accepted only in whole groups of three digits, so a
    decimal comma in a decimal-point file is refused rather than read as x1000.
    """
    value = text.strip()
    # Excel's text-protection apostrophe ("'-12" in Garmin's French exports)
    if value.startswith(("'", "’")):
        value = value[1:]
    if value in EMPTY:
        return None
    value = _GROUP_SPACES.sub("", value)
    if decimal_comma:
        if not _COMMA_NUMBER.fullmatch(value):
            raise CellError(f"{what} {show(text)} is not a number")
        result = float(value.replace(".", "").replace(",", "."))
    else:
        if not _DOT_NUMBER.fullmatch(value):
            raise CellError(f"{what} {show(text)} is not a number")
        result = float(value.replace(",", ""))
    if not math.isfinite(result):
        raise CellError(f"{what} {show(text)} is out of range")
    if minimum is not None and result < minimum:
        raise CellError(f"{what} {show(text)} is negative")
    return result


def duration(text: str, decimal_comma: bool, what: str) -> float | None:
    """Seconds from ``h:mm:ss``, ``mm:ss`` (fractions allowed) or a plain number of seconds."""
    value = text.strip().lstrip("'")
    if value in EMPTY:
        return None
    if ":" not in value:
        return number(value, decimal_comma, what)
    if value.startswith("-"):
        raise CellError(f"{what} {show(text)} is negative")
    parts = value.split(":")
    match = re.fullmatch(r"(\d+)(?:[.,](\d+))?", parts[-1])
    if len(parts) > 3 or not match or not all(p.isdecimal() for p in parts[:-1]):
        raise CellError(f"{what} {show(text)} is not a duration (h:mm:ss or mm:ss)")
    # A leading field of hundreds of digits overflows float arithmetic (or int()'s
    # digit limit); no duration needs more than a handful.
    if any(len(p) > _DURATION_DIGITS for p in parts[:-1]):
        raise CellError(f"{what} {show(text)} is out of range")
    seconds = float(f"{match.group(1)}.{match.group(2) or 0}")
    minutes = int(parts[-2])
    hours = int(parts[0]) if len(parts) == 3 else 0
    # Minutes may run past 59 only when they lead ("75:30"); below hours they may not.
    if seconds >= 60 or (len(parts) == 3 and minutes >= 60):
        raise CellError(f"{what} {show(text)} is not a duration (h:mm:ss or mm:ss)")
    return hours * 3600.0 + minutes * 60.0 + seconds


#: digits a duration's hours or minutes may have (a million hours is already absurd)
_DURATION_DIGITS = 12


def local_start(
    text: str, what: str, *, day_first: bool = False, reader: DateReader | None = None
) -> datetime:
    """A start date or date-time as written: naive local wall time, or aware if it has an offset.

    ``reader`` is the file's ``DateReader`` (its language and slash order); without
    one, slashed dates are month-first unless ``day_first``. A date without a time
    starts at 12:00: a noon start keeps the local calendar date under any UTC offset
    (-12 to +14 h), so the run stays on the day the runner wrote whether the time
    zone is changed later or the instant is converted back and forth.
    """
    value = text.strip()
    if not value:
        raise CellError(f"{what} is empty")
    found = reader(value) if reader else read_date(value, ALL_LANGUAGES, day_first)
    if found is None:
        raise CellError(f"{what} {show(text)} is not a date")
    return found


def start_pair(moment: datetime, zone: tzinfo, what: str) -> tuple[datetime, datetime]:
    """(start_utc, start_local) from a wall time in ``zone`` or an instant with an offset."""
    try:
        if moment.tzinfo is not None:
            return moment.astimezone(UTC), moment.replace(tzinfo=None)
        return utc_from_local(moment, zone), moment
    except (OverflowError, ValueError) as exc:
        raise CellError(f"{what} {moment.isoformat()} is out of range") from exc


# ---------------------------------------------------------------- activities


def make_activity(
    ctx: ParseContext, fmt: str, row: int, start_utc: datetime, start_local: datetime, **values: Any
) -> Activity:
    """An activity of one data row; ``#rowN`` keeps every row's source distinct."""
    return Activity(
        id=activity_id(start_utc),
        source=f"{ctx.source}#row{row}",
        format=fmt,
        start_utc=start_utc,
        start_local=start_local,
        **values,
    )


RowReader = Callable[[int, list[str], list[str]], Activity]


def read_rows(table: Table, read: RowReader, warnings: list[str] | None = None) -> ParsedFile:
    """Every row through ``read(row, cells, warnings)``; unreadable rows become warnings.

    A file whose rows all fail is damaged as a whole and raises ``CorruptFileError``.
    """
    parsed = ParsedFile(warnings=list(warnings or ()))
    failures: list[str] = []
    for row, cells in table.rows:
        try:
            parsed.activities.append(read(row, cells, parsed.warnings))
        except CellError as exc:
            failures.append(f"row {row}: {exc}")
            parsed.warnings.append(f"row {row}: {exc}; row skipped")
    if failures and not parsed.activities:
        raise CorruptFileError(f"none of its {len(table.rows)} rows could be read ({failures[0]})")
    return parsed
