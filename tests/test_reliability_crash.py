"""Power cuts and cron overlaps: imports killed at random moments, two imports at once.

A real ``python -m loadwatch import`` runs on a folder of a few hundred exports and
is killed with SIGKILL (the whole process group, workers included) at a random
moment, again and again (each run a process of its own, forked from one that
imported the command once: ``helpers.cli.ForkServer``); between kills some files
change and, now and then, the cache is damaged first so that a kill can land in the
middle of its rebuild. After every kill the next run must list exactly the
activities a clean import lists (none lost, none counted twice) and leave a cache
that passes SQLite's full integrity check. ``LOADWATCH_CAMPAIGN=long`` raises the
number of kills and overlaps.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from helpers.cli import ForkedRun, ForkServer
from test_reliability_regressions import load_campaign

from loadwatch.config import Config
from loadwatch.ingest.pipeline import Collection, import_folders

#: slow: a kill campaign: a few dozen real imports, killed
pytestmark = pytest.mark.slow


campaign = load_campaign()
SCALE = campaign.scale_from_env()
CONFIG = Config(timezone="UTC")
FILES = 240


@dataclass(frozen=True)
class Exports:
    folder: Path
    reference: list[dict[str, Any]]
    files: list[Path]


def listing(collection: Collection) -> list[dict[str, Any]]:
    return [a.to_dict() for a in collection.activities]


@pytest.fixture(scope="module")
def exports(tmp_path_factory: pytest.TempPathFactory) -> Exports:
    root = tmp_path_factory.mktemp("crash")
    folder = root / "exports"
    campaign.build_exports(folder, FILES)
    reference = listing(import_folders([folder], config=CONFIG, home=root / "reference"))
    assert len(reference) == FILES + 4  # runs, three log rows, the FIT file; the copy merges
    files = sorted(p for p in folder.iterdir() if p.suffix != ".toml" and not p.is_symlink())
    return Exports(folder, reference, files)


@pytest.fixture(scope="module")
def forks() -> Iterator[ForkServer]:
    """Real runs of the command without importing it each time (helpers.cli)."""
    with ForkServer() as server:
        yield server


def start(forks: ForkServer, home: Path, *args: str) -> ForkedRun:
    """``python -m loadwatch --data-dir HOME ARGS`` in a session of its own, so that
    the kill reaches its worker processes too."""
    return forks.run("--data-dir", str(home), *args)


def live_members(pgid: int) -> list[int]:
    """Processes of the group that still run (zombies wait for init, which may be slow)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue  # ended while we looked
        fields = text[text.rfind(")") + 2 :].split()
        if int(fields[2]) == pgid and fields[0] not in ("Z", "X"):
            found.append(int(stat.parent.name))
    return found


def group_is_gone(pgid: int) -> bool:
    for _ in range(100):
        if not live_members(pgid):
            return True
        time.sleep(0.02)
    return False


def wait_for_first_write(home: Path, process: ForkedRun, limit_s: float) -> bool:
    """Wait until the run starts writing its cache (its log appears or grows)."""
    wal = home / "cache.sqlite-wal"
    before = wal.stat().st_size if wal.exists() else -1
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline and process.poll() is None:
        if (wal.stat().st_size if wal.exists() else -1) != before:
            return True
        time.sleep(0.002)
    return False


def integrity(database: Path) -> str:
    with sqlite3.connect(database) as conn:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])


@dataclass(frozen=True)
class Snapshot:
    #: modification time each cached file had when it was saved, by path
    saved: dict[str, int]
    log_bytes: int
    intact: bool


def snapshot(home: Path, scratch: Path) -> Snapshot:
    """The cache as the kill left it, read from a copy.

    Opening the cache itself would recover its write-ahead log, which is the next
    run's job; the copy is recovered by SQLite exactly as that run would.
    """
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir()
    wal = home / "cache.sqlite-wal"
    log_bytes = wal.stat().st_size if wal.exists() else 0
    for name in ("cache.sqlite", "cache.sqlite-wal"):
        if (home / name).exists():
            shutil.copy(home / name, scratch / name)
    if not (scratch / "cache.sqlite").exists():
        return Snapshot({}, log_bytes, True)
    try:
        intact = integrity(scratch / "cache.sqlite") == "ok"
        with sqlite3.connect(scratch / "cache.sqlite") as conn:
            saved = dict(conn.execute("SELECT path, mtime_ns FROM files").fetchall())
    except sqlite3.DatabaseError:
        return Snapshot({}, log_bytes, False)
    return Snapshot(saved, log_bytes, intact)


def user_data(home: Path) -> str:
    """A stand-in for the user's own database beside the cache; returns its digest."""
    path = home / "userdata.sqlite"
    if not path.exists():
        with sqlite3.connect(path) as conn:
            conn.execute("CREATE TABLE shoes (name TEXT)")
            conn.execute("INSERT INTO shoes VALUES ('Pegasus 40')")
        conn.close()
    return hashlib.sha256(path.read_bytes()).hexdigest()


