"""Smoke tests of the import benchmark in bench/: the generator and the measuring code run.

Nothing here asserts a time (that depends on the machine). What must hold: the archive
is what the generator says it is, the plan has the shape the benchmark promises, and a
whole benchmark run on a two-week archive finishes with loadwatch finding every
activity (bench/run.py checks that itself and exits 1 otherwise).
"""

from __future__ import annotations

import cProfile
import csv
import gzip
import importlib.util
import io
import re
import sys
from collections import Counter
from datetime import date
from pathlib import Path
from types import ModuleType
from typing import Any

import fitparse
import gpxpy
import pytest

PROJECT = Path(__file__).resolve().parent.parent
BENCH = PROJECT / "bench"


def load(name: str, path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    # dataclasses and the generator's worker processes find the module by name
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def make_archive() -> ModuleType:
    return load("make_archive", BENCH / "make_archive.py")


@pytest.fixture(scope="module")
def bench_run(make_archive: ModuleType) -> ModuleType:
    return load("bench_run", BENCH / "run.py")


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("bench-cache")


@pytest.fixture(scope="module")
def tiny(make_archive: ModuleType, cache: Path) -> tuple[Path, dict[str, Any]]:
    """Two weeks with every activity cut to 3% of its length: seconds, not minutes."""
    params = make_archive.Params(weeks=2, duration_scale=0.03)
    folder, manifest, fresh = make_archive.ensure(params, cache, jobs=2)
    assert fresh
    return folder, manifest


def unpacked(folder: Path, entry: dict[str, Any]) -> bytes:
    data = (folder / entry["path"]).read_bytes()
    return gzip.decompress(data) if entry["gz"] else data


def test_archive_files_are_what_the_manifest_says(tiny: tuple[Path, dict[str, Any]]) -> None:
    folder, manifest = tiny
    files = manifest["files"]
    on_disk = sorted(
        str(p.relative_to(folder / "archive"))
        for p in (folder / "archive").rglob("*")
        if p.is_file() and p.name != "loadwatch.toml"
    )
    assert on_disk == sorted(f["path"] for f in files)
    for entry in files:
        assert entry["gz"] == entry["path"].endswith(".gz")
        assert (folder / "archive" / entry["path"]).stat().st_size == entry["bytes"]
        assert len(unpacked(folder / "archive", entry)) == entry["raw_bytes"]
    formats = Counter(f["format"] for f in files)
    assert set(formats) <= {"fit", "gpx", "tcx", "csv"}
    assert formats["csv"] == 1 and formats["fit"] >= 1


def test_fit_files_are_watch_files_recorded_every_second(
    tiny: tuple[Path, dict[str, Any]],
) -> None:
    folder, manifest = tiny
    fits = [f for f in manifest["files"] if f["format"] == "fit"]
    for entry in fits:
        messages = list(fitparse.FitFile(unpacked(folder / "archive", entry)).get_messages())
        names = Counter(m.name for m in messages)
        assert names["file_id"] == 1 and names["session"] == 1 and names["activity"] == 1
        assert names["device_info"] >= 1 and names["lap"] >= 1 and names["event"] >= 2
        stamps = [m.get_value("timestamp") for m in messages if m.name == "record"]
        assert (stamps[1] - stamps[0]).total_seconds() == 1.0
        session = next(m for m in messages if m.name == "session")
        assert session.get_value("total_distance") > 0


def test_strava_rows_link_files_that_exist(tiny: tuple[Path, dict[str, Any]]) -> None:
    folder, manifest = tiny
    export = folder / "archive" / "strava_export"
    rows = list(csv.reader(io.StringIO((export / "activities.csv").read_text("utf-8"))))
    header, body = rows[0], rows[1:]
    assert len(body) == manifest["strava_rows"]
    column = header.index("Filename")
    linked = [row[column] for row in body if row[column]]
    assert linked, "no row links a file"
    for name in linked:
        assert (export / name).is_file(), name
        assert name.endswith(".gz")


def test_gpx_and_next_week_files_parse(tiny: tuple[Path, dict[str, Any]]) -> None:
    folder, manifest = tiny
    for entry in manifest["files"]:
        if entry["format"] == "gpx":
            gpx = gpxpy.parse(unpacked(folder / "archive", entry).decode("utf-8"))
            assert gpx.tracks and gpx.tracks[0].segments[0].points
    week = manifest["next_week"]
    assert week["files"] and week["activities"] >= len(week["files"])
    last_day = date.fromisoformat(manifest["last_day"])
    for entry in week["files"]:
        assert (folder / "next_week" / entry["path"]).is_file()
        # watch and phone file names carry the local start date: all after the archive ends
        found = re.search(r"(\d{4})-?(\d{2})-?(\d{2})", entry["path"])
        assert found, entry["path"]
        assert date(*map(int, found.groups())) > last_day


def test_generation_is_deterministic_and_cached(
    make_archive: ModuleType,
    tiny: tuple[Path, dict[str, Any]],
    tmp_path: Path,
) -> None:
    folder, manifest = tiny
    params = make_archive.Params(weeks=2, duration_scale=0.03)
    again, cached, fresh = make_archive.ensure(params, folder.parent)
    assert (again, fresh) == (folder, False)
    assert cached == manifest
    other, _, _ = make_archive.ensure(params, tmp_path, jobs=1)
    for entry in manifest["files"]:
        path = entry["path"]
        assert (other / "archive" / path).read_bytes() == (folder / "archive" / path).read_bytes()


def test_ten_year_plan_has_the_promised_shape(make_archive: ModuleType) -> None:
    activities = make_archive.plan(make_archive.Params(weeks=520))
    assert 2800 <= len(activities) <= 3300
    shares = Counter(a.fmt for a in activities)
    assert abs(shares["fit"] / len(activities) - 0.75) < 0.03
    assert abs(shares["gpx"] / len(activities) - 0.15) < 0.03
    assert abs(shares["tcx"] / len(activities) - 0.10) < 0.03
    assert all(30 * 60 <= a.moving_s <= 150 * 60 for a in activities)
    uploaded = sum(a.strava for a in activities) / len(activities)
    assert 0.45 < uploaded < 0.55


def test_import_times_sum_self_time_per_package(bench_run: ModuleType) -> None:
    stderr = "\n".join(
        [
            "import time: self [us] | cumulative | imported package",
            "import time:       300 |        300 |     numpy.core",
            "import time:      1200 |       1500 |   numpy",
            "import time:      2000 |       3500 | pandas",
            "import time:       500 |        500 | loadwatch.cli",
            "some other line",
        ]
    )
    # numpy 300 + 1200 us; pandas only its own 2000 us (numpy is counted once, above)
    assert bench_run.import_times(stderr) == [("pandas", 2.0), ("numpy", 1.5), ("loadwatch", 0.5)]


def busy_work() -> int:
    return sum(i * i for i in range(20_000))


def test_profile_lines_name_the_expensive_calls(bench_run: ModuleType, tmp_path: Path) -> None:
    profiler = cProfile.Profile()
    profiler.runcall(busy_work)
    path = tmp_path / "run.prof"
    profiler.dump_stats(path)
    lines = bench_run.profile_lines(path)
    assert "all imports together" in lines[0]
    assert any("busy_work" in line for line in lines[1:])


def test_extrapolation_scales_each_format_by_its_bytes(bench_run: ModuleType) -> None:
    sample = {
        "formats": {
            "fit": {"seconds": 2.0, "raw_bytes": 100},
            "gpx": {"seconds": 1.0, "raw_bytes": 50},
        }
    }
    files = [
        {"format": "fit", "raw_bytes": 300},
        {"format": "fit", "raw_bytes": 700},
        {"format": "gpx", "raw_bytes": 500},
    ]
    # fit: 2 s per 100 bytes over 1000 bytes = 20 s; gpx: 1 s per 50 over 500 = 10 s
    assert bench_run.extrapolate(sample, files) == pytest.approx(30.0)


def test_sample_takes_a_share_of_each_format(bench_run: ModuleType) -> None:
    files = [{"format": "fit", "path": f"{i}.fit"} for i in range(100)] + [
        {"format": "gpx", "path": "a.gpx"},
        {"format": "csv", "path": "a.csv"},
    ]
    chosen = bench_run.pick_sample(files, 0.05, 7)
    assert chosen == bench_run.pick_sample(files, 0.05, 7)
    assert Counter(f["format"] for f in chosen) == {"fit": 5, "gpx": 1, "csv": 1}


@pytest.mark.slow
def test_a_whole_benchmark_run_on_a_tiny_archive(
    bench_run: ModuleType,
    tiny: tuple[Path, dict[str, Any]],
    cache: Path,
    tmp_path: Path,
) -> None:
    results = tmp_path / "RESULTS.md"
    results.write_text(
        f"old numbers\n{bench_run.HAND_WRITTEN}\nWhy it is slow: notes.\n", encoding="utf-8"
    )
    status = bench_run.main(
        [
            "--weeks",
            "2",
            "--duration-scale",
            "0.03",
            "--small-years",
            "0.02",
            "--repeats",
            "1",
            "--cold-repeats",
            "1",
            "--sample",
            "0.5",
            "--cache",
            str(cache),
            "--out",
            str(tmp_path / "work"),
            "--results",
            str(results),
            "--no-diagnose",
        ]
    )
    assert status == 0  # every file imported, every activity found, counts as planned
    text = results.read_text(encoding="utf-8")
    assert "old numbers" not in text
    assert text.rstrip().endswith("Why it is slow: notes.")
    for step in (
        "read + gunzip floor",
        "plain parse loop (baseline)",
        "loadwatch import (cold)",
        "loadwatch report (warm)",
        "loadwatch report after +1 week",
        "loadwatch activities (warm)",
        "loadwatch shoes (warm)",
        'python -c "import pandas"',
        "import_folders(workers=8) (cold)",
        "| warm `loadwatch activities` imports no pandas or matplotlib (`-X importtime`) "
        "| none of them | yes |",
        "| warm `loadwatch shoes` imports no pandas or matplotlib (`-X importtime`) "
        "| none of them | yes |",
        "| warm `loadwatch check` imports no matplotlib (`-X importtime`) | none of them | yes |",
        "| warm `loadwatch report` imports no matplotlib (`-X importtime`) | none of them | yes |",
        "## Targets",
        "ESTIMATED",
        "Smaller archive (1 week)",
    ):
        assert step in text, step
    # without --keep only the working subfolders the run made are removed
    assert (tmp_path / "work").is_dir() and not (tmp_path / "work" / "big").exists()


@pytest.mark.slow
def test_xml_benchmark_runs_and_keeps_the_rest_of_results(tmp_path: Path) -> None:
    """bench/xmlfast.py on short generated runs: every reader timed, one section replaced."""
    xmlfast_bench = load("xmlfast_bench", BENCH / "xmlfast.py")
    results = tmp_path / "RESULTS.md"
    results.write_text("# Results\n\nhand-written\n", encoding="utf-8")
    argv = [
        "--repeats",
        "1",
        "--scale",
        "0.01",
        "--corpus",
        str(tmp_path / "none"),
        "--results",
        str(results),
    ]
    assert xmlfast_bench.main(argv) == 0
    assert xmlfast_bench.main(argv) == 0  # a second run replaces its section
    text = results.read_text(encoding="utf-8")
    assert text.startswith("# Results\n\nhand-written\n")
    assert text.count("# GPX and TCX fast path") == 1
    for reader in ("expat reader", "fast path as wired", "gpxpy.parse", "ElementTree.fromstring"):
        assert reader in text
    assert "declined 0 of 2; results identical to the expat reader's: yes" in text
