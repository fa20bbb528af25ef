"""One error hierarchy for everything loadwatch can tell a user went wrong.

The CLI turns any ``LoadwatchError`` into a single line and an exit code; anything
else is a bug and keeps its traceback.
"""

from __future__ import annotations


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


# SQLite's primary result codes for trouble with the disk rather than the file's content
_SQLITE_PERM, _SQLITE_READONLY, _SQLITE_IOERR, _SQLITE_FULL, _SQLITE_CANTOPEN = 3, 8, 10, 13, 14


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
        return "the file or its folder is read-only; loadwatch needs to write there"
    if primary in (_SQLITE_PERM, _SQLITE_CANTOPEN) or "unable to open" in text:
        return f"cannot open the file ({exc}); check that its folder exists and is writable"
    if primary == _SQLITE_IOERR or "disk i/o error" in text:
        return f"the disk reported an error ({exc})"
    return None
