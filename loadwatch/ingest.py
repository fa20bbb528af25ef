"""Parse one file on disk into activities and problems: the unit of (parallel) work.

This runs in worker processes, so it takes and returns only picklable values and
imports nothing heavy (no pandas).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from loadwatch.errors import SourceError
from loadwatch.importers import ParseContext, parse_bytes
from loadwatch.model import Activity, Problem
from loadwatch.sources import SourceFile, read_leaves

#: The years an activity may start in. Earlier is a watch whose clock was never set
#: (the 1970 epoch), later a damaged date; either would stretch the weekly table
#: over decades, and years near 1 or 9999 overflow calendar arithmetic downstream.
FIRST_YEAR = 1980
LAST_YEAR = 2099


@dataclass(slots=True)
class FileResult:
    activities: list[Activity] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def parse_source(source: SourceFile, zone_name: str) -> FileResult:
    """Everything one file yields; never raises for bad content."""
    zone = ZoneInfo(zone_name)
    result = FileResult()
    try:
        for leaf in read_leaves(source):
            if isinstance(leaf, SourceError):
                result.problems.append(Problem(leaf.path or source.display, one_line(leaf.reason)))
                continue
            try:
                parsed = parse_bytes(leaf.data, ParseContext(leaf.display, zone))
            except SourceError as exc:
                result.problems.append(Problem(leaf.display, one_line(exc.reason)))
                continue
            except Exception as exc:  # noqa: BLE001 - one odd file must never stop the rest
                detail = one_line(f"{type(exc).__name__}: {exc}")
                reason = f"could not be read ({detail}); please report this file"
                result.problems.append(Problem(leaf.display, reason))
                continue
            kept, refused = _in_plausible_years(parsed.activities)
            result.activities.extend(kept)
            result.problems.extend(
                Problem(leaf.display, one_line(warning), "warning") for warning in parsed.warnings
            )
            result.problems.extend(refused)
    except SourceError as exc:
        result.problems.append(Problem(source.display, one_line(exc.reason)))
    return result


def one_line(text: str, limit: int = 300) -> str:
    """A reason as one printable line of bounded length, whatever text it quotes."""
    flat = " ".join("".join(c if c.isprintable() else " " for c in text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _in_plausible_years(activities: list[Activity]) -> tuple[list[Activity], list[Problem]]:
    """The activities starting in FIRST_YEAR..LAST_YEAR, and a problem for each other one."""
    kept = [a for a in activities if FIRST_YEAR <= a.start_utc.year <= LAST_YEAR]
    kind = "warning" if kept else "skipped"
    refused = [
        Problem(
            a.source,
            f"starts on {a.start_utc.date().isoformat()}, outside the years {FIRST_YEAR}-"
            f"{LAST_YEAR} (watch clock not set?); activity not imported",
            kind,
        )
        for a in activities
        if not FIRST_YEAR <= a.start_utc.year <= LAST_YEAR
    ]
    return kept, refused
