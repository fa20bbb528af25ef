"""The pain diary as CSV: exported for a spreadsheet, imported back without duplicates."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from loadwatch.csvtext import decode, sniff_separator
from loadwatch.display import looks_like_formula
from loadwatch.errors import LoadwatchError, UsageError
from loadwatch.userdata.pain import MAX_LEVEL, PainEntry, diary_order, validate

# ---------------------------------------------------------------------------
# CSV export and import

CSV_COLUMNS: tuple[str, ...] = (
    "id",
    "date",
    "level",
    "where",
    "when",
    "side",
    "swelling",
    "cannot_bear_weight",
    "note",
)
#: a diary of a lifetime is far smaller; anything bigger is the wrong file
MAX_CSV_BYTES = 5_000_000
_TRUE = {"1", "yes", "y", "true"}
_FALSE = {"", "0", "no", "n", "false"}


def csv_rows(entries: Iterable[PainEntry]) -> list[dict[str, Any]]:
    """One row per entry under ``CSV_COLUMNS``, booleans as yes/no."""
    return [
        {
            **entry.to_dict(),
            "swelling": "yes" if entry.swelling else "no",
            "cannot_bear_weight": "yes" if entry.cannot_bear_weight else "no",
        }
        for entry in sorted(entries, key=diary_order)
    ]


def parse_csv(data: bytes, today: date | None = None) -> list[PainEntry]:
    """The entries of a CSV with ``CSV_COLUMNS`` (``date`` and ``level`` required).

    The ``id`` column is ignored: imported entries get new numbers. Any bad row
    refuses the whole file with the row's number, so nothing is half-imported.
    """
    if len(data) > MAX_CSV_BYTES:
        raise UsageError(
            f"the file is larger than {MAX_CSV_BYTES // 1_000_000} MB; it is not a pain diary"
        )
    try:
        text = decode(data)
    except LoadwatchError as exc:
        raise UsageError(f"cannot read the file as text: {exc.reason}") from exc
    try:
        return _parse_rows(text, today)
    except csv.Error as exc:
        raise UsageError(f"not a readable CSV file ({exc})") from exc


def _parse_rows(text: str, today: date | None) -> list[PainEntry]:
    # a spreadsheet in a European locale saves with semicolons
    separator = sniff_separator(text.split("\n", 1)[0])
    reader = csv.reader(io.StringIO(text), delimiter=separator)
    header = next(reader, None)
    if header is None:
        return []
    names = [cell.strip().lower().replace(" ", "_").replace("-", "_") for cell in header]
    unknown = sorted(set(names) - set(CSV_COLUMNS) - {""})
    if unknown:
        raise UsageError(
            f"unknown column(s) {', '.join(unknown)}; the columns are {', '.join(CSV_COLUMNS)}"
        )
    missing = [c for c in ("date", "level") if c not in names]
    if missing:
        raise UsageError(f"the file needs the column(s) {', '.join(missing)}")
    entries: list[PainEntry] = []
    for number, cells in enumerate(reader, 1):
        if not any(cell.strip() for cell in cells):
            continue
        row = {name: _unprotect(cell) for name, cell in zip(names, cells, strict=False) if name}
        try:
            entries.append(validate(_entry(row), today))
        except UsageError as exc:
            raise UsageError(f"row {number}: {exc.reason}") from None
    return entries


def _unprotect(cell: str) -> str:
    # spreadsheets (and ``cli.common.csv_text``) protect formula-like cells with a quote
    if cell.startswith("'") and looks_like_formula(cell[1:]):
        return cell[1:]
    return cell


def _entry(row: Mapping[str, str]) -> PainEntry:
    raw_day = row.get("date", "").strip()
    try:
        day = date.fromisoformat(raw_day)
    except ValueError:
        raise UsageError(f"the date must look like 2026-11-22, not '{raw_day}'") from None
    raw_level = row.get("level", "").strip()
    if not raw_level.isdecimal():
        raise UsageError(
            f"the level must be a whole number from 0 to {MAX_LEVEL}, not '{raw_level}'"
        )

    def text(name: str) -> str | None:
        value = row.get(name, "").strip()
        return value or None

    def flag(name: str) -> bool:
        value = row.get(name, "").strip().lower()
        if value in _TRUE:
            return True
        if value in _FALSE:
            return False
        raise UsageError(f"{name} must be yes or no, not '{value}'")

    return PainEntry(
        day=day,
        level=int(raw_level),
        where=text("where"),
        when=text("when"),
        side=text("side"),
        swelling=flag("swelling"),
        cannot_bear_weight=flag("cannot_bear_weight"),
        note=text("note"),
    )
