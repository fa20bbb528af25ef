"""Time the GPX and TCX readers: expat, the fast path as wired, and the plain parse loop.

Usage (from the project root, with ``pip install -e '.[test]'``)::

    python bench/xmlfast.py [--repeats 7] [--corpus DIR] [--no-write]

Two kinds of input, each a group timed as a whole:

* the corpus's GPX and TCX files (``LOADWATCH_CORPUS`` or ``../shared/corpus``; plain,
  gzipped or zip members, found by content), decompressed once beforehand;
* long recordings made by ``bench/make_archive.py``'s generators, one point per
  second: a 2 h road run and a 3 h trail run, as Strava's GPX and Garmin Connect's TCX.

For each group, in one process on one core: ``gpx.parse``/``tcx.parse`` with
``fast=False`` (the expat reader), the same as wired (the fast path, falling back to
expat where it declines), and the plain loop a user would write (``gpxpy.parse`` per
GPX, ``ElementTree.fromstring`` per TCX; tree only, nothing summed). Each reader goes
over the whole group ``--repeats`` times, the readers taking turns; the fastest pass
counts. CPU time is the process's (``time.process_time``); files/s and MB/s are per
CPU second. Nothing is asserted about the times. The results replace the "GPX and TCX
fast path" section of ``bench/RESULTS.md`` (the rest of the file is kept).
"""

from __future__ import annotations

import argparse
import gzip
import os
import sys
import time
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from xml.etree import ElementTree
from zoneinfo import ZoneInfo

import gpxpy

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import make_archive  # noqa: E402  (bench/make_archive.py)

from loadwatch.ingest.importers import (  # noqa: E402
    ParseContext,
    gpx,
    gpxfast,
    sniff_format,
    tcx,
    tcxfast,
)
from loadwatch.ingest.importers.xmlfast import FastPathDeclined  # noqa: E402

RESULTS = BENCH / "RESULTS.md"
START = "<!-- xmlfast benchmark: bench/xmlfast.py rewrites this section -->"
END = "<!-- end of the xmlfast benchmark -->"
DEFAULT_CORPUS = BENCH.parent.parent / "shared" / "corpus"
ZONE = ZoneInfo("Europe/London")

#: (label, sub sport, moving seconds, pause seconds, pace in s/km) of the generated runs
LONG_RUNS = (
    ("2 h road run", "street", 7200, 0, 330.0),
    ("3 h trail run", "trail", 10800, 180, 420.0),
)

Document = tuple[str, bytes]
Reader = Callable[[bytes, str], object]


@dataclass(frozen=True, slots=True)
class Timing:
    reader: str
    cpu_s: float
    wall_s: float


@dataclass(frozen=True, slots=True)
class Group:
    label: str
    fmt: str
    documents: list[Document]

    @property
    def megabytes(self) -> float:
        return sum(len(data) for _, data in self.documents) / 1e6


# --- inputs -------------------------------------------------------------------------------


def corpus_documents(corpus: Path) -> list[Document]:
    """Every GPX and TCX of the corpus, decompressed; ``archive!member`` inside a zip."""
    found: list[Document] = []
    for path in sorted(corpus.iterdir()):
        if path.suffix.lower() == ".zip":
            with zipfile.ZipFile(path) as archive:
                found += [
                    (f"{path.name}!{m}", archive.read(m))
                    for m in archive.namelist()
                    if not m.endswith("/") and not m.startswith("__MACOSX/")
                ]
        elif path.is_file():
            data = path.read_bytes()
            found.append((path.name, gzip.decompress(data) if path.suffix == ".gz" else data))
    return [(name, data) for name, data in found if _xml_format(name, data)]


def _xml_format(name: str, data: bytes) -> str | None:
    try:
        fmt = sniff_format(data, name.removesuffix(".gz"))
    except Exception:
        return None
    return fmt if fmt in ("gpx", "tcx") else None


def generated_documents(fmt: str, scale: float = 1.0) -> list[Document]:
    """The long runs as the archive generator writes them, one point per second.

    ``scale`` shortens them (the smoke test's runs last seconds, not hours).
    """
    documents = []
    for index, (label, sub_sport, moving_s, pause_s, pace) in enumerate(LONG_RUNS):
        planned = make_archive.Planned(
            index=index,
            start_utc=datetime(2026, 5, 3 + index, 6, 30, tzinfo=UTC),
            sport="running",
            sub_sport=sub_sport,
            kind="long",
            moving_s=max(60, int(moving_s * scale)),
            pause_s=pause_s,
            pace_s_per_km=pace,
            fmt=fmt,
            strava=fmt == "gpx",
            duplicate=False,
            shoe=None,
            strava_id=None,
            seed=f"xmlfast:{index}",
        )
        points = make_archive.track(planned, interval_s=1)
        writer = make_archive.gpx_bytes if fmt == "gpx" else make_archive.tcx_bytes
        documents.append((f"{label}.{fmt}", writer(planned, points)))
    return documents


# --- readers --------------------------------------------------------------------------------


def _context(name: str) -> ParseContext:
    return ParseContext(source=name, zone=ZONE)


def _quietly(parse: Callable[[bytes, ParseContext], object]) -> Reader:
    def read(data: bytes, name: str) -> object:
        try:
            return parse(data, _context(name))
        except Exception as error:  # a file with no activity is a result too
            return (type(error).__name__, str(error))

    return read


def readers(fmt: str) -> dict[str, Reader]:
    module = gpx if fmt == "gpx" else tcx

    def expat(data: bytes, ctx: ParseContext) -> object:
        return module.parse(data, ctx, fast=False)

    def plain(data: bytes, _name: str) -> object:
        try:
            return (
                gpxpy.parse(data.decode("utf-8")) if fmt == "gpx" else ElementTree.fromstring(data)
            )
        except Exception as error:
            return error

    return {
        "expat reader": _quietly(expat),
        "fast path as wired": _quietly(module.parse),
        "gpxpy.parse" if fmt == "gpx" else "ElementTree.fromstring": plain,
    }


