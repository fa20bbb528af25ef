"""FIT activity files, decoded with fitparse: one activity per session message.

The fast summary decoder (``fitfast``) must give the very same ``ParsedFile`` as
this module, so every rule below is exact. "Value" means the value fitparse 1.2
decodes (scale and offset applied, invalid values as ``None``; where a message
holds a field name twice, the first non-``None`` value); numbers reach the
``Activity`` through ``float()``, never rounded, and a value that is not a finite
int or float (an array, raw bytes) counts as missing.

Framing
    The bytes are walked once, exactly as fitparse frames them: a 12-byte header
    (``data[8:12] == b".FIT"``; header size 13 is invalid; a size below 12 still
    takes 12 bytes), messages until the declared data size is used up (the last
    message may run past it), a 2-byte CRC, then another chained header while
    bytes remain. Local message definitions reset with each header.

CRC
    CRC-16 (FIT/ARC) of every complete sub-file (header + data) against its
    stored CRC, and of the 12 header bytes against a 14-byte header's CRC (0 is
    allowed there). Any mismatch adds the warning ``CRC mismatch; data decoded
    anyway`` (once) and decoding carries on.

Impossible field sizes
    A definition field whose size is not a multiple of its base type's size
    (COROS PACE 2 writes a 1-byte uint32) is read as raw bytes, as Garmin's SDK
    does; its value is then not numeric and is ignored. No warning.

Damage
    Reading stops at the first message the walk cannot frame. Reasons, with
    ``N`` the byte offset (``len(data)`` for a truncation)::

        truncated FIT file: ends at byte N in the middle of a message
        truncated FIT file: ends at byte N, before the end its header declares
        truncated FIT file: ends at byte N without its CRC
        truncated FIT file: ends at byte N inside a FIT header
        damaged FIT file: invalid FIT header at byte N
        damaged FIT file: message at byte N uses undefined local message type T
        damaged FIT file: message at byte N could not be decoded

    The last one is fitparse-specific: the framing is sound but fitparse fails,
    e.g. on a developer field that no field_description message describes.
    Bytes 8-11 other than ``.FIT`` raise ``CorruptFileError("not a FIT file (no
    FIT header)")``, no bytes ``CorruptFileError("empty file")``. What was
    decoded before the damage is imported (see Integrity); with no session, lap
    or timed record before it the reason is raised as ``CorruptFileError``.

File type
    If file_id messages were decoded and none has ``type == "activity"``,
    ``NotAnActivityError("not an activity (FIT file type: <type of the first>)")``
    is raised, the type being ``unreadable`` when it is neither a name nor a
    number. A file with no file_id is read as an activity.

Activities
    One per session message, in file order; a session whose start_time,
    timestamp, sport, sub_sport, total_timer_time and total_distance equal an
    earlier session's is a repeat and dropped. Sessions without a start_time
    are dropped. A session without total_distance takes the larger of its laps'
    sum and (in a single-session file) the last record distance; one without
    total_timer_time takes its laps' sum, else (single session) the activity
    message's total_timer_time, else the records' span; a missing
    total_elapsed_time is the session's timestamp minus its start. A session's
    laps are those starting within its start and timestamp (all laps when there
    is one session). With no usable session, the laps give one activity: the earliest
    lap start (device-time starts only if no lap has a UTC one), sums over all
    laps of total_distance, total_timer_time, total_elapsed_time and
    total_ascent (each ``None`` when no lap has it), sport/sub_sport of the first
    lap that has a sport, else of the first sport message. With no lap either,
    records give one activity (unless the file is damaged): the first and last
    record timestamps (duration and elapsed both their difference), the last
    record distance, no ascent, sport/sub_sport of the first sport message. No
    session, lap or timed record: ``NotAnActivityError("FIT file holds no
    session, lap or record")``.

Integrity
    A CRC mismatch makes every activity ``suspect`` (``CRC_NOTE``), and so does a
    session distance or timer time of 0 beside laps that add up to more than
    100 m or 60 s (the laps' sum is used). Damage after
    a session's summary makes that session ``suspect``; an activity recovered
    from laps or records before damage is ``partial``. Totals taken from laps
    or records in a whole file leave it ``complete``, with a note saying so.

Fields
    id ``activity_id(start_utc)``; format ``fit``; sport and surface from
    ``classify(sport, sub_sport)`` on the enum names (an unknown enum number as
    its decimal string); sport_detail ``"sport/sub_sport"``, leaving out a missing
    part (``None`` when both are); distance_m total_distance; duration_s
    total_timer_time; elapsed_s total_elapsed_time; ascent_m total_ascent.
    avg_cadence_spm only for run, walk and hike: ``2 * (c + f)`` with ``c`` the
    session's avg_running_cadence, else its avg_cadence, and ``f`` its
    avg_fractional_cadence or 0 (FIT counts strides); ``None`` when ``c`` is
    missing or 0, for other sports, and for lap and record fallbacks.
    name and shoe: a session developer field whose name, lower-cased with
    everything but letters and digits removed, is ``title``, ``name``,
    ``activityname`` or ``activitytitle`` (name), ``shoe``, ``shoes``, ``shoename``,
    ``gear`` or ``gearname`` (shoe), the first non-empty one after stripping, in
    field order; else ``None``.
    device from the first file_id: manufacturer name (fitparse's, else
    ``MANUFACTURERS``, else the number) and product: ``product_name`` if set,
    else the Garmin product name (fitparse's, else ``GARMIN_PRODUCTS``), else the
    product number (0 counts as none); joined by a space, or the product name
    alone when it already starts with the manufacturer (case-insensitive).

Time
    Timestamps of 0x10000000 and above are UTC. The first activity message with
    both timestamp and local_timestamp gives the clock, if its local_timestamp
    is at least 0x10000000 s after the FIT epoch. With an absolute timestamp the
    offset ``local_timestamp - timestamp``, rounded to the nearest 15 minutes
    (``floor((s + 450) / 900) * 900``), is used when within 14 hours: start_local
    is start_utc plus it. Otherwise start_local is start_utc in ``ctx.zone``.
    A start below 0x10000000 is device time (clock never set): with a relative
    activity timestamp and a valid local_timestamp, the local start is
    ``local_timestamp - (timestamp - start)`` and start_utc that wall time in
    ``ctx.zone``; warning ``device clock not set; start derived from the watch's
    local time``. Without them, ``CorruptFileError("start time unknown: device
    clock not set and no local time in the file")``.

The only warning is the device-clock one.
"""

