"""A cohort's exposure tables for a time-to-injury analysis, built on Dask, written as Parquet.

Two tables, partitioned by athlete (Hive style: ``sessions/athlete=<name>/``):

``sessions``
    one row per activity (runs and other sports): the local start, sport, surface,
    distance and moving time; for runs the spike against the longest run of the
    previous 30 days and its Frandsen category, the weekly change against the
    baseline as the ``weekly-increase`` rule would judge it on that day, the pair of
    shoes and its distance so far; for every session the acute:chronic ratio of its
    day and the days since the last run before it; and the pain diary's state on
    that day where the athlete keeps one (``SESSION_COLUMNS`` documents each).
``weeks``
    one row per athlete-week: the weekly table's columns (``weekly.build_weekly``),
    plus the week's baseline and change against it.

Every value comes from the rule modules' own functions (``long_run_spike.references``,
``spike``, ``category``; ``weekly_increase.baselines``, ``change_pct``;
``weekly.acwr_series``; ``shoes.rule_usage``; ``pain.in_pain``, ``episodes``,
``previous_episode``) on the ``RuleContext`` the rules themselves see, so the tables
and ``loadwatch check`` cannot disagree. The single-runner pipeline's
``library.assemble`` turns an athlete's parsed files into activities.

The work runs on Dask: one ``dask.bag`` holds every file of every athlete, one
partition per athlete; ``parse_source`` is mapped over all files, and the per-athlete
assembly, tables and Parquet writing run per partition, so a worker holds one
athlete at a time whatever the cohort's size. Dask and pyarrow are the ``cohort``
extra (``pip install 'loadwatch[cohort]'``); nothing here imports them until a
cohort is built.
"""

from __future__ import annotations

import contextlib
import json
import os
import resource
import shutil
import sys
import tempfile
import urllib.parse
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import pandas as pd

from loadwatch import __version__, analysis, weekly
from loadwatch.config import Config
from loadwatch.errors import LoadwatchError, UsageError
from loadwatch.ingest.parse import FileResult, parse_source
from loadwatch.ingest.pipeline import Collection, assemble
from loadwatch.ingest.sources import SourceFile, discover
from loadwatch.model import Activity
from loadwatch.roster import Athlete, load_roster
from loadwatch.rules import RuleContext, long_run_spike, weekly_increase
from loadwatch.runs import run_order
from loadwatch.userdata import pain

if TYPE_CHECKING:
    # both optional (the cohort extra): imported where they run, named here for hints
    import dask.bag as db
    import pyarrow as pa
    from dask.typing import Key

SCHEDULERS = ("synchronous", "processes")
SESSIONS, WEEKS, MANIFEST = "sessions", "weeks", "cohort.json"
PARTITION = "athlete"

#: name -> (pyarrow type name, what it is); the order is the table's
SESSION_COLUMNS: dict[str, tuple[str, str]] = {
    "athlete": ("string", "the athlete's name (the partition)"),
    "activity_id": ("string", "loadwatch's id of the activity (its UTC start)"),
    "start_local": ("timestamp", "local wall time of the start, where the activity happened"),
    "start_utc": ("timestamp_utc", "the start in UTC"),
    "sport": ("string", "run, walk, hike, ride, swim or other"),
    "surface": ("string", "road, trail, track, treadmill, grass, mixed or unknown"),
    "distance_m": ("float64", "distance in metres"),
    "duration_s": ("float64", "moving time in seconds"),
    "reference_m": (
        "float64",
        "runs: the longest run of the previous 30 days (long_run_spike.references)",
    ),
    "spike_pct": ("float64", "runs: distance / reference - 1, in percent (long_run_spike.spike)"),
    "spike_category": (
        "string",
        "runs: Frandsen's reference, small, moderate or large (long_run_spike.category)",
    ),
    "week_start": ("date", "first day of the session's calendar week"),
    "week_to_date_m": ("float64", "runs: the week's distance up to and including this run"),
    "baseline_m": ("float64", "the highest of the 4 weeks before (weekly_increase.baselines)"),
    "week_change_pct": (
        "float64",
        "runs: week_to_date_m against baseline_m, in percent (weekly_increase.change_pct)",
    ),
    "acwr": ("float64", "acute:chronic ratio of the session's day (weekly.acwr_series)"),
    "shoe": ("string", "runs: the pair the run counts for (shoes.rule_usage)"),
    "shoe_distance_m": ("float64", "runs: that pair's distance including this run"),
    "days_since_last_run": ("int32", "whole local days since the run before this session"),
    "in_pain": ("bool", "heel pain logged in the 14 days up to the day (pain.in_pain)"),
    "pain_level": ("int8", "the diary's latest level in the 14 days up to the day"),
    "pain_episode_onset": ("date", "while in pain: the first day of the episode (pain.episodes)"),
    "pain_episode_peak": ("int8", "while in pain: the episode's highest level so far"),
    "previous_episode_end": (
        "date",
        "the last pain of an episode ended in the 12 months before (pain.previous_episode)",
    ),
}
WEEK_COLUMNS: dict[str, tuple[str, str]] = {
    "athlete": ("string", "the athlete's name (the partition)"),
    "week_start": ("date", "first day of the calendar week"),
    "runs": ("int64", "runs in the week"),
    "distance_m": ("float64", "distance in metres"),
    "duration_s": ("float64", "moving time in seconds"),
    "ascent_m": ("float64", "ascent in metres"),
    "longest_run_m": ("float64", "the week's longest run"),
    **{column: ("float64", f"distance on {column[:-2]}") for column in weekly.SURFACE_COLUMNS},
    "change_pct": ("float64", "change on the week before, in percent"),
    "rolling_4wk_m": ("float64", "mean distance of this and the 3 weeks before"),
    "acwr": ("float64", "acute:chronic ratio on the week's last day"),
    "partial": ("bool", "the week holding as_of, unless as_of is its last day"),
    "baseline_m": ("float64", "the highest of the 4 weeks before (weekly_increase.baselines)"),
    "baseline_change_pct": ("float64", "the week's distance against baseline_m, in percent"),
}


