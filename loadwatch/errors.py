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
