"""A fast FIT reader for activity summaries, with fitparse as the judge.

fitparse decodes every field of every message, which costs seconds per megabyte;
a summary needs a handful of messages (file_id, session, lap, activity, sport) out
of thousands of per-second records. This module walks the FIT structure itself,
keeps every definition, decodes only the messages the summary reads and steps
over all others by their definition's size. Records are decoded only for a file
with neither session nor lap.

The result must be exactly what ``loadwatch.ingest.importers.fit.parse`` gives, so the
decoded values are handed to that module's own summary rules, and the walk is
deliberately timid: whatever it is not sure fitparse would read the same way
(damaged files, CRC mismatches, compressed timestamps, odd field types, values
fitparse would fail to convert even in a message stepped over) raises
``FastPathDeclined``, and ``parse_summary`` hands the file to the fitparse
importer instead.
"""

from __future__ import annotations

import math
import struct
from collections.abc import Iterable, Iterator
from datetime import timedelta
from typing import Any

from loadwatch.ingest.importers import ParseContext, too_many
from loadwatch.ingest.importers import fit as reference
from loadwatch.ingest.importers import fitprofile as profile
from loadwatch.model import ParsedFile

__all__ = ["FastPathDeclined", "FitMessage", "crc16", "parse", "parse_summary", "walk"]


class FastPathDeclined(Exception):
    """The fast path met something it will not vouch for; fitparse decides instead."""


def parse_summary(data: bytes, ctx: ParseContext) -> ParsedFile:
    """The FIT importer's result, from the fast path whenever it can vouch for it."""
    try:
        return parse(data, ctx)
    except FastPathDeclined:
        return reference.parse(data, ctx)


def parse(data: bytes, ctx: ParseContext) -> ParsedFile:
    """Activities in one FIT file, or ``FastPathDeclined``.

    The decoded values go through ``fit.summarise``, so the summary rules exist in
    one place only. The files this path accepts are those where the fitparse
    decoding reports no damage and no CRC mismatch, so neither warning can arise
    here; records are walked for only when no session or lap gives an activity.
    """
    return reference.summarise(
        _content(iter_walk(data, _SUMMARY_MESSAGES)),
        ctx,
        with_records=lambda: _content(iter_walk(data, _SUMMARY_MESSAGES | {profile.RECORD})),
    )


_SUMMARY_MESSAGES = frozenset(
    {profile.FILE_ID, profile.SPORT, profile.SESSION, profile.LAP, profile.ACTIVITY}
)


#: profile names of the messages the summary reads, as ``FitContent.add`` takes them
_NAMES = {
    profile.FILE_ID: "file_id",
    profile.SPORT: "sport",
    profile.SESSION: "session",
    profile.LAP: "lap",
    profile.RECORD: "record",
    profile.ACTIVITY: "activity",
}


def _content(messages: Iterable[FitMessage]) -> reference.FitContent:
    """What the fitparse importer collects from the same messages.

    The messages are taken as the walk finds them, so ``FitContent``'s limits
    (sessions, laps) stop a bomb before its messages are all held.
    """
    content = reference.FitContent()
    for message in messages:
        content.add(
            _NAMES.get(message.mesg_num),
            message.get,
            message.both_values,
        )
    return content


# ---------------------------------------------------------------------------
# CRC-16 (the FIT variant: reflected polynomial 0xA001, initial value 0)
#
# A byte-at-a-time loop in Python costs more than the whole walk, so the CRC is
# computed with big-integer operations instead. The CRC is linear: it is the
# XOR, over every 1 bit of the input, of the register value that bit leaves
# behind by the end of the input. That value depends only on the bit's distance
# from the end, and repeats every 32767 bits. Reading the input (bit-reversed per
# byte) as one big integer whose bit d is the bit at distance d from the end, we
# fold it onto one 8-period window with XOR; each of the 16 CRC bits is then the
# parity of that window ANDed with a mask.

_CRC_PERIOD = 32767
_PERIOD_BITS = (1 << _CRC_PERIOD) - 1
_BIT_REVERSED = bytes(int(f"{i:08b}"[::-1], 2) for i in range(256))
_crc_masks: list[int] = []


