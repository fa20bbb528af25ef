#!/usr/bin/env python
"""The reliability campaign behind RELIABILITY.md: hostile input, crashes, overlapping runs.

The one command for the long campaign (20,000 fuzzed cases per format from every
real file of the corpus, every truncation offset of six real FIT files, the
resource bombs at full size, 200 kills, 1,000 damaged caches, a 200 MB GPX), which
prints the figures and writes them into RELIABILITY.md::

    python scripts/reliability_campaign.py --write

``--quick`` runs the CI-sized subset, the size the test suite uses. Either way the
command runs ``tests/test_reliability_*.py`` with ``LOADWATCH_CAMPAIGN`` set to the
size, and each test records its figures into a file this command collects.

This module also holds what those tests share: the case generators (truncations,
FIT mutations that keep CRCs valid, text mutations with hostile numbers, times and
bytes, hostile XML, generated GPX/TCX/CSV documents and export folders) and the
judge. A byte-level case passes when the importers (the pipeline's own
``parse_bytes`` and ``settle``) import activities that are sound and inside the
plausibility table, or refuse the file with a one-line reason, within 2 s and
200 MB; for FIT, whatever the fast summary path accepts must also be exactly what
fitparse gives. Anything else (another exception, a multi-line reason, a NaN,
negative or impossible number, an activity the cache or the JSON output cannot
round-trip, a file with no activity and no reason, a disagreement between the two
FIT readers, a timeout, a memory bomb) is a failure, listed with the case that
caused it.
"""

from __future__ import annotations

import argparse
import dataclasses
import gzip
import json
import math
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import time
import unicodedata
import zipfile
import zlib
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import FrameType
from zoneinfo import ZoneInfo

PROJECT = Path(__file__).resolve().parent.parent
if str(PROJECT) not in sys.path:  # run as a script from a source checkout
    sys.path.insert(0, str(PROJECT))

from loadwatch.errors import LoadwatchError  # noqa: E402
from loadwatch.ingest.importers import ParseContext, fitfast, parse_unguarded  # noqa: E402
from loadwatch.ingest.importers.fit import fit_crc  # noqa: E402
from loadwatch.ingest.importers.fit import parse as fit_reference  # noqa: E402
from loadwatch.ingest.importers.fitprofile import FIT_EPOCH  # noqa: E402
from loadwatch.ingest.parse import LATEST_START_YEAR, MAX_TEXT, FileResult, settle  # noqa: E402
from loadwatch.ingest.plausibility import Implausible  # noqa: E402
from loadwatch.ingest.plausibility import check as plausible  # noqa: E402
from loadwatch.model import Activity, ParsedFile  # noqa: E402

#: the importers as the pipeline calls them, less its net for overflows and index
#: errors (``importers.parse_bytes``): the campaign must see such a case, not its reason
parse_bytes = parse_unguarded

#: the shared corpus sits beside the project and is read in place
CORPUS = PROJECT.parent / "shared" / "corpus"
RELIABILITY_MD = PROJECT / "RELIABILITY.md"
#: set to ``long`` to run the long campaign from the test suite
MODE_ENV = "LOADWATCH_CAMPAIGN"
#: a file the campaign tests append their figures to (set by the command)
FIGURES_ENV = "LOADWATCH_CAMPAIGN_FIGURES"
#: processes the byte-level classes may use (default: the cores, at most 4)
WORKERS_ENV = "LOADWATCH_CAMPAIGN_WORKERS"
#: no single case may take longer than this (the importers must never hang)
CASE_BUDGET_S = 2.0
#: nor make its process grow by more than this (peak resident memory)
CASE_MEMORY_MB = 200.0
#: the slower reference reading of a FIT file (fitparse, to compare the fast path
#: with) is not what a user waits for, but must not hang either
REFERENCE_BUDGET_S = 20.0
#: how much of a failing case's description a report keeps
_SHOWN = 160

# Time zones at the edges of the offset range, and one with DST: local wall
# times of extreme dates must not overflow in any of them.
ZONES = tuple(
    ZoneInfo(z)
    for z in ("UTC", "Pacific/Kiritimati", "Pacific/Pago_Pago", "Europe/Berlin", "America/St_Johns")
)


# ------------------------------------------------------------------ sizes


@dataclass(frozen=True, slots=True)
class Scale:
    """How many cases each class gets."""

    name: str
    #: fuzzed cases per format
    fuzz: int
    #: FIT files truncated at every offset (names in the corpus)
    fit_truncated: tuple[str, ...]
    #: FIT files truncated at every ``stride``-th offset (plus the last 256 bytes)
    fit_sampled: tuple[tuple[str, int], ...]
    #: points in the generated GPX/TCX documents truncated at every offset
    xml_points: tuple[int, ...]
    #: rows in the generated CSV documents truncated at every offset
    csv_rows: int
    #: damaged copies of a cache database imported over
    cache_cases: int
    #: imports killed with SIGKILL at random moments
    kills: int
    #: pairs of imports started at the same moment on one data folder
    overlaps: int
    #: size of the generated large GPX, in MB
    big_gpx_mb: int
    #: fuzzing seeds from the corpus: a few small files, or every real file of a format
    every_corpus_file: bool = False
    #: resource bombs at the size the second campaign sent them, or smaller
    full_bombs: bool = False


QUICK = Scale(
    name="quick",
    fuzz=300,
    fit_truncated=("fitparse__Activity.fit",),
    fit_sampled=(
        ("fitparse__garmin-fenix-5-run.fit", 29),
        ("fitparse__garmin-edge-820-bike.fit", 41),
    ),
    xml_points=(12,),
    csv_rows=6,
    cache_cases=60,
    kills=20,
    overlaps=3,
    big_gpx_mb=12,
)
LONG = Scale(
    name="long",
    fuzz=20_000,
    fit_truncated=(
        "fitparse__Activity.fit",
        "fitparse__nametest.FIT",
        "fitparse__garmin-fenix-5-run.fit",
        "fitparse__garmin-fenix-5-bike.fit",
        "fitparse__garmin-edge-820-bike.fit",
        "sweatpy__2020-06-01-16-52-40.fit",
    ),
    fit_sampled=(("runpandas__run.fit", 61),),
    xml_points=(12, 60, 240),
    csv_rows=40,
    cache_cases=1_000,
    kills=200,
    overlaps=20,
    big_gpx_mb=200,
    every_corpus_file=True,
    full_bombs=True,
)


def scale_from_env() -> Scale:
    return LONG if os.environ.get(MODE_ENV, "").strip().lower() == "long" else QUICK


# ------------------------------------------------------------------ judging one case


class CaseTimeout(BaseException):
    """A case ran past its budget (a BaseException, so no importer can swallow it)."""


def _on_alarm(_signum: int, _frame: FrameType | None) -> None:
    raise CaseTimeout


@dataclass(slots=True)
class Tally:
    """What one class of cases gave."""

    klass: str
    cases: int = 0
    imported: int = 0
    #: CSVs read without a data row: nothing to import, nothing wrong
    empty: int = 0
    refused: int = 0
    failures: list[str] = field(default_factory=list)
    reasons: Counter[str] = field(default_factory=Counter)
    slowest_s: float = 0.0
    seconds: float = 0.0
    #: the largest growth of peak resident memory of one case, MB (None: not measured)
    peak_mb: float | None = None

    def add(self, other: Tally) -> None:
        self.cases += other.cases
        self.imported += other.imported
        self.empty += other.empty
        self.refused += other.refused
        self.failures.extend(other.failures)
        self.reasons.update(other.reasons)
        self.slowest_s = max(self.slowest_s, other.slowest_s)
        self.seconds += other.seconds
        if other.peak_mb is not None:
            self.peak_mb = max(self.peak_mb or 0.0, other.peak_mb)

    @property
    def ok(self) -> bool:
        return not self.failures and self.cases > 0


def _reason_family(reason: str) -> str:
    # Numbers and quoted text vary per case; the family of reasons is what is counted.
    family = re.sub(r"'[^']*'|\"[^\"]*\"|<[^>]*>", "…", reason)
    return re.sub(r"\d+", "N", family)[:90]


def one_line(text: str) -> bool:
    return bool(text.strip()) and text.isprintable() and len(text) <= 600


_NUMBERS = ("distance_m", "duration_s", "elapsed_s", "ascent_m", "avg_cadence_spm")


def activity_faults(activity: Activity) -> list[str]:
    """What is wrong with an imported activity (empty when it is sound)."""
    faults = []
    for name in _NUMBERS:
        value = getattr(activity, name)
        if value is None:
            continue
        if not isinstance(value, float) or not math.isfinite(value) or value < 0:
            faults.append(f"{name}={value!r}")
    try:
        json.dumps(activity.to_dict(), allow_nan=False)
        back = Activity.from_record(json.loads(json.dumps(activity.to_record())))
    except (TypeError, ValueError, OverflowError) as exc:
        faults.append(f"does not round-trip ({type(exc).__name__}: {exc})")
    else:
        if back != activity:
            faults.append("cache record does not round-trip")
    for name in _TEXTS:
        value = getattr(activity, name)
        if value is not None and not isinstance(value, str):
            faults.append(f"{name} is {type(value).__name__}")
    return faults


