"""Sport and surface from what sources call them.

Sources label activities in many vocabularies: FIT ``sport``/``sub_sport`` enums,
Strava's activity types ("Trail Run", "VirtualRun", numeric GPX codes), TCX's
``Sport`` attribute, Garmin Connect's CSV types (localised), and free-text names.
Each importer passes its labels here so the mapping lives in one place.
"""

from __future__ import annotations

import re
from functools import cache

from loadwatch.model import Sport, Surface

#: sports done on foot: the only ones with a running surface and a step cadence
ON_FOOT = frozenset({Sport.RUN, Sport.WALK, Sport.HIKE})


def _norm(label: str) -> str:
    return re.sub(r"[\s_\-]+", " ", label.strip().lower())


# Labels are compared after lower-casing and collapsing "_", "-" and spaces.
_RUN_SURFACES: dict[str, Surface] = {
    # FIT sub_sport
    "treadmill": Surface.TREADMILL,
    "indoor running": Surface.TREADMILL,
    "virtual activity": Surface.TREADMILL,
    "street": Surface.ROAD,
    "road": Surface.ROAD,
    "trail": Surface.TRAIL,
    "track": Surface.TRACK,
    # Strava / Garmin Connect activity types
    "trail run": Surface.TRAIL,
    "trailrun": Surface.TRAIL,
    "trail running": Surface.TRAIL,
    "virtual run": Surface.TREADMILL,
    "virtualrun": Surface.TREADMILL,
    "treadmill running": Surface.TREADMILL,
    "treadmill run": Surface.TREADMILL,
    "indoor run": Surface.TREADMILL,
    "track running": Surface.TRACK,
    "track run": Surface.TRACK,
    "street running": Surface.ROAD,
    "road running": Surface.ROAD,
    # Garmin Connect in other languages
    "laufband": Surface.TREADMILL,
    "laufbandtraining": Surface.TREADMILL,
    "trailrunning": Surface.TRAIL,
    "bahnlauf": Surface.TRACK,
    "tapis de course": Surface.TREADMILL,
    "course sur tapis": Surface.TREADMILL,
    "course sur piste": Surface.TRACK,
    "course sur sentier": Surface.TRAIL,
    "cinta": Surface.TREADMILL,
    "carrera en cinta": Surface.TREADMILL,
    "carrera por montaña": Surface.TRAIL,
    "carrera en pista": Surface.TRACK,
    "tapis roulant": Surface.TREADMILL,
    "corsa su tapis": Surface.TREADMILL,
    "corsa su tapis roulant": Surface.TREADMILL,
    "corsa su pista": Surface.TRACK,
    "indoor laufen": Surface.TREADMILL,
    "loopband": Surface.TREADMILL,
    "loopbandtraining": Surface.TREADMILL,
    "grass": Surface.GRASS,
    "mixed": Surface.MIXED,
}