def _build_crc_masks() -> list[int]:
    registers = []
    register = 0xA001  # a single 1 bit fed into a zero register
    for _ in range(_CRC_PERIOD):
        registers.append(register)
        register = (register >> 1) ^ (0xA001 if register & 1 else 0)
    return [
        int("".join("1" if (r >> bit) & 1 else "0" for r in reversed(registers)), 2)
        for bit in range(16)
    ]


def crc16(data: bytes) -> int:
    """The FIT CRC of ``data`` (what the FIT SDK's CRC-16 table loop computes)."""
    if len(data) < 64:  # a header: the table loop is quicker than the set-up below
        return reference.fit_crc(data)
    if not _crc_masks:
        _crc_masks.extend(_build_crc_masks())
    flipped = data.translate(_BIT_REVERSED)
    # 32767 bytes are 8 whole periods, so byte-aligned chunks fold onto one window
    window = 0
    end = len(flipped)
    while end > 0:
        start = max(0, end - _CRC_PERIOD)
        window ^= int.from_bytes(flipped[start:end], "big")
        end = start
    folded = 0
    while window:
        folded ^= window & _PERIOD_BITS
        window >>= _CRC_PERIOD
    crc = 0
    for bit, mask in enumerate(_crc_masks):
        crc |= ((folded & mask).bit_count() & 1) << bit
    return crc


# ---------------------------------------------------------------------------
# Structure walk

#: developer data index -> developer field number -> (base type id, name)
_Developer = dict[int, dict[int, tuple[int, str]]]


class _Definition:
    """One definition message, with what the walk needs precomputed."""

    __slots__ = ("mesg_num", "big", "fields", "developer", "size", "checks", "plan")

    def __init__(
        self,
        mesg_num: int,
        big: bool,
        fields: tuple[tuple[int, int, int, int], ...],
        developer: tuple[tuple[int, int, int, str], ...],
        size: int,
        checks: tuple[tuple[int, str, int | None, int], ...],
    ) -> None:
        self.mesg_num = mesg_num
        self.big = big
        #: (field number, offset in the message, size, base type id)
        self.fields = fields
        #: (offset, size, base type id, name), fixed when the definition is read
        self.developer = developer
        #: bytes of one data message after its header byte
        self.size = size
        #: values to look at even in a message stepped over:
        #: (offset, struct format, invalid value, first value fitparse fails on)
        self.checks = checks
        #: for a decoded message, the fields worth reading (see ``_plan``)
        self.plan: tuple[_Planned, ...] | None = None


class FitMessage:
    """A decoded data message: the fields the fast path knows, as fitparse names them."""

    __slots__ = ("mesg_num", "fields", "developer")

    def __init__(
        self,
        mesg_num: int,
        fields: list[tuple[str, str | None, Any]],
        developer: list[tuple[str, Any]],
    ) -> None:
        self.mesg_num = mesg_num
        #: (name, name of the field it is a subfield of, value) in fitparse's order
        self.fields = fields
        #: (name, value) of the developer fields, after the others as in fitparse
        self.developer = developer

    def get(self, name: str) -> Any:
        """What fitparse's ``get_value(name)``: the first field so named, even if None."""
        for field_name, parent, value in self.fields:
            if field_name == name or parent == name:
                return value
        for field_name, value in self.developer:
            if field_name == name:
                return value
        return None

    def values(self) -> dict[str, Any]:
        """Profile fields by name, the first value that is not None winning."""
        return _first_not_none((name, value) for name, _parent, value in self.fields)

    def developer_values(self) -> dict[str, Any]:
        return _first_not_none(self.developer)

    def both_values(self) -> tuple[dict[str, Any], dict[str, Any]]:
        """Profile and developer fields, as ``FitContent.add`` asks for them."""
        return self.values(), self.developer_values()

    def __repr__(self) -> str:
        return f"FitMessage({self.mesg_num}, {self.fields!r}, {self.developer!r})"


def _first_not_none(pairs: Any) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for name, value in pairs:
        if found.get(name) is None:
            found[name] = value
    return found


