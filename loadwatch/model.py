"""The one activity record every importer produces, in SI units and UTC.

Miles, kilometres and local calendar dates belong to the edges (CLI and reports);
everything inside works in metres, seconds and aware UTC datetimes, plus the local
wall-clock start the source stated (or that the runner's time zone implies).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any


class Sport(StrEnum):
    RUN = "run"
    WALK = "walk"
    HIKE = "hike"
    RIDE = "ride"
    SWIM = "swim"
    OTHER = "other"


class Integrity(StrEnum):
    """How far a recording can be trusted (see README, "Integrity").

    ``complete``: the file is whole and every value is within the plausibility
    limits. ``partial``: the recording was cut short (a battery that died, an
    interrupted copy); what is there is real, but some of the run is missing.
    ``suspect``: the file failed its checksum, or values had to be left out or
    repaired because they were physically impossible.
    """

    COMPLETE = "complete"
    PARTIAL = "partial"
    SUSPECT = "suspect"

    @property
    def rank(self) -> int:
        """0 for the most trustworthy: copies of one run are ranked by this first."""
        return _INTEGRITY_RANK[self]


_INTEGRITY_RANK = {Integrity.COMPLETE: 0, Integrity.SUSPECT: 1, Integrity.PARTIAL: 2}


class Surface(StrEnum):
    ROAD = "road"
    TRAIL = "trail"
    TRACK = "track"
    TREADMILL = "treadmill"
    GRASS = "grass"
    MIXED = "mixed"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class Activity:
    """One session of one sport, whatever file or service it came from."""

    #: stable identifier derived from the UTC start (see ``activity_id``)
    id: str
    #: path relative to the folder given, ``outer.zip!inner/path`` for an archive member
    source: str
    #: fit, gpx, tcx, csv (manual log), strava-csv, garmin-csv
    format: str
    sport: Sport
    surface: Surface
    #: aware datetime in UTC
    start_utc: datetime
    #: naive wall-clock time where the runner was
    start_local: datetime
    name: str | None = None
    distance_m: float | None = None
    #: timer (moving) time; elapsed_s includes pauses
    duration_s: float | None = None
    elapsed_s: float | None = None
    ascent_m: float | None = None
    #: steps (not strides) per minute
    avg_cadence_spm: float | None = None
    device: str | None = None
    #: gear name as the source spells it
    shoe: str | None = None
    #: other sources found to be this same activity
    merged_sources: tuple[str, ...] = ()
    #: what the source called the sport, kept for surface and sport decisions
    sport_detail: str | None = None
    #: a Strava-export row points at the file holding the same activity
    linked_file: str | None = None
    integrity: Integrity = Integrity.COMPLETE
    #: one line saying what was recovered, repaired or left out (None when complete)
    integrity_note: str | None = None
    #: the service's own id of this activity ("garmin:12345"): what gear records link to
    external_id: str | None = None
    #: start_local is start_utc in the configured zone: the source said nothing of the
    #: place's clock (a copy that does, merged with this one, supplies it)
    zone_guessed: bool = False

    def __post_init__(self) -> None:
        if self.start_utc.tzinfo is None or self.start_utc.utcoffset() != UTC.utcoffset(None):
            raise ValueError("start_utc must be an aware UTC datetime")
        if self.start_local.tzinfo is not None:
            raise ValueError("start_local must be a naive wall-clock datetime")

    @property
    def is_run(self) -> bool:
        return self.sport is Sport.RUN

    def replace(self, **changes: Any) -> Activity:
        return dataclasses.replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        """The public JSON shape (exactly the documented keys)."""
        return {
            "id": self.id,
            "source": self.source,
            "format": self.format,
            "name": self.name,
            "sport": self.sport.value,
            "surface": self.surface.value,
            "start_utc": self.start_utc.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "start_local": self.start_local.strftime("%Y-%m-%dT%H:%M:%S"),
            "distance_m": self.distance_m,
            "duration_s": self.duration_s,
            "elapsed_s": self.elapsed_s,
            "ascent_m": self.ascent_m,
            "avg_cadence_spm": self.avg_cadence_spm,
            "device": self.device,
            "shoe": self.shoe,
            "merged_sources": list(self.merged_sources),
            "integrity": self.integrity.value,
            "integrity_note": self.integrity_note,
        }

    def flagged(self, integrity: Integrity, note: str) -> Activity:
        """This activity marked ``integrity`` (never better than it was), with ``note`` added."""
        worst = max(self.integrity, integrity, key=lambda level: level.rank)
        notes = "; ".join(n for n in (self.integrity_note, note) if n)
        return self.replace(integrity=worst, integrity_note=notes)

    def to_record(self) -> dict[str, Any]:
        """Everything, for the cache (round-trips through ``from_record``)."""
        record = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
        record["sport"] = self.sport.value
        record["surface"] = self.surface.value
        record["start_utc"] = self.start_utc.isoformat()
        record["start_local"] = self.start_local.isoformat()
        record["merged_sources"] = list(self.merged_sources)
        record["integrity"] = self.integrity.value
        return record

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> Activity:
        values = dict(record)
        values["sport"] = Sport(values["sport"])
        values["surface"] = Surface(values["surface"])
        values["start_utc"] = datetime.fromisoformat(values["start_utc"]).astimezone(UTC)
        values["start_local"] = datetime.fromisoformat(values["start_local"])
        values["merged_sources"] = tuple(values.get("merged_sources") or ())
        values["integrity"] = Integrity(values.get("integrity") or Integrity.COMPLETE)
        return cls(**values)


def activity_id(start_utc: datetime) -> str:
    """A readable, stable id: the UTC start to the second, e.g. ``20240302T074455Z``.

    Stable across re-imports, cache rebuilds and which copy of a duplicate won, so
    the user's shoe assignments keep pointing at the same run.
    """
    return start_utc.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


@dataclass(frozen=True, slots=True)
class Problem:
    """A file that was skipped, or imported with a warning, and why (one line)."""

    source: str
    reason: str
    #: "skipped" (nothing imported from it) or "warning" (imported, but note this)
    kind: str = "skipped"

    def to_dict(self) -> dict[str, str]:
        return {"source": self.source, "reason": self.reason, "kind": self.kind}


@dataclass(frozen=True, slots=True)
class Gear:
    """A pair of shoes as a service's export lists them (Garmin's gear, Strava's shoes.csv).

    What the runner set up on the service, so that it need not be typed again. It
    only ever fills blanks in the user's own shoe list (see ``userdata``).
    """

    #: the file it came from (shown to the user)
    source: str
    #: the name the service shows, as activities name it
    name: str
    brand: str | None = None
    model: str | None = None
    #: other names activities may use for it ("Brand Model")
    aliases: tuple[str, ...] = ()
    #: first and last day in service, local dates
    in_service: date | None = None
    retired_on: date | None = None
    #: the distance the runner set to retire it at
    limit_m: float | None = None
    #: a surface or "run" (as ``userdata.DEFAULT_FOR``) it is the default for
    default_for: str | None = None
    #: the service's ids of the activities it was used on ("garmin:12345")
    activities: tuple[str, ...] = ()

    def to_record(self) -> dict[str, Any]:
        record = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
        for key in ("in_service", "retired_on"):
            record[key] = None if record[key] is None else record[key].isoformat()
        record["aliases"] = list(self.aliases)
        record["activities"] = list(self.activities)
        return record

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> Gear:
        values = dict(record)
        for key in ("in_service", "retired_on"):
            values[key] = None if values.get(key) is None else date.fromisoformat(values[key])
        values["aliases"] = tuple(values.get("aliases") or ())
        values["activities"] = tuple(values.get("activities") or ())
        return cls(**values)


@dataclass(slots=True)
class ParsedFile:
    """What an importer got out of one file: activities, gear and warnings."""

    activities: list[Activity] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    gear: list[Gear] = field(default_factory=list)