_TEXTS = ("name", "device", "shoe", "sport_detail")


def stored_faults(activity: Activity) -> list[str]:
    """What is wrong with an activity as the pipeline would store it."""
    faults = []
    for name in _TEXTS:
        value = getattr(activity, name)
        if value is not None and (len(value) > MAX_TEXT or any(_unsafe(c) for c in value)):
            faults.append(f"{name} is unsafe to print: {value[:40]!r}")
    if activity.start_utc.year > LATEST_START_YEAR:
        faults.append(f"starts in {activity.start_utc.year}")
    # what is stored must already be inside the plausibility table, unchanged by it
    try:
        if plausible(activity) != activity:
            faults.append("outside the plausibility table (check would still repair it)")
    except Implausible as exc:
        faults.append(f"outside the plausibility table: {exc}")
    return faults


def _unsafe(char: str) -> bool:
    return (
        unicodedata.category(char) in ("Cc", "Cs", "Zl", "Zp")
        or "\u202a" <= char <= "\u202e"
        or "\u2066" <= char <= "\u2069"
    )


def _outcome(
    parse: Callable[[bytes, ParseContext], ParsedFile], data: bytes, ctx: ParseContext
) -> tuple[str, object]:
    """('ok', ParsedFile) | ('refused', LoadwatchError) | ('crash', Exception)."""
    try:
        return "ok", parse(data, ctx)
    except LoadwatchError as exc:
        return "refused", exc
    except Exception as exc:  # noqa: BLE001 - the campaign exists to catch these
        return "crash", exc


def _fingerprint(kind: str, value: object) -> object:
    if kind == "ok":
        assert isinstance(value, ParsedFile)
        return (tuple(a.to_record().items() for a in value.activities), tuple(value.warnings))
    return (type(value).__name__, str(value))


class _Budget:
    """Timer signals that end a case (raising ``CaseTimeout``).

    The budget is the case's own processor time (``ITIMER_PROF``): on a shared
    two-core machine another program can double any wall-clock time, and a busy
    neighbour must not count against a file. A case that stops using the processor
    without ending (a hang in a wait) is stopped by the wall clock at
    ``WALL_FACTOR`` times the budget.
    """

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds

    def __enter__(self) -> None:
        self._previous = (
            signal.signal(signal.SIGPROF, _on_alarm),
            signal.signal(signal.SIGALRM, _on_alarm),
        )
        signal.setitimer(signal.ITIMER_PROF, self.seconds)
        signal.setitimer(signal.ITIMER_REAL, self.seconds * WALL_FACTOR)

    def __exit__(self, *exc_info: object) -> None:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGPROF, self._previous[0])
        signal.signal(signal.SIGALRM, self._previous[1])


#: how much longer than its processor-time budget a case may take by the wall clock
WALL_FACTOR = 5.0


def _status_kb(key: str) -> int | None:
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith(key):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def reset_peak_memory() -> int | None:
    """Start measuring peak memory afresh; the resident size now, kB (None: not on Linux).

    Writing 5 to ``clear_refs`` resets the kernel's high-water mark (``VmHWM``)
    to the current resident size, so each case's own peak can be read after it.
    """
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as refs:
            refs.write("5")
    except OSError:
        return None
    return _status_kb("VmRSS:")


def peak_growth_mb(start_kb: int | None) -> float | None:
    """How far the peak resident size rose above ``start_kb`` since the reset, MB."""
    peak = _status_kb("VmHWM:") if start_kb is not None else None
    return None if peak is None or start_kb is None else max(0, peak - start_kb) / 1024


def _declined(data: bytes, ctx: ParseContext) -> tuple[str, object]:
    """The fast FIT path's own outcome, or ('declined', None) when it leaves the file."""
    try:
        return "ok", fitfast.parse(data, ctx)
    except fitfast.FastPathDeclined:
        return "declined", None
    except LoadwatchError as exc:
        return "refused", exc
    except Exception as exc:  # noqa: BLE001 - the campaign exists to catch these
        return "crash", exc


def judge(
    tally: Tally,
    label: str,
    data: bytes,
    name: str,
    zone: ZoneInfo,
    *,
    both_fit_readers: bool = False,
) -> None:
    """Run one case through the importers and add its outcome to ``tally``.

    The pipeline's reading (``parse_bytes`` and ``settle``, what a user waits for)
    must end within ``CASE_BUDGET_S`` and grow the process by at most
    ``CASE_MEMORY_MB``. For FIT, whatever the fast path accepts must then be
    exactly what fitparse gives (chained files included).
    """
    ctx = ParseContext(source=name, zone=zone)
    problem: str | None = None
    start_kb = reset_peak_memory()
    started = time.process_time()
    settled: FileResult | None = None
    try:
        with _Budget(CASE_BUDGET_S):
            kind, value = _outcome(parse_bytes, data, ctx)
            if kind == "ok":
                assert isinstance(value, ParsedFile)
                if not [f for a in value.activities for f in activity_faults(a)]:
                    settled = settle(value, name)
    except CaseTimeout:
        kind, value = "timeout", None
    spent = time.process_time() - started
    grown = peak_growth_mb(start_kb)
    tally.cases += 1
    tally.seconds += spent
    tally.slowest_s = max(tally.slowest_s, spent)
    if grown is not None:
        tally.peak_mb = max(tally.peak_mb or 0.0, grown)
        if grown > CASE_MEMORY_MB:
            problem = f"grew the process by {grown:.0f} MB"
    if both_fit_readers and data[8:12] == b".FIT" and kind != "timeout":
        disagreement = _compare_fit_readers(data, ctx)
        if disagreement:
            tally.failures.append(f"{label}: {disagreement}"[: _SHOWN * 2])
    if kind == "timeout":
        problem = f"took more than {CASE_BUDGET_S:g} s"
    elif kind == "crash":
        problem = f"{type(value).__name__}: {value}"
    elif kind == "refused":
        assert isinstance(value, LoadwatchError)
        if one_line(value.reason):
            tally.refused += 1
            tally.reasons[_reason_family(value.reason)] += 1
        else:
            problem = f"reason is not one printable line: {value.reason!r}"
    else:
        assert isinstance(value, ParsedFile)
        faults = [f"warning {w!r}" for w in value.warnings if not one_line(w)]
        faults += [f for a in value.activities for f in activity_faults(a)]
        # what the pipeline stores: implausible values left out, file text tidied
        stored = settled if settled is not None and not faults else FileResult()
        faults += [f for a in stored.activities for f in stored_faults(a)]
        faults += [f"reason {p.reason!r}" for p in stored.problems if not one_line(p.reason)]
        refused = [p.reason for p in stored.problems if p.kind == "skipped"]
        if faults:
            problem = "; ".join(faults)
        elif stored.activities or stored.gear:
            # a shoe list is a file that yields what it holds: pairs, not runs
            tally.imported += 1
        elif refused:
            tally.refused += 1
            tally.reasons[_reason_family(refused[0])] += 1
        else:
            # every file yields activities or a one-line reason, a CSV included
            problem = "no activity and no reason"

    if problem is not None:
        tally.failures.append(f"{label}: {problem}"[: _SHOWN * 2])


def _compare_fit_readers(data: bytes, ctx: ParseContext) -> str | None:
    """Why the fast FIT path and fitparse disagree on ``data``, if they do."""
    try:
        with _Budget(REFERENCE_BUDGET_S):
            fast = _declined(data, ctx)
            if fast[0] == "declined":
                return None
            reference = _outcome(fit_reference, data, ctx)
    except CaseTimeout:
        return f"reading it twice to compare took more than {REFERENCE_BUDGET_S:g} s"
    if _fingerprint(*fast) != _fingerprint(*reference):
        return (
            f"fast FIT path disagrees with fitparse ({fast[0]} vs {reference[0]}: "
            f"{str(fast[1])[:80]} / {str(reference[1])[:80]})"
        )
    return None


# ------------------------------------------------------------------ seed documents


def corpus_bytes(name: str) -> bytes:
    return (CORPUS / name).read_bytes()


_START = datetime(2024, 3, 2, 7, 44, 55, tzinfo=UTC)


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def gpx_document(points: int, *, seed: int = 0, start: datetime = _START) -> bytes:
    """A run as a watch app writes it: metadata, one track in two segments, extensions."""
    rng = random.Random(seed)
    lat, lon, ele = 46.05, 14.5, 300.0
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<gpx version="1.1" creator="Campaign Watch 1.0" '
        'xmlns="http://www.topografix.com/GPX/1/1" '
        'xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1">\n'
        f"<metadata><name>Morning Run</name><time>{_iso(start)}</time></metadata>\n"
        '<wpt lat="46.05" lon="14.5"><name>Start</name></wpt>\n'
        "<trk><name>Morning Run</name><type>running</type><trkseg>\n"
    ]
    for i in range(points):
        if i == points // 2:
            parts.append("</trkseg><trkseg>\n")
        lat += 0.0001 + rng.random() * 0.0001
        lon += rng.random() * 0.0001
        ele += rng.uniform(-1.0, 1.2)
        moment = start + timedelta(seconds=5 * i)
        parts.append(
            f'<trkpt lat="{lat:.6f}" lon="{lon:.6f}"><ele>{ele:.1f}</ele>'
            f"<time>{_iso(moment)}</time><extensions><gpxtpx:TrackPointExtension>"
            f"<gpxtpx:hr>{140 + i % 20}</gpxtpx:hr><gpxtpx:cad>{84 + i % 5}</gpxtpx:cad>"
            "</gpxtpx:TrackPointExtension></extensions></trkpt>\n"
        )
    parts.append("</trkseg></trk>\n</gpx>\n")
    return "".join(parts).encode()


