"""``loadwatch cohort``: a cohort's exposure tables as Parquet, built on Dask."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from loadwatch.cli.common import (
    AsOf,
    as_of_date,
    err,
    friendly,
    globals_of,
    out,
    settings,
)
from loadwatch.cli.typer_app import app
from loadwatch.errors import LoadwatchError
from loadwatch.ingest.pipeline import data_dir


def _scheduler(value: str) -> str:
    """synchronous, processes or an address: anything else is a wrong command line (exit 2)."""
    if value in ("synchronous", "processes") or "://" in value:
        return value
    raise typer.BadParameter(
        f"takes synchronous, processes or a Dask scheduler's address like tcp://host:8786, "
        f"not '{value}'"
    )


@app.command("cohort")
@friendly
def cohort_command(
    ctx: typer.Context,
    root: Annotated[
        Path,
        typer.Argument(
            help="A folder with one folder of exports per athlete, or a team.toml roster."
        ),
    ],
    out_dir: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="Folder for the Parquet tables: new, or one an earlier "
            "cohort run wrote (default: cohort/ in the data directory).",
        ),
    ] = None,
    as_of: AsOf = None,
    scheduler: Annotated[
        str,
        typer.Option(
            "--scheduler",
            callback=_scheduler,
            help="synchronous, processes (this machine's cores) or a Dask "
            "scheduler's address (tcp://host:8786).",
        ),
    ] = "processes",
    workers: Annotated[
        int | None,
        typer.Option(
            "--workers",
            min=1,
            help="Processes for --scheduler processes (default: the machine's cores).",
        ),
    ] = None,
) -> None:
    """Write a cohort's per-session and per-athlete-week exposure tables as Parquet."""
    # imported here: the single-runner commands must start without pandas' Parquet stack
    from loadwatch import cohort

    root = root.expanduser()
    config = settings(ctx, [root])
    day = as_of_date(as_of, config)
    home = data_dir(globals_of(ctx).data_dir)
    target = out_dir.expanduser() if out_dir else home / "cohort"
    result = cohort.run_cohort(
        root,
        out_dir=target,
        home=home,
        as_of=day,
        config_path=globals_of(ctx).config_path,
        scheduler=scheduler,
        workers=workers,
        latest=cohort.default_latest(day, date.today()),
        progress=err().is_terminal,
    )
    console = out()
    summary = cohort.summarise(result.out_dir)
    categories = summary["spike_categories"]
    console.print(
        f"{summary['athletes']} athletes, {result.files} files: {summary['sessions']} sessions "
        f"({summary['runs']} runs), {summary['athlete_weeks']} athlete-weeks, "
        f"{summary['first_day']} to {summary['last_day']}",
        markup=False,
    )
    console.print(
        "Runs by spike category (Frandsen): "
        + ", ".join(f"{name} {count}" for name, count in categories.items()),
        markup=False,
    )
    console.print(
        f"Tables: {result.out_dir / cohort.SESSIONS}, {result.out_dir / cohort.WEEKS}", markup=False
    )
    for failed in result.failed:
        err().print(f"  not written {failed.name}: {failed.error}", markup=False)
    if result.failed and len(result.failed) == len(result.athletes):
        raise LoadwatchError("no athlete's tables could be written")
