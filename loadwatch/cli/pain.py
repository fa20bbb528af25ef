"""``loadwatch pain``: the heel-pain diary, and what changed in training before it hurt."""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer
from rich import box
from rich.table import Table

from loadwatch import pain, shoes
from loadwatch.cli import app
from loadwatch.cli.common import (
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
from loadwatch.config import Config
from loadwatch.errors import StoreError, UsageError
from loadwatch.library import data_dir
from loadwatch.model import Activity, Gear
from loadwatch.pain import PainEntry
from loadwatch.rules import (
    Params,
    RuleContext,
    Severity,
    pain_persistent,
    pain_red_flag,
    run_rules,
)
from loadwatch.userdata import UserData, open_userdata

pain_app = typer.Typer(
    help=(
        "Your heel-pain diary: log how the heel feels, and see what changed in your training "
        "before it began. Not medical advice."
    ),
    no_args_is_help=True,
)
app.add_typer(pain_app, name="pain")

#: what clears an optional field in ``pain edit``
CLEAR = "none"

Day = Annotated[
    str | None, typer.Option("--date", help="The day it hurt, e.g. 2026-11-22 (default: today).")
]
Where = Annotated[
    str | None, typer.Option("--where", help="under (the heel), back (of the heel) or both.")
]
When = Annotated[
    str | None,
    typer.Option("--when", help="first-steps, after-run, during-run, rest or night."),
]
Side = Annotated[str | None, typer.Option("--side", help="left, right or both.")]
Note = Annotated[str | None, typer.Option("--note", help="A short note.")]


def _today() -> date:
    # The CLI is the one place allowed to read the clock.
    return date.today()


def _pinned(config: Config) -> date:
    """Today, or the config's ``as_of`` when it pins one (as ``common.as_of_date`` does)."""
    return config.as_of or _today()


def _store(ctx: typer.Context) -> UserData:
    return open_userdata(_home(ctx))


def _home(ctx: typer.Context) -> Path:
    return data_dir(globals_of(ctx).data_dir)


def _word(value: str | None, allowed: tuple[str, ...], option: str) -> str | None:
    return None if value is None else choice(value, allowed, option)


@pain_app.command("log")
@friendly
def log_command(
    ctx: typer.Context,
    level: Annotated[
        int, typer.Option("--level", min=0, max=10, help="0 (no pain) to 10 (worst).")
    ],
    where: Where = None,
    day: Day = None,
    when: When = None,
    side: Side = None,
    swelling: Annotated[bool, typer.Option("--swelling", help="The heel is swollen.")] = False,
    cannot_bear_weight: Annotated[
        bool, typer.Option("--cannot-bear-weight", help="You cannot put weight on the foot.")
    ] = False,
    note: Note = None,
) -> None:
    """Log how the heel feels today (or on --date); --where is needed unless --level is 0."""
    # read first: a broken config must not leave an entry saved behind an error
    config = settings(ctx)
    today = _pinned(config)
    entry = PainEntry(
        day=parse_date(day, "--date") or today,
        level=level,
        where=_word(where, pain.WHERE, "--where"),
        when=_word(when, pain.WHEN, "--when"),
        side=_word(side, pain.SIDES, "--side"),
        swelling=swelling,
        cannot_bear_weight=cannot_bear_weight,
        note=note,
    )
    with _store(ctx) as store:
        saved = pain.add_entry(store, entry, today)
        entries = pain.load_entries(store)
    out().print(f"Logged #{saved.id}: {saved.day.isoformat()}, {saved.describe()}.", markup=False)
    _warn_now(saved, entries, config.rules)


def _warn_now(saved: PainEntry, entries: tuple[PainEntry, ...], params: Params) -> None:
    """Red flags and two weeks of pain are said at once, not only in the next report."""
    rule_ctx = RuleContext.build([], saved.day, params=params, pain=entries)
    found = run_rules(rule_ctx, since=saved.day, rules=(pain_red_flag.RULE, pain_persistent.RULE))
    console = out()
    for finding in found:
        if finding.severity is Severity.WARNING:
            console.print(f"WARNING: {finding.message}", markup=False)
            console.print(f"  {finding.advice}", markup=False)


def _entries_rows(entries: tuple[PainEntry, ...]) -> list[dict[str, Any]]:
    number = {
        entry.id: episode.number
        for episode in pain.episodes(entries)
        for entry in episode.entries
    }
    return [{**entry.to_dict(), "episode": number.get(entry.id)} for entry in entries]


@pain_app.command("list")
@friendly
def list_command(
    ctx: typer.Context,
    fmt: Annotated[str, typer.Option("--format", help="table or json.")] = "table",
) -> None:
    """Every diary entry, oldest first, with the episode it belongs to."""
    fmt = choice(fmt, ("table", "json"), "--format")
    with _store(ctx) as store:
        entries = pain.load_entries(store)
    rows = _entries_rows(entries)
    if fmt == "json":
        out().print(to_json(rows), markup=False)
        return
    if not rows:
        out().print("The pain diary is empty ('loadwatch pain log --level N --where under').",
                    markup=False)
        return
    table = Table(title="Heel-pain diary", box=box.SIMPLE_HEAD, pad_edge=False)
    # short headers and flags ("swell", "no wt" = cannot bear weight): 80 columns
    for title in ("#", "date", "lvl", "where", "when", "side", "flags", "ep"):
        table.add_column(title, no_wrap=True, justify="right" if title == "lvl" else "left")
    table.add_column("note", overflow="fold", min_width=7)
    for row in rows:
        flags = [word for key, word in (("swelling", "swell"),
                 ("cannot_bear_weight", "no wt")) if row[key]]
        table.add_row(
            str(row["id"]), row["date"], str(row["level"]), row["where"] or "",
            row["when"] or "", row["side"] or "", "+".join(flags),
            "" if row["episode"] is None else str(row["episode"]), row["note"] or "",
        )
    out().print(table)


@pain_app.command("edit")
@friendly
def edit_command(
    ctx: typer.Context,
    entry_id: Annotated[int, typer.Argument(metavar="ID", help="The entry's id (pain list).")],
    level: Annotated[int | None, typer.Option("--level", min=0, max=10)] = None,
    where: Where = None,
    day: Day = None,
    when: Annotated[str | None, typer.Option("--when", help="A time of day, or 'none'.")] = None,
    side: Annotated[str | None, typer.Option("--side", help="left, right, both or 'none'.")] = None,
    swelling: Annotated[
        bool | None, typer.Option("--swelling/--no-swelling", show_default=False)
    ] = None,
    cannot_bear_weight: Annotated[
        bool | None,
        typer.Option("--cannot-bear-weight/--can-bear-weight", show_default=False),
    ] = None,
    note: Annotated[str | None, typer.Option("--note", help="New note ('' clears it).")] = None,
) -> None:
    """Change fields of an entry; --when none and --side none clear them."""
    changes: dict[str, Any] = {}
    if level is not None:
        changes["level"] = level
    if where is not None:
        changes["where"] = None if where.lower() == CLEAR else choice(where, pain.WHERE, "--where")
    if day is not None:
        changes["day"] = parse_date(day, "--date")
    if when is not None:
        changes["when"] = None if when.lower() == CLEAR else choice(when, pain.WHEN, "--when")
    if side is not None:
        changes["side"] = None if side.lower() == CLEAR else choice(side, pain.SIDES, "--side")
    if swelling is not None:
        changes["swelling"] = swelling
    if cannot_bear_weight is not None:
        changes["cannot_bear_weight"] = cannot_bear_weight
    if note is not None:
        changes["note"] = note or None
    if not changes:
        raise UsageError("nothing to change: give at least one option (see --help)")
    with _store(ctx) as store:
        changed = pain.update_entry(store, entry_id, changes, _pinned(settings(ctx)))
    out().print(f"Changed #{entry_id}: {changed.day.isoformat()}, {changed.describe()}.",
                markup=False)


def _interactive() -> bool:
    return sys.stdin.isatty()


@pain_app.command("delete")
@friendly
def delete_command(
    ctx: typer.Context,
    entry_id: Annotated[int, typer.Argument(metavar="ID", help="The entry's id (pain list).")],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
) -> None:
    """Delete an entry, after asking (--yes skips the question; needed without a terminal)."""
    with _store(ctx) as store:
        entry = pain.get_entry(store, entry_id)
        if not yes:
            if not _interactive():
                raise UsageError("pain delete asks for confirmation; without a terminal, add --yes")
            question = f"Delete #{entry_id}: {entry.day.isoformat()}, {entry.describe()}?"
            if not typer.confirm(question, default=False):
                err().print("Nothing deleted.", markup=False)
                raise typer.Exit(0)
        pain.delete_entry(store, entry_id)
    out().print(f"Deleted #{entry_id}.", markup=False)


def _write(path: Path, text: str) -> None:
    """Through a temporary file, so an interrupted export never leaves half a diary."""
    folder = path.parent
    try:
        handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise StoreError(f"cannot write there: {exc.strerror}", str(folder)) from exc
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
        os.replace(temp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise StoreError(f"cannot write the file: {exc.strerror}", str(path)) from exc


@pain_app.command("export")
@friendly
def export_command(
    ctx: typer.Context,
    csv_path: Annotated[Path, typer.Argument(metavar="FILE.csv", help="Where to write it.")],
) -> None:
    """Write the whole diary to a CSV file (for a spreadsheet, a clinician or a backup)."""
    with _store(ctx) as store:
        entries = pain.load_entries(store)
    text = csv_text(pain.csv_rows(entries)) or ",".join(pain.CSV_COLUMNS) + "\n"
    target = csv_path.expanduser()
    _write(target, text)
    out().print(f"Wrote {len(entries)} entr{'y' if len(entries) == 1 else 'ies'} to {target}.",
                markup=False)


@pain_app.command("import")
@friendly
def import_command(
    ctx: typer.Context,
    csv_path: Annotated[Path, typer.Argument(metavar="FILE.csv", help="A CSV in the export's "
                                             "columns (date and level required).")],
) -> None:
    """Add the entries of a CSV; entries already in the diary are skipped."""
    source = csv_path.expanduser()
    try:
        with source.open("rb") as handle:
            data = handle.read(pain.MAX_CSV_BYTES + 1)
    except OSError as exc:
        raise UsageError(f"cannot read {csv_path}: {exc.strerror or exc}") from None
    try:
        entries = pain.parse_csv(data, _pinned(settings(ctx)))
    except UsageError as exc:
        raise UsageError(f"{csv_path}: {exc.reason}") from None
    with _store(ctx) as store:
        added, known = pain.import_entries(store, entries)
    out().print(f"Imported {added} entr{'y' if added == 1 else 'ies'} from {csv_path.name}"
                f"{f' ({known} already in the diary)' if known else ''}.", markup=False)


def _split(items: list[str]) -> tuple[int | None, list[Path]]:
    """``[EPISODE] PATH...``: a leading whole number is the episode unless it names a file."""
    if items and items[0].isdecimal() and not Path(items[0]).exists():
        return int(items[0]), [Path(item) for item in items[1:]]
    return None, [Path(item) for item in items]


@pain_app.command("why")
@friendly
def why_command(
    ctx: typer.Context,
    items: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[EPISODE] [PATH]...",
            help="Episode number (default: the latest), then folders or files of exports.",
            show_default=False,
        ),
    ] = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Treat this date as today (default: today).")
    ] = None,
    fmt: Annotated[str, typer.Option("--format", help="text or json.")] = "text",
) -> None:
    """What changed in your training in the 4 weeks before an episode of heel pain began."""
    fmt = choice(fmt, ("text", "json"), "--format")
    number, paths = _split(items or [])
    config = settings(ctx, paths)
    day = parse_date(as_of, "--as-of") or _pinned(config)
    with _store(ctx) as store:
        entries = pain.load_entries(store)
    episode = pain.episode_of(entries, number, day)
    activities: tuple[Activity, ...] = ()
    gear: tuple[Gear, ...] = ()
    if paths:
        collection = load(ctx, paths, config, day)
        print_summary(collection.summary, err(), verbose=globals_of(ctx).verbose)
        activities, gear = collection.activities, collection.gear
    inputs = shoes.load_rule_inputs(_home(ctx), activities, gear)
    changes = pain.what_changed(episode, activities, params=config.rules, units=config.units,
                                **inputs)
    if fmt == "json":
        out().print(to_json({**episode.to_dict(day), **changes.to_dict(),
                             "note": pain.NOT_A_DIAGNOSIS}), markup=False)
        return
    console = out()
    console.print(episode.summary(day), markup=False)
    if not paths:
        console.print("Name your export folders (loadwatch pain why [EPISODE] PATH...) to see "
                      "what changed in your training before it began.", markup=False)
        return
    console.print(changes.heading(), markup=False)
    for fact in changes.facts:
        console.print(f"- {fact.text}", markup=False)
    console.print(pain.NOT_A_DIAGNOSIS, markup=False)
