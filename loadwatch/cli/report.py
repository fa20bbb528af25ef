"""``loadwatch report``: the weekly report as files, a terminal summary and (optionally) e-mail."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated

import typer

from loadwatch.cli.common import (
    EXIT_THRESHOLD,
    AsOf,
    Paths,
    SeverityChoice,
    UnitsOption,
    as_of_date,
    choice_option,
    err,
    friendly,
    globals_of,
    load,
    out,
    settings,
)
from loadwatch.cli.output import say
from loadwatch.cli.typer_app import app
from loadwatch.errors import UsageError
from loadwatch.ingest.pipeline import data_dir
from loadwatch.locking import DEFAULT_TIMEOUT_S, data_dir_lock
from loadwatch.report import FORMATS
from loadwatch.rules import Severity, any_at_least
from loadwatch.units import Units

#: how long to wait for another run holding the data directory (seconds)
LOCK_TIMEOUT_ENV = "LOADWATCH_LOCK_TIMEOUT"


def parse_formats(text: str) -> list[str]:
    chosen = [part.strip().lower() for part in text.split(",") if part.strip()]
    unknown = [part for part in chosen if part not in FORMATS]
    if not chosen or unknown:
        raise typer.BadParameter(
            f"takes a comma-separated list of {', '.join(FORMATS)}, not '{text}'"
        )
    return chosen


def _formats_option(value: str) -> str:
    parse_formats(value)  # a bad list is a command-line error: exit 2 with the option named
    return value


def lock_timeout(environ: Mapping[str, str]) -> float:
    raw = environ.get(LOCK_TIMEOUT_ENV)
    if raw is None:
        return DEFAULT_TIMEOUT_S
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not value >= 0:
        raise UsageError(f"{LOCK_TIMEOUT_ENV} must be a number of seconds, not '{raw}'")
    return value


@app.command("report")
@friendly
def report_command(
    ctx: typer.Context,
    paths: Paths,
    out_dir: Annotated[
        Path | None,
        typer.Option(
            "--out", help="Folder for the report files (default: reports/ in the data directory)."
        ),
    ] = None,
    as_of: AsOf = None,
    weeks: Annotated[
        int, typer.Option("--weeks", min=1, max=520, help="Weeks of history in the charts.")
    ] = 16,
    formats: Annotated[
        str,
        typer.Option(
            "--formats", help="Any of html,md,json,png, comma-separated.", callback=_formats_option
        ),
    ] = ",".join(FORMATS),
    quiet: Annotated[
        bool,
        typer.Option(
            "--quiet",
            help="Print nothing unless a caution or warning is in the last 28 days (for cron).",
        ),
    ] = False,
    fail_on: Annotated[
        SeverityChoice | None,
        choice_option(
            "--fail-on", "Exit 3 if a finding in the last 28 days is at least this serious."
        ),
    ] = None,
    email: Annotated[
        bool, typer.Option("--email", help="Also send the report by e-mail ([email] config).")
    ] = False,
    units: UnitsOption = None,
) -> None:
    """Write this week's report (HTML, Markdown, JSON, charts) and print a short summary."""
    # Imported here: building a report loads pandas, which the other commands do without.
    from email.utils import formatdate, make_msgid

    from loadwatch.report import build_report, render, summary_lines, write_report
    from loadwatch.report.emailer import CID_DOMAIN, send_report

    chosen = parse_formats(formats)
    threshold = Severity(fail_on.value) if fail_on else None
    unit = Units(units.value) if units else None
    config = settings(ctx, paths)
    day = as_of_date(as_of, config)
    g = globals_of(ctx)
    home = data_dir(g.data_dir)
    target = out_dir.expanduser() if out_dir else home / "reports"
    timeout = lock_timeout(os.environ)

    def waiting() -> None:
        if not quiet:
            err().print(
                f"Another loadwatch run is using {home}; waiting up to {timeout:g} s for it.",
                markup=False,
            )

    with data_dir_lock(home, timeout_s=timeout, on_wait=waiting):
        collection = load(ctx, paths, config, day)
        report = build_report(
            collection, config, as_of=day, weeks=weeks, units=unit, home=g.data_dir
        )
        rendered = render(report, chart_cache=home / "charts")
        written = write_report(rendered, target, chosen)
    if email:
        send_report(
            rendered,
            config.email,
            os.environ,
            date_header=formatdate(localtime=True),
            message_id=make_msgid(domain=CID_DOMAIN),
        )
    if not quiet or report.has_news:
        console = out()
        for line in summary_lines(rendered, written[0] if written else None):
            if line.startswith("Report: "):
                # a path stays whole on one line, to copy or click, however long
                console.print(line, markup=False, highlight=False, soft_wrap=True)
            else:
                say(console, line)
        skipped = [p for p in report.problems if p.kind == "skipped"]
        if skipped:
            console.print(
                f"{len(skipped)} file(s) could not be read; the report lists them.", markup=False
            )
        if email:
            console.print(f"Sent to {', '.join(config.email.to)}.", markup=False)
    if threshold is not None and any_at_least(list(report.findings), threshold):
        raise typer.Exit(EXIT_THRESHOLD)
