"""Benchmark ``loadwatch cohort`` on a generated cohort: scaling from 1 to 2 Dask workers.

Usage (from the project root, with ``pip install '.[test]'``)::

    python bench/cohort.py [--athletes 200] [--years 2] [--workers 1,2] [--small 50]

The cohort is ``tests/helpers/cohortbuild.py``'s: one folder of FIT files per athlete (written
by Garmin's FIT SDK encoder: file_id, a lap per kilometre, session, activity), three
to six runs a week with long runs, spikes and breaks, and some walks and rides. It is
generated once per size under ``bench/archive/`` (gitignored) and reused.

For each worker count a fresh ``distributed.LocalCluster`` (one thread per worker
process) runs ``cohort.run_cohort`` to completion; the time is from the call to its
return (the cluster's start-up is reported apart), and sessions per second are the
sessions written over that time. Each worker's peak resident size is the largest
``ru_maxrss`` its tasks reported. The same run on the ``--small`` cohort shows whether
that peak depends on the cohort's size. The 1- and 2-worker tables are compared.

The results replace the cohort section of ``bench/RESULTS.md`` (after the import
benchmark's hand-written marker, which ``bench/run.py`` keeps).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

BENCH = Path(__file__).resolve().parent
PROJECT = BENCH.parent
sys.path.insert(0, str(PROJECT / "tests"))  # the generator shares the tests' FIT writer

from helpers import cohortbuild  # noqa: E402

from loadwatch import cohort  # noqa: E402

RESULTS = BENCH / "RESULTS.md"
START = "<!-- cohort benchmark: bench/cohort.py rewrites this section -->"
END = "<!-- end of the cohort benchmark -->"
LAST_DAY = date(2026, 11, 22)
#: bump when cohortbuild's output changes, so a stale cached cohort is not reused
GENERATOR_VERSION = 1
SEED = 15


@dataclass(frozen=True)
class Run:
    athletes: int
    workers: int
    files: int
    sessions: int
    startup_s: float
    wall_s: float
    #: worker pid -> peak resident size in MiB
    peaks_mib: dict[int, float]
    client_peak_mib: float
    #: worker pid -> CPU seconds it spent (start-up included)
    cpu_s: dict[int, float]
    #: the largest athlete's files
    largest: int

    @property
    def rate(self) -> float:
        return self.sessions / self.wall_s

    @property
    def cpu_rate(self) -> float:
        """Sessions per second of the busiest worker's CPU time: the rate with a core each."""
        return self.sessions / max(self.cpu_s.values())


def _generate_part(job: tuple[str, int, int, int]) -> int:
    root, first_index, count, years = job
    first = LAST_DAY - timedelta(days=round(365.25 * years) - 1)
    plans = cohortbuild.write_cohort(
        Path(root), count, first, LAST_DAY, seed=SEED, start_index=first_index
    )
    return sum(len(p) for p in plans.values())


def ensure_cohort(athletes: int, years: int, jobs: int) -> Path:
    """The generated cohort of this size, written once and kept under bench/archive/."""
    root = BENCH / "archive" / f"cohort-{athletes}x{years}y-v{GENERATOR_VERSION}"
    done = root / ".generated.json"
    if done.is_file():
        return root
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    started = time.perf_counter()
    step = -(-athletes // (jobs * 4))
    parts = [(str(root), i, min(step, athletes - i), years) for i in range(0, athletes, step)]
    with ProcessPoolExecutor(jobs) as pool:
        files = sum(pool.map(_generate_part, parts))
    done.write_text(
        json.dumps(
            {
                "athletes": athletes,
                "years": years,
                "files": files,
                "seconds": round(time.perf_counter() - started, 1),
            }
        )
        + "\n"
    )
    return root


#: Dask's statistical profiler keeps each worker's sampled call trees for an hour
#: (``distributed.worker.profile``); over a run they grow with the tasks done, which
#: would be counted as the athletes' memory. Off unless --dask-profiler.
PROFILER_ENV = "DASK_DISTRIBUTED__WORKER__PROFILE__ENABLED"


def measure(root: Path, workers: int, out: Path, home: Path, profiler: bool = False) -> Run:
    """One timed run in a fresh Python process, so the client's peak is this run's alone."""
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        "_measure",
        str(root),
        str(workers),
        str(out),
        str(home),
    ]
    env = {**os.environ, PROFILER_ENV: "True" if profiler else "False"}
    done = subprocess.run(command, capture_output=True, text=True, check=True, env=env)
    data = json.loads(done.stdout.strip().splitlines()[-1])
    for key in ("peaks_mib", "cpu_s"):
        data[key] = {int(pid): value for pid, value in data[key].items()}
    return Run(**data)