def declined(group: Group) -> list[str]:
    """The documents of ``group`` the fast path leaves to expat."""
    fast = gpxfast if group.fmt == "gpx" else tcxfast
    out = []
    for name, data in group.documents:
        try:
            fast.read(data)
        except FastPathDeclined:
            out.append(name)
    return out


def same_results(group: Group) -> bool:
    chosen = readers(group.fmt)
    return all(
        chosen["expat reader"](data, name) == chosen["fast path as wired"](data, name)
        for name, data in group.documents
    )


def time_group(group: Group, repeats: int) -> list[Timing]:
    """The fastest of ``repeats`` passes over the group, per reader (readers take turns).

    One pass of each reader first, untimed: the first file pays for imports and for
    loading the time zone boundaries, whichever reader reads it.
    """
    chosen = readers(group.fmt)
    for read in chosen.values():
        for name, data in group.documents:
            read(data, name)
    best: dict[str, tuple[float, float]] = {}
    for _ in range(repeats):
        for label, read in chosen.items():
            cpu, wall = time.process_time(), time.perf_counter()
            for name, data in group.documents:
                read(data, name)
            cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
            if label not in best or cpu < best[label][0]:
                best[label] = (cpu, wall)
    return [Timing(label, cpu, wall) for label, (cpu, wall) in best.items()]


# --- report ---------------------------------------------------------------------------------


def table(group: Group, timings: list[Timing]) -> list[str]:
    expat = next(t for t in timings if t.reader == "expat reader")
    rows = []
    for timing in timings:
        cpu = max(timing.cpu_s, 1e-9)
        rows.append(
            f"| {group.label} | {timing.reader} | {len(group.documents)} | "
            f"{group.megabytes:.2f} | {timing.cpu_s * 1000:.0f} ms | "
            f"{timing.wall_s * 1000:.0f} ms | {len(group.documents) / cpu:.0f} | "
            f"{group.megabytes / cpu:.1f} | {expat.cpu_s / cpu:.2f}x |"
        )
    return rows


def report(
    groups: list[Group],
    results: dict[str, list[Timing]],
    repeats: int,
    loads: tuple[tuple[float, ...], tuple[float, ...]],
) -> str:
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    command = "python bench/xmlfast.py" + (
        " " + " ".join(sys.argv[1:]) if len(sys.argv) > 1 else ""
    )
    lines = [
        START,
        "",
        "# GPX and TCX fast path",
        "",
        f"Measured {stamp} with `{command}` ({os.cpu_count()} logical CPUs, Python "
        f"{sys.version.split()[0]}; load average {loads[0][0]:.1f} at the start, "
        f"{loads[1][0]:.1f} at the end). One process, one core; each reader went over each "
        f"group {repeats} times, the readers taking turns, and the fastest pass counts. "
        "CPU is the process's CPU time; files/s and MB/s are per CPU second; the last "
        "column is the expat reader's CPU time over the row's. The plain loop only builds "
        "gpxpy's objects or ElementTree's tree; it sums nothing.",
        "",
        "| files | reader | n | MB | CPU | wall | files/s | MB/s | vs expat |",
        "|---|---|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for group in groups:
        lines += table(group, results[group.label])
    lines.append("")
    for group in groups:
        left = declined(group)
        lines.append(
            f"- {group.label}: the fast path declined {len(left)} of "
            f"{len(group.documents)}"
            + (f" ({', '.join(left)})" if left else "")
            + "; results identical to the expat reader's: "
            + ("yes" if same_results(group) else "NO")
        )
    lines += ["", END]
    return "\n".join(lines) + "\n"


def write_section(text: str, results: Path = RESULTS) -> None:
    old = results.read_text(encoding="utf-8")
    if START in old and END in old:
        before, rest = old.split(START, 1)
        new = before + text + rest.split(END, 1)[1]
    else:
        new = old.rstrip("\n") + "\n\n" + text
    results.write_text(new, encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument(
        "--corpus", type=Path, default=Path(os.environ.get("LOADWATCH_CORPUS") or DEFAULT_CORPUS)
    )
    parser.add_argument(
        "--no-generated", action="store_true", help="skip the long generated recordings"
    )
    parser.add_argument(
        "--scale",
        type=float,
        default=1.0,
        help="length of the generated runs, as a fraction of 2 h and 3 h",
    )
    parser.add_argument("--no-write", action="store_true", help="print only")
    parser.add_argument("--results", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    groups: list[Group] = []
    if args.corpus.is_dir():
        found = corpus_documents(args.corpus)
        for fmt in ("gpx", "tcx"):
            documents = [(n, d) for n, d in found if _xml_format(n, d) == fmt]
            groups.append(Group(f"corpus {fmt.upper()}", fmt, documents))
    else:
        print(f"no corpus at {args.corpus}: generated files only", file=sys.stderr)
    if not args.no_generated:
        for fmt in ("gpx", "tcx"):
            groups.append(
                Group(
                    f"generated {fmt.upper()}, 1 s points",
                    fmt,
                    generated_documents(fmt, args.scale),
                )
            )
    loads_before = os.getloadavg()
    results = {}
    for group in groups:
        results[group.label] = time_group(group, args.repeats)
        print(f"{group.label}: done", file=sys.stderr, flush=True)
    text = report(groups, results, args.repeats, (loads_before, os.getloadavg()))
    print(text)
    if not args.no_write:
        write_section(text, args.results)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