_SPORTS: dict[str, Sport] = {
    "run": Sport.RUN,
    "running": Sport.RUN,
    # FIT files from gym machines say sport=fitness_equipment, sub_sport=treadmill
    "treadmill": Sport.RUN,
    "trail run": Sport.RUN,
    "trailrun": Sport.RUN,
    "trail running": Sport.RUN,
    "virtual run": Sport.RUN,
    "virtualrun": Sport.RUN,
    "treadmill running": Sport.RUN,
    "treadmill run": Sport.RUN,
    "indoor running": Sport.RUN,
    "indoor run": Sport.RUN,
    "track running": Sport.RUN,
    "track run": Sport.RUN,
    "street running": Sport.RUN,
    "road running": Sport.RUN,
    "ultra run": Sport.RUN,
    "obstacle run": Sport.RUN,
    "laufen": Sport.RUN,
    "lauf": Sport.RUN,
    "laufband": Sport.RUN,
    "laufbandtraining": Sport.RUN,
    "trailrunning": Sport.RUN,
    "bahnlauf": Sport.RUN,
    "course à pied": Sport.RUN,
    "course a pied": Sport.RUN,
    "course": Sport.RUN,
    "tapis de course": Sport.RUN,
    "course sur tapis": Sport.RUN,
    "course sur piste": Sport.RUN,
    "course sur sentier": Sport.RUN,
    "carrera": Sport.RUN,
    "correr": Sport.RUN,
    "carrera en cinta": Sport.RUN,
    "carrera por montaña": Sport.RUN,
    "carrera en pista": Sport.RUN,
    "corsa": Sport.RUN,
    "corsa su tapis": Sport.RUN,
    "corsa su tapis roulant": Sport.RUN,
    "corsa su pista": Sport.RUN,
    "indoor laufen": Sport.RUN,
    # French Garmin Connect calls trail running just "Trail"
    "trail": Sport.RUN,
    "hardlopen": Sport.RUN,
    "loopband": Sport.RUN,
    "loopbandtraining": Sport.RUN,
    "walk": Sport.WALK,
    "walking": Sport.WALK,
    "gehen": Sport.WALK,
    "marche": Sport.WALK,
    "caminar": Sport.WALK,
    "wandelen": Sport.WALK,
    "camminata": Sport.WALK,
    "caminata": Sport.WALK,
    "hike": Sport.HIKE,
    "hiking": Sport.HIKE,
    "wandern": Sport.HIKE,
    "randonnée": Sport.HIKE,
    "senderismo": Sport.HIKE,
    "escursionismo": Sport.HIKE,
    "hiken": Sport.HIKE,
    "ride": Sport.RIDE,
    "cycling": Sport.RIDE,
    "biking": Sport.RIDE,
    "bike": Sport.RIDE,
    "road cycling": Sport.RIDE,
    "mountain biking": Sport.RIDE,
    "mountain bike ride": Sport.RIDE,
    "gravel ride": Sport.RIDE,
    "gravel cycling": Sport.RIDE,
    "indoor cycling": Sport.RIDE,
    "virtual ride": Sport.RIDE,
    "virtualride": Sport.RIDE,
    "e bike ride": Sport.RIDE,
    "ebikeride": Sport.RIDE,
    "e biking": Sport.RIDE,
    "radfahren": Sport.RIDE,
    "cyclisme": Sport.RIDE,
    "ciclismo": Sport.RIDE,
    "fietsen": Sport.RIDE,
    "swim": Sport.SWIM,
    "swimming": Sport.SWIM,
    "pool swim": Sport.SWIM,
    "pool swimming": Sport.SWIM,
    "lap swimming": Sport.SWIM,
    "open water swimming": Sport.SWIM,
    "open water swim": Sport.SWIM,
    "schwimmen": Sport.SWIM,
    "natation": Sport.SWIM,
    "natación": Sport.SWIM,
    "zwemmen": Sport.SWIM,
    "nuoto": Sport.SWIM,
}

# Strava writes its activity type into GPX <type> as a number.
_STRAVA_GPX_CODES: dict[str, Sport] = {
    "1": Sport.RIDE,
    "4": Sport.HIKE,
    "9": Sport.RUN,
    "10": Sport.WALK,
    "16": Sport.SWIM,
    "17": Sport.RIDE,
}

_NAME_KEYWORDS: tuple[tuple[re.Pattern[str], Surface], ...] = (
    (
        re.compile(r"\b(treadmill|tread mill|laufband|tapis|loopband|indoor run)", re.I),
        Surface.TREADMILL,
    ),
    (re.compile(r"\b(track|piste|bahn|400 ?m repeats|oval)\b", re.I), Surface.TRACK),
    (
        re.compile(r"\b(trails?|singletrack|fell|mountain|sentier|ultra trail)\b", re.I),
        Surface.TRAIL,
    ),
    (re.compile(r"\b(grass|field|park run on grass|cross ?country|xc)\b", re.I), Surface.GRASS),
)


