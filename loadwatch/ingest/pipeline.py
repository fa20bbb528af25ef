"""The front door: folders of exports in, one de-duplicated activity list out.

Every CLI command starts here, and so can any Python caller::

    from loadwatch import load_config, import_folders
    collection = import_folders([Path("~/exports").expanduser()], config=load_config())
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from loadwatch.config import Config
from loadwatch.ingest.cache import Assembled, Cache, LastImport, parse_context
from loadwatch.ingest.copies import Fingerprint, Leaf, resolve
from loadwatch.ingest.dedupe import merge_reporting
from loadwatch.ingest.parse import FileResult, parse_source
from loadwatch.ingest.sources import SourceFile, discover
from loadwatch.ingest.workers import parse_pool
from loadwatch.model import Activity, Gear, Integrity, Problem, Sport, Surface
from loadwatch.userdata.store import name_key

Progress = Callable[[int, int], None]

#: below this many files to parse, starting worker processes costs more than it saves
PARALLEL_THRESHOLD = 24


def data_dir(explicit: Path | None = None) -> Path:
    """Where the cache and user data live: --data-dir, $LOADWATCH_HOME, then XDG."""
    if explicit is not None:
        return explicit.expanduser()
    home = os.environ.get("LOADWATCH_HOME")
    if home:
        return Path(home).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "loadwatch"


@dataclass(frozen=True, slots=True)
class ImportSummary:
    files: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    #: files that gave no activity at all because of a problem
    skipped: int = 0
    #: files parsed in this run (new + updated)
    parsed: int = 0
    #: cached files that disappeared from the folders
    removed: int = 0
    problems: tuple[Problem, ...] = ()
    #: a warning about the cache itself (damaged and rebuilt), if any
    cache_note: str | None = None

    def to_dict(self) -> dict[str, object]:
        return {
            "files": self.files,
            "new": self.new,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "skipped": self.skipped,
            "removed": self.removed,
            "problems": [p.to_dict() for p in self.problems],
        }


@dataclass(frozen=True, slots=True)
class Collection:
    """Every activity found (all sports), copies merged, sorted by start."""

    activities: tuple[Activity, ...]
    summary: ImportSummary = field(default_factory=ImportSummary)
    #: the shoes the exports' services list (one entry per pair, by name)
    gear: tuple[Gear, ...] = ()

    @property
    def runs(self) -> tuple[Activity, ...]:
        return tuple(a for a in self.activities if a.sport is Sport.RUN)

    def between(self, since: date | None, until: date | None) -> tuple[Activity, ...]:
        return tuple(
            a
            for a in self.activities
            if (since is None or a.start_local.date() >= since)
            and (until is None or a.start_local.date() <= until)
        )


def last_import(home: Path | None = None) -> LastImport | None:
    """The folders the last import found files in, for a command run without any."""
    path = data_dir(home) / "cache.sqlite"
    if not path.exists():
        return None
    with Cache(path) as cache:
        return cache.last_import()


def imported_activity_days(home: Path | None = None) -> dict[str, date]:
    """Each imported activity's id and local date, from the cache (empty without one)."""
    path = data_dir(home) / "cache.sqlite"
    if not path.exists():
        return {}
    with Cache(path) as cache:
        return cache.activity_days()


def import_folders(
    paths: Sequence[Path],
    *,
    config: Config,
    home: Path | None = None,
    progress: Progress | None = None,
    workers: int | None = None,
    latest: date | None = None,
) -> Collection:
    """Bring the cache up to date with ``paths`` and return their activities.

    Only files that are new or whose size or modification time changed are parsed;
    the rest come from the cache. Parsing runs in worker processes when there is
    enough of it. ``latest`` is the last local date a start can plausibly have
    (the CLI passes today, or ``--as-of`` if later, plus a day): an activity
    starting after it has a wrong clock and is not counted.
    """
    roots = [p.expanduser() for p in paths]
    sources, unreadable = discover(roots)
    zone = config.timezone
    units = config.units.value
    key = assembly_key(sources, unreadable, config, latest)
    new = updated = parsed = 0
    with Cache(data_dir(home) / "cache.sqlite") as cache:
        # Unchanged folders and settings: the last import's result as it was assembled.
        assembled = cache.assembled(key)
        if assembled is None:
            results, stale, new, updated = _fresh_results(cache, sources, zone, units)
            for source, result in _parse_all(stale, zone, units, progress, workers):
                cache.save(source, parse_context(source, zone, units), result)
                results[str(source.path)] = result
            cache.commit()
            parsed = len(stale)
            assembled = assemble(sources, unreadable, results, config=config, latest=latest)
            cache.keep_assembled(key, assembled)
        removed = cache.forget_missing(roots, {str(s.path) for s in sources})
        if sources:
            cache.remember_import(roots, datetime.now(UTC))
        cache_note = cache.rebuilt_reason
        if cache_note is None and cache.damaged_rows:
            cache_note = (
                f"{cache.damaged_rows} damaged cache entries were ignored; "
                "their files were read again"
            )
    summary = ImportSummary(
        files=len(sources) + len(unreadable),
        new=new,
        updated=updated,
        unchanged=len(sources) - new - updated,
        skipped=assembled.skipped,
        parsed=parsed,
        removed=removed,
        problems=assembled.problems,
        cache_note=cache_note,
    )
    return Collection(assembled.activities, summary, assembled.gear)