_DEVELOPER_MESSAGES = frozenset({profile.FIELD_DESCRIPTION, profile.DEVELOPER_DATA_ID})
_TIME_FIELDS = (
    profile.DATE_TIME_FIELDS | profile.LOCAL_DATE_TIME_FIELDS | profile.TIME_OF_DAY_FIELDS
)


def walk(
    data: bytes, decode: frozenset[int], counts: dict[int, int] | None = None
) -> list[FitMessage]:
    """Decode the messages numbered in ``decode``, step over the rest.

    ``counts``, when given, receives the number of data messages per message
    number (a slower walk, for tests). Raises ``FastPathDeclined`` on anything
    fitparse might read differently or fail on.
    """
    return list(iter_walk(data, decode, counts))


def iter_walk(
    data: bytes, decode: frozenset[int], counts: dict[int, int] | None = None
) -> Iterator[FitMessage]:
    """``walk``, giving each decoded message as soon as its sub-file is walked."""
    size = len(data)
    pos = 0
    # fitparse keeps developer field descriptions across chained sub-files
    developer: _Developer = {}
    kept: dict[int, int] = {}
    chained = 0
    while True:
        chained += 1
        if chained > reference.MAX_CHAINED:
            # as the fitparse importer's framing refuses it (it reads every header first)
            raise reference.too_many_chained()
        pos, end = _read_header(data, pos)
        found: list[FitMessage] = []
        pos = _walk_messages(data, pos, end, decode, counts, found, developer, kept)
        yield from found
        pos += 2  # the CRC, checked in _read_header
        if pos >= size:
            return


def _read_header(data: bytes, pos: int) -> tuple[int, int]:
    """Check one FIT header and its file's CRC; return where the messages start and end."""
    if len(data) - pos < 12 or data[pos + 8 : pos + 12] != b".FIT":
        raise FastPathDeclined("not a FIT header")
    header_size = data[pos]
    data_size = int.from_bytes(data[pos + 4 : pos + 8], "little")
    if header_size == 14:
        stored = int.from_bytes(data[pos + 12 : pos + 14], "little")
        if stored != 0 and stored != crc16(data[pos : pos + 12]):
            raise FastPathDeclined("header CRC mismatch")
    elif header_size != 12:
        raise FastPathDeclined(f"unusual header size {header_size}")
    start = pos + header_size
    end = start + data_size
    if end + 2 > len(data):
        raise FastPathDeclined("file shorter than its header says")
    if crc16(data[pos:end]) != int.from_bytes(data[end : end + 2], "little"):
        raise FastPathDeclined("file CRC mismatch")
    return start, end


def _walk_messages(
    data: bytes,
    pos: int,
    end: int,
    decode: frozenset[int],
    counts: dict[int, int] | None,
    found: list[FitMessage],
    developer: _Developer,
    kept: dict[int, int],
) -> int:
    # step[h] is the full length of a message with header byte h when it can be
    # stepped over blindly, 0 when it needs a look (definitions, decoded messages,
    # undefined local types): the common path is two indexings and an addition.
    step = [0] * 256
    local: list[_Definition | None] = [None] * 16
    while pos < end:
        length = step[data[pos]]
        if length:
            pos += length
            continue
        header = data[pos]
        if header & 0x80:
            raise FastPathDeclined("compressed timestamp header")
        if header & 0x40:
            defined, pos = _definition_at(data, pos, end, header, developer)
            number = header & 0x0F
            local[number] = defined
            blind = (
                counts is None
                and not defined.checks
                and defined.mesg_num not in decode
                and defined.mesg_num not in _DEVELOPER_MESSAGES
            )
            for reserved_bits in (0x00, 0x10, 0x20, 0x30):
                step[number | reserved_bits] = defined.size + 1 if blind else 0
            continue
        definition = local[header & 0x0F]
        if definition is None:
            raise FastPathDeclined(f"data message for undefined local type {header & 0x0F}")
        body = pos + 1
        pos = body + definition.size
        if pos > end:
            raise FastPathDeclined("message runs past the end of the data")
        mesg_num = definition.mesg_num
        if counts is not None:
            counts[mesg_num] = counts.get(mesg_num, 0) + 1
        for offset, fmt, invalid, limit in definition.checks:
            (value,) = struct.unpack_from(fmt, data, body + offset)
            fails = value == limit if limit == profile.LOCAL_DATE_TIME_MIN else value >= limit
            if fails and value != invalid:
                raise FastPathDeclined(f"value fitparse cannot convert in message {mesg_num}")
        if mesg_num in _DEVELOPER_MESSAGES:
            _learn_developer_field(_raw_values(definition, data, body), mesg_num, developer)
        if mesg_num in decode:
            found.append(_decode(definition, data, body))
            # not "limit": that name holds the value checks' limits above
            collection_limit = _COLLECTION_LIMITS.get(mesg_num)
            if collection_limit is not None:
                # FitContent.add refuses the same message (and fitparse's reader with it)
                # before a million sessions are all held
                kept[mesg_num] = kept.get(mesg_num, 0) + 1
                if kept[mesg_num] > collection_limit[0]:
                    raise too_many(collection_limit[1], collection_limit[0])
    if pos != end:
        raise FastPathDeclined("last message runs past the end of the data")
    return pos


