"""Benchmark loadwatch's import against the loop a user would write, on a synthetic archive.

Usage::

    python bench/run.py [--years 10] [--out DIR] [--keep] [--sample 0.05] [--small-years 2]

Measured side by side, on one archive from ``bench/make_archive.py`` (cached):

floor
    read every file and gunzip the ``.gz`` ones: no parser can beat this.
baseline
    the plain loop: ``list(fitparse.FitFile(data).get_messages())`` per FIT file,
    ``gpxpy.parse`` per GPX, ``ElementTree.fromstring`` per TCX, ``csv.reader`` for the
    CSV. A full pass takes most of an hour, so by default it runs on a seeded random
    sample of each format and is extrapolated by bytes (the output says so).
cold import
    ``loadwatch import ARCHIVE`` into a fresh data directory, as a subprocess.
warm runs
    ``loadwatch import``, ``check`` and ``report`` again with nothing changed.
update
    ``loadwatch report`` after one more week of watch and phone files appears.

Loops measured in-process (floor, baseline, parsers) time their own loop; loadwatch
commands are timed from outside, start-up included, as a user waits for them. Peak
memory comes from ``wait4`` (resident size of the largest process of the tree) and
from sampling the whole process tree every 50 ms (the sum of its proportional set
sizes, so pages the workers share with their parent count once).

The results table is printed and written to ``bench/RESULTS.md``; everything in that
file below the hand-written marker survives a rerun.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import json
import math
import os
import platform
import pstats
import random
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
PROJECT = BENCH.parent
RESULTS = BENCH / "RESULTS.md"
HAND_WRITTEN = "<!-- hand-written analysis below: bench/run.py keeps everything after this line -->"

#: the targets (issue 6, tightened by issue 16)
TARGET_VS_BASELINE = 100.0
TARGET_VS_FLOOR = 4.0
#: warm ``activities`` and ``shoes``: at most this share of ``python -c "import pandas"``'s CPU
TARGET_LIGHT_VS_PANDAS = 0.5
#: warm ``report``: at most this many times that CPU
TARGET_REPORT_VS_PANDAS = 1.5
#: the report after one new week: at most the warm report plus this many seconds
TARGET_UPDATE_EXTRA_S = 0.5
TARGET_RSS_MB = 300.0
#: the whole process tree (PSS) of a cold import with this many workers
TARGET_TREE_MB = 250.0
TREE_WORKERS = 8
#: the libraries a warm command must not import (``-X importtime``)
HEAVY = {
    "activities": ("pandas", "matplotlib"),
    "shoes": ("pandas", "matplotlib"),
    "check": ("matplotlib",),
    "report": ("matplotlib",),
}
#: "not growing with archive size": the big archive's peak within this of the small one's
TARGET_RSS_GROWTH = 1.25
RSS_SLACK_MB = 20.0

Log = Callable[[str], None]


# --------------------------------------------------------------------------- in-process loops
#
# ``run.py _measure KIND LIST OUT`` runs one loop over the files in LIST (JSON) in a fresh
# interpreter and writes per-format timings to OUT. A separate process per loop keeps
# each one's peak memory its own and its imports out of the others.


def _read(path: Path, packed: bool) -> bytes:
    data = path.read_bytes()
    return gzip.decompress(data) if packed else data


def _loop_floor(files: list[dict[str, Any]], root: Path) -> dict[str, Any]:
    return _timed_per_format(files, root, lambda data, fmt: None)


def _loop_baseline(files: list[dict[str, Any]], root: Path) -> dict[str, Any]:
    from xml.etree import ElementTree

    import fitparse
    import gpxpy

    def parse(data: bytes, fmt: str) -> None:
        if fmt == "fit":
            list(fitparse.FitFile(data).get_messages())
        elif fmt == "gpx":
            gpxpy.parse(data.decode("utf-8"))
        elif fmt == "tcx":
            ElementTree.fromstring(data)
        else:
            list(csv.reader(io.StringIO(data.decode("utf-8"))))

    return _timed_per_format(files, root, parse)


def _loop_parsers(files: list[dict[str, Any]], root: Path) -> dict[str, Any]:
    """loadwatch's own parsers on one core, exactly as the import wires them."""
    from zoneinfo import ZoneInfo

    from loadwatch.ingest.importers import ParseContext, parse_bytes, parser_for

    zone = ZoneInfo("Europe/London")
    for fmt in {f["format"] for f in files}:
        parser_for(fmt)  # imported before the clock starts, as the baseline's are

    def parse(data: bytes, fmt: str) -> None:
        parse_bytes(data, ParseContext(f"bench.{fmt}", zone))

    result = _timed_per_format(files, root, parse)
    fit_files = [f for f in files if f["format"] == "fit"]
    try:
        from loadwatch.ingest.importers import fitfast
    except ImportError:
        return result
    # The fast path on its own, wired or not, and how often it hands a file to fitparse.
    declined = 0
    for item in fit_files:
        try:
            fitfast.parse(_read(root / item["path"], item["gz"]), ParseContext("bench.fit", zone))
        except fitfast.FastPathDeclined:
            declined += 1
        except Exception:  # noqa: BLE001 - a rejected file counts as handled, not declined
            pass
    summary = _timed_per_format(
        fit_files,
        root,
        lambda data, fmt: fitfast.parse_summary(data, ParseContext("bench.fit", zone)),
    )
    result["fitfast"] = summary["formats"].get("fit", {}) | {"declined": declined}
    return result


def _timed_per_format(
    files: list[dict[str, Any]], root: Path, work: Callable[[bytes, str], None]
) -> dict[str, Any]:
    formats: dict[str, dict[str, float]] = {}
    started, started_cpu = time.perf_counter(), time.process_time()
    for item in files:
        began, began_cpu = time.perf_counter(), time.process_time()
        data = _read(root / item["path"], item["gz"])
        work(data, item["format"])
        entry = formats.setdefault(
            item["format"],
            {"files": 0, "bytes": 0, "raw_bytes": 0, "seconds": 0.0, "cpu_seconds": 0.0},
        )
        entry["files"] += 1
        entry["bytes"] += item["bytes"]
        entry["raw_bytes"] += item["raw_bytes"]
        entry["seconds"] += time.perf_counter() - began
        entry["cpu_seconds"] += time.process_time() - began_cpu
    return {
        "seconds": time.perf_counter() - started,
        "cpu_seconds": time.process_time() - started_cpu,
        "formats": formats,
    }


LOOPS = {"floor": _loop_floor, "baseline": _loop_baseline, "parsers": _loop_parsers}


def measure_main(argv: Sequence[str]) -> int:
    kind, listing, out = argv
    spec = json.loads(Path(listing).read_text(encoding="utf-8"))
    result = LOOPS[kind](spec["files"], Path(spec["root"]))
    Path(out).write_text(json.dumps(result), encoding="utf-8")
    return 0


