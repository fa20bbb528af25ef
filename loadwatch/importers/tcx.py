"""TCX: one activity per ``<Activity>``, from its lap totals, trackpoints as fallback.

Garmin's Training Center format states what the device measured in each lap
(``TotalTimeSeconds``, ``DistanceMeters``), so those sums are the activity's
numbers; trackpoints are read for what laps do not state (elapsed time, climb,
cadence) and stand in for missing lap totals. Multisport sessions simply nest
their activities deeper, so an ``<Activity>`` is recognised at any depth. The
document is streamed once with expat (see ``xmlsafety``): no tree is built.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from loadwatch.classify import ON_FOOT, classify, sport_from_label
from loadwatch.errors import NotAnActivityError, SourceError, UnsupportedFormatError
from loadwatch.importers import MAX_ACTIVITIES_PER_FILE, ParseContext, too_many
from loadwatch.importers.xmlsafety import (
    Reader,
    check_document,
    parse_number,
    parse_time,
    sport_label_in_name,
)
from loadwatch.model import Activity, ParsedFile, Sport, Surface, activity_id
from loadwatch.timezones import local_wall_time

NO_ACTIVITY_REASON = "no <Activity> in this TCX (a course or workout file)"

# TCX running cadence (RunCadence, or Cadence as Polar writes it) counts strides:
# one per two steps.
_STEPS_PER_STRIDE = 2.0


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


# Elements whose text is read, by (parent, element); all others are skipped.
_TEXT_ELEMENTS = frozenset({
    ("Activity", "Id"), ("Activity", "Notes"), ("Creator", "Name"),
    ("Lap", "TotalTimeSeconds"), ("Lap", "DistanceMeters"),
    ("Trackpoint", "Time"), ("Trackpoint", "DistanceMeters"),
    ("Trackpoint", "AltitudeMeters"), ("Trackpoint", "Cadence"),
    ("TPX", "RunCadence"),
})


class _TcxReader(Reader):
    """Folds laps and trackpoints into the enclosing activity as expat reports them."""

    def __init__(self) -> None:
        super().__init__()
        self.root = ""
        self.sessions: list[_Session] = []
        self._path: list[str] = []
        self._session: _Session | None = None

    def start_element(self, name: str, attrs: dict[str, str]) -> None:
        local = self.locals.get(name) or self.local(name)
        path = self._path
        parent = path[-1] if path else ""
        path.append(local)
        if self._session is None:
            if local == "Activity":
                self._session = _Session(sport=attrs.get("Sport", "").strip() or None)
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
        if parent == "Trackpoint":
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

    @staticmethod
    def _point_value(session: _Session, local: str, value: float | None) -> None:
        if value is None:
            return
        if local == "DistanceMeters":
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


def parse(data: bytes, ctx: ParseContext) -> ParsedFile:
    """Activities from a TCX document, one per ``<Activity>``.

    Raises:
        NotAnActivityError: the document holds no activity (a course, a workout).
        SourceError: no activity has a readable start time.
        CorruptFileError: the XML is malformed, unsafe or not UTF-8.
    """
    check_document(data)
    reader = _TcxReader()
    reader.feed(data)
    # Checked after the parse so that a damaged document reports its damage.
    if reader.root != "TrainingCenterDatabase":
        raise UnsupportedFormatError(f"not a TCX document (its root is <{reader.root}>)")
    if not reader.sessions:
        raise NotAnActivityError(NO_ACTIVITY_REASON)
    result = ParsedFile()
    skipped: list[str] = []
    for index, session in enumerate(reader.sessions, start=1):
        start = _start(session)
        if start is None:
            skipped.append(f"activity {index} skipped: no readable start time (<Id>)")
            continue
        result.activities.append(_activity(session, start, ctx))
    if not result.activities:
        raise SourceError(skipped[0] if len(skipped) == 1 else
                          f"none of its {len(skipped)} activities has a readable start time")
    result.warnings.extend(skipped)
    return result


def _start(session: _Session) -> datetime | None:
    for text in (session.id_text, session.first_lap_start):
        moment = parse_time(text) if text else None
        if moment is not None:
            return moment
    return session.first_point_time


def _activity(session: _Session, start: datetime, ctx: ParseContext) -> Activity:
    sport, surface = _sport_and_surface(session)
    duration = _duration(session)
    elapsed = None
    if session.last_point_time is not None:
        elapsed = (session.last_point_time - start).total_seconds()
    if elapsed is None or elapsed < 0:
        elapsed = duration
    # Whole seconds, like every other source: a run is the same run whichever
    # file reports it, and some writers add fractions, some do not.
    start = start.replace(microsecond=0)
    return Activity(
        id=activity_id(start),
        source=ctx.source,
        format="tcx",
        sport=sport,
        surface=surface,
        start_utc=start,
        start_local=local_wall_time(start, ctx.zone),
        name=session.notes,
        distance_m=_distance(session),
        duration_s=duration,
        elapsed_s=elapsed,
        ascent_m=session.ascent_m if session.last_altitude_m is not None else None,
        avg_cadence_spm=_cadence(session, sport),
        device=session.creator,
        sport_detail=session.sport,
    )


def _distance(session: _Session) -> float | None:
    if session.laps and session.laps_with_distance == session.laps:
        return session.lap_distance_m
    if session.last_point_distance_m is not None:
        return session.last_point_distance_m
    return session.lap_distance_m if session.laps_with_distance else None


def _duration(session: _Session) -> float | None:
    if session.laps and session.laps_with_time == session.laps:
        return session.lap_time_s
    first, last = session.first_point_time, session.last_point_time
    if first is not None and last is not None and last >= first:
        return (last - first).total_seconds()
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
        return session.run_cadence_sum / session.run_cadence_count * _STEPS_PER_STRIDE
    if session.cadence_count:
        return session.cadence_sum / session.cadence_count * _STEPS_PER_STRIDE
    return None
