"""Small FIT files for importer tests, written with Garmin's own encoder.

Tests describe the few messages an edge case needs; the encoder supplies valid
definitions, header and CRCs, so every fixture is a file a real reader accepts.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

from garmin_fit_sdk import Encoder, Profile

#: FIT counts seconds from 1989-12-31T00:00:00Z
FIT_EPOCH = datetime(1989, 12, 31, tzinfo=UTC)
MESG = Profile["mesg_num"]

#: a fixed start for fixtures (a Saturday morning, UTC)
START = datetime(2024, 3, 2, 7, 0, 0, tzinfo=UTC)


def fit_seconds(moment: datetime) -> int:
    return int((moment - FIT_EPOCH).total_seconds())


def file_id(file_type: str = "activity", product: int = 4024, **extra: Any) -> dict[str, Any]:
    return {
        "mesg_num": MESG["FILE_ID"],
        "type": file_type,
        "manufacturer": "garmin",
        "product": product,
        "time_created": START,
        **extra,
    }


def session(
    start: datetime = START,
    *,
    sport: str = "running",
    sub_sport: str | None = "generic",
    distance_m: float | None = 10000.0,
    timer_s: float = 3000.0,
    elapsed_s: float | None = None,
    **extra: Any,
) -> dict[str, Any]:
    elapsed = timer_s if elapsed_s is None else elapsed_s
    values: dict[str, Any] = {
        "mesg_num": MESG["SESSION"],
        "start_time": start,
        "timestamp": start + timedelta(seconds=elapsed),
        "sport": sport,
        "total_timer_time": timer_s,
        "total_elapsed_time": elapsed,
        **extra,
    }
    if sub_sport is not None:
        values["sub_sport"] = sub_sport
    if distance_m is not None:
        values["total_distance"] = distance_m
    return values


def lap(start: datetime, distance_m: float, timer_s: float, **extra: Any) -> dict[str, Any]:
    return {
        "mesg_num": MESG["LAP"],
        "start_time": start,
        "timestamp": start + timedelta(seconds=timer_s),
        "total_distance": distance_m,
        "total_timer_time": timer_s,
        "total_elapsed_time": timer_s,
        **extra,
    }


def record(moment: datetime, distance_m: float) -> dict[str, Any]:
    return {"mesg_num": MESG["RECORD"], "timestamp": moment, "distance": distance_m}


def activity(end: datetime, local_offset: timedelta | None) -> dict[str, Any]:
    """The closing activity message; ``local_offset`` sets local_timestamp."""
    values: dict[str, Any] = {"mesg_num": MESG["ACTIVITY"], "timestamp": end, "num_sessions": 1}
    if local_offset is not None:
        values["local_timestamp"] = fit_seconds(end + local_offset)
    return values


def sport_message(sport: str, sub_sport: str, name: str) -> dict[str, Any]:
    return {"mesg_num": MESG["SPORT"], "sport": sport, "sub_sport": sub_sport, "name": name}


def encode(messages: Iterable[dict[str, Any]], developer: dict[str, str] | None = None) -> bytes:
    """One FIT file holding ``messages`` in order.

    ``developer`` maps developer field names to string values added to every
    session message (as an app such as a shoe tracker would write them).
    """
    encoder = Encoder()
    keys: dict[str, int] = {}
    if developer:
        data_id = {
            "mesg_num": MESG["DEVELOPER_DATA_ID"],
            "developer_data_index": 0,
            "application_id": list(range(16)),
        }
        encoder.write_mesg(data_id)
        for number, name in enumerate(developer):
            description = {
                "mesg_num": MESG["FIELD_DESCRIPTION"],
                "developer_data_index": 0,
                "field_definition_number": number,
                "fit_base_type_id": 7,  # string
                "field_name": name,
            }
            encoder.write_mesg(description)
            encoder.add_developer_field(number, data_id, description)  # type: ignore[arg-type]
            keys[name] = number
    for message in messages:
        if developer and message["mesg_num"] == MESG["SESSION"]:
            message = {
                **message,
                "developer_fields": {keys[name]: value for name, value in developer.items()},
            }
        encoder.write_mesg(message)
    return bytes(encoder.close())


def run_file(
    *,
    sport: str = "running",
    sub_sport: str | None = "generic",
    local_offset: timedelta | None = timedelta(hours=1),
    **session_values: Any,
) -> bytes:
    """A one-session activity as a watch writes it: file_id, session, activity."""
    first = session(sport=sport, sub_sport=sub_sport, **session_values)
    return encode([file_id(), first, activity(first["timestamp"], local_offset)])