# --------------------------------------------------------------------------- subprocesses


@dataclass(slots=True)
class Measured:
    """One subprocess: wall time, exit code, output and peak memory."""

    wall_s: float
    #: user + system time of the process and the children it waited for (the workers)
    cpu_s: float
    returncode: int
    stdout: str
    stderr: str
    #: the largest single process of the tree (kernel's ru_maxrss via wait4)
    peak_mb: float
    #: the whole tree's memory (PSS) at its sampled peak
    tree_peak_mb: float
    #: sampled resident size of the command's own process, and of each child, at their peaks
    main_peak_mb: float = 0.0
    worker_peaks_mb: list[float] = field(default_factory=list)


def _children(pid: int) -> list[int]:
    found = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children", encoding="ascii") as handle:
                found += [int(p) for p in handle.read().split()]
    except OSError:
        pass
    return found


def _memory_bytes(pid: int, page: int) -> int:
    """Proportional set size: pages shared with other processes (a forked worker shares
    its parent's libraries) count once across them, not once per process as RSS does."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return _rss_bytes(pid, page)


def _rss_bytes(pid: int, page: int) -> int:
    with open(f"/proc/{pid}/statm", encoding="ascii") as handle:
        return int(handle.read().split()[1]) * page


def _cpu_seconds(pid: int) -> float:
    """User + system time a live process has used so far (``/proc/PID/stat``)."""
    with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as handle:
        fields = handle.read().rsplit(")", 1)[1].split()
    # fields[0] is the state (field 3 of stat); utime and stime are fields 14 and 15
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _tree_bytes(
    root: int, page: int, rss: dict[int, int], cpu: dict[int, float] | None = None
) -> int:
    """The tree's total PSS; ``rss`` keeps each process's highest resident size seen,
    ``cpu`` each process's CPU time at the last look."""
    total, pending = 0, [root]
    while pending:
        pid = pending.pop()
        try:
            total += _memory_bytes(pid, page)
            rss[pid] = max(rss.get(pid, 0), _rss_bytes(pid, page))
            if cpu is not None:
                cpu[pid] = _cpu_seconds(pid)
        except OSError:
            continue
        pending += _children(pid)
    return total


def run_measured(
    command: Sequence[str], *, env: dict[str, str], logs: Path, label: str, cwd: Path = PROJECT
) -> Measured:
    """Run ``command``, timing it from outside and following its memory."""
    logs.mkdir(parents=True, exist_ok=True)
    out_path, err_path = logs / f"{label}.out", logs / f"{label}.err"
    page = os.sysconf("SC_PAGE_SIZE")
    peak = 0
    rss: dict[int, int] = {}
    cpu: dict[int, float] = {}
    with out_path.open("wb") as out, err_path.open("wb") as err:
        started = time.perf_counter()
        proc = subprocess.Popen(list(command), stdout=out, stderr=err, env=env, cwd=cwd)
        stop = threading.Event()

        def sample() -> None:
            nonlocal peak
            while not stop.is_set():
                peak = max(peak, _tree_bytes(proc.pid, page, rss, cpu))
                stop.wait(0.05)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        # wait4 gives this child's own rusage: its ru_maxrss covers it and whatever
        # descendants it waited for (the worker processes of a parallel import).
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
        stop.set()
        sampler.join()
        proc.returncode = os.waitstatus_to_exitcode(status)
    # wait4 counts the process and the children it reaped. Parser workers are children
    # of a forkserver that is never reaped by the command, so their time is only seen
    # by sampling (each to within the 50 ms sampling interval): the larger of the two.
    sampled = sum(cpu.values())
    return Measured(
        wall_s=wall,
        cpu_s=max(usage.ru_utime + usage.ru_stime, sampled),
        returncode=proc.returncode,
        stdout=out_path.read_text(encoding="utf-8", errors="replace"),
        stderr=err_path.read_text(encoding="utf-8", errors="replace"),
        peak_mb=usage.ru_maxrss * 1024 / 1e6,
        tree_peak_mb=peak / 1e6,
        main_peak_mb=rss.pop(proc.pid, 0) / 1e6,
        worker_peaks_mb=sorted((v / 1e6 for v in rss.values()), reverse=True),
    )


def check_ok(measured: Measured, label: str) -> None:
    if measured.returncode != 0:
        tail = "\n".join(measured.stderr.strip().splitlines()[-15:])
        raise SystemExit(f"{label} failed with exit code {measured.returncode}:\n{tail}")


# --------------------------------------------------------------------------- the steps


@dataclass(slots=True)
class Row:
    """One line of the results table."""

    step: str
    files: int
    raw_mb: float
    wall_s: float
    cpu_s: float
    peak_mb: float | None
    tree_peak_mb: float | None
    note: str = ""
    #: the machine's 1-minute load average when the step began (other work competing)
    load: float = field(default_factory=lambda: os.getloadavg()[0])

    @property
    def files_per_s(self) -> float:
        return self.files / self.wall_s if self.wall_s else math.inf

    @property
    def mb_per_s(self) -> float:
        return self.raw_mb / self.wall_s if self.wall_s else math.inf


@dataclass(slots=True)
class Bench:
    """Where one archive is measured from, and what was found."""

    archive_cache: Path
    manifest: dict[str, Any]
    work: Path
    env: dict[str, str]
    log: Log
    rows: list[Row] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)
    checks: list[str] = field(default_factory=list)

    @property
    def archive(self) -> Path:
        return self.work / "archive"

    @property
    def data(self) -> Path:
        return self.work / "data"

    @property
    def logs(self) -> Path:
        return self.work / "logs"

    @property
    def files(self) -> list[dict[str, Any]]:
        return list(self.manifest["files"])

    def loadwatch(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "loadwatch", "--data-dir", str(self.data), *args]

    def report_args(self, as_of: str | None = None) -> list[str]:
        return [
            "report",
            str(self.archive),
            "--as-of",
            as_of or self.manifest["last_day"],
            "--out",
            str(self.work / "reports"),
        ]

    def loop(
        self, kind: str, files: list[dict[str, Any]], root: Path
    ) -> tuple[dict[str, Any], Measured]:
        listing = self.logs / f"{kind}-files.json"
        out = self.logs / f"{kind}-result.json"
        self.logs.mkdir(parents=True, exist_ok=True)
        listing.write_text(json.dumps({"root": str(root), "files": files}), encoding="utf-8")
        measured = run_measured(
            [
                sys.executable,
                str(Path(__file__).resolve()),
                "_measure",
                kind,
                str(listing),
                str(out),
            ],
            env=self.env,
            logs=self.logs,
            label=f"loop-{kind}-{len(files)}",
        )
        check_ok(measured, f"the {kind} loop")
        return json.loads(out.read_text(encoding="utf-8")), measured

    def traced(self, label: str, *args: str) -> Measured:
        """A loadwatch command under ``-X importtime`` (its import tree on stderr)."""
        python, *rest = self.loadwatch(*args)
        measured = run_measured(
            [python, "-X", "importtime", *rest], env=self.env, logs=self.logs, label=label
        )
        check_ok(measured, f"loadwatch {args[0]} -X importtime")
        return measured

    def command(self, label: str, *args: str) -> Measured:
        measured = run_measured(self.loadwatch(*args), env=self.env, logs=self.logs, label=label)
        check_ok(measured, f"loadwatch {args[0]}")
        return measured


