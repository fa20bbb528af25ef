"""Start dates as activity lists write them, in any language of the export vocabulary.

Garmin Connect writes ISO dates today (``2025-10-31 15:51:00``), but its older lists
and every Strava export write them for people: ``Fr, 25 Mai 2012 20:31``, ``"Sep 12,
2018, 3:02:23 PM"``, ``"10.03.2024, 07:30:00"``, ``"10 mars 2024, 07:30:00"``, ``23 jun.
2017 15:52:12``. A cell is read in these steps:

1. ISO dates (with or without a time, an offset or ``Z``);
2. CJK dates (``2024年3月10日 7:30``, ``2024년 3월 10일 오후 7:30``);
3. numeric dates: ``yyyy-mm-dd``, ``yyyy/mm/dd``, ``dd.mm.yyyy``, ``dd-mm-yyyy`` and
   ``a/b/yyyy``, whose order the whole file decides (``slashes_day_first``);
4. dates with words: the month a word of the file's language (or, failing that, of
   any language in ``csv_vocabulary.MONTHS``), weekday words and commas ignored.

Month words are compared case-insensitively without a trailing full stop, and any
abbreviation of at least three letters of the full name counts ("Sept", "Mär"), so
both glibc's and CLDR's spellings read. Words must be read in the file's language:
"listopad" is November in Polish and October in Croatian, "mar." is March in
English and Tuesday in French. ``DateReader`` therefore picks, per file, the first
language (the header's language first, then English, then the rest) that reads
every sampled cell, and only falls back to trying all languages for a cell that
language cannot read.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from functools import cache

from loadwatch.ingest.importers.csv_vocabulary import MONTHS, WEEKDAYS

#: a date without a time starts at noon (see ``csv_cells.local_start``)
NOON = time(12, 0)

#: words that join a date's parts in some languages ("10 de marzo de 2024, a las 7:30")
_FILLER = frozenset(
    {
        "de",
        "del",
        "a",
        "las",
        "à",
        "um",
        "om",
        "kl",
        "klo",
        "at",
        "г",
        "r",
        "в",
        "o",
        "le",
        "el",
        "den",
        "the",
        "of",
    }
)
_AM = frozenset({"am", "a.m", "a. m", "午前", "오전", "上午"})
_PM = frozenset({"pm", "p.m", "p. m", "午後", "오후", "下午"})

_ISO = re.compile(r"\d{4}-\d{2}-\d{2}")
_ISO_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]")
_CJK = re.compile(r"(\d{4})\s*[年년]\s*(\d{1,2})\s*[月월]\s*(\d{1,2})\s*[日일]?\s*(.*)")
_NUMERIC = re.compile(r"(\d{1,4})([./-])(\d{1,2})\2(\d{1,4})\.?(?:(?:[ T,]|\s)+(.*))?")
_CLOCK = re.compile(
    r"(\d{1,2})[:.h](\d{2})(?::(\d{2})(?:[.,]\d+)?)?\s*([ap]\.?\s?m\.?)?", re.IGNORECASE
)
_SLASHED = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})\b")

#: how many cells of a file decide its date language
SAMPLE = 20


def slashes_day_first(texts: Iterable[str], limit: int = 500) -> bool:
    """Whether ``a/b/yyyy`` dates in a file are day-first: some first number exceeds 12.

    A file written by one program uses one order, so one unambiguous date decides
    for all of them; with none, month-first (as US Excel writes it) is assumed.
    """
    for count, text in enumerate(texts):
        if count >= limit:
            break
        match = _SLASHED.match(text.strip())
        if match and int(match.group(1)) > 12:
            return True
    return False


@dataclass(frozen=True, slots=True)
class _Words:
    #: exact spellings (casefolded, no trailing stop) -> month 1-12
    months: dict[str, int]
    #: full month names, for abbreviations
    names: tuple[tuple[str, int], ...]
    weekdays: frozenset[str]


def _fold(word: str) -> str:
    return word.casefold().rstrip(".")


@cache
def _words(language: str) -> _Words:
    months: dict[str, int] = {}
    names: list[tuple[str, int]] = []
    for number, spellings in enumerate(MONTHS.get(language, ()), start=1):
        for spelling in spellings:
            months.setdefault(_fold(spelling), number)
        names.extend((_fold(s), number) for s in spellings if len(_fold(s)) > 3)
    weekdays = frozenset(_fold(w) for day in WEEKDAYS.get(language, ()) for w in day)
    return _Words(months, tuple(names), weekdays)


def _month(word: str, words: _Words) -> int | None:
    if word in words.months:
        return words.months[word]
    if len(word) < 3:
        return None
    found = {number for name, number in words.names if name.startswith(word)}
    return found.pop() if len(found) == 1 else None


def _clock(text: str) -> time | None:
    """A time of day from the rest of a cell ("15:24:49", "3:02:23 PM", "오후 7:30")."""
    rest = text.strip().strip(",").strip()
    if not rest:
        return NOON
    marker = None
    for word in (*_AM, *_PM):
        if rest.casefold().startswith(word):
            marker, rest = ("p" if word in _PM else "a"), rest[len(word) :].strip()
            break
    match = _CLOCK.fullmatch(rest.rstrip("."))
    if not match:
        return None
    hour, minute, second = int(match[1]), int(match[2]), int(match[3] or 0)
    suffix = match[4]
    if suffix:
        marker = suffix[0].lower()
    if marker:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if marker == "p" else 0)
    if hour > 23 or minute > 59 or second > 59:
        return None
    return time(hour, minute, second)


def _numeric(match: re.Match[str], day_first: bool) -> datetime | None:
    first, sep, second, third, rest = match.groups()
    if len(first) == 4:
        year, month, day = int(first), int(second), int(third)
    elif len(third) == 4:
        year = int(third)
        swap = sep == "/" and not day_first
        month, day = (int(first), int(second)) if swap else (int(second), int(first))
    else:
        return None
    moment = _clock(rest or "")
    if moment is None:
        return None
    return datetime.combine(date(year, month, day), moment)


def _worded(value: str, words: _Words) -> datetime | None:
    year = month = day = None
    clock_parts: list[str] = []
    chunks = value.replace(",", " ").split()
    index = 0
    while index < len(chunks):
        chunk = chunks[index]
        index += 1
        if clock_parts or _CLOCK.fullmatch(chunk) and ":" in chunk:
            clock_parts.append(chunk)
            continue
        folded = _fold(chunk)
        if folded in _AM or folded in _PM:
            # a marker before the clock ("오후 7:30"), or after it
            clock_parts.append(chunk)
            continue
        digits = chunk.rstrip(".")
        if digits.isdecimal():
            if len(digits) == 4 and year is None:
                year = int(digits)
            elif len(digits) <= 2 and day is None:
                day = int(digits)
            else:
                return None
            continue
        if folded in _FILLER:
            continue
        found = words.months.get(folded)
        if found is None and folded in words.weekdays:
            continue
        if found is None:
            found = _month(folded, words)
        if found is None or month is not None:
            return None
        month = found
    if year is None or month is None or day is None:
        return None
    moment = _clock(" ".join(clock_parts))
    if moment is None:
        return None
    return datetime.combine(date(year, month, day), moment)


def read_date(text: str, languages: Sequence[str], day_first: bool = False) -> datetime | None:
    """The date-time a cell writes (naive, or aware when it states an offset), or None."""
    value = text.strip()
    if len(value) < 6 or not any(c.isdigit() for c in value):
        return None  # no date is shorter than "1.4.24" or has no digits
    try:
        if _ISO.fullmatch(value):
            return datetime.combine(date.fromisoformat(value), NOON)
        if _ISO_TIME.match(value):
            return datetime.fromisoformat(value)
        match = _CJK.fullmatch(value)
        if match:
            moment = _clock(match[4])
            if moment is None:
                return None
            return datetime.combine(date(int(match[1]), int(match[2]), int(match[3])), moment)
        match = _NUMERIC.fullmatch(value)
        if match:
            return _numeric(match, day_first)
        if not any(c.isalpha() for c in value):
            return None
        for language in languages:
            found = _worded(value, _words(language))
            if found is not None:
                return found
    except ValueError:
        return None
    return None


#: every language with month names, in a fixed order after the preferred ones
ALL_LANGUAGES: tuple[str, ...] = ("en", *(lang for lang in MONTHS if lang != "en"))


class DateReader:
    """Reads one file's date cells in the language and order the file itself shows."""

    def __init__(self, samples: Sequence[str], preferred: Sequence[str] = ()) -> None:
        texts = [s for s in samples if s.strip()]
        self.day_first = slashes_day_first(texts)
        order = list(dict.fromkeys([*preferred, *ALL_LANGUAGES]))
        self.order: tuple[str, ...] = tuple(order)
        worded = [t for t in texts[:SAMPLE] if any(c.isalpha() for c in t)]
        if worded:
            best = max(
                order,
                key=lambda lang: (
                    sum(read_date(t, (lang,), self.day_first) is not None for t in worded),
                    -order.index(lang),
                ),
            )
            self.order = (best, *(lang for lang in order if lang != best))

    def __call__(self, text: str) -> datetime | None:
        found = read_date(text, self.order[:1], self.day_first)
        if found is None:
            found = read_date(text, self.order, self.day_first)
        return found