def tcx_document(points: int, *, seed: int = 0, start: datetime = _START) -> bytes:
    """A run in two laps as Garmin Training Center writes it."""
    rng = random.Random(seed)
    lat, lon, alt, dist = 51.5, -0.1, 20.0, 0.0
    half = max(1, points // 2)
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/'
        'TrainingCenterDatabase/v2" xmlns:ns3="http://www.garmin.com/xmlschemas/'
        'ActivityExtension/v2">\n<Activities><Activity Sport="Running">'
        f"<Id>{_iso(start)}</Id>\n"
    ]
    for lap in range(2):
        lap_start = start + timedelta(seconds=5 * half * lap)
        parts.append(
            f'<Lap StartTime="{_iso(lap_start)}"><TotalTimeSeconds>{5.0 * half:.1f}'
            f"</TotalTimeSeconds><DistanceMeters>{15.0 * half:.1f}</DistanceMeters>"
            "<Calories>40</Calories><Intensity>Active</Intensity>"
            "<TriggerMethod>Manual</TriggerMethod><Track>\n"
        )
        for i in range(half):
            lat += 0.0001 + rng.random() * 0.00005
            lon += rng.random() * 0.0001
            alt += rng.uniform(-1.0, 1.2)
            dist += 15.0
            moment = lap_start + timedelta(seconds=5 * i)
            parts.append(
                f"<Trackpoint><Time>{_iso(moment)}</Time><Position>"
                f"<LatitudeDegrees>{lat:.6f}</LatitudeDegrees>"
                f"<LongitudeDegrees>{lon:.6f}</LongitudeDegrees></Position>"
                f"<AltitudeMeters>{alt:.1f}</AltitudeMeters>"
                f"<DistanceMeters>{dist:.1f}</DistanceMeters>"
                f"<HeartRateBpm><Value>{140 + i % 20}</Value></HeartRateBpm>"
                f"<Extensions><ns3:TPX><ns3:RunCadence>{84 + i % 5}</ns3:RunCadence>"
                "</ns3:TPX></Extensions></Trackpoint>\n"
            )
        parts.append("</Track></Lap>\n")
    parts.append(
        "<Creator><Name>Forerunner 255</Name></Creator></Activity></Activities>\n"
        "</TrainingCenterDatabase>\n"
    )
    return "".join(parts).encode()


_GARMIN_EN = (
    "Activity Type,Date,Title,Distance,Time,Avg Run Cadence,Total Ascent,"
    "Avg Stride Length,Steps,Moving Time,Elapsed Time"
)
_GARMIN_DE = (
    "Aktivitätstyp;Datum;Titel;Distanz;Zeit;Ø Laufkadenz;Anstieg gesamt;"
    "Ø Schrittlänge;Schritte;Zeit in Bewegung;Verstrichene Zeit"
)
_STRAVA = (
    "Activity ID,Activity Date,Activity Name,Activity Type,Elapsed Time,Distance,"
    "Activity Gear,Filename,Elapsed Time,Moving Time,Distance,Elevation Gain,"
    "Average Cadence"
)


def csv_documents(rows: int, *, seed: int = 0) -> dict[str, bytes]:
    """The CSV kinds loadwatch reads, each in the encodings and locales they arrive in."""
    rng = random.Random(seed)
    manual = ["date,distance_km,duration,sport,surface,shoe,name,ascent_m"]
    garmin = [_GARMIN_EN]
    german = [_GARMIN_DE]
    strava = [_STRAVA]
    for row in range(rows):
        day = _START + timedelta(days=2 * row, minutes=rng.randrange(600))
        km = round(rng.uniform(3.0, 21.0), 2)
        seconds = int(km * rng.uniform(280, 380))
        clock = f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"
        cadence = rng.randrange(160, 186)
        stride = round(km * 1000 / (cadence * seconds / 60), 2)
        steps = int(cadence * seconds / 60)
        manual.append(
            f"{day:%Y-%m-%d %H:%M},{km},{clock},run,"
            f"{rng.choice(['road', 'trail', 'treadmill', ''])},Pegasus 40,"
            f"Run {row},{rng.randrange(0, 300)}"
        )
        garmin.append(
            f'Running,{day:%Y-%m-%d %H:%M:%S},"Run {row}","{km}",{clock},{cadence},'
            f'{rng.randrange(0, 300)},{stride},"{steps:,}",{clock},{clock}'
        )
        german.append(
            f"Laufen;{day:%d.%m.%Y %H:%M};Lauf {row};{str(km).replace('.', ',')};"
            f"{clock};{cadence};{rng.randrange(0, 300)};"
            f"{str(stride).replace('.', ',')};{steps};{clock};{clock}"
        )
        strava.append(
            f'{1000 + row},"{day:%b %d, %Y, %I:%M:%S %p}",Run {row},Run,{seconds},'
            f"{km},Pegasus 40,activities/{1000 + row}.fit.gz,{seconds}.0,{seconds}.0,"
            f"{km * 1000:.1f},{rng.randrange(0, 300)}.0,{cadence / 2:.1f}"
        )
    text = {
        k: "\n".join(v) + "\n"
        for k, v in (("manual", manual), ("garmin", garmin), ("german", german), ("strava", strava))
    }
    return {
        "log.csv": text["manual"].encode(),
        "Activities.csv": text["garmin"].encode(),
        "Aktivitaeten.csv": text["german"].encode("cp1252"),
        "excel-utf16.csv": text["german"].replace(";", "\t").encode("utf-16"),
        "excel-bom.csv": text["manual"].encode("utf-8-sig"),
        "activities.csv": text["strava"].encode(),
    }


def build_exports(folder: Path, files: int) -> None:
    """A folder of exports as a runner keeps them, for whole-run tests: ``files`` runs a
    day apart in GPX, TCX, gzipped GPX and zipped TCX, a manual log, a real FIT file
    (a symlink into the corpus, read in place) and a copy that must merge with its twin.
    """
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(files):
        start = _START + timedelta(days=i, minutes=i % 90)
        kind = i % 6
        if kind == 3:
            (folder / f"run{i:04d}.tcx").write_bytes(tcx_document(24, seed=i, start=start))
            continue
        document = gpx_document(24, seed=i, start=start)
        if kind == 4:
            (folder / f"run{i:04d}.gpx.gz").write_bytes(gzip.compress(document, mtime=0))
        elif kind == 5:
            with zipfile.ZipFile(folder / f"run{i:04d}.zip", "w", zipfile.ZIP_DEFLATED) as z:
                z.writestr(f"export/run{i:04d}.tcx", tcx_document(24, seed=i, start=start))
        else:
            (folder / f"run{i:04d}.gpx").write_bytes(document)
    (folder / "copy of run0000.gpx").write_bytes(gpx_document(24, seed=0, start=_START))
    rows = [
        f"{(_START - timedelta(days=d)).date()},{5 + d},0:{25 + d}:00,run,treadmill"
        for d in range(1, 4)
    ]
    (folder / "treadmill.csv").write_text(
        "date,distance_km,duration,sport,surface\n" + "\n".join(rows) + "\n", encoding="utf-8"
    )
    (folder / "watch.fit").symlink_to(CORPUS / "fitparse__garmin-fenix-5-run.fit")
    # the runner's zone, so that runs of the CLI and in-process imports share the cache
    (folder / "loadwatch.toml").write_text('timezone = "UTC"\n', encoding="utf-8")


def write_big_gpx(path: Path, megabytes: int) -> int:
    """A single-track GPX of about ``megabytes`` MB, one point a second; returns the points.

    Written in slices, so the writer itself never holds the document. The pace
    sways from point to point as a GPS's does (a track at one exact speed reads as
    a planned route, not a recording).
    """
    # a comment per point, so that 200 MB are 6 days of one point a second: a long
    # ride, inside the plausibility table (a run or hike of 200 MB is not)
    template = (
        '<trkpt lat="{lat:.6f}" lon="{lon:.6f}"><ele>{ele:.1f}</ele><time>{time}</time>'
        f"<cmt>{'point logged by a bike computer, one a second, ' * 4}</cmt>"
        "<extensions><gpxtpx:TrackPointExtension><gpxtpx:hr>150</gpxtpx:hr>"
        "</gpxtpx:TrackPointExtension></extensions></trkpt>\n"
    )
    points = 0
    with path.open("w", encoding="utf-8") as handle:
        handle.write(
            '<?xml version="1.0" encoding="UTF-8"?>\n<gpx version="1.1" creator="big" '
            'xmlns="http://www.topografix.com/GPX/1/1" xmlns:gpxtpx="http://www.garmin'
            '.com/xmlschemas/TrackPointExtension/v1"><trk><name>Very long ride</name>'
            "<type>cycling</type><trkseg>\n"
        )
        while handle.tell() < megabytes * 2**20:
            handle.write(
                "".join(
                    template.format(
                        lat=46 + i * 1e-5 + (i * 7919 % 13) * 1e-6,
                        lon=14 + i * 1e-5,
                        ele=300 + i % 50,
                        time=_iso(_START + timedelta(seconds=i)),
                    )
                    for i in range(points, points + 2000)
                )
            )
            points += 2000
        handle.write("</trkseg></trk></gpx>\n")
    return points