def clone_archive(source: Path, target: Path, only: set[str] | None = None) -> None:
    """A hard-linked copy (same bytes and times, no space), or a plain copy across devices.

    With ``only``, just those files (paths relative to ``source``) and the settings file.
    """
    if target.exists():
        shutil.rmtree(target)
    for folder, _, names in os.walk(source):
        relative = Path(folder).relative_to(source)
        here = target / relative
        here.mkdir(parents=True, exist_ok=True)
        for name in names:
            if (
                only is not None
                and name != "loadwatch.toml"
                and ((relative / name).as_posix() not in only)
            ):
                continue
            try:
                os.link(Path(folder) / name, here / name)
            except OSError:
                shutil.copy2(Path(folder) / name, here / name)


def raw_mb(files: Sequence[dict[str, Any]]) -> float:
    return sum(f["raw_bytes"] for f in files) / 1e6


def pick_sample(
    files: Sequence[dict[str, Any]], fraction: float, seed: int
) -> list[dict[str, Any]]:
    """A seeded random share of each format (at least one file of each)."""
    rng = random.Random(f"sample:{seed}")
    chosen: list[dict[str, Any]] = []
    for fmt in sorted({f["format"] for f in files}):
        group = [f for f in files if f["format"] == fmt]
        if fmt == "csv" or fraction >= 1.0:
            chosen += group
            continue
        chosen += rng.sample(group, max(1, math.ceil(len(group) * fraction)))
    return chosen


def extrapolate(
    result: dict[str, Any], files: Sequence[dict[str, Any]], key: str = "seconds"
) -> float:
    """Seconds for every file of ``files``, scaling each format's sample by bytes."""
    total = 0.0
    for fmt, got in result["formats"].items():
        all_raw = sum(f["raw_bytes"] for f in files if f["format"] == fmt)
        total += got[key] * all_raw / got["raw_bytes"] if got["raw_bytes"] else 0.0
    return total


IMPORT_LINE = re.compile(r"(\d+) files: (\d+) new, (\d+) updated, (\d+) unchanged, (\d+) skipped")
COUNT_LINE = re.compile(r"(\d+) activities, (\d+) runs")


