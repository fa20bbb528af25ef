"""Strava's ``shoes.csv`` (in the bulk export beside ``activities.csv``): the runner's shoes.

Its columns are ``Shoe Name, Shoe Brand, Shoe Model, Shoe Default Sport Types``.
Strava labels an activity's gear with the nickname or with "Brand Model" (with the
nickname after it when there is one), so a pair is named by its nickname, else
"Brand Model", and keeps the other spellings as aliases. ``Default Sport Types``
listing Run makes it the default for any run; listing only Trail Run, the default
for trail. It lists no dates or limits.
"""

from __future__ import annotations

from loadwatch.errors import UsageError
from loadwatch.ingest.importers import ParseContext
from loadwatch.ingest.importers.csv_cells import Table, cell, read_table
from loadwatch.model import Gear, ParsedFile

FORMAT = "strava-shoes"
#: not an activity list: left out of the "not recognised" reason
EXPECTED = ""

_COLUMNS = ("name", "brand", "model", "default sport types")


def _columns(table: Table) -> dict[str, int | None]:
    return {key: table.find(f"shoe {key}") for key in _COLUMNS}


def recognise(table: Table) -> bool:
    columns = _columns(table)
    return columns["name"] is not None or (
        columns["brand"] is not None and columns["model"] is not None
    )


def _compared(name: str) -> str:
    return " ".join(name.split()).casefold()


def listed(table: Table, source: str) -> list[Gear]:
    """The pairs a shoes.csv lists (see the module docs for names and defaults)."""
    columns = _columns(table)
    found: list[Gear] = []
    for _row, cells in table.rows:
        nickname, brand, model = (
            " ".join(cell(cells, columns[k]).split()) for k in ("name", "brand", "model")
        )
        brand_model = " ".join(part for part in (brand, model) if part)
        name = nickname or brand_model
        if not name:
            continue
        spellings = [brand_model, f"{brand_model} {nickname}".strip()] if nickname else []
        aliases = tuple(
            dict.fromkeys(s for s in spellings if s and _compared(s) != _compared(name))
        )
        found.append(
            Gear(
                source=source,
                name=name,
                brand=brand or None,
                model=model or None,
                aliases=aliases,
                default_for=_default_for(cell(cells, columns["default sport types"])),
            )
        )
    return found


def _default_for(text: str) -> str | None:
    kinds = {"".join(part.split()).casefold() for part in text.replace(";", ",").split(",")}
    if "run" in kinds:
        return "run"
    if "trailrun" in kinds:
        return "trail"
    return None


def parse(table: Table, ctx: ParseContext) -> ParsedFile:
    return ParsedFile(gear=listed(table, ctx.source))


def read_shoes_csv(data: bytes) -> list[Gear]:
    """The pairs a Strava export's ``shoes.csv`` lists, for ``loadwatch shoes import-strava``."""
    table = read_table(data)
    if not recognise(table):
        raise UsageError(
            "not a Strava shoes.csv: it needs Shoe Name, Shoe Brand and Shoe Model columns"
        )
    return listed(table, "shoes.csv")