#: messages whose count ``FitContent.add`` limits: (limit, what the reason calls them)
_COLLECTION_LIMITS = {
    profile.SESSION: (reference.MAX_SESSIONS, "sessions"),
    profile.LAP: (reference.MAX_LAPS, "laps"),
}


#: definitions met before, by their bytes: a watch repeats the same few in every
#: file, and reading one costs as much as stepping over hundreds of records
_known_definitions: dict[bytes, _Definition] = {}
_KNOWN_DEFINITIONS_MAX = 4096


def _definition_at(
    data: bytes, pos: int, end: int, header: int, developer: _Developer
) -> tuple[_Definition, int]:
    """The definition message at ``pos`` and where the next message starts."""
    length = 6 + 3 * data[pos + 5] if pos + 6 <= end else 0
    if header & 0x20 or not length or pos + length > end:
        # developer fields depend on the file's own descriptions: never shared;
        # and a definition cut short is for _read_definition to refuse
        return _read_definition(data, pos, end, header, developer)
    key = data[pos + 1 : pos + length]  # everything but the local message number
    known = _known_definitions.get(key)
    if known is None:
        known, _ = _read_definition(data, pos, end, header, developer)
        if len(_known_definitions) >= _KNOWN_DEFINITIONS_MAX:
            _known_definitions.clear()
        _known_definitions[key] = known
    return known, pos + length


