"""Files of health data are the runner's alone: folders 0700, files 0600 when created.

The pain diary, the shoes and the cache (which holds every run's times and
places) would otherwise take the umask's usual 0644 and be readable by every
user of the machine. Existing files and folders keep the mode their owner gave
them: loadwatch only decides for what it creates.
"""

from __future__ import annotations

import os
from pathlib import Path

FOLDER_MODE = 0o700
FILE_MODE = 0o600


def private_folder(folder: Path) -> None:
    """Create ``folder`` (and missing parents) readable by its owner only, if it is missing."""
    if folder.is_dir():
        return
    # parents the user did not have get the umask's mode, as mkdir -p gives them;
    # the data folder itself is private whatever the umask
    folder.parent.mkdir(parents=True, exist_ok=True)
    try:
        folder.mkdir(mode=FOLDER_MODE)
    except FileExistsError:
        return  # another run made it a moment ago
    os.chmod(folder, FOLDER_MODE)  # mkdir's mode is filtered by the umask


def private_file(path: Path) -> bool:
    """Create ``path`` empty with mode 0600 unless it exists; whether it was created.

    SQLite then opens the empty file as a new database and gives its -wal and -shm
    files the same mode.
    """
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    except FileExistsError:
        return False
    try:
        os.fchmod(fd, FILE_MODE)  # the umask may have taken bits away, never added any
    finally:
        os.close(fd)
    return True