# --------------------------------------------------------------------------- the tables


def _day(moment: datetime) -> date:
    return moment.date()


def exposure_tables(
    athlete: str,
    activities: Sequence[Activity],
    config: Config,
    as_of: date,
    inputs: Mapping[str, Any],
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One athlete's session and week tables (see the module docs), as pandas frames.

    ``inputs`` are the user data the rules read (``Snapshot.rule_inputs``: shoes,
    ``shoe_of`` and the pain diary). Activities after ``as_of`` are left out.
    """
    kept = sorted((a for a in activities if _day(a.start_local) <= as_of), key=run_order)
    ctx = RuleContext.build(
        [a for a in kept if a.is_run],
        as_of,
        week_start=config.week_start,
        params=config.rules,
        units=config.units,
        **inputs,
    )
    sessions = _sessions(athlete, kept, ctx)
    return sessions, _weeks(athlete, ctx)


def _week_baselines(ctx: RuleContext) -> dict[date, float]:
    count = int(ctx.settings(weekly_increase.RULE)["baseline_weeks"])
    found = weekly_increase.baselines(ctx.weeks, count)
    return {
        week: base.distance_m
        for week, base in zip(ctx.weeks["week_start"], found, strict=True)
        if base is not None
    }


def _sessions(athlete: str, activities: Sequence[Activity], ctx: RuleContext) -> pd.DataFrame:
    references = {run.id: ref for run, ref in long_run_spike.references(ctx)}
    ratio = weekly.acwr_series(ctx.daily) if len(ctx.daily) else pd.Series(dtype="float64")
    acwr = {stamp.date(): value for stamp, value in ratio.items()}
    baselines = _week_baselines(ctx)
    baseline_of = {
        week: weekly_increase.Baseline(week, metres) for week, metres in baselines.items()
    }
    on_shoe = {
        step.run.id: (usage.shoe.name, step.after_m)
        for usage in ctx.shoe_usage
        for step in usage.runs
    }
    diary = tuple(ctx.pain)
    run_ids = {run.id for run in ctx.runs}
    week_so_far: dict[date, float] = {}
    last_run_day: date | None = None
    rows: list[dict[str, Any]] = []
    for activity in activities:
        day = _day(activity.start_local)
        week = ctx.week_of(day)
        is_run = activity.id in run_ids and activity.is_run
        row: dict[str, Any] = {
            "athlete": athlete,
            "activity_id": activity.id,
            "start_local": activity.start_local,
            "start_utc": activity.start_utc,
            "sport": activity.sport.value,
            "surface": activity.surface.value,
            "distance_m": activity.distance_m,
            "duration_s": activity.duration_s,
            "reference_m": None,
            "spike_pct": None,
            "spike_category": None,
            "week_start": week,
            "week_to_date_m": None,
            "baseline_m": baselines.get(week),
            "week_change_pct": None,
            "acwr": _number(acwr.get(day)),
            "shoe": None,
            "shoe_distance_m": None,
            "days_since_last_run": None if last_run_day is None else (day - last_run_day).days,
            **_pain_state(diary, day),
        }
        if is_run:
            if activity.id in references:
                reference = references[activity.id]
                spike_pct = long_run_spike.spike(activity, reference)
                row["reference_m"] = None if reference is None else reference.distance_m
                row["spike_pct"] = spike_pct
                row["spike_category"] = long_run_spike.category(spike_pct)
            so_far = week_so_far.get(week, 0.0) + (activity.distance_m or 0.0)
            week_so_far[week] = so_far
            row["week_to_date_m"] = so_far
            row["week_change_pct"] = weekly_increase.change_pct(so_far, baseline_of.get(week))
            row["shoe"], row["shoe_distance_m"] = on_shoe.get(activity.id, (None, None))
            last_run_day = day if last_run_day is None else max(last_run_day, day)
        rows.append(row)
    return _frame(rows, SESSION_COLUMNS)


def _pain_state(diary: Sequence[pain.PainEntry], day: date) -> dict[str, Any]:
    """The diary on ``day``: in pain or not, the latest level, the episode; None without one."""
    state: dict[str, Any] = {
        "in_pain": None,
        "pain_level": None,
        "pain_episode_onset": None,
        "pain_episode_peak": None,
        "previous_episode_end": None,
    }
    if not diary:
        return state
    hurting = pain.in_pain(diary, day)
    recent = [e for e in pain.up_to(diary, day) if (day - e.day).days < pain.RECENT_PAIN_DAYS]
    state["in_pain"] = hurting is not None
    state["pain_level"] = recent[-1].level if recent else None
    if hurting is not None:
        episode = pain.episodes(diary, day)[-1]
        state["pain_episode_onset"] = episode.onset
        state["pain_episode_peak"] = episode.peak
    before = pain.previous_episode(diary, day)
    state["previous_episode_end"] = None if before is None else before.last_pain
    return state


def _weeks(athlete: str, ctx: RuleContext) -> pd.DataFrame:
    table = ctx.weeks
    count = int(ctx.settings(weekly_increase.RULE)["baseline_weeks"])
    found = weekly_increase.baselines(table, count)
    rows = []
    for record, base in zip(table.to_dict("records"), found, strict=True):
        rows.append(
            {
                "athlete": athlete,
                **{column: _number(record[column]) for column in weekly.COLUMNS},
                "baseline_m": None if base is None else base.distance_m,
                "baseline_change_pct": weekly_increase.change_pct(
                    float(record["distance_m"]), base
                ),
            }
        )
    return _frame(rows, WEEK_COLUMNS)


def _number(value: Any) -> Any:
    """NaN is "not defined" in the rule code; in the tables it is a missing value."""
    if value is None or (isinstance(value, float) and value != value):
        return None
    return value.item() if hasattr(value, "item") else value


_PANDAS_TYPES = {
    "string": "string",
    "float64": "Float64",
    "int32": "Int32",
    "int8": "Int8",
    "int64": "Int64",
    "bool": "boolean",
}


def _frame(rows: list[dict[str, Any]], columns: Mapping[str, tuple[str, str]]) -> pd.DataFrame:
    """The rows with one fixed, nullable dtype per column, whatever the values happen to be."""
    frame = pd.DataFrame.from_records(rows, columns=list(columns))
    for name, (kind, _) in columns.items():
        if kind in _PANDAS_TYPES:
            frame[name] = frame[name].astype(_PANDAS_TYPES[kind])
        elif kind == "timestamp":
            frame[name] = pd.to_datetime(frame[name]).astype("datetime64[us]")
        elif kind == "timestamp_utc":
            frame[name] = pd.to_datetime(frame[name], utc=True).astype("datetime64[us, UTC]")
        else:  # dates stay datetime.date objects (pyarrow's date32)
            frame[name] = frame[name].astype(object).where(frame[name].notna(), None)
    return frame


# --------------------------------------------------------------------------- Parquet


def arrow_schema(columns: Mapping[str, tuple[str, str]]) -> pa.Schema:
    """The Parquet schema of a table, without the partition column (it is in the path)."""
    import pyarrow as pa

    types = {
        "string": pa.string(),
        "float64": pa.float64(),
        "int32": pa.int32(),
        "int8": pa.int8(),
        "int64": pa.int64(),
        "bool": pa.bool_(),
        "date": pa.date32(),
        "timestamp": pa.timestamp("us"),
        "timestamp_utc": pa.timestamp("us", tz="UTC"),
    }
    return pa.schema(
        [(name, types[kind]) for name, (kind, _) in columns.items() if name != PARTITION]
    )


def partition_dir(out_dir: Path, table: str, athlete: str) -> Path:
    """``<out>/<table>/athlete=<name>``, the name %-encoded as Hive readers decode it."""
    return out_dir / table / f"{PARTITION}={urllib.parse.quote(athlete, safe='')}"


def write_partition(
    out_dir: Path,
    table: str,
    frame: pd.DataFrame,
    columns: Mapping[str, tuple[str, str]],
    athlete: str,
) -> Path:
    """One athlete's rows as one Parquet file, replaced atomically."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder = partition_dir(out_dir, table, athlete)
    folder.mkdir(parents=True, exist_ok=True)
    data = pa.Table.from_pandas(
        frame.drop(columns=[PARTITION]), schema=arrow_schema(columns), preserve_index=False
    )
    target = folder / "part-0.parquet"
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=".part-", suffix=".tmp")
    os.close(handle)
    try:
        pq.write_table(data, temporary)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    return target


