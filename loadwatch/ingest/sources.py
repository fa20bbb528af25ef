"""Find export files under the folders a user names, and open archives safely.

The folders are read-only sources of truth: nothing here writes to them. Archives
(``.zip``, including Garmin's nested zips, and ``.gz``) are read with limits on
size, compression ratio and nesting depth, and member names that would escape the
archive are refused.
"""

from __future__ import annotations

import io
import os
import stat
import zipfile
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO

from loadwatch.errors import CorruptFileError, LimitExceededError, SourceError, UsageError
from loadwatch.ingest.importers.formats import endings

#: name endings of files that may hold activities or gear, from the formats' table
ACTIVITY_ENDINGS = endings()
ARCHIVE_SUFFIXES = (".gz", ".zip")

#: the largest single file (after decompression) loadwatch will parse
MAX_FILE_BYTES = 256 * 1024 * 1024
#: the largest CSV: 50,000 rows (``importers.MAX_ACTIVITIES_PER_FILE``) of a Strava
#: export with all its 80 columns are about 26 MB, so this is generous, and it keeps a
#: one-line hostile CSV from costing 250 MB before its first line is judged
MAX_CSV_BYTES = 64 * 1024 * 1024
#: total bytes that may come out of one archive, however many members
MAX_ARCHIVE_TOTAL_BYTES = 4 * 1024 * 1024 * 1024
#: a member expanding more than this many times its compressed size is a bomb
MAX_COMPRESSION_RATIO = 200
#: zips inside zips (Garmin nests one level); deeper is refused
MAX_ARCHIVE_DEPTH = 3
#: files in one archive (nested ones included): a bulk export holds one per activity,
#: and no one has more activities than ``importers.MAX_ACTIVITIES_PER_FILE``
MAX_MEMBERS = 50_000
#: entries of any kind one archive may list (``zipfile`` holds an object for each)
MAX_ARCHIVE_ENTRIES = 200_000
#: past this many expanded bytes, the archive as a whole must respect the ratio too
OVERALL_RATIO_FROM_BYTES = 64 * 1024 * 1024

#: Strava and Garmin bulk exports hold many CSVs that are not activity tables. (Strava's
#: shoes.csv is read: it lists the runner's shoes with brand and model.)
_EXPORT_SIDE_FILES = frozenset(
    {
        "profile.csv",
        "bikes.csv",
        "comments.csv",
        "media.csv",
        "goals.csv",
        "followers.csv",
        "following.csv",
        "blocks.csv",
        "clubs.csv",
        "segments.csv",
        "routes.csv",
        "reactions.csv",
        "contacts.csv",
        "applications.csv",
        "logins.csv",
        "connected_apps.csv",
        "email_preferences.csv",
        "general_preferences.csv",
        "memberships.csv",
        "orders.csv",
        "local_legend_segments.csv",
        "partner_opt_outs.csv",
        "privacy_zones.csv",
        "starred_routes.csv",
        "starred_segments.csv",
        "support_tickets.csv",
        "visibility_settings.csv",
        "events.csv",
        "global_challenges.csv",
        "group_challenges.csv",
        "posts.csv",
        "components.csv",
        "community_content_reports.csv",
        "mobile_device_identifiers.csv",
        "messaging.csv",
        "competitions.csv",
        "activity_photos.csv",
        "athlete_ranks.csv",
    }
)


@dataclass(frozen=True, slots=True)
class SourceFile:
    """One file on disk under a folder the user gave."""

    path: Path
    #: path relative to the folder given (posix separators), as shown to the user
    display: str
    size: int
    mtime_ns: int


@dataclass(frozen=True, slots=True)
class Leaf:
    """One file's bytes ready to parse: a plain file, a gunzipped file or an archive member."""

    display: str
    name: str
    data: bytes


def shown(name: str) -> str:
    """A path as the user sees it: one printable line, whatever bytes the name holds.

    Undecodable bytes (which Python keeps as lone surrogates) and control characters
    are written as escapes, the way ``ls -b`` does, so a name can neither break a
    summary line, drive the terminal, nor crash an encoder.
    """
    if name.isprintable():
        return name
    out = []
    for char in name:
        if char.isprintable():
            out.append(char)
        elif 0xDC80 <= ord(char) <= 0xDCFF:
            out.append(f"\\x{ord(char) - 0xDC00:02x}")
        else:
            out.append(char.encode("unicode_escape").decode("ascii"))
    return "".join(out)


def _wanted(name: str) -> bool:
    lowered = name.lower()
    if lowered.startswith("."):
        return False
    if lowered.endswith(".gz"):
        lowered = lowered[:-3]
    return lowered.endswith(ACTIVITY_ENDINGS) or lowered.endswith(".zip")


