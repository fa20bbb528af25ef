"""The user's own data in ``userdata.sqlite``: shoes today, a pain log later.

Unlike ``cache.sqlite`` nothing here can be rebuilt from the exports: it holds what
the user typed. So every write is one transaction (WAL, ``synchronous=FULL``); the
schema only moves forward through numbered migrations, and an existing file is
copied with SQLite's backup API before a migration touches it; a damaged file is
reported with ``StoreError`` and left exactly as it is, never replaced.

Adding a table (issue 8's pain log) is one new function appended to ``MIGRATIONS``.
"""

from __future__ import annotations

import difflib
import math
import os
import re
import sqlite3
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from loadwatch.errors import StoreError, UsageError, disk_trouble, is_damage
from loadwatch.private import private_file, private_folder
from loadwatch.units import METRES_PER_MILE

FILE_NAME = "userdata.sqlite"
DEFAULT_LIMIT_M = 500 * METRES_PER_MILE
#: what a pair can be the default for: a surface, or any run
DEFAULT_FOR = ("road", "trail", "track", "treadmill", "run")
#: the shape of ``model.activity_id`` (with dedupe's ``-2`` for a same-second twin)
ACTIVITY_ID = re.compile(r"\d{8}T\d{6}Z(-\d+)?")
#: longer names are almost certainly a mistake (a pasted file, a wrong column)
MAX_NAME = 120

#: what ``PRAGMA quick_check`` says of a row whose values break a rule of its table
_ROW_DAMAGE = ("CHECK constraint failed", "NULL value in")

Migration = Callable[[sqlite3.Connection], None]
Clock = Callable[[], datetime]


def name_key(name: str) -> str:
    """How names are compared: case-insensitive, surrounding and repeated spaces ignored."""
    return " ".join(name.split()).casefold()


def clean_name(name: str) -> str:
    """A shoe name as stored: trimmed, inner runs of spaces collapsed; empty is refused."""
    cleaned = " ".join(name.split())
    if not cleaned:
        raise UsageError("a shoe name cannot be empty")
    if len(cleaned) > MAX_NAME:
        raise UsageError(f"a shoe name can be at most {MAX_NAME} characters")
    return cleaned


@dataclass(frozen=True, slots=True)
class Shoe:
    """One pair, as the registry knows it. Distances in metres, dates local."""

    name: str
    brand: str | None = None
    model: str | None = None
    #: first day in service; None when unknown (then in service for any date)
    in_service: date | None = None
    #: last day in service; None while in use
    retired_on: date | None = None
    limit_m: float = DEFAULT_LIMIT_M
    #: distance already on the pair before loadwatch counted any run
    start_distance_m: float = 0.0
    #: a surface in ``DEFAULT_FOR`` this pair is worn for when a run names no shoe
    default_for: str | None = None
    notes: str | None = None
    #: created from a gear name met in a source, not added by the user
    auto_created: bool = False
    #: earlier names (before a rename) that sources may still use
    aliases: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        return name_key(self.name)

    def answers_to(self, name: str) -> bool:
        wanted = name_key(name)
        return wanted == self.key or any(name_key(a) == wanted for a in self.aliases)

    def in_service_on(self, day: date) -> bool:
        started = self.in_service is None or self.in_service <= day
        return started and (self.retired_on is None or day <= self.retired_on)


@dataclass(frozen=True, slots=True)
class Assignment:
    """The user's word on which shoe a run counts for: one activity, or a date range."""

    shoe: str
    activity_id: str | None = None
    first: date | None = None
    last: date | None = None
    #: creation order; where date ranges overlap the most recent wins
    seq: int = 0

    def covers(self, day: date) -> bool:
        return self.first is not None and self.last is not None and self.first <= day <= self.last


# ---------------------------------------------------------------------------
# schema: each migration moves the file up one version, inside one transaction


def _v1_shoes(conn: sqlite3.Connection) -> None:
    # ``executescript`` would commit the open transaction, so one statement at a time.
    conn.execute(
        """CREATE TABLE shoes (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            name_key TEXT NOT NULL UNIQUE,
            brand TEXT,
            model TEXT,
            in_service TEXT,
            retired_on TEXT,
            limit_m REAL NOT NULL CHECK (limit_m > 0),
            start_distance_m REAL NOT NULL DEFAULT 0 CHECK (start_distance_m >= 0),
            default_for TEXT CHECK (default_for IN ('road','trail','track','treadmill','run')),
            notes TEXT,
            auto_created INTEGER NOT NULL DEFAULT 0
        )"""
    )
    conn.execute(
        """CREATE TABLE shoe_aliases (
            name_key TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            shoe_id INTEGER NOT NULL REFERENCES shoes(id) ON DELETE CASCADE
        )"""
    )
    conn.execute(
        """CREATE TABLE shoe_assignments (
            id INTEGER PRIMARY KEY,
            shoe_id INTEGER NOT NULL REFERENCES shoes(id) ON DELETE CASCADE,
            activity_id TEXT UNIQUE,
            first_day TEXT,
            last_day TEXT,
            CHECK ((activity_id IS NULL) = (first_day IS NOT NULL AND last_day IS NOT NULL))
        )"""
    )


