"""Parse one file on disk into activities and problems: the unit of (parallel) work.

This runs in worker processes, so it takes and returns only picklable values and
imports nothing heavy (no pandas).
"""

from __future__ import annotations

import dataclasses
import math
import unicodedata
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from loadwatch.errors import SourceError
from loadwatch.ingest.copies import LeafPrint, fingerprint
from loadwatch.ingest.dedupe import START_TOLERANCE_S
from loadwatch.ingest.importers import (
    MAX_ACTIVITIES_PER_FILE,
    ParseContext,
    parse_bytes,
    sniff_format,
    too_many,
)
from loadwatch.ingest.plausibility import Implausible, check
from loadwatch.ingest.sources import SourceFile, read_leaves
from loadwatch.model import Activity, Gear, ParsedFile, Problem
from loadwatch.units import Units

#: A start this late is a damaged date whatever today is (years near 9999 overflow
#: calendar arithmetic downstream); starts after today are refused when the
#: collection is assembled (``library``), since a cached file must not depend on
#: the day it was read.
LATEST_START_YEAR = 2099
#: one file's activities starting within START_TOLERANCE_S of each other (a triathlon's
#: legs and transitions are five; a log's date-only rows share noon)
MAX_STARTS_TOGETHER = 50
#: names, shoes and devices are cut to this many characters: no real one is longer,
#: and a hostile file must not flood every table and report
MAX_TEXT = 200
#: formats whose parse depends on a file's content alone, not its name (a CSV's
#: linked files sit beside it, a Garmin JSON's kind is in its name), so that an
#: identical copy's activities can be taken from the first copy read
NAME_BLIND_FORMATS = frozenset({"fit", "gpx", "tcx"})
_UNSAFE_CATEGORIES = frozenset({"Cc", "Cs", "Zl", "Zp"})
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


@dataclass(slots=True)
class FileResult:
    activities: list[Activity] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    #: every file the source held (itself, or its archive members), to find copies
    leaves: list[LeafPrint] = field(default_factory=list)
    #: shoes the source's service lists (Garmin's gear.json, Strava's shoes.csv)
    gear: list[Gear] = field(default_factory=list)


def parse_source(source: SourceFile, zone_name: str, units: str = Units.MI.value) -> FileResult:
    """Everything one file yields; never raises for bad content.

    ``units`` (the configured ``mi`` or ``km``) is what a list whose distances do not
    say their unit is read in (see ``ParseContext.units``).
    """
    zone = ZoneInfo(zone_name)
    unit = Units(units)
    result = FileResult()
    # the archive's own activity limits count the activities of members with distinct
    # content (identical copies count once, as ``copies`` counts them once)
    distinct: set[str] = set()
    counted = 0
    # what a member already read gave, by content and format, for its copies
    read: dict[tuple[str, str], tuple[str, FileResult]] = {}
    crowd = Crowd()
    try:
        for leaf in read_leaves(source):
            if isinstance(leaf, SourceError):
                result.problems.append(Problem(leaf.path or source.display, one_line(leaf.reason)))
                continue
            content = fingerprint(leaf.data)
            key = (content.digest, _format_of(leaf.data, leaf.display))
            if key in read:
                first, outcome = read[key]
                settled = renamed(outcome, first, leaf.display)
            else:
                settled = _read_leaf(leaf.data, ParseContext(leaf.display, zone, unit))
                if key[1] in NAME_BLIND_FORMATS:
                    read[key] = (leaf.display, settled)
            failed = not settled.activities and not settled.gear
            result.leaves.append(LeafPrint(leaf.display, failed, content))
            result.activities.extend(settled.activities)
            result.problems.extend(settled.problems)
            result.gear.extend(settled.gear)
            if content.digest in distinct:
                continue
            distinct.add(content.digest)
            counted += len(settled.activities)
            if crowd.crowded_by(settled.activities):
                # members are files of their own, each within the limits; the archive
                # as a whole is not a real export either. Found as members are read,
                # so a crowd of 100,000 costs 51 of them.
                result.activities.clear()
                result.problems.append(Problem(source.display, crowded_reason()))
                return result
            if counted > MAX_ACTIVITIES_PER_FILE:
                # checked member by member, so a 100,000-member archive stops here
                reason = too_many("activities in one archive", MAX_ACTIVITIES_PER_FILE).reason
                result.problems.append(Problem(source.display, reason))
                result.activities.clear()
                return result
    except SourceError as exc:
        result.problems.append(Problem(source.display, one_line(exc.reason)))
    return result


