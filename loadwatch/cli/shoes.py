"""``loadwatch shoes``: each pair's distance and status, and the commands that edit the list."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from loadwatch import display
from loadwatch.analysis import load_snapshot
from loadwatch.cli.common import (
    EXIT_THRESHOLD,
    AsOf,
    ListFormat,
    UnitsOption,
    Wide,
    as_of_date,
    choice_option,
    date_option,
    err,
    friendly,
    globals_of,
    load,
    out,
    parse_date,
    print_summary,
    remembered_folders,
    settings,
    to_json,
)
from loadwatch.cli.common import (
    OptionalPaths as Paths,
)
from loadwatch.cli.output import Column, fitted, print_table, say, write
from loadwatch.cli.typer_app import app
from loadwatch.errors import LoadwatchError, UsageError
from loadwatch.ingest.pipeline import data_dir, imported_activity_days
from loadwatch.units import Units, parse_distance, to_unit
from loadwatch.userdata.shoes import (
    RETIRED,
    ShoeReport,
    import_listed_shoes,
)
from loadwatch.userdata.store import ACTIVITY_ID, Shoe, UserData, open_userdata


class ListByDefault(TyperGroup):
    """A group whose bare form runs ``list``: ``loadwatch shoes PATH --due``.

    Unless the first word names a subcommand or asks for help, ``list`` is put in
    front of the arguments. (A folder called like a subcommand needs ``./``.)
    """

    default_command = "list"

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        first = args[0] if args else None
        if first is None or (first not in self.commands and first not in ctx.help_option_names):
            args = [self.default_command, *args]
        return super().parse_args(ctx, args)


class ShoeLevel(StrEnum):
    """``--fail-on`` levels (a test holds them to ``shoes.FAIL_ON``)."""

    PLAN = "plan"
    RETIRE = "retire"


class DefaultFor(StrEnum):
    """``--default-for`` choices (a test holds them to ``userdata.DEFAULT_FOR``)."""

    ROAD = "road"
    TRAIL = "trail"
    TRACK = "track"
    TREADMILL = "treadmill"
    RUN = "run"


shoes_app = typer.Typer(
    cls=ListByDefault,
    help=(
        "Distance, status and forecast of each pair of shoes, and commands to add, retire, "
        "assign, rename and import them. Bare 'loadwatch shoes PATH...' runs 'list'."
    ),
)
app.add_typer(shoes_app, name="shoes")


def _today(text: str | None, option: str) -> date:
    # The CLI is the one place allowed to read the clock.
    return parse_date(text, option) or date.today()


def _store(ctx: typer.Context) -> UserData:
    return open_userdata(data_dir(globals_of(ctx).data_dir))


@shoes_app.command("list")
@friendly
def list_command(
    ctx: typer.Context,
    paths: Paths = None,
    as_of: AsOf = None,
    units: UnitsOption = None,
    fmt: Annotated[ListFormat, choice_option("--format", "Output format.")] = ListFormat.TABLE,
    due: Annotated[bool, typer.Option("--due", help="Only pairs to plan for or retire.")] = False,
    fail_on: Annotated[
        ShoeLevel | None,
        choice_option("--fail-on", "Exit 3 if a pair is at plan (or retire) or beyond."),
    ] = None,
    wide: Wide = False,
) -> None:
    """(default) Each pair: runs, distance, age, status (ok, plan, retire, retired), forecast."""
    level = fail_on.value if fail_on else None
    folders = list(paths or [])
    if not folders:
        # a list without runs would show every pair at zero: a wrong total, so none
        folders = remembered_folders(ctx) or []
        if not folders:
            raise UsageError(
                "name your export folders (loadwatch shoes PATH...): no earlier import to "
                "count runs from"
            )
    config = settings(ctx, folders)
    unit = Units(units.value) if units else config.units
    day = as_of_date(as_of, config)
    collection = load(ctx, folders, config, day)
    print_summary(collection.summary, err(), verbose=globals_of(ctx).verbose)
    snapshot = load_snapshot(collection, config, day, globals_of(ctx).data_dir, diary=False)
    report = snapshot.shoe_report()
    if snapshot.created:
        err().print(
            f"New shoes from your exports' gear: {', '.join(snapshot.created)}", markup=False
        )
    shown = report.due() if due else report
    if fmt is ListFormat.JSON:
        write(to_json(shown.to_dict()))
    else:
        _print_table(shown, unit, wide)
    if level is not None and report.meets(level):
        raise typer.Exit(EXIT_THRESHOLD)


def _print_table(report: ShoeReport, unit: Units, wide: bool = False) -> None:
    console = out()
    u = unit.value
    defaults = any(row.shoe.default_for for row in report.rows)
    columns = [
        Column("shoe"),
        Column("runs", right=True),
        Column(u, right=True),
        Column("status"),
        Column("limit on", 1),
        Column("last run", 2),
        Column("age", 3, right=True),
        Column(f"limit {u}", 3, right=True),
        *([Column("default", 4)] if defaults else []),
    ]
    rows = []
    for row in report.rows:
        shoe = row.shoe
        status = row.status
        if status == RETIRED and shoe.retired_on is not None:
            status = f"retired {shoe.retired_on.isoformat()}"
        rows.append(
            [
                _label(shoe),
                str(row.runs),
                f"{to_unit(row.distance_m, unit):.1f}",
                status,
                _iso(row.projected_limit_date),
                _iso(row.last_run),
                "" if row.age_days is None else f"{row.age_days}d",
                f"{to_unit(shoe.limit_m, unit):.0f}",
                *([shoe.default_for or ""] if defaults else []),
            ]
        )
    if report.rows:
        print_table(
            console,
            fitted(
                columns,
                rows,
                width=console.width,
                wide=wide,
                title=f"Shoes as of {report.as_of.isoformat()}",
            ),
        )
    else:
        console.print("No shoes to show.", markup=False)
    loose = display.distance(report.unassigned_distance_m, unit, 1)
    runs = f"{report.unassigned_runs} run{'' if report.unassigned_runs == 1 else 's'}"
    console.print(f"Unassigned: {runs}, {loose}", markup=False)
    if report.unassigned_runs:
        say(
            console,
            "Count them with 'loadwatch shoes assign NAME --from DATE --to DATE', or "
            "give a pair --default-for road|trail|track|treadmill|run.",
            indent=2,
        )


def _label(shoe: Shoe) -> str:
    detail = " ".join(part for part in (shoe.brand, shoe.model) if part)
    return f"{shoe.name} ({detail})" if detail and detail != shoe.name else shoe.name


def _iso(day: date | None) -> str:
    return "" if day is None else day.isoformat()


def _distance(text: str | None, option: str = "") -> float | None:
    if text is None:
        return None
    try:
        return parse_distance(text)
    except LoadwatchError as exc:
        raise UsageError(f"{option}: {exc}") from None


def _checked_distance(value: str | None) -> str | None:
    """A distance option checked as the command line is read: a bad one exits 2."""
    if value is not None:
        try:
            parse_distance(value)
        except LoadwatchError as exc:
            raise typer.BadParameter(str(exc)) from None
    return value


@shoes_app.command("add")
@friendly
def add_command(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The pair's name, as you want to see it.")],
    brand: Annotated[str | None, typer.Option("--brand")] = None,
    model: Annotated[str | None, typer.Option("--model")] = None,
    since: Annotated[
        str | None, date_option("--since", "First day in service (default: today).")
    ] = None,
    limit: Annotated[
        str | None,
        typer.Option(
            "--limit",
            help="Retire at this distance, e.g. 450mi or 720km.",
            callback=_checked_distance,
        ),
    ] = None,
    start_distance: Annotated[
        str | None,
        typer.Option(
            "--start-distance",
            help="Distance already on the pair, e.g. 40mi.",
            callback=_checked_distance,
        ),
    ] = None,
    default_for: Annotated[
        DefaultFor | None,
        choice_option("--default-for", "The surface (or any run) this pair is worn for."),
    ] = None,
    notes: Annotated[str | None, typer.Option("--notes")] = None,
) -> None:
    """Add a pair (or complete one that was created from your exports' gear)."""
    surface = default_for.value if default_for else None
    with _store(ctx) as store:
        shoe, created = store.add_shoe(
            name,
            brand=brand,
            model=model,
            in_service=parse_date(since, "--since"),
            limit_m=_distance(limit, "--limit"),
            start_distance_m=_distance(start_distance, "--start-distance"),
            default_for=surface,
            notes=notes,
            default_in_service=date.today(),
        )
    unit = settings(ctx).units
    verb = "Added" if created else "Updated"
    started = f", in service from {shoe.in_service.isoformat()}" if shoe.in_service else ""
    out().print(
        f"{verb} '{shoe.name}': limit {display.distance(shoe.limit_m, unit, 0)}{started}.",
        markup=False,
    )


@shoes_app.command("retire")
@friendly
def retire_command(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The pair to retire.")],
    on: Annotated[
        str | None, date_option("--on", "Its last day in service (default: today).")
    ] = None,
) -> None:
    """Mark a pair retired; its runs still count in its history."""
    with _store(ctx) as store:
        shoe = store.retire_shoe(name, _today(on, "--on"), move=on is not None)
    assert shoe.retired_on is not None
    out().print(f"Retired '{shoe.name}' on {shoe.retired_on.isoformat()}.", markup=False)


@shoes_app.command("assign")
@friendly
def assign_command(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The pair the runs count for.")],
    activity: Annotated[
        str | None, typer.Option("--activity", help="One activity id (see 'activities').")
    ] = None,
    first: Annotated[str | None, date_option("--from", "First date of a range.")] = None,
    last: Annotated[str | None, date_option("--to", "Last date of a range.")] = None,
) -> None:
    """Count one activity, or every run in a date range, for a pair."""
    day = None if activity is None else _imported_day(ctx, activity.strip())
    with _store(ctx) as store:
        done = store.assign(
            name,
            activity_id=activity,
            first=parse_date(first, "--from"),
            last=parse_date(last, "--to"),
            activity_day=day,
        )
    if done.activity_id is not None:
        out().print(f"Activity {done.activity_id} now counts for '{done.shoe}'.", markup=False)
    else:
        assert done.first is not None and done.last is not None
        out().print(
            f"Runs from {done.first.isoformat()} to {done.last.isoformat()} now count for "
            f"'{done.shoe}'.",
            markup=False,
        )


def _imported_day(ctx: typer.Context, activity: str) -> date | None:
    """The local date of an imported activity; an id no import has seen is a mistake."""
    if not ACTIVITY_ID.fullmatch(activity):
        return None  # the store explains what an id looks like
    days = imported_activity_days(globals_of(ctx).data_dir)
    if not days:
        raise UsageError(
            f"no imported activities to find {activity} in: run 'loadwatch import PATH...' first"
        )
    # a second activity starting in the same second is told apart by "-2", "-3"...
    day = days.get(activity) or days.get(activity.split("-")[0])
    if day is None:
        raise UsageError(
            f"no activity {activity} in your imports (ids are in the id column of "
            "'loadwatch activities PATH --format json')"
        )
    return day


@shoes_app.command("rename")
@friendly
def rename_command(
    ctx: typer.Context,
    old: Annotated[str, typer.Argument(help="The pair's current name.")],
    new: Annotated[str, typer.Argument(help="Its new name.")],
) -> None:
    """Rename a pair; exports that use the old name still match it."""
    with _store(ctx) as store:
        shoe = store.rename_shoe(old, new)
    out().print(f"Renamed '{old.strip()}' to '{shoe.name}'.", markup=False)


@shoes_app.command("import-strava")
@friendly
def import_strava_command(
    ctx: typer.Context,
    csv_path: Annotated[Path, typer.Argument(help="shoes.csv from a Strava bulk export.")],
) -> None:
    """Add the pairs listed in a Strava export's shoes.csv."""
    try:
        data = csv_path.expanduser().read_bytes()
    except OSError as exc:
        raise UsageError(f"cannot read {csv_path}: {exc.strerror or exc}") from None
    # the CSV readers (and their language tables) load for this command only
    from loadwatch.ingest.importers.csv_strava_shoes import read_shoes_csv

    try:
        listed = read_shoes_csv(data)
    except LoadwatchError as exc:
        raise UsageError(f"{csv_path}: {exc.reason}") from None
    with _store(ctx) as store:
        added, updated = import_listed_shoes(store, listed)
    out().print(
        f"{len(added)} added, {len(updated)} updated from {csv_path.name}"
        + (f": {', '.join(added + updated)}" if added or updated else "."),
        markup=False,
    )
