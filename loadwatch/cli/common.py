"""What every command shares: global options, loading, error handling, output helpers."""

from __future__ import annotations

import csv
import functools
import io
import json
import logging
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, ParamSpec, TypeVar

import typer
from rich.console import Console

from loadwatch.cli.output import prose
from loadwatch.config import Config, load_config, readable_by_others
from loadwatch.display import looks_like_formula
from loadwatch.errors import LoadwatchError, UsageError
from loadwatch.ingest.pipeline import Collection, ImportSummary, import_folders, last_import
from loadwatch.userdata.store import damage_notes

#: exit codes the CLI promises (README documents them)
EXIT_OK = 0
EXIT_ERROR = 1
EXIT_THRESHOLD = 3

#: the folders-or-files argument every reading command takes
Paths = Annotated[list[Path], typer.Argument(help="Folders or files of watch exports.")]
#: the same, for commands that also work from user data alone
OptionalPaths = Annotated[
    list[Path] | None,
    typer.Argument(help="Folders or files of watch exports.", show_default=False),
]


def iso_date(value: str | None) -> str | None:
    """A date option checked as the command line is read: a bad one exits 2, like any option."""
    if value is not None:
        try:
            date.fromisoformat(value)
        except ValueError:
            raise typer.BadParameter(f"takes a date like 2026-11-22, not '{value}'") from None
    return value


def date_option(name: str, help_text: str) -> Any:
    return typer.Option(name, help=help_text, callback=iso_date, metavar="DATE")


AsOf = Annotated[str | None, date_option("--as-of", "Treat this date as today (default: today).")]
Since = Annotated[str | None, date_option("--since", "First local date to show.")]
Until = Annotated[str | None, date_option("--until", "Last local date to show.")]


class UnitChoice(StrEnum):
    MI = "mi"
    KM = "km"


class TableFormat(StrEnum):
    TABLE = "table"
    CSV = "csv"
    JSON = "json"


class ListFormat(StrEnum):
    TABLE = "table"
    JSON = "json"


class TextFormat(StrEnum):
    TEXT = "text"
    JSON = "json"


class SeverityChoice(StrEnum):
    CAUTION = "caution"
    WARNING = "warning"


class WeekStartChoice(StrEnum):
    MONDAY = "monday"
    SUNDAY = "sunday"


def choice_option(name: str, help_text: str) -> Any:
    """An option whose values are an enum's: a bad value exits 2 and --help lists them."""
    return typer.Option(name, help=help_text, case_sensitive=False)


UnitsOption = Annotated[UnitChoice | None, choice_option("--units", "Distance unit.")]
Wide = Annotated[bool, typer.Option("--wide", help="Show every column, however wide.")]

P = ParamSpec("P")
R = TypeVar("R")


@dataclass(slots=True)
class Globals:
    data_dir: Path | None = None
    config_path: Path | None = None
    verbose: bool = False


# Strings from files (names, gear, notes) reach every table and line, and rich
# would read "[/]" in them as markup (a MarkupError traceback), "[link=...]" as a
# live terminal hyperlink and ":smile:" as an emoji. loadwatch prints no markup of
# its own, so the consoles read none: every string is shown as the text it is.
def out() -> Console:
    """Sentences for the runner: wrapped at word boundaries (machine output uses ``write``)."""
    return prose()


def err() -> Console:
    return prose(stderr=True)


def friendly(command: Callable[P, R]) -> Callable[P, R]:
    """Expected problems become one line on stderr and exit code 1, never a traceback."""

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        damage_notes()  # from an earlier command in this process (tests)
        try:
            return command(*args, **kwargs)
        except LoadwatchError as exc:
            # one line, whatever the width: scripts and cron mails read it as a line
            err().print(f"Error: {exc}", markup=False, soft_wrap=True)
            raise typer.Exit(EXIT_ERROR) from None
        finally:
            # Rows of the user data that could not be read were left out of what the
            # command showed and used; say so, one line each, whatever the outcome.
            for note in damage_notes():
                err().print(f"Warning: {note}", markup=False)

    return wrapper


def globals_of(ctx: typer.Context) -> Globals:
    root = ctx.find_root()
    if not isinstance(root.obj, Globals):
        root.obj = Globals()
    return root.obj


