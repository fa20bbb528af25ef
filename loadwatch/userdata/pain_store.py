"""The pain diary in the user-data file: reading, adding, changing and deleting entries."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from loadwatch.errors import StoreError, UsageError
from loadwatch.userdata.pain import MAX_LEVEL, SIDES, WHEN, WHERE, PainEntry, validate
from loadwatch.userdata.store import (
    DamagedRow,
    RowReader,
    UserData,
    note_damage,
    open_userdata,
)

# ---------------------------------------------------------------------------
# the diary in the user data (``userdata.MIGRATIONS`` creates ``pain_entries``)

_SELECT = (
    "SELECT id, day, level, location, timing, side, swelling, cannot_bear_weight, note "
    "FROM pain_entries"
)


def _from_row(row: Sequence[Any]) -> PainEntry:
    """The entry a row holds; ``DamagedRow`` naming the field when the row is damaged."""
    entry_id, day, level, where, when, side, swelling, cannot, note = row
    read = RowReader("pain_entries", entry_id)
    day_read = read.day("day", day)
    if day_read is None:
        raise read.damaged("day", day, "a date (YYYY-MM-DD)")
    return PainEntry(
        day_read,
        read.whole("level", level, 0, MAX_LEVEL),
        read.choice("location", where, WHERE),
        read.choice("timing", when, WHEN),
        read.choice("side", side, SIDES),
        read.flag("swelling", swelling),
        read.flag("cannot_bear_weight", cannot),
        read.text("note", note),
        read.whole("id", entry_id, 0, 2**63 - 1),
    )


def _sound_rows(rows: Iterable[Sequence[Any]]) -> list[PainEntry]:
    """The entries of ``rows``; each damaged row is noted (``note_damage``) and left out."""
    entries = []
    for row in rows:
        try:
            entries.append(_from_row(row))
        except DamagedRow as exc:
            note_damage(exc.note)
    return entries


def _values(entry: PainEntry) -> tuple[Any, ...]:
    return (
        entry.day.isoformat(),
        entry.level,
        entry.where,
        entry.when,
        entry.side,
        int(entry.swelling),
        int(entry.cannot_bear_weight),
        entry.note,
    )


def load_entries(store: UserData) -> tuple[PainEntry, ...]:
    """Every entry, in diary order."""
    with store.reading() as conn:
        rows = conn.execute(f"{_SELECT} ORDER BY day, id").fetchall()
    return tuple(_sound_rows(rows))


def _get(conn: sqlite3.Connection, entry_id: int) -> PainEntry:
    row = conn.execute(f"{_SELECT} WHERE id = ?", (entry_id,)).fetchone()
    if row is None:
        raise UsageError(f"there is no pain entry #{entry_id} (see 'loadwatch pain list')")
    try:
        return _from_row(row)
    except DamagedRow as exc:
        raise StoreError(exc.note.replace("that row was left out and ", "it was ")) from None


def get_entry(store: UserData, entry_id: int) -> PainEntry:
    with store.reading() as conn:
        return _get(conn, entry_id)


def _insert(conn: sqlite3.Connection, entry: PainEntry) -> PainEntry:
    cursor = conn.execute(
        "INSERT INTO pain_entries (day, level, location, timing, side, swelling, "
        "cannot_bear_weight, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        _values(entry),
    )
    return replace(entry, id=cursor.lastrowid)


def add_entry(store: UserData, entry: PainEntry, today: date | None = None) -> PainEntry:
    """Store a new entry (validated); returns it with its number."""
    checked = validate(replace(entry, id=None), today)
    with store.transaction() as conn:
        return _insert(conn, checked)


def update_entry(
    store: UserData, entry_id: int, changes: Mapping[str, Any], today: date | None = None
) -> PainEntry:
    """Change some fields of entry ``entry_id`` (``PainEntry`` field names); returns it."""
    bad = sorted(set(changes) - (set(PainEntry.__dataclass_fields__) - {"id"}))
    if bad:
        raise ValueError(f"not pain entry fields: {', '.join(bad)}")
    with store.transaction() as conn:
        changed = validate(replace(_get(conn, entry_id), **changes), today)
        conn.execute(
            "UPDATE pain_entries SET day = ?, level = ?, location = ?, timing = ?, side = ?, "
            "swelling = ?, cannot_bear_weight = ?, note = ? WHERE id = ?",
            (*_values(changed), entry_id),
        )
        return changed


def delete_entry(store: UserData, entry_id: int) -> PainEntry:
    """Remove entry ``entry_id``; returns what it said."""
    with store.transaction() as conn:
        entry = _get(conn, entry_id)
        conn.execute("DELETE FROM pain_entries WHERE id = ?", (entry_id,))
        return entry


def import_entries(store: UserData, entries: Iterable[PainEntry]) -> tuple[int, int]:
    """Add ``entries`` in one transaction, skipping any the diary already holds.

    Returns (added, already there), so importing the same file twice adds nothing.
    """
    added = skipped = 0
    with store.transaction() as conn:
        rows = conn.execute(f"{_SELECT}").fetchall()
        known = {_values(entry) for entry in _sound_rows(rows)}
        for entry in entries:
            checked = validate(replace(entry, id=None))
            key = _values(checked)
            if key in known:
                skipped += 1
                continue
            _insert(conn, checked)
            known.add(key)
            added += 1
    return added, skipped


def load_pain(home: Path) -> tuple[PainEntry, ...]:
    """The diary in the data directory ``home``."""
    with open_userdata(home) as store:
        return load_entries(store)


def rule_inputs(home: Path) -> dict[str, Any]:
    """The ``RuleContext`` field the pain rules read: ``pain``."""
    return {"pain": load_pain(home)}
