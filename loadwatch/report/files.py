"""Atomic file writes: a reader (a browser, a mail script, a second run) never sees half a file."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from loadwatch.errors import StoreError
from loadwatch.private import private_folder

#: the files a report can be written as (``loadwatch report --formats``)
FORMATS: tuple[str, ...] = ("html", "md", "json", "png")

#: reports describe someone's health and training, so they stay private by default
FILE_MODE = 0o600


def write_atomic(path: Path, data: bytes | str) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder.

    ``os.replace`` within one folder (one file system) is atomic: whoever opens
    ``path`` gets the old file or the new one, never a mix, and a crash leaves at
    most a stray ``.tmp`` file behind, never a truncated report.
    """
    payload = data.encode("utf-8") if isinstance(data, str) else data
    folder = path.parent
    try:
        private_folder(folder)  # reports of health data: the owner's alone
        handle, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise StoreError(f"cannot write the report folder: {exc.strerror}", str(folder)) from exc
    temp = Path(temp_name)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(payload)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temp, FILE_MODE)
        os.replace(temp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise StoreError(f"cannot write the report: {exc.strerror}", str(path)) from exc