#: bump when ``assemble`` (or what it calls) changes what it makes of the same files, so
#: that stored results are assembled afresh
ASSEMBLY_VERSION = "1"


def assembly_key(
    sources: Sequence[SourceFile],
    unreadable: Sequence[tuple[str, str]],
    config: Config,
    latest: date | None,
) -> str:
    """Everything an import's assembled result depends on besides the files' bytes.

    Each file's size, modification time and parse context stand for its bytes, as
    they do for the per-file cache; with the same key the result is the same.
    """
    identity = [
        ASSEMBLY_VERSION,
        [
            (str(s.path), s.size, s.mtime_ns, parse_context(s, config.timezone, config.units.value))
            for s in sources
        ],
        sorted(map(list, unreadable)),
        latest.isoformat() if latest else None,
        sorted((ident, surface.value) for ident, surface in config.surfaces.items()),
        sorted((surface.value, list(words)) for surface, words in config.surface_keywords.items()),
    ]
    return hashlib.sha256(json.dumps(identity).encode()).hexdigest()


def _fresh_results(
    cache: Cache, sources: Sequence[SourceFile], zone: str, units: str
) -> tuple[dict[str, FileResult], list[SourceFile], int, int]:
    """The cached results still valid for ``sources``, the files to parse, new and updated."""
    cached = cache.lookup(sources)
    results: dict[str, FileResult] = {}
    stale: list[SourceFile] = []
    new = updated = 0
    for source in sources:
        entry = cached.get(str(source.path))
        context = parse_context(source, zone, units)
        if entry and (entry.size, entry.mtime_ns, entry.context) == (
            source.size,
            source.mtime_ns,
            context,
        ):
            results[str(source.path)] = entry.result
            continue
        stale.append(source)
        if entry:
            updated += 1
        else:
            new += 1
    return results, stale, new, updated


def assemble(
    sources: Sequence[SourceFile],
    unreadable: Sequence[tuple[str, str]],
    results: Mapping[str, FileResult],
    *,
    config: Config,
    latest: date | None = None,
) -> Assembled:
    """From every file's ``parse_source`` result to one runner's activities.

    ``results`` maps each source's path (as text) to its result, whether it came
    from the cache or was parsed now, here or on a cluster (``loadwatch.cohort``):
    both paths assemble through this one function, so they cannot disagree.
    """
    problems = [Problem(path, reason) for path, reason in unreadable]
    skipped = len(unreadable)
    leaves: list[Leaf] = []
    for source in sources:
        result = results[str(source.path)]
        problems.extend(result.problems)
        if not result.activities and any(p.kind == "skipped" for p in result.problems):
            skipped += 1
        leaves.extend(_leaves(result, source.mtime_ns))
    copies = resolve(leaves)
    problems.extend(copies.problems)
    gear = combine_gear(g for source in sources for g in results[str(source.path)].gear)
    unique, conflicts = merge_reporting(link_gear(copies.activities, gear))
    problems.extend(conflicts)
    counted, refused = _not_after(unique, latest)
    problems.extend(refused)
    problems.extend(
        Problem(a.source, f"counted, but {a.integrity.value}: {a.integrity_note}", "integrity")
        for a in counted
        if a.integrity is not Integrity.COMPLETE
    )
    merged = apply_overrides(counted, config)
    return Assembled(tuple(merged), tuple(gear), tuple(problems), skipped)