def import_counts(output: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    line = IMPORT_LINE.search(output)
    if line:
        counts |= dict(
            zip(
                ("files", "new", "updated", "unchanged", "skipped"),
                map(int, line.groups()),
                strict=True,
            )
        )
    line = COUNT_LINE.search(output)
    if line:
        counts |= {"activities": int(line[1]), "runs": int(line[2])}
    return counts


def expect(bench: Bench, what: str, got: int | None, wanted: int) -> None:
    if got != wanted:
        bench.checks.append(f"{what}: loadwatch says {got}, the archive holds {wanted}")


def median(values: Sequence[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def fastest_note(runs: Sequence[Measured]) -> str:
    if len(runs) == 1:
        return "one run"
    return f"fastest of {len(runs)}: " + ", ".join(f"{m.wall_s:.1f}" for m in runs) + " s"


def measure_archive(
    bench: Bench, *, sample: float, seed: int, repeats: int, full: bool, cold_repeats: int = 1
) -> None:
    """Every step on one archive; ``full`` adds the loops and the update (the big run)."""
    files = bench.files
    total_mb = raw_mb(files)
    count = len(files)
    manifest = bench.manifest
    log = bench.log
    clone_archive(bench.archive_cache / "archive", bench.archive)
    if bench.data.exists():
        shutil.rmtree(bench.data)

    if full:
        log("floor: reading and gunzipping every file")
        load = os.getloadavg()[0]
        floor, measured = bench.loop("floor", files, bench.archive)
        bench.rows.append(
            Row(
                "read + gunzip floor",
                count,
                total_mb,
                floor["seconds"],
                floor["cpu_seconds"],
                measured.peak_mb,
                measured.tree_peak_mb,
                "whole archive",
                load,
            )
        )
        bench.details["floor_s"] = floor["seconds"]

        chosen = pick_sample(files, sample, seed)
        share = len(chosen) / count
        log(
            f"baseline: plain fitparse/gpxpy/ElementTree loop on {len(chosen)} files "
            f"({share:.0%} of the archive)"
        )
        load = os.getloadavg()[0]
        baseline, measured = bench.loop("baseline", chosen, bench.archive)
        estimate = extrapolate(baseline, files)
        note = (
            "whole archive"
            if len(chosen) == count
            else f"ESTIMATED: measured {baseline['seconds']:.1f} s on a seeded {share:.1%} "
            f"sample ({len(chosen)} files), scaled per format by bytes"
        )
        bench.rows.append(
            Row(
                "plain parse loop (baseline)",
                count,
                total_mb,
                estimate,
                extrapolate(baseline, files, "cpu_seconds"),
                measured.peak_mb,
                measured.tree_peak_mb,
                note,
                load,
            )
        )
        bench.details["baseline_s"] = estimate
        bench.details["baseline_sampled"] = len(chosen) != count
        bench.details["baseline"] = baseline

        log("parsers: loadwatch's parsers in-process on the same sample")
        parsers, _ = bench.loop("parsers", chosen, bench.archive)
        bench.details["parsers"] = parsers

    log(f"cold import: loadwatch import into a fresh data directory ({cold_repeats}x)")
    load = os.getloadavg()[0]
    colds = []
    for attempt in range(cold_repeats):
        shutil.rmtree(bench.data, ignore_errors=True)
        colds.append(bench.command(f"cold-import-{attempt}", "import", str(bench.archive)))
    # the fastest attempt: on a shared machine, slower ones measure the neighbours
    cold = min(colds, key=lambda m: m.wall_s)
    counts = import_counts(cold.stdout)
    expect(bench, "cold import: files", counts.get("files"), count)
    expect(bench, "cold import: files skipped", counts.get("skipped"), 0)
    expect(bench, "cold import: activities", counts.get("activities"), manifest["activities"])
    expect(bench, "cold import: runs", counts.get("runs"), manifest["runs"])
    bench.rows.append(
        Row(
            "loadwatch import (cold)",
            count,
            total_mb,
            cold.wall_s,
            cold.cpu_s,
            cold.peak_mb,
            cold.tree_peak_mb,
            f"{os.cpu_count()} cores; " + fastest_note(colds),
            load,
        )
    )
    bench.details["cold"] = cold
    if full:
        measure_fit_only(bench, cold_repeats)
        measure_workers(bench, TREE_WORKERS)

    log("warm import, check and report with nothing changed")
    load = os.getloadavg()[0]
    warm_import = [
        bench.command(f"warm-import-{i}", "import", str(bench.archive)) for i in range(repeats)
    ]
    expect(
        bench,
        "warm import: unchanged files",
        import_counts(warm_import[-1].stdout).get("unchanged"),
        count,
    )
    warm_check = [
        bench.command(
            f"warm-check-{i}", "check", str(bench.archive), "--as-of", manifest["last_day"]
        )
        for i in range(repeats)
    ]
    warm_report = [bench.command(f"warm-report-{i}", *bench.report_args()) for i in range(repeats)]
    warm_activities = [
        bench.command(f"warm-activities-{i}", "activities", str(bench.archive))
        for i in range(repeats)
    ]
    warm_shoes = [
        bench.command(f"warm-shoes-{i}", "shoes", str(bench.archive)) for i in range(repeats)
    ]
    # the yardstick of issue 16, measured in the same run as what it judges
    pandas_import = [
        run_measured(
            [sys.executable, "-c", "import pandas"],
            env=bench.env,
            logs=bench.logs,
            label=f"import-pandas-{i}",
        )
        for i in range(repeats)
    ]
    for label, runs in (
        ("loadwatch import (warm)", warm_import),
        ("loadwatch check (warm)", warm_check),
        ("loadwatch report (warm)", warm_report),
        ("loadwatch activities (warm)", warm_activities),
        ("loadwatch shoes (warm)", warm_shoes),
        ('python -c "import pandas"', pandas_import),
    ):
        walls = [m.wall_s for m in runs]
        note = (
            f"median of {len(runs)}: " + ", ".join(f"{w:.2f}" for w in walls)
            if len(runs) > 1
            else ""
        )
        bench.rows.append(
            Row(
                label,
                count,
                total_mb,
                median(walls),
                median([m.cpu_s for m in runs]),
                max(m.peak_mb for m in runs),
                max(m.tree_peak_mb for m in runs),
                note,
                load,
            )
        )
    bench.details["warm_report_s"] = median([m.wall_s for m in warm_report])
    bench.details["warm_report_cpu_s"] = median([m.cpu_s for m in warm_report])
    bench.details["warm_activities_cpu_s"] = median([m.cpu_s for m in warm_activities])
    bench.details["warm_shoes_cpu_s"] = median([m.cpu_s for m in warm_shoes])
    bench.details["pandas_cpu_s"] = median([m.cpu_s for m in pandas_import])
    bench.details["warm_report_first_s"] = warm_report[0].wall_s

    if not full:
        return
    log("which heavy libraries the warm commands import (-X importtime)")
    bench.details["heavy_imports"] = heavy_imports(bench)
    week = manifest["next_week"]
    week_files = week["files"]
    if not week_files:
        bench.checks.append("the archive's extra week holds no files: update not measured")
        return
    log(f"update: {len(week_files)} new files (one more week), then loadwatch report")
    week_root = bench.archive_cache / "next_week"
    parsed, _ = bench.loop("parsers", week_files, week_root)
    for item in week_files:
        target = bench.archive / item["path"]
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(week_root / item["path"], target)
    load = os.getloadavg()[0]
    # the report a runner asks for once the new week is in: as of that week's last day, so
    # it shows the new runs (and draws its charts afresh)
    new_day = (date.fromisoformat(manifest["last_day"]) + timedelta(days=7)).isoformat()
    update = bench.command("update-report", *bench.report_args(new_day))
    after = bench.command("update-check-import", "import", str(bench.archive))
    counts = import_counts(after.stdout)
    expect(
        bench,
        "after the update: activities",
        counts.get("activities"),
        manifest["activities"] + week["activities"],
    )
    bench.rows.append(
        Row(
            "loadwatch report after +1 week",
            len(week_files),
            raw_mb(week_files),
            update.wall_s,
            update.cpu_s,
            update.peak_mb,
            update.tree_peak_mb,
            f"{len(week_files)} new files, report as of {new_day}; files/s and "
            "MB/s count only the new files",
            load,
        )
    )
    bench.details["week_parse_s"] = parsed["seconds"]
    bench.details["update_s"] = update.wall_s


#: a cold import through the library with a chosen number of workers (the CLI takes the
#: machine's cores, up to 8, so on a small machine this is how 8 workers are measured)
WORKERS_SCRIPT = """
import sys
from pathlib import Path
from loadwatch import import_folders, load_config
folder, home, workers = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
found = import_folders([folder], config=load_config(None, [folder]), home=home, workers=workers)
print(f"{len(found.activities)} activities")
"""


def measure_workers(bench: Bench, workers: int) -> None:
    """The whole process tree of a cold import with ``workers`` parser processes."""
    bench.log(f"cold import with {workers} workers (import_folders), for the tree's memory")
    data = bench.work / f"data-{workers}-workers"
    shutil.rmtree(data, ignore_errors=True)
    load = os.getloadavg()[0]
    measured = run_measured(
        [sys.executable, "-c", WORKERS_SCRIPT, str(bench.archive), str(data), str(workers)],
        env=bench.env,
        logs=bench.logs,
        label=f"cold-import-{workers}-workers",
    )
    check_ok(measured, f"import_folders with {workers} workers")
    shutil.rmtree(data, ignore_errors=True)
    expect(
        bench,
        f"cold import with {workers} workers: activities",
        int(measured.stdout.split()[0]),
        bench.manifest["activities"],
    )
    bench.rows.append(
        Row(
            f"import_folders(workers={workers}) (cold)",
            len(bench.files),
            raw_mb(bench.files),
            measured.wall_s,
            measured.cpu_s,
            measured.peak_mb,
            measured.tree_peak_mb,
            f"{workers} workers on {os.cpu_count()} cores: for the memory, not the time",
            load,
        )
    )
    bench.details["workers_run"] = (workers, measured)


def measure_fit_only(bench: Bench, cold_repeats: int) -> None:
    """The cold import of the FIT files alone, against the plain fitparse loop on them."""
    fit_files = [f for f in bench.files if f["format"] == "fit"]
    if not fit_files:
        return
    bench.log(f"cold import of the {len(fit_files)} FIT files alone")
    folder = bench.work / "fit-only"
    clone_archive(
        bench.archive_cache / "archive", folder / "archive", only={f["path"] for f in fit_files}
    )
    load = os.getloadavg()[0]
    runs = []
    for attempt in range(cold_repeats):
        shutil.rmtree(folder / "data", ignore_errors=True)
        runs.append(
            run_measured(
                [
                    sys.executable,
                    "-m",
                    "loadwatch",
                    "--data-dir",
                    str(folder / "data"),
                    "import",
                    str(folder / "archive"),
                ],
                env=bench.env,
                logs=bench.logs,
                label=f"cold-import-fit-{attempt}",
            )
        )
        check_ok(runs[-1], "loadwatch import (FIT files only)")
    measured = min(runs, key=lambda m: m.wall_s)
    counts = import_counts(measured.stdout)
    expect(bench, "cold import of FIT files: files", counts.get("files"), len(fit_files))
    expect(bench, "cold import of FIT files: skipped", counts.get("skipped"), 0)
    bench.rows.append(
        Row(
            "loadwatch import (cold, FIT files only)",
            len(fit_files),
            raw_mb(fit_files),
            measured.wall_s,
            measured.cpu_s,
            measured.peak_mb,
            measured.tree_peak_mb,
            "the same FIT files, nothing else; " + fastest_note(runs),
            load,
        )
    )
    baseline = bench.details["baseline"]
    bench.details["fit_baseline_s"] = extrapolate(baseline, fit_files)
    bench.details["fit_baseline_cpu_s"] = extrapolate(baseline, fit_files, "cpu_seconds")
    bench.details["fit_cold"] = measured


# --------------------------------------------------------------------------- diagnosis


def import_times(stderr: str, top: int = 10) -> list[tuple[str, float]]:
    """Milliseconds spent importing each top-level package, from ``-X importtime``.

    Self times are summed per package, so nothing is counted twice (pandas' own
    modules go to pandas, the numpy it pulls in goes to numpy) and the lines add up.
    """
    totals: dict[str, float] = {}
    for line in stderr.splitlines():
        parts = line.split("|")
        if not line.startswith("import time:") or len(parts) != 3:
            continue
        self_us = parts[0].removeprefix("import time:").strip()
        if not self_us.isdigit():
            continue  # the header line
        package = parts[2].strip().split(".")[0]
        totals[package] = totals.get(package, 0.0) + int(self_us) / 1000.0
    return sorted(totals.items(), key=lambda kv: -kv[1])[:top]


#: frames that only pass the call along (the interpreter, typer and click)
_PLUMBING = ("runpy", "typer/", "click/", "importlib")


def profile_lines(path: Path, top: int = 18) -> list[str]:
    """The most expensive calls by cumulative time, plumbing left out, imports summed."""
    stats = pstats.Stats(str(path))
    rows = []
    importing = 0.0
    for (filename, line, name), (_, calls, _, cumulative, _) in stats.stats.items():  # type: ignore[attr-defined]
        if name == "_find_and_load":
            importing = max(importing, cumulative)
        if any(p in filename for p in _PLUMBING) or name in ("<module>", "exec"):
            continue
        if filename == "~":
            continue  # built-ins: their callers are more telling
        short = re.sub(r"^.*/(site-packages|lib/python3\.\d+)/", "", filename)
        if "/loadwatch/" in filename:
            short = "loadwatch/" + filename.rsplit("/loadwatch/", 1)[1]
        rows.append((cumulative, f"{cumulative:7.3f} s  {calls:>8}  {short}:{line}({name})"))
    rows.sort(key=lambda r: -r[0])
    head = [f"{importing:7.3f} s  (all imports together, importlib's _find_and_load)"]
    return head + [text for _, text in rows[:top]]


def heavy_imports(bench: Bench) -> dict[str, list[str]]:
    """Which of the libraries in ``HEAVY`` each warm command imported (``-X importtime``)."""
    found: dict[str, list[str]] = {}
    for command in HEAVY:
        args = bench.report_args() if command == "report" else [command, str(bench.archive)]
        if command == "check":
            args += ["--as-of", bench.manifest["last_day"]]
        traced = bench.traced(f"diag-heavy-{command}", *args)
        packages = {name for name, _ in import_times(traced.stderr, top=1000)}
        found[command] = [name for name in HEAVY[command] if name in packages]
    return found


def diagnose_warm(bench: Bench) -> None:
    args = bench.report_args()
    timed = bench.traced("diag-importtime", *args)
    bench.details["import_times"] = import_times(timed.stderr)
    bench.details["importtime_wall_s"] = timed.wall_s
    profile = bench.logs / "warm-report.prof"
    profiled = run_measured(
        [
            sys.executable,
            "-m",
            "cProfile",
            "-o",
            str(profile),
            "-m",
            "loadwatch",
            "--data-dir",
            str(bench.data),
            *args,
        ],
        env=bench.env,
        logs=bench.logs,
        label="diag-cprofile",
    )
    check_ok(profiled, "loadwatch report under cProfile")
    bench.details["profile"] = profile_lines(profile)


# --------------------------------------------------------------------------- the write-up


def machine() -> dict[str, str]:
    model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = "unknown"
    try:
        for line in Path("/proc/meminfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("MemTotal:"):
                ram = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None
    return {
        "CPU": model,
        "logical CPUs": f"{os.cpu_count()}" + (f" ({usable} usable)" if usable else ""),
        "RAM": ram,
        "Python": f"{platform.python_version()} ({platform.python_implementation()})",
        "OS": platform.platform(),
    }


def code_state() -> dict[str, str]:
    def git(*args: str) -> str:
        try:
            done = subprocess.run(
                ["git", *args], cwd=PROJECT, capture_output=True, text=True, check=False
            )
        except OSError:
            return ""
        return done.stdout.strip()

    commit = git("rev-parse", "--short", "HEAD") or "unknown"
    dirty = git("status", "--porcelain", "--", "loadwatch")
    sys.path.insert(0, str(PROJECT))
    from loadwatch.ingest.importers import parser_for

    fit = parser_for("fit")
    wired = f"{fit.__module__}.{fit.__name__}"
    return {
        "commit": commit + (" (loadwatch/ has uncommitted changes)" if dirty else ""),
        "fit parser": wired,
        "fitfast wired": "yes" if "fitfast" in wired else "no",
    }


def fmt_s(seconds: float) -> str:
    if seconds >= 120:
        return f"{seconds / 60:.1f} min"
    return f"{seconds:.2f} s" if seconds < 10 else f"{seconds:.1f} s"


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")


def size_mb(megabytes: float) -> str:
    return f"{megabytes:.0f} MB" if megabytes >= 10 else f"{megabytes:.1f} MB"


def fmt_mb(value: float | None) -> str:
    return "" if value is None else f"{value:.0f}"


def table(rows: Sequence[Row]) -> list[str]:
    lines = [
        "| step | files | MB | wall | CPU | files/s | MB/s | peak RSS, largest process (MB) "
        "| peak PSS, whole tree (MB) | load | note |",
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r.step} | {r.files} | {r.raw_mb:.1f} | {fmt_s(r.wall_s)} "
            f"| {fmt_s(r.cpu_s)} | {r.files_per_s:.1f} | {r.mb_per_s:.1f} "
            f"| {fmt_mb(r.peak_mb)} | {fmt_mb(r.tree_peak_mb)} | {r.load:.1f} "
            f"| {r.note} |"
        )
    return lines


def plain_table(rows: Sequence[Row]) -> str:
    header = ("step", "files", "MB", "wall", "CPU", "files/s", "MB/s", "RSS MB", "tree PSS", "load")
    body = [
        (
            r.step,
            str(r.files),
            f"{r.raw_mb:.1f}",
            fmt_s(r.wall_s),
            fmt_s(r.cpu_s),
            f"{r.files_per_s:.1f}",
            f"{r.mb_per_s:.1f}",
            fmt_mb(r.peak_mb),
            fmt_mb(r.tree_peak_mb),
            f"{r.load:.1f}",
        )
        for r in rows
    ]
    widths = [max(len(x[i]) for x in (header, *body)) for i in range(len(header))]
    lines = [
        "  ".join(
            c.ljust(w) if i == 0 else c.rjust(w)
            for i, (c, w) in enumerate(zip(line, widths, strict=True))
        )
        for line in (header, *body)
    ]
    return "\n".join(lines)


def peak_of(bench: Bench) -> float:
    return max(r.peak_mb or 0.0 for r in bench.rows if r.step.startswith("loadwatch"))


def tree_peak_of(bench: Bench) -> float:
    """The largest tree of the CLI's own runs (the fixed-worker run is judged apart)."""
    return max(r.tree_peak_mb or 0.0 for r in bench.rows if r.step.startswith("loadwatch"))


def targets(big: Bench, small: Bench | None) -> list[tuple[str, str, bool | None]]:
    d = big.details
    rows = {r.step: r for r in big.rows}
    cold, base, floor = (
        rows["loadwatch import (cold)"],
        rows["plain parse loop (baseline)"],
        rows["read + gunzip floor"],
    )
    out: list[tuple[str, str, bool | None]] = []
    speedup = base.wall_s / cold.wall_s
    estimated = "; baseline estimated from a sample" if d["baseline_sampled"] else ""
    out.append(
        (
            f"cold import >= {TARGET_VS_BASELINE:.0f}x faster than the plain parse loop "
            "(whole archive: fitparse, gpxpy, ElementTree, csv)",
            f"{speedup:.1f}x wall ({base.cpu_s / cold.cpu_s:.1f}x in CPU time{estimated})",
            speedup >= TARGET_VS_BASELINE,
        )
    )
    if "fit_cold" in d:
        fit_cold = d["fit_cold"]
        fit_speedup = d["fit_baseline_s"] / fit_cold.wall_s
        out.append(
            (
                f"cold import >= {TARGET_VS_BASELINE:.0f}x faster than the plain fitparse "
                "loop (the FIT files alone)",
                f"{fit_speedup:.1f}x wall ({d['fit_baseline_cpu_s'] / fit_cold.cpu_s:.1f}x "
                f"in CPU time{estimated})",
                fit_speedup >= TARGET_VS_BASELINE,
            )
        )
    over_floor = cold.wall_s / floor.wall_s
    out.append(
        (
            f"cold import within {TARGET_VS_FLOOR:.0f}x of the read+gunzip floor",
            f"{over_floor:.1f}x wall ({cold.cpu_s / max(floor.cpu_s, 1e-9):.1f}x in CPU time)",
            over_floor <= TARGET_VS_FLOOR,
        )
    )
    pandas_cpu = d["pandas_cpu_s"]
    for command in ("activities", "shoes"):
        cpu = d[f"warm_{command}_cpu_s"]
        out.append(
            (
                f"warm `loadwatch {command}` <= {TARGET_LIGHT_VS_PANDAS:g}x the CPU of "
                '`python -c "import pandas"`',
                f"{cpu:.2f} s vs {pandas_cpu:.2f} s = {cpu / pandas_cpu:.2f}x (medians)",
                cpu <= TARGET_LIGHT_VS_PANDAS * pandas_cpu,
            )
        )
    report_cpu = d["warm_report_cpu_s"]
    out.append(
        (
            f"warm `loadwatch report` <= {TARGET_REPORT_VS_PANDAS:g}x the CPU of "
            '`python -c "import pandas"`',
            f"{report_cpu:.2f} s vs {pandas_cpu:.2f} s = {report_cpu / pandas_cpu:.2f}x "
            f"(medians; wall {d['warm_report_s']:.2f} s, first run "
            f"{d['warm_report_first_s']:.2f} s)",
            report_cpu <= TARGET_REPORT_VS_PANDAS * pandas_cpu,
        )
    )
    if "update_s" in d:
        warm = d["warm_report_s"]
        out.append(
            (
                f"report after one new week <= warm report + {TARGET_UPDATE_EXTRA_S:g} s",
                f"{d['update_s']:.2f} s vs {warm:.2f} s + {TARGET_UPDATE_EXTRA_S:g} s "
                f"(the week's files alone parse in {d['week_parse_s']:.2f} s in one process)",
                d["update_s"] <= warm + TARGET_UPDATE_EXTRA_S,
            )
        )
    for command, heavy in d.get("heavy_imports", {}).items():
        out.append(
            (
                f"warm `loadwatch {command}` imports no {' or '.join(HEAVY[command])} "
                "(`-X importtime`)",
                "imports " + ", ".join(heavy) if heavy else "none of them",
                not heavy,
            )
        )
    peak = peak_of(big)
    out.append(
        (
            f"peak RSS <= {TARGET_RSS_MB:.0f} MB (largest process)",
            f"{peak:.0f} MB",
            peak <= TARGET_RSS_MB,
        )
    )
    if "workers_run" in d:
        workers, run = d["workers_run"]
        out.append(
            (
                f"peak memory < {TARGET_TREE_MB:.0f} MB with {workers} workers (PSS of the "
                "whole process tree)",
                f"{run.tree_peak_mb:.0f} MB (parent {run.main_peak_mb:.0f} MB, workers "
                + ", ".join(f"{mb:.0f}" for mb in run.worker_peaks_mb)
                + " MB resident)",
                run.tree_peak_mb < TARGET_TREE_MB,
            )
        )
    tree = tree_peak_of(big)
    out.append(
        (
            f"peak memory < {TARGET_TREE_MB:.0f} MB with the CLI's own worker count "
            f"({min(os.cpu_count() or 1, 8)} here; PSS of the whole process tree)",
            f"{tree:.0f} MB",
            tree < TARGET_TREE_MB,
        )
    )
    if small is not None:
        small_peak = peak_of(small)
        grows = peak <= small_peak * TARGET_RSS_GROWTH + RSS_SLACK_MB
        out.append(
            (
                "peak RSS not growing with archive size (largest process within "
                f"{TARGET_RSS_GROWTH:g}x + {RSS_SLACK_MB:.0f} MB of the small archive's)",
                f"{small_peak:.0f} MB ({small.manifest['activities']} activities) -> "
                f"{peak:.0f} MB ({big.manifest['activities']} activities)",
                grows,
            )
        )
    return out


def per_format_lines(big: Bench) -> list[str]:
    base = big.details["baseline"]["formats"]
    mine = big.details["parsers"]["formats"]
    fast = big.details["parsers"].get("fitfast")
    lines = [
        "| format | sample files | sample MB | plain loop (s/MB) | loadwatch as wired "
        "(s/MB) | speed-up |",
        "|---|--:|--:|--:|--:|--:|",
    ]
    for fmt in sorted(base):
        b, m = base[fmt], mine.get(fmt)
        mb = b["raw_bytes"] / 1e6
        if not m or not mb:
            continue
        lines.append(
            f"| {fmt} | {b['files']} | {mb:.1f} | {b['seconds'] / mb:.4f} "
            f"| {m['seconds'] / mb:.4f} | {b['seconds'] / max(m['seconds'], 1e-9):.0f}x |"
        )
    if fast and fast.get("raw_bytes"):
        mb = fast["raw_bytes"] / 1e6
        lines.append(
            f"| fit via `fitfast.parse_summary` | {fast['files']} | {mb:.1f} "
            f"| {base['fit']['seconds'] / mb:.4f} | {fast['seconds'] / mb:.4f} "
            f"| {base['fit']['seconds'] / max(fast['seconds'], 1e-9):.0f}x |"
        )
    lines.append("")
    lines.append("Each file's time includes reading and gunzipping it; one process, one core.")
    if fast:
        lines.append(
            f"The fast FIT path declined {fast['declined']} of {fast['files']} sampled "
            "FIT files (handed them to fitparse)."
        )
    return lines


def memory_lines(bench: Bench) -> list[str]:
    """Who held the memory during the cold import: the command's process or its workers."""
    cold: Measured | None = bench.details.get("cold")
    if cold is None:
        return []
    workers = ", ".join(f"{mb:.0f}" for mb in cold.worker_peaks_mb) or "none"
    return [
        f"Cold import, peak resident size by process (sampled): the `loadwatch` process "
        f"{cold.main_peak_mb:.0f} MB; its workers {workers} MB."
    ]


def archive_lines(bench: Bench, params_note: str) -> list[str]:
    m = bench.manifest
    files = m["files"]
    by_format: dict[str, list[dict[str, Any]]] = {}
    for f in files:
        by_format.setdefault(f["format"], []).append(f)
    parts = ", ".join(
        f"{len(v)} {k.upper()} ({size_mb(raw_mb(v))})"
        for k, v in sorted(by_format.items(), key=lambda kv: -len(kv[1]))
    )
    gz = sum(f["gz"] for f in files)
    disk = sum(f["bytes"] for f in files) / 1e6
    return [
        f"- {m['first_day']} to {m['last_day']} ({plural(m['params']['weeks'], 'week')}), "
        f"time zone {m['timezone']}; {params_note}",
        f"- {m['activities']} activities ({m['runs']} runs) by format: "
        + ", ".join(f"{v} {k}" for k, v in sorted(m["activities_by_format"].items())),
        f"- {len(files)} files: {parts}; {gz} gzipped; {size_mb(disk)} on disk, "
        f"{size_mb(raw_mb(files))} decompressed",
        f"- Strava export: {m['strava_rows']} rows in activities.csv, {m['duplicates']} of "
        "their FIT files also copied off the watch (same run, two sources)",
        f"- one more week for the update: {len(m['next_week']['files'])} files, "
        f"{m['next_week']['activities']} activities",
    ]


def write_results(
    path: Path,
    *,
    big: Bench,
    small: Bench | None,
    command: str,
    when: str,
    generated: list[str],
    loads: str,
) -> str:
    hand = ""
    if path.is_file():
        old = path.read_text(encoding="utf-8")
        if HAND_WRITTEN in old:
            hand = old.split(HAND_WRITTEN, 1)[1].strip("\n")
    state = code_state()
    lines = [
        "# Import benchmark: results",
        "",
        f"Measured {when} with `{command}` (loadwatch at {state['commit']}).",
        "",
        "Regenerate with the same command; the tables below are rewritten, the analysis "
        "at the end is kept.",
        "",
        "## Machine",
        "",
    ]
    lines += [f"- {k}: {v}" for k, v in machine().items()]
    lines += [
        "- page cache: warm (the archive was read shortly before; caches not dropped)",
        f"- load average (1, 5, 15 min): {loads}",
        "",
    ]
    lines += [
        "## Code",
        "",
        f"- FIT parser wired into the import: `{state['fit parser']}` "
        f"(fitfast wired: {state['fitfast wired']})",
        "",
    ]
    lines += ["## Archive", ""]
    lines += archive_lines(
        big,
        "FIT records every second, GPX/TCX points every "
        f"{big.manifest['params']['xml_interval_s']} s",
    )
    lines += [f"- {g}" for g in generated]
    lines += ["", "## Results", ""]
    lines += table(big.rows)
    lines += [
        "",
        "MB are decompressed bytes (what the parsers read). Loops (floor, baseline) "
        "time themselves; loadwatch commands are timed from outside, interpreter "
        "start-up included. CPU is user + system time of the process and the workers "
        "it waited for. Load is the machine's 1-minute load average as the step began; "
        "it counts this benchmark's own processes too (a cold import on 2 cores leaves "
        "about 2 behind for a minute), so only well above that were others competing. "
        "Where wall time and CPU time of a one-process step part ways, they were.",
    ]
    lines += [""] + memory_lines(big)
    if big.checks:
        lines += ["", "**Correctness checks failed:**", ""] + [f"- {c}" for c in big.checks]
    lines += ["", "## Targets", "", "| target | measured | reached |", "|---|---|---|"]
    for name, value, ok in targets(big, small):
        lines.append(f"| {name} | {value} | {'yes' if ok else 'NO'} |")
    lines += ["", "## Per format, on the baseline's sample", ""]
    lines += per_format_lines(big)
    if small is not None:
        lines += [
            "",
            f"## Smaller archive ({plural(small.manifest['params']['weeks'], 'week')})"
            ", for memory against size",
            "",
        ]
        lines += archive_lines(small, "same generator")
        lines += [""] + table(small.rows)
        lines += [""] + memory_lines(small)
        if small.checks:
            lines += ["", "**Correctness checks failed:**", ""] + [f"- {c}" for c in small.checks]
    if "import_times" in big.details:
        lines += [
            "",
            "## Where the warm report's time goes",
            "",
            f"`python -X importtime -m loadwatch report ...` "
            f"({big.details['importtime_wall_s']:.2f} s with the import tracing): "
            "import time of each top-level package's own modules (what it pulls in "
            "from other packages is counted there):",
            "",
        ]
        lines += [f"- {name}: {ms:.0f} ms" for name, ms in big.details["import_times"]]
        lines += (
            [
                "",
                "cProfile of the same warm `loadwatch report` (cumulative time, calls):",
                "",
                "```",
            ]
            + big.details["profile"]
            + ["```"]
        )
    lines += ["", HAND_WRITTEN, ""]
    text = "\n".join(lines) + "\n" + (hand + "\n" if hand else "")
    path.write_text(text, encoding="utf-8")
    return text


# --------------------------------------------------------------------------- main


def subprocess_env(work: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("LOADWATCH_HOME", None)
    # the project's code, whatever is installed; no user config file in the way
    env["PYTHONPATH"] = str(PROJECT) + os.pathsep + env.get("PYTHONPATH", "")
    env["XDG_CONFIG_HOME"] = str(work / "config")
    return env


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["_measure"]:
        return measure_main(argv[1:])
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--years", type=float, default=10.0, help="archive length (default 10)")
    parser.add_argument(
        "--weeks", type=int, default=None, help="archive length in weeks (overrides --years)"
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        help="working folder for the archive copy, data directory, reports "
        "and logs (default: a temporary folder)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the working folder")
    parser.add_argument(
        "--sample",
        type=float,
        default=0.05,
        help="share of each format the plain parse loop runs on, then "
        "extrapolated (default 0.05; 1 runs it on everything)",
    )
    parser.add_argument(
        "--small-years",
        type=float,
        default=2.0,
        help="also measure an archive this long, for memory against size (default 2; 0 skips)",
    )
    parser.add_argument("--repeats", type=int, default=3, help="runs of each warm command")
    parser.add_argument(
        "--cold-repeats",
        type=int,
        default=2,
        help="cold imports, each into a fresh data directory; the fastest counts (default 2)",
    )
    parser.add_argument("--seed", type=int, default=None, help="archive and sample seed")
    parser.add_argument(
        "--results",
        type=Path,
        default=RESULTS,
        help="Markdown file to write (default bench/RESULTS.md)",
    )
    parser.add_argument(
        "--cache",
        type=Path,
        default=None,
        help="where generated archives are kept (default bench/archive)",
    )
    parser.add_argument("--jobs", type=int, default=None, help="processes for generating")
    parser.add_argument(
        "--no-diagnose",
        action="store_true",
        help="skip the import-time and cProfile runs of the warm report",
    )
    parser.add_argument("--duration-scale", type=float, default=1.0, help=argparse.SUPPRESS)
    parser.add_argument(
        "--xml-interval", type=int, default=None, help="seconds between GPX/TCX points (default 1)"
    )
    args = parser.parse_args(argv)

    sys.path.insert(0, str(BENCH))
    import make_archive

    seed = make_archive.DEFAULT_SEED if args.seed is None else args.seed
    cache = args.cache or make_archive.DEFAULT_CACHE
    interval = args.xml_interval or make_archive.XML_INTERVAL_S

    def log(message: str) -> None:
        print(message, flush=True)

    def params_for(years: float, weeks: int | None) -> Any:
        return make_archive.Params(
            weeks=weeks or make_archive.weeks_for_years(years),
            seed=seed,
            duration_scale=args.duration_scale,
            xml_interval_s=interval,
        )

    # Only what this script creates is ever deleted: the temporary folder, or the "big" and
    # "small" subfolders of an --out folder the user named.
    work = args.out.resolve() if args.out else Path(tempfile.mkdtemp(prefix="loadwatch-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    ours = [work] if args.out is None else [work / "big", work / "small"]
    command = shlex.join(["python", "bench/run.py", *argv])
    when = datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    start_load = os.getloadavg()
    generated: list[str] = []
    try:
        big_params = params_for(args.years, args.weeks)
        folder, manifest, fresh = make_archive.ensure(big_params, cache, jobs=args.jobs, log=log)
        if fresh:
            generated.append(
                f"generated in {manifest['generation_s']:.0f} s "
                f"(now cached in bench/archive/{big_params.key})"
            )
        env = subprocess_env(work)
        big = Bench(folder, manifest, work / "big", env, log)
        log(
            f"archive {big_params.key}: {manifest['activities']} activities, "
            f"{len(manifest['files'])} files, {raw_mb(manifest['files']):.0f} MB; "
            f"working in {work}"
        )
        measure_archive(
            big,
            sample=args.sample,
            seed=seed,
            repeats=args.repeats,
            full=True,
            cold_repeats=args.cold_repeats,
        )
        if not args.no_diagnose:
            log("diagnosis: -X importtime and cProfile of the warm report")
            diagnose_warm(big)
        small = None
        if args.small_years > 0:
            small_params = params_for(args.small_years, None)
            if small_params.weeks < big_params.weeks:
                folder, manifest, _ = make_archive.ensure(
                    small_params, cache, jobs=args.jobs, log=log
                )
                small = Bench(folder, manifest, work / "small", env, log)
                log(f"smaller archive {small_params.key}: {manifest['activities']} activities")
                measure_archive(
                    small,
                    sample=args.sample,
                    seed=seed,
                    repeats=args.repeats,
                    full=False,
                    cold_repeats=args.cold_repeats,
                )
        print()
        print(plain_table(big.rows))
        print()
        for name, value, ok in targets(big, small):
            print(f"{'reached    ' if ok else 'NOT REACHED'}  {name}: {value}")
        if big.details.get("baseline_sampled"):
            print("\nThe plain loop's time is an ESTIMATE from a sample (see --sample).")
        for check in big.checks + (small.checks if small else []):
            print(f"CHECK FAILED: {check}")
        if small is not None:
            print()
            print(f"smaller archive ({small.manifest['activities']} activities):")
            print(plain_table(small.rows))
        loads = (
            "at the start "
            + ", ".join(f"{x:.1f}" for x in start_load)
            + "; at the end "
            + (", ".join(f"{x:.1f}" for x in os.getloadavg()))
        )
        write_results(
            args.results,
            big=big,
            small=small,
            command=command,
            when=when,
            generated=generated,
            loads=loads,
        )
        print(f"\nwrote {args.results}")
        return 1 if big.checks or (small and small.checks) else 0
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            for folder in ours:
                shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
