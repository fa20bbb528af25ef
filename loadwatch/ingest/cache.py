"""The disposable cache of parsed files, in SQLite.

One row per file on disk, keyed by its resolved path, holding the activities and
problems parsing it gave; and the assembled result of the last few imports (copies
merged, checks applied), keyed by everything it depends on, so that a run on
unchanged folders reads one row instead of re-assembling thousands. A file is parsed
again only when its size, modification time or the parsing context (parser version,
time zone, how it is shown) changed.
Deleting the cache loses nothing but time; a damaged cache is set aside and rebuilt.
User data (shoes, pain log) never lives here.

SQLite checks the structure of its pages but not what they hold, so every row
carries a CRC-32 of its own values: a row whose bytes changed on disk is treated
as missing (its file is parsed again) rather than trusted or crashed on.
"""

from __future__ import annotations

import contextlib
import functools
import json
import logging
import sqlite3
import time
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from loadwatch.errors import StoreError, disk_trouble, is_damage
from loadwatch.ingest.copies import LeafPrint
from loadwatch.ingest.parse import FileResult, one_line
from loadwatch.ingest.sources import SourceFile
from loadwatch.model import Activity, Gear, Problem
from loadwatch.private import private_file, private_folder

log = logging.getLogger(__name__)

#: bump when importers change what they produce, so every cached file is re-parsed
#: 4: Garmin and Strava lists in every language, units from the config, GPX/TCX starts in
#: the zone of the place
PARSER_VERSION = "4"
#: 2: a checksum per row; 3: each file's leaves and their fingerprints; 4: gear from exports;
#: 5: the assembled result of recent imports
SCHEMA_VERSION = 5
#: assembled results kept (one per set of folders and settings recently imported)
ASSEMBLED_KEPT = 4
#: how long a run waits for another run's write to the cache before giving up
BUSY_TIMEOUT_S = 30.0

_META = "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)"
_FILES = """
CREATE TABLE files (
    path TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    context TEXT NOT NULL,
    activities TEXT NOT NULL,
    problems TEXT NOT NULL,
    leaves TEXT NOT NULL,
    gear TEXT NOT NULL,
    checksum INTEGER NOT NULL
)
"""

_ASSEMBLED = """
CREATE TABLE assembled (
    key TEXT PRIMARY KEY,
    activities TEXT NOT NULL,
    gear TEXT NOT NULL,
    problems TEXT NOT NULL,
    skipped INTEGER NOT NULL,
    checksum INTEGER NOT NULL
)
"""


def _columns(conn: sqlite3.Connection, table: str) -> tuple[tuple[object, ...], ...]:
    """Name, declared type, NOT NULL, default and primary-key position of each column."""
    previous = conn.text_factory
    conn.text_factory = bytes  # a damaged name need not be UTF-8
    try:
        return tuple(tuple(row[1:]) for row in conn.execute(f"PRAGMA table_info({table})"))
    finally:
        conn.text_factory = previous


@functools.cache
def _expected_columns(table: str, create: str) -> tuple[tuple[object, ...], ...]:
    with contextlib.closing(sqlite3.connect(":memory:")) as memory:
        memory.execute(create)
        return _columns(memory, table)


def _check_layout(conn: sqlite3.Connection, table: str, create: str) -> None:
    """Raise, as for damage, when a table's columns are not the ones ``create`` makes.

    Damage to the text SQLite keeps of a table's definition can rename a column and
    still pass ``PRAGMA integrity_check``; every later query would then fail with
    "no such column" instead of the cache being rebuilt.
    """
    if _columns(conn, table) != _expected_columns(table, create):
        raise sqlite3.DatabaseError(f"damaged layout: table {table} has other columns")


@dataclass(frozen=True, slots=True)
class Assembled:
    """One runner's activities once every file is parsed: copies merged, checks applied."""

    activities: tuple[Activity, ...]
    gear: tuple[Gear, ...]
    problems: tuple[Problem, ...]
    #: files that gave no activity at all because of a problem
    skipped: int


@dataclass(frozen=True, slots=True)
class LastImport:
    """The folders of the last import that found files, and when it ran (UTC)."""

    roots: tuple[Path, ...]
    at: datetime


