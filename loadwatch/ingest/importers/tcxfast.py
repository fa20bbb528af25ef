"""TCX at byte speed: the common shape read with one regular-expression match per trackpoint.

The expat reader (``tcx._TcxReader``) stays the judge. This reader fills the same
``_Session`` totals, in document order, so ``tcx.summarise`` gives the very same
activities and warnings. Outside an ``<Activity>`` the expat reader acts on
nothing but ``<Activity>`` and ``<Courses>`` start tags, so those are searched for
directly; inside one, the laps, the creator and the trackpoints are read.

It declines (``FastPathDeclined``) what it is not sure the expat reader would read
the same way, for instance:

* a root other than an unprefixed ``<TrainingCenterDatabase>``;
* a trackpoint whose children are not in the schema's order, or hold other
  elements than Garmin's (``Time``, ``Position``, ``AltitudeMeters``,
  ``DistanceMeters``, ``HeartRateBpm``, ``Cadence``, ``SensorState``,
  ``Extensions`` with a ``TPX`` of ``Speed``, ``RunCadence``, ``Watts``), or
  values that are not plain ASCII text;
* a prefix on a name the reader acts on (``<x:Activity>``, ``<x:Lap>``);
* an element it would step over that holds ``Activity``, ``Lap``,
  ``Trackpoint``, ``TPX``, ``Position`` or ``Creator`` (the reader's parent
  checks would see them there);
* more activities than the importer's ``MAX_ACTIVITIES_PER_FILE``, so the expat reader refuses it.

``tests/test_xmlfast.py`` checks both readers agree on every corpus TCX and on
mutated copies of them.
"""

from __future__ import annotations

import re
from array import array
from dataclasses import dataclass, field
from datetime import datetime

from loadwatch.ingest.importers import ParseContext
from loadwatch.ingest.importers import tcx as reference
from loadwatch.ingest.importers.xmlfast import (
    ASCII_TEXT,
    START_REST,
    Cursor,
    FastPathDeclined,
    Tag,
    ascii_text,
    extension_content,
    number,
    prepare,
    tag_of,
)
from loadwatch.ingest.importers.xmlsafety import check_document, parse_number, parse_time
from loadwatch.model import ParsedFile

__all__ = ["FastPathDeclined", "TcxContent", "parse", "read", "read_into"]

#: local names whose children the expat reader acts on, wherever they are in an activity
_PARENTS = frozenset({b"Activity", b"Lap", b"Trackpoint", b"TPX", b"Position", b"Creator"})
_HOLDS_PARENT = tag_of(_PARENTS)
#: what the reader acts on among the children of <Activity>, <Lap>, <Creator>, <Track>
_IN_ACTIVITY = _PARENTS | {b"Id", b"Notes"}
_IN_LAP = _PARENTS | {b"TotalTimeSeconds", b"DistanceMeters"}
_IN_CREATOR = _PARENTS | {b"Name"}
#: outside an activity, all the reader acts on
_OUTSIDE = re.compile(rb"<((?:[^\s/>:]++:)?+)(Activity|Courses)[\s/>]")

_N = ASCII_TEXT


def _tpx_others(group: str) -> bytes:
    """Text-only children of a TPX other than RunCadence, with the TPX's prefix."""
    name = group.encode()
    return (
        rb"(?:<(?P=tpx)(?!RunCadence[\s/>])(?P<" + name + rb">[^\s/>:]++)>[^<]*+"
        rb"</(?P=tpx)(?P=" + name + rb")\s*+>\s*+)*+"
    )