def discover(roots: Sequence[Path]) -> tuple[list[SourceFile], list[tuple[str, str]]]:
    """Every candidate export file under ``roots``, plus (path, reason) for unreadable ones.

    Hidden files and folders are skipped, symlinked folders are followed once (a
    loop cannot trap the walk), and side files of bulk exports are left out.

    Files are shown relative to the folder given; with several folders or files,
    relative to the folder that holds them all, so that ``watch/run.fit`` and
    ``phone/run.fit`` are two files, never one name.
    """
    found: dict[tuple[int, int], SourceFile] = {}
    problems: list[tuple[str, str]] = []
    for given in roots:
        if not given.exists():
            raise UsageError(f"no such file or folder: {shown(str(given))}")
    base = _common_base(roots)
    for given in roots:
        root = given.resolve()
        if not root.is_dir():
            _add(found, problems, root, _display(root, base, given.name))
            continue
        seen_dirs: set[tuple[int, int]] = set()

        def unlisted(exc: OSError, root: Path = root) -> None:
            # os.walk would otherwise pass over a folder it may not list in silence
            where = Path(exc.filename) if exc.filename else root
            problems.append((_folder_display(where, root), f"cannot read folder: {exc.strerror}"))

        for folder, dirnames, filenames in os.walk(root, followlinks=True, onerror=unlisted):
            here = Path(folder)
            try:
                info = here.stat()
            except OSError as exc:
                reason = f"cannot read folder: {exc.strerror}"
                problems.append((_folder_display(here, root), reason))
                dirnames[:] = []
                continue
            key = (info.st_dev, info.st_ino)
            if key in seen_dirs:
                dirnames[:] = []
                continue
            seen_dirs.add(key)
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            strava_root = "activities.csv" in filenames
            # worked out once per folder: a path operation per file costs more than its stat
            inside = _inside(here, base or root)
            for filename in sorted(filenames):
                if not _wanted(filename):
                    continue
                if strava_root and filename.lower() in _EXPORT_SIDE_FILES:
                    continue
                full = here / filename
                if inside is None:  # a symlinked folder leads outside the base
                    display = shown(full.as_posix())
                else:
                    display = shown(f"{inside}/{filename}" if inside else filename)
                _add(found, problems, full, display)
    return sorted(found.values(), key=lambda f: f.display), problems


def _common_base(roots: Sequence[Path]) -> Path | None:
    """The folder every root is in, when there are several roots (None for one)."""
    if len(roots) < 2:
        return None
    resolved = [r.resolve() for r in roots]
    return Path(os.path.commonpath([r if r.is_dir() else r.parent for r in resolved]))


def _display(path: Path, base: Path | None, fallback: str) -> str:
    if base is None:
        return shown(fallback)
    try:
        return shown(path.relative_to(base).as_posix())
    except ValueError:  # a symlinked folder leads outside the base
        return shown(path.as_posix())


def _inside(folder: Path, base: Path) -> str | None:
    """``folder`` relative to ``base`` ("" for the base itself), or None outside it."""
    try:
        relative = folder.relative_to(base).as_posix()
    except ValueError:
        return None
    return "" if relative == "." else relative


def _folder_display(folder: Path, root: Path) -> str:
    try:
        relative = folder.relative_to(root).as_posix()
    except ValueError:
        relative = "."
    return shown(str(root) if relative == "." else relative)


def _add(
    found: dict[tuple[int, int], SourceFile],
    problems: list[tuple[str, str]],
    path: Path,
    display: str,
) -> None:
    try:
        info = path.stat()
    except OSError as exc:
        problems.append((display, f"cannot read: {exc.strerror or exc}"))
        return
    if not stat.S_ISREG(info.st_mode):
        problems.append((display, "not a regular file"))
        return
    # The same file reached twice (a symlink, overlapping folders) is one file; keying
    # on the inode avoids resolving every path, which costs a syscall per folder level.
    key = (info.st_dev, info.st_ino)
    if key not in found:
        found[key] = SourceFile(path, display, info.st_size, info.st_mtime_ns)