def read_table(out_dir: Path, table: str) -> pd.DataFrame:
    """A written table back as one pandas frame (pyarrow engine), athlete as text, sorted."""
    columns = SESSION_COLUMNS if table == SESSIONS else WEEK_COLUMNS
    folder = out_dir / table
    if not folder.is_dir() or not any(folder.iterdir()):
        return _frame([], columns)
    frame = pd.read_parquet(folder, engine="pyarrow", dtype_backend="numpy_nullable")
    frame[PARTITION] = frame[PARTITION].astype(str).astype("string")
    frame = frame[list(columns)]
    order = (
        [PARTITION, "start_utc", "activity_id"] if table == SESSIONS else [PARTITION, "week_start"]
    )
    return frame.sort_values(order, kind="stable").reset_index(drop=True)


# --------------------------------------------------------------------------- the Dask pipeline


@dataclass(frozen=True, slots=True)
class AthleteJob:
    """What a worker needs for one athlete (picklable: it travels to the workers)."""

    name: str
    config: Config
    #: the athlete's data directory, if it holds user data (shoes, pain diary)
    home: Path | None
    unreadable: tuple[tuple[str, str], ...]
    as_of: date
    latest: date | None


@dataclass(frozen=True, slots=True)
class AthleteDone:
    """What a worker reports back for one athlete."""

    name: str
    files: int
    sessions: int
    weeks: int
    problems: int
    #: the worker process, its peak resident size and CPU seconds so far, for the benchmark
    pid: int
    peak_rss_kib: int
    cpu_s: float = 0.0
    error: str | None = None


