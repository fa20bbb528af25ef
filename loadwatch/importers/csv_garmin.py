"""Garmin Connect's ``Activities.csv`` (the activity list export), in any of its languages.

Garmin writes the list in the account's language and display units, without
saying which units. ``Date`` is local wall time, ``--`` means no value, numbers
may carry thousands separators, and the column set varies between years.

**Which distance unit.** ``Avg Pace`` and ``Avg Speed`` use the same display unit
as ``Distance``, so ``Time / Distance`` agrees with them whether the unit is km or
mi: they cannot tell the two apart. Stride length can: Garmin's "stride" is the
distance of one step, so ``Steps x Avg Stride Length`` (or ``Avg Run Cadence x
Stride x minutes``) is the distance in the stride's own unit. Its ratio to
``Distance`` is 1000 when Distance is in km (stride in m), 1609 in miles (stride in
m) and 5280 in miles with stride in feet; the file's median ratio within 15 % of
one of these decides. Failing that, a median run faster than 4:50 per unit is
taken as km (4:50 per mile would be a 3:00/km median, beyond almost every runner).
Otherwise km is assumed and a warning says so. Ascent is in feet when the distance
is in miles, and pool-swim distances are in metres or yards.
"""

from __future__ import annotations

import statistics
from datetime import tzinfo

from loadwatch.classify import ON_FOOT, classify
from loadwatch.importers import ParseContext
from loadwatch.importers.csv_cells import (
    SAMPLE_ROWS,
    CellError,
    Table,
    cell,
    duration,
    local_start,
    make_activity,
    number,
    read_rows,
    slashes_day_first,
    start_pair,
)
from loadwatch.model import Activity, ParsedFile, Sport
from loadwatch.units import METRES_PER_KM, METRES_PER_MILE, Units

FORMAT = "garmin-csv"
EXPECTED = (
    "a Garmin Activities.csv needs Activity Type, Date and Distance "
    "(or Aktivitätstyp/Datum/Distanz, Type d'activité/Date/Distance and other translations)"
)

FEET = 0.3048
YARD = 0.9144

# Header names as Garmin Connect writes them in English, German, French, Spanish,
# Italian and Dutch (older and newer exports name some columns differently).
ALIASES: dict[str, tuple[str, ...]] = {
    "type": ("activity type", "aktivitätstyp", "type d'activité", "tipo de actividad",
             "tipo di attività", "activiteittype", "activiteitstype"),
    "date": ("date", "datum", "fecha", "data"),
    "title": ("title", "titel", "titre", "título", "titolo"),
    "distance": ("distance", "distanz", "distancia", "distanza", "afstand"),
    "time": ("time", "activity time", "zeit", "durée", "tiempo", "tempo", "tijd"),
    "moving": ("moving time", "zeit in bewegung", "temps de déplacement", "tiempo en movimiento",
               "tempo in movimento", "tijd bewogen", "tijd in beweging"),
    "elapsed": ("elapsed time", "verstrichene zeit", "temps écoulé", "tiempo transcurrido",
                "tempo trascorso", "verstreken tijd"),
    "ascent": ("total ascent", "elev gain", "anstieg gesamt", "positiver höhenunterschied",
               "ascension totale", "ascenso total", "ascesa totale", "totale stijging"),
    "cadence": ("avg run cadence", "ø schrittfrequenz (laufen)", "cadence de course moyenne",
                "cadencia de carrera media", "cadenza di corsa media", "gem. cadans"),
    "stride": ("avg stride length", "ø schrittlänge", "longueur moyenne des foulées",
               "longitud media de zancada", "lunghezza media passo", "gem. staplengte"),
    "steps": ("steps", "schritte", "pas", "pasos", "passi", "stappen"),
}

# (stride-distance / Distance ratio, the Distance unit it means)
_RATIOS = ((METRES_PER_KM, Units.KM), (METRES_PER_MILE, Units.MI), (5280.0, Units.MI))
#: a median run pace (seconds per display unit) faster than this must be per km
FASTEST_MILE_PACE_S = 290.0


def recognise(table: Table) -> bool:
    return all(table.find(*ALIASES[name]) is not None for name in ("type", "date", "distance"))


def _columns(table: Table) -> dict[str, int | None]:
    return {name: table.find(*aliases) for name, aliases in ALIASES.items()}


def detect_units(table: Table, col: dict[str, int | None]) -> tuple[Units, str | None]:
    """The file's distance unit, and a warning when it had to be assumed."""
    comma = table.decimal_comma
    ratios: list[float] = []
    paces: list[float] = []
    measured = False
    for _, cells in table.rows[:SAMPLE_ROWS]:
        try:
            distance = number(cell(cells, col["distance"]), comma, "Distance")
            stride = number(cell(cells, col["stride"]), comma, "stride")
            steps = number(cell(cells, col["steps"]), comma, "steps")
            cadence = number(cell(cells, col["cadence"]), comma, "cadence")
            seconds = (duration(cell(cells, col["moving"]), comma, "time")
                       or duration(cell(cells, col["time"]), comma, "time"))
        except CellError:
            continue
        if not distance:
            continue
        measured = True
        if stride and steps:
            ratios.append(steps * stride / distance)
        elif stride and cadence and seconds:
            ratios.append(cadence * stride * seconds / 60.0 / distance)
        sport, _ = classify(cell(cells, col["type"]))
        if sport is Sport.RUN and seconds:
            paces.append(seconds / distance)
    if ratios:
        median = statistics.median(ratios)
        for ratio, unit in _RATIOS:
            if abs(median / ratio - 1.0) < 0.15:
                return unit, None
    if not measured or (paces and statistics.median(paces) < FASTEST_MILE_PACE_S):
        return Units.KM, None
    return Units.KM, "distance unit not stated and not detectable (no stride length): read as km"


def parse(table: Table, ctx: ParseContext) -> ParsedFile:
    col = _columns(table)
    comma = table.decimal_comma
    unit, warning = detect_units(table, col)
    miles = unit is Units.MI
    day_first = slashes_day_first([cell(cells, col["date"]) for _, cells in table.rows])
    zone: tzinfo = ctx.zone

    def read(row: int, cells: list[str], _warnings: list[str]) -> Activity:
        def text(name: str) -> str:
            return cell(cells, col[name]).strip()

        start_utc, start_local = start_pair(
            local_start(text("date"), "Date", day_first=day_first), zone, "Date"
        )
        kind = text("type")
        name = text("title") or None
        sport, surface = classify(kind, name=name)
        distance = number(text("distance"), comma, "Distance")
        if distance is not None:
            if sport is Sport.SWIM:
                distance *= YARD if miles else 1.0
            else:
                distance *= unit.metres
        ascent = number(text("ascent"), comma, "Total Ascent")
        if ascent is not None and miles:
            ascent *= FEET
        cadence = number(text("cadence"), comma, "Avg Run Cadence")
        moving = duration(text("moving"), comma, "Moving Time")
        return make_activity(
            ctx, FORMAT, row, start_utc, start_local,
            sport=sport, surface=surface, name=name, distance_m=distance,
            duration_s=duration(text("time"), comma, "Time") or moving,
            elapsed_s=duration(text("elapsed"), comma, "Elapsed Time"),
            ascent_m=ascent,
            avg_cadence_spm=cadence if cadence and sport in ON_FOOT else None,
            sport_detail=kind or None,
        )

    return read_rows(table, read, [warning] if warning else None)
