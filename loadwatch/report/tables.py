"""The report's tables as plain strings; each renderer escapes them for its own format."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from loadwatch import display, weekly
from loadwatch.report.model import Report
from loadwatch.units import Units, climb, climb_unit, to_unit

#: past this many import problems the rest are counted, not listed
MAX_PROBLEMS = 200


@dataclass(frozen=True, slots=True)
class TableData:
    header: list[str]
    rows: list[list[str]]
    #: right-align these columns (numbers)
    numeric: frozenset[int] = frozenset()
    note: str = ""


def _number(metres: Any, units: Units, digits: int = 1) -> str:
    if metres is None or (isinstance(metres, float) and math.isnan(metres)):
        return ""
    return f"{to_unit(float(metres), units):.{digits}f}"


def weekly_table(report: Report) -> TableData:
    weeks = report.weeks
    u = report.units.value
    surfaces = [c[:-2] for c in weekly.SURFACE_COLUMNS if c in weeks and float(weeks[c].sum()) > 0]
    header = [
        "week",
        "runs",
        f"distance {u}",
        "change",
        f"longest {u}",
        "time",
        f"climb {climb_unit(report.units)}",
    ]
    header += [f"{s} {u}" for s in surfaces] + [f"4-wk avg {u}", "ACWR"]
    rows: list[list[str]] = []
    # oldest week first, newest at the bottom: the order of the terminal's table
    for row in weeks.to_dict("records"):
        change = float(row["change_pct"])
        acwr = float(row["acwr"])
        week = row["week_start"].isoformat() + (" (so far)" if row["partial"] else "")
        rows.append(
            [
                week,
                str(int(row["runs"])),
                _number(row["distance_m"], report.units),
                "" if math.isnan(change) else display.signed_percent(change),
                _number(row["longest_run_m"], report.units),
                display.hours_minutes(float(row["duration_s"])),
                f"{climb(float(row['ascent_m']), report.units):.0f}",
                *(_number(row[f"{s}_m"], report.units) for s in surfaces),
                _number(row["rolling_4wk_m"], report.units),
                "" if math.isnan(acwr) else f"{acwr:.2f}",
            ]
        )
    return TableData(header, rows, frozenset(range(1, len(header))))


def runs_table(report: Report) -> TableData:
    """The runs of the headline's week, with the names and shoes their files gave."""
    u = report.units
    header = ["date", "start", "name", f"distance {u.value}", "time", "pace", "surface", "shoe"]
    rows = [
        [
            run.start_local.date().isoformat(),
            run.start_local.strftime("%H:%M"),
            run.name or "",
            _number(run.distance_m, u, 2),
            display.duration(run.duration_s),
            display.pace(run.distance_m, run.duration_s, u),
            run.surface.value,
            run.shoe or "",
        ]
        for run in report.focus_runs
    ]
    return TableData(header, rows, frozenset({3, 4, 5}))


def shoes_table(report: Report) -> TableData:
    u = report.units.value
    header = [
        "shoe",
        "brand / model",
        "status",
        f"distance {u}",
        f"limit {u}",
        "runs",
        "first run",
        "last run",
        "reaches limit",
        "retired",
    ]
    rows = []
    for shoe in report.shoe_rows():
        make = " ".join(str(shoe.get(k)) for k in ("brand", "model") if shoe.get(k))
        rows.append(
            [
                str(shoe.get("name") or ""),
                make,
                str(shoe.get("status") or ""),
                _number(shoe.get("distance_m"), report.units),
                _number(shoe.get("limit_m"), report.units, 0),
                str(shoe.get("runs") if shoe.get("runs") is not None else ""),
                str(shoe.get("first_run") or ""),
                str(shoe.get("last_run") or ""),
                str(shoe.get("projected_limit_date") or ""),
                str(shoe.get("retired_on") or ""),
            ]
        )
    unassigned = (report.shoes or {}).get("unassigned") or {}
    note = ""
    if unassigned.get("runs"):
        note = (
            f"{unassigned['runs']} run(s), {_number(unassigned.get('distance_m'), report.units)} "
            f"{u}, have no shoe (loadwatch shoes assign sets one)."
        )
    return TableData(header, rows, frozenset({3, 4, 5}), note)


def problems_table(report: Report) -> TableData:
    shown = report.problems[:MAX_PROBLEMS]
    rows = [[p.source, p.kind, p.reason] for p in shown]
    more = len(report.problems) - len(shown)
    note = f"and {more} more (loadwatch import lists them all)." if more > 0 else ""
    return TableData(["file", "kind", "reason"], rows, frozenset(), note)