def _measure_here(root: Path, workers: int, out: Path, home: Path) -> Run:
    from distributed import LocalCluster

    started = time.perf_counter()
    with LocalCluster(
        n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        ready = time.perf_counter()
        result = cohort.run_cohort(
            root, out_dir=out, home=home, as_of=LAST_DAY, scheduler=cluster.scheduler_address
        )
        finished = time.perf_counter()
    if result.failed:
        raise SystemExit(f"athletes failed: {[a.name for a in result.failed]}")
    peaks: dict[int, float] = {}
    cpu: dict[int, float] = {}
    for athlete in result.athletes:
        peaks[athlete.pid] = max(peaks.get(athlete.pid, 0.0), athlete.peak_rss_kib / 1024)
        cpu[athlete.pid] = max(cpu.get(athlete.pid, 0.0), athlete.cpu_s)
    client = cohort.peak_rss_kib() / 1024
    largest = max(a.files for a in result.athletes)
    return Run(
        len(result.athletes),
        workers,
        result.files,
        result.sessions,
        ready - started,
        finished - ready,
        peaks,
        client,
        cpu,
        largest,
    )


def _probe(dask_worker: object = None) -> float:
    """Run on a worker: its resident MiB after a collection (what it keeps between runs)."""
    import gc

    gc.collect()
    return _resident_mib()


def _batches_here(root: Path, batches: int) -> list[tuple[int, float]]:
    """One worker, the cohort in ``batches`` runs of different athletes: resident MiB after each.

    A worker that kept anything of the athletes it has done would grow from batch to batch.
    """
    from distributed import Client, LocalCluster

    names = sorted(p.name for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))
    size = -(-len(names) // batches)
    scratch = Path(tempfile.mkdtemp(prefix="loadwatch-bench-batches-"))
    after: list[tuple[int, float]] = []
    try:
        with (
            LocalCluster(
                n_workers=1,
                threads_per_worker=1,
                processes=True,
                host="127.0.0.1",
                dashboard_address=None,
            ) as cluster,
            Client(cluster) as client,
        ):
            for index in range(0, len(names), size):
                part = scratch / f"batch-{index}"
                part.mkdir()
                for name in names[index : index + size]:
                    (part / name).symlink_to(root / name, target_is_directory=True)
                cohort.run_cohort(
                    part,
                    out_dir=scratch / f"out-{index}",
                    home=scratch / "home",
                    as_of=LAST_DAY,
                    scheduler=cluster.scheduler_address,
                )
                resident = next(iter(client.run(_probe).values()))
                after.append((index + len(names[index : index + size]), resident))
        return after
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _loop_here(root: Path, athletes: int) -> list[tuple[int, float]]:
    """The per-athlete steps in a plain loop in one process, no Dask: resident MiB after each.

    What a worker holds for the athletes' own work, apart from the Dask worker itself.
    """
    from loadwatch.roster import load_roster

    chosen = load_roster(root)[:athletes]
    scratch = Path(tempfile.mkdtemp(prefix="loadwatch-bench-loop-"))
    try:
        planned = cohort.plan(chosen, scratch / "home", LAST_DAY, None)
        after = []
        for index, (job, sources) in enumerate(planned, 1):
            cohort.athlete_partition(
                [cohort.parse_item((job, s)) for s in sources], str(scratch / "out")
            )
            after.append((index, _resident_mib()))
        return after
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _resident_mib() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


LOAD_AT_START = os.getloadavg()


def _machine() -> list[str]:
    cpu = "unknown"
    with open("/proc/cpuinfo", encoding="utf-8") as info:
        for line in info:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    start, end = (", ".join(f"{v:.1f}" for v in load) for load in (LOAD_AT_START, os.getloadavg()))
    # the load on a machine shared with other work decides how far wall times can be trusted
    return [
        f"- CPU: {cpu}; {os.cpu_count()} logical CPUs; Python {platform.python_version()}",
        f"- load average (1, 5, 15 min): {start} at the start, {end} at the end (it "
        "counts this benchmark's own processes too: about one per worker)",
    ]


def _commit() -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=PROJECT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def section(
    runs: Sequence[Run],
    small: Run | None,
    command: str,
    generated: dict[str, object],
    same: bool,
    walls: dict[int, list[float]],
    loop: Sequence[tuple[int, float]] = (),
    profiler: bool = False,
    batches: Sequence[tuple[int, float]] = (),
) -> str:
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        START,
        "",
        "# Cohort benchmark: `loadwatch cohort` on Dask",
        "",
        f"Measured {stamp} with `{command}` (loadwatch at {_commit()}).",
        "",
        *_machine(),
        f"- cohort: {generated['athletes']} athletes x {generated['years']} years up to "
        f"{LAST_DAY.isoformat()}, {generated['files']} FIT files (a lap per km; generated in "
        f"{generated['seconds']} s, then cached)",
        "- each run: a fresh Python process and `distributed.LocalCluster`, one thread per "
        "worker process; wall time from `run_cohort`'s call to its return (discovery, parse, "
        "tables, Parquet); worker counts alternate and the fastest try of each is shown",
        "- tries: "
        + "; ".join(
            f"{w} worker(s) " + ", ".join(f"{t:.1f} s" for t in ts) for w, ts in walls.items()
        ),
        "- peak RSS is each process's `VmHWM` (its own high-water mark; `ru_maxrss` would "
        "include the parent's size at the fork)",
        f"- Dask's worker profiler (`{PROFILER_ENV}`): {'on' if profiler else 'off'}",
        "",
        "| workers | athletes | files (largest athlete) | sessions | cluster start | wall | "
        "sessions/s | speed-up | CPU s per worker | sessions per busiest-worker CPU s | "
        "speed-up in CPU | peak RSS per worker (MiB) | client process peak RSS (MiB) |",
        "|--:|--:|--:|--:|--:|--:|--:|--:|---|--:|--:|---|--:|",
    ]
    base, cpu_base = runs[0].rate, runs[0].cpu_rate
    for run in [*runs, *([small] if small else [])]:
        peaks = ", ".join(f"{v:.0f}" for v in sorted(run.peaks_mib.values()))
        cpu = ", ".join(f"{v:.1f}" for v in sorted(run.cpu_s.values()))
        mine = run in runs
        speedup = f"{run.rate / base:.2f}x" if mine else "(smaller cohort)"
        cpu_speedup = f"{run.cpu_rate / cpu_base:.2f}x" if mine else ""
        lines.append(
            f"| {run.workers} | {run.athletes} | {run.files} ({run.largest}) | {run.sessions} | "
            f"{run.startup_s:.1f} s | {run.wall_s:.1f} s | {run.rate:.0f} | {speedup} | {cpu} | "
            f"{run.cpu_rate:.0f} | {cpu_speedup} | {peaks} | {run.client_peak_mib:.0f} |"
        )
    lines += ["", f"Tables with 1 and with 2 workers identical: {'yes' if same else 'NO'}.", ""]
    if len(runs) > 1:
        efficiency = runs[-1].rate / base / runs[-1].workers * 100
        cpu_efficiency = runs[-1].cpu_rate / cpu_base / runs[-1].workers * 100
        lines.append(
            f"Scaling from {runs[0].workers} to {runs[-1].workers} workers: "
            f"{runs[-1].rate / base:.2f}x in wall time ({efficiency:.0f}% of linear), "
            f"{runs[-1].cpu_rate / cpu_base:.2f}x in the busiest worker's CPU time "
            f"({cpu_efficiency:.0f}% of linear: how the work divides, whatever else "
            "the machine was running)."
        )
    if small is not None:
        big = max(max(r.peaks_mib.values()) for r in runs if r.workers == small.workers)
        lines.append(
            f"Peak per worker ({small.workers} workers): "
            f"{max(small.peaks_mib.values()):.0f} MiB with {small.athletes} athletes, "
            f"{big:.0f} MiB with {runs[-1].athletes}."
        )
    if batches:
        shown = ", ".join(f"{mib:.0f} MiB after {done}" for done, mib in batches)
        lines.append(
            f"One worker given the cohort in {len(batches)} runs of different "
            f"athletes, resident between runs: {shown} athletes."
        )
    if loop:
        shown = ", ".join(
            f"{mib:.0f} MiB after {index}"
            for index, mib in loop
            if index in (1, 10, len(loop)) or index % 25 == 0
        )
        lines.append(
            f"The same per-athlete steps in a plain loop in one process (no Dask): "
            f"resident {shown} athletes."
        )
    lines += ["", END]
    return "\n".join(lines) + "\n"


