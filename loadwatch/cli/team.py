"""``loadwatch team``: every athlete's weekly report and one page ranking who needs a look."""

from __future__ import annotations

import os
import sys
from datetime import date, timedelta
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table
from rich.text import Text

from loadwatch.cli.common import (
    EXIT_THRESHOLD,
    AsOf,
    as_of_date,
    err,
    friendly,
    globals_of,
    out,
    settings,
)
from loadwatch.cli.report import lock_timeout, parse_formats
from loadwatch.cli.typer_app import app
from loadwatch.errors import UsageError
from loadwatch.ingest.pipeline import data_dir
from loadwatch.locking import data_dir_lock
from loadwatch.report import FORMATS
from loadwatch.rules import Severity
from loadwatch.units import Units

if TYPE_CHECKING:
    from loadwatch.team import TeamReport

# The dashboard builds every athlete's report (pandas): it is imported inside the
# command, so the other commands start without it.

_BLOCKS = "▁▂▃▄▅▆▇█"


class PageFormat(StrEnum):
    HTML = "html"
    JSON = "json"
    TABLE = "table"


class FailOn(StrEnum):
    CAUTION = "caution"
    WARNING = "warning"


class Unit(StrEnum):
    MI = "mi"
    KM = "km"


def _formats(value: str) -> str:
    """A bad --formats list is a wrong command line: exit 2 naming the option."""
    try:
        parse_formats(value)
    except UsageError as exc:
        raise typer.BadParameter(exc.reason) from None
    return value


@app.command("team")
@friendly
def team_command(
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
            help="Folder for the team page and each athlete's report "
            "(default: team/ in the data directory).",
        ),
    ] = None,
    as_of: AsOf = None,
    fmt: Annotated[
        PageFormat,
        typer.Option(
            "--format",
            case_sensitive=False,
            help="html (write the page, print a summary), json or table.",
        ),
    ] = PageFormat.HTML,
    weeks: Annotated[
        int,
        typer.Option("--weeks", min=1, max=520, help="Weeks of history in each athlete's report."),
    ] = 16,
    formats: Annotated[
        str,
        typer.Option(
            "--formats",
            callback=_formats,
            help="The athletes' report files: any of html,md,json,png.",
        ),
    ] = ",".join(FORMATS),
    quiet: Annotated[
        bool,
        typer.Option(
            "--quiet",
            help="Print nothing unless an athlete has a caution or "
            "warning in the last 28 days (for cron).",
        ),
    ] = False,
    fail_on: Annotated[
        FailOn | None,
        typer.Option(
            "--fail-on",
            case_sensitive=False,
            help="Exit 3 if any athlete has a "
            "finding in the last 28 days of at least caution|warning.",
        ),
    ] = None,
    units: Annotated[
        Unit | None, typer.Option("--units", case_sensitive=False, help="The team page's unit.")
    ] = None,
) -> None:
    """Rank a team's athletes by what needs attention this week, with each one's report."""
    from loadwatch.report import teampage
    from loadwatch.team import team_dashboard

    chosen = parse_formats(formats)
    threshold = Severity(fail_on.value) if fail_on else None
    root = root.expanduser()
    config = settings(ctx, [root])
    unit = Units(units.value) if units else config.units
    day = as_of_date(as_of, config)
    g = globals_of(ctx)
    home = data_dir(g.data_dir)
    target = out_dir.expanduser() if out_dir else home / "team"
    timeout = lock_timeout(os.environ)
    console = err()

    def waiting() -> None:
        if not quiet:
            console.print(
                f"Another loadwatch run is using {home}; waiting up to {timeout:g} s for it.",
                markup=False,
            )

    def progress(done: int, total: int, name: str) -> None:
        if console.is_terminal and not quiet and name:
            console.print(Text(f"[{done + 1}/{total}] {name}", style="dim"))

    latest = max(date.today(), day) + timedelta(days=1)
    with data_dir_lock(home, timeout_s=timeout, on_wait=waiting):
        team = team_dashboard(
            root,
            home=home,
            out_dir=target,
            as_of=day,
            units=unit,
            config_path=g.config_path,
            weeks=weeks,
            formats=chosen,
            latest=latest,
            progress=progress,
        )
    if not quiet or team.has_news:
        if fmt is PageFormat.JSON:
            # machine output as it is: a console would wrap long lines at the width
            sys.stdout.write(teampage.json_text(team))
        elif fmt is PageFormat.TABLE:
            out().print(_table(team))
        else:
            for line in _summary(team):
                out().print(line, markup=False)
    if threshold is not None and team.meets(threshold):
        raise typer.Exit(EXIT_THRESHOLD)


def spark_text(values: list[float]) -> str:
    """The weeks' distances as block characters, for the terminal."""
    top = max(values, default=0.0)
    if top <= 0:
        return _BLOCKS[0] * len(values)
    return "".join(
        _BLOCKS[min(len(_BLOCKS) - 1, int(v / top * (len(_BLOCKS) - 1) + 0.5))] for v in values
    )


def _summary(team: TeamReport) -> list[str]:
    from loadwatch.team import ATTENTION_WORDS

    lights = team.lights()
    lines = [
        f"Team as of {team.as_of.isoformat()}: {len(team.rows)} athletes, {lights['red']} red, "
        f"{lights['amber']} amber, {lights['green']} green"
        + (f", {lights['unknown']} unreadable" if lights["unknown"] else "")
    ]
    for rank, row in enumerate(team.rows, 1):
        why = "; ".join(ATTENTION_WORDS[reason] for reason in row.attention)
        lines.append(f"{rank:>3}. {row.athlete.name} ({row.light or 'unknown'}): {why}")
    if team.page is not None:
        lines.append(f"Team page: {team.page}")
    return lines


def _table(team: TeamReport) -> Table:
    from loadwatch.report.wording import rule_title
    from loadwatch.team import ATTENTION_WORDS

    # every cell is a Text: names and messages come from files and must not be markup
    table = Table(title=Text(f"Team as of {team.as_of.isoformat()}"), show_lines=False)
    for column in (
        "#",
        "light",
        "athlete",
        "why",
        f"8 weeks ({team.units.value})",
        "top finding",
        "last run",
    ):
        table.add_column(Text(column))
    colours = {"red": "red", "amber": "yellow", "green": "green"}
    for rank, row in enumerate(team.rows, 1):
        light = row.light or "unknown"
        weeks = [metres / team.units.metres for _, metres in row.weeks()]
        top = row.top_findings(1)
        # the rule's title only: a terminal row stays short, the page has the whole line
        finding = (
            f"{top[0].severity.value}: {rule_title(top[0].rule)}" if top else (row.error or "")
        )
        table.add_row(
            Text(str(rank)),
            Text(light, style=colours.get(light, "")),
            Text(row.athlete.name),
            Text("; ".join(ATTENTION_WORDS[reason] for reason in row.attention)),
            Text(spark_text(weeks) + (f" {weeks[-1]:.1f}" if weeks else "")),
            Text(finding),
            Text("none" if row.last_run is None else row.last_run.isoformat()),
        )
    return table
