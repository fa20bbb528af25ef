"""The import pipeline end to end: incremental cache, deletions, problems, copies."""

from __future__ import annotations

import gzip
import os
import sqlite3
import zipfile
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from helpers.corpus import CORPUS

from loadwatch.config import Config
from loadwatch.ingest import pipeline as library
from loadwatch.ingest.pipeline import import_folders
from loadwatch.model import Surface

UTC_CONFIG = Config(timezone="UTC")


def gpx(start: str, name: str = "Evening Run", kind: str = "running") -> str:
    """A two-kilometre GPX track, one point a minute from ``start`` (UTC, ISO).

    The inner points sway ahead and behind as a real GPS does, so the track reads
    as a recording rather than a planned route's made-up times (``trackpoints``).
    """
    first = datetime.fromisoformat(start)
    points = "".join(
        f'<trkpt lat="{51.5 + i * 0.0018 + (0.0004 if i % 2 else -0.0004) * (0 < i < 10):.4f}" '
        f'lon="-0.1000"><ele>10</ele>'
        f"<time>{(first + timedelta(minutes=i)).isoformat()}Z</time></trkpt>"
        for i in range(11)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<gpx version="1.1" creator="test" xmlns="http://www.topografix.com/GPX/1/1">'
        f"<trk><name>{name}</name><type>{kind}</type><trkseg>{points}</trkseg></trk></gpx>"
    )