# ------------------------------------------------------------------ FIT structure


@dataclass(slots=True)
class FitLayout:
    """Where the parts of a FIT file are, for mutations that keep it framed."""

    #: (offset of the CRC, first byte it covers) per chained sub-file
    crcs: list[tuple[int, int]] = field(default_factory=list)
    #: header offset and size, for header CRCs
    headers: list[tuple[int, int]] = field(default_factory=list)
    #: offset of every field-definition triple (number, size, base type)
    triples: list[int] = field(default_factory=list)
    #: offset of every definition message
    definitions: list[int] = field(default_factory=list)
    #: (global message number, field number, offset, size, big-endian) of data fields
    fields: list[tuple[int, int, int, int, bool]] = field(default_factory=list)
    #: (start, end, global message number, offset of its definition) of data messages
    messages: list[tuple[int, int, int, int]] = field(default_factory=list)


def fit_layout(data: bytes) -> FitLayout:
    """The layout of a well-formed FIT file (stops quietly at the first oddity)."""
    out = FitLayout()
    pos = 0
    while pos + 12 <= len(data) and data[pos + 8 : pos + 12] == b".FIT":
        header = data[pos]
        out.headers.append((pos, header))
        cursor = pos + header
        end = cursor + int.from_bytes(data[pos + 4 : pos + 8], "little")
        local: dict[int, tuple[int, bool, list[tuple[int, int]], int, int]] = {}
        while cursor < min(end, len(data)):
            head = data[cursor]
            if head & 0xC0 == 0x40:  # definition
                out.definitions.append(cursor)
                big = data[cursor + 2] == 1
                number = int.from_bytes(data[cursor + 3 : cursor + 5], "big" if big else "little")
                count = data[cursor + 5]
                layout = []
                for at in range(cursor + 6, cursor + 6 + 3 * count, 3):
                    out.triples.append(at)
                    layout.append((data[at], data[at + 1]))
                length = 6 + 3 * count
                dev_bytes = 0
                if head & 0x20:
                    dev_count = data[cursor + length]
                    dev_bytes = sum(data[cursor + length + 1 + 3 * i + 1] for i in range(dev_count))
                    length += 1 + 3 * dev_count
                local[head & 0x0F] = (number, big, layout, dev_bytes, cursor)
                cursor += length
                continue
            key = (head >> 5) & 0x3 if head & 0x80 else head & 0x0F
            if key not in local:
                break
            number, big, layout, dev_bytes, defined_at = local[key]
            at = cursor + 1
            for field_number, size in layout:
                out.fields.append((number, field_number, at, size, big))
                at += size
            out.messages.append((cursor, at + dev_bytes, number, defined_at))
            cursor = at + dev_bytes
        if end + 2 > len(data):
            break
        out.crcs.append((end, pos))
        pos = end + 2
    return out


def fix_crcs(data: bytearray, layout: FitLayout) -> None:
    """Recompute header and file CRCs, so a mutation is judged on its content."""
    for pos, header in layout.headers:
        if header >= 14 and pos + 14 <= len(data):
            data[pos + 12 : pos + 14] = fit_crc(bytes(data[pos : pos + 12])).to_bytes(2, "little")
    for at, start in layout.crcs:
        if at + 2 <= len(data):
            data[at : at + 2] = fit_crc(bytes(data[start:at])).to_bytes(2, "little")


_SESSION, _LAP, _RECORD, _ACTIVITY, _FILE_ID = 18, 19, 20, 34, 0


def _fit_seconds(year: int) -> int:
    return int(datetime(year, 1, 1, tzinfo=UTC).timestamp()) - FIT_EPOCH


# Moments that break naive code: the Unix epoch (as a FIT device-relative time), the
# FIT epoch, 2100, the last valid value and the invalid marker.
_FIT_TIMES = (
    0,
    1,
    0x0FFFFFFF,
    0x10000000,
    _fit_seconds(2100),
    _fit_seconds(2038),
    0xFFFFFFFE,
    0xFFFFFFFF,
)


def _aimed_at(kind: str, message: int, field_number: int) -> bool:
    """Whether a FIT mutation of ``kind`` targets this field of this message."""
    if kind == "huge number":
        return message in (_SESSION, _LAP, _RECORD, _ACTIVITY, _FILE_ID)
    if kind == "timestamp":  # any timestamp, a start time, an activity's local time
        return field_number in (253, 2) or (message == _ACTIVITY and field_number == 5)
    # starts, elapsed and timer times of sessions and laps
    return message in (_SESSION, _LAP) and field_number in (2, 7, 8, 253)


def reframe(data: bytearray) -> None:
    """Header and file CRCs recomputed along the chain, as each header's size now says."""
    pos = 0
    while pos + 12 <= len(data) and data[pos + 8 : pos + 12] == b".FIT":
        header = data[pos]
        if header >= 14 and pos + 14 <= len(data):
            data[pos + 12 : pos + 14] = fit_crc(bytes(data[pos : pos + 12])).to_bytes(2, "little")
        end = pos + max(header, 12) + int.from_bytes(data[pos + 4 : pos + 8], "little")
        if end + 2 > len(data):
            return
        data[end : end + 2] = fit_crc(bytes(data[pos:end])).to_bytes(2, "little")
        pos = end + 2


def _grow_first_file(data: bytearray, by: int) -> None:
    """Add ``by`` to the data size the first FIT header declares."""
    size = int.from_bytes(data[4:8], "little") + by
    data[4:8] = size.to_bytes(4, "little")


# global message numbers a definition is switched to: summary messages (a record
# definition turned into thousands of sessions), records, and unknown numbers
_GLOBAL_NUMBERS = (
    _SESSION,
    _LAP,
    _RECORD,
    _ACTIVITY,
    _FILE_ID,
    12,
    21,
    23,
    206,
    207,
    0xFFFE,
    0xFF00,
)


def _first_file_messages(layout: FitLayout) -> list[tuple[int, int, int, int]]:
    end = layout.crcs[0][0] if layout.crcs else 1 << 62
    return [m for m in layout.messages if m[1] <= end]


def _wide_definition(data: bytearray, layout: FitLayout, rng: random.Random) -> str:
    """One definition of the first file widened to 255 fields, its messages padded to match."""
    candidates = [
        d
        for d in layout.definitions
        if not data[d] & 0x20 and any(m[3] == d for m in _first_file_messages(layout))
    ]
    if not candidates:
        return " (no definition)"
    at = rng.choice(candidates)
    count = data[at + 5]
    governed = [m for m in _first_file_messages(layout) if m[3] == at]
    size = rng.choice((1, 2, 4, 16))
    extra = 255 - count
    # a hostile file may well be huge, but a case must stay a few MB to be read at all
    while size > 1 and extra * size * len(governed) > 4 * 2**20:
        size //= 2
    base = rng.choice((0x02, 0x0D, 0x84, 0x86)) if size in (2, 4) else 0x0D
    if size == 2 and base == 0x86:
        base = 0x84
    triples = b"".join(bytes((100 + i % 150, size, base)) for i in range(extra))
    padding = bytes(rng.randrange(256) for _ in range(extra * size))
    # from the end, so earlier offsets stay valid
    grown = 0
    for start, end, _number, _defined in sorted(governed, reverse=True):
        del start
        data[end:end] = padding
        grown += len(padding)
    fields_end = at + 6 + 3 * count
    data[fields_end:fields_end] = triples
    data[at + 5] = 255
    _grow_first_file(data, grown + len(triples))
    return f" at {at}: {count}->255 fields of {size} bytes, {len(governed)} messages"


def _duplicate_sessions(data: bytearray, layout: FitLayout, rng: random.Random) -> str:
    sessions = [m for m in _first_file_messages(layout) if m[2] in (_SESSION, _LAP)]
    if not sessions:
        return " (no session)"
    start, end, number, _ = rng.choice(sessions)
    times = rng.choice((1, 2, 50, 1200))
    copy = bytes(data[start:end]) * times
    data[end:end] = copy
    _grow_first_file(data, len(copy))
    return f" {number} at {start} x{times}"