@dataclass(frozen=True, slots=True)
class CohortResult:
    out_dir: Path
    scheduler: str
    athletes: tuple[AthleteDone, ...]

    @property
    def sessions(self) -> int:
        return sum(a.sessions for a in self.athletes)

    @property
    def weeks(self) -> int:
        return sum(a.weeks for a in self.athletes)

    @property
    def files(self) -> int:
        return sum(a.files for a in self.athletes)

    @property
    def failed(self) -> tuple[AthleteDone, ...]:
        return tuple(a for a in self.athletes if a.error is not None)


Item = tuple[AthleteJob, SourceFile | None]
Parsed = tuple[AthleteJob, SourceFile | None, FileResult | None]


def parse_item(item: Item) -> Parsed:
    """The per-file step: ``parse_source``, exactly as the single-runner import runs it."""
    job, source = item
    if source is None:  # the marker that keeps an athlete with no files in the bag
        return job, None, None
    return job, source, parse_source(source, job.config.timezone, job.config.units.value)


def athlete_partition(items: Iterable[Parsed], out_dir: str) -> list[AthleteDone]:
    """The per-partition step: each athlete's assembly, tables and Parquet files.

    A list, not a generator: a partition's result travels back between processes.
    """
    grouped: dict[str, tuple[AthleteJob, list[SourceFile], dict[str, FileResult]]] = {}
    for job, source, result in items:
        _job, sources, results = grouped.setdefault(job.name, (job, [], {}))
        if source is not None and result is not None:
            sources.append(source)
            results[str(source.path)] = result
    return [
        _athlete(job, sources, results, Path(out_dir)) for job, sources, results in grouped.values()
    ]