def _read_leaf(data: bytes, ctx: ParseContext) -> FileResult:
    """What one file gives: its settled activities, or the one-line reason it gives none."""
    try:
        parsed = parse_bytes(data, ctx)
    except SourceError as exc:
        return FileResult(problems=[Problem(ctx.source, one_line(exc.reason))])
    except Exception as exc:  # noqa: BLE001 - one odd file must never stop the rest
        detail = one_line(f"{type(exc).__name__}: {exc}")
        reason = f"could not be read ({detail}); please report this file"
        return FileResult(problems=[Problem(ctx.source, reason)])
    return settle(parsed, ctx.source)


def _format_of(data: bytes, display: str) -> str:
    try:
        return sniff_format(data, display)
    except SourceError:
        return ""


def renamed(outcome: FileResult, old: str, new: str) -> FileResult:
    """``outcome`` of the file shown as ``old``, as its identical copy ``new`` gives it.

    Only the names differ: a FIT, GPX or TCX file's content alone decides what it
    holds (``NAME_BLIND_FORMATS``), so a copy is not parsed again. An archive of
    thousands of copies of one run costs one parse, not thousands.
    """

    def swap(name: str) -> str:
        return new + name[len(old) :] if name.startswith(old) else name

    return FileResult(
        [a.replace(source=swap(a.source)) for a in outcome.activities],
        [dataclasses.replace(p, source=swap(p.source)) for p in outcome.problems],
        gear=[dataclasses.replace(g, source=swap(g.source)) for g in outcome.gear],
    )


def settle(parsed: ParsedFile, display: str) -> FileResult:
    """What an importer returned, made fit for the store and for printing.

    Warnings become problems, activities beyond the plausibility limits are left
    out with a reason (``plausibility.check``), and text taken from the file is
    tidied (see ``tidy_text``).
    """
    crowded = _crowded(parsed.activities)
    if crowded:
        return FileResult([], [Problem(display, crowded)])
    kept, refused = _plausible(parsed.activities)
    problems = [Problem(display, one_line(warning), "warning") for warning in parsed.warnings]
    gear = [g for g in map(_tidied_gear, parsed.gear) if g is not None]
    return FileResult([_tidied(a) for a in kept], problems + refused, gear=gear)


def _crowded(activities: list[Activity]) -> str | None:
    """Why a file's activities cannot be real, if they cannot.

    Merging copies compares every pair of runs starting within a few minutes, so a
    file with thousands of runs at one moment would stall the import for hours.
    """
    if len(activities) > MAX_ACTIVITIES_PER_FILE:
        return too_many("activities", MAX_ACTIVITIES_PER_FILE).reason
    return (
        crowded_reason()
        if _has_crowd(sorted(a.start_utc.timestamp() for a in activities))
        else None
    )


def _has_crowd(starts: list[float]) -> bool:
    """Whether too many of these sorted starts (seconds) fall together.

    Too many: more than ``MAX_STARTS_TOGETHER`` within ``START_TOLERANCE_S`` of the
    first of them.
    """
    first = 0
    for last, start in enumerate(starts):
        while start - starts[first] > START_TOLERANCE_S:
            first += 1
        if last - first >= MAX_STARTS_TOGETHER:
            return True
    return False


def crowded_reason() -> str:
    return (
        f"more than {MAX_STARTS_TOGETHER} of its activities start within "
        f"{START_TOLERANCE_S / 60:g} minutes of each other; not a real export (refused)"
    )


