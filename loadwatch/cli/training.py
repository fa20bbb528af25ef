"""``loadwatch weekly`` and ``loadwatch check``."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Annotated, Any

import typer

from loadwatch import analysis, display, runs
from loadwatch.cli.common import (
    EXIT_THRESHOLD,
    AsOf,
    Paths,
    SeverityChoice,
    Since,
    TableFormat,
    TextFormat,
    UnitsOption,
    WeekStartChoice,
    Wide,
    as_of_date,
    choice_option,
    csv_text,
    date_option,
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
from loadwatch.cli.output import Column, fitted, print_table, say, write
from loadwatch.cli.typer_app import app
from loadwatch.rules import Finding, Severity, any_at_least, by_severity
from loadwatch.units import Units, climb_unit


@app.command("weekly")
@friendly
def weekly_command(
    ctx: typer.Context,
    paths: Paths,
    units: UnitsOption = None,
    week_start: Annotated[
        WeekStartChoice | None, choice_option("--week-start", "First day of a week.")
    ] = None,
    as_of: AsOf = None,
    fmt: Annotated[TableFormat, choice_option("--format", "Output format.")] = TableFormat.TABLE,
    weeks: Annotated[
        int | None, typer.Option("--weeks", min=1, help="Only the last N weeks.")
    ] = None,
    since: Since = None,
    wide: Wide = False,
) -> None:
    """Weekly mileage in calendar weeks of your local time, empty weeks included."""
    config = settings(ctx, paths)
    if week_start:
        config = replace(config, week_start=week_start.value)
    unit = Units(units.value) if units else config.units
    day = as_of_date(as_of, config)
    collection = load(ctx, paths, config, day)
    print_summary(collection.summary, err(), verbose=globals_of(ctx).verbose)
    from loadwatch import weekly  # the table needs pandas; the other commands do not

    rows = weekly.to_display(analysis.weekly_table(collection, config, day), unit)
    first = parse_date(since, "--since")
    if first is not None:
        monday = runs.week_start_of(first, config.week_start)
        rows = [r for r in rows if date.fromisoformat(r["week_start"]) >= monday]
    if weeks is not None:
        rows = rows[-weeks:]
    stale = analysis.stale_note(collection, day)
    if stale:
        say(err(), stale)
    if fmt is TableFormat.JSON:
        write(to_json(rows))
    elif fmt is TableFormat.CSV:
        write(csv_text(rows))
    else:
        _weekly_table(rows, unit, wide)


#: surfaces that appear only when a source or the user names them
OCCASIONAL_SURFACES = frozenset({"grass", "mixed"})


def weekly_columns(rows: list[dict[str, Any]], unit: Units) -> list[tuple[Column, str]]:
    """The weekly table's columns, most important first, and the record key of each.

    Week, runs, distance, change and longest run are the key columns; the time, the
    ascent and the 4-week average come next, then the surfaces, then the ratio.
    """
    u = unit.value
    surfaces = [
        (Column(surface, 4 if surface == "unknown" else 3, right=True), f"{surface}_{u}")
        for surface in runs.SURFACES
        if surface not in OCCASIONAL_SURFACES or any(row.get(f"{surface}_{u}") for row in rows)
    ]
    return [
        (Column("week"), "week_start"),
        (Column("runs", right=True), "runs"),
        (Column(u, right=True), f"distance_{u}"),
        (Column("change", right=True), "change_pct"),
        (Column("longest", right=True), f"longest_run_{u}"),
        (Column("time", 1, right=True), "duration_s"),
        (
            Column(f"climb {climb_unit(unit)}", 2, right=True),
            "ascent_ft" if unit is Units.MI else "ascent_m",
        ),
        (Column("4-wk avg", 2, right=True), f"rolling_4wk_{u}"),
        *surfaces,
        (Column("acwr", 5, right=True), "acwr"),
    ]


def _cell(key: str, value: str | float | None, row: dict[str, Any]) -> str:
    # value: one of weekly.to_display's plain values (ISO date text, a number or None)
    if value is None:
        return ""
    if key == "week_start":
        return f"{value}*" if row.get("partial") else str(value)
    if key == "change_pct":
        return display.signed_percent(float(value))
    if key == "duration_s":
        return display.hours_minutes(float(value))
    if key.startswith("ascent"):
        return f"{value:.0f}"
    if key == "acwr":
        return f"{value:.2f}"
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)


def _weekly_table(rows: list[dict[str, Any]], unit: Units, wide: bool) -> None:
    console = out()
    if not rows:
        console.print("No runs in these weeks.", markup=False)
        return
    columns = weekly_columns(rows, unit)
    cells = [[_cell(key, row.get(key), row) for _, key in columns] for row in rows]
    partial = any(row.get("partial") for row in rows)
    table = fitted(
        [column for column, _ in columns],
        cells,
        width=console.width,
        wide=wide,
        title=f"Weekly running ({unit.value})",
        caption="* this week so far" if partial else None,
    )
    print_table(console, table)


@app.command("check")
@friendly
def check_command(
    ctx: typer.Context,
    paths: Paths,
    as_of: AsOf = None,
    since: Annotated[
        str | None, date_option("--since", "First date to report (default: 28 days back).")
    ] = None,
    fmt: Annotated[TextFormat, choice_option("--format", "Output format.")] = TextFormat.TEXT,
    fail_on: Annotated[
        SeverityChoice | None,
        choice_option("--fail-on", "Exit 3 if a finding is at least this serious."),
    ] = None,
) -> None:
    """What in your recent training may be straining your heels, and what to do."""
    threshold = Severity(fail_on.value) if fail_on else None
    config = settings(ctx, paths)
    day = as_of_date(as_of, config)
    first = parse_date(since, "--since")
    collection = load(ctx, paths, config, day)
    print_summary(collection.summary, err(), verbose=globals_of(ctx).verbose)
    snapshot = analysis.load_snapshot(collection, config, day, globals_of(ctx).data_dir)
    found = snapshot.findings(first)
    stale = snapshot.stale
    if fmt is TextFormat.JSON:
        if stale:
            say(err(), stale)
        write(to_json([f.to_dict() for f in found]))
    else:
        _print_findings(found, stale)
    if threshold is not None and any_at_least(found, threshold):
        raise typer.Exit(EXIT_THRESHOLD)


def _print_findings(found: list[Finding], stale: str | None) -> None:
    console = out()
    if stale:
        say(console, stale, style="bold")
    if not found:
        console.print("Nothing to flag in this period.", markup=False)
    for severity, group in by_severity(found).items():
        if not group:
            continue
        console.print()
        console.print(f"{severity.value.upper()} ({len(group)})", style="bold", markup=False)
        for finding in group:
            say(
                console,
                f"- {finding.date.isoformat()} [{finding.rule}] {finding.message}",
                hanging=2,
            )
            say(console, f"What to do: {finding.advice}", indent=2, hanging=2)
            say(
                console,
                f"Evidence: {finding.evidence.source} (grade {finding.evidence.grade})",
                indent=2,
                hanging=2,
            )
            if finding.severity_reason:
                say(console, f"Why this level: {finding.severity_reason}", indent=2, hanging=2)
    console.print()
    say(
        console,
        "loadwatch is not medical advice. If heel pain lasts more than two weeks, see "
        "a GP, physiotherapist or podiatrist.",
    )