@pytest.fixture
def counting(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Records every file the pipeline parses (the cache must spare unchanged ones)."""
    parsed: list[str] = []
    real = library.parse_source

    def spy(source, zone, units):  # type: ignore[no-untyped-def]
        parsed.append(source.display)
        return real(source, zone, units)

    monkeypatch.setattr(library, "parse_source", spy)
    return parsed


def test_second_run_parses_nothing_and_changes_are_noticed(
    tmp_path: Path, counting: list[str]
) -> None:
    folder, home = tmp_path / "exports", tmp_path / "home"
    folder.mkdir()
    (folder / "a.gpx").write_text(gpx("2026-05-04T07:00:00"))
    (folder / "b.gpx").write_text(gpx("2026-05-05T07:00:00"))
    first = import_folders([folder], config=UTC_CONFIG, home=home)
    assert (first.summary.new, first.summary.unchanged) == (2, 0)
    assert sorted(counting) == ["a.gpx", "b.gpx"]

    counting.clear()
    second = import_folders([folder], config=UTC_CONFIG, home=home)
    assert counting == []
    assert (second.summary.new, second.summary.unchanged, second.summary.parsed) == (0, 2, 0)
    assert second.activities == first.activities

    (folder / "b.gpx").write_text(gpx("2026-05-06T07:00:00"))
    os.utime(folder / "b.gpx", ns=(1, 10**18))
    (folder / "a.gpx").unlink()
    third = import_folders([folder], config=UTC_CONFIG, home=home)
    assert counting == ["b.gpx"]
    assert (third.summary.updated, third.summary.removed) == (1, 1)
    assert [a.start_utc.day for a in third.activities] == [6]


def test_deleting_the_cache_only_costs_time(tmp_path: Path, counting: list[str]) -> None:
    folder, home = tmp_path / "exports", tmp_path / "home"
    folder.mkdir()
    (folder / "a.gpx").write_text(gpx("2026-05-04T07:00:00"))
    before = import_folders([folder], config=UTC_CONFIG, home=home).activities
    for leftover in home.glob("cache.sqlite*"):
        leftover.unlink()
    after = import_folders([folder], config=UTC_CONFIG, home=home).activities
    assert after == before and counting == ["a.gpx", "a.gpx"]


def test_a_damaged_cache_is_set_aside_and_rebuilt(tmp_path: Path) -> None:
    folder, home = tmp_path / "exports", tmp_path / "home"
    folder.mkdir()
    home.mkdir()
    (folder / "a.gpx").write_text(gpx("2026-05-04T07:00:00"))
    (home / "cache.sqlite").write_bytes(b"SQLite format 3\0" + b"\x13" * 3000)
    collection = import_folders([folder], config=UTC_CONFIG, home=home)
    assert len(collection.activities) == 1
    assert collection.summary.cache_note and "damaged" in collection.summary.cache_note
    assert list(home.glob("cache.sqlite.damaged-*"))
    with sqlite3.connect(home / "cache.sqlite") as conn:
        assert conn.execute("PRAGMA quick_check").fetchone() == ("ok",)


def test_bad_files_are_listed_and_never_stop_the_others(tmp_path: Path) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    (folder / "good.gpx").write_text(gpx("2026-05-04T07:00:00"))
    (folder / "empty.fit").write_bytes(b"")
    (folder / "noise.tcx").write_text("<TrainingCenterDatabase><Activities>")
    (folder / "junk.zip").write_bytes(b"PK\x03\x04 broken")
    collection = import_folders([folder], config=UTC_CONFIG, home=tmp_path / "home")
    assert len(collection.activities) == 1
    skipped = {p.source for p in collection.summary.problems if p.kind == "skipped"}
    assert skipped == {"empty.fit", "noise.tcx", "junk.zip"}
    assert collection.summary.skipped == 3
    assert all("\n" not in p.reason for p in collection.summary.problems)


def test_copies_in_gz_and_zip_are_counted_once(tmp_path: Path) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    text = gpx("2026-05-04T07:00:00")
    (folder / "run.gpx").write_text(text)
    (folder / "run.gpx.gz").write_bytes(gzip.compress(text.encode()))
    with zipfile.ZipFile(folder / "backup.zip", "w") as archive:
        archive.writestr("old/run.gpx", text)
    (run,) = import_folders([folder], config=UTC_CONFIG, home=tmp_path / "home").activities
    assert run.source == "backup.zip!old/run.gpx"
    assert run.merged_sources == ("run.gpx", "run.gpx.gz")


def test_parallel_import_gives_the_same_answer(tmp_path: Path) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    for day in range(1, 29):
        (folder / f"{day:02d}.gpx").write_text(gpx(f"2026-05-{day:02d}T07:00:00"))
    serial = import_folders([folder], config=UTC_CONFIG, home=tmp_path / "a", workers=1)
    parallel = import_folders([folder], config=UTC_CONFIG, home=tmp_path / "b", workers=2)
    assert parallel.activities == serial.activities and len(serial.activities) == 28


def test_corpus_archives_are_read_in_place(tmp_path: Path) -> None:
    files = [CORPUS / "gc__4077461142.zip", CORPUS / "gc__14582164182.fit.gz"]
    collection = import_folders(files, config=UTC_CONFIG, home=tmp_path / "home")
    sources = sorted(a.source for a in collection.activities)
    assert sources == ["gc__14582164182.fit.gz", "gc__4077461142.zip!4077461142.fit"]


@pytest.fixture
def assembling(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Records each time the pipeline assembles (merges copies, applies checks) afresh."""
    calls: list[int] = []
    real = library.assemble

    def spy(sources, *args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(len(sources))
        return real(sources, *args, **kwargs)

    monkeypatch.setattr(library, "assemble", spy)
    return calls


def test_unchanged_folders_reuse_the_assembled_result(
    tmp_path: Path, assembling: list[int]
) -> None:
    folder, home = tmp_path / "exports", tmp_path / "home"
    folder.mkdir()
    (folder / "a.gpx").write_text(gpx("2026-05-04T07:00:00"))
    (folder / "b.gpx").write_text(gpx("2026-05-05T07:00:00", name="Track session"))
    first = import_folders([folder], config=UTC_CONFIG, home=home)
    again = import_folders([folder], config=UTC_CONFIG, home=home)
    assert assembling == [2]  # the second run read the stored result
    assert again.activities == first.activities
    assert again.summary.problems == first.summary.problems
    assert (again.summary.unchanged, again.summary.parsed) == (2, 0)


def test_what_the_result_depends_on_assembles_it_afresh(
    tmp_path: Path, assembling: list[int]
) -> None:
    folder, home = tmp_path / "exports", tmp_path / "home"
    folder.mkdir()
    (folder / "a.gpx").write_text(gpx("2026-05-04T07:00:00"))
    base = import_folders([folder], config=UTC_CONFIG, home=home)
    ident = base.activities[0].id
    # a surface the runner set for one run
    track = Config(timezone="UTC", surfaces={ident: Surface.TRACK})
    assert import_folders([folder], config=track, home=home).activities[0].surface.value == (
        "track"
    )
    # the latest plausible date: a start after it is refused
    early = import_folders(
        [folder],
        config=UTC_CONFIG,
        home=home,
        latest=base.activities[0].start_local.date() - timedelta(days=1),
    )
    assert early.activities == ()
    # a file added
    (folder / "b.gpx").write_text(gpx("2026-05-05T07:00:00"))
    assert len(import_folders([folder], config=UTC_CONFIG, home=home).activities) == 2
    assert assembling == [1, 1, 1, 2]


def test_a_damaged_stored_result_is_assembled_again(tmp_path: Path, assembling: list[int]) -> None:
    folder, home = tmp_path / "exports", tmp_path / "home"
    folder.mkdir()
    (folder / "a.gpx").write_text(gpx("2026-05-04T07:00:00"))
    first = import_folders([folder], config=UTC_CONFIG, home=home)
    with sqlite3.connect(home / "cache.sqlite") as conn:
        conn.execute("UPDATE assembled SET activities = replace(activities, '2026', '2027')")
    again = import_folders([folder], config=UTC_CONFIG, home=home)
    assert again.activities == first.activities
    assert assembling == [1, 1]