def write_results(text: str) -> None:
    old = RESULTS.read_text(encoding="utf-8") if RESULTS.is_file() else ""
    if START in old and END in old:
        before, rest = old.split(START, 1)
        after = rest.split(END, 1)[1].lstrip("\n")
        new = before + text + ("\n" + after if after else "")
    else:
        new = old.rstrip("\n") + "\n\n" + text
    RESULTS.write_text(new, encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["_measure"]:
        root, workers, out, home = argv[1:5]
        run = _measure_here(Path(root), int(workers), Path(out), Path(home))
        print(json.dumps(run.__dict__))
        return 0
    if argv[:1] == ["_batches"]:
        print(json.dumps(_batches_here(Path(argv[1]), int(argv[2]))))
        return 0
    if argv[:1] == ["_loop"]:
        print(json.dumps(_loop_here(Path(argv[1]), int(argv[2]))))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--athletes", type=int, default=200)
    parser.add_argument("--years", type=int, default=2)
    parser.add_argument("--workers", default="1,2", help="worker counts, comma-separated")
    parser.add_argument(
        "--small",
        type=int,
        default=50,
        help="athletes of the smaller cohort for the memory comparison (0: none)",
    )
    parser.add_argument(
        "--batches",
        type=int,
        default=4,
        help="runs of different athletes on one worker, for the memory between them (0: none)",
    )
    parser.add_argument(
        "--loop", type=int, default=50, help="athletes for the no-Dask memory loop (0: none)"
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=2,
        help="runs per worker count, alternating; the fastest is kept",
    )
    parser.add_argument(
        "--dask-profiler",
        action="store_true",
        help="leave Dask's worker profiler on (its call trees grow the workers' memory over a run)",
    )
    parser.add_argument("--no-write", action="store_true", help="do not touch RESULTS.md")
    args = parser.parse_args(argv)
    counts = [int(part) for part in args.workers.split(",")]
    jobs = os.cpu_count() or 1
    root = ensure_cohort(args.athletes, args.years, jobs)
    generated = json.loads((root / ".generated.json").read_text())
    print(f"cohort: {root} ({generated['files']} files)", flush=True)
    scratch = Path(tempfile.mkdtemp(prefix="loadwatch-bench-cohort-"))
    try:
        tried: dict[int, list[Run]] = {w: [] for w in counts}
        for attempt in range(args.repeat):
            for workers in counts:
                run = measure(
                    root, workers, scratch / f"out-{workers}", scratch / "home", args.dask_profiler
                )
                print(
                    f"{workers} worker(s), try {attempt + 1}: {run.sessions} sessions in "
                    f"{run.wall_s:.1f} s, {run.rate:.0f}/s, peaks {run.peaks_mib}",
                    flush=True,
                )
                tried[workers].append(run)
        runs = [min(tried[w], key=lambda r: r.wall_s) for w in counts]
        walls = {w: [r.wall_s for r in tried[w]] for w in counts}
        first = scratch / f"out-{counts[0]}"
        same = all(
            cohort.read_table(first, table).equals(cohort.read_table(scratch / f"out-{w}", table))
            for w in counts[1:]
            for table in (cohort.SESSIONS, cohort.WEEKS)
        )
        small = None
        if args.small:
            small_root = ensure_cohort(args.small, args.years, jobs)
            small = measure(
                small_root, counts[-1], scratch / "out-small", scratch / "home", args.dask_profiler
            )
            print(f"small cohort: peaks {small.peaks_mib}", flush=True)
        loop_done = (
            subprocess.run(
                [sys.executable, str(Path(__file__).resolve()), "_loop", str(root), str(args.loop)],
                capture_output=True,
                text=True,
                check=True,
            )
            if args.loop
            else None
        )
        loop = [tuple(p) for p in json.loads(loop_done.stdout)] if loop_done else []
        env = {**os.environ, PROFILER_ENV: "True" if args.dask_profiler else "False"}
        batches_done = (
            subprocess.run(
                [
                    sys.executable,
                    str(Path(__file__).resolve()),
                    "_batches",
                    str(root),
                    str(args.batches),
                ],
                capture_output=True,
                text=True,
                check=True,
                env=env,
            )
            if args.batches
            else None
        )
        batches = (
            [tuple(p) for p in json.loads(batches_done.stdout.strip().splitlines()[-1])]
            if batches_done
            else []
        )
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    command = " ".join(["python bench/cohort.py", *argv])
    text = section(
        runs,
        small,
        command,
        generated,
        same,
        walls,
        loop,  # type: ignore[arg-type]
        args.dask_profiler,
        batches,
    )  # type: ignore[arg-type]
    print(text)
    if not args.no_write:
        write_results(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
