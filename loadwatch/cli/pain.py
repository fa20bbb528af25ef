"""``loadwatch pain``: the heel-pain diary, and what changed in training before it hurt."""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from loadwatch import pain_review
from loadwatch.analysis import load_snapshot
from loadwatch.cli.common import (
    AsOf,
    ListFormat,
    TextFormat,
    Wide,
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
    remembered_folders,
    settings,
    to_json,
)
from loadwatch.cli.output import Column, fitted, print_table, say, write
from loadwatch.cli.typer_app import app
from loadwatch.config import Config
from loadwatch.errors import StoreError, UsageError
from loadwatch.ingest.pipeline import data_dir
from loadwatch.model import Activity
from loadwatch.rules import (
    Params,
    RuleContext,
    Severity,
    pain_persistent,
    pain_red_flag,
    run_rules,
)
from loadwatch.userdata import pain, pain_csv, pain_store
from loadwatch.userdata.pain import PainEntry
from loadwatch.userdata.store import UserData, open_userdata

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

# The diary's words as option choices (a test holds them to pain.WHERE, WHEN and SIDES),
# so a wrong word exits 2 and --help lists the right ones; "none" clears one in edit.


class WhereChoice(StrEnum):
    UNDER = "under"
    BACK = "back"
    BOTH = "both"


class WhenChoice(StrEnum):
    FIRST_STEPS = "first-steps"
    AFTER_RUN = "after-run"
    DURING_RUN = "during-run"
    REST = "rest"
    NIGHT = "night"


class SideChoice(StrEnum):
    LEFT = "left"
    RIGHT = "right"
    BOTH = "both"


class WhenOrNone(StrEnum):
    FIRST_STEPS = "first-steps"
    AFTER_RUN = "after-run"
    DURING_RUN = "during-run"
    REST = "rest"
    NIGHT = "night"
    NONE = CLEAR


class SideOrNone(StrEnum):
    LEFT = "left"
    RIGHT = "right"
    BOTH = "both"
    NONE = CLEAR


Day = Annotated[
    str | None, date_option("--date", "The day it hurt, e.g. 2026-11-22 (default: today).")
]
Where = Annotated[
    WhereChoice | None,
    choice_option("--where", "Under (the heel), back (of the heel) or both."),
]
When = Annotated[WhenChoice | None, choice_option("--when", "When it hurts most.")]
Side = Annotated[SideChoice | None, choice_option("--side", "Which foot.")]
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


def _word(value: StrEnum | None) -> str | None:
    return None if value is None else value.value


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
        where=_word(where),
        when=_word(when),
        side=_word(side),
        swelling=swelling,
        cannot_bear_weight=cannot_bear_weight,
        note=note,
    )
    with _store(ctx) as store:
        saved = pain_store.add_entry(store, entry, today)
        entries = pain_store.load_entries(store)
    out().print(f"Logged #{saved.id}: {saved.day.isoformat()}, {saved.describe()}.", markup=False)
    _warn_now(saved, entries, config.rules)


def _warn_now(saved: PainEntry, entries: tuple[PainEntry, ...], params: Params) -> None:
    """Red flags and two weeks of pain are said at once, not only in the next report."""
    rule_ctx = RuleContext.build([], saved.day, params=params, pain=entries)
    found = run_rules(rule_ctx, since=saved.day, rules=(pain_red_flag.RULE, pain_persistent.RULE))
    console = out()
    for finding in found:
        if finding.severity is Severity.WARNING:
            say(console, f"WARNING: {finding.message}", hanging=2)
            say(console, finding.advice, indent=2)


def _entries_rows(entries: tuple[PainEntry, ...]) -> list[dict[str, Any]]:
    number = {
        entry.id: episode.number for episode in pain.episodes(entries) for entry in episode.entries
    }
    return [{**entry.to_dict(), "episode": number.get(entry.id)} for entry in entries]


@pain_app.command("list")
@friendly
def list_command(
    ctx: typer.Context,
    fmt: Annotated[ListFormat, choice_option("--format", "Output format.")] = ListFormat.TABLE,
    wide: Wide = False,
) -> None:
    """Every diary entry, oldest first, with the episode it belongs to."""
    with _store(ctx) as store:
        entries = pain_store.load_entries(store)
    rows = _entries_rows(entries)
    if fmt is ListFormat.JSON:
        write(to_json(rows))
        return
    if not rows:
        out().print(
            "The pain diary is empty ('loadwatch pain log --level N --where under').", markup=False
        )
        return
    # short headers and flags ("swell", "no wt" = cannot bear weight): 80 columns
    columns = [
        Column("#", right=True),
        Column("date"),
        Column("lvl", right=True),
        Column("where"),
        Column("when", 1),
        Column("side", 2),
        Column("flags"),
        Column("ep", 1, right=True),
        Column("note", 3, flexible=True),
    ]
    cells = []
    for row in rows:
        flags = [
            word
            for key, word in (("swelling", "swell"), ("cannot_bear_weight", "no wt"))
            if row[key]
        ]
        cells.append(
            [
                str(row["id"]),
                row["date"],
                str(row["level"]),
                row["where"] or "",
                row["when"] or "",
                row["side"] or "",
                "+".join(flags),
                "" if row["episode"] is None else str(row["episode"]),
                row["note"] or "",
            ]
        )
    console = out()
    print_table(
        console, fitted(columns, cells, width=console.width, wide=wide, title="Heel-pain diary")
    )


