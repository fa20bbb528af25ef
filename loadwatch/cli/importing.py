"""``loadwatch import`` and ``loadwatch activities``."""

from __future__ import annotations

from typing import Annotated

import typer

from loadwatch import display
from loadwatch.cli.common import (
    EXIT_ERROR,
    Paths,
    Since,
    TableFormat,
    UnitsOption,
    Until,
    Wide,
    choice_option,
    csv_text,
    err,
    friendly,
    globals_of,
    load,
    out,
    parse_date,
    print_summary,
    settings,
    to_json,
)
from loadwatch.cli.output import Column, fitted, print_table, write
from loadwatch.cli.typer_app import app
from loadwatch.model import Activity, Integrity
from loadwatch.units import Units, climb, climb_unit, to_unit


@app.command("import")
@friendly
def import_command(
    ctx: typer.Context,
    paths: Paths,
    strict: Annotated[
        bool, typer.Option("--strict", help="Exit 1 if any file had a problem.")
    ] = False,
) -> None:
    """Read new and changed export files into the local cache and summarise."""
    config = settings(ctx, paths)
    collection = load(ctx, paths, config)
    print_summary(collection.summary, out(), verbose=globals_of(ctx).verbose)
    runs = collection.runs
    out().print(f"{len(collection.activities)} activities, {len(runs)} runs.", markup=False)
    if strict and collection.summary.problems:
        raise typer.Exit(EXIT_ERROR)


@app.command("activities")
@friendly
def activities_command(
    ctx: typer.Context,
    paths: Paths,
    fmt: Annotated[TableFormat, choice_option("--format", "Output format.")] = TableFormat.TABLE,
    units: UnitsOption = None,
    since: Since = None,
    until: Until = None,
    all_sports: Annotated[
        bool, typer.Option("--all-sports", help="Also list walks, rides, swims...")
    ] = False,
    strict: Annotated[
        bool, typer.Option("--strict", help="Exit 1 if any file had a problem.")
    ] = False,
    wide: Wide = False,
) -> None:
    """List the activities found (runs only unless --all-sports)."""
    config = settings(ctx, paths)
    unit = Units(units.value) if units else config.units
    first, last = parse_date(since, "--since"), parse_date(until, "--until")
    collection = load(ctx, paths, config)
    chosen = [a for a in collection.between(first, last) if all_sports or a.is_run]
    print_summary(collection.summary, err(), verbose=globals_of(ctx).verbose)
    if fmt is TableFormat.JSON:
        write(to_json([a.to_dict() for a in chosen]))
    elif fmt is TableFormat.CSV:
        write(csv_text([spreadsheet_row(a, unit) for a in chosen]))
    else:
        _activities_table(chosen, unit, all_sports=all_sports, wide=wide)
    if strict and collection.summary.problems:
        raise typer.Exit(EXIT_ERROR)


def spreadsheet_row(activity: Activity, unit: Units) -> dict[str, object]:
    """An activity for a spreadsheet: the JSON's columns in the chosen unit, sensibly rounded.

    Distance is in miles or km (3 decimals), ascent in feet or metres and times and
    cadence to 0.1; the merged copies are joined with ``;``.
    """
    values: dict[str, object] = {}
    for key, value in activity.to_dict().items():
        if key == "distance_m":
            values[f"distance_{unit.value}"] = (
                None if value is None else round(to_unit(value, unit), 3)
            )
        elif key == "ascent_m":
            values[f"ascent_{climb_unit(unit)}"] = (
                None if value is None else round(climb(value, unit), 1)
            )
        elif key in ("duration_s", "elapsed_s", "avg_cadence_spm"):
            values[key] = None if value is None else round(value, 1)
        elif key == "merged_sources":
            values[key] = ";".join(value)
        else:
            values[key] = value
    return values


def _activities_table(chosen: list[Activity], unit: Units, *, all_sports: bool, wide: bool) -> None:
    console = out()
    damaged = any(a.integrity is not Integrity.COMPLETE for a in chosen)
    columns = [
        Column("date"),
        Column("time", 1),
        *([Column("sport", 1)] if all_sports else []),
        Column(unit.value, right=True),
        Column("duration", 1, right=True),
        Column("pace", 2, right=True),
        Column("surface", 2),
        *([Column("integrity", 1)] if damaged else []),
        Column(climb_unit(unit), 3, right=True),
        Column("shoe", 3),
        Column("name", 4, flexible=True),
        Column("source", 5),
    ]
    rows = []
    for a in chosen:
        rows.append(
            [
                a.start_local.strftime("%Y-%m-%d"),
                a.start_local.strftime("%H:%M"),
                *([a.sport.value] if all_sports else []),
                "" if a.distance_m is None else f"{to_unit(a.distance_m, unit):.2f}",
                display.duration(a.duration_s),
                display.pace(a.distance_m, a.duration_s, unit),
                a.surface.value,
                *(
                    ["" if a.integrity is Integrity.COMPLETE else a.integrity.value]
                    if damaged
                    else []
                ),
                "" if a.ascent_m is None else f"{climb(a.ascent_m, unit):.0f}",
                a.shoe or "",
                a.name or "",
                a.source + (f" (+{len(a.merged_sources)})" if a.merged_sources else ""),
            ]
        )
    table = fitted(columns, rows, width=console.width, wide=wide, title=f"{len(chosen)} activities")
    print_table(console, table)
