"""GPX at byte speed: the common shape read with one regular-expression match per point.

The expat reader (``gpx._GpxReader``) stays the judge. This reader fills the same
``_GpxContent`` with the same ``_Track`` totals and feeds the same
``SegmentFilter``, point by point in document order, so ``gpx.summarise`` gives
the very same activities and warnings. It reads what ``xmlfast.prepare`` lets
through and declines (``FastPathDeclined``) anything else it is not sure the
expat reader would read the same way, for instance:

* a root other than an unprefixed ``<gpx>``;
* a track point with other attributes than ``lat`` and ``lon`` (in double quotes),
  an ``<ele>`` or ``<time>`` that is not plain ASCII text, or children out of
  GPX order;
* a prefix on a name the reader acts on (``<x:trk>``, ``<x:name>`` in a track);
* an element it would step over that holds ``gpx``, ``metadata``, ``trk``,
  ``trkseg`` or ``trkpt`` (the reader's parent checks would see them there);
* more tracks than the importer's ``MAX_ACTIVITIES_PER_FILE``, so the expat reader refuses it.

``tests/test_xmlfast.py`` checks both readers agree on every corpus GPX and on
mutated copies of them.
"""

from __future__ import annotations

import math
import re
from datetime import datetime

from loadwatch.ingest.importers import ParseContext
from loadwatch.ingest.importers import gpx as reference
from loadwatch.ingest.importers.trackpoints import SegmentFilter
from loadwatch.ingest.importers.xmlfast import (
    ASCII_TEXT,
    Cursor,
    FastPathDeclined,
    Tag,
    ascii_text,
    attribute_value,
    extension_content,
    number,
    prepare,
    tag_of,
)
from loadwatch.ingest.importers.xmlsafety import check_document, parse_time
from loadwatch.model import ParsedFile

__all__ = ["FastPathDeclined", "parse", "read", "read_into"]

#: local names whose children the expat reader acts on, wherever they are
_PARENTS = frozenset({b"gpx", b"metadata", b"trk", b"trkseg", b"trkpt"})
_HOLDS_PARENT = tag_of(_PARENTS)
#: what the reader acts on among the children of <gpx>, <metadata>, <trk>, <trkseg>
_IN_GPX = _PARENTS | {b"name"}
_IN_METADATA = _PARENTS | {b"name"}
_IN_TRK = _PARENTS | {b"name", b"type"}

_VALUE = rb'[^"&<\x80-\xff]*+'
# Possessive quantifiers throughout: each piece has one way to match, so a point that
# does not fit fails at once instead of backtracking.
_POINT = re.compile(
    rb"\s*+<trkpt\s++(?:lat=\"(?P<lat>" + _VALUE + rb")\"\s++lon=\"(?P<lon>" + _VALUE + rb")\""
    rb"|lon=\"(?P<lon2>" + _VALUE + rb")\"\s++lat=\"(?P<lat2>" + _VALUE + rb")\")\s*+>\s*+"
    rb"(?:<ele>(?P<ele>" + ASCII_TEXT + rb")</ele>\s*+)?"
    rb"(?:<time>(?P<time>" + ASCII_TEXT + rb")</time>\s*+)?"
    # GPX 1.0's course and speed, GPX 1.1's sat, hdop...: text the reader ignores
    rb"(?:<(?!(?:ele|time|extensions)[\s/>])(?P<other>[^\s/>:]++)>[^<]*+</(?P=other)>\s*+)*+"
    rb"(?:<extensions>" + extension_content(_PARENTS, "x") + rb"</extensions>\s*+)?"
    rb"</trkpt>"
)


def parse(data: bytes, ctx: ParseContext) -> ParsedFile:
    """What ``gpx.parse`` gives, read by the fast path alone, or ``FastPathDeclined``."""
    check_document(data)
    return reference.summarise(read(data), ctx)


def read_into(data: bytes, reader: reference._GpxReader) -> bool:
    """Give ``reader`` the content of ``data`` as if it had read it; False: declined.

    A declined document leaves ``reader`` untouched, for expat to read.
    """
    try:
        content = read(data)
    except FastPathDeclined:
        return False
    reader.content = content
    return True


