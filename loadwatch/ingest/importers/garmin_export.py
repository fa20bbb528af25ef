"""Garmin's account export ("Export your data"): its activity summaries and its gear.

The export is a zip holding ``DI_CONNECT/DI-Connect-Fitness/``. Two of its JSON
files are read (the layout is that of michael-simons/garmin-babel, which reads
this export, and of the export samples quoted in docs/export-vocabulary.md):

``<user>_<n>_summarizedActivities.json``
    ``[{"summarizedActivitiesExport": [activity, ...]}]``. Per activity:
    ``activityId``; ``startTimeGmt`` (or ``beginTimestamp``), ms since the epoch;
    ``startTimeLocal``, ms since the epoch shifted to the local wall time of the
    place; ``activityType`` (a type key such as ``trail_running``, in some files
    ``{"typeKey": ...}``) and ``sportType``; ``duration`` (timer), ``elapsedDuration``
    and ``movingDuration`` in ms; ``distance`` and ``elevationGain`` in cm;
    ``avgDoubleCadence`` in steps per minute, ``avgRunCadence`` per leg; ``name``;
    ``parent`` for the summary of a multisport activity, whose legs are listed too.
``<user>_gear.json``
    ``[{"gearDTOS": [gear, ...], "gearActivityDTOs": {"<gearPk>": [{"activityId":
    ...}, ...]}}]``. Per gear: ``gearPk``, ``displayName``, ``customMakeModel``,
    ``gearMakeName``, ``gearModelName``, ``gearTypeName`` (``Shoes``, ``Bike``,
    ``Other``), ``gearStatusName`` (``active``, ``retired``), ``dateBegin``,
    ``dateEnd`` and ``maximumMeters``.

**How gear reaches the runs.** Each summary becomes an activity of format
``garmin-json`` carrying its ``activityId`` (``Activity.external_id``); each pair
of shoes becomes a ``Gear`` listing the ids of the activities it was used on.
The two files are parsed separately (importers see one file at a time), so the
collection joins them (``library``): a summary whose id a pair lists gets that
pair's name as its gear, and merges with the FIT of the same run by its start
(``dedupe``), where, as a table-like source, it supplies the name and gear the
runner gave it on Garmin Connect. Linking by id rather than by start time keeps
two runs started in the same minute apart and needs no tolerance.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

from loadwatch.errors import CorruptFileError, UnsupportedFormatError
from loadwatch.ingest.classify import ON_FOOT, classify
from loadwatch.ingest.importers import MAX_ACTIVITIES_PER_FILE, ParseContext, too_many
from loadwatch.model import Activity, Gear, ParsedFile, activity_id
from loadwatch.timezones import local_wall_time_at

FORMAT = "garmin-json"
SUMMARY_SUFFIX = "_summarizedactivities.json"
GEAR_SUFFIX = "_gear.json"
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
#: Garmin's make for gear the runner described themselves
_NO_MAKE = frozenset({"", "other", "unknown"})


def kind_of(name: str) -> str | None:
    """Which of the export's files a name is: ``summary``, ``gear`` or None."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1].rsplit("!", 1)[-1].lower()
    if base.endswith(SUMMARY_SUFFIX):
        return "summary"
    if base.endswith(GEAR_SUFFIX):
        return "gear"
    return None


def _document(data: bytes) -> Any:
    try:
        return json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise CorruptFileError(f"not UTF-8 text ({exc.reason})") from exc
    except (json.JSONDecodeError, RecursionError) as exc:
        raise CorruptFileError(f"damaged JSON ({exc})") from exc


def _blocks(document: Any, key: str) -> Iterator[dict[str, Any]]:
    """The dicts holding ``key``: the export wraps them in a list (or writes one dict)."""
    items = document if isinstance(document, list) else [document]
    for item in items:
        if isinstance(item, dict) and key in item:
            yield item


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) else None


def _moment(value: Any) -> datetime | None:
    """An instant from ms since the epoch or an ISO string (UTC unless it says otherwise)."""
    millis = _number(value)
    try:
        if millis is not None:
            return _EPOCH + timedelta(milliseconds=millis)
        if isinstance(value, str) and value.strip():
            found = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
            return found.replace(tzinfo=UTC) if found.tzinfo is None else found.astimezone(UTC)
    except (ValueError, OverflowError):
        return None
    return None


def _day(value: Any) -> date | None:
    if isinstance(value, str) and len(value) >= 10:
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            return None
    moment = _moment(value)
    return None if moment is None else moment.date()


