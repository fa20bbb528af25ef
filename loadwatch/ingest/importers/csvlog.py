"""CSV activity lists: loadwatch's manual log, Strava's and Garmin Connect's exports.

The header decides which one a file is (see ``csv_manual``, ``csv_strava`` and
``csv_garmin``, whose names in every language are in ``csv_vocabulary``); a list
whose header no vocabulary knows is read by its contents where they are
unmistakable (``csv_guess``). Encoding, separator and decimal mark are sniffed
first (see ``csv_cells``). Each data row is one activity whose source is ``file#rowN``; a row
that cannot be read is skipped with a warning naming it, and the others import.
"""

from __future__ import annotations

from typing import Protocol

from loadwatch.errors import NotAnActivityError, UnsupportedFormatError
from loadwatch.ingest.importers import (
    ParseContext,
    csv_garmin,
    csv_guess,
    csv_manual,
    csv_strava,
    csv_strava_shoes,
)
from loadwatch.ingest.importers.csv_cells import Table, read_table, show
from loadwatch.ingest.importers.csv_columns import GARMIN, LANGUAGE_NAMES, STRAVA, match
from loadwatch.ingest.importers.csv_vocabulary import GARMIN_HEADERS, STRAVA_HEADERS
from loadwatch.model import ParsedFile


class Kind(Protocol):
    """What each CSV kind's module provides."""

    EXPECTED: str

    def recognise(self, table: Table) -> bool: ...

    def parse(self, table: Table, ctx: ParseContext) -> ParsedFile: ...


# Strava first: its header also holds Garmin's English "Activity Type" and "Distance".
# Strava's shoes.csv last: a shoe list has no dates or distances, so a table any
# activity kind claims (a log whose "shoe" and "name" columns ran together, say) is
# an activity list, never a list of pairs.
KINDS: tuple[Kind, ...] = (csv_strava, csv_garmin, csv_manual, csv_strava_shoes)


def parse(data: bytes, ctx: ParseContext) -> ParsedFile:
    table = read_table(data)
    for kind in KINDS:
        if kind.recognise(table):
            parsed = kind.parse(table, ctx)
            if not parsed.activities and not parsed.gear:
                # every file yields activities or says why not: a header alone is a
                # file cut short or an empty export, and the runner should know
                raise NotAnActivityError(
                    "only a header, no rows: nothing to import"
                    if not table.rows
                    else f"none of its {len(table.rows):,} rows holds an activity"
                )
            return parsed
    guessed = csv_guess.parse(table, ctx)
    if guessed is not None:
        return guessed
    raise UnsupportedFormatError(not_recognised(table))


def not_recognised(table: Table) -> str:
    """Why a table was not read, in terms its owner can check against the file.

    A header partly in one language's Garmin or Strava names says which of that
    language's names is missing; otherwise the line says what was looked for.
    """
    # header cells are the file's text: quoted and shortened so the reason stays one line
    found = ", ".join(show(h) for h in table.header[:8] if h.strip())
    more = ", …" if len(table.header) > 8 else ""
    for service, needed, vocabulary in (
        (STRAVA, ("activity_id", "activity_date", "distance"), STRAVA_HEADERS),
        (GARMIN, ("type", "date", "distance"), GARMIN_HEADERS),
    ):
        col = match(table, service)
        known = [name for name in needed if col.at.get(name)]
        if col.language is None or len(known) < 2:
            continue
        names = vocabulary[col.language]
        missing = ", ".join(_named(name, names) for name in needed if name not in known)
        title = "Strava activities.csv" if service == STRAVA else "Garmin Activities.csv"
        language = LANGUAGE_NAMES.get(col.language, col.language)
        return (
            f"looks like a {title} in {language} but has no {missing} column, and no such "
            f"column could be told from the contents; found: {found}{more}"
        )
    expected = "; ".join(kind.EXPECTED for kind in KINDS if kind.EXPECTED)
    return (
        "CSV columns not recognised and no column of dates with distances could be told from "
        f"the contents ({expected}); found: {found or 'no names'}{more}"
    )


def _named(column: str, names: dict[str, tuple[str, ...]]) -> str:
    """A canonical column with its header in the file's language: "distance ('Afstand')"."""
    spelled = names.get(column)
    spelling = show(spelled[0]) if spelled else "name unknown"
    return f"{column.replace('_', ' ')} ({spelling})"