def _read_definition(
    data: bytes, pos: int, end: int, header: int, developer: _Developer
) -> tuple[_Definition, int]:
    at = pos + 1
    if at + 5 > end:
        raise FastPathDeclined("definition runs past the end of the data")
    architecture = data[at + 1]
    if architecture > 1:
        raise FastPathDeclined(f"unknown architecture {architecture}")
    big = architecture == 1
    mesg_num = int.from_bytes(data[at + 2 : at + 4], "big" if big else "little")
    count = data[at + 4]
    at += 5
    if at + 3 * count > end:
        raise FastPathDeclined("definition runs past the end of the data")
    order = ">" if big else "<"
    fields: list[tuple[int, int, int, int]] = []
    checks: list[tuple[int, str, int | None, int]] = []
    offset = 0
    for _ in range(count):
        number, size, base_id = data[at], data[at + 1], data[at + 2]
        at += 3
        base = profile.BASE_TYPES.get(base_id)
        if base is None:
            raise FastPathDeclined(f"unknown base type {base_id:#x}")
        if size == 0 or size % base.size:
            raise FastPathDeclined(f"field size {size} does not fit type {base.name}")
        key = (mesg_num, number)
        if number == profile.TIMESTAMP_DEF or key in _TIME_FIELDS:
            # fitparse converts these in every message; it needs one plain integer
            if not base.is_int or size != base.size or size > 4:
                raise FastPathDeclined(f"time field {key} of type {base.name}[{size}]")
            if key in profile.LOCAL_DATE_TIME_FIELDS:
                checks.append((offset, order + base.fmt, base.invalid, profile.LOCAL_DATE_TIME_MIN))
            elif key in profile.TIME_OF_DAY_FIELDS:
                checks.append((offset, order + base.fmt, base.invalid, 86400))
        if key in profile.COMPONENT_FIELDS and not (
            base_id == profile.BYTE or (base.is_int and size == base.size)
        ):
            raise FastPathDeclined(f"field with components {key} of type {base.name}[{size}]")
        fields.append((number, offset, size, base_id))
        offset += size
    dev_fields: list[tuple[int, int, int, str]] = []
    if header & 0x20:
        if at >= end:
            raise FastPathDeclined("definition runs past the end of the data")
        dev_count = data[at]
        at += 1
        if at + 3 * dev_count > end:
            raise FastPathDeclined("definition runs past the end of the data")
        for _ in range(dev_count):
            number, size, index = data[at], data[at + 1], data[at + 2]
            at += 3
            described = developer.get(index, {}).get(number)
            if described is None:
                raise FastPathDeclined(f"developer field {index}/{number} not described")
            base_id, name = described
            if size == 0 or size % profile.BASE_TYPES[base_id].size:
                raise FastPathDeclined(f"developer field {index}/{number} of odd size {size}")
            dev_fields.append((offset, size, base_id, name))
            offset += size
    definition = _Definition(mesg_num, big, tuple(fields), tuple(dev_fields), offset, tuple(checks))
    return definition, at


def _learn_developer_field(
    raw: list[tuple[int, Any]], mesg_num: int, developer: _Developer
) -> None:
    """Record what fitparse records from developer_data_id and field_description."""
    index = _first_raw(raw, 3 if mesg_num == profile.DEVELOPER_DATA_ID else 0)
    if not isinstance(index, int):
        raise FastPathDeclined("developer message without a data index")
    if mesg_num == profile.DEVELOPER_DATA_ID:
        developer[index] = {}
        return
    number, base_id, name, units = (_first_raw(raw, n) for n in (1, 2, 3, 8))
    if index not in developer:
        raise FastPathDeclined(f"field description for unknown developer index {index}")
    if not isinstance(number, int) or base_id not in profile.BASE_TYPES:
        raise FastPathDeclined("field description fitparse cannot use")
    # fitparse formats name and units into method names: only text is safe there
    if not isinstance(name, str | None) or not isinstance(units, str | None):
        raise FastPathDeclined("field description with a non-text name or unit")
    developer[index][number] = (base_id, name or f"unnamed_dev_field_{number}")


# ---------------------------------------------------------------------------
# Decoding, the way fitparse does it


def _parse_string(chunk: bytes) -> str | None:
    cut = chunk.find(0)
    if cut >= 0:
        chunk = chunk[:cut]
    return chunk.decode("utf-8", errors="replace") or None


#: one value of each numeric base type, in each byte order
_SCALARS = {
    (base_id, big): struct.Struct((">" if big else "<") + base.fmt)
    for base_id, base in profile.BASE_TYPES.items()
    for big in (False, True)
    if base_id not in (profile.STRING, profile.BYTE)
}


def _raw_value(data: bytes, at: int, size: int, base_id: int, big: bool) -> Any:
    """A field's raw value with FIT's "invalid" patterns turned into None."""
    scalar = _SCALARS.get((base_id, big))
    if scalar is not None and scalar.size == size:  # the common case, kept short
        (value,) = scalar.unpack_from(data, at)
        base = profile.BASE_TYPES[base_id]
        if base.is_int:
            return None if value == base.invalid else value
        return None if math.isnan(value) else value
    chunk = data[at : at + size]
    if base_id == profile.STRING:
        return _parse_string(chunk)
    if base_id == profile.BYTE:
        values = tuple(chunk)
        return None if all(b == 0xFF for b in values) else values
    base = profile.BASE_TYPES[base_id]
    count = size // base.size
    unpacked = struct.unpack(f"{'>' if big else '<'}{count}{base.fmt}", chunk)
    if base.is_int:
        parsed = tuple(None if v == base.invalid else v for v in unpacked)
    else:
        parsed = tuple(None if math.isnan(v) else v for v in unpacked)
    return parsed if count > 1 else parsed[0]