def _v2_pain(conn: sqlite3.Connection) -> None:
    # the heel-pain diary (``loadwatch.userdata.pain``); ``where`` and ``when`` are SQL words
    conn.execute(
        """CREATE TABLE pain_entries (
            id INTEGER PRIMARY KEY,
            day TEXT NOT NULL,
            level INTEGER NOT NULL CHECK (level BETWEEN 0 AND 10),
            location TEXT CHECK (location IN ('under','back','both')),
            timing TEXT CHECK (timing IN
                ('first-steps','after-run','during-run','rest','night')),
            side TEXT CHECK (side IN ('left','right','both')),
            swelling INTEGER NOT NULL DEFAULT 0 CHECK (swelling IN (0, 1)),
            cannot_bear_weight INTEGER NOT NULL DEFAULT 0 CHECK (cannot_bear_weight IN (0, 1)),
            note TEXT,
            CHECK (level = 0 OR location IS NOT NULL)
        )"""
    )
    conn.execute("CREATE INDEX pain_entries_by_day ON pain_entries (day, id)")


#: version N of the file is what the first N migrations make; append, never edit
MIGRATIONS: list[Migration] = [_v1_shoes, _v2_pain]


def schema_version() -> int:
    """The version this loadwatch writes (read at call time so tests can add steps)."""
    return len(MIGRATIONS)


def _empty(path: Path) -> bool:
    """Whether the file at ``path`` holds nothing, not even in its write-ahead log."""
    try:
        if path.stat().st_size:
            return False
        return Path(f"{path}-wal").stat().st_size == 0
    except FileNotFoundError:
        return True
    except OSError:
        return False  # SQLite will say what is wrong


def _utc_now() -> datetime:
    return datetime.now(UTC)