def read_leaves(source: SourceFile) -> Iterator[Leaf | SourceError]:
    """The parseable files inside ``source``: itself, its gunzipped content, or zip members.

    Problems with single archive members are yielded as errors so the other
    members still import; a problem with the file as a whole is raised.
    """
    lowered = source.display.lower()
    if not lowered.endswith(".zip"):
        _check_size(source.size, lowered, "file")
    try:
        if lowered.endswith(".zip"):
            with source.path.open("rb") as handle:
                _check_entries(handle)
                with zipfile.ZipFile(handle) as archive:
                    yield from _zip_leaves(archive, source.display, depth=1, budget=_Budget())
            return
        with source.path.open("rb") as handle:
            # Ask for what stat said (plus a margin for a file still growing), never the
            # limit itself: a 256 MB request costs that much memory for a 20 kB file.
            raw = handle.read(min(source.size + 65536, MAX_FILE_BYTES + 1))
    except zipfile.BadZipFile as exc:
        raise CorruptFileError(f"not a readable zip archive ({exc})") from exc
    except OSError as exc:
        raise SourceError(f"cannot read: {exc.strerror or exc}") from exc
    if lowered.endswith(".gz"):
        inner = source.display[:-3]
        data = gunzip_bounded(raw, len(raw))
        if inner.lower().endswith(".zip"):
            raise CorruptFileError("a gzipped zip archive is not supported; unzip it first")
        _check_size(len(data), inner.lower(), "file")
        yield Leaf(source.display, inner, data)
        return
    yield Leaf(source.display, source.display, raw)


def size_limit(name: str) -> int:
    """The largest file of this (lower-case) name loadwatch will read."""
    return MAX_CSV_BYTES if name.removesuffix(".gz").endswith(".csv") else MAX_FILE_BYTES


def _check_size(size: int, name: str, what: str) -> None:
    limit = size_limit(name)
    if size > limit:
        raise LimitExceededError(
            f"{what} is {size / 2**20:.0f} MB; the limit is {limit // 2**20} MB"
            + (" for a CSV" if limit == MAX_CSV_BYTES else "")
        )


def gunzip_bounded(raw: bytes, compressed_size: int) -> bytes:
    """Gunzip ``raw`` without letting a bomb expand past the size and ratio limits.

    The data is expanded twice: first only counted, a slice at a time, so that a
    bomb is refused having cost a slice of memory rather than the whole limit;
    then for real, once its size is known to be within the limits.
    """
    limit = min(MAX_FILE_BYTES, max(compressed_size * MAX_COMPRESSION_RATIO, 1 << 20))
    counter = zlib.decompressobj(16 + zlib.MAX_WBITS)
    expanded = 0
    pending = raw
    try:
        while pending and not counter.eof:
            expanded += len(counter.decompress(pending, _GUNZIP_SLICE))
            pending = counter.unconsumed_tail
            if expanded > limit:
                raise LimitExceededError(
                    f"gzip data expands past {limit // 2**20} MB (ratio or size limit); refusing it"
                )
    except zlib.error as exc:
        raise CorruptFileError(f"damaged gzip data ({exc})") from exc
    if not counter.eof:
        raise CorruptFileError("truncated gzip data")
    decompressor = zlib.decompressobj(16 + zlib.MAX_WBITS)
    return decompressor.decompress(raw, limit + 1)


#: what the counting pass of ``gunzip_bounded`` expands at a time
_GUNZIP_SLICE = 1 << 20


# zipfile's own reader of the end-of-central-directory record (stable since Python 2)
_end_record = getattr(zipfile, "_EndRecData")  # noqa: B009
_TOTAL_ENTRIES = getattr(zipfile, "_ECD_ENTRIES_TOTAL")  # noqa: B009


def _check_entries(handle: IO[bytes]) -> None:
    """Refuse a zip listing more entries than ``MAX_ARCHIVE_ENTRIES``, before they are read.

    ``zipfile`` builds an object for every entry of the central directory when it
    opens an archive; its end record says how many there are.
    """
    end = _end_record(handle)
    if end is not None and end[_TOTAL_ENTRIES] > MAX_ARCHIVE_ENTRIES:
        raise LimitExceededError(
            f"archive lists {end[_TOTAL_ENTRIES]:,} files, more than {MAX_ARCHIVE_ENTRIES:,}; "
            "not a real export (refused)"
        )
    handle.seek(0)


def _safe_member(name: str) -> str | None:
    """The member's normalised path, or None when it would escape the archive."""
    cleaned = name.replace("\\", "/")
    if cleaned.startswith("/") or (len(cleaned) > 1 and cleaned[1] == ":"):
        return None
    parts = PurePosixPath(cleaned).parts
    if any(part == ".." for part in parts):
        return None
    return "/".join(parts)


