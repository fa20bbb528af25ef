"""Which column of an activity list is which, whatever language its header is written in.

Every language's spellings of a service's columns (``csv_vocabulary``) go into one
lookup from the compared form of a header (``csv_cells.header_key``) to the
canonical column it names. A file's language is the one whose spellings cover most
of its header; where two languages spell different columns alike, the file's own
language decides. The language also orders the date reader's month words.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from loadwatch.ingest.importers.csv_cells import Table, header_key
from loadwatch.ingest.importers.csv_vocabulary import GARMIN_HEADERS, STRAVA_HEADERS

GARMIN = "garmin"
STRAVA = "strava"

LANGUAGE_NAMES = {
    "en": "English",
    "de": "German",
    "fr": "French",
    "es": "Spanish",
    "it": "Italian",
    "nl": "Dutch",
    "pt": "Portuguese",
    "da": "Danish",
    "sv": "Swedish",
    "nb": "Norwegian",
    "fi": "Finnish",
    "pl": "Polish",
    "cs": "Czech",
    "hu": "Hungarian",
    "ru": "Russian",
    "uk": "Ukrainian",
    "el": "Greek",
    "tr": "Turkish",
    "ja": "Japanese",
    "zh": "Chinese (simplified)",
    "zh-Hant": "Chinese (traditional)",
    "ko": "Korean",
    "th": "Thai",
    "id": "Indonesian",
}


@cache
def _lookup(service: str) -> dict[str, tuple[tuple[str, str], ...]]:
    """header key -> every (language, canonical column) spelling it so."""
    tables = GARMIN_HEADERS if service == GARMIN else STRAVA_HEADERS
    found: dict[str, list[tuple[str, str]]] = {}
    for language, columns in tables.items():
        for column, spellings in columns.items():
            for spelling in spellings:
                entry = (language, column)
                bucket = found.setdefault(header_key(spelling), [])
                if entry not in bucket:
                    bucket.append(entry)
    return {key: tuple(entries) for key, entries in found.items()}


@dataclass(slots=True)
class Columns:
    """The columns of one file a service's vocabulary names."""

    #: the header's language (None when no header cell is known)
    language: str | None
    #: canonical column -> every index it is at, left to right
    at: dict[str, list[int]] = field(default_factory=dict)
    #: header cells that matched nothing
    unknown: list[int] = field(default_factory=list)

    def first(self, column: str) -> int | None:
        found = self.at.get(column)
        return found[0] if found else None

    def has(self, *columns: str) -> bool:
        return all(self.at.get(c) for c in columns)

    @property
    def date_languages(self) -> tuple[str, ...]:
        """The languages whose month words the file's dates most likely use.

        The header tables and ``MONTHS`` share their language codes.
        """
        return () if self.language is None else (self.language,)


def match(table: Table, service: str) -> Columns:
    """The canonical columns of ``table`` in ``service``'s vocabulary."""
    lookup = _lookup(service)
    votes: dict[str, int] = {}
    for key in table.keys:
        # not "language": that name is the winner's below (str | None)
        for voter in {lang for lang, _ in lookup.get(key, ())}:
            votes[voter] = votes.get(voter, 0) + 1
    order = list(GARMIN_HEADERS if service == GARMIN else STRAVA_HEADERS)
    language = max(votes, key=lambda lang: (votes[lang], -order.index(lang))) if votes else None
    columns = Columns(language)
    for index, key in enumerate(table.keys):
        entries = lookup.get(key)
        if not entries:
            columns.unknown.append(index)
            continue
        own = [column for lang, column in entries if lang == language]
        for column in own or [entries[0][1]]:
            columns.at.setdefault(column, []).append(index)
    return columns
