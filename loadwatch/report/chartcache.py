"""Reuse the charts of an unchanged report instead of drawing them again.

Importing matplotlib and drawing five charts is most of a warm ``loadwatch
report``'s time, yet a cron job usually finds the same data as last time. The
charts are keyed by a digest of everything they are drawn from (the numbers, the
units, the drawing code and matplotlib's version) and kept in the data
directory, which is a cache: deleting it costs one redraw.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import json
from collections.abc import Callable
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from loadwatch.errors import StoreError
from loadwatch.report.files import write_atomic
from loadwatch.report.model import Chart, Report

#: how many distinct reports' charts to keep
KEEP = 8


def digest(report: Report) -> str:
    """A key that changes whenever any chart could look different."""
    h = hashlib.sha256()
    spec = importlib.util.find_spec("loadwatch.report.charts")
    if spec is not None and spec.origin:
        # the drawing code itself, read without importing matplotlib
        h.update(Path(spec.origin).read_bytes())
    with contextlib.suppress(PackageNotFoundError):
        h.update(version("matplotlib").encode())
    flags = sorted((day.isoformat(), severity.value) for day, severity in report.week_flags.items())
    h.update(
        json.dumps(
            [
                report.label,
                report.units.value,
                report.plan_m,
                flags,
                report.shoes,
                report.pain.levels if report.pain else None,
            ],
            sort_keys=True,
            default=str,
        ).encode()
    )
    for frame in (report.weeks, report.runs, report.load):
        h.update(frame.to_csv().encode())
    return h.hexdigest()[:32]


def cached_charts(
    report: Report, folder: Path, draw: Callable[[Report], list[Chart]]
) -> list[Chart]:
    """The report's charts from ``folder`` if drawn before, else drawn and stored there.

    A damaged or missing cache entry is simply drawn again; a folder that cannot
    be written only loses the saving, never the report.
    """
    key = digest(report)
    index = folder / f"{key}.json"
    found = _load(folder, index)
    if found is not None:
        return found
    charts = draw(report)
    with contextlib.suppress(OSError, StoreError):
        _store(folder, key, charts)
        _prune(folder)
    return charts


def _load(folder: Path, index: Path) -> list[Chart] | None:
    try:
        entries = json.loads(index.read_text(encoding="utf-8"))
        charts = [
            Chart(
                e["key"],
                e["title"],
                e["alt"],
                (folder / e["file"]).read_bytes(),
                (folder / e["narrow"]).read_bytes() if e.get("narrow") else None,
            )
            for e in entries
        ]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    pngs = [png for c in charts for png in (c.png, c.narrow_png) if png is not None]
    if not all(png.startswith(b"\x89PNG\r\n\x1a\n") for png in pngs):
        return None
    index.touch()  # recently used: kept by _prune
    return charts


def _store(folder: Path, key: str, charts: list[Chart]) -> None:
    entries = []
    for chart in charts:
        name = f"{key}-{chart.key}.png"
        write_atomic(folder / name, chart.png)
        entry = {"key": chart.key, "title": chart.title, "alt": chart.alt, "file": name}
        if chart.narrow_png is not None:
            entry["narrow"] = f"{key}-{chart.key}-narrow.png"
            write_atomic(folder / entry["narrow"], chart.narrow_png)
        entries.append(entry)
    # the index last: it only ever names PNGs that are complete
    write_atomic(folder / f"{key}.json", json.dumps(entries))


def _prune(folder: Path) -> None:
    indexes = sorted(folder.glob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
    for stale in indexes[KEEP:]:
        for png in folder.glob(f"{stale.stem}-*.png"):
            png.unlink(missing_ok=True)
        stale.unlink(missing_ok=True)
