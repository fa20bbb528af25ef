"""The disposable cache of parsed files, in SQLite.

One row per file on disk, keyed by its resolved path, holding the activities and
problems parsing it gave. A file is parsed again only when its size, modification
time or the parsing context (parser version, time zone, how it is shown) changed.
Deleting the cache loses nothing but time; a damaged cache is set aside and rebuilt.
User data (shoes, pain log) never lives here.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from loadwatch.errors import StoreError
from loadwatch.ingest import FileResult
from loadwatch.model import Activity, Problem
from loadwatch.sources import SourceFile

log = logging.getLogger(__name__)

#: bump when importers change what they produce, so every cached file is re-parsed
PARSER_VERSION = "2"
SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS files (
    path TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    context TEXT NOT NULL,
    activities TEXT NOT NULL,
    problems TEXT NOT NULL
);
"""


@dataclass(frozen=True, slots=True)
class Cached:
    size: int
    mtime_ns: int
    context: str
    result: FileResult


def parse_context(source: SourceFile, zone_name: str) -> str:
    return f"{PARSER_VERSION}|{zone_name}|{source.display}"


class Cache:
    """Parsed-file cache. Use as a context manager; writes are committed in batches."""

    def __init__(self, path: Path) -> None:
        self.path = path
        #: set when a damaged cache had to be replaced (shown to the user once)
        self.rebuilt_reason: str | None = None
        self._conn = self._open()
        self._pending = 0
        self._last_commit = time.monotonic()

    def _open(self) -> sqlite3.Connection:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(
                f"cannot create the data folder: {exc}", str(self.path.parent)
            ) from exc
        try:
            conn = self._connect()
            self._check(conn)
            return conn
        except sqlite3.DatabaseError as exc:
            self._set_aside(exc)
            conn = self._connect()
            self._check(conn)
            return conn

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=30.0, isolation_level=None)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        return conn

    def _check(self, conn: sqlite3.Connection) -> None:
        row = conn.execute("PRAGMA quick_check").fetchone()
        if row is None or row[0] != "ok":
            raise sqlite3.DatabaseError(f"integrity check failed: {row[0] if row else 'no answer'}")
        conn.executescript(_SCHEMA)
        found = conn.execute("SELECT value FROM meta WHERE key='schema'").fetchone()
        if found is None:
            conn.execute("INSERT OR REPLACE INTO meta VALUES ('schema', ?)", (str(SCHEMA_VERSION),))
        elif found[0] != str(SCHEMA_VERSION):
            # The cache holds nothing precious: an old layout is simply emptied.
            conn.execute("DELETE FROM files")
            conn.execute("UPDATE meta SET value=? WHERE key='schema'", (str(SCHEMA_VERSION),))

    def _set_aside(self, exc: Exception) -> None:
        stamp = time.strftime("%Y%m%dT%H%M%S")
        for suffix in ("", "-wal", "-shm"):
            part = Path(f"{self.path}{suffix}")
            if part.exists():
                part.replace(Path(f"{self.path}.damaged-{stamp}{suffix}"))
        self.rebuilt_reason = f"the cache was damaged ({exc}); it was set aside and rebuilt"
        log.warning(self.rebuilt_reason)

    def __enter__(self) -> Cache:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        if self._pending:
            self._conn.execute("COMMIT")
            self._pending = 0
        self._conn.close()

    def lookup(self, sources: Sequence[SourceFile]) -> dict[str, Cached]:
        """Cached rows for these files (fresh or not), by resolved path."""
        wanted = [str(s.path) for s in sources]
        found: dict[str, Cached] = {}
        # Fetch in chunks to stay under SQLite's bound-parameter limit.
        for start in range(0, len(wanted), 900):
            chunk = wanted[start : start + 900]
            marks = ",".join("?" * len(chunk))
            rows = self._conn.execute(
                f"SELECT path, size, mtime_ns, context, activities, problems FROM files "
                f"WHERE path IN ({marks})",
                chunk,
            )
            for path, size, mtime_ns, context, activities, problems in rows:
                found[path] = Cached(size, mtime_ns, context, _decode(activities, problems))
        return found

    def save(self, source: SourceFile, context: str, result: FileResult) -> None:
        if not self._pending:
            self._conn.execute("BEGIN")
        self._conn.execute(
            "INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?, ?)",
            (
                str(source.path),
                source.size,
                source.mtime_ns,
                context,
                json.dumps([a.to_record() for a in result.activities]),
                json.dumps([p.to_dict() for p in result.problems]),
            ),
        )
        self._pending += 1
        # Batches keep imports fast; a crash loses only the last batch, re-parsed next time.
        if self._pending >= 200 or time.monotonic() - self._last_commit > 1.0:
            self.commit()

    def commit(self) -> None:
        if self._pending:
            self._conn.execute("COMMIT")
            self._pending = 0
        self._last_commit = time.monotonic()

    def forget_missing(self, roots: Iterable[Path], present: set[str]) -> int:
        """Drop rows of files under ``roots`` that no longer exist; returns how many."""
        gone: list[str] = []
        for root in roots:
            base = str(root.resolve())
            prefix = base.rstrip("/") + "/"
            rows = self._conn.execute(
                "SELECT path FROM files WHERE path = ? OR substr(path, 1, ?) = ?",
                (base, len(prefix), prefix),
            )
            gone.extend(path for (path,) in rows if path not in present)
        if gone:
            self.commit()
            self._conn.execute("BEGIN")
            self._conn.executemany("DELETE FROM files WHERE path = ?", [(p,) for p in gone])
            self._conn.execute("COMMIT")
        return len(gone)


def _decode(activities: str, problems: str) -> FileResult:
    return FileResult(
        [Activity.from_record(r) for r in json.loads(activities)],
        [Problem(**p) for p in json.loads(problems)],
    )