def _athlete(
    job: AthleteJob, sources: list[SourceFile], results: dict[str, FileResult], out_dir: Path
) -> AthleteDone:
    sessions = weeks = problems = 0
    error = None
    try:
        sources.sort(key=lambda s: s.display)  # the order discover gives, whatever the bag's
        assembled = assemble(sources, job.unreadable, results, config=job.config, latest=job.latest)
        problems = len(assembled.problems)
        collection = Collection(assembled.activities, gear=assembled.gear)
        session_rows, week_rows = exposure_tables(
            job.name, assembled.activities, job.config, job.as_of, _user_inputs(job, collection)
        )
        write_partition(out_dir, SESSIONS, session_rows, SESSION_COLUMNS, job.name)
        write_partition(out_dir, WEEKS, week_rows, WEEK_COLUMNS, job.name)
        sessions, weeks = len(session_rows), len(week_rows)
    except LoadwatchError as exc:
        error = str(exc)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return AthleteDone(
        job.name,
        len(sources),
        sessions,
        weeks,
        problems,
        os.getpid(),
        peak_rss_kib(),
        usage.ru_utime + usage.ru_stime,
        error,
    )


def peak_rss_kib() -> int:
    """This process's peak resident size so far, in KiB.

    Linux's ``VmHWM`` belongs to the address space, which ``exec`` replaces, so a
    spawned worker reports its own peak; ``ru_maxrss`` is kept across ``exec`` and
    would report the parent's size at the fork, so it is only the fallback.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


def _user_inputs(job: AthleteJob, collection: Collection) -> dict[str, Any]:
    """The rules' user inputs as a single runner's command loads them, from the athlete's data.

    An athlete without user data gets a scratch one, so the exports' gear is taken
    exactly as for a single runner and nothing is left behind.
    """
    if job.home is not None:
        return analysis.load_snapshot(collection, job.config, job.as_of, job.home).rule_inputs
    with tempfile.TemporaryDirectory(prefix="loadwatch-cohort-") as scratch:
        snapshot = analysis.load_snapshot(collection, job.config, job.as_of, Path(scratch))
        return snapshot.rule_inputs


def plan(
    athletes: Sequence[Athlete], home: Path, as_of: date, latest: date | None
) -> list[tuple[AthleteJob, list[SourceFile]]]:
    """Each athlete's job and files, found on this machine before anything is sent out."""
    planned = []
    for athlete in athletes:
        sources, unreadable = discover([athlete.folder])
        own = athlete.home(home)
        has_data = (own / "userdata.sqlite").is_file()
        job = AthleteJob(
            athlete.name,
            athlete.config,
            own.resolve() if has_data else None,
            tuple(unreadable),
            as_of,
            latest,
        )
        planned.append((job, sources))
    return planned


def build_bag(planned: Sequence[tuple[AthleteJob, Sequence[SourceFile]]], out_dir: Path) -> db.Bag:
    """The Dask graph: a bag of every file, one partition per athlete, parsed then grouped.

    The bag is made from its partitions directly (``dask.bag.Bag``) rather than with
    ``from_sequence``, which would hash every file's description to name the graph.
    """
    import dask.bag as db

    name = f"loadwatch-files-{uuid.uuid4().hex}"
    graph: dict[Key, list[Item]] = {
        (name, index): [(job, s) for s in sources] or [(job, None)]
        for index, (job, sources) in enumerate(planned)
    }
    files = db.Bag(graph, name, len(planned))
    # Bag.map and map_partitions are unannotated in dask: what they make is a Bag
    return cast("db.Bag", files.map(parse_item).map_partitions(athlete_partition, str(out_dir)))


def run_cohort(
    root: Path,
    *,
    out_dir: Path,
    home: Path,
    as_of: date,
    config_path: Path | None = None,
    scheduler: str = "processes",
    workers: int | None = None,
    latest: date | None = None,
    progress: bool = False,
    connect_timeout_s: float = 30.0,
) -> CohortResult:
    """Build the cohort's tables under ``out_dir`` with the chosen Dask scheduler.

    ``scheduler`` is ``synchronous`` (one process, for tests and debugging),
    ``processes`` (``workers`` local processes, default this machine's cores) or the
    address of a running Dask scheduler (``tcp://host:8786``). The root, ``home`` and
    ``out_dir`` must be paths every worker can read and write (a shared file system
    on a cluster). ``progress`` shows Dask's own progress bar on stderr.
    """
    _dask()
    athletes = load_roster(root, config_path)
    out_dir = out_dir.expanduser().resolve()
    _prepare(out_dir)
    planned = plan(athletes, home.expanduser(), as_of, latest)
    bag = build_bag(planned, out_dir)
    done = _compute(bag, scheduler, workers, progress, connect_timeout_s)
    done = sorted(done, key=lambda a: a.name)
    result = CohortResult(out_dir, scheduler, tuple(done))
    _manifest(result, as_of)
    return result


