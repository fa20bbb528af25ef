"""CSV activity lists: loadwatch's manual log, Strava's and Garmin Connect's exports.

The header decides which one a file is (see ``csv_manual``, ``csv_strava`` and
``csv_garmin``); encoding, separator and decimal mark are sniffed first (see
``csv_cells``). Each data row is one activity whose source is ``file#rowN``; a row
that cannot be read is skipped with a warning naming it, and the others import.
"""

from __future__ import annotations

from typing import Protocol

from loadwatch.errors import NotAnActivityError, UnsupportedFormatError
from loadwatch.importers import ParseContext, csv_garmin, csv_manual, csv_strava
from loadwatch.importers.csv_cells import Table, read_table, show
from loadwatch.model import ParsedFile


class Kind(Protocol):
    """What each CSV kind's module provides."""

    EXPECTED: str

    def recognise(self, table: Table) -> bool: ...

    def parse(self, table: Table, ctx: ParseContext) -> ParsedFile: ...


# Strava first: its header also holds Garmin's English "Activity Type" and "Distance".
KINDS: tuple[Kind, ...] = (csv_strava, csv_garmin, csv_manual)


def parse(data: bytes, ctx: ParseContext) -> ParsedFile:
    table = read_table(data)
    for kind in KINDS:
        if kind.recognise(table):
            parsed = kind.parse(table, ctx)
            if not parsed.activities:
                # every file yields activities or says why not: a header alone is a
                # file cut short or an empty export, and the runner should know
                raise NotAnActivityError(
                    "only a header, no rows: nothing to import" if not table.rows else
                    f"none of its {len(table.rows):,} rows holds an activity"
                )
            return parsed
    # header cells are the file's text: quoted and shortened so the reason stays one line
    found = ", ".join(show(h) for h in table.header[:8] if h.strip())
    more = ", …" if len(table.header) > 8 else ""
    expected = "; ".join(kind.EXPECTED for kind in KINDS)
    raise UnsupportedFormatError(
        f"CSV columns not recognised ({expected}); found: {found or 'no names'}{more}"
    )