from __future__ import annotations

import enum
import io
import math
import re
import struct
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any, Final, cast

from fitparse import FitFile
from fitparse import records as fit_records
from fitparse.profile import FIELD_TYPE_TIMESTAMP
from fitparse.records import BASE_TYPES, DataMessage, DevFieldDefinition, FieldData

from loadwatch.errors import (
    CorruptFileError,
    LimitExceededError,
    LoadwatchError,
    NotAnActivityError,
)
from loadwatch.ingest.classify import ON_FOOT, classify
from loadwatch.ingest.importers import ParseContext, too_many
from loadwatch.model import Activity, Integrity, ParsedFile, activity_id
from loadwatch.timezones import local_wall_time, utc_from_local

FIT_EPOCH = datetime(1989, 12, 31)
#: FIT date_time values below this count seconds since the device powered on
RELATIVE_TIME_LIMIT = 0x10000000
_VALID_LOCAL_FROM = FIT_EPOCH + timedelta(seconds=RELATIVE_TIME_LIMIT)
_MAX_ZONE_OFFSET = timedelta(hours=14)
_OFFSET_STEP_S = 900

#: Limits checked while the messages are collected, so a file of a million sessions
#: (18 MB) is refused at the first one too many instead of filling memory. A
#: multisport race has a handful of sessions; a lap every 100 m for 1,000 km is 10,000.
MAX_SESSIONS = 1_000
MAX_LAPS = 20_000
#: FIT files chained in one file (a watch writes one, sometimes two or three)
MAX_CHAINED = 100

CRC_NOTE = "checksum failed: the file changed after the watch wrote it; values decoded anyway"
CLOCK_WARNING = "device clock not set; start derived from the watch's local time"

_NAME_KEYS = frozenset({"title", "name", "activityname", "activitytitle"})
_SHOE_KEYS = frozenset({"shoe", "shoes", "shoename", "gear", "gearname"})

#: manufacturers newer than fitparse's profile (FIT SDK 21 numbering)
MANUFACTURERS: dict[int, str] = {
    148: "ezon",
    294: "coros",
    300: "nurvv",
    305: "whoop",
    309: "form",
    310: "decathlon",
    326: "nike",
    331: "mywhoosh",
    337: "runna",
    339: "zepp",
    340: "peloton",
    348: "huawei",
    349: "gotoes",
}

#: Garmin watches and bike computers newer than fitparse's profile (FIT SDK 21 numbering)
GARMIN_PRODUCTS: dict[int, str] = {
    2158: "fr735xt",
    2503: "fr35",
    2700: "vivoactive3",
    2713: "edge_1030",
    2886: "fr645",
    2888: "fr645m",
    2891: "fr30",
    2900: "fenix5s_plus",
    3011: "edge_explore",
    3076: "fr245",
    3077: "fr245_music",
    3110: "fenix5_plus",
    3111: "fenix5x_plus",
    3112: "edge_520_plus",
    3113: "fr945",
    3121: "edge_530",
    3122: "edge_830",
    3224: "vivoactive4_small",
    3225: "vivoactive4_large",
    3226: "venu",
    3282: "fr45",
    3287: "fenix6S_sport",
    3288: "fenix6S",
    3289: "fenix6_sport",
    3290: "fenix6",
    3291: "fenix6x",
    3466: "instinct_solar",
    3558: "edge_130_plus",
    3570: "edge_1030_plus",
    3589: "fr745",
    3600: "venusq",
    3638: "enduro",
    3652: "fr945_lte",
    3703: "venu2",
    3704: "venu2s",
    3843: "edge_1040",
    3851: "venu2_plus",
    3869: "fr55",
    3888: "instinct_2",
    3889: "instinct_2s",
    3905: "fenix7s",
    3906: "fenix7",
    3907: "fenix7x",
    3943: "epix_gen2",
    3990: "fr255_music",
    3991: "fr255_small_music",
    3992: "fr255",
    3993: "fr255_small",
    4024: "fr955",
    4061: "edge_540",
    4062: "edge_840",
    4115: "venusq2",
    4155: "instinct_crossover",
    4169: "edge_explore2",
    4257: "fr265_large",
    4258: "fr265_small",
    4260: "venu3",
    4261: "venu3s",
    4312: "epix_gen2_pro_42",
    4313: "epix_gen2_pro_47",
    4314: "epix_gen2_pro_51",
    4315: "fr965",
    4341: "enduro2",
    4374: "fenix7s_pro_solar",
    4375: "fenix7_pro_solar",
    4376: "fenix7x_pro_solar",
    4394: "instinct_2x",
    4426: "vivoactive5",
    4432: "fr165",
    4433: "fr165_music",
    4440: "edge_1050",
    4532: "fenix8_solar",
    4533: "fenix8_solar_large",
    4534: "fenix8_small",
    4536: "fenix8",
    4565: "fr970",
    4570: "fr570_large",
    4574: "fr570_small",
    4575: "enduro3",
    4625: "vivoactive6",
    4631: "fenix8_pro",
    4666: "fenix_e",
}