def fit_mutants(seeds: list[tuple[str, bytes]], rng: random.Random) -> Iterator[tuple[str, bytes]]:
    """Endless (label, bytes) FIT mutants of the seed files."""
    layouts = {name: fit_layout(data) for name, data in seeds}
    kinds = (
        "bit flips",
        "bit flips, CRC fixed",
        "definition field size",
        "definition bytes",
        "huge number",
        "timestamp",
        "negative duration",
        "splice",
        "header",
        "duplicate session",
        "global message number",
        "255-field definition",
        "chained copy",
    )
    while True:
        name, original = rng.choice(seeds)
        layout = layouts[name]
        kind = rng.choice(kinds)
        if kind.startswith("definition") and not (layout.triples and layout.definitions):
            kind = "bit flips"  # a seed whose layout could not be read (a damaged header)
        data = bytearray(original)
        fix = True
        note = ""
        if kind in (
            "duplicate session",
            "global message number",
            "255-field definition",
            "chained copy",
        ):
            # these change the file's length: every CRC is recomputed along the chain
            if kind == "duplicate session" or rng.random() < 0.3:
                note += _duplicate_sessions(data, layout, rng)
            now = fit_layout(bytes(data))  # the duplicates moved what follows them
            if kind == "global message number" and now.definitions:
                at = rng.choice(now.definitions)
                number = rng.choice(_GLOBAL_NUMBERS)
                data[at + 3 : at + 5] = number.to_bytes(2, "big" if data[at + 2] == 1 else "little")
                note += f" at {at}: ->{number}"
            elif kind == "255-field definition":
                note += _wide_definition(data, now, rng)
            elif kind == "chained copy":
                data += rng.choice(seeds)[1]
            reframe(data)
            yield f"{name} {kind}{note}", bytes(data)
            continue
        if kind.startswith("bit flips"):
            for _ in range(rng.randint(1, 8)):
                at = rng.randrange(len(data))
                data[at] ^= 1 << rng.randrange(8)
            fix = kind.endswith("fixed")
        elif kind == "definition field size":
            at = rng.choice(layout.triples)
            old = data[at + 1]
            data[at + 1] = rng.choice(
                (0, 1, 2, 3, 5, 7, 255, old + 1 & 0xFF, old * 2 & 0xFF, max(old - 1, 0))
            )
            note = f" at {at + 1}: {old}->{data[at + 1]}"
        elif kind == "definition bytes":
            at = rng.choice(layout.definitions)
            offset = rng.choice((2, 3, 4, 5))  # architecture, message number, field count
            data[at + offset] = rng.randrange(256)
            if rng.random() < 0.3:
                data[rng.choice(layout.triples) + 2] = rng.randrange(256)  # base type
            note = f" at {at + offset}"
        elif kind in ("huge number", "timestamp", "negative duration"):
            chosen = [x for x in layout.fields if _aimed_at(kind, x[0], x[1]) and x[3]]
            for number, field_number, at, size, big in rng.sample(chosen, min(3, len(chosen))):
                if kind == "timestamp" and size == 4:
                    value = rng.choice(_FIT_TIMES)
                elif kind == "negative duration" and size == 4 and field_number in (2, 253):
                    # start after the end: elapsed time becomes negative
                    current = int.from_bytes(data[at : at + 4], "big" if big else "little")
                    value = (
                        current + rng.choice((1, 3600, 10**6)) * (1 if field_number == 2 else -1)
                    ) & 0xFFFFFFFF
                else:
                    top = (1 << (8 * size)) - 1
                    value = rng.choice((top, top - 1, top >> 1, (top >> 1) + 1, 0))
                data[at : at + size] = value.to_bytes(size, "big" if big else "little")
                note += f" {number}.{field_number}"
        elif kind == "splice":
            start = rng.randrange(len(data))
            length = rng.randint(1, 64)
            if rng.random() < 0.5:
                del data[start : start + length]
            else:
                data[start:start] = data[start : start + length]
            fix = False
        else:  # header
            at = rng.choice((0, 1, 2, 3, 4, 5, 6, 7))
            data[at] = rng.randrange(256)
            note = f" byte {at}"
        if fix:
            fix_crcs(data, layout)
        yield f"{name} {kind}{note}", bytes(data)


# ------------------------------------------------------------------ text mutations

_NUMBER_TOKEN = re.compile(rb"-?\d+(?:[.,]\d+)?")
_TIME_TOKEN = re.compile(rb"\d{4}-\d\d-\d\d[T ]\d\d:\d\d(?::\d\d)?(?:\.\d+)?Z?")
HOSTILE_NUMBERS = (
    b"1e308",
    b"-1e308",
    b"1e999",
    b"-0",
    b"NaN",
    b"nan",
    b"inf",
    b"-inf",
    b"Infinity",
    b"99999999999999999999999999",
    b"-5",
    b"-1",
    b"0",
    b"0x10",
    b"1_000",
    b"",
    b" ",
    b"\xd9\xa1\xd9\xa2",
    b"1,5",
    b"1.000,5",
    b"--",
    b"'-12",
    # huge but finite, of every size a sum or product could overflow from
    b"1e15",
    b"1e+20",
    b"3.4e38",
    b"1.7976931348623157e308",
    b"9" * 400,
    b"1" + b"0" * 5000,
    b"-9" * 30,
    b"+inf",
    b"-NaN",
    b"INF",
    b"1e-400",
)
HOSTILE_TIMES = (
    b"1970-01-01T00:00:00Z",
    b"2100-01-01T00:00:00Z",
    b"1969-12-31T23:59:59Z",
    b"0001-01-01T00:00:00Z",
    b"9999-12-31T23:59:59Z",
    b"9999-12-31T23:59:59-14:00",
    b"0001-01-01T00:00:00+14:00",
    b"2024-02-30T07:00:00Z",
    b"2024-03-02T25:00:00Z",
    b"2038-01-19T03:14:08Z",
    b"2024-03-02T07:44:55+99:99",
    b"yesterday",
    b"",
    b"2024-03-02 07:44:55",
    b"1980-01-01T00:00:00Z",
    b"2024-03-01T00:00:00Z",
    # far in the past and the future: before GPS watches, before 1900, centuries ahead
    b"1899-12-31T23:59:59Z",
    b"1850-06-01T12:00:00Z",
    b"1999-12-31T23:59:59Z",
    b"2150-01-01T00:00:00Z",
    b"3000-01-01T00:00:00Z",
    b"2098-12-31T23:59:59Z",
    b"0999-01-01T00:00:00Z",
    b"2024-03-02T07:44:55.999999999999Z",
)
# The date styles of Strava's and Garmin's CSV exports, with their hostile values.
_STRAVA_TIME_TOKEN = re.compile(rb"[A-Z][a-z]{2} \d{1,2}, \d{4}, \d{1,2}:\d\d:\d\d [AP]M")
HOSTILE_STRAVA_TIMES = (
    b"Dec 31, 9999, 11:59:59 PM",
    b"Jan 1, 0001, 12:00:00 AM",
    b"Jan 1, 1970, 12:00:00 AM",
    b"Jan 1, 2100, 12:00:00 AM",
    b"Feb 30, 2024, 1:00:00 PM",
    b"Mar 10, 2024, 13:61:00 PM",
    b"Jan 1, 1850, 12:00:00 AM",
    b"Jun 1, 2500, 12:00:00 PM",
)
_DOTTED_TIME_TOKEN = re.compile(rb"\d\d\.\d\d\.\d{4} \d\d:\d\d")
HOSTILE_DOTTED_TIMES = (
    b"31.12.9999 23:59",
    b"01.01.0001 00:00",
    b"01.01.1970 00:00",
    b"01.01.2100 00:00",
    b"31.02.2024 10:00",
    b"2024-03-02 07:44",
    b"01.01.1850 00:00",
    b"01.06.2500 12:00",
)
_DURATION_TOKEN = re.compile(rb"\b\d{1,2}:\d\d:\d\d\b")
HOSTILE_DURATIONS = (
    b"-0:30:00",
    b"99999999:00:00",
    b"1:2:3:4",
    b"0:99:00",
    b"0:00:60",
    b"-1",
    b"1e308",
    b"::",
    b"0:00:00",
    b"9" * 400 + b":00:00",
    b"1:" + b"9" * 40 + b":00",
    b"inf",
    b"1e20",
    b"0:30:" + b"9" * 400,
)
_TOKEN_FAMILIES = {
    "hostile number": ((_NUMBER_TOKEN, HOSTILE_NUMBERS),),
    "hostile time": (
        (_TIME_TOKEN, HOSTILE_TIMES),
        (_STRAVA_TIME_TOKEN, HOSTILE_STRAVA_TIMES),
        (_DOTTED_TIME_TOKEN, HOSTILE_DOTTED_TIMES),
    ),
    "negative or huge duration": ((_DURATION_TOKEN, HOSTILE_DURATIONS),),
}
INVALID_UTF8 = (
    b"\xff",
    b"\xc3\x28",
    b"\xed\xa0\x80",
    b"\xf4\x90\x80\x80",
    b"\xc0\xaf",
    b"\xe2\x82",
    b"\x80",
)
CONTROL = (b"\x00", b"\x1b[31m", b"\n", b"\r", b"\x07", b"\xe2\x80\xae")