def settings(ctx: typer.Context, paths: Sequence[Path] = ()) -> Config:
    config = load_config(globals_of(ctx).config_path, [p.expanduser() for p in paths])
    email = config.email
    if (
        config.source is not None
        and (email.username or email.password_env)
        and readable_by_others(config.source)
    ):
        # The password itself is refused in the file, but the mail account it names is
        # still worth keeping private.
        err().print(
            f"Warning: {config.source} names your mail login and other users can read it; "
            f"run: chmod 600 {config.source}",
            markup=False,
        )
    return config


def load(
    ctx: typer.Context, paths: Sequence[Path], config: Config, as_of: date | None = None
) -> Collection:
    """Import (incrementally) with a progress bar on a terminal, none otherwise.

    A start after today (or after ``as_of`` when that is later) plus a day is a
    wrong clock: such activities are not counted.
    """
    g = globals_of(ctx)
    if not paths:
        raise UsageError("name at least one folder or file of exports")
    latest = max(date.today(), as_of or date.today()) + timedelta(days=1)
    console = err()
    if not console.is_terminal:
        return _nonempty(
            import_folders(paths, config=config, home=g.data_dir, latest=latest), paths
        )
    # a progress bar only on a terminal: cron and pipes never load it
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    with Progress(
        TextColumn("Reading exports"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=True,
    ) as bar:
        task = bar.add_task("import", total=None)

        def report(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        return _nonempty(
            import_folders(paths, config=config, home=g.data_dir, progress=report, latest=latest),
            paths,
        )


def remembered_folders(ctx: typer.Context) -> list[Path] | None:
    """The folders of the last import that found files (said on stderr), or None."""
    last = last_import(globals_of(ctx).data_dir)
    if last is None:
        return None
    when = last.at.astimezone().strftime("%Y-%m-%d %H:%M")
    named = ", ".join(str(root) for root in last.roots)
    err().print(f"Counting runs in the folders last imported ({when}): {named}", markup=False)
    return list(last.roots)


def _nonempty(collection: Collection, paths: Sequence[Path]) -> Collection:
    """The collection, unless the folders held no export file at all (news, and exit 1)."""
    if collection.summary.files == 0:
        named = ", ".join(str(p) for p in paths)
        raise UsageError(
            f"no activity files in {named}: is this the folder your watch or phone exports to?"
        )
    return collection


def print_summary(summary: ImportSummary, console: Console, *, verbose: bool = False) -> None:
    """The import's counts, then one line per file problem (never wrapped: grep-able)."""
    console.print(
        f"{summary.files} files: {summary.new} new, {summary.updated} updated, "
        f"{summary.unchanged} unchanged, {summary.skipped} skipped",
        markup=False,
    )
    if summary.cache_note:
        console.print(f"Note: {summary.cache_note}", markup=False)
    for problem in summary.problems:
        if problem.kind == "skipped":
            console.print(
                f"  skipped {problem.source}: {problem.reason}", markup=False, soft_wrap=True
            )
        elif problem.kind == "integrity":
            console.print(
                f"  note {problem.source}: {problem.reason}", markup=False, soft_wrap=True
            )
        elif verbose:
            console.print(
                f"  warning {problem.source}: {problem.reason}", markup=False, soft_wrap=True
            )


def parse_date(text: str | None, option: str) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"{option} takes a date like 2026-11-22, not '{text}'") from None


def as_of_date(text: str | None, config: Config) -> date:
    """ "Today": --as-of, else the config's as_of, else the real date.

    The CLI is the one place allowed to read the clock; the library takes dates.
    """
    return parse_date(text, "--as-of") or config.as_of or date.today()


def choice(value: str, allowed: Iterable[str], option: str) -> str:
    allowed = list(allowed)
    if value.lower() not in allowed:
        raise UsageError(f"{option} must be one of {', '.join(allowed)}, not '{value}'")
    return value.lower()


def to_json(data: Any) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False)


def csv_text(rows: Sequence[dict[str, Any]]) -> str:
    """CSV with cells that a spreadsheet would run as a formula defused by a leading quote."""
    buffer = io.StringIO()
    if not rows:
        return ""
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _cell(v) for k, v in row.items()})
    return buffer.getvalue()


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, str) and looks_like_formula(value):
        return "'" + value
    return value


def configure_logging(verbose: bool) -> None:
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
