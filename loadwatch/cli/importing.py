"""``loadwatch import`` and ``loadwatch activities``."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from loadwatch import display
from loadwatch.cli import app
from loadwatch.cli.common import (
    EXIT_ERROR,
    Paths,
    choice,
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
from loadwatch.model import Integrity
from loadwatch.units import Units, to_unit


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
    fmt: Annotated[str, typer.Option("--format", help="table, csv or json.")] = "table",
    units: Annotated[str | None, typer.Option("--units", help="mi or km.")] = None,
    since: Annotated[str | None, typer.Option("--since", help="First local date.")] = None,
    until: Annotated[str | None, typer.Option("--until", help="Last local date.")] = None,
    all_sports: Annotated[
        bool, typer.Option("--all-sports", help="Also list walks, rides, swims...")
    ] = False,
    strict: Annotated[
        bool, typer.Option("--strict", help="Exit 1 if any file had a problem.")
    ] = False,
) -> None:
    """List the activities found (runs only unless --all-sports)."""
    fmt = choice(fmt, ("table", "csv", "json"), "--format")
    config = settings(ctx, paths)
    unit = Units(choice(units, ("mi", "km"), "--units")) if units else config.units
    first, last = parse_date(since, "--since"), parse_date(until, "--until")
    collection = load(ctx, paths, config)
    chosen = [a for a in collection.between(first, last) if all_sports or a.is_run]
    print_summary(collection.summary, err(), verbose=globals_of(ctx).verbose)
    if fmt == "json":
        out().print(to_json([a.to_dict() for a in chosen]), markup=False)
    elif fmt == "csv":
        rows = [a.to_dict() for a in chosen]
        for row in rows:
            row["merged_sources"] = ";".join(row["merged_sources"])
        out().file.write(csv_text(rows))
    else:
        table = Table(title=f"{len(chosen)} activities", show_lines=False)
        for column in (
            "date",
            "time",
            "sport",
            "surface",
            f"distance ({unit.value})",
            "duration",
            "pace",
            "ascent (m)",
            "shoe",
            "name",
            "integrity",
            "source",
        ):
            table.add_column(column, overflow="fold")
        for a in chosen:
            table.add_row(
                a.start_local.strftime("%Y-%m-%d"),
                a.start_local.strftime("%H:%M"),
                a.sport.value,
                a.surface.value,
                "" if a.distance_m is None else f"{to_unit(a.distance_m, unit):.2f}",
                display.duration(a.duration_s),
                display.pace(a.distance_m, a.duration_s, unit),
                "" if a.ascent_m is None else f"{a.ascent_m:.0f}",
                a.shoe or "",
                a.name or "",
                "" if a.integrity is Integrity.COMPLETE else a.integrity.value,
                a.source + (f" (+{len(a.merged_sources)})" if a.merged_sources else ""),
            )
        out().print(table)
    if strict and collection.summary.problems:
        raise typer.Exit(EXIT_ERROR)