def read(data: bytes) -> reference._GpxContent:
    """What the expat reader collects from ``data``, or ``FastPathDeclined``."""
    cursor = Cursor(data, prepare(data))
    root = cursor.start_tag()
    if root.qname != b"gpx":
        raise FastPathDeclined(f"root element <{root.qname.decode(errors='replace')}>")
    content = reference._GpxContent(root="gpx")
    content.creator = (root.attribute(b"creator") or "").strip() or None
    for tag in cursor.children(root):
        if tag.qname == b"trk":
            # the importer's own limit, read now: never accept more than expat would
            if len(content.tracks) >= reference.MAX_ACTIVITIES_PER_FILE:
                raise FastPathDeclined("more tracks than the expat reader accepts")
            content.tracks.append(_track(cursor, tag, content))
        elif tag.qname == b"metadata":
            _metadata(cursor, tag, content)
        elif tag.qname == b"name":  # GPX 1.0
            content.name = cursor.text(tag) or None
        else:
            cursor.skip(tag, _IN_GPX, _HOLDS_PARENT)
    return content


def _metadata(cursor: Cursor, tag: Tag, content: reference._GpxContent) -> None:
    for child in cursor.children(tag):
        if child.qname == b"name":  # GPX 1.1
            content.name = cursor.text(child) or None
        else:
            cursor.skip(child, _IN_METADATA, _HOLDS_PARENT)


def _track(cursor: Cursor, tag: Tag, content: reference._GpxContent) -> reference._Track:
    track = reference._Track()
    for child in cursor.children(tag):
        if child.qname == b"name":
            track.name = cursor.text(child) or None
        elif child.qname == b"type":
            track.type = cursor.text(child) or None
        elif child.qname == b"trkseg":
            _segment(cursor, child, track, content)
        else:
            cursor.skip(child, _IN_TRK, _HOLDS_PARENT)
    return track


def _segment(
    cursor: Cursor, tag: Tag, track: reference._Track, content: reference._GpxContent
) -> None:
    """The points of one ``<trkseg>``; between runs of points, whatever the reader ignores."""
    segment = SegmentFilter()
    if not tag.empty:
        while True:
            cursor.pos = _points(cursor.data, cursor.pos, segment, track, content)
            child = cursor.child()
            if child is None:
                break
            if child.local == b"trkpt":
                raise FastPathDeclined("a track point in a shape the fast reader does not know")
            cursor.skip(child, _PARENTS, _HOLDS_PARENT)
    segment.close()
    track.add(segment)


def _points(
    data: bytes,
    pos: int,
    segment: SegmentFilter,
    track: reference._Track,
    content: reference._GpxContent,
) -> int:
    """Feed the points from ``pos`` on while they have the common shape.

    Each point does what ``_GpxReader`` does between ``<trkpt>`` and ``</trkpt>``.
    Returns where the points stop.
    """
    match = _POINT.match
    add = segment.add
    while (point := match(data, pos)) is not None:
        pos = point.end()
        lat_raw, lon_raw, ele_raw, time_raw = point.group("lat", "lon", "ele", "time")
        if lat_raw is None:  # lon="..." lat="..."
            lat_raw, lon_raw = point.group("lat2", "lon2")
        track.points += 1
        try:
            lat, lon = float(lat_raw), float(lon_raw)
        except ValueError:
            lat = lon = math.nan
        # read even for a point left out below: the reader counts its unreadable time
        moment = None if time_raw is None else _time(time_raw, content)
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            track.unplaced += 1
            if content.first_unplaced is None:
                content.first_unplaced = _unplaced(lat_raw, lon_raw)
            continue
        if track.first_position is None:
            track.first_position = (lat, lon)
        add(lat, lon, moment, None if ele_raw is None else number(ele_raw))
    return pos


def _time(raw: bytes, content: reference._GpxContent) -> datetime | None:
    text = ascii_text(raw)
    if not text:
        return None  # the reader keeps the point's time unset
    moment = parse_time(text)
    if moment is None:
        content.unreadable_times += 1
    return moment


def _unplaced(lat_raw: bytes, lon_raw: bytes) -> str:
    # the reader's words, with the attributes as expat hands them over
    lat, lon = attribute_value(lat_raw), attribute_value(lon_raw)
    return f"track point without a valid position (lat={lat!r}, lon={lon!r})"
