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
                result.problems.append(Problem(leaf.path or source.display, leaf.reason))
                continue
            try:
                parsed = parse_bytes(leaf.data, ParseContext(leaf.display, zone))
            except SourceError as exc:
                result.problems.append(Problem(leaf.display, exc.reason))
                continue
            except Exception as exc:  # noqa: BLE001 - one odd file must never stop the rest
                reason = f"could not be read ({type(exc).__name__}: {exc}); please report this file"
                result.problems.append(Problem(leaf.display, reason))
                continue
            result.activities.extend(parsed.activities)
            result.problems.extend(
                Problem(leaf.display, warning, "warning") for warning in parsed.warnings
            )
    except SourceError as exc:
        result.problems.append(Problem(source.display, exc.reason))
    return result