# Possessive quantifiers throughout: each piece has one way to match, so a trackpoint
# that does not fit fails at once instead of backtracking.
_TRACKPOINT = re.compile(
    rb"\s*+<Trackpoint>\s*+"
    rb"(?:<Time>(?P<time>" + _N + rb")</Time>\s*+)?"
    rb"(?:<Position>\s*+<LatitudeDegrees>(?P<lat>" + _N + rb")</LatitudeDegrees>\s*+"
    rb"<LongitudeDegrees>(?P<lon>" + _N + rb")</LongitudeDegrees>\s*+</Position>\s*+)?"
    rb"(?:<AltitudeMeters>(?P<alt>" + _N + rb")</AltitudeMeters>\s*+)?"
    rb"(?:<DistanceMeters>(?P<dist>" + _N + rb")</DistanceMeters>\s*+)?"
    rb"(?:<HeartRateBpm" + START_REST + rb"\s*+<Value>[^<]*+</Value>\s*+</HeartRateBpm>\s*+)?"
    rb"(?:<Cadence>(?P<cad>" + _N + rb")</Cadence>\s*+)?"
    rb"(?:<SensorState>[^<]*+</SensorState>\s*+)?"
    rb"(?:<Extensions>\s*+"
    # Garmin's TPX, its prefix on each of its children (Speed, Watts...), and among
    # them at most one RunCadence...
    rb"(?:<(?P<tpx>(?:[^\s/>:]++:)?+)TPX"
    + START_REST
    + rb"\s*+"
    + _tpx_others("before")
    + rb"(?:<(?P=tpx)RunCadence>(?P<run>"
    + _N
    + rb")</(?P=tpx)RunCadence>\s*+)?"
    + _tpx_others("after")
    + rb"</(?P=tpx)TPX\s*+>\s*+"
    # ...or other extensions, which hold nothing the reader reads
    rb"|" + extension_content(_PARENTS, "x") + rb")"
    rb"</Extensions>\s*+)?"
    rb"</Trackpoint>"
)


@dataclass(slots=True)
class TcxContent:
    """What ``_TcxReader`` holds once it has read a document."""

    root: str
    sessions: list[reference._Session] = field(default_factory=list)
    courses: bool = False


def parse(data: bytes, ctx: ParseContext) -> ParsedFile:
    """What ``tcx.parse`` gives, read by the fast path alone, or ``FastPathDeclined``."""
    check_document(data)
    return reference.summarise(read(data), ctx)


def read_into(data: bytes, reader: reference._TcxReader) -> bool:
    """Give ``reader`` the content of ``data`` as if it had read it; False: declined.

    A declined document leaves ``reader`` untouched, for expat to read.
    """
    try:
        content = read(data)
    except FastPathDeclined:
        return False
    reader.root, reader.sessions, reader.courses = content.root, content.sessions, content.courses
    return True


def read(data: bytes) -> TcxContent:
    """What the expat reader collects from ``data``, or ``FastPathDeclined``."""
    cursor = Cursor(data, prepare(data))
    root = cursor.start_tag()
    if root.qname != b"TrainingCenterDatabase":
        raise FastPathDeclined(f"root element <{root.qname.decode(errors='replace')}>")
    content = TcxContent(root="TrainingCenterDatabase")
    if root.empty:
        return content
    while (found := _OUTSIDE.search(data, cursor.pos)) is not None:
        if found.group(1):
            raise FastPathDeclined(
                f"a prefixed <{found.group(1).decode(errors='replace')}{found.group(2).decode()}>"
            )
        if found.group(2) == b"Courses":
            content.courses = True
            cursor.pos = found.end()
            continue
        cursor.pos = found.start()
        tag = cursor.start_tag()
        if tag.empty:
            raise FastPathDeclined("an empty <Activity/>")
        # the importer's own limit, read now: never accept more than expat would
        if len(content.sessions) >= reference.MAX_ACTIVITIES_PER_FILE:
            raise FastPathDeclined("more activities than the expat reader accepts")
        content.sessions.append(_activity(cursor, tag))
    return content


class _Times:
    """Where a session's trackpoint times are; only the first and last readable count.

    Kept as offsets into the document (8 bytes a trackpoint, beside the 16 of its
    position), not as text: a 200 MB file must not be held twice.
    """

    __slots__ = ("data", "offsets")

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.offsets = array("q")

    def settle(self, session: reference._Session) -> None:
        # The reader parses every time and keeps the first and the last that parse;
        # parsing from either end until one does gives the same two.
        session.first_point_time = next(
            (moment for at in self.offsets if (moment := self._time(at)) is not None), None
        )
        session.last_point_time = next(
            (moment for at in reversed(self.offsets) if (moment := self._time(at)) is not None),
            None,
        )

    def _time(self, at: int) -> datetime | None:
        return parse_time(ascii_text(self.data[at : self.data.index(b"<", at)]))


