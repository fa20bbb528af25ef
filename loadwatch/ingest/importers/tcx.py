"""TCX: one activity per ``<Activity>``, from its lap totals, trackpoints as fallback.

Garmin's Training Center format states what the device measured in each lap
(``TotalTimeSeconds``, ``DistanceMeters``), so those sums are the activity's
numbers; trackpoints are read for what laps do not state (elapsed time, climb,
cadence) and stand in for missing lap totals. Multisport sessions simply nest
their activities deeper, so an ``<Activity>`` is recognised at any depth. The
document is streamed once with expat (see ``xmlsafety``): no tree is built.
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from loadwatch.errors import (
    CorruptFileError,
    NotAnActivityError,
    SourceError,
    UnsupportedFormatError,
)
from loadwatch.ingest.classify import ON_FOOT, classify, sport_from_label

# re-exported ("as"): tcxfast reads the limit here when it runs, so it never takes more
# than this reader does, even with the limit changed on this module
from loadwatch.ingest.importers import MAX_ACTIVITIES_PER_FILE as MAX_ACTIVITIES_PER_FILE
from loadwatch.ingest.importers import ParseContext, too_many
from loadwatch.ingest.importers.trackpoints import SegmentFilter
from loadwatch.ingest.importers.xmlsafety import (
    Reader,
    check_document,
    parse_number,
    parse_time,
    sport_label_in_name,
)
from loadwatch.ingest.plausibility import kilometres, steps_per_minute
from loadwatch.model import Activity, Integrity, ParsedFile, Sport, Surface, activity_id
from loadwatch.timezones import local_wall_time_at

NO_ACTIVITY_REASON = "no <Activity> in this TCX (a course or workout file)"
COURSE_REASON = "a course (a planned route), not a recorded activity"
#: lap totals and the trackpoints' own distance may differ this much (GPS rounding)
AGREEMENT = 0.03
AGREEMENT_FLOOR_M = 50.0
#: an <Id> further than this from the first lap's start is not the start
ID_DRIFT_S = 3600.0


@dataclass(slots=True)
class _Session:
    """Running totals of one ``<Activity>`` while its laps and trackpoints stream past."""

    sport: str | None = None
    id_text: str | None = None
    notes: str | None = None
    creator: str | None = None
    first_lap_start: str | None = None
    laps: int = 0
    lap_distance_m: float = 0.0
    laps_with_distance: int = 0
    lap_time_s: float = 0.0
    laps_with_time: int = 0
    first_point_time: datetime | None = None
    last_point_time: datetime | None = None
    last_point_distance_m: float | None = None
    last_altitude_m: float | None = None
    ascent_m: float = 0.0
    cadence_sum: float = 0.0
    cadence_count: int = 0
    run_cadence_sum: float = 0.0
    run_cadence_count: int = 0
    #: trackpoint positions (latitude, longitude pairs), to settle disagreeing totals
    positions: array[float] = field(default_factory=lambda: array("d"))


# Elements whose text is read, by (parent, element); all others are skipped.
_TEXT_ELEMENTS = frozenset(
    {
        ("Activity", "Id"),
        ("Activity", "Notes"),
        ("Creator", "Name"),
        ("Lap", "TotalTimeSeconds"),
        ("Lap", "DistanceMeters"),
        ("Trackpoint", "Time"),
        ("Trackpoint", "DistanceMeters"),
        ("Trackpoint", "AltitudeMeters"),
        ("Trackpoint", "Cadence"),
        ("TPX", "RunCadence"),
        ("Position", "LatitudeDegrees"),
        ("Position", "LongitudeDegrees"),
    }
)


class _TcxReader(Reader):
    """Folds laps and trackpoints into the enclosing activity as expat reports them."""

    def __init__(self) -> None:
        super().__init__()
        self.root = ""
        self.sessions: list[_Session] = []
        self._path: list[str] = []
        self._session: _Session | None = None
        #: a Courses element was met (a planned route)
        self.courses = False
        self._latitude: float | None = None

    def start_element(self, name: str, attrs: dict[str, str]) -> None:
        local = self.locals.get(name) or self.local(name)
        path = self._path
        parent = path[-1] if path else ""
        path.append(local)
        if self._session is None:
            if local == "Activity":
                self._session = _Session(sport=attrs.get("Sport", "").strip() or None)
            elif local == "Courses":
                self.courses = True
            elif not parent:
                self.root = local
        elif (parent, local) in _TEXT_ELEMENTS:
            self.capture()
        elif local == "Lap" and parent == "Activity":
            session = self._session
            session.laps += 1
            if session.first_lap_start is None:
                session.first_lap_start = attrs.get("StartTime")

    def end_element(self, name: str) -> None:
        local = self.locals.get(name) or self.local(name)
        path = self._path
        path.pop()
        session = self._session
        if session is None:
            return
        parent = path[-1] if path else ""
        if (parent, local) not in _TEXT_ELEMENTS:
            if local == "Activity":
                if len(self.sessions) >= MAX_ACTIVITIES_PER_FILE:
                    raise too_many("activities", MAX_ACTIVITIES_PER_FILE)
                self.sessions.append(session)
                self._session = None
            return
        text = self.text()
        if parent == "Position":
            value = parse_number(text)
            if local == "LatitudeDegrees":
                self._latitude = value
            elif value is not None and self._latitude is not None:
                if -90 <= self._latitude <= 90 and -180 <= value <= 180:
                    session.positions.extend((self._latitude, value))
                self._latitude = None
        elif parent == "Trackpoint":
            if local == "Time":
                moment = parse_time(text)
                if moment is not None:
                    if session.first_point_time is None:
                        session.first_point_time = moment
                    session.last_point_time = moment
            else:
                self._point_value(session, local, parse_number(text))
        elif parent == "TPX":
            self._point_value(session, local, parse_number(text))
        elif parent == "Lap":
            value = parse_number(text)
            if value is None or value < 0:
                return
            if local == "DistanceMeters":
                session.lap_distance_m += value
                session.laps_with_distance += 1
            else:
                session.lap_time_s += value
                session.laps_with_time += 1
        elif local == "Id":
            session.id_text = text
        elif local == "Notes":
            session.notes = text or None
        elif local == "Name" and path[-2:-1] == ["Activity"]:
            session.creator = text or None

    def salvage(self) -> bool:
        """After damage, keep the activity being read; whether it holds any trackpoint."""
        session = self._session
        if session is not None and session.first_point_time is not None:
            self.sessions.append(session)
        self._session = None
        return self.root == "TrainingCenterDatabase" and any(
            s.first_point_time is not None for s in self.sessions
        )

    @staticmethod
    def _point_value(session: _Session, local: str, value: float | None) -> None:
        if value is None:
            return
        if local == "DistanceMeters":
            if value >= 0:  # a negative distance is damage, never a measurement
                session.last_point_distance_m = value
        elif local == "AltitudeMeters":
            # Climb is the plain sum of rises between consecutive altitudes.
            if session.last_altitude_m is not None and value > session.last_altitude_m:
                session.ascent_m += value - session.last_altitude_m
            session.last_altitude_m = value
        elif value > 0:  # a zero cadence is a standstill, not a slow cadence
            if local == "RunCadence":
                session.run_cadence_sum += value
                session.run_cadence_count += 1
            else:
                session.cadence_sum += value
                session.cadence_count += 1


def parse(data: bytes, ctx: ParseContext, *, fast: bool = True) -> ParsedFile:
    """Activities from a TCX document, one per ``<Activity>``.

    ``fast=False`` reads with expat alone (the judge the fast path is tested against).

    Raises:
        NotAnActivityError: the document holds no activity (a course, a workout).
        SourceError: no activity has a readable start time.
        CorruptFileError: the XML is malformed, unsafe or not UTF-8.
    """
    from loadwatch.ingest.importers import tcxfast  # here: tcxfast builds on this module

    check_document(data)
    reader = _TcxReader()
    damage: str | None = None
    try:
        # The byte-level fast path reads the common shape; expat reads everything else.
        if not (fast and tcxfast.read_into(data, reader)):
            reader.feed(data)
    except CorruptFileError as exc:
        # A recording cut short still holds its laps and trackpoints before the cut.
        if not reader.salvage():
            raise
        damage = exc.reason
    return summarise(reader, ctx, damage)


class ReadDocument(Protocol):
    """What a reader holds once it has read a document (``_TcxReader``, ``tcxfast``)."""

    root: str
    sessions: list[_Session]
    courses: bool


def summarise(reader: ReadDocument, ctx: ParseContext, damage: str | None = None) -> ParsedFile:
    """The activities of a document as read; ``damage``: why the reading stopped early."""
    # Checked after the parse so that a damaged document reports its damage.
    if reader.root != "TrainingCenterDatabase":
        raise UnsupportedFormatError(f"not a TCX document (its root is <{reader.root}>)")
    if not reader.sessions:
        if reader.courses:
            raise NotAnActivityError(COURSE_REASON)
        raise NotAnActivityError(NO_ACTIVITY_REASON)
    result = ParsedFile()
    skipped: list[str] = []
    for index, session in enumerate(reader.sessions, start=1):
        start, start_note = _start(session)
        if start is None:
            skipped.append(f"activity {index} skipped: no readable start time (<Id>)")
            continue
        cut = damage is not None and session is reader.sessions[-1]
        activity = _activity(session, start, ctx, cut=cut)
        if start_note:
            activity = activity.flagged(Integrity.SUSPECT, start_note)
        if cut:
            activity = activity.flagged(
                Integrity.PARTIAL, f"{damage}: recovered the laps and trackpoints read before it"
            )
        result.activities.append(activity)
    if not result.activities:
        raise SourceError(
            skipped[0]
            if len(skipped) == 1
            else f"none of its {len(skipped)} activities has a readable start time"
        )
    result.warnings.extend(skipped)
    return result


def _start(session: _Session) -> tuple[datetime | None, str | None]:
    """The start, and a note when the <Id> had to be passed over.

    Writers set ``<Id>`` to the start, but some set it when the file was saved;
    the first lap's ``StartTime`` is the device's own start. The earlier of the
    two is the start, unless they are far apart (then one is damaged, and the
    lap is the device's measurement).
    """
    identifier = parse_time(session.id_text) if session.id_text else None
    lap = parse_time(session.first_lap_start) if session.first_lap_start else None
    if identifier is not None and lap is not None:
        if abs((identifier - lap).total_seconds()) > ID_DRIFT_S:
            return lap, (
                f"its <Id> ({identifier.isoformat()}) is far from the first lap's start; "
                "the lap's start is used"
            )
        return min(identifier, lap), None
    return identifier or lap or session.first_point_time, None


def _activity(
    session: _Session, start: datetime, ctx: ParseContext, *, cut: bool = False
) -> Activity:
    """The activity of one session; ``cut``: the file ends inside it.

    A cut session's last lap states the totals of a lap whose trackpoints are
    missing, so its trackpoints (distance, first to last time) measure it instead.
    """
    sport, surface = _sport_and_surface(session)
    duration = _duration(session)
    distance, disagreement = _distance(session)
    if cut:
        span = _point_span(session)
        distance = (
            session.last_point_distance_m if session.last_point_distance_m is not None else distance
        )
        duration, disagreement = (span if span is not None else duration), None
    elapsed = None
    if session.last_point_time is not None:
        elapsed = (session.last_point_time - start).total_seconds()
    if elapsed is None or elapsed < 0:
        elapsed = duration
    # Whole seconds, like every other source: a run is the same run whichever
    # file reports it, and some writers add fractions, some do not.
    start = start.replace(microsecond=0)
    start_local, guessed = local_wall_time_at(start, _first_position(session), ctx.zone)
    activity = Activity(
        id=activity_id(start),
        source=ctx.source,
        format="tcx",
        sport=sport,
        surface=surface,
        start_utc=start,
        start_local=start_local,
        zone_guessed=guessed,
        name=session.notes,
        distance_m=distance,
        duration_s=duration,
        elapsed_s=elapsed,
        ascent_m=session.ascent_m if session.last_altitude_m is not None else None,
        avg_cadence_spm=_cadence(session, sport),
        device=session.creator,
        sport_detail=session.sport,
    )
    return activity if disagreement is None else activity.flagged(Integrity.SUSPECT, disagreement)


def _first_position(session: _Session) -> tuple[float, float] | None:
    """(latitude, longitude) of the activity's first trackpoint with a position."""
    return (session.positions[0], session.positions[1]) if session.positions else None


def _distance(session: _Session) -> tuple[float | None, str | None]:
    """The laps' total (else the trackpoints'), and a note when the two disagree.

    The two are written by the same device and agree within GPS rounding; when one
    is damaged they do not, and the distance of the trackpoints' positions decides.
    """
    laps = session.lap_distance_m if session.laps_with_distance else None
    points = session.last_point_distance_m
    if not (session.laps and session.laps_with_distance == session.laps):
        return (points if points is not None else laps), None
    if points is None or _agree(laps or 0.0, points):
        return laps, None
    gps = _gps_distance(session.positions)
    chosen = laps if gps is None or abs((laps or 0.0) - gps) <= abs(points - gps) else points
    judged = "" if gps is None else f", {kilometres(gps, 2)} by GPS"
    return chosen, (
        f"its laps say {kilometres(laps or 0.0, 2)} and its trackpoints "
        f"{kilometres(points, 2)}{judged}; {kilometres(chosen or 0.0, 2)} is used"
    )


def _agree(a: float, b: float) -> bool:
    return abs(a - b) <= max(AGREEMENT * max(a, b), AGREEMENT_FLOOR_M)


def _gps_distance(positions: array[float]) -> float | None:
    if len(positions) < 4:
        return None
    segment = SegmentFilter()
    for i in range(0, len(positions), 2):
        segment.add(positions[i], positions[i + 1], None, None)
    segment.close()
    return segment.distance_m


def _point_span(session: _Session) -> float | None:
    first, last = session.first_point_time, session.last_point_time
    if first is not None and last is not None and last >= first:
        return (last - first).total_seconds()
    return None


def _duration(session: _Session) -> float | None:
    if session.laps and session.laps_with_time == session.laps:
        return session.lap_time_s
    span = _point_span(session)
    if span is not None:
        return span
    return session.lap_time_s if session.laps_with_time else None


def _sport_and_surface(session: _Session) -> tuple[Sport, Surface]:
    """From the ``Sport`` attribute; for ``Other``, from the words of the notes."""
    if sport_from_label(session.sport) is not None:
        return classify(session.sport, name=session.notes)
    return classify(session.sport, sport_label_in_name(session.notes), name=session.notes)


def _cadence(session: _Session, sport: Sport) -> float | None:
    # Only on foot: a bike's Cadence is pedal revolutions, not steps.
    if sport not in ON_FOOT:
        return None
    if session.run_cadence_count:
        return steps_per_minute(session.run_cadence_sum / session.run_cadence_count)
    if session.cadence_count:
        return steps_per_minute(session.cadence_sum / session.cadence_count)
    return None
