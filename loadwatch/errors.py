"""One error hierarchy for everything loadwatch can tell a user went wrong.

The CLI turns any ``LoadwatchError`` into a single line and an exit code; anything
else is a bug and keeps its traceback.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path


class LoadwatchError(Exception):
    """Base of every expected problem: carries the file (if any) and the reason."""

    def __init__(self, reason: str, path: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.path = path

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}" if self.path else self.reason


class ConfigError(LoadwatchError):
    """A configuration file is unreadable, or holds an unknown key or a bad value."""

    def __init__(self, reason: str, path: str | None = None, key: str | None = None) -> None:
        super().__init__(reason, path)
        self.key = key

    def __str__(self) -> str:
        # the README promises the file and the key, so a typo is found at once
        where = ": ".join(part for part in (self.path, self.key) if part)
        return f"{where}: {self.reason}" if where else self.reason


class SourceError(LoadwatchError):
    """One export file could not be turned into activities; the others still import."""


class UnsupportedFormatError(SourceError):
    """The file's name or content is not a format loadwatch reads."""


class CorruptFileError(SourceError):
    """The file is a known format but its content is damaged or malformed."""


class NotAnActivityError(SourceError):
    """The file is valid but holds no activity (a FIT settings or monitoring file, a route)."""


class LimitExceededError(SourceError):
    """The file or archive is larger than loadwatch's documented resource limits."""


class StoreError(LoadwatchError):
    """The local store cannot be read or written."""


class UsageError(LoadwatchError):
    """The user asked for something that cannot be done (unknown shoe, bad unit...)."""


# SQLite's primary result codes (https://sqlite.org/rescode.html)
_SQLITE_PERM, _SQLITE_READONLY, _SQLITE_IOERR, _SQLITE_CORRUPT = 3, 8, 10, 11
_SQLITE_FULL, _SQLITE_CANTOPEN, _SQLITE_NOTADB = 13, 14, 26


def is_damage(exc: sqlite3.Error) -> bool:
    """Whether an SQLite error says the database file itself is damaged.

    Only then is "restore a backup or move it aside" the right advice; a file
    that cannot be written for want of permission or space is healthy.
    """
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in (_SQLITE_CORRUPT, _SQLITE_NOTADB)
    # raised by loadwatch's own checks (integrity, schema) with no code
    return type(exc) is sqlite3.DatabaseError


def sqlite_cause(exc: sqlite3.Error, path: Path) -> str:
    """What went wrong, in the user's terms, for an SQLite error that is not damage."""
    code = (getattr(exc, "sqlite_errorcode", None) or 0) & 0xFF
    folder = path.parent
    if code in (_SQLITE_PERM, _SQLITE_READONLY) or (
        code == _SQLITE_CANTOPEN and not os.access(folder, os.W_OK)
    ):
        return (f"permission denied: this user cannot write {path} or its folder {folder} "
                "(check their owner and permissions)")
    if code == _SQLITE_FULL:
        return f"the disk holding {folder} is full; free some space and run again"
    if code == _SQLITE_CANTOPEN:
        return f"cannot open {path} (does {folder} exist, and is it a folder?)"
    if code == _SQLITE_IOERR:
        return f"the disk reported an error reading or writing {path} ({exc})"
    return str(exc)