def _raw_values(definition: _Definition, data: bytes, body: int) -> list[tuple[int, Any]]:
    """(field number, raw value) in definition order; a number may repeat."""
    big = definition.big
    return [
        (number, _raw_value(data, body + offset, size, base_id, big))
        for number, offset, size, base_id in definition.fields
    ]


def _first_raw(raw: list[tuple[int, Any]], wanted: int) -> Any:
    """fitparse's ``get_raw_value``: the first field with that number."""
    return next((value for number, value in raw if number == wanted), None)


def _scaled(value: Any, scale: float | None, offset: float | None) -> Any:
    if isinstance(value, tuple):
        return tuple(_scaled(v, scale, offset) for v in value)
    if isinstance(value, int | float):
        if scale:
            value = float(value) / scale
        if offset:
            value = value - offset
    return value


def _converted(value: Any, kind: str) -> Any:
    """Enum names and datetimes, as fitparse's type processing gives them."""
    if kind in profile.ENUMS:
        return profile.ENUMS[kind].get(value, value)
    if kind == "date_time" and value is not None and value >= reference.RELATIVE_TIME_LIMIT:
        return reference.FIT_EPOCH + timedelta(seconds=value)
    if kind == "local_date_time" and value is not None:
        if value == profile.LOCAL_DATE_TIME_MIN:
            raise FastPathDeclined("local time fitparse cannot convert")
        return reference.FIT_EPOCH + timedelta(seconds=value)
    return value


#: one field to read from a decoded message: (number, offset, size, base type id,
#: profile entry or None for a field read only as a subfield's reference)
_Planned = tuple[int, int, int, int, profile.Field | None]


def _plan(definition: _Definition) -> tuple[_Planned, ...]:
    """The fields of a decoded message worth reading, worked out once per definition."""
    mesg_num = definition.mesg_num
    known = profile.MESSAGES[mesg_num]
    names = {spec.name for spec in known.values()}
    references = {ref for spec in known.values() for sub in spec.subfields for ref, _ in sub.when}
    complete = mesg_num in profile.COMPLETE
    plan = []
    for number, offset, size, base_id in definition.fields:
        if names.intersection(profile.COMPONENT_FIELDS.get((mesg_num, number), ())):
            # fitparse would add a same-named value computed from this field
            raise FastPathDeclined(f"field {number} of message {mesg_num} has components")
        if number in known or number in references or complete:
            plan.append((number, offset, size, base_id, known.get(number)))
    return tuple(plan)


def _decode(definition: _Definition, data: bytes, body: int) -> FitMessage:
    if definition.plan is None:
        definition.plan = _plan(definition)
    big = definition.big
    raw = [
        (number, _raw_value(data, body + offset, size, base_id, big))
        for number, offset, size, base_id, _spec in definition.plan
    ]
    complete = definition.mesg_num in profile.COMPLETE
    fields: list[tuple[str, str | None, Any]] = []
    for (number, value), (*_, spec) in zip(raw, definition.plan, strict=True):
        if spec is None:
            if complete:
                fields.append((f"unknown_{number}", None, value))
            continue
        name, kind, scale, offset, parent = spec.name, spec.kind, spec.scale, spec.offset, None
        for sub in spec.subfields:
            if any((ref, wanted) in raw for ref, wanted in sub.when):
                name, kind, scale, offset, parent = sub.name, sub.kind, sub.scale, None, name
                break
        # fitparse names enum values before scaling, and converts times after
        if kind in profile.ENUMS:
            value = _converted(value, kind)
        value = _scaled(value, scale, offset)
        if kind not in profile.ENUMS:
            value = _converted(value, kind)
        fields.append((name, parent, value))
    developer = [
        (name, _raw_value(data, body + offset, size, base_id, big))
        for offset, size, base_id, name in definition.developer
    ]
    return FitMessage(definition.mesg_num, fields, developer)