# --- framing -------------------------------------------------------------------------


def _crc_table() -> tuple[int, ...]:
    table = []
    for byte in range(256):
        crc = byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0xA001 if crc & 1 else crc >> 1
        table.append(crc)
    return tuple(table)


#: the FIT CRC-16 lookup table
CRC_TABLE = _crc_table()


def fit_crc(chunk: bytes) -> int:
    """CRC-16 as FIT computes it (reflected polynomial 0xA001, start 0)."""
    crc = 0
    table = CRC_TABLE
    for byte in chunk:
        crc = (crc >> 8) ^ table[(crc ^ byte) & 0xFF]
    return crc


@dataclass(slots=True)
class _Framing:
    #: start of every message, in order (definitions included)
    offsets: list[int] = field(default_factory=list)
    #: positions of base-type bytes of fields whose size does not fit the type
    misaligned: list[int] = field(default_factory=list)
    crc_mismatch: bool = False
    #: why reading stops, and after how many messages
    failure: str | None = None
    failure_index: int = 0


def _frame(data: bytes) -> _Framing:
    """Walk headers and messages the way fitparse does, without decoding values."""
    out = _Framing()
    size = len(data)

    def fail(reason: str) -> _Framing:
        out.failure = reason
        out.failure_index = len(out.offsets)
        return out

    pos = 0
    chained = 0
    while pos < size:
        if size - pos < 12:
            return fail(f"truncated FIT file: ends at byte {size} inside a FIT header")
        chained += 1
        if chained > MAX_CHAINED and data[pos + 8 : pos + 12] == b".FIT":
            raise too_many_chained()
        header_size = data[pos]
        if data[pos + 8 : pos + 12] != b".FIT" or header_size == 13:
            return fail(f"damaged FIT file: invalid FIT header at byte {pos}")
        header_len = max(12, header_size)
        if size - pos < header_len:
            return fail(f"truncated FIT file: ends at byte {size} inside a FIT header")
        if header_size >= 14:
            stored = int.from_bytes(data[pos + 12 : pos + 14], "little")
            if stored and stored != fit_crc(data[pos : pos + 12]):
                out.crc_mismatch = True
        cursor = pos + header_len
        end = cursor + int.from_bytes(data[pos + 4 : pos + 8], "little")
        sizes: dict[int, int] = {}
        while cursor < end:
            if cursor >= size:
                return fail(
                    f"truncated FIT file: ends at byte {size}, before the end its header declares"
                )
            head = data[cursor]
            if head & 0x80 or not head & 0x40:
                local = (head >> 5) & 0x3 if head & 0x80 else head & 0x0F
                if local not in sizes:
                    return fail(
                        f"damaged FIT file: message at byte {cursor} uses undefined "
                        f"local message type {local}"
                    )
                length = 1 + sizes[local]
            else:
                length = _definition_length(data, cursor, head, sizes, out.misaligned)
                if length < 0:
                    return fail(
                        f"truncated FIT file: ends at byte {size} in the middle of a message"
                    )
            if cursor + length > size:
                return fail(f"truncated FIT file: ends at byte {size} in the middle of a message")
            out.offsets.append(cursor)
            cursor += length
        if size - cursor < 2:
            return fail(f"truncated FIT file: ends at byte {size} without its CRC")
        if int.from_bytes(data[cursor : cursor + 2], "little") != fit_crc(data[pos:cursor]):
            out.crc_mismatch = True
        pos = cursor + 2
    return out


def too_many_chained() -> LimitExceededError:
    return LimitExceededError(
        f"more than {MAX_CHAINED} FIT files chained in one file; not a real export (refused)"
    )


def _definition_length(
    data: bytes, start: int, head: int, sizes: dict[int, int], misaligned: list[int]
) -> int:
    """Bytes of the definition message at ``start`` (-1 if the file ends inside it)."""
    size = len(data)
    if start + 6 > size:
        return -1
    count = data[start + 5]
    fields_at = start + 6
    cursor = fields_at + 3 * count
    if cursor > size:
        return -1
    payload = 0
    for at in range(fields_at, cursor, 3):
        field_size = data[at + 1]
        base = BASE_TYPES.get(data[at + 2])
        if base is not None and field_size % base.size:
            misaligned.append(at + 2)
        payload += field_size
    if head & 0x20:
        if cursor + 1 > size:
            return -1
        dev_count = data[cursor]
        dev_at = cursor + 1
        cursor = dev_at + 3 * dev_count
        if cursor > size:
            return -1
        payload += sum(data[at + 1] for at in range(dev_at, cursor, 3))
    sizes[head & 0x0F] = payload
    return cursor - start


# --- decoding --------------------------------------------------------------------------


