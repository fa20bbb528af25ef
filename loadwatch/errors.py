"""One error hierarchy for everything loadwatch can tell a user went wrong.

The CLI turns any ``LoadwatchError`` into a single line and an exit code; anything
else is a bug and keeps its traceback.
"""

from __future__ import annotations

import sqlite3


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


def is_damage(exc: Exception) -> bool:
    """Whether an SQLite error says the database file itself is damaged.

    Only then is "restore a backup or move it aside" the right advice; a file
    that cannot be written for want of permission or space is healthy. A decoding
    error means the damage reached the text of SQLite's own error message.
    """
    if isinstance(exc, UnicodeDecodeError):
        return True
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in (_SQLITE_CORRUPT, _SQLITE_NOTADB)
    # raised by loadwatch's own checks (integrity, schema) with no code
    return type(exc) is sqlite3.DatabaseError


def disk_trouble(exc: BaseException) -> str | None:
    """What an SQLite error says about the disk (full, read-only...), or None.

    Such an error is reported as itself: the file is sound, so calling it damaged
    would send the user to restore a backup for nothing.
    """
    code = getattr(exc, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    text = str(exc).lower()
    if primary == _SQLITE_FULL or "disk is full" in text:
        return "the disk is full; free some space and try again"
    if primary == _SQLITE_READONLY or "readonly" in text or "read-only" in text:
        return (
            "permission denied: the file or its folder is read-only for this user, and "
            "loadwatch needs to write there (check their owner and permissions)"
        )
    if primary in (_SQLITE_PERM, _SQLITE_CANTOPEN) or "unable to open" in text:
        return f"cannot open the file ({exc}); check that its folder exists and is writable"
    if primary == _SQLITE_IOERR or "disk i/o error" in text:
        return f"the disk reported an error ({exc})"
    return None
