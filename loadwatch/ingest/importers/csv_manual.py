"""loadwatch's own manual log: treadmill and watch-less runs typed into a spreadsheet.

Columns (header names case-insensitive, any order):

- ``date``: ``YYYY-MM-DD`` or ``YYYY-MM-DD HH:MM[:SS]`` in the runner's local time
  (an ISO offset such as ``+02:00`` is honoured). A date alone starts at 12:00:
  noon keeps the runner's calendar date under any UTC offset, so the run stays on
  the day written even if the configured time zone changes later.
- ``distance_km`` or ``distance_mi``: at least one column; a row may leave it empty.
- optional ``duration`` (``h:mm:ss`` or ``mm:ss``), ``sport`` (default ``run``),
  ``surface`` (road, trail, track, treadmill, grass, mixed), ``shoe``, ``name``,
  ``ascent_m``.
"""

from __future__ import annotations

from loadwatch.ingest.classify import ON_FOOT, classify, surface_from_label
from loadwatch.ingest.importers import ParseContext
from loadwatch.ingest.importers.csv_cells import (
    Table,
    cell,
    duration,
    local_start,
    make_activity,
    number,
    read_rows,
    show,
    start_pair,
)
from loadwatch.model import Activity, ParsedFile, Sport, Surface
from loadwatch.units import METRES_PER_KM, METRES_PER_MILE

FORMAT = "csv"
EXPECTED = "a manual log needs date and distance_km or distance_mi"


def recognise(table: Table) -> bool:
    return table.find("date") is not None and bool(table.find_all("distance_km", "distance_mi"))


def _surface(text: str) -> Surface | None:
    label = text.strip().lower()
    if not label:
        return None
    if label in {s.value for s in Surface}:
        return Surface(label)
    return surface_from_label(label)


def parse(table: Table, ctx: ParseContext) -> ParsedFile:
    col = {
        name: table.find(name)
        for name in (
            "date",
            "distance_km",
            "distance_mi",
            "duration",
            "sport",
            "surface",
            "shoe",
            "name",
            "ascent_m",
        )
    }
    comma = table.decimal_comma

    def read(row: int, cells: list[str], warnings: list[str]) -> Activity:
        def text(name: str) -> str:
            return cell(cells, col[name]).strip()

        start_utc, start_local = start_pair(local_start(text("date"), "date"), ctx.zone, "date")
        distance_m = None
        km = number(text("distance_km"), comma, "distance_km")
        if km is not None:
            distance_m = km * METRES_PER_KM
        else:
            miles = number(text("distance_mi"), comma, "distance_mi")
            distance_m = None if miles is None else miles * METRES_PER_MILE
        seconds = duration(text("duration"), comma, "duration")
        ascent_m = number(text("ascent_m"), comma, "ascent_m")
        name = text("name") or None
        label = text("sport") or "run"
        sport, surface = classify(label, name=name)
        if sport is Sport.OTHER and text("sport"):
            warnings.append(f"row {row}: sport {show(label)} not known; listed as other")
        stated = _surface(text("surface"))
        if text("surface") and stated is None:
            # A typo in a label should not cost the runner the run's distance.
            warnings.append(
                f"row {row}: surface {show(text('surface'))} is not one of road, trail, track, "
                "treadmill, grass, mixed; surface left to the sport and name"
            )
        if stated is not None and sport in ON_FOOT:
            surface = stated
        return make_activity(
            ctx,
            FORMAT,
            row,
            start_utc,
            start_local,
            sport=sport,
            surface=surface,
            name=name,
            distance_m=distance_m,
            duration_s=seconds,
            ascent_m=ascent_m,
            shoe=text("shoe") or None,
            sport_detail=label,
        )

    return read_rows(table, read)