def _dask() -> None:
    try:
        import dask  # noqa: F401
        import pyarrow  # noqa: F401
    except ImportError:
        raise UsageError(
            "the cohort tables need Dask and pyarrow: pip install 'loadwatch[cohort]'"
        ) from None


def _prepare(out_dir: Path) -> None:
    """An empty folder, or one a previous cohort run wrote (its tables are replaced)."""
    if out_dir.exists() and not out_dir.is_dir():
        raise UsageError(f"--out is a file, not a folder: {out_dir}")
    if out_dir.is_dir() and any(out_dir.iterdir()):
        if not (out_dir / MANIFEST).is_file():
            raise UsageError(
                f"{out_dir} holds other files; give an empty or new folder for the cohort tables"
            )
        for table in (SESSIONS, WEEKS):
            shutil.rmtree(out_dir / table, ignore_errors=True)
        (out_dir / MANIFEST).unlink()
    out_dir.mkdir(parents=True, exist_ok=True)


def _compute(
    bag: db.Bag, scheduler: str, workers: int | None, progress: bool, connect_timeout_s: float
) -> list[AthleteDone]:
    if scheduler in SCHEDULERS:
        options: dict[str, Any] = {"scheduler": scheduler}
        if scheduler == "processes":
            options["num_workers"] = workers or os.cpu_count() or 1
        if not progress:
            return list(bag.compute(**options))
        # from the module that defines it: dask.diagnostics does not re-export it for mypy
        from dask.diagnostics.progress import ProgressBar

        with ProgressBar(out=sys.stderr):
            return list(bag.compute(**options))
    if not scheduler.startswith(("tcp://", "tls://", "inproc://", "ucx://")):
        raise UsageError(
            f"--scheduler must be synchronous, processes or a Dask scheduler's "
            f"address like tcp://host:8786, not '{scheduler}'"
        )
    from distributed import Client
    from distributed import progress as show

    try:
        client = Client(scheduler, timeout=f"{connect_timeout_s:g}s", set_as_default=False)
    except OSError as exc:
        raise UsageError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from None
    with client:
        future = client.compute(bag)
        if progress:
            # distributed's bar writes to stdout; the tables' summary owns stdout
            with contextlib.redirect_stdout(sys.stderr):
                show(future)
        return list(future.result())


def _manifest(result: CohortResult, as_of: date) -> None:
    data = {
        "loadwatch": __version__,
        "as_of": as_of.isoformat(),
        "scheduler": result.scheduler,
        "tables": {
            SESSIONS: {name: text for name, (_k, text) in SESSION_COLUMNS.items()},
            WEEKS: {name: text for name, (_k, text) in WEEK_COLUMNS.items()},
        },
        "athletes": [
            {
                "name": a.name,
                "files": a.files,
                "sessions": a.sessions,
                "weeks": a.weeks,
                "problems": a.problems,
                "error": a.error,
            }
            for a in result.athletes
        ],
    }
    target = result.out_dir / MANIFEST
    target.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def summarise(out_dir: Path) -> dict[str, Any]:
    """What the written tables hold, read back with pandas: counts for the terminal."""
    sessions = read_table(out_dir, SESSIONS)
    weeks = read_table(out_dir, WEEKS)
    runs = sessions[sessions["sport"] == "run"]
    categories = runs["spike_category"].value_counts(dropna=True)
    return {
        "athletes": int(weeks[PARTITION].nunique()) if len(weeks) else 0,
        "sessions": len(sessions),
        "runs": len(runs),
        "athlete_weeks": len(weeks),
        "spike_categories": {
            name: int(categories.get(name, 0))
            for name in ("reference", "small", "moderate", "large")
        },
        "first_day": None if sessions.empty else sessions["start_local"].min().date().isoformat(),
        "last_day": None if sessions.empty else sessions["start_local"].max().date().isoformat(),
    }


def default_latest(as_of: date, today: date) -> date:
    """The last plausible start date: a day after today or ``as_of``, as for one runner."""
    return max(today, as_of) + timedelta(days=1)