@dataclass(frozen=True, slots=True)
class Cached:
    size: int
    mtime_ns: int
    context: str
    result: FileResult


def parse_context(source: SourceFile, zone_name: str, units: str = "mi") -> str:
    """Everything besides the file's bytes that what it parses to depends on."""
    return f"{PARSER_VERSION}|{zone_name}|{units}|{source.display}"


#: what a damaged database can raise: SQLite's errors, and a decoding error when the
#: damage reaches the text of SQLite's own error message (a garbled schema name)
DATABASE_ERRORS = (sqlite3.Error, UnicodeDecodeError)


class Cache:
    """Parsed-file cache. Use as a context manager; writes are committed in batches."""

    def __init__(self, path: Path) -> None:
        self.path = path
        #: set when a damaged cache had to be replaced (shown to the user once)
        self.rebuilt_reason: str | None = None
        #: rows found damaged and ignored (their files are parsed again)
        self.damaged_rows = 0
        self._pending = 0
        self._last_commit = time.monotonic()
        self._conn = self._open()

    def _open(self) -> sqlite3.Connection:
        try:
            private_folder(self.path.parent)
            private_file(self.path)  # every run's times and places: the owner's alone
        except OSError as exc:
            raise StoreError(
                f"cannot create the data folder: {exc}", str(self.path.parent)
            ) from exc
        try:
            conn = self._connect()
        except DATABASE_ERRORS as exc:
            if _is_busy(exc) or (disk_trouble(exc) and "unable to open" not in str(exc)):
                raise _store_error(exc, self.path) from exc
            return self._replace(exc)  # a directory, an unreadable file, not a database...
        try:
            self._check(conn)
        except DATABASE_ERRORS as exc:
            conn.close()
            if not is_damage(exc):
                raise _store_error(exc, self.path) from exc
            return self._replace(exc)
        return conn

    def _replace(self, exc: Exception) -> sqlite3.Connection:
        """Set the damaged cache aside and start an empty one."""
        try:
            self._set_aside(exc)
            private_file(self.path)
            conn = self._connect()
            self._check(conn)
        except (*DATABASE_ERRORS, OSError) as again:
            raise _store_error(again, self.path) from again
        return conn

    def _recover(self, exc: Exception) -> None:
        """Damage found in the middle of a run: continue on a fresh cache."""
        if not is_damage(exc):
            raise _store_error(exc, self.path) from exc
        with contextlib.suppress(sqlite3.Error):
            self._conn.close()
        self._pending = 0
        self._conn = self._replace(exc)

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        # Two runs creating the cache at once race to switch it to WAL, and SQLite
        # answers the loser "locked" at once instead of waiting: wait here instead.
        deadline = time.monotonic() + BUSY_TIMEOUT_S
        while True:
            try:
                conn.execute("PRAGMA journal_mode=WAL")
                break
            except sqlite3.OperationalError as exc:
                if not _is_busy(exc) or time.monotonic() > deadline:
                    conn.close()
                    raise
                time.sleep(0.02)
        conn.execute("PRAGMA synchronous=NORMAL")
        return conn

    def _check(self, conn: sqlite3.Connection) -> None:
        # integrity_check (not quick_check) also compares the index with the rows: a few
        # milliseconds more on a 6,000-file cache, and no path can be listed twice
        row = conn.execute("PRAGMA integrity_check").fetchone()
        if row is None or row[0] != "ok":
            # the check lists every damaged page, one per line; the first says enough
            detail = str(row[0]).splitlines()[0] if row else "no answer"
            raise sqlite3.DatabaseError(f"integrity check failed: {detail}")
        conn.execute(_META)
        _check_layout(conn, "meta", _META)
        if self._schema(conn) == str(SCHEMA_VERSION):
            _check_layout(conn, "files", _FILES)
            _check_layout(conn, "assembled", _ASSEMBLED)
            return
        # The cache holds nothing precious: an old or missing layout is simply
        # replaced, inside one write transaction so that a second run starting at
        # the same moment sees either the old layout or the new one.
        conn.execute("BEGIN IMMEDIATE")
        try:
            if self._schema(conn) != str(SCHEMA_VERSION):
                conn.execute("DROP TABLE IF EXISTS files")
                conn.execute("DROP TABLE IF EXISTS assembled")
                conn.execute(_FILES)
                conn.execute(_ASSEMBLED)
                conn.execute(
                    "INSERT OR REPLACE INTO meta VALUES ('schema', ?)", (str(SCHEMA_VERSION),)
                )
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise

    @staticmethod
    def _schema(conn: sqlite3.Connection) -> str | None:
        found = conn.execute("SELECT value FROM meta WHERE key='schema'").fetchone()
        return None if found is None else str(found[0])

    def _set_aside(self, exc: Exception) -> None:
        stamp = time.strftime("%Y%m%dT%H%M%S")
        for suffix in ("", "-wal", "-shm"):
            part = Path(f"{self.path}{suffix}")
            if part.exists():
                part.replace(Path(f"{self.path}.damaged-{stamp}{suffix}"))
        self.rebuilt_reason = (
            f"the cache was damaged ({one_line(str(exc), 120)}); it was set aside and rebuilt"
        )
        log.warning(self.rebuilt_reason)

    def __enter__(self) -> Cache:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        try:
            self.commit()
        finally:
            self._conn.close()

    def lookup(self, sources: Sequence[SourceFile]) -> dict[str, Cached]:
        """Cached rows for these files (fresh or not), by resolved path."""
        try:
            return self._lookup(sources)
        except DATABASE_ERRORS as exc:
            self._recover(exc)
            return {}

    def _lookup(self, sources: Sequence[SourceFile]) -> dict[str, Cached]:
        paths = {_key(str(s.path)): str(s.path) for s in sources}
        wanted = list(paths)
        found: dict[str, Cached] = {}
        # Fetch in chunks to stay under SQLite's bound-parameter limit. Text comes
        # back as bytes so that a damaged row cannot fail the whole query.
        for start in range(0, len(wanted), 900):
            chunk = wanted[start : start + 900]
            marks = ",".join("?" * len(chunk))
            rows = self._conn.execute(
                "SELECT CAST(path AS BLOB), size, mtime_ns, CAST(context AS BLOB), "
                "CAST(activities AS BLOB), CAST(problems AS BLOB), CAST(leaves AS BLOB), "
                "CAST(gear AS BLOB), checksum FROM files "
                f"WHERE path IN ({marks})",
                chunk,
            )
            for row in rows:
                entry = _entry(row)
                if entry is None or entry[0] not in paths:
                    self.damaged_rows += 1
                    continue
                found[paths[entry[0]]] = entry[1]
        return found

    def save(self, source: SourceFile, context: str, result: FileResult) -> None:
        row = _row(source, context, result)
        try:
            self._insert(row)
        except DATABASE_ERRORS as exc:
            self._recover(exc)
            self._insert(row)
        # Batches keep imports fast; a crash loses only the last batch, re-parsed next time.
        if self._pending >= 200 or time.monotonic() - self._last_commit > 1.0:
            self.commit()

    def _insert(self, row: tuple[Any, ...]) -> None:
        # SQLite rolls a transaction back by itself on some errors (a full disk), so
        # whether one is open is asked, not counted
        if not self._conn.in_transaction:
            self._conn.execute("BEGIN")
        self._conn.execute("INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", row)
        self._pending += 1

    def commit(self) -> None:
        pending, self._pending = self._pending, 0
        # After a failed COMMIT (a full disk) SQLite has rolled back already; a second
        # COMMIT from close() would replace the disk error with "no transaction is active".
        if pending and self._conn.in_transaction:
            try:
                self._conn.execute("COMMIT")
            except DATABASE_ERRORS as exc:
                # the batch is lost with the damaged file; its files are parsed next run
                with contextlib.suppress(sqlite3.Error):
                    if self._conn.in_transaction:
                        self._conn.execute("ROLLBACK")
                self._recover(exc)
        self._last_commit = time.monotonic()

    def assembled(self, key: str) -> Assembled | None:
        """The stored result of an import with this key (``pipeline.assembly_key``), if any.

        A damaged row is as good as missing: the import assembles afresh.
        """
        try:
            row = self._conn.execute(
                "SELECT CAST(activities AS BLOB), CAST(gear AS BLOB), CAST(problems AS BLOB), "
                "skipped, checksum FROM assembled WHERE key = ?",
                (key,),
            ).fetchone()
        except DATABASE_ERRORS as exc:
            self._recover(exc)
            return None
        if row is None:
            return None
        activities, gear, problems, skipped, checksum = row
        texts = (activities, gear, problems)
        if (
            not all(isinstance(text, bytes) for text in texts)
            or not isinstance(skipped, int)
            or checksum != _checksum(key.encode(), skipped, 0, b"", *texts)
        ):
            self.damaged_rows += 1
            return None
        try:
            return Assembled(
                tuple(Activity.from_record(r) for r in json.loads(activities)),
                tuple(Gear.from_record(r) for r in json.loads(gear)),
                tuple(Problem(**p) for p in json.loads(problems)),
                skipped,
            )
        except (ValueError, TypeError, KeyError, AttributeError):
            return None  # written by a loadwatch whose records differed

    def keep_assembled(self, key: str, assembled: Assembled) -> None:
        """Store an import's result under its key, keeping only the most recent few."""
        texts = (
            json.dumps([a.to_record() for a in assembled.activities]).encode(),
            json.dumps([g.to_record() for g in assembled.gear]).encode(),
            json.dumps([p.to_dict() for p in assembled.problems]).encode(),
        )
        checksum = _checksum(key.encode(), assembled.skipped, 0, b"", *texts)
        row = (key, *(text.decode() for text in texts), assembled.skipped, checksum)
        try:
            self._keep_assembled(row)
        except DATABASE_ERRORS as exc:
            # damage: the cache is replaced and the next run assembles afresh
            with contextlib.suppress(sqlite3.Error):
                if self._conn.in_transaction:
                    self._conn.execute("ROLLBACK")
            self._recover(exc)

    def _keep_assembled(self, row: tuple[Any, ...]) -> None:
        self.commit()
        self._conn.execute("BEGIN")
        self._conn.execute("DELETE FROM assembled WHERE key = ?", (row[0],))
        self._conn.execute("INSERT INTO assembled VALUES (?, ?, ?, ?, ?, ?)", row)
        self._conn.execute(
            "DELETE FROM assembled WHERE rowid NOT IN "
            "(SELECT rowid FROM assembled ORDER BY rowid DESC LIMIT ?)",
            (ASSEMBLED_KEPT,),
        )
        self._conn.execute("COMMIT")

    def activity_days(self) -> dict[str, date]:
        """Every cached activity's id and local start date (damaged rows are left out)."""
        found: dict[str, date] = {}
        try:
            rows = self._conn.execute(
                "SELECT CAST(path AS BLOB), size, mtime_ns, CAST(context AS BLOB), "
                "CAST(activities AS BLOB), CAST(problems AS BLOB), CAST(leaves AS BLOB), "
                "CAST(gear AS BLOB), checksum FROM files"
            ).fetchall()
        except sqlite3.Error:
            return found
        for row in rows:
            entry = _entry(row)
            if entry is not None:
                found.update((a.id, a.start_local.date()) for a in entry[1].result.activities)
        return found

    def remember_import(self, roots: Sequence[Path], at: datetime) -> None:
        """Note which folders were imported and when, for commands run without a folder."""
        value = json.dumps({"roots": [str(root.resolve()) for root in roots], "at": at.isoformat()})
        try:
            self._conn.execute("INSERT OR REPLACE INTO meta VALUES ('last_import', ?)", (value,))
        except sqlite3.Error as exc:
            # a convenience only: losing it must not fail the import
            log.warning("could not note the import in the cache: %s", exc)

    def last_import(self) -> LastImport | None:
        """The folders :meth:`remember_import` noted, or None (no import, or a new cache)."""
        try:
            row = self._conn.execute("SELECT value FROM meta WHERE key='last_import'").fetchone()
            if row is None:
                return None
            data = json.loads(row[0])
            return LastImport(
                tuple(Path(root) for root in data["roots"]), datetime.fromisoformat(data["at"])
            )
        except (sqlite3.Error, ValueError, KeyError, TypeError):
            return None

    def forget_missing(self, roots: Iterable[Path], present: set[str]) -> int:
        """Drop rows of files under ``roots`` that no longer exist; returns how many."""
        self.commit()
        try:
            return self._forget_missing(roots, present)
        except DATABASE_ERRORS as exc:
            self._recover(exc)
            return 0

    def _forget_missing(self, roots: Iterable[Path], present: set[str]) -> int:
        gone: list[int] = []
        present = {_key(path) for path in present}
        for root in roots:
            base = _key(str(root.resolve()))
            prefix = base.rstrip("/") + "/"
            rows = self._conn.execute(
                "SELECT rowid, CAST(path AS BLOB) FROM files "
                "WHERE path = ? OR substr(path, 1, ?) = ?",
                (base, len(prefix), prefix),
            )
            for rowid, raw in rows:
                path = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else None
                if path not in present:
                    gone.append(rowid)
        if gone:
            self._conn.execute("BEGIN")
            self._conn.executemany("DELETE FROM files WHERE rowid = ?", [(r,) for r in gone])
            self._conn.execute("COMMIT")
        return len(gone)


