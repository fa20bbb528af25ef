"""One loadwatch run at a time per data directory (cron and a hand run may overlap).

``fcntl.flock`` locks belong to an open file, so the kernel drops them when the
process ends however it ends: a crashed or killed run never leaves a stale lock.
"""

from __future__ import annotations

import errno
import fcntl
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from loadwatch.errors import LoadwatchError
from loadwatch.private import private_folder

LOCK_NAME = "loadwatch.lock"
#: long enough for a cold import of a big archive by the other run
DEFAULT_TIMEOUT_S = 120.0
_POLL_S = 0.1


class BusyError(LoadwatchError):
    """Another loadwatch run held the data directory for longer than we would wait."""


@contextmanager
def data_dir_lock(
    folder: Path,
    *,
    timeout_s: float = DEFAULT_TIMEOUT_S,
    on_wait: Callable[[], None] | None = None,
) -> Iterator[Path]:
    """Hold an exclusive lock on ``folder/loadwatch.lock`` for the ``with`` block.

    When another process holds it, ``on_wait`` is called once and the lock is
    retried until ``timeout_s`` has passed, then ``BusyError`` is raised.
    """
    path = folder / LOCK_NAME
    try:
        private_folder(folder)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError as exc:
        raise LoadwatchError(f"cannot open the lock file: {exc.strerror}", str(path)) from exc
    try:
        _acquire(fd, path, timeout_s, on_wait)
        try:
            yield path
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _acquire(fd: int, path: Path, timeout_s: float, on_wait: Callable[[], None] | None) -> None:
    deadline = time.monotonic() + timeout_s
    told = False
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except OSError as exc:
            if exc.errno not in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                raise LoadwatchError(f"cannot lock: {exc.strerror}", str(path)) from exc
        if not told and on_wait is not None:
            on_wait()
            told = True
        if time.monotonic() >= deadline:
            raise BusyError(
                f"another loadwatch run is still using {path.parent} after waiting "
                f"{timeout_s:g} s; try again when it has finished"
            )
        time.sleep(_POLL_S)
