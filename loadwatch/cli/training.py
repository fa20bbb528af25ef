"""``loadwatch weekly`` and ``loadwatch check``."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated

import typer
from rich.table import Table

from loadwatch import analysis, weekly
from loadwatch.cli import app
from loadwatch.cli.common import (
    EXIT_THRESHOLD,
    AsOf,
    Paths,
    as_of_date,
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
from loadwatch.rules import Finding, Severity, any_at_least, by_severity
from loadwatch.units import Units


@app.command("weekly")
@friendly
def weekly_command(
    ctx: typer.Context,
    paths: Paths,
    units: Annotated[str | None, typer.Option("--units", help="mi or km.")] = None,
    week_start: Annotated[
        str | None, typer.Option("--week-start", help="monday or sunday.")
    ] = None,
    as_of: AsOf = None,
    fmt: Annotated[str, typer.Option("--format", help="table, csv or json.")] = "table",
) -> None:
    """Weekly mileage in calendar weeks of your local time, empty weeks included."""
    fmt = choice(fmt, ("table", "csv", "json"), "--format")
    config = settings(ctx, paths)
    if week_start:
        config = replace(
            config, week_start=choice(week_start, ("monday", "sunday"), "--week-start")
        )
    unit = Units(choice(units, ("mi", "km"), "--units")) if units else config.units
    day = as_of_date(as_of, config)
    collection = load(ctx, paths, config, day)
    print_summary(collection.summary, err(), verbose=globals_of(ctx).verbose)
    rows = weekly.to_display(analysis.weekly_table(collection, config, day), unit)
    if fmt == "json":
        out().print(to_json(rows), markup=False)
    elif fmt == "csv":
        out().file.write(csv_text(rows))
    else:
        out().print(_weekly_table(rows, unit))


OCCASIONAL_SURFACES = frozenset({"grass", "mixed"})


def _weekly_table(rows: list[dict[str, object]], unit: Units) -> Table:
    u = unit.value
    table = Table(title=f"Weekly running ({u})")
    columns = [
        ("week", "week_start"),
        ("runs", "runs"),
        (f"distance {u}", f"distance_{u}"),
        ("change", "change_pct"),
        (f"longest {u}", f"longest_run_{u}"),
        *(
            (f"{surface} {u}", f"{surface}_{u}")
            for surface in weekly.SURFACES
            # grass and mixed only appear when a source or the user says so
            if surface not in OCCASIONAL_SURFACES or any(row.get(f"{surface}_{u}") for row in rows)
        ),
        (f"4-wk avg {u}", f"rolling_4wk_{u}"),
        ("acwr", "acwr"),
    ]
    for title, _ in columns:
        table.add_column(title, justify="right" if title != "week" else "left")
    for row in rows:
        cells = []
        for _, key in columns:
            value = row.get(key)
            if key == "change_pct" and value is not None:
                cells.append(f"{value:+.0f}%")
            elif key == "week_start" and row.get("partial"):
                cells.append(f"{value} (so far)")
            elif isinstance(value, float):
                cells.append(f"{value:.2f}")
            else:
                cells.append("" if value is None else str(value))
        table.add_row(*cells)
    return table


@app.command("check")
@friendly
def check_command(
    ctx: typer.Context,
    paths: Paths,
    as_of: AsOf = None,
    since: Annotated[
        str | None, typer.Option("--since", help="First date to report (default: 28 days back).")
    ] = None,
    fmt: Annotated[str, typer.Option("--format", help="text or json.")] = "text",
    fail_on: Annotated[
        str | None,
        typer.Option("--fail-on", help="Exit 3 if a finding is at least caution|warning."),
    ] = None,
) -> None:
    """What in your recent training may be straining your heels, and what to do."""
    fmt = choice(fmt, ("text", "json"), "--format")
    threshold = Severity(choice(fail_on, ("caution", "warning"), "--fail-on")) if fail_on else None
    config = settings(ctx, paths)
    day = as_of_date(as_of, config)
    first = parse_date(since, "--since")
    collection = load(ctx, paths, config, day)
    print_summary(collection.summary, err(), verbose=globals_of(ctx).verbose)
    found = analysis.findings(
        collection, config, as_of=day, since=first, home=globals_of(ctx).data_dir
    )
    if fmt == "json":
        out().print(to_json([f.to_dict() for f in found]), markup=False)
    else:
        _print_findings(found)
    if threshold is not None and any_at_least(found, threshold):
        raise typer.Exit(EXIT_THRESHOLD)


def _print_findings(found: list[Finding]) -> None:
    console = out()
    if not found:
        console.print("Nothing to flag in this period.", markup=False)
    for severity, group in by_severity(found).items():
        if not group:
            continue
        console.print(f"\n{severity.value.upper()} ({len(group)})", style="bold", markup=False)
        for finding in group:
            console.print(
                f"- {finding.date.isoformat()} [{finding.rule}] {finding.message}", markup=False
            )
            console.print(f"  What to do: {finding.advice}", markup=False)
            console.print(
                f"  Evidence: {finding.evidence.source} (grade {finding.evidence.grade})",
                markup=False,
            )
            if finding.severity_reason:
                console.print(f"  Why this level: {finding.severity_reason}", markup=False)
    console.print(
        "\nloadwatch is not medical advice. If heel pain lasts more than two weeks, see a GP, "
        "physiotherapist or podiatrist.",
        markup=False,
    )