def text_mutants(seeds: list[tuple[str, bytes]], rng: random.Random) -> Iterator[tuple[str, bytes]]:
    """Endless (label, bytes) mutants of XML or CSV seeds."""
    kinds = (
        "bit flips",
        "hostile number",
        "hostile time",
        "negative or huge duration",
        "invalid UTF-8",
        "control bytes",
        "delete",
        "duplicate",
        "swap lines",
    )
    while True:
        name, original = rng.choice(seeds)
        kind = rng.choice(kinds)
        data = bytearray(original)
        for _ in range(rng.randint(1, 4)):
            if kind == "bit flips":
                data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
            elif kind in _TOKEN_FAMILIES:
                hits = [
                    (hit, values)
                    for pattern, values in _TOKEN_FAMILIES[kind]
                    for hit in pattern.finditer(data)
                ]
                if hits:
                    hit, values = rng.choice(hits)
                    data[hit.start() : hit.end()] = rng.choice(values)
            elif kind in ("invalid UTF-8", "control bytes"):
                at = rng.randrange(len(data) + 1)
                data[at:at] = rng.choice(INVALID_UTF8 if kind == "invalid UTF-8" else CONTROL)
            elif kind == "delete":
                at = rng.randrange(len(data))
                del data[at : at + rng.randint(1, 200)]
            elif kind == "duplicate":
                at = rng.randrange(len(data))
                data[at:at] = data[at : at + rng.randint(1, 400)]
            else:
                lines = bytes(data).split(b"\n")
                i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
                lines[i], lines[j] = lines[j], lines[i]
                data = bytearray(b"\n".join(lines))
            if not data:
                break
        yield f"{name} {kind}", bytes(data)


# ------------------------------------------------------------------ hostile XML

HOSTILE_XML = {
    "billion laughs": (
        b'<?xml version="1.0"?><!DOCTYPE gpx [<!ENTITY a "aaaaaaaaaa">'
        + b"".join(
            f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">'.encode() for i in range(9)
        )
        + b']><gpx version="1.1" creator="x"><trk><name>&j;</name></trk></gpx>'
    ),
    "quadratic blowup": (
        b'<?xml version="1.0"?><!DOCTYPE gpx [<!ENTITY big "' + b"x" * 50_000 + b'">]>'
        b'<gpx version="1.1"><trk><name>' + b"&big;" * 2000 + b"</name></trk></gpx>"
    ),
    "external entity (file)": (
        b'<?xml version="1.0"?><!DOCTYPE gpx [<!ENTITY secret SYSTEM "file:///etc/hostname">]>'
        b'<gpx version="1.1"><trk><name>&secret;</name><trkseg>'
        b'<trkpt lat="1" lon="1"><time>2024-03-02T07:00:00Z</time></trkpt>'
        b"</trkseg></trk></gpx>"
    ),
    "external entity (http)": (
        b'<?xml version="1.0"?><!DOCTYPE gpx [<!ENTITY e SYSTEM "http://127.0.0.1:9/x">]>'
        b'<gpx version="1.1"><trk><name>&e;</name></trk></gpx>'
    ),
    "parameter entity": (
        b'<?xml version="1.0"?><!DOCTYPE gpx [<!ENTITY % p SYSTEM "http://127.0.0.1:9/x.dtd">'
        b"%p;]><gpx/>"
    ),
    "external DTD": (
        b'<?xml version="1.0"?><!DOCTYPE TrainingCenterDatabase SYSTEM '
        b'"http://127.0.0.1:9/tcx.dtd"><TrainingCenterDatabase><Activities>'
        b'<Activity Sport="Running"><Id>2024-03-02T07:00:00Z</Id></Activity>'
        b"</Activities></TrainingCenterDatabase>"
    ),
    "entity in UTF-16": (
        '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE gpx [<!ENTITY a "b">]>'
        "<gpx><trk><name>&a;</name></trk></gpx>".encode("utf-16")
    ),
    "undeclared entity": (
        b'<?xml version="1.0"?><gpx version="1.1"><trk><name>&nbsp;</name></trk></gpx>'
    ),
    "unknown declared encoding": (
        b'<?xml version="1.0" encoding="x-campaign-8"?><gpx version="1.1"></gpx>'
    ),
    "XInclude": (
        b'<?xml version="1.0"?><gpx xmlns:xi="http://www.w3.org/2001/XInclude">'
        b'<xi:include href="file:///etc/passwd" parse="text"/></gpx>'
    ),
    "deep nesting": b"<gpx>" + b"<a>" * 200_000 + b"</a>" * 200_000 + b"</gpx>",
    "huge attribute": b'<gpx creator="' + b"c" * 5_000_000 + b'"><trk/></gpx>',
}


# ------------------------------------------------------------------ resource bombs
#
# Files the second, independent campaign built to exhaust time or memory (issue 18),
# each written by a small function so that it stays in the campaign once fixed.


def fit_file(body: bytes) -> bytes:
    """One FIT file around ``body`` (definition and data messages): header and CRCs."""
    head = bytearray(b"\x0e\x10\x6c\x08") + len(body).to_bytes(4, "little") + b".FIT"
    head += fit_crc(bytes(head)).to_bytes(2, "little")
    whole = bytes(head) + body
    return whole + fit_crc(whole).to_bytes(2, "little")


def _fit_definition(local: int, message: int, fields: list[tuple[int, int, int]]) -> bytes:
    out = bytes([0x40 | local, 0, 0]) + message.to_bytes(2, "little") + bytes([len(fields)])
    return out + b"".join(bytes(f) for f in fields)


def _fit_uint32(value: int) -> bytes:
    return value.to_bytes(4, "little")


_FIT_RUN_START = _fit_seconds(2024) + 65 * 86400  # early March 2024


def fit_summary_bomb(count: int, message: int = _SESSION) -> bytes:
    """A run whose ``count`` session (or lap) messages each say one 10 km, 50 min run.

    Every message starts an hour after the one before (over ten years, then from
    the start again), so the whole file is one long list of sessions (or laps).
    """
    body = bytearray(_fit_definition(0, _FILE_ID, [(0, 1, 0x00)]) + b"\x00\x04")
    # timestamp, start_time, total_elapsed_time, total_timer_time, total_distance, sport
    body += _fit_definition(
        1,
        message,
        [(253, 4, 0x86), (2, 4, 0x86), (7, 4, 0x86), (8, 4, 0x86), (9, 4, 0x86), (5, 1, 0x00)],
    )
    for i in range(count):
        start = _FIT_RUN_START + i * 3607 % (10 * 365 * 86400)
        body += (
            b"\x01"
            + _fit_uint32(start + 3000)
            + _fit_uint32(start)
            + _fit_uint32(3_000_000)
            + _fit_uint32(3_000_000)
            + _fit_uint32(1_000_000)
            + b"\x01"
        )
    return fit_file(bytes(body))