class Crowd:
    """Starts added one file at a time, to tell as soon as too many fall together.

    Decides as ``_crowded`` does over all the starts added: more than
    ``MAX_STARTS_TOGETHER`` within ``START_TOLERANCE_S`` of the first of them. Starts
    are kept in buckets ``START_TOLERANCE_S`` wide; any such group lies within the
    buckets beside its last start, and a bucket holding more would already be one,
    so each added start looks at a bounded number of others.
    """

    def __init__(self) -> None:
        self._buckets: dict[int, list[float]] = {}

    def crowded_by(self, activities: list[Activity]) -> bool:
        """Add the activities' starts; whether the starts added so far are crowded."""
        for activity in activities:
            moment = activity.start_utc.timestamp()
            bucket = math.floor(moment / START_TOLERANCE_S)
            self._buckets.setdefault(bucket, []).append(moment)
            keys = (bucket - 1, bucket, bucket + 1)
            if sum(len(self._buckets.get(key, ())) for key in keys) <= MAX_STARTS_TOGETHER:
                continue  # too few near it to be crowded, and nothing to sort
            if _has_crowd(sorted(s for key in keys for s in self._buckets.get(key, ()))):
                return True
        return False


def tidy_text(text: str, limit: int = MAX_TEXT) -> str:
    """Text from a file made safe to print anywhere: one line, no terminal controls, bounded.

    Control characters (escape sequences, bells, line breaks), undecodable bytes and
    the invisible bidirectional overrides that can make text read backwards become
    spaces; the result is stripped and cut to ``limit`` characters.
    """
    if text.isprintable() and len(text) <= limit and text == text.strip():
        return text
    chars = (
        " " if unicodedata.category(c) in _UNSAFE_CATEGORIES or c in _BIDI_CONTROLS else c
        for c in text
    )
    flat = " ".join("".join(chars).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _tidied(activity: Activity) -> Activity:
    changes: dict[str, str | None] = {}
    for name in ("name", "shoe", "device", "sport_detail"):
        value = getattr(activity, name)
        if value is not None:
            tidy = tidy_text(value)
            if tidy != value:
                changes[name] = tidy or None
    return activity.replace(**changes) if changes else activity


def _tidied_gear(gear: Gear) -> Gear | None:
    """Gear with its text made safe to print, or None when it has no usable name."""
    name = tidy_text(gear.name)
    if not name:
        return None
    # brand and model by name, not a dict of them, so each keeps its type (str | None)
    brand = None if gear.brand is None else tidy_text(gear.brand) or None
    model = None if gear.model is None else tidy_text(gear.model) or None
    aliases = tuple(a for a in (tidy_text(alias) for alias in gear.aliases) if a)
    # a hostile list must not flood the shoe table: ids are kept, bounded like rows
    activities = gear.activities[:MAX_ACTIVITIES_PER_FILE]
    return dataclasses.replace(
        gear, name=name, brand=brand, model=model, aliases=aliases, activities=activities
    )


def one_line(text: str, limit: int = 300) -> str:
    """A reason as one printable line of bounded length, whatever text it quotes."""
    flat = " ".join("".join(c if c.isprintable() else " " for c in text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _plausible(activities: list[Activity]) -> tuple[list[Activity], list[Problem]]:
    """The activities within the plausibility limits (repaired), and a problem for each other."""
    kept: list[Activity] = []
    reasons: list[tuple[str, str]] = []
    for activity in activities:
        try:
            if activity.start_utc.year > LATEST_START_YEAR:
                raise Implausible(
                    f"starts on {activity.start_utc.date().isoformat()}: a damaged date; "
                    "not counted"
                )
            kept.append(check(activity))
        except Implausible as exc:
            reasons.append((activity.source, one_line(str(exc))))
    kind = "warning" if kept else "skipped"
    return kept, [Problem(source, reason, kind) for source, reason in reasons]