#: the canonical type keys of the export vocabulary (``csv_vocabulary``) -> sport and,
#: for running, the surface the type implies. Keys whose sport is ``other`` are known
#: words for activities that are not running load (a gym session, yoga): understood,
#: so never reported as unknown.
TYPE_KEYS: dict[str, tuple[Sport, Surface | None]] = {
    "running": (Sport.RUN, None),
    "treadmill_running": (Sport.RUN, Surface.TREADMILL),
    "indoor_running": (Sport.RUN, Surface.TREADMILL),
    "virtual_run": (Sport.RUN, Surface.TREADMILL),
    "trail_running": (Sport.RUN, Surface.TRAIL),
    "track_running": (Sport.RUN, Surface.TRACK),
    "street_running": (Sport.RUN, Surface.ROAD),
    "ultra_run": (Sport.RUN, None),
    "obstacle_run": (Sport.RUN, None),
    "walking": (Sport.WALK, None),
    "hiking": (Sport.HIKE, None),
    "cycling": (Sport.RIDE, None),
    "indoor_cycling": (Sport.RIDE, None),
    "road_biking": (Sport.RIDE, None),
    "mountain_biking": (Sport.RIDE, None),
    "gravel_cycling": (Sport.RIDE, None),
    "swimming": (Sport.SWIM, None),
    "lap_swimming": (Sport.SWIM, None),
    "open_water_swimming": (Sport.SWIM, None),
    "strength_training": (Sport.OTHER, None),
    "cardio": (Sport.OTHER, None),
    "yoga": (Sport.OTHER, None),
    "elliptical": (Sport.OTHER, None),
    "rowing": (Sport.OTHER, None),
    "multi_sport": (Sport.OTHER, None),
    "other": (Sport.OTHER, None),
}


@cache
def _vocabulary() -> dict[str, str]:
    """Every activity-type word of the export vocabulary, as compared, -> its type key."""
    # imported here: the vocabulary is large and only the table importers need it
    from loadwatch.ingest.importers.csv_vocabulary import GARMIN_TYPES, STRAVA_TYPES

    words: dict[str, str] = {}
    for table in (*GARMIN_TYPES.values(), *STRAVA_TYPES.values()):
        for word, key in table.items():
            words.setdefault(_norm(word), key)
    return words


def type_key(label: str | None) -> str | None:
    """The canonical type key of an export's activity-type word ("Løb" -> running)."""
    if not label:
        return None
    text = _norm(label)
    # Garmin's JSON exports name the type by its key ("trail_running")
    as_key = text.replace(" ", "_")
    return _vocabulary().get(text) or (as_key if as_key in TYPE_KEYS else None)


def understood(label: str | None) -> bool:
    """Whether a source's type word is one loadwatch knows (as a sport or as not one)."""
    return sport_from_type(label) is not None or type_key(label) is not None


def sport_from_label(label: str | None) -> Sport | None:
    """The sport a source label names, or ``None`` if the label says nothing we know."""
    if not label:
        return None
    text = _norm(label)
    if text in _STRAVA_GPX_CODES:
        return _STRAVA_GPX_CODES[text]
    if text in _SPORTS:
        return _SPORTS[text]
    if "run" in text.split() or text.endswith("running"):
        return Sport.RUN
    return None


def sport_from_type(label: str | None) -> Sport | None:
    """The sport a source's activity-type label names, in any language of the vocabulary.

    Only for type columns and fields: the vocabulary's words ("Gang", "Lari") are
    ordinary words in free-text names, where ``sport_from_label`` is used instead.
    """
    found = sport_from_label(label)
    if found is None:
        key = type_key(label)
        if key is not None and TYPE_KEYS[key][0] is not Sport.OTHER:
            found = TYPE_KEYS[key][0]
    return found


def surface_from_label(label: str | None) -> Surface | None:
    """The running surface a source label names (FIT sub_sport, activity type...)."""
    if not label:
        return None
    text = _norm(label)
    found = _RUN_SURFACES.get(text)
    if found is None:
        key = type_key(label)
        found = None if key is None else TYPE_KEYS[key][1]
    return found


def surface_from_name(name: str | None) -> Surface | None:
    """A surface a free-text activity name suggests ("Track 8x400", "Treadmill easy")."""
    if not name:
        return None
    for pattern, surface in _NAME_KEYWORDS:
        if pattern.search(name):
            return surface
    return None


def classify(*labels: str | None, name: str | None = None) -> tuple[Sport, Surface]:
    """Sport and surface from source labels (most specific first) and the name.

    The first label that names a sport decides the sport (``other`` if none does);
    the first label that names a surface decides it, else the name's keywords,
    else ``unknown``. Surface only means something for runs and walks on foot.
    """
    sport = next((s for s in map(sport_from_type, labels) if s is not None), Sport.OTHER)
    surface = next((s for s in map(surface_from_label, labels) if s is not None), None)
    if surface is None:
        surface = surface_from_name(name)
    if sport not in ON_FOOT:
        return sport, Surface.UNKNOWN
    return sport, surface or Surface.UNKNOWN