def chained_empty_fit(megabytes: float) -> bytes:
    """``megabytes`` of empty FIT files chained one after another (header and CRC only)."""
    one = fit_file(b"")
    return one * int(megabytes * 2**20 // len(one))


def _zip(path: Path, members: Iterator[tuple[str, bytes]], *, reverse: bool = False) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members:
            archive.writestr(name, data)
        if reverse:  # the central directory lists the members last to first
            archive.filelist.reverse()


def zip_of_copies(path: Path, copies: int) -> None:
    """One run's GPX ``copies`` times under different names in one zip."""
    run = gpx_document(24, seed=1)
    _zip(path, ((f"copy{i:05d}.gpx", run) for i in range(copies)))


def zip_of_runs(path: Path, members: int, apart_s: int) -> None:
    """``members`` different small runs, each its own member, ``apart_s`` seconds apart."""
    template = gpx_document(3, seed=2)
    stamp = _iso(_START).encode()
    _zip(
        path,
        (
            (
                f"run{i:06d}.gpx",
                template.replace(stamp, _iso(_START + timedelta(seconds=i * apart_s)).encode()),
            )
            for i in range(members)
        ),
    )


def nested_reversed_zip(path: Path, members: int) -> None:
    """A zip holding a zip of ``members`` runs whose central directory is reversed.

    Read as a stream, each member of the inner zip lies before the one read last,
    and a backwards seek in a compressed stream decompresses it again from the start.
    """
    inner = Path(f"{path}.inner")
    _zip(
        inner,
        (
            (f"run{i:05d}.gpx", gpx_document(12, seed=i, start=_START + timedelta(hours=6 * i)))
            for i in range(members)
        ),
        reverse=True,
    )
    _zip(path, iter([("inner.zip", inner.read_bytes())]))
    inner.unlink()


def gpx_with_long_name(path: Path, megabytes: float) -> None:
    """A good run whose track name is ``megabytes`` MB of text."""
    document = gpx_document(24, seed=5)
    head, _, tail = document.partition(b"<trk><name>Morning Run</name>")
    with path.open("wb") as out:
        out.write(head + b"<trk><name>")
        chunk = b"Very long name " * 4096
        for _ in range(int(megabytes * 2**20 // len(chunk))):
            out.write(chunk)
        out.write(b"</name>" + tail)


def one_line_csv(path: Path, megabytes: float) -> None:
    """A manual log whose one header line is ``megabytes`` MB long."""
    with path.open("wb") as out:
        out.write(b"date,distance_km,duration")
        chunk = b",x" * 2**19
        for _ in range(int(megabytes * 2**20 // len(chunk))):
            out.write(chunk)
        out.write(b"\n2024-03-02,5,0:30:00\n")


def gzip_bomb(path: Path, megabytes: float) -> None:
    """About ``megabytes`` MB of gzip that expands about a thousand times (zeros)."""
    block = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    zeros = bytes(2**20)
    with path.open("wb") as out:
        while out.tell() < megabytes * 2**20:
            out.write(block.compress(zeros))
        out.write(block.flush())


@dataclass(frozen=True, slots=True)
class Bomb:
    """One resource bomb of the second campaign, at CI size and at its real size."""

    label: str
    #: writes the bomb into a folder: (folder, size)
    build: Callable[[Path, float], None]
    quick: float
    full: float
    #: what it must give: a skip reason holding this text, or (None) activities
    refused: str | None = None
    #: activities the bomb itself must add when it is not refused (size -> count)
    activities: Callable[[float], int] | None = None


def _fit_bomb(name: str, message: int) -> Callable[[Path, float], None]:
    def build(folder: Path, count: float) -> None:
        (folder / name).write_bytes(fit_summary_bomb(int(count), message))

    return build


BOMBS: tuple[Bomb, ...] = (
    Bomb(
        "zip of copies of one run",
        lambda f, n: zip_of_copies(f / "copies.zip", int(n)),
        500,
        4000,
        activities=lambda n: 1,
    ),
    Bomb(
        "nested zip whose central directory is reversed",
        lambda f, n: nested_reversed_zip(f / "nested.zip", int(n)),
        300,
        2000,
        activities=int,
    ),
    Bomb(
        "zip of more export files than the limit",
        lambda f, n: zip_of_runs(f / "many.zip", int(n), 7 * 3600),
        50_001,
        100_000,
        refused="more than 50,000; not a real export",
    ),
    Bomb(
        "zip of runs one second apart",
        lambda f, n: zip_of_runs(f / "crowd.zip", int(n), 1),
        200,
        5000,
        refused="start within 3 minutes of each other",
    ),
    Bomb(
        "GPX with a track name of N MB",
        lambda f, n: gpx_with_long_name(f / "name.gpx", n),
        8,
        200,
        activities=lambda n: 1,
    ),
    Bomb(
        "N MB of empty chained FIT files",
        lambda f, n: (f / "chained.fit").write_bytes(chained_empty_fit(n)),
        4,
        32,
        refused="FIT files chained in one file",
    ),
    Bomb(
        "FIT with N sessions",
        _fit_bomb("sessions.fit", _SESSION),
        100_000,
        1_000_000,
        refused="more than 1,000 sessions",
    ),
    Bomb(
        "FIT with N laps",
        _fit_bomb("laps.fit", _LAP),
        100_000,
        1_000_000,
        refused="more than 20,000 laps",
    ),
    Bomb(
        "one-line CSV of N MB",
        lambda f, n: one_line_csv(f / "log.csv", n),
        70,
        250,
        refused="the limit is 64 MB for a CSV",
    ),
    Bomb(
        "CSV whose first line is N MB",
        lambda f, n: one_line_csv(f / "log.csv", n),
        2,
        60,
        refused="its first line is longer than 1 MB",
    ),
    Bomb(
        "gzip bomb of N MB",
        lambda f, n: gzip_bomb(f / "bomb.gpx.gz", n),
        0.2,
        1,
        refused="gzip data expands past",
    ),
)


# ------------------------------------------------------------------ classes


@dataclass(frozen=True, slots=True)
class CaseClass:
    """A named class of byte-level cases."""

    name: str
    describe: str
    cases: Callable[[Scale], Iterator[tuple[str, bytes, str]]]
    both_fit_readers: bool = False


def _truncations(name: str, data: bytes, stride: int = 1) -> Iterator[tuple[str, bytes, str]]:
    offsets = set(range(0, len(data) + 1, stride))
    if stride > 1:
        offsets.update(range(max(0, len(data) - 256), len(data) + 1))
    for length in sorted(offsets):
        yield f"{name}[:{length}]", data[:length], name


def fit_truncation_cases(scale: Scale) -> Iterator[tuple[str, bytes, str]]:
    for name in scale.fit_truncated:
        yield from _truncations(name, corpus_bytes(name))
    for name, stride in scale.fit_sampled:
        yield from _truncations(name, corpus_bytes(name), stride)


def xml_truncation_cases(fmt: str) -> Callable[[Scale], Iterator[tuple[str, bytes, str]]]:
    build = gpx_document if fmt == "gpx" else tcx_document

    def cases(scale: Scale) -> Iterator[tuple[str, bytes, str]]:
        for points in scale.xml_points:
            yield from _truncations(f"generated-{points}.{fmt}", build(points), 1)

    return cases


def csv_truncation_cases(scale: Scale) -> Iterator[tuple[str, bytes, str]]:
    for name, data in csv_documents(scale.csv_rows).items():
        yield from _truncations(name, data)


_FIT_SEEDS = (
    "fitparse__Activity.fit",
    "fitparse__garmin-fenix-5-run.fit",
    "fitparse__garmin-edge-820-bike.fit",
    "fitparse__nametest.FIT",
    "sweatpy__2020-06-01-16-52-40.fit",
    "fitparse__activity-unexpected-eof.fit",
)


def corpus_files(fmt: str) -> list[tuple[str, bytes]]:
    """Every real file of a format in the corpus: plain, gzipped or in a zip, by name."""
    found: list[tuple[str, bytes]] = []
    for path in sorted(CORPUS.iterdir()):
        lowered = path.name.lower()
        if lowered.endswith(f".{fmt}"):
            found.append((path.name, path.read_bytes()))
        elif lowered.endswith(f".{fmt}.gz"):
            found.append((path.name, gzip.decompress(path.read_bytes())))
        elif lowered.endswith(".zip"):
            with zipfile.ZipFile(path) as archive:
                found.extend(
                    (f"{path.name}!{info.filename}", archive.read(info))
                    for info in archive.infolist()
                    if info.filename.lower().endswith(f".{fmt}")
                )
    # the corpus's own expected values are not an export
    return [(name, data) for name, data in found if name != "expected.csv"]


def fit_seeds(scale: Scale) -> list[tuple[str, bytes]]:
    return (
        corpus_files("fit")
        if scale.every_corpus_file
        else [(name, corpus_bytes(name)) for name in _FIT_SEEDS]
    )


def fit_fuzz_cases(scale: Scale) -> Iterator[tuple[str, bytes, str]]:
    seeds = fit_seeds(scale)
    mutants = fit_mutants(seeds, random.Random(7))
    for index in range(scale.fuzz):
        label, data = next(mutants)
        yield f"#{index} {label}", data, "fuzzed.fit"


def xml_fuzz_cases(fmt: str) -> Callable[[Scale], Iterator[tuple[str, bytes, str]]]:
    def cases(scale: Scale) -> Iterator[tuple[str, bytes, str]]:
        build = gpx_document if fmt == "gpx" else tcx_document
        seeds = [(f"generated-{n}.{fmt}", build(n, seed=n)) for n in (3, 12, 40)]
        small = {
            "gpx": (
                "runpandas__garmin_connect.gpx",
                "gpxpy__track-with-empty-segment.gpx",
                "gc__MetadataOnly.gpx",
            ),
            "tcx": ("sweatpy__activity_5039744860.tcx",),
        }[fmt]
        seeds += (
            corpus_files(fmt)
            if scale.every_corpus_file
            else [(name, corpus_bytes(name)) for name in small]
        )
        mutants = text_mutants(seeds, random.Random(11 if fmt == "gpx" else 13))
        for index in range(scale.fuzz):
            label, data = next(mutants)
            yield f"#{index} {label}", data, f"fuzzed.{fmt}"

    return cases


def csv_fuzz_cases(scale: Scale) -> Iterator[tuple[str, bytes, str]]:
    seeds = list(csv_documents(8, seed=3).items())
    strava = corpus_bytes("stravainsights__activities.csv").split(b"\n")
    seeds.append(("stravainsights__activities.csv", b"\n".join(strava[:12])))
    if scale.every_corpus_file:
        seeds += corpus_files("csv")
    mutants = text_mutants(seeds, random.Random(17))
    for index in range(scale.fuzz):
        label, data = next(mutants)
        yield f"#{index} {label}", data, label.split(" ", 1)[0]


def hostile_xml_cases(scale: Scale) -> Iterator[tuple[str, bytes, str]]:
    del scale  # the same hand-made documents at every size
    for label, data in HOSTILE_XML.items():
        for name in ("hostile.gpx", "hostile.tcx"):
            yield f"{label} as {name}", data, name


def wrong_name_cases(scale: Scale) -> Iterator[tuple[str, bytes, str]]:
    """Each format under every other format's name, and empty or blank files."""
    del scale
    contents = {
        "fit": corpus_bytes("fitparse__Activity.fit"),
        "gpx": gpx_document(12),
        "tcx": tcx_document(12),
        "csv": csv_documents(3)["log.csv"],
    }
    for real, data in contents.items():
        for named in ("fit", "gpx", "tcx", "csv", "FIT", "txt", "json", ""):
            if named.lower() != real:
                yield f"{real} named .{named}", data, f"run.{named}" if named else "run"
    for named in ("fit", "gpx", "tcx", "csv"):
        for label, data in (
            ("empty", b""),
            ("blank", b"  \n\t\r\n"),
            ("one NUL", b"\0"),
            ("BOM only", b"\xef\xbb\xbf"),
            ("UTF-16 BOM only", b"\xff\xfe"),
        ):
            yield f"{label} .{named}", data, f"run.{named}"


CLASSES: tuple[CaseClass, ...] = (
    CaseClass(
        "FIT truncated at every offset",
        "real corpus FIT files cut at each byte",
        fit_truncation_cases,
    ),
    CaseClass(
        "GPX truncated at every offset",
        "generated GPX runs cut at each byte",
        xml_truncation_cases("gpx"),
    ),
    CaseClass(
        "TCX truncated at every offset",
        "generated TCX runs cut at each byte",
        xml_truncation_cases("tcx"),
    ),
    CaseClass(
        "CSV truncated at every offset",
        "manual log, Garmin (en, de in cp1252 and UTF-16), Strava, BOM",
        csv_truncation_cases,
    ),
    CaseClass(
        "FIT fuzzed",
        "bit flips (raw and CRC fixed), definition field sizes and "
        "bytes, huge numbers, timestamps 1970/2100/invalid, negative durations, splices, "
        "headers; fast path compared with fitparse",
        fit_fuzz_cases,
        both_fit_readers=True,
    ),
    CaseClass(
        "GPX fuzzed",
        "bit flips, hostile numbers (NaN, 1e999, negative), times "
        "(1970, 2100, year 1 and 9999, bad offsets), invalid UTF-8, control bytes, "
        "deletions, duplications",
        xml_fuzz_cases("gpx"),
    ),
    CaseClass("TCX fuzzed", "as GPX", xml_fuzz_cases("tcx")),
    CaseClass("CSV fuzzed", "as GPX, on every CSV kind, encoding and locale", csv_fuzz_cases),
    CaseClass(
        "XML entities and oddities",
        "billion laughs, quadratic blowup, external and "
        "parameter entities, external DTD, XInclude, deep nesting, 5 MB attribute",
        hostile_xml_cases,
    ),
    CaseClass(
        "Wrong names, empty files",
        "each format named as every other, empty, blank, NUL, lone BOMs",
        wrong_name_cases,
    ),
)


def run_class(klass: CaseClass, scale: Scale, *, shard: int = 0, shards: int = 1) -> Tally:
    """Every case of ``klass`` at ``scale`` (every ``shards``-th one from ``shard``)."""
    tally = Tally(klass.name)
    for index, (label, data, name) in enumerate(klass.cases(scale)):
        if index % shards != shard:
            continue
        judge(
            tally,
            label,
            data,
            name,
            ZONES[index % len(ZONES)],
            both_fit_readers=klass.both_fit_readers,
        )
    return tally


# ------------------------------------------------------------------ running and recording


def _run_shard(job: tuple[int, Scale, int, int]) -> Tally:
    index, scale, shard, shards = job
    return run_class(CLASSES[index], scale, shard=shard, shards=shards)


def run_classes(indexes: list[int], scale: Scale, workers: int) -> list[Tally]:
    """The byte-level classes ``indexes``, their cases spread over ``workers`` processes."""
    jobs = [(i, scale, shard, workers) for i in indexes for shard in range(workers)]
    if workers <= 1:
        results = [_run_shard(job) for job in jobs]
    else:
        from multiprocessing import get_context

        with get_context("fork").Pool(workers) as pool:
            results = pool.map(_run_shard, jobs, chunksize=1)
    tallies = {CLASSES[i].name: Tally(CLASSES[i].name) for i in indexes}
    for result in results:
        tallies[result.klass].add(result)
    return list(tallies.values())


def workers_from_env() -> int:
    return max(1, int(os.environ.get(WORKERS_ENV) or min(os.cpu_count() or 1, 4)))


@dataclass(frozen=True, slots=True)
class Figure:
    """One row of RELIABILITY.md's table, as a test recorded it."""

    klass: str
    cases: int
    outcome: str
    failures: int
    slowest_s: float | None = None
    #: the processor time ``slowest_s`` must stay within; the campaign command checks
    #: it (a speed target, so not an assertion of the test that records the figure)
    budget_s: float | None = None

    @property
    def over_budget(self) -> bool:
        slowest, budget = self.slowest_s, self.budget_s
        return slowest is not None and budget is not None and slowest > budget


def record(figure: Figure) -> None:
    """Append a figure to the file the campaign command collects (if one is named)."""
    target = os.environ.get(FIGURES_ENV)
    if target:
        with open(target, "a", encoding="utf-8") as handle:
            handle.write(json.dumps(dataclasses.asdict(figure)) + "\n")


def record_tally(tally: Tally, note: str = "") -> None:
    parts = [f"{tally.imported:,} imported"]
    if tally.empty:
        parts.append(f"{tally.empty:,} read with no data rows")
    parts.append(f"{tally.refused:,} refused with a one-line reason")
    if tally.peak_mb is not None:
        parts.append(f"largest memory growth of a case {tally.peak_mb:.0f} MB")
    top = "; ".join(f"{reason} ({count:,})" for reason, count in tally.reasons.most_common(2))
    outcome = ", ".join(parts) + (f". Most frequent: {top}" if top else "") + note
    record(
        Figure(
            tally.klass, tally.cases, outcome, len(tally.failures), tally.slowest_s, CASE_BUDGET_S
        )
    )


def table(figures: list[Figure]) -> str:
    lines = [
        "| Class of input or fault | Cases | Outcome | Failures | Slowest case |",
        "|---|---:|---|---:|---:|",
    ]
    for f in figures:
        slowest = "" if f.slowest_s is None else f"{f.slowest_s:.2f} s"
        outcome = f.outcome.replace("|", "\\|")
        lines.append(f"| {f.klass} | {f.cases:,} | {outcome} | {f.failures} | {slowest} |")
    return "\n".join(lines)


BEGIN = "<!-- campaign:{mode}:begin -->"
END = "<!-- campaign:{mode}:end -->"


def write_figures(text: str, mode: str, path: Path = RELIABILITY_MD) -> bool:
    """Replace the figures between the mode's markers in RELIABILITY.md."""
    begin, end = BEGIN.format(mode=mode), END.format(mode=mode)
    document = path.read_text(encoding="utf-8")
    if begin not in document or end not in document:
        return False
    head, rest = document.split(begin, 1)
    _, tail = rest.split(end, 1)
    path.write_text(f"{head}{begin}\n{text}\n{end}{tail}", encoding="utf-8")
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="the CI-sized subset")
    parser.add_argument("--write", action="store_true", help="update RELIABILITY.md")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args(argv)
    mode = "quick" if args.quick else "long"
    with tempfile.TemporaryDirectory() as scratch:
        figures_file = Path(scratch) / "figures.jsonl"
        env = {
            **os.environ,
            MODE_ENV: mode,
            FIGURES_ENV: str(figures_file),
            WORKERS_ENV: str(max(1, args.workers)),
        }
        tests = sorted(
            str(p.relative_to(PROJECT)) for p in (PROJECT / "tests").glob("test_reliability_*.py")
        )
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *tests],
            cwd=PROJECT,
            env=env,
            check=False,
        )
        spent = time.perf_counter() - started
        lines = (
            figures_file.read_text(encoding="utf-8").splitlines() if (figures_file.exists()) else []
        )
    figures = [Figure(**json.loads(line)) for line in lines]
    failures = sum(f.failures for f in figures)
    over = [f for f in figures if f.over_budget]
    summary = (
        f"{sum(f.cases for f in figures):,} cases in {spent / 60:.0f} min, "
        f"{failures} failures, tests {'passed' if done.returncode == 0 else 'FAILED'} "
        f"({mode} mode, {args.workers} workers, {os.cpu_count()} cores)"
    )
    print(table(figures))
    for figure in over:
        print(
            f"over budget: {figure.klass}: {figure.slowest_s:.2f} s of processor time "
            f"(the budget is {figure.budget_s:g} s)"
        )
    failures += len(over)
    print(summary)
    if args.write and done.returncode == 0 and not failures:
        command = "python scripts/reliability_campaign.py --write" + (
            " --quick" if args.quick else ""
        )
        written = write_figures(f"{table(figures)}\n\n{summary}. Command: `{command}`", mode)
        print("RELIABILITY.md updated" if written else "RELIABILITY.md has no markers")
    return 0 if done.returncode == 0 and not failures else 1


if __name__ == "__main__":
    sys.exit(main())