def combine_gear(found: Iterable[Gear]) -> list[Gear]:
    """One entry per pair (by name as compared): the activity links of all, blanks filled.

    The same pair arrives twice when two exports of one account are in the folders.
    """
    by_name: dict[str, Gear] = {}
    for gear in found:
        key = name_key(gear.name)
        known = by_name.get(key)
        if known is None:
            by_name[key] = gear
            continue
        blanks = {
            f: getattr(gear, f)
            for f in ("brand", "model", "in_service", "retired_on", "limit_m", "default_for")
            if getattr(known, f) is None and getattr(gear, f) is not None
        }
        by_name[key] = dataclasses.replace(
            known,
            aliases=tuple(dict.fromkeys((*known.aliases, *gear.aliases))),
            activities=tuple(dict.fromkeys((*known.activities, *gear.activities))),
            **blanks,
        )
    return list(by_name.values())


def link_gear(activities: Iterable[Activity], gear: Sequence[Gear]) -> list[Activity]:
    """Activities the service lists under a pair (by its id) take the pair's name as gear.

    A source that names its own gear (a Strava row) keeps it.
    """
    used_on = {ident: pair.name for pair in gear for ident in pair.activities}
    if not used_on:
        return list(activities)
    return [
        a.replace(shoe=used_on[a.external_id]) if a.shoe is None and a.external_id in used_on else a
        for a in activities
    ]


def _leaves(result: FileResult, mtime_ns: int) -> list[Leaf]:
    """One file's leaves with their activities, for ``copies.resolve``."""
    by_leaf: dict[str, list[Activity]] = {}
    for activity in result.activities:
        by_leaf.setdefault(activity.source.split("#", 1)[0], []).append(activity)
    found = [
        Leaf(leaf.display, leaf.content, by_leaf.pop(leaf.display, []), mtime_ns, leaf.failed)
        for leaf in result.leaves
    ]
    # Every activity belongs to a leaf; should one not, it still counts, on its own.
    found.extend(
        Leaf(display, Fingerprint(f"unmatched:{display}", 0, 1, b""), rest, mtime_ns)
        for display, rest in by_leaf.items()
    )
    return found


def _not_after(
    activities: Sequence[Activity], latest: date | None
) -> tuple[list[Activity], list[Problem]]:
    """The activities starting by ``latest`` (local date), and a problem for each later one."""
    if latest is None:
        return list(activities), []
    kept = [a for a in activities if a.start_local.date() <= latest]
    refused = [
        Problem(
            a.source,
            f"starts on {a.start_local.date().isoformat()}, after today: the device's clock "
            "was wrong; not counted",
            "integrity",
        )
        for a in activities
        if a.start_local.date() > latest
    ]
    return kept, refused


def _parse_all(
    stale: list[SourceFile],
    zone: str,
    units: str,
    progress: Progress | None,
    workers: int | None,
) -> list[tuple[SourceFile, FileResult]]:
    total = len(stale)
    if progress:
        progress(0, total)
    cores = workers if workers is not None else min(os.cpu_count() or 1, 8)
    if total < PARALLEL_THRESHOLD or cores <= 1:
        done: list[tuple[SourceFile, FileResult]] = []
        for index, source in enumerate(stale, 1):
            done.append((source, parse_source(source, zone, units)))
            if progress:
                progress(index, total)
        return done
    out: list[tuple[SourceFile, FileResult]] = []
    from concurrent.futures import as_completed

    with parse_pool(cores) as pool:
        futures = {pool.submit(parse_source, source, zone, units): source for source in stale}
        for index, future in enumerate(as_completed(futures), 1):
            out.append((futures[future], future.result()))
            if progress:
                progress(index, total)
    return out


def apply_overrides(activities: Sequence[Activity], config: Config) -> list[Activity]:
    """The user's corrections: per-activity surfaces, then extra surface keywords in names."""
    patterns = [
        (re.compile(r"\b(" + "|".join(map(re.escape, words)) + r")\b", re.I), surface)
        for surface, words in config.surface_keywords.items()
        if words
    ]
    out: list[Activity] = []
    for activity in activities:
        surface = config.surfaces.get(activity.id)
        if surface is None and activity.surface is Surface.UNKNOWN and activity.name:
            surface = next((s for p, s in patterns if p.search(activity.name)), None)
        out.append(activity if surface is None else activity.replace(surface=surface))
    return out