def _key(path: str) -> str:
    # Names that are not UTF-8 reach Python as lone surrogates, which SQLite refuses.
    return path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _checksum(path: bytes, size: int, mtime_ns: int, context: bytes, *texts: bytes) -> int:
    values = (path, str(size).encode(), str(mtime_ns).encode(), context, *texts)
    return zlib.crc32(b"\0".join(values))


def _row(source: SourceFile, context: str, result: FileResult) -> tuple[Any, ...]:
    path = _key(str(source.path))
    # allow_nan=False: a value that is not finite must never reach the cache
    activities = json.dumps([a.to_record() for a in result.activities], allow_nan=False)
    problems = json.dumps([p.to_dict() for p in result.problems])
    leaves = json.dumps([leaf.to_record() for leaf in result.leaves])
    gear = json.dumps([g.to_record() for g in result.gear], allow_nan=False)
    checksum = _checksum(
        path.encode(),
        source.size,
        source.mtime_ns,
        context.encode(),
        activities.encode(),
        problems.encode(),
        leaves.encode(),
        gear.encode(),
    )
    return (
        path,
        source.size,
        source.mtime_ns,
        context,
        activities,
        problems,
        leaves,
        gear,
        checksum,
    )


def _entry(row: tuple[Any, ...]) -> tuple[str, Cached] | None:
    """(path, cached result) of a stored row, or None when the row is damaged."""
    path, size, mtime_ns, context, activities, problems, leaves, gear, checksum = row
    texts = (path, context, activities, problems, leaves, gear)
    if not all(isinstance(t, bytes) for t in texts) or not all(
        isinstance(n, int) for n in (size, mtime_ns, checksum)
    ):
        return None
    if checksum != _checksum(path, size, mtime_ns, context, activities, problems, leaves, gear):
        return None
    try:
        result = FileResult(
            [Activity.from_record(r) for r in json.loads(activities)],
            [Problem(**p) for p in json.loads(problems)],
            [LeafPrint.from_record(r) for r in json.loads(leaves)],
            [Gear.from_record(r) for r in json.loads(gear)],
        )
        return path.decode(), Cached(size, mtime_ns, context.decode(), result)
    except (ValueError, TypeError, KeyError, AttributeError):
        # written by a loadwatch whose records differed: as good as missing
        return None


def _is_busy(exc: BaseException) -> bool:
    return isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc)


def _store_error(exc: BaseException, path: Path) -> StoreError:
    if _is_busy(exc):
        return StoreError("the cache stayed locked by another loadwatch run; try again", str(path))
    trouble = disk_trouble(exc)
    if trouble is not None:
        return StoreError(f"cannot write the cache: {trouble}", str(path))
    return StoreError(f"cannot use the cache ({one_line(str(exc), 120)})", str(path))