@pain_app.command("edit")
@friendly
def edit_command(
    ctx: typer.Context,
    entry_id: Annotated[int, typer.Argument(metavar="ID", help="The entry's id (pain list).")],
    level: Annotated[int | None, typer.Option("--level", min=0, max=10)] = None,
    where: Where = None,
    day: Day = None,
    when: Annotated[
        WhenOrNone | None, choice_option("--when", "When it hurts most, or none to clear it.")
    ] = None,
    side: Annotated[
        SideOrNone | None, choice_option("--side", "Which foot, or none to clear it.")
    ] = None,
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
        changes["where"] = where.value
    if day is not None:
        changes["day"] = parse_date(day, "--date")
    if when is not None:
        changes["when"] = None if when is WhenOrNone.NONE else when.value
    if side is not None:
        changes["side"] = None if side is SideOrNone.NONE else side.value
    if swelling is not None:
        changes["swelling"] = swelling
    if cannot_bear_weight is not None:
        changes["cannot_bear_weight"] = cannot_bear_weight
    if note is not None:
        changes["note"] = note or None
    if not changes:
        raise UsageError("nothing to change: give at least one option (see --help)")
    with _store(ctx) as store:
        changed = pain_store.update_entry(store, entry_id, changes, _pinned(settings(ctx)))
    out().print(
        f"Changed #{entry_id}: {changed.day.isoformat()}, {changed.describe()}.", markup=False
    )


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
        entry = pain_store.get_entry(store, entry_id)
        if not yes:
            if not _interactive():
                raise UsageError("pain delete asks for confirmation; without a terminal, add --yes")
            question = f"Delete #{entry_id}: {entry.day.isoformat()}, {entry.describe()}?"
            if not typer.confirm(question, default=False):
                err().print("Nothing deleted.", markup=False)
                raise typer.Exit(0)
        pain_store.delete_entry(store, entry_id)
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
        entries = pain_store.load_entries(store)
    text = csv_text(pain_csv.csv_rows(entries)) or ",".join(pain_csv.CSV_COLUMNS) + "\n"
    target = csv_path.expanduser()
    _write(target, text)
    out().print(
        f"Wrote {len(entries)} entr{'y' if len(entries) == 1 else 'ies'} to {target}.", markup=False
    )


@pain_app.command("import")
@friendly
def import_command(
    ctx: typer.Context,
    csv_path: Annotated[
        Path,
        typer.Argument(
            metavar="FILE.csv", help="A CSV in the export's columns (date and level required)."
        ),
    ],
) -> None:
    """Add the entries of a CSV; entries already in the diary are skipped."""
    source = csv_path.expanduser()
    try:
        with source.open("rb") as handle:
            data = handle.read(pain_csv.MAX_CSV_BYTES + 1)
    except OSError as exc:
        raise UsageError(f"cannot read {csv_path}: {exc.strerror or exc}") from None
    try:
        entries = pain_csv.parse_csv(data, _pinned(settings(ctx)))
    except UsageError as exc:
        raise UsageError(f"{csv_path}: {exc.reason}") from None
    with _store(ctx) as store:
        added, known = pain_store.import_entries(store, entries)
    out().print(
        f"Imported {added} entr{'y' if added == 1 else 'ies'} from {csv_path.name}"
        f"{f' ({known} already in the diary)' if known else ''}.",
        markup=False,
    )


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
    as_of: AsOf = None,
    fmt: Annotated[TextFormat, choice_option("--format", "Output format.")] = TextFormat.TEXT,
) -> None:
    """What changed in your training in the 4 weeks before an episode of heel pain began."""
    number, paths = _split(items or [])
    paths = paths or remembered_folders(ctx) or []
    config = settings(ctx, paths)
    day = parse_date(as_of, "--as-of") or _pinned(config)
    with _store(ctx) as store:
        entries = pain_store.load_entries(store)
    episode = pain.episode_of(entries, number, day)
    activities: tuple[Activity, ...] = ()
    context: dict[str, Any] = {"shoes": (), "shoe_of": {}}
    if paths:
        collection = load(ctx, paths, config, day)
        print_summary(collection.summary, err(), verbose=globals_of(ctx).verbose)
        snapshot = load_snapshot(collection, config, day, _home(ctx))
        activities = collection.activities
        context = {"shoes": snapshot.context.shoes, "shoe_of": snapshot.context.shoe_of}
    changes = pain_review.what_changed(
        episode, activities, params=config.rules, units=config.units, **context
    )
    if fmt is TextFormat.JSON:
        write(
            to_json(
                {**episode.to_dict(day), **changes.to_dict(), "note": pain_review.NOT_A_DIAGNOSIS}
            )
        )
        return
    console = out()
    say(console, episode.summary(day))
    if not paths:
        console.print(
            "Name your export folders (loadwatch pain why [EPISODE] PATH...) to see "
            "what changed in your training before it began.",
            markup=False,
        )
        return
    say(console, changes.heading())
    for fact in changes.facts:
        say(console, f"- {fact.text}", hanging=2)
    say(console, pain_review.NOT_A_DIAGNOSIS)