def _text(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    return " ".join(value.split()) or None


def _type_key(value: Any) -> str | None:
    if isinstance(value, dict):
        value = value.get("typeKey")
    return _text(value)


# ---------------------------------------------------------------- activities


def parse_summaries(data: bytes, ctx: ParseContext) -> ParsedFile:
    """Activities from a ``summarizedActivities.json``."""
    blocks = list(_blocks(_document(data), "summarizedActivitiesExport"))
    if not blocks:
        raise UnsupportedFormatError("not a Garmin summarizedActivities export")
    parsed = ParsedFile()
    skipped = 0
    row = 0
    for block in blocks:
        entries = block["summarizedActivitiesExport"]
        if not isinstance(entries, list):
            raise CorruptFileError("summarizedActivitiesExport is not a list")
        for entry in entries:
            row += 1
            if len(parsed.activities) >= MAX_ACTIVITIES_PER_FILE:
                raise too_many("activities")
            if not isinstance(entry, dict):
                skipped += 1
                continue
            # a multisport summary repeats its legs, which are listed on their own
            if entry.get("parent") is True or entry.get("isMultiSportParent") is True:
                continue
            activity = _activity(entry, row, ctx)
            if activity is None:
                skipped += 1
            else:
                parsed.activities.append(activity)
    if skipped:
        parsed.warnings.append(f"{skipped} activity summaries without a readable start skipped")
    return parsed


def _activity(entry: dict[str, Any], row: int, ctx: ParseContext) -> Activity | None:
    start = _moment(entry.get("startTimeGmt"))
    if start is None:
        start = _moment(entry.get("beginTimestamp"))
    if start is None:
        return None
    start = start.replace(microsecond=0)
    shifted = _moment(entry.get("startTimeLocal"))
    guessed = False
    if shifted is not None and abs(shifted - start) <= timedelta(hours=15):
        local = shifted.replace(tzinfo=None, microsecond=0)
    else:
        lat, lon = _number(entry.get("startLatitude")), _number(entry.get("startLongitude"))
        position = (lat, lon) if lat is not None and lon is not None else None
        local, guessed = local_wall_time_at(start, position, ctx.zone)
    key = _type_key(entry.get("activityType"))
    sport, surface = classify(key, _text(entry.get("sportType")), name=_text(entry.get("name")))

    def scaled(name: str, factor: float) -> float | None:
        value = _number(entry.get(name))
        return None if value is None or value < 0 else value * factor

    cadence = scaled("avgDoubleCadence", 1.0) or scaled("avgRunCadence", 2.0)
    identifier = entry.get("activityId")
    return Activity(
        id=activity_id(start),
        source=f"{ctx.source}#row{row}",
        format=FORMAT,
        sport=sport,
        surface=surface,
        start_utc=start,
        start_local=local,
        name=_text(entry.get("name")),
        distance_m=scaled("distance", 0.01),
        duration_s=scaled("duration", 0.001) or scaled("movingDuration", 0.001),
        elapsed_s=scaled("elapsedDuration", 0.001),
        ascent_m=scaled("elevationGain", 0.01),
        avg_cadence_spm=cadence if cadence and sport in ON_FOOT else None,
        sport_detail=key,
        external_id=None if identifier is None else f"garmin:{identifier}",
        zone_guessed=guessed,
    )


# ---------------------------------------------------------------- gear


def parse_gear(data: bytes, ctx: ParseContext) -> ParsedFile:
    """The shoes of a ``gear.json``, with the activities each was used on."""
    blocks = list(_blocks(_document(data), "gearDTOS"))
    if not blocks:
        raise UnsupportedFormatError("not a Garmin gear export")
    parsed = ParsedFile()
    for block in blocks:
        links = block.get("gearActivityDTOs")
        links = links if isinstance(links, dict) else {}
        gear = block["gearDTOS"]
        for item in gear if isinstance(gear, list) else []:
            found = _shoe(item, links, ctx) if isinstance(item, dict) else None
            if found is not None:
                parsed.gear.append(found)
    return parsed


def _shoe(item: dict[str, Any], links: dict[str, Any], ctx: ParseContext) -> Gear | None:
    if (_text(item.get("gearTypeName")) or "").casefold() != "shoes":
        return None  # bikes and other gear carry no running load
    make = _text(item.get("gearMakeName"))
    brand = None if make is None or make.casefold() in _NO_MAKE else make
    model = _text(item.get("gearModelName"))
    model = None if model is None or model.casefold() in _NO_MAKE else model
    custom = _text(item.get("customMakeModel"))
    brand_model = " ".join(p for p in (brand, model) if p) or None
    name = _text(item.get("displayName")) or custom or brand_model
    if name is None:
        return None
    aliases = tuple(dict.fromkeys(a for a in (custom, brand_model) if a and a != name))
    retired = (_text(item.get("gearStatusName")) or "").casefold() == "retired"
    limit = _number(item.get("maximumMeters"))
    used = links.get(str(item.get("gearPk")), [])
    activities = tuple(
        f"garmin:{link['activityId']}"
        for link in (used if isinstance(used, list) else [])
        if isinstance(link, dict) and link.get("activityId") is not None
    )
    return Gear(
        source=ctx.source,
        name=name,
        brand=brand,
        # "Other" make with the runner's own words ("Pegasus 40 blue"): those are the model
        model=model or custom,
        aliases=aliases,
        in_service=_day(item.get("dateBegin")),
        retired_on=_day(item.get("dateEnd")) if retired else None,
        limit_m=limit if limit and limit > 0 else None,
        activities=activities,
    )


def parse(data: bytes, ctx: ParseContext) -> ParsedFile:
    # the name says which file it is; the content decides for a renamed copy
    kind = kind_of(ctx.source)
    if kind is None:
        kind = "gear" if b'"gearDTOS"' in data[: 1 << 20] else "summary"
    if kind == "gear":
        return parse_gear(data, ctx)
    return parse_summaries(data, ctx)