def _activity(cursor: Cursor, tag: Tag) -> reference._Session:
    session = reference._Session(sport=(tag.attribute(b"Sport") or "").strip() or None)
    times = _Times(cursor.data)
    for child in cursor.children(tag):
        name = child.qname
        if name == b"Id":
            session.id_text = cursor.text(child)
        elif name == b"Notes":
            session.notes = cursor.text(child) or None
        elif name == b"Lap":
            _lap(cursor, child, session, times)
        elif name == b"Creator":
            _creator(cursor, child, session)
        else:
            cursor.skip(child, _IN_ACTIVITY, _HOLDS_PARENT)
    times.settle(session)
    return session


def _creator(cursor: Cursor, tag: Tag, session: reference._Session) -> None:
    for child in cursor.children(tag):
        if child.qname == b"Name":
            session.creator = cursor.text(child) or None
        else:
            cursor.skip(child, _IN_CREATOR, _HOLDS_PARENT)


def _lap(cursor: Cursor, tag: Tag, session: reference._Session, times: _Times) -> None:
    session.laps += 1
    if session.first_lap_start is None:
        session.first_lap_start = tag.attribute(b"StartTime")
    for child in cursor.children(tag):
        name = child.qname
        if name in (b"TotalTimeSeconds", b"DistanceMeters"):
            value = parse_number(cursor.text(child))
            if value is None or value < 0:
                continue
            if name == b"DistanceMeters":
                session.lap_distance_m += value
                session.laps_with_distance += 1
            else:
                session.lap_time_s += value
                session.laps_with_time += 1
        elif name == b"Track":
            _track(cursor, child, session, times)
        else:
            cursor.skip(child, _IN_LAP, _HOLDS_PARENT)


def _track(cursor: Cursor, tag: Tag, session: reference._Session, times: _Times) -> None:
    """The trackpoints of one ``<Track>``; between runs of them, whatever the reader ignores."""
    if tag.empty:
        return
    while True:
        cursor.pos = _trackpoints(cursor.data, cursor.pos, session, times)
        child = cursor.child()
        if child is None:
            return
        if child.local == b"Trackpoint":
            raise FastPathDeclined("a trackpoint in a shape the fast reader does not know")
        cursor.skip(child, _PARENTS, _HOLDS_PARENT)


def _trackpoints(data: bytes, pos: int, session: reference._Session, times: _Times) -> int:
    """Fold the trackpoints from ``pos`` on into ``session`` while they have the common shape.

    Each trackpoint does what ``_TcxReader`` does with the texts of its children,
    in the same order. Returns where they stop.
    """
    match = _TRACKPOINT.match
    keep_time = times.offsets.append
    keep_position = session.positions.extend
    last_altitude, ascent = session.last_altitude_m, session.ascent_m
    while (point := match(data, pos)) is not None:
        pos = point.end()
        time_raw, lat_raw, lon_raw, alt_raw, dist_raw, cad_raw, run_raw = point.group(
            "time", "lat", "lon", "alt", "dist", "cad", "run"
        )
        if time_raw is not None:
            keep_time(point.start("time"))
        if lat_raw is not None:
            lat, lon = number(lat_raw), number(lon_raw)
            if lat is not None and lon is not None and -90 <= lat <= 90 and -180 <= lon <= 180:
                keep_position((lat, lon))
        if alt_raw is not None and (altitude := number(alt_raw)) is not None:
            # climb: the plain sum of rises between consecutive altitudes
            if last_altitude is not None and altitude > last_altitude:
                ascent += altitude - last_altitude
            last_altitude = altitude
        if dist_raw is not None and (distance := number(dist_raw)) is not None and distance >= 0:
            session.last_point_distance_m = distance
        if cad_raw is not None and (cadence := number(cad_raw)) is not None and cadence > 0:
            session.cadence_sum += cadence
            session.cadence_count += 1
        if run_raw is not None and (run := number(run_raw)) is not None and run > 0:
            session.run_cadence_sum += run
            session.run_cadence_count += 1
    session.last_altitude_m, session.ascent_m = last_altitude, ascent
    return pos