def _zip_leaves(
    archive: zipfile.ZipFile, display: str, depth: int, budget: _Budget
) -> Iterator[Leaf | SourceError]:
    offsets: set[int] = set()
    names: dict[str, int] = {}
    infos = archive.infolist()
    # counted before any is read: parsing 50,000 members would take a minute first
    listed = sum(
        1
        for info in infos
        if not info.is_dir() and _wanted(info.filename.replace("\\", "/").rsplit("/", 1)[-1])
    )
    if budget.members + listed > MAX_MEMBERS:
        yield LimitExceededError(
            f"holds {listed:,} export files, more than {MAX_MEMBERS:,}; not a real export "
            "(refused)",
            display,
        )
        return
    for info in infos:
        if info.is_dir():
            continue
        member_display = f"{display}!{shown(info.filename)}"
        # two members of one name are two files, and must never share a name
        seen = names.get(member_display, 0) + 1
        names[member_display] = seen
        if seen > 1:
            member_display = f"{member_display} ({seen})"
        safe = _safe_member(info.filename)
        if safe is None:
            yield SourceError("unsafe member path in archive (refused)", member_display)
            continue
        base = safe.rsplit("/", 1)[-1]
        if safe.startswith("__MACOSX/") or base.startswith(".") or not _wanted(base):
            continue
        budget.members += 1
        if budget.members > MAX_MEMBERS:
            yield LimitExceededError(
                f"more than {MAX_MEMBERS:,} export files in one archive; not a real export "
                "(rest refused)",
                member_display,
            )
            return
        declared = info.file_size
        try:
            _check_size(declared, base.lower(), "member")
        except LimitExceededError as exc:
            exc.path = member_display
            yield exc
            continue
        ratio = declared / info.compress_size if info.compress_size else 0.0
        # Tiny members may compress very well without being a threat.
        if ratio > MAX_COMPRESSION_RATIO and declared > 1 << 20:
            yield LimitExceededError(
                f"compression ratio {ratio:.0f}:1 exceeds {MAX_COMPRESSION_RATIO}:1 (zip bomb?)",
                member_display,
            )
            continue
        # Many members may point at the same compressed bytes, each expanding anew.
        if info.header_offset in offsets:
            yield LimitExceededError(
                "members overlap in the archive (zip bomb?); rest refused", member_display
            )
            return
        offsets.add(info.header_offset)
        budget.declared += declared
        budget.compressed += info.compress_size
        if budget.declared > MAX_ARCHIVE_TOTAL_BYTES:
            yield LimitExceededError(
                f"archive expands past {_size(MAX_ARCHIVE_TOTAL_BYTES)}; rest refused",
                member_display,
            )
            return
        # Members under the per-member threshold can still add up to a bomb.
        if (
            budget.declared > OVERALL_RATIO_FROM_BYTES
            and budget.declared > budget.compressed * MAX_COMPRESSION_RATIO
        ):
            yield LimitExceededError(
                f"archive expands more than {MAX_COMPRESSION_RATIO}:1 overall (zip bomb?); "
                "rest refused",
                member_display,
            )
            return
        if info.flag_bits & 0x1:
            yield CorruptFileError(
                "encrypted archive member (password-protected zips are not supported)",
                member_display,
            )
            continue
        lowered = base.lower()
        try:
            if lowered.endswith(".zip"):
                if depth >= MAX_ARCHIVE_DEPTH:
                    yield LimitExceededError(
                        f"zip nested deeper than {MAX_ARCHIVE_DEPTH} levels (refused)",
                        member_display,
                    )
                    continue
                # Read from a copy in memory: the member's stream seeks backwards by
                # decompressing again from its start, so an inner zip whose central
                # directory lists its members in reverse cost quadratic time (572 s).
                with archive.open(info) as handle:
                    copy = io.BytesIO(_read_bounded(handle, declared))
                with zipfile.ZipFile(copy) as inner:
                    yield from _zip_leaves(inner, member_display, depth + 1, budget)
                continue
            with archive.open(info) as handle:
                data = _read_bounded(handle, declared)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError) as exc:
            yield CorruptFileError(f"damaged archive member ({exc})", member_display)
            continue
        except LimitExceededError as exc:
            exc.path = member_display
            yield exc
            continue
        if lowered.endswith(".gz"):
            try:
                data = gunzip_bounded(data, len(data))
                _check_size(len(data), lowered[:-3], "member")
            except SourceError as exc:
                exc.path = member_display
                yield exc
                continue
            base = base[:-3]
        yield Leaf(member_display, base, data)


def _size(count: int) -> str:
    return f"{count / 2**30:g} GB" if count >= 2**30 else f"{count / 2**20:g} MB"


@dataclass(slots=True)
class _Budget:
    """What the members of one archive (nested ones included) declare, summed."""

    declared: int = 0
    compressed: int = 0
    #: files met so far, nested archives' members included
    members: int = 0


def _read_bounded(handle: IO[bytes], declared: int) -> bytes:
    # The declared size can lie; never read more than it claims (plus one byte to notice).
    data = handle.read(declared + 1)
    if len(data) > declared:
        raise LimitExceededError("member is larger than its archive entry declares (refused)")
    return data