@dataclass(slots=True)
class FitContent:
    """What the summary reads from a FIT file's messages (filled by either decoder)."""

    file_types: list[Any] = field(default_factory=list)
    file_id: dict[str, Any] | None = None
    sessions: list[tuple[dict[str, Any], dict[str, Any]]] = field(default_factory=list)
    laps: list[dict[str, Any]] = field(default_factory=list)
    clock: dict[str, Any] | None = None
    #: the first activity message (its total_timer_time stands in for a missing session)
    activity: dict[str, Any] | None = None
    sport: dict[str, Any] | None = None
    first_record: Any = None
    last_record: Any = None
    last_distance: Any = None
    messages: int = 0

    def add(
        self,
        name: str | None,
        get: Callable[[str], Any],
        values: Callable[[], tuple[dict[str, Any], dict[str, Any]]],
    ) -> None:
        """Take what the summary needs from one data message.

        ``name`` is the message's profile name, ``get`` fitparse's ``get_value``
        and ``values`` its profile and developer fields (see ``_values``), asked
        for only when the message is kept.
        """
        if name == "record":
            moment = get("timestamp")
            if moment is not None:
                if self.first_record is None:
                    self.first_record = moment
                self.last_record = moment
            distance = get("distance")
            if distance is not None:
                self.last_distance = distance
        elif name == "session":
            if len(self.sessions) >= MAX_SESSIONS:
                raise too_many("sessions", MAX_SESSIONS)
            self.sessions.append(values())
        elif name == "lap":
            if len(self.laps) >= MAX_LAPS:
                raise too_many("laps", MAX_LAPS)
            self.laps.append(values()[0])
        elif name == "file_id":
            found = values()[0]
            self.file_types.append(found.get("type"))
            # the first one, even with no field the profile names (``_SummaryFitFile``
            # leaves such fields out; the fast path keeps them)
            self.file_id = found if self.file_id is None else self.file_id
        elif name == "activity" and self.clock is None:
            found = values()[0]
            self.activity = found if self.activity is None else self.activity
            if found.get("timestamp") is not None and found.get("local_timestamp") is not None:
                self.clock = found
        elif name == "sport" and self.sport is None:
            self.sport = values()[0]


