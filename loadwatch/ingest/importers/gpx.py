"""GPX: one activity per track, measured exactly as gpxpy measures it.

``gpxpy.parse`` builds an object for every point, field and extension before
anything can be summed (about 150 ms for a 1.5 MB Strava export) and holds the
whole document as a tree. The summary needs a few running totals per track, so
the document is streamed once with expat (see ``xmlsafety``) and each point is
folded into its track as it goes by. Distances use gpxpy's own geometry
(``gpxpy.geo.distance``, what ``length_2d`` sums) and the climb reproduces
gpxpy's smoothed uphill, so the numbers equal gpxpy's to the last bit.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime

from loadwatch.errors import (
    CorruptFileError,
    NotAnActivityError,
    SourceError,
    UnsupportedFormatError,
)
from loadwatch.ingest.classify import classify, sport_from_label

# re-exported ("as"): gpxfast reads the limit here when it runs, so it never takes more
# than this reader does, even with the limit changed on this module
from loadwatch.ingest.importers import MAX_ACTIVITIES_PER_FILE as MAX_ACTIVITIES_PER_FILE
from loadwatch.ingest.importers import ParseContext, too_many
from loadwatch.ingest.importers.trackpoints import TELEPORT_SPEED_MS, SegmentFilter
from loadwatch.ingest.importers.xmlsafety import (
    Reader,
    check_document,
    parse_number,
    parse_time,
    sport_label_in_name,
)
from loadwatch.ingest.plausibility import speed_limit
from loadwatch.model import Activity, Integrity, ParsedFile, Sport, Surface, activity_id
from loadwatch.timezones import local_wall_time_at

NO_POINTS_REASON = "no track points (route or metadata only)"

# When a track says nothing about its sport, its average speed decides. Running
# spans about 3:20 to 8:45 per km; walkers stay under 1.9 m/s (6.8 km/h); above
# 5 m/s it is a bike or a car (the corpus has a drive at 5.3 m/s and a Movescount
# ride at 5.2 m/s), which are not running load either way.
_RUN_SPEED_MIN = 1.9
_RUN_SPEED_MAX = 5.0


@dataclass(slots=True)
class _Track:
    """Running totals of one ``<trk>`` while its points stream past."""

    name: str | None = None
    type: str | None = None
    points: int = 0
    distance_m: float = 0.0
    first_time: datetime | None = None
    last_time: datetime | None = None
    #: sum of the segments' first-to-last spans; None once a segment runs backwards
    duration_s: float | None = 0.0
    uphill_m: float = 0.0
    has_elevation: bool = False
    #: faults left out (see ``trackpoints``)
    teleports: int = 0
    teleport_m: float = 0.0
    bad_times: int = 0
    bad_elevations: int = 0
    #: points whose latitude or longitude is missing or out of range
    unplaced: int = 0
    #: (latitude, longitude) of the first placed point: the zone of the place is read there
    first_position: tuple[float, float] | None = None
    #: segments whose times a route planner made up, out of segments with times
    synthetic_segments: int = 0
    timed_segments: int = 0

    def add(self, segment: SegmentFilter) -> None:
        # gpxpy adds a segment's length to its track only when it is non-zero
        if segment.distance_m:
            self.distance_m += segment.distance_m
        if segment.elevations:
            self.has_elevation = True
            self.uphill_m += segment.uphill_m
        self.teleports += segment.teleports
        self.teleport_m += segment.teleport_m
        self.bad_times += segment.bad_times
        self.bad_elevations += segment.bad_elevations
        span = segment.span_s
        if span is None or segment.first_time is None:
            return
        self.timed_segments += 1
        self.synthetic_segments += segment.looks_synthetic()
        if self.first_time is None:
            self.first_time = segment.first_time
        self.last_time = segment.last_time
        if self.duration_s is not None:
            self.duration_s = self.duration_s + span if span >= 0 else None


@dataclass(slots=True)
class _GpxContent:
    root: str = ""
    creator: str | None = None
    name: str | None = None
    tracks: list[_Track] = field(default_factory=list)
    unreadable_times: int = 0
    #: the reason for the first point without a valid position, if any
    first_unplaced: str | None = None


# Elements whose text is read, by (parent, element); all others are skipped.
_TEXT_ELEMENTS = frozenset(
    {
        ("trkpt", "ele"),
        ("trkpt", "time"),
        ("trk", "name"),
        ("trk", "type"),
        ("metadata", "name"),  # GPX 1.1
        ("gpx", "name"),  # GPX 1.0
    }
)


class _GpxReader(Reader):
    """Folds each track point into its segment and track as expat reports it."""

    def __init__(self) -> None:
        super().__init__()
        self.content = _GpxContent()
        self._path: list[str] = []
        self._track = _Track()
        self._segment = SegmentFilter()
        # the point being read, kept as plain attributes: no object per point
        self._lat = 0.0
        self._lon = 0.0
        self._ele: float | None = None
        self._time: datetime | None = None
        self._placed = True

    def start_element(self, name: str, attrs: dict[str, str]) -> None:
        local = self.locals.get(name) or self.local(name)
        path = self._path
        parent = path[-1] if path else ""
        path.append(local)
        if local == "trkpt":
            if parent == "trkseg":
                self._start_point(attrs)
        elif (parent, local) in _TEXT_ELEMENTS:
            self.capture()
        elif local == "trkseg":
            if parent == "trk":
                self._segment = SegmentFilter()
        elif local == "trk":
            if parent == "gpx":
                self._track = _Track()
        elif not parent:
            self.content.root = local
            self.content.creator = attrs.get("creator", "").strip() or None

    def end_element(self, name: str) -> None:
        local = self.locals.get(name) or self.local(name)
        path = self._path
        path.pop()
        parent = path[-1] if path else ""
        if parent == "trkpt":
            if local == "ele":
                self._ele = parse_number(self.text())
            elif local == "time":
                self._point_time(self.text())
        elif parent == "trkseg":
            if local == "trkpt":
                self._end_point()
        elif parent == "trk":
            if local == "trkseg":
                self._end_segment()
            elif local == "name":
                self._track.name = self.text() or None
            elif local == "type":
                self._track.type = self.text() or None
        elif parent == "gpx":
            if local == "trk":
                if len(self.content.tracks) >= MAX_ACTIVITIES_PER_FILE:
                    raise too_many("tracks", MAX_ACTIVITIES_PER_FILE)
                self.content.tracks.append(self._track)
            elif local == "name":
                self.content.name = self.text() or None
        elif parent == "metadata" and local == "name":
            self.content.name = self.text() or None

    def salvage(self) -> bool:
        """After damage, close the track being read; whether any track point was read."""
        path = self._path
        if "trkseg" in path and "trkpt" in path:
            # the point being read when the file ended is not whole: it is dropped
            pass
        if "trkseg" in path:
            self._end_segment()
        if "trk" in path:
            self.content.tracks.append(self._track)
        self._path = []
        return self.content.root == "gpx" and any(t.points for t in self.content.tracks)

    def _start_point(self, attrs: dict[str, str]) -> None:
        try:
            lat, lon = float(attrs["lat"]), float(attrs["lon"])
        except (KeyError, ValueError):
            lat = lon = math.nan
        # the range test also refuses NaN and infinities
        self._placed = -90 <= lat <= 90 and -180 <= lon <= 180
        if not self._placed and self.content.first_unplaced is None:
            self.content.first_unplaced = (
                f"track point without a valid position (lat={attrs.get('lat')!r}, "
                f"lon={attrs.get('lon')!r})"
            )
        self._lat, self._lon, self._ele, self._time = lat, lon, None, None

    def _point_time(self, text: str) -> None:
        if not text:
            return
        moment = parse_time(text)
        if moment is None:
            self.content.unreadable_times += 1
        self._time = moment

    def _end_point(self) -> None:
        self._track.points += 1
        if not self._placed:
            # a damaged coordinate; the other points still make the track
            self._track.unplaced += 1
            return
        if self._track.first_position is None:
            self._track.first_position = (self._lat, self._lon)
        self._segment.add(self._lat, self._lon, self._time, self._ele)

    def _end_segment(self) -> None:
        self._segment.close()
        self._track.add(self._segment)


def parse(data: bytes, ctx: ParseContext, *, fast: bool = True) -> ParsedFile:
    """Activities from a GPX document, one per track that has timestamps.

    ``fast=False`` reads with expat alone (the judge the fast path is tested against).

    Raises:
        NotAnActivityError: there is no track point (a route, or metadata only).
        SourceError: tracks have points but none has a timestamp.
        CorruptFileError: the XML is malformed, unsafe or not UTF-8.
    """
    from loadwatch.ingest.importers import gpxfast  # here: gpxfast builds on this module

    check_document(data)
    reader = _GpxReader()
    damage: str | None = None
    try:
        # The byte-level fast path reads the common shape; expat reads everything else.
        if not (fast and gpxfast.read_into(data, reader)):
            reader.feed(data)
    except CorruptFileError as exc:
        # A recording cut short (or damaged midway) still holds the points before
        # the damage: they are real, so they count, marked partial.
        if not reader.salvage():
            raise
        damage = exc.reason
    return summarise(reader.content, ctx, damage)


def summarise(content: _GpxContent, ctx: ParseContext, damage: str | None = None) -> ParsedFile:
    """The activities of a document as read; ``damage``: why the reading stopped early."""
    # Checked after the parse so that a damaged document reports its damage.
    if content.root != "gpx":
        raise UnsupportedFormatError(f"not a GPX document (its root is <{content.root}>)")
    if not any(t.points for t in content.tracks):
        raise NotAnActivityError(NO_POINTS_REASON)
    result = ParsedFile()
    skipped: list[str] = []
    # A logger that splits one outing into several tracks gives short tracks with
    # odd speeds (GPS jumps, a pause); the whole file's pace is the better guess.
    timed = [t for t in content.tracks if t.duration_s]
    moving_s = sum(t.duration_s or 0.0 for t in timed)
    file_speed = sum(t.distance_m for t in timed) / moving_s if moving_s > 0 else None
    routes = unplaced = 0
    for index, track in enumerate(content.tracks, start=1):
        if not track.points:
            continue  # an empty track loses nothing
        # the name is the file's text: shortened, so that a reason quoting it stays one line
        label = f"track '{_shortened(track.name)}'" if track.name else f"track {index}"
        if track.unplaced == track.points:
            skipped.append(f"{label} skipped: {content.first_unplaced}")
            unplaced += 1
            continue
        if track.first_time is None:
            skipped.append(f"{label} skipped: none of its {track.points} points has a time")
            continue
        planned = _planned_route(track)
        if planned:
            routes += 1
            skipped.append(f"{label} skipped: {planned}")
            continue
        result.activities.append(_activity(track, label, content, ctx, result.warnings, file_speed))
    if not result.activities:
        if unplaced == len(skipped) and content.first_unplaced:
            raise CorruptFileError(content.first_unplaced)
        if routes == len(skipped):
            raise NotAnActivityError(
                skipped[0].split(" skipped: ", 1)[1]
                if routes == 1
                else f"all {routes} tracks are planned routes with made-up times, not recordings"
            )
        raise SourceError(
            skipped[0] if len(skipped) == 1 else f"none of its {len(skipped)} tracks has timestamps"
        )
    result.warnings[:0] = skipped
    if damage is not None:
        result.activities = [
            a.flagged(Integrity.PARTIAL, f"{damage}: recovered the track read before it")
            for a in result.activities
        ]
    if content.unreadable_times:
        result.warnings.append(
            f"{content.unreadable_times} track point times could not be read and were ignored"
        )
    return result


def _shortened(text: str, limit: int = 60) -> str:
    flat = " ".join("".join(c if c.isprintable() else " " for c in text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _planned_route(track: _Track) -> str | None:
    """Why a timed track is a planned route rather than a recording, if it is one."""
    if track.timed_segments and track.synthetic_segments == track.timed_segments:
        return (
            "a planned route with made-up times (every point at one constant speed), "
            "not a recording"
        )
    if track.points >= 10 and track.duration_s == 0 and track.distance_m > 0:
        return "all its points carry the same time: a route, not a recording"
    return None


def _faults(track: _Track) -> str | None:
    """One line on the GPS and clock faults left out of a track, if any."""
    found = []
    if track.teleports:
        found.append(
            f"{track.teleports} GPS point{'s' * (track.teleports != 1)} implying more than "
            f"{TELEPORT_SPEED_MS:g} m/s left out of the distance "
            f"({track.teleport_m / 1000.0:,.1f} km removed)"
        )
    if track.unplaced:
        found.append(
            f"{track.unplaced} point{'s' * (track.unplaced != 1)} without a valid position ignored"
        )
    if track.bad_times:
        found.append(
            f"{track.bad_times} point time{'s' * (track.bad_times != 1)} out of order ignored"
        )
    if track.bad_elevations:
        found.append(
            f"{track.bad_elevations} altitude spike{'s' * (track.bad_elevations != 1)} ignored"
        )
    return "; ".join(found) or None


def _activity(
    track: _Track,
    label: str,
    content: _GpxContent,
    ctx: ParseContext,
    warnings: list[str],
    file_speed: float | None,
) -> Activity:
    assert track.first_time is not None and track.last_time is not None
    elapsed = (track.last_time - track.first_time).total_seconds()
    # Whole seconds, like every other source: a run is the same run whichever
    # file reports it, and some writers add milliseconds, some do not.
    start = track.first_time.replace(microsecond=0)
    name = track.name or content.name
    sport, surface = _sport_and_surface(track, name, label, warnings, file_speed)
    start_local, guessed = local_wall_time_at(start, track.first_position, ctx.zone)
    activity = Activity(
        id=activity_id(start),
        source=ctx.source,
        format="gpx",
        sport=sport,
        surface=surface,
        start_utc=start,
        start_local=start_local,
        zone_guessed=guessed,
        name=name,
        distance_m=track.distance_m,
        duration_s=track.duration_s,
        elapsed_s=elapsed if elapsed >= 0 else None,
        ascent_m=track.uphill_m if track.has_elevation else None,
        device=content.creator,
        sport_detail=track.type,
    )
    faults = _faults(track)
    return activity if faults is None else activity.flagged(Integrity.SUSPECT, faults)


def _sport_and_surface(
    track: _Track, name: str | None, label: str, warnings: list[str], file_speed: float | None
) -> tuple[Sport, Surface]:
    """From ``<type>``, else from the name, else guessed from the file's average speed."""
    if sport_from_label(track.type) is not None:
        return classify(track.type, name=name)
    in_name = sport_label_in_name(name)
    if in_name is not None:
        return classify(track.type, in_name, name=name)
    if file_speed is None:
        warnings.append(
            f"{label}: sport not stated and no duration to judge it by; listed as other"
        )
        return Sport.OTHER, Surface.UNKNOWN
    speed = file_speed
    if speed < _RUN_SPEED_MIN:
        guess = Sport.WALK
    elif speed <= _RUN_SPEED_MAX:
        guess = Sport.RUN
    else:
        guess = Sport.OTHER
    own = track.distance_m / track.duration_s if track.duration_s else 0.0
    if guess is not Sport.OTHER and own > speed_limit(guess, track.distance_m):
        # this track alone is too fast for the file's sport: a car or boat leg
        guess, speed = Sport.OTHER, own
    warnings.append(
        f"{label}: sport not stated; taken as {guess} from its average speed of {speed:.1f} m/s"
    )
    return classify(track.type, guess.value, name=name)