class UserData:
    """The open user-data file. Use as a context manager; see ``open_userdata``."""

    def __init__(self, path: Path, *, clock: Clock = _utc_now) -> None:
        self.path = path
        #: backups written before migrating, newest last (the CLI may mention them)
        self.backups: list[Path] = []
        self._clock = clock
        self._conn = self._open()

    # -- opening, checking, migrating -------------------------------------

    def _open(self) -> sqlite3.Connection:
        try:
            private_folder(self.path.parent)
            if not self.path.exists():
                self._create()
        except OSError as exc:
            folder = str(self.path.parent)
            raise StoreError(f"cannot create the data folder: {exc}", folder) from exc
        except sqlite3.Error as exc:
            raise self._error(exc) from exc
        if _empty(self.path):
            # SQLite would take an empty file for a new database and loadwatch would show
            # an empty diary; this file is only ever put in place complete (``_create``),
            # so an empty one lost what it held
            raise StoreError(
                "your shoes and pain log file is empty (0 bytes): its content was lost; it "
                f"was left untouched. Restore a backup ({self.path.name}.*.bak) or move it "
                "aside to start afresh",
                str(self.path),
            )
        try:
            conn = sqlite3.connect(self.path, timeout=30.0, isolation_level=None)
        except sqlite3.Error as exc:
            raise StoreError(
                f"cannot open your user data: {disk_trouble(exc) or exc}", str(self.path)
            ) from exc
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=FULL")
            conn.execute("PRAGMA foreign_keys=ON")
            found = self._version(conn)
            target = schema_version()
            if found > target:
                raise StoreError(
                    f"your user data was written by a newer loadwatch (schema {found}, this "
                    f"one knows up to {target}); upgrade loadwatch",
                    str(self.path),
                )
            if found < target:
                if found > 0:
                    self.backups.append(self._backup(conn, found))
                self._migrate(conn, found)
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise self._error(exc) from exc
        except BaseException:
            conn.close()
            raise
        return conn

    def _error(self, exc: sqlite3.Error) -> StoreError:
        trouble = disk_trouble(exc)
        if trouble is not None or not is_damage(exc):
            # a full or read-only disk, or a busy file, is not a damaged file
            return StoreError(f"cannot use your user data: {trouble or exc}", str(self.path))
        return StoreError(
            f"your shoes and pain log file is damaged ({exc}); it was left untouched. "
            f"Restore a backup ({self.path.name}.*.bak) or move it aside to start afresh",
            str(self.path),
        )

    def _create(self) -> None:
        """Build a new, empty user-data file beside its place, then put it there whole.

        A run killed while creating it leaves only the temporary file, so an empty
        ``userdata.sqlite`` never comes from loadwatch itself (see ``_open``).
        """
        temp = self.path.with_name(f".{self.path.name}.new-{os.getpid()}-{time.time_ns()}")
        private_file(temp)
        try:
            conn = sqlite3.connect(temp, isolation_level=None)
            try:
                conn.execute("PRAGMA journal_mode=WAL")
                conn.execute("PRAGMA synchronous=FULL")
                self._migrate(conn, 0)
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            finally:
                conn.close()
            try:
                # link() never replaces: a run that created the file a moment ago wins
                os.link(temp, self.path)
            except FileExistsError:
                pass
            except OSError:
                if not self.path.exists():  # a file system without hard links
                    os.replace(temp, self.path)
        finally:
            for part in (temp, Path(f"{temp}-wal"), Path(f"{temp}-shm")):
                part.unlink(missing_ok=True)

    def _version(self, conn: sqlite3.Connection) -> int:
        answers = [row[0] for row in conn.execute("PRAGMA quick_check")]
        # A row breaking a CHECK or NOT NULL rule is one damaged row, which the readers
        # name and leave out (``RowReader``); only damage to the file itself is fatal.
        damage = [a for a in answers if a != "ok" and not str(a).startswith(_ROW_DAMAGE)]
        if damage or not answers:
            raise sqlite3.DatabaseError(
                f"integrity check failed: {damage[0] if damage else 'no answer'}"
            )
        tables = {name for (name,) in conn.execute("SELECT name FROM sqlite_master")}
        if "meta" not in tables:
            if tables:
                raise sqlite3.DatabaseError("not a loadwatch user data file")
            return 0
        found = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        if found is None or not str(found[0]).isdecimal():
            raise sqlite3.DatabaseError("its schema version is missing")
        return int(found[0])

    def _backup(self, conn: sqlite3.Connection, version: int) -> Path:
        stamp = self._clock().strftime("%Y%m%dT%H%M%S")
        target = self.path.with_name(f"{self.path.name}.v{version}-{stamp}.bak")
        counter = 1
        while target.exists():
            counter += 1
            target = self.path.with_name(f"{self.path.name}.v{version}-{stamp}-{counter}.bak")
        try:
            copy = sqlite3.connect(target)
            try:
                conn.backup(copy)
            finally:
                copy.close()
        except sqlite3.Error as exc:
            raise StoreError(
                f"cannot back up your user data before upgrading it ({exc}); nothing was changed",
                str(target),
            ) from exc
        return target

    def _migrate(self, conn: sqlite3.Connection, found: int) -> None:
        for version, step in enumerate(MIGRATIONS[found:], found + 1):
            with _transaction(conn):
                # Another process may have migrated while we waited for the write lock.
                if self._version(conn) >= version:
                    continue
                conn.execute(
                    "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)"
                )
                step(conn)
                conn.execute(
                    "INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", (str(version),)
                )

    def __enter__(self) -> UserData:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        self._conn.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One all-or-nothing write: committed when the block ends, rolled back on error."""
        try:
            with _transaction(self._conn):
                yield self._conn
        except sqlite3.DatabaseError as exc:
            reason = disk_trouble(exc) or str(exc)
            raise StoreError(f"cannot write your user data: {reason}", str(self.path)) from exc

    @contextmanager
    def reading(self) -> Iterator[sqlite3.Connection]:
        """A consistent snapshot for several reads."""
        try:
            self._conn.execute("BEGIN")
            try:
                yield self._conn
            finally:
                self._conn.execute("COMMIT")
        except sqlite3.DatabaseError as exc:
            raise StoreError(
                f"cannot read your user data: {disk_trouble(exc) or exc}", str(self.path)
            ) from exc

    @property
    def version(self) -> int:
        return self._version(self._conn)

    # -- shoes: reading ------------------------------------------------------

    def shoes(self) -> tuple[Shoe, ...]:
        with self.reading() as conn:
            return tuple(_load_shoes(conn).values())

    def assignments(self) -> tuple[Assignment, ...]:
        with self.reading() as conn:
            names = {shoe_id: shoe.name for shoe_id, shoe in _shoes_by_id(conn).items()}
            rows = conn.execute(
                "SELECT shoe_id, activity_id, first_day, last_day, id "
                "FROM shoe_assignments ORDER BY id"
            ).fetchall()
        found = []
        for shoe_id, activity, first, last, seq in rows:
            if shoe_id not in names:
                continue  # its pair's row is damaged (noted) or gone
            read = RowReader("shoe_assignments", seq)
            try:
                assignment = Assignment(
                    names[shoe_id],
                    read.activity("activity_id", activity),
                    read.day("first_day", first),
                    read.day("last_day", last),
                    int(seq),
                )
                if assignment.activity_id is None and (
                    assignment.first is None or assignment.last is None
                ):
                    raise read.damaged("first_day", first, "a date range")
            except DamagedRow as exc:
                note_damage(exc.note)
                continue
            found.append(assignment)
        return tuple(found)

    # -- shoes: writing ------------------------------------------------------

    def add_shoe(
        self,
        name: str,
        *,
        brand: str | None = None,
        model: str | None = None,
        in_service: date | None = None,
        limit_m: float | None = None,
        start_distance_m: float | None = None,
        default_for: str | None = None,
        notes: str | None = None,
        default_in_service: date | None = None,
    ) -> tuple[Shoe, bool]:
        """Add a pair, or take over one created from a gear name; (shoe, newly created).

        Options left as None keep a taken-over pair's values (or take the defaults;
        a new pair without ``in_service`` starts on ``default_in_service``). A name
        already used by a pair the user added, or by an earlier name, is an error.
        """
        name = clean_name(name)
        _check_values(limit_m, start_distance_m, default_for)
        with self.transaction() as conn:
            owner = _owner_of(conn, name)
            if owner is None:
                conn.execute(
                    "INSERT INTO shoes (name, name_key, brand, model, in_service, limit_m, "
                    "start_distance_m, default_for, notes, auto_created) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0)",
                    (
                        name,
                        name_key(name),
                        _text(brand),
                        _text(model),
                        _iso(in_service or default_in_service),
                        DEFAULT_LIMIT_M if limit_m is None else limit_m,
                        start_distance_m or 0.0,
                        default_for,
                        _text(notes),
                    ),
                )
                created = True
            else:
                shoe_id, current, is_alias, auto = owner
                if is_alias or not auto:
                    raise UsageError(_taken(name, current, is_alias))
                changes: dict[str, Any] = {
                    "name": name,
                    "brand": _text(brand),
                    "model": _text(model),
                    "in_service": _iso(in_service),
                    "limit_m": limit_m,
                    "start_distance_m": start_distance_m,
                    "default_for": default_for,
                    "notes": _text(notes),
                }
                _update(conn, shoe_id, {k: v for k, v in changes.items() if v is not None})
                conn.execute("UPDATE shoes SET auto_created = 0 WHERE id = ?", (shoe_id,))
                created = False
            return _sound_shoe(conn, name_key(name)), created

    def record_gear(self, first_seen: Mapping[str, tuple[str, date]]) -> list[str]:
        """Persist what ``gear_changes`` says gear names met in sources imply.

        Returns the names of the pairs created.
        """
        with self.transaction() as conn:
            created, starts = gear_changes(tuple(_load_shoes(conn).values()), first_seen)
            for shoe in created:
                conn.execute(
                    "INSERT INTO shoes (name, name_key, in_service, limit_m, auto_created) "
                    "VALUES (?, ?, ?, ?, 1)",
                    (shoe.name, shoe.key, _iso(shoe.in_service), shoe.limit_m),
                )
            for name, day in starts.items():
                conn.execute(
                    "UPDATE shoes SET in_service = ? WHERE name_key = ?",
                    (day.isoformat(), name_key(name)),
                )
        return [shoe.name for shoe in created]

    def retire_shoe(self, name: str, on: date, *, move: bool = False) -> Shoe:
        """Retire a pair on ``on``; a pair already retired keeps its date unless ``move``.

        A second ``retire`` is more often a slip than a correction, so moving the
        date takes asking for it (``--on`` on the command line).
        """
        with self.transaction() as conn:
            shoe_id, shoe = _resolve(conn, name)
            if shoe.retired_on is not None and not move and shoe.retired_on != on:
                raise UsageError(
                    f"'{shoe.name}' was already retired on {shoe.retired_on.isoformat()}; "
                    "give --on DATE to change that date"
                )
            if shoe.in_service is not None and on < shoe.in_service:
                raise UsageError(
                    f"'{shoe.name}' went into service on {shoe.in_service.isoformat()}; "
                    f"it cannot be retired on {on.isoformat()}"
                )
            _update(conn, shoe_id, {"retired_on": on.isoformat()})
            return _sound_shoe(conn, shoe.key)

    def rename_shoe(self, old: str, new: str) -> Shoe:
        """Rename a pair; its old name stays an alias so sources using it still match."""
        new = clean_name(new)
        with self.transaction() as conn:
            shoe_id, shoe = _resolve(conn, old)
            owner = _owner_of(conn, new)
            if owner is not None and owner[0] != shoe_id:
                raise UsageError(_taken(new, owner[1], owner[2]))
            conn.execute("DELETE FROM shoe_aliases WHERE name_key = ?", (name_key(new),))
            if shoe.key != name_key(new):
                conn.execute(
                    "INSERT INTO shoe_aliases (name_key, name, shoe_id) VALUES (?, ?, ?)",
                    (shoe.key, shoe.name, shoe_id),
                )
            _update(conn, shoe_id, {"name": new, "name_key": name_key(new)})
            return _sound_shoe(conn, name_key(new))

    def assign(
        self,
        name: str,
        *,
        activity_id: str | None = None,
        first: date | None = None,
        last: date | None = None,
        activity_day: date | None = None,
    ) -> Assignment:
        """Count one activity, or every run from ``first`` to ``last``, for a pair.

        ``activity_day`` is the activity's local date, when known: a retired pair
        takes only runs within its service, from its first day to its retirement.
        """
        by_activity = activity_id is not None
        if by_activity == (first is not None or last is not None):
            raise UsageError("assign either one activity, or a date range with both ends")
        if not by_activity and (first is None or last is None):
            raise UsageError("a date range needs both a first and a last date")
        if first is not None and last is not None and last < first:
            raise UsageError(f"the range ends ({last}) before it starts ({first})")
        activity = None if activity_id is None else activity_id.strip()
        if activity is not None and not ACTIVITY_ID.fullmatch(activity):
            raise UsageError(
                f"'{activity}' is not an activity id; ids look like 20260302T074455Z "
                "(the id column of 'loadwatch activities --format json')"
            )
        with self.transaction() as conn:
            shoe_id, shoe = _resolve(conn, name)
            _check_in_service(shoe, first or activity_day, last or activity_day)
            if activity:
                conn.execute("DELETE FROM shoe_assignments WHERE activity_id = ?", (activity,))
            cursor = conn.execute(
                "INSERT INTO shoe_assignments (shoe_id, activity_id, first_day, last_day) "
                "VALUES (?, ?, ?, ?)",
                (shoe_id, activity, _iso(first), _iso(last)),
            )
            return Assignment(shoe.name, activity, first, last, cursor.lastrowid or 0)

    def merge_listed(
        self, listed: Sequence[Shoe], *, auto: bool = False
    ) -> tuple[list[str], list[str]]:
        """Bring in pairs from a service's list (Garmin gear, Strava shoes.csv); (added, updated).

        A listed pair matches an existing one by its name or any of its aliases. A
        match only has its blanks filled: brand, model, ``default_for``, the
        in-service date and the retirement date when unknown. A pair loadwatch
        created itself (from a gear name, nothing the user typed) also takes the
        listed limit and an earlier in-service date. What the user typed is never
        changed. Aliases already used by another pair are skipped rather than made
        ambiguous. ``auto`` marks new pairs as created from exports (so that ``shoes
        add`` may take them over), as opposed to a list the user imported by hand.
        """
        added: list[str] = []
        updated: list[str] = []
        with self.transaction() as conn:
            for entry in listed:
                spellings = [entry.name, *entry.aliases]
                owners = (_owner_of(conn, spelling) for spelling in spellings)
                owner = next((found for found in owners if found is not None), None)
                if owner is None:
                    name = clean_name(entry.name)
                    retired = entry.retired_on
                    if retired and entry.in_service and retired < entry.in_service:
                        retired = None
                    cursor = conn.execute(
                        "INSERT INTO shoes (name, name_key, brand, model, in_service, retired_on, "
                        "limit_m, default_for, auto_created) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        (
                            name,
                            name_key(name),
                            _text(entry.brand),
                            _text(entry.model),
                            _iso(entry.in_service),
                            _iso(retired),
                            entry.limit_m if entry.limit_m > 0 else DEFAULT_LIMIT_M,
                            entry.default_for,
                            int(auto),
                        ),
                    )
                    shoe_id = cursor.lastrowid
                    added.append(name)
                else:
                    shoe_id = owner[0]
                    shoe = _sound_shoe(conn, name_key(owner[1]))
                    fill = _blanks(shoe, entry)
                    if fill:
                        _update(conn, shoe_id, fill)
                        updated.append(shoe.name)
                for spelling in spellings:
                    if _owner_of(conn, spelling) is None:
                        conn.execute(
                            "INSERT INTO shoe_aliases (name_key, name, shoe_id) VALUES (?, ?, ?)",
                            (name_key(spelling), clean_name(spelling), shoe_id),
                        )
        return added, updated


def _blanks(shoe: Shoe, entry: Shoe) -> dict[str, Any]:
    """What a listed pair may fill in on a pair already known (see ``merge_listed``)."""
    fill: dict[str, Any] = {
        "brand": None if shoe.brand else _text(entry.brand),
        "model": None if shoe.model else _text(entry.model),
        "default_for": None if shoe.default_for else entry.default_for,
    }
    started = shoe.in_service
    if entry.in_service is not None and (
        started is None or (shoe.auto_created and entry.in_service < started)
    ):
        fill["in_service"] = entry.in_service.isoformat()
        started = entry.in_service
    if (
        shoe.retired_on is None
        and entry.retired_on is not None
        and (started is None or entry.retired_on >= started)
    ):
        fill["retired_on"] = entry.retired_on.isoformat()
    if shoe.auto_created and entry.limit_m != shoe.limit_m and entry.limit_m != DEFAULT_LIMIT_M:
        fill["limit_m"] = entry.limit_m
    return {k: v for k, v in fill.items() if v is not None}


def gear_changes(
    shoes: Sequence[Shoe], first_seen: Mapping[str, tuple[str, date]]
) -> tuple[list[Shoe], dict[str, date]]:
    """What gear names met in sources imply for the registry: (pairs to create, new starts).

    ``first_seen`` maps ``name_key(gear)`` to (spelling, first local run date). A
    gear name no pair answers to becomes a pair in service from its first run. A
    pair created that way moves its start back if an earlier run turns up (another
    folder), and a pair whose start is unknown takes the first run's date.
    """
    known = list(shoes)
    created: list[Shoe] = []
    starts: dict[str, date] = {}
    for _key, (spelling, first) in sorted(first_seen.items()):
        owner = next((shoe for shoe in known if shoe.answers_to(spelling)), None)
        if owner is None:
            try:
                name = clean_name(spelling)
            except UsageError:
                continue  # not usable as a name; its runs fall back to the defaults
            shoe = Shoe(name, in_service=first, auto_created=True)
            created.append(shoe)
            known.append(shoe)
            continue
        current = starts.get(owner.name, owner.in_service)
        if current is None or (owner.auto_created and first < current):
            starts[owner.name] = first
    return created, starts


def open_userdata(home: Path, *, clock: Clock = _utc_now) -> UserData:
    """The user data in the data directory ``home`` (see ``library.data_dir``)."""
    return UserData(home / FILE_NAME, clock=clock)


# ---------------------------------------------------------------------------
# helpers on an open connection (always inside a transaction or a read)


@contextmanager
def _transaction(conn: sqlite3.Connection) -> Iterator[None]:
    # IMMEDIATE takes the write lock up front, so checks and writes see the same data.
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        # SQLite has already rolled back after some errors (a full disk among them);
        # a second rollback would fail and hide the real cause
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


_COLUMNS = (
    "id, name, brand, model, in_service, retired_on, limit_m, start_distance_m, default_for, "
    "notes, auto_created"
)


def _load_shoes(conn: sqlite3.Connection) -> dict[str, Shoe]:
    """Every sound pair by key; a damaged row is noted (``note_damage``) and left out."""
    return {shoe.key: shoe for shoe in _shoes_by_id(conn).values()}


def _shoes_by_id(conn: sqlite3.Connection) -> dict[int, Shoe]:
    aliases: dict[int, list[str]] = {}
    for rowid, shoe_id, alias in conn.execute(
        "SELECT rowid, shoe_id, name FROM shoe_aliases ORDER BY name_key"
    ):
        try:
            aliases.setdefault(shoe_id, []).append(
                RowReader("shoe_aliases", rowid).name("name", alias)
            )
        except DamagedRow as exc:
            note_damage(exc.note)
    shoes: dict[int, Shoe] = {}
    for row in conn.execute(f"SELECT {_COLUMNS} FROM shoes ORDER BY name_key"):
        try:
            shoes[row[0]] = _shoe(row, tuple(aliases.get(row[0], ())))
        except DamagedRow as exc:
            note_damage(exc.note)
    return shoes


def _sound_shoe(conn: sqlite3.Connection, key: str) -> Shoe:
    """The pair stored under ``key``, or a StoreError when its row is damaged."""
    found = _load_shoes(conn).get(key)
    if found is None:
        raise StoreError(
            f"the row of the shoe '{key}' in {FILE_NAME} is damaged, so it cannot be changed "
            "(it was left as it is); fix or remove that row with an SQLite tool"
        )
    return found


def _shoe(row: Sequence[Any], aliases: tuple[str, ...]) -> Shoe:
    (
        shoe_id,
        name,
        brand,
        model,
        in_service,
        retired_on,
        limit_m,
        start_m,
        default_for,
        notes,
        auto,
    ) = row
    read = RowReader("shoes", shoe_id)
    return Shoe(
        name=read.name("name", name),
        brand=read.text("brand", brand),
        model=read.text("model", model),
        in_service=read.day("in_service", in_service),
        retired_on=read.day("retired_on", retired_on),
        limit_m=read.number("limit_m", limit_m, positive=True),
        start_distance_m=read.number("start_distance_m", start_m),
        default_for=read.choice("default_for", default_for, DEFAULT_FOR),
        notes=read.text("notes", notes),
        auto_created=read.flag("auto_created", auto),
        aliases=aliases,
    )


def _owner_of(conn: sqlite3.Connection, name: str) -> tuple[int, str, bool, bool] | None:
    """(shoe id, its name, whether ``name`` is an alias, auto-created) of who answers to it."""
    key = name_key(name)
    row = conn.execute(
        "SELECT id, name, auto_created FROM shoes WHERE name_key = ?", (key,)
    ).fetchone()
    if row is not None:
        return int(row[0]), row[1], False, bool(row[2])
    row = conn.execute(
        "SELECT s.id, s.name, s.auto_created FROM shoe_aliases a JOIN shoes s "
        "ON s.id = a.shoe_id WHERE a.name_key = ?",
        (key,),
    ).fetchone()
    return None if row is None else (int(row[0]), row[1], True, bool(row[2]))


def _check_in_service(shoe: Shoe, first: date | None, last: date | None) -> None:
    """A retired pair cannot take runs from outside the days it was in service."""
    if shoe.retired_on is None:
        return
    if last is not None and last > shoe.retired_on:
        raise UsageError(
            f"'{shoe.name}' was retired on {shoe.retired_on.isoformat()}, before "
            f"{last.isoformat()}; if it ran later, move its date with "
            f"'loadwatch shoes retire \"{shoe.name}\" --on DATE'"
        )
    if first is not None and shoe.in_service is not None and first < shoe.in_service:
        raise UsageError(
            f"'{shoe.name}' went into service on {shoe.in_service.isoformat()}, after "
            f"{first.isoformat()}"
        )


def _resolve(conn: sqlite3.Connection, name: str) -> tuple[int, Shoe]:
    """The pair answering to ``name``, or a UsageError suggesting the closest name."""
    owner = _owner_of(conn, name)
    if owner is None:
        raise UsageError(unknown_shoe_message(name, list(_load_shoes(conn).values())))
    return owner[0], _sound_shoe(conn, name_key(owner[1]))


def unknown_shoe_message(name: str, shoes: Sequence[Shoe]) -> str:
    """``no shoe named 'Pegasos'; did you mean 'Pegasus 40'?`` (or how to add one)."""
    if not shoes:
        return f"no shoe named '{name}': there are no shoes yet; add one with 'loadwatch shoes add'"
    spellings = {name_key(s.name): s.name for s in shoes}
    for shoe in shoes:
        for alias in shoe.aliases:
            spellings.setdefault(name_key(alias), shoe.name)
    close = difflib.get_close_matches(name_key(name), list(spellings), n=1, cutoff=0.5)
    if close:
        return f"no shoe named '{name}'; did you mean '{spellings[close[0]]}'?"
    known = ", ".join(f"'{s.name}'" for s in shoes[:8])
    return f"no shoe named '{name}' (known: {known}{', …' if len(shoes) > 8 else ''})"


def _taken(name: str, owner: str, is_alias: bool) -> str:
    if is_alias:
        return f"'{name}' is an earlier name of the shoe '{owner}'; choose another name"
    return f"there is already a shoe named '{owner}'"


def _check_values(
    limit_m: float | None, start_distance_m: float | None, default_for: str | None
) -> None:
    if limit_m is not None and not limit_m > 0:
        raise UsageError("a shoe's limit must be more than zero")
    if start_distance_m is not None and not start_distance_m >= 0:
        raise UsageError("a start distance cannot be negative")
    if default_for is not None and default_for not in DEFAULT_FOR:
        raise UsageError(
            f"default-for must be one of {', '.join(DEFAULT_FOR)}, not '{default_for}'"
        )


def _update(conn: sqlite3.Connection, shoe_id: int, values: Mapping[str, Any]) -> None:
    if not values:
        return
    # Column names come from this module only, never from the user.
    assignments = ", ".join(f"{column} = ?" for column in values)
    conn.execute(f"UPDATE shoes SET {assignments} WHERE id = ?", (*values.values(), shoe_id))


def _text(value: str | None) -> str | None:
    if value is None:
        return None
    cleaned = " ".join(value.split())
    return cleaned or None


def _iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


# ---------------------------------------------------------------------------
# reading rows back: every value is checked, since the file may have been edited
# by hand or damaged, and one bad row must never hide the rest of the runner's data


class DamagedRow(ValueError):
    """One field of one row is not what loadwatch writes; ``note`` is the one-line report."""

    def __init__(self, note: str) -> None:
        super().__init__(note)
        self.note = note


#: how much of a damaged value a note quotes
_QUOTED = 40
_NOTES: list[str] = []


def note_damage(note: str) -> None:
    """Remember a damaged row for the CLI to report (once, however often it is read)."""
    if note not in _NOTES:
        _NOTES.append(note)


def damage_notes() -> list[str]:
    """The damaged rows met since the last call, one line each (and forget them)."""
    notes = list(_NOTES)
    _NOTES.clear()
    return notes


def _quoted(value: object) -> str:
    if isinstance(value, bytes):
        return f"{len(value)} bytes of binary data"
    text = "".join(c if c.isprintable() else " " for c in str(value))
    return repr(text if len(text) <= _QUOTED else text[: _QUOTED - 1] + "…")


@dataclass(frozen=True, slots=True)
class RowReader:
    """Checks the fields of one row of ``table``; a bad one raises ``DamagedRow``."""

    table: str
    row: object

    def damaged(self, column: str, value: object, expected: str) -> DamagedRow:
        row = self.row if isinstance(self.row, int) else _quoted(self.row)
        return DamagedRow(
            f"{FILE_NAME}: table {self.table}, row {row}, field {column}: {_quoted(value)} "
            f"is not {expected}; that row was left out and left as it is in the file"
        )

    def day(self, column: str, value: object) -> date | None:
        if value is None:
            return None
        try:
            if isinstance(value, str):
                return date.fromisoformat(value)
        except ValueError:
            pass
        raise self.damaged(column, value, "a date (YYYY-MM-DD)")

    def number(self, column: str, value: object, *, positive: bool = False) -> float:
        if isinstance(value, int | float) and not isinstance(value, bool):
            number = float(value)
            if math.isfinite(number) and (number > 0 if positive else number >= 0):
                return number
        raise self.damaged(
            column,
            value,
            "a positive number of metres" if positive else "a number of metres (0 or more)",
        )

    def text(self, column: str, value: object) -> str | None:
        if value is None or isinstance(value, str):
            return value
        raise self.damaged(column, value, "text")

    def name(self, column: str, value: object) -> str:
        if isinstance(value, str) and value.strip():
            return value
        raise self.damaged(column, value, "a name")

    def choice(self, column: str, value: object, allowed: Sequence[str]) -> str | None:
        if value is None or (isinstance(value, str) and value in allowed):
            return value
        raise self.damaged(column, value, f"one of {', '.join(allowed)}")

    def flag(self, column: str, value: object) -> bool:
        if value in (0, 1):
            return bool(value)
        raise self.damaged(column, value, "0 or 1")

    def whole(self, column: str, value: object, lowest: int, highest: int) -> int:
        if isinstance(value, int) and not isinstance(value, bool) and lowest <= value <= highest:
            return value
        raise self.damaged(column, value, f"a whole number from {lowest} to {highest}")

    def activity(self, column: str, value: object) -> str | None:
        if value is None or (isinstance(value, str) and ACTIVITY_ID.fullmatch(value)):
            return value
        raise self.damaged(column, value, "an activity id")