def _values(message: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """Profile fields and developer fields of one message; first non-None wins."""
    values: dict[str, Any] = {}
    developer: dict[str, Any] = {}
    for item in message.fields:
        target = developer if isinstance(item.field_def, DevFieldDefinition) else values
        if target.get(item.name) is None:
            target[item.name] = item.value
    return values, developer


#: messages fitparse learns developer field descriptions from: decoded in full
_DEVELOPER_MESSAGES = frozenset({206, 207})
#: what ``FitContent.add`` keeps whole (file_id, sport, session, lap, activity): every
#: field the profile names
_EVERY_FIELD: frozenset[str] = frozenset({"*"})
#: the fields ``FitContent.add`` reads of each message (a record's two; none of others)
_READ_FIELDS = {
    0: _EVERY_FIELD,
    12: _EVERY_FIELD,
    18: _EVERY_FIELD,
    19: _EVERY_FIELD,
    34: _EVERY_FIELD,
    20: frozenset({"timestamp", "distance"}),
}
_NOTHING: frozenset[str] = frozenset()


# fitparse has no types, so FitFile is Any to mypy: subclassing it is the point here
class _SummaryFitFile(FitFile):  # type: ignore[misc]
    """fitparse's reader, building of records and other messages only what is read.

    Records are nine messages in ten, and fitparse builds a ``FieldData`` for every
    field of each and runs its processors over it (3 s for a 1 MB file, so a
    damaged large file, which the fast path leaves to fitparse, took seconds).
    Here a record is decoded by fitparse's own steps in fitparse's order, raw
    values, subfields, components and their accumulators included, so that it
    fails where fitparse fails; only the ``FieldData`` of a field nobody reads
    and no processor changes is not built. Other messages are fitparse's as they are.
    """

    _kept_fields: dict[Any, list[tuple[int, Any, bool]]]
    _raw_plans: dict[Any, _RawPlan | _NoPlan]

    def _parse_data_message(self, header: Any) -> Any:
        definition = self._local_mesgs.get(header.local_mesg_num)
        if definition is None or definition.mesg_num in _DEVELOPER_MESSAGES:
            return super()._parse_data_message(header)
        read = _READ_FIELDS.get(definition.mesg_num, _NOTHING)
        work = self._work(definition, read)
        raw_values = self._parse_raw_values_from_data_message(definition)
        fields = []
        # the loop of fitparse's DataMessage parsing (base.FitFile._parse_data_message),
        # over the fields where it does anything but build a FieldData nobody reads
        for index, field_def, keep in work:
            raw_value = raw_values[index]
            field, parent_field = field_def.field, None
            value = raw_value
            if field:
                field, parent_field = self._resolve_subfield(field, definition, raw_values)
                for component in field.components or ():
                    try:
                        component_raw = component.render(raw_value)
                    except ValueError:
                        continue
                    if component.accumulate and component_raw is not None:
                        accumulator = self._accumulators[definition.mesg_num]
                        component_raw = self._apply_compressed_accumulation(
                            component_raw, accumulator[component.def_num], component.bits
                        )
                        accumulator[component.def_num] = component_raw
                    component_field = definition.mesg_type.fields[component.def_num]
                    if read is not _EVERY_FIELD and component_field.name not in read:
                        continue
                    component_raw = self._apply_scale_offset(component, component_raw)
                    component_field, component_parent = self._resolve_subfield(
                        component_field, definition, raw_values
                    )
                    fields.append(
                        FieldData(
                            field_def=None,
                            field=component_field,
                            parent_field=component_parent,
                            value=component_field.render(component_raw),
                            raw_value=component_raw,
                        )
                    )
                if keep:
                    value = self._apply_scale_offset(field, field.render(raw_value))
            if field_def.def_num == FIELD_TYPE_TIMESTAMP.def_num and raw_value is not None:
                self._compressed_ts_accumulator = raw_value
            if keep:
                fields.append(
                    FieldData(
                        field_def=field_def,
                        field=field,
                        parent_field=parent_field,
                        value=value,
                        raw_value=raw_value,
                    )
                )
        if header.time_offset is not None:
            stamp = self._compressed_ts_accumulator = self._apply_compressed_accumulation(
                header.time_offset, self._compressed_ts_accumulator, 5
            )
            fields.append(
                FieldData(
                    field_def=None,
                    field=FIELD_TYPE_TIMESTAMP,
                    parent_field=None,
                    value=FIELD_TYPE_TIMESTAMP.render(stamp),
                    raw_value=stamp,
                )
            )
        for field_data in fields:
            self._processor.run_type_processor(field_data)
            self._processor.run_field_processor(field_data)
            self._processor.run_unit_processor(field_data)
        message = DataMessage(header=header, def_mesg=definition, fields=fields)
        self._processor.run_message_processor(message)
        return message

    def _parse_raw_values_from_data_message(self, definition: Any) -> list[Any]:
        """fitparse's raw values of one message, read with one ``struct`` call.

        fitparse reads each field with a read and an unpack of its own (a definition
        of 255 fields costs 255 of each per message); the values, the bytes read
        and the errors raised (FitEOFError when the data ends) are the same.
        """
        plan = self._raw_plans.get(definition) if hasattr(self, "_raw_plans") else None
        if plan is None:
            plan = _raw_plan(definition)
            self.__dict__.setdefault("_raw_plans", {})[definition] = plan
        if plan is _NO_PLAN:  # a field fitparse refuses to read: let it say so
            # fitparse is untyped: its raw values are a list, one item per field
            return cast(list[Any], super()._parse_raw_values_from_data_message(definition))
        layout, fields = plan
        values = layout.unpack(self._read(layout.size)) if layout.size else ()
        out: list[Any] = []
        at = 0
        for count, is_byte, base_type in fields:
            chunk = values[at : at + count]
            at += count
            if is_byte:
                out.append(base_type.parse(chunk))
            elif count == 1:
                out.append(base_type.parse(chunk[0]))
            else:
                out.append(tuple(base_type.parse(value) for value in chunk))
        return out

    def _work(self, definition: Any, read: frozenset[str]) -> list[tuple[int, Any, bool]]:
        """The fields of a definition fitparse's loop must visit: (index, field_def, keep).

        A field's ``FieldData`` is kept when the summary may read it (by its name or
        its main field's name) or when a processor would act on it (and might fail
        there). Fields with components are visited for their accumulators and
        their components' failures, timestamps for the compressed-time base.
        """
        known: dict[Any, list[tuple[int, Any, bool]]]
        known = self.__dict__.setdefault("_kept_fields", {})
        # keyed by the definition itself: an id could be reused once it is replaced
        found = known.get(definition)
        if found is None:
            processor = self._processor
            found = []
            for index, field_def in enumerate(definition.field_defs + definition.dev_field_defs):
                field = field_def.field
                timestamp = field_def.def_num == FIELD_TYPE_TIMESTAMP.def_num
                if field is None:
                    if timestamp:
                        found.append((index, field_def, False))
                    continue
                variants = [field, *(field.subfields or ())]
                names = {v.name for v in variants}
                wanted = [f"process_type_{v.type.name}" for v in variants]
                wanted += [f"process_field_{n}" for n in names]
                wanted += [f"process_units_{v.units}" for v in variants if v.units]
                acted_on = any(hasattr(processor, processor._scrub_method_name(w)) for w in wanted)
                # a summary message keeps every field the profile names (its values
                # are all collected); only fields no profile knows are left out
                keep = bool(names & read) or acted_on or read is _EVERY_FIELD
                if keep or timestamp or any(v.components for v in variants):
                    found.append((index, field_def, keep))
            known[definition] = found
        return found


class _NoPlan(enum.Enum):
    """The plan of a definition with a field fitparse refuses to read."""

    # an enum member, not object(): ``plan is _NO_PLAN`` then tells mypy what plan is
    NO_PLAN = enum.auto()


_NO_PLAN: Final = _NoPlan.NO_PLAN
_RawPlan = tuple[struct.Struct, list[tuple[int, bool, Any]]]


def _raw_plan(definition: Any) -> _RawPlan | _NoPlan:
    """One struct for a definition's fields, and how many values each field takes."""
    formats = []
    fields = []
    for field_def in definition.field_defs + definition.dev_field_defs:
        base_type = field_def.base_type
        fmt = f"{int(field_def.size / base_type.size)}{base_type.fmt}"
        if struct.calcsize(definition.endian + fmt) <= 0:
            return _NO_PLAN  # fitparse raises "Invalid struct format" for this field
        formats.append(fmt)
        count = 1 if base_type.fmt == "s" else int(field_def.size / base_type.size)
        fields.append((count, base_type.name == "byte", base_type))
    return struct.Struct(definition.endian + "".join(formats)), fields


def _collect(fit: FitFile, content: FitContent) -> None:
    for message in fit.get_messages(with_definitions=True):
        content.messages += 1
        if message.type == "data":
            content.add(message.name, message.get_value, partial(_values, message))


def _decode(data: bytes) -> tuple[FitContent, str | None, bool]:
    """Decoded content, the reason reading stopped early (if it did), CRC mismatch."""
    if not data:
        raise CorruptFileError("empty file")
    if len(data) >= 12 and data[8:12] != b".FIT":
        raise CorruptFileError("not a FIT file (no FIT header)")
    framing = _frame(data)
    readable = data
    if framing.misaligned:
        patched = bytearray(data)
        for at in framing.misaligned:
            patched[at] = 0x0D  # read as a byte array, which any size fits
        readable = bytes(patched)
    # fitparse keeps developer field descriptions in a module global; clear it so
    # that one file's descriptions never decide how the next file decodes
    fit_records.DEV_TYPES.clear()
    content = FitContent()
    failure = framing.failure
    try:
        _collect(_SummaryFitFile(io.BytesIO(readable), check_crc=False), content)
    except LoadwatchError:
        raise  # a limit, not damage
    except Exception:  # fitparse fails in many ways (struct, KeyError...) on bad bytes
        stopped = content.messages
        if failure is None or stopped < framing.failure_index:
            at = framing.offsets[stopped] if stopped < len(framing.offsets) else len(data)
            failure = f"damaged FIT file: message at byte {at} could not be decoded"
    return content, failure, framing.crc_mismatch


# --- building activities ---------------------------------------------------------------


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def _label(value: Any) -> str | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        return value or None
    if isinstance(value, int):
        return str(value)
    return None


def _moment(value: Any) -> datetime | int | None:
    """An aware UTC datetime, or device seconds for a clock that was never set."""
    if isinstance(value, datetime):
        return value.replace(tzinfo=UTC)
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < RELATIVE_TIME_LIMIT:
        return value
    return None


def _text(developer: dict[str, Any], keys: frozenset[str]) -> str | None:
    for key, value in developer.items():
        if re.sub(r"[^a-z0-9]", "", str(key).lower()) in keys and isinstance(value, str):
            text = value.strip()
            if text:
                return text
    return None


def _device(file_id: dict[str, Any] | None) -> str | None:
    if not file_id:
        return None
    maker_value = file_id.get("manufacturer")
    maker = (
        MANUFACTURERS.get(maker_value, str(maker_value))
        if isinstance(maker_value, int) and not isinstance(maker_value, bool)
        else _label(maker_value)
    )
    product: str | None = None
    product_name = file_id.get("product_name")
    if isinstance(product_name, str) and product_name.strip():
        product = product_name.strip()
    else:
        number = file_id.get("garmin_product", file_id.get("product"))
        if isinstance(number, str):
            product = number or None
        elif isinstance(number, int) and not isinstance(number, bool) and number != 0:
            in_garmin_list = "garmin_product" in file_id
            product = GARMIN_PRODUCTS.get(number, str(number)) if in_garmin_list else str(number)
    if maker and product:
        return product if product.lower().startswith(maker.lower()) else f"{maker} {product}"
    return maker or product


@dataclass(frozen=True, slots=True)
class _Summary:
    start: datetime | int
    sport: str | None
    sub_sport: str | None
    distance_m: float | None
    duration_s: float | None
    elapsed_s: float | None
    ascent_m: float | None
    cadence: float | None = None
    fraction: float | None = None
    name: str | None = None
    shoe: str | None = None
    #: the session's last timestamp, to tell which laps are its own
    end: datetime | int | None = None
    #: what the totals were read from: session, laps or records
    origin: str = "session"
    #: the totals taken from laps or records because the session lacked them
    filled: tuple[str, ...] = ()
    #: session totals replaced because they contradicted the laps (damage)
    repaired: tuple[str, ...] = ()


def _sessions(content: FitContent) -> list[_Summary]:
    seen: set[tuple[Any, ...]] = set()
    summaries = []
    for values, developer in content.sessions:
        start = _moment(values.get("start_time"))
        if start is None:
            continue
        key = tuple(
            repr(values.get(k))  # repr: array fields would not hash
            for k in (
                "start_time",
                "timestamp",
                "sport",
                "sub_sport",
                "total_timer_time",
                "total_distance",
            )
        )
        if key in seen:
            continue
        seen.add(key)
        cadence = values.get("avg_running_cadence")
        if cadence is None:
            cadence = values.get("avg_cadence")
        summaries.append(
            _Summary(
                start=start,
                sport=_label(values.get("sport")),
                sub_sport=_label(values.get("sub_sport")),
                distance_m=_number(values.get("total_distance")),
                duration_s=_number(values.get("total_timer_time")),
                elapsed_s=_number(values.get("total_elapsed_time")),
                ascent_m=_number(values.get("total_ascent")),
                cadence=_number(cadence),
                fraction=_number(values.get("avg_fractional_cadence")),
                name=_text(developer, _NAME_KEYS),
                shoe=_text(developer, _SHOE_KEYS),
                end=_moment(values.get("timestamp")),
            )
        )
    return summaries


def _total(laps: list[dict[str, Any]], key: str) -> float | None:
    numbers = [n for n in (_number(lap.get(key)) for lap in laps) if n is not None]
    return sum(numbers) if numbers else None


def _from_laps(content: FitContent) -> _Summary | None:
    starts = [s for s in (_moment(lap.get("start_time")) for lap in content.laps) if s is not None]
    # Device time and UTC cannot be compared; a file uses one or the other.
    absolute = [s for s in starts if isinstance(s, datetime)]
    relative = [s for s in starts if isinstance(s, int)]
    start: datetime | int | None = min(absolute) if absolute else min(relative, default=None)
    if start is None:
        return None
    labelled = next((lap for lap in content.laps if lap.get("sport") is not None), None)
    sport_source = labelled or content.sport or {}
    return _Summary(
        start=start,
        sport=_label(sport_source.get("sport")),
        sub_sport=_label(sport_source.get("sub_sport")),
        distance_m=_total(content.laps, "total_distance"),
        duration_s=_total(content.laps, "total_timer_time"),
        elapsed_s=_total(content.laps, "total_elapsed_time"),
        ascent_m=_total(content.laps, "total_ascent"),
        origin="laps",
    )


def _from_records(content: FitContent) -> _Summary | None:
    first = _moment(content.first_record)
    span = _record_span(content)
    if first is None or span is None:
        return None
    sport_source = content.sport or {}
    return _Summary(
        start=first,
        sport=_label(sport_source.get("sport")),
        sub_sport=_label(sport_source.get("sub_sport")),
        distance_m=_number(content.last_distance),
        duration_s=span,
        elapsed_s=span,
        ascent_m=None,
        origin="records",
    )


def _laps_of(summary: _Summary, content: FitContent, sessions: int) -> list[dict[str, Any]]:
    """The laps inside a session's span (every lap when the file has one session)."""
    if sessions == 1:
        return content.laps
    start, end = summary.start, summary.end
    if end is None or type(end) is not type(start):
        return []
    return [
        lap
        for lap in content.laps
        if (moment := _moment(lap.get("start_time"))) is not None
        and type(moment) is type(start)
        and _between(start, moment, end)
    ]


def _between(start: datetime | int, moment: datetime | int, end: datetime | int) -> bool:
    """``start <= moment <= end`` for three moments of one kind (UTC or device seconds).

    The isinstance checks tell mypy the kinds match (``type(a) is type(b)`` does not);
    moments of two kinds are never between each other.
    """
    if isinstance(start, datetime) and isinstance(moment, datetime) and isinstance(end, datetime):
        return start <= moment <= end
    if isinstance(start, int) and isinstance(moment, int) and isinstance(end, int):
        return start <= moment <= end
    return False


def _against_laps(summary: _Summary, laps: list[dict[str, Any]]) -> _Summary:
    """A session total of zero replaced by its laps' sum when the laps say otherwise.

    A device writes a session's totals as the sum of its laps, so a zero beside laps
    that add up to a real distance or time is a damaged or blanked field. (Laps that
    add up to less than the session are not a contradiction: a lap may be missing.)
    """
    changes: dict[str, Any] = {}
    repaired: list[str] = []
    for name, key, floor, unit in (
        ("distance_m", "total_distance", 100.0, "km"),
        ("duration_s", "total_timer_time", 60.0, "min"),
    ):
        stated = getattr(summary, name)
        from_laps = _total(laps, key)
        if stated == 0 and from_laps is not None and from_laps > floor:
            changes[name] = from_laps
            shown = from_laps / 1000.0 if unit == "km" else from_laps / 60.0
            repaired.append(
                f"the session's {name.split('_')[0]} is 0 but its laps add up to "
                f"{shown:,.2f} {unit}, which is used"
            )
    if not changes:
        return summary
    return replace(summary, repaired=(*summary.repaired, *repaired), **changes)


def _record_span(content: FitContent) -> float | None:
    """Seconds from the first record to the last (None when unknown or backwards)."""
    first, last = _moment(content.first_record), _moment(content.last_record)
    if isinstance(first, datetime) and isinstance(last, datetime):
        span = (last - first).total_seconds()
    elif isinstance(first, int) and isinstance(last, int):
        span = float(last - first)
    else:
        return None
    return span if span >= 0 else None


def _completed(
    summary: _Summary,
    content: FitContent,
    sessions: int,
    records: Callable[[], FitContent],
) -> _Summary:
    """A session summary with a missing distance or time taken from its laps, then records.

    Records stand in only for a file with a single session (they carry no session
    number), and the activity message's timer total only for such a file too.
    """
    laps = _laps_of(summary, content, sessions)
    summary = _against_laps(summary, laps)
    if summary.distance_m is not None and summary.duration_s is not None:
        return summary
    changes: dict[str, Any] = {}
    filled: list[str] = []
    if summary.distance_m is None:
        from_laps = _total(laps, "total_distance")
        from_records = _number(records().last_distance) if sessions == 1 else None
        # a lap that was never written only makes the laps' sum shorter, so the larger
        # of the two is the fuller account of the recording
        candidates = [d for d in (from_laps, from_records) if d is not None]
        if candidates:
            changes["distance_m"] = max(candidates)
            filled.append(
                "distance from its " + ("laps" if changes["distance_m"] == from_laps else "records")
            )
    if summary.duration_s is None:
        duration = _total(laps, "total_timer_time")
        source = "laps"
        if duration is None and sessions == 1:
            duration = _number((content.activity or {}).get("total_timer_time"))
            source = "activity summary"
            if duration is None:
                duration = _record_span(records())
                source = "records"
        if duration is not None:
            changes["duration_s"] = duration
            filled.append(f"time from its {source}")
    if (
        summary.elapsed_s is None
        and isinstance(summary.start, datetime)
        and isinstance(summary.end, datetime)
    ):
        span = (summary.end - summary.start).total_seconds()
        # an end before the start (a record definition read as sessions) says nothing
        changes["elapsed_s"] = span if span >= 0 else None
    return replace(summary, filled=tuple(filled), **changes)


def not_an_activity_reason(file_type: Any) -> str:
    # A damaged definition can turn the type into an array; its repr is no reason.
    return f"not an activity (FIT file type: {_label(file_type) or 'unreadable'})"


def _round_offset(offset: timedelta) -> timedelta:
    seconds = offset.total_seconds()
    return timedelta(
        seconds=math.floor((seconds + _OFFSET_STEP_S / 2) / _OFFSET_STEP_S) * _OFFSET_STEP_S
    )


class _Clock:
    """Turns session starts into UTC and local wall time."""

    def __init__(self, activity: dict[str, Any] | None, ctx: ParseContext) -> None:
        self.zone = ctx.zone
        self.stamp: datetime | int | None = None
        self.local: datetime | None = None
        self.used_device_time = False
        if activity is None:
            return
        local = activity.get("local_timestamp")
        if isinstance(local, datetime) and local >= _VALID_LOCAL_FROM:
            self.local = local
            self.stamp = _moment(activity.get("timestamp"))

    def place(self, start: datetime | int) -> tuple[datetime, datetime, bool]:
        """(start_utc, start_local, whether start_local is only the configured zone's)."""
        if isinstance(start, datetime):
            if isinstance(self.stamp, datetime) and self.local is not None:
                offset = _round_offset(self.local - self.stamp.replace(tzinfo=None))
                if abs(offset) <= _MAX_ZONE_OFFSET:
                    return start, (start + offset).replace(tzinfo=None), False
            return start, local_wall_time(start, self.zone), True
        if isinstance(self.stamp, int) and self.local is not None:
            wall = self.local - timedelta(seconds=self.stamp - start)
            self.used_device_time = True
            return utc_from_local(wall, self.zone), wall, False
        raise CorruptFileError(
            "start time unknown: device clock not set and no local time in the file"
        )


def _activity(summary: _Summary, clock: _Clock, device: str | None, ctx: ParseContext) -> Activity:
    start_utc, start_local, guessed = clock.place(summary.start)
    sport, surface = classify(summary.sport, summary.sub_sport)
    detail = "/".join(p for p in (summary.sport, summary.sub_sport) if p) or None
    spm = None
    if sport in ON_FOOT and summary.cadence:
        spm = 2.0 * (summary.cadence + (summary.fraction or 0.0))
    return Activity(
        id=activity_id(start_utc),
        source=ctx.source,
        format="fit",
        sport=sport,
        surface=surface,
        start_utc=start_utc,
        start_local=start_local,
        name=summary.name,
        distance_m=summary.distance_m,
        duration_s=summary.duration_s,
        elapsed_s=summary.elapsed_s,
        ascent_m=summary.ascent_m,
        avg_cadence_spm=spm,
        device=device,
        shoe=summary.shoe,
        sport_detail=detail,
        zone_guessed=guessed,
    )


def parse(data: bytes, ctx: ParseContext) -> ParsedFile:
    """Activities in one FIT file (chained sub-files included)."""
    content, failure, crc_mismatch = _decode(data)
    return summarise(content, ctx, failure=failure, crc_mismatch=crc_mismatch)


def summarise(
    content: FitContent,
    ctx: ParseContext,
    *,
    failure: str | None = None,
    crc_mismatch: bool = False,
    with_records: Callable[[], FitContent] | None = None,
) -> ParsedFile:
    """The activities and warnings of decoded content, by the rules above.

    ``failure`` and ``crc_mismatch`` are what decoding reported. ``with_records``
    gives the content again with records collected, for a decoder that skips them
    until it knows no session or lap will do.
    """
    types = [t for t in content.file_types if t is not None]
    if types and "activity" not in types:
        raise NotAnActivityError(not_an_activity_reason(types[0]))

    recorded: list[FitContent] = []

    def records() -> FitContent:
        """The content with its records, decoded at most once more."""
        if with_records is None:
            return content
        if not recorded:
            recorded.append(with_records())
        return recorded[0]

    summaries = _sessions(content)
    sessions = len(summaries)
    summaries = [_completed(s, content, sessions, records) for s in summaries]
    if not summaries:
        lap_summary = _from_laps(content)
        if lap_summary is not None:
            summaries = [lap_summary]
    if not summaries:
        record_summary = _from_records(records())
        if record_summary is None:
            if failure is not None:
                raise CorruptFileError(failure)
            raise NotAnActivityError("FIT file holds no session, lap or record")
        summaries = [record_summary]

    clock = _Clock(content.clock, ctx)
    device = _device(content.file_id)
    laps = len(content.laps)
    activities = []
    for summary in summaries:
        activity = _activity(summary, clock, device, ctx)
        if (
            failure is not None
            or crc_mismatch
            or summary.origin != "session"
            or summary.filled
            or summary.repaired
        ):
            activity = activity.flagged(*_integrity(summary, failure, crc_mismatch, laps))
        activities.append(activity)
    warnings = [CLOCK_WARNING] if clock.used_device_time else []
    return ParsedFile(activities=activities, warnings=warnings)


def _integrity(
    summary: _Summary, failure: str | None, crc_mismatch: bool, laps: int
) -> tuple[Integrity, str]:
    """How far an activity can be trusted, and one line saying why."""
    notes: list[str] = []
    level = Integrity.COMPLETE
    recovered = (
        "its records" if summary.origin == "records" else f"its {laps} lap{'s' * (laps != 1)}"
    )
    if failure is not None:
        if summary.origin == "session":
            level = Integrity.SUSPECT
            notes.append(f"{failure}, after this session's summary, which is used")
        else:
            level = Integrity.PARTIAL
            notes.append(f"{failure}: recovered from {recovered} read before it")
    elif summary.origin != "session":
        notes.append(f"no session summary in the file: totals from {recovered}")
    if crc_mismatch:
        level = Integrity.PARTIAL if level is Integrity.PARTIAL else Integrity.SUSPECT
        notes.append(CRC_NOTE)
    if summary.filled:
        notes.append(
            f"the session states no {' or '.join(f.split()[0] for f in summary.filled)}: "
            + ", ".join(summary.filled)
        )
    if summary.repaired:
        level = Integrity.PARTIAL if level is Integrity.PARTIAL else Integrity.SUSPECT
        notes.extend(summary.repaired)
    return level, "; ".join(notes)


__all__ = ["GARMIN_PRODUCTS", "MANUFACTURERS", "FitContent", "fit_crc", "parse", "summarise"]