def timed_run(forks: ForkServer, home: Path, folder: Path) -> float:
    """How long a whole run takes here and now (to spread the kills over a run)."""
    started = time.perf_counter()
    run = start(forks, home, "import", str(folder))
    assert run.wait(timeout=300) == 0, run.communicate()[1].decode()
    return time.perf_counter() - started


def test_imports_killed_at_random_moments_lose_nothing_and_count_nothing_twice(
    exports: Exports, forks: ForkServer, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    digest = user_data(home)
    cold = timed_run(forks, home, exports.folder)
    warm = timed_run(forks, home, exports.folder)
    shutil.rmtree(home)
    home.mkdir()
    assert user_data(home) == digest
    rng = random.Random(20)
    seen: Counter[str] = Counter()
    kills = 0
    while kills < SCALE.kills:
        # every run has parsing to do: some files change, and now and then the cache
        # is damaged first so that the kill may land in its rebuild
        touched = rng.sample(exports.files, len(exports.files) // 3)
        for path in touched:
            os.utime(path, ns=(time.time_ns(), time.time_ns() + rng.randrange(10**9)))
        damaged = kills % 5 == 4 and (home / "cache.sqlite").exists()
        if damaged:
            (home / "cache.sqlite").write_bytes(b"SQLite format 3\0" + rng.randbytes(3000))
            seen["cache damaged before the run"] += 1
        process = start(forks, home, "import", str(exports.folder))
        # half the kills at any moment of the run, half within 20 ms of its first write
        if rng.random() < 0.5:
            delay = rng.uniform(0.75 * warm, 1.05 * cold)
        elif wait_for_first_write(home, process, 2 * cold):
            delay = rng.uniform(0.0, 0.02)
            seen["kills aimed at the first write"] += 1
        else:
            delay = 0.0
        try:
            process.wait(timeout=delay)
            seen["runs that finished before their kill"] += 1
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            kills += 1
        assert group_is_gone(process.pid), "a worker process outlived the kill"
        left = snapshot(home, tmp_path / "snapshot")
        # a kill never damages the cache; only the damage made on purpose is found
        assert left.intact or damaged, f"kill {kills} left a damaged cache"
        saved = sum(left.saved.get(str(p.resolve())) == p.stat().st_mtime_ns for p in touched)
        if process.returncode != 0 and left.log_bytes:
            seen["kills that left a write-ahead log to recover"] += 1
        if process.returncode != 0 and not damaged:
            seen[
                "kills before the changed files were saved"
                if saved == 0
                else "kills after they were all saved"
                if saved == len(touched)
                else "kills with part of them saved"
            ] += 1
        again = import_folders([exports.folder], config=CONFIG, home=home)
        assert listing(again) == exports.reference, f"after kill {kills}"
        assert integrity(home / "cache.sqlite") == "ok", f"after kill {kills}"
    assert user_data(home) == digest
    details = "; ".join(f"{what}: {n}" for what, n in sorted(seen.items()))
    campaign.record(
        campaign.Figure(
            "`loadwatch import` killed with SIGKILL (process group) at random moments",
            kills,
            f"after every kill the next run listed the {len(exports.reference)} activities of a "
            f"clean import exactly, the cache passed `PRAGMA integrity_check`, no worker "
            f"outlived the kill, a user-data file beside the cache was untouched ({details})",
            0,
        )
    )


def test_two_runs_at_once_on_one_data_folder_both_finish_correctly(
    exports: Exports, forks: ForkServer, tmp_path: Path
) -> None:
    shared = tmp_path / "shared"
    for pair in range(SCALE.overlaps):
        # even pairs start cold on an empty data folder, odd ones on a warm one with
        # half the files changed
        home = tmp_path / f"cold{pair}" if pair % 2 == 0 else shared
        if pair % 2:
            for path in exports.files[pair % 2 :: 2]:
                os.utime(path, ns=(time.time_ns(), time.time_ns() + pair))
        importing = start(forks, home, "import", str(exports.folder))
        listing_run = start(
            forks,
            home,
            "activities",
            str(exports.folder),
            "--all-sports",
            "--format",
            "json",
        )
        imported, import_errors = importing.communicate(timeout=300)
        listed, list_errors = listing_run.communicate(timeout=300)
        assert importing.returncode == 0, import_errors.decode()
        assert listing_run.returncode == 0, list_errors.decode()
        assert f"{len(exports.reference)} activities" in imported.decode()
        assert json.loads(listed) == exports.reference
        after = import_folders([exports.folder], config=CONFIG, home=home)
        assert after.summary.parsed == 0 and listing(after) == exports.reference
        assert integrity(home / "cache.sqlite") == "ok"
    campaign.record(
        campaign.Figure(
            "Two runs at once on one data folder (`import` and `activities --format json`)",
            SCALE.overlaps,
            "both exited 0 with the full, identical list; the next run parsed nothing; the cache "
            "passed `PRAGMA integrity_check` (half the pairs cold, half warm with files changed)",
            0,
        )
    )
