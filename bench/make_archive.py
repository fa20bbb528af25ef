"""A synthetic multi-year export archive for the import benchmark, cached by its parameters.

Usage: ``python bench/make_archive.py [--years 10]`` (``bench/run.py`` calls it itself).

One runner's years of training, written the way devices and services write them:

- about 5.9 activities a week (a few walks and rides among the runs), 30 to 150
  minutes each, recorded every second;
- about 75% FIT written with Garmin's FIT SDK Encoder as a watch writes them (file_id,
  file_creator, device_info, sport, timer events, per-second records with running
  dynamics, a lap per kilometre, session, activity), 15% GPX, 10% TCX;
- about half the activities were uploaded to Strava: they sit gzipped in a Strava bulk
  export (``strava_export/activities/*.gz``) with their row in ``activities.csv``,
  which names their shoe; a few of those FIT files were also copied off the watch
  (the same run from two sources) and a few rows were typed in by hand (no file);
- the rest are plain files off the watch (``watch/*.fit``) or a phone app (``phone/``).

Everything comes from a seed (one ``random.Random`` per activity, gzip with mtime 0,
file times set to each activity's end), so the same parameters always give the same
archive. Generating ten years takes minutes, so each archive is kept under
``bench/archive/<key>/`` (gitignored) and reused. Beside the archive the cache keeps
``next_week/``: one more week of watch and phone files, for the update measurement.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import importlib.util
import io
import json
import math
import os
import random
import shutil
import sys
import time
from collections import Counter
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from types import ModuleType
from typing import Any
from zoneinfo import ZoneInfo

from garmin_fit_sdk import Encoder, Profile

BENCH = Path(__file__).resolve().parent
PROJECT = BENCH.parent
DEFAULT_CACHE = BENCH / "archive"
#: bump when the generator's output changes, so stale cached archives are not reused
GENERATOR_VERSION = 2
DEFAULT_SEED = 20261122
#: the archive's last day (a Sunday); it starts ``years`` before
LAST_DAY = date(2026, 11, 22)
TIMEZONE = "Europe/London"
ZONE = ZoneInfo(TIMEZONE)
#: phone apps and Garmin Connect's GPX/TCX exports of a 1 s watch file are 1 s too
XML_INTERVAL_S = 1

#: (first year in use, Garmin product id, name) of the runner's watches over the decade
WATCHES = ((0, 2158, "fr735xt"), (2019, 3113, "fr945"), (2023, 4024, "fr955"))
SHOE_MODELS = ("Brooks Ghost", "ASICS Novablast", "Saucony Ride", "Hoka Clifton")
TRAIL_SHOES = ("Salomon Speedcross", "Hoka Speedgoat")
#: km a pair of road shoes lasts before the runner replaces it
SHOE_LIFE_KM = 700.0
#: centres of the loops the runner runs (home streets, a park, hills for trail runs)
PLACES = {
    "street": ((51.4341, -0.2310), (51.4452, -0.1950)),
    "trail": ((51.2560, -0.3150), (54.5950, -3.1390)),
    "track": ((51.4352, -0.2019),),
}


def _load_sample_module() -> ModuleType:
    """The sample archive generator, whose geometry and export layouts are reused here."""
    path = PROJECT / "scripts" / "make_sample_activities.py"
    spec = importlib.util.spec_from_file_location("make_sample_activities", path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("make_sample_activities", module)
    spec.loader.exec_module(module)
    return module


sample = _load_sample_module()


#: (tree, path inside it, bytes on disk, bytes once decompressed) of one written file
Written = tuple[str, str, int, int]


@dataclass(frozen=True, slots=True)
class Params:
    """Everything that decides the archive's bytes (and so its cache key)."""

    weeks: int
    seed: int = DEFAULT_SEED
    #: shrinks every activity's duration (tests use a small value to stay fast)
    duration_scale: float = 1.0
    #: seconds between GPX and TCX points (FIT is always every second)
    xml_interval_s: int = XML_INTERVAL_S

    @property
    def key(self) -> str:
        scale = "" if self.duration_scale == 1.0 else f"-d{self.duration_scale:g}"
        xml = "" if self.xml_interval_s == XML_INTERVAL_S else f"-x{self.xml_interval_s}"
        return f"w{self.weeks}-s{self.seed}{scale}{xml}-v{GENERATOR_VERSION}"


def weeks_for_years(years: float) -> int:
    return max(1, round(years * 52))


@dataclass(frozen=True, slots=True)
class Planned:
    """One activity and where its file (or CSV row) goes."""

    index: int
    start_utc: datetime
    sport: str  # FIT sport: running, walking, cycling
    sub_sport: str  # street, trail, track, treadmill, generic, road
    kind: str  # easy, recovery, workout, long, other
    moving_s: int
    pause_s: int
    pace_s_per_km: float
    fmt: str  # fit, gpx, tcx, or manual (a Strava row typed in by hand)
    strava: bool
    #: a Strava-uploaded FIT also copied off the watch: the same run from two sources
    duplicate: bool
    shoe: str | None
    strava_id: int | None
    seed: str

    @property
    def is_run(self) -> bool:
        return self.sport == "running"

    @property
    def local_start(self) -> datetime:
        return self.start_utc.astimezone(ZONE).replace(tzinfo=None)

    @property
    def file_path(self) -> str | None:
        """Where the activity's own file sits in the archive (None for a manual row)."""
        if self.fmt == "manual":
            return None
        if self.strava:
            return f"strava_export/activities/{self.strava_id}.{self.fmt}.gz"
        return self.plain_path

    @property
    def plain_path(self) -> str:
        stamp = self.local_start
        if self.fmt == "fit":
            return f"watch/{stamp:%Y-%m-%d-%H-%M-%S}.fit"
        return f"phone/{self.sport}-{stamp:%Y%m%d-%H%M%S}.{self.fmt}"


# --------------------------------------------------------------------------- the plan


def first_monday(params: Params) -> date:
    last_monday = LAST_DAY - timedelta(days=LAST_DAY.weekday())
    return last_monday - timedelta(weeks=params.weeks - 1)


def plan(params: Params, *, extra_weeks: int = 0) -> list[Planned]:
    """Every activity of ``params.weeks`` weeks (plus ``extra_weeks`` after the last)."""
    rng = random.Random(f"plan:{params.seed}")
    monday = first_monday(params)
    shoe_km: dict[str, float] = {}
    shoe_count = Counter[str]()
    current = {
        "road": _new_shoe("road", rng, shoe_count),
        "trail": _new_shoe("trail", rng, shoe_count),
    }
    strava_id = 1_200_000_000
    out: list[Planned] = []
    for week in range(params.weeks + extra_weeks):
        start = monday + timedelta(weeks=week)
        days: list[tuple[int, str, str, str]] = []  # weekday, sport, kind, sub_sport
        off = rng.random() < 0.03  # a few weeks off (illness, holidays) each year
        # the week added for the update measurement always has runs to add
        if not off or week >= params.weeks:
            count = rng.choice((4, 5, 6, 6, 6, 7, 7))
            weekdays = sorted(rng.sample(range(7), count))
            long_day = 6 if 6 in weekdays else weekdays[-1]
            workouts = set(rng.sample([d for d in weekdays if d != long_day], min(2, count - 1)))
            trail_week = rng.random() < 0.12
            for day in weekdays:
                kind = (
                    "long"
                    if day == long_day
                    else "workout"
                    if day in workouts
                    else ("recovery" if rng.random() < 0.15 else "easy")
                )
                if trail_week and kind != "workout":
                    sub = "trail"
                elif kind == "workout" and rng.random() < 0.35:
                    sub = "track"
                elif kind != "long" and rng.random() < 0.05:
                    sub = "treadmill"
                else:
                    sub = "street"
                days.append((day, "running", kind, sub))
            if rng.random() < 0.3:
                other = rng.choice(("walking", "cycling"))
                days.append(
                    (rng.randrange(7), other, "other", "generic" if other == "walking" else "road")
                )
        for day, sport, kind, sub in days:
            minutes = {
                "easy": (30, 75),
                "recovery": (30, 45),
                "workout": (45, 90),
                "long": (90, 150),
                "other": (40, 90),
            }[kind]
            moving = int(rng.uniform(*minutes) * 60 * params.duration_scale)
            moving = max(moving, 60)
            pace = {
                "easy": 330.0,
                "recovery": 370.0,
                "workout": 290.0,
                "long": 340.0,
            }.get(kind, 700.0 if sport == "walking" else 130.0) * rng.uniform(0.93, 1.07)
            hour, minute = (6, 30) if day < 5 else (8, 30)
            local = datetime.combine(start + timedelta(days=day), datetime.min.time()).replace(
                hour=hour, minute=minute
            ) + timedelta(seconds=rng.randrange(0, 12 * 3600))
            if sport == "running" and kind != "long" and day < 5 and rng.random() < 0.4:
                local = local.replace(hour=18)  # an evening run after work
            start_utc = local.replace(tzinfo=ZONE).astimezone(UTC)
            last_week = week >= params.weeks
            if sub == "treadmill" or sport != "running":
                fmt = "fit"
            else:
                draw = rng.random()
                # shares chosen so that, with treadmill runs and other sports always
                # FIT, the whole archive is about 75% FIT, 15% GPX and 10% TCX
                fmt = "fit" if draw < 0.733 else "gpx" if draw < 0.893 else "tcx"
            strava = not last_week and rng.random() < 0.5
            if strava and sport == "running" and rng.random() < 0.015:
                fmt = "manual"
            duplicate = strava and fmt == "fit" and rng.random() < 0.05
            shoe = None
            if sport == "running":
                surface = "trail" if sub == "trail" else "road"
                shoe = current[surface]
                shoe_km[shoe] = shoe_km.get(shoe, 0.0) + moving / pace
                if shoe_km[shoe] > SHOE_LIFE_KM * rng.uniform(0.85, 1.15):
                    current[surface] = _new_shoe(surface, rng, shoe_count)
            if strava:
                strava_id += rng.randint(20_000_000, 90_000_000)
            out.append(
                Planned(
                    index=len(out),
                    start_utc=start_utc,
                    sport=sport,
                    sub_sport=sub,
                    kind=kind,
                    moving_s=moving,
                    pause_s=rng.choice((0, 0, 0, 0, rng.randint(20, 300))),
                    pace_s_per_km=round(pace, 1),
                    fmt=fmt,
                    strava=strava,
                    duplicate=duplicate,
                    shoe=shoe,
                    strava_id=strava_id if strava else None,
                    seed=f"{params.seed}:{len(out)}",
                )
            )
    out.sort(key=lambda p: p.start_utc)
    return out


def _new_shoe(surface: str, rng: random.Random, count: Counter[str]) -> str:
    model = rng.choice(TRAIL_SHOES if surface == "trail" else SHOE_MODELS)
    count[model] += 1
    return f"{model} #{count[model]}"


# --------------------------------------------------------------------------- tracks


@dataclass(frozen=True, slots=True)
class Point:
    timer_s: int
    wall_s: int
    distance_m: float
    speed_ms: float
    lat: float | None
    lon: float | None
    ele_m: float
    hr: int
    cadence: int


def track(activity: Planned, interval_s: int = 1) -> list[Point]:
    """What the device recorded, one point every ``interval_s`` seconds of timer time."""
    rng = random.Random(f"track:{activity.seed}")
    speed = 1000.0 / activity.pace_s_per_km
    total = activity.moving_s
    pause_at = int(total * rng.uniform(0.3, 0.7)) if activity.pause_s else None
    gps = activity.sub_sport != "treadmill"
    places = PLACES.get(activity.sub_sport, PLACES["street"])
    centre = places[rng.randrange(len(places))]
    phase, lobes = rng.uniform(0, 2 * math.pi), rng.randint(2, 5)
    hilly = activity.sub_sport == "trail"
    base = rng.uniform(20.0, 120.0)
    amp = rng.uniform(40.0, 140.0) if hilly else rng.uniform(3.0, 12.0)
    wave = rng.uniform(0, 2 * math.pi)
    intervals = activity.kind == "workout"
    expected_m = total * speed
    radius = max(expected_m, 400.0) / (2 * math.pi)
    hr_base = 120 + (25 if intervals else 15 if activity.kind == "long" else 10)
    stride = (
        80 + rng.randint(0, 8)
        if activity.sport == "running"
        else (55 if activity.sport == "walking" else 85)
    )
    points: list[Point] = []
    distance = 0.0
    for t in range(0, total + 1, interval_s):
        surge = 0.25 * math.sin(2 * math.pi * t / 360.0) if intervals else 0.0
        v = speed * (1.0 + surge + 0.04 * math.sin(t / 47.0) + rng.uniform(-0.03, 0.03))
        if t:
            distance += v * interval_s
        fraction = (distance / max(expected_m, 1.0)) % 1.0
        if gps:
            lat, lon = sample.route_point(centre, radius, phase, fraction, lobes)
        else:
            lat = lon = None
        ele = base + amp * math.sin(2 * math.pi * fraction + wave) + 0.3 * math.sin(t / 13.0)
        wall = t + (activity.pause_s if pause_at is not None and t > pause_at else 0)
        points.append(
            Point(
                timer_s=t,
                wall_s=wall,
                distance_m=round(distance, 2),
                speed_ms=round(v, 3),
                lat=lat,
                lon=lon,
                ele_m=round(ele * 5) / 5,
                hr=int(hr_base + 20 * (1 - math.exp(-t / 300.0)) + 8 * surge * 4),
                cadence=stride + (t % 3) - 1,
            )
        )
    return points


# --------------------------------------------------------------------------- FIT


def watch_for(activity: Planned) -> tuple[int, str]:
    product, name = WATCHES[0][1], WATCHES[0][2]
    for since, number, watch in WATCHES:
        if activity.start_utc.year >= since:
            product, name = number, watch
    return product, name


def fit_bytes(activity: Planned, points: Sequence[Point]) -> bytes:
    """The activity as a Garmin watch writes it, through the Garmin FIT SDK's Encoder."""
    mesg = Profile["mesg_num"]
    product, _ = watch_for(activity)
    serial = 3_300_000_000 + product
    start = activity.start_utc
    end = start + timedelta(seconds=points[-1].wall_s)
    offset = int(start.astimezone(ZONE).utcoffset().total_seconds())  # type: ignore[union-attr]
    running = activity.sport == "running"
    enc = Encoder()
    enc.write_mesg(
        {
            "mesg_num": mesg["FILE_ID"],
            "type": "activity",
            "manufacturer": "garmin",
            "product": product,
            "serial_number": serial,
            "time_created": start,
        }
    )
    enc.write_mesg({"mesg_num": mesg["FILE_CREATOR"], "software_version": 2119})
    for index, (device_type, device_product) in enumerate(((None, product), (120, 2697))):
        info: dict[str, Any] = {
            "mesg_num": mesg["DEVICE_INFO"],
            "timestamp": start,
            "device_index": index,
            "manufacturer": "garmin",
            "product": device_product,
            "serial_number": serial + index,
            "software_version": 21.19,
        }
        if device_type is not None:
            info["device_type"] = device_type  # an ANT+ heart-rate strap
        enc.write_mesg(info)
    enc.write_mesg(
        {
            "mesg_num": mesg["SPORT"],
            "sport": activity.sport,
            "sub_sport": activity.sub_sport,
            "name": activity.sport.title(),
        }
    )
    enc.write_mesg(
        {
            "mesg_num": mesg["EVENT"],
            "timestamp": start,
            "event": "timer",
            "event_type": "start",
            "event_group": 0,
        }
    )
    lap_every = 5000.0 if activity.sport == "cycling" else 1000.0
    next_lap = lap_every
    lap_first = 0
    laps = 0
    previous: Point | None = None
    for i, p in enumerate(points):
        moment = start + timedelta(seconds=p.wall_s)
        if previous is not None and p.wall_s - previous.wall_s != p.timer_s - previous.timer_s:
            enc.write_mesg(
                {
                    "mesg_num": mesg["EVENT"],
                    "timestamp": start + timedelta(seconds=previous.wall_s),
                    "event": "timer",
                    "event_type": "stop_all",
                    "event_group": 0,
                }
            )
            enc.write_mesg(
                {
                    "mesg_num": mesg["EVENT"],
                    "timestamp": moment,
                    "event": "timer",
                    "event_type": "start",
                    "event_group": 0,
                }
            )
        record: dict[str, Any] = {"mesg_num": mesg["RECORD"], "timestamp": moment}
        if p.lat is not None and p.lon is not None:
            record["position_lat"] = sample.semicircles(p.lat)
            record["position_long"] = sample.semicircles(p.lon)
        record["distance"] = p.distance_m
        record["enhanced_altitude"] = p.ele_m
        record["enhanced_speed"] = p.speed_ms
        record["heart_rate"] = p.hr
        record["cadence"] = p.cadence
        record["temperature"] = 18 + (p.timer_s // 900) % 4
        if running:
            record["fractional_cadence"] = 0.5 * (p.timer_s % 2)
            record["vertical_oscillation"] = 80.0 + (p.timer_s % 7)
            record["stance_time"] = 240.0 + (p.timer_s % 11)
            record["step_length"] = 1000.0 + 10 * (p.timer_s % 9)
            record["power"] = 230 + (p.timer_s % 17)
        enc.write_mesg(record)
        last = i == len(points) - 1
        if p.distance_m >= next_lap or last:
            if last:
                enc.write_mesg(
                    {
                        "mesg_num": mesg["EVENT"],
                        "timestamp": moment,
                        "event": "timer",
                        "event_type": "stop_all",
                        "event_group": 0,
                    }
                )
            enc.write_mesg(_lap(activity, points[lap_first], p, laps, last))
            laps += 1
            lap_first = i
            while next_lap <= p.distance_m:
                next_lap += lap_every
        previous = p
    distance = points[-1].distance_m
    moving = float(points[-1].timer_s)
    ascent = sum(max(0.0, b.ele_m - a.ele_m) for a, b in zip(points, points[1:], strict=False))
    descent = sum(max(0.0, a.ele_m - b.ele_m) for a, b in zip(points, points[1:], strict=False))
    session: dict[str, Any] = {
        "mesg_num": mesg["SESSION"],
        "message_index": 0,
        "timestamp": end,
        "event": "session",
        "event_type": "stop",
        "start_time": start,
        "sport": activity.sport,
        "sub_sport": activity.sub_sport,
        "total_elapsed_time": float(points[-1].wall_s),
        "total_timer_time": moving,
        "total_distance": distance,
        "total_calories": int(distance / 1000.0 * 64),
        "enhanced_avg_speed": round(distance / moving, 3) if moving else 0.0,
        "enhanced_max_speed": round(max(p.speed_ms for p in points), 3),
        "avg_heart_rate": sum(p.hr for p in points) // len(points),
        "max_heart_rate": max(p.hr for p in points),
        "avg_cadence": sum(p.cadence for p in points) // len(points),
        "total_ascent": int(round(ascent)),
        "total_descent": int(round(descent)),
        "first_lap_index": 0,
        "num_laps": laps,
        "trigger": "activity_end",
    }
    if points[0].lat is not None and points[0].lon is not None:
        session["start_position_lat"] = sample.semicircles(points[0].lat)
        session["start_position_long"] = sample.semicircles(points[0].lon)
    enc.write_mesg(session)
    enc.write_mesg(
        {
            "mesg_num": mesg["ACTIVITY"],
            "timestamp": end,
            "total_timer_time": moving,
            "num_sessions": 1,
            "type": "manual",
            "event": "activity",
            "event_type": "stop",
            "local_timestamp": sample.fit_time(end) + offset,
        }
    )
    return bytes(enc.close())


def _lap(activity: Planned, a: Point, b: Point, index: int, final: bool) -> dict[str, Any]:
    distance = round(b.distance_m - a.distance_m, 2)
    timer = b.timer_s - a.timer_s
    return {
        "mesg_num": Profile["mesg_num"]["LAP"],
        "message_index": index,
        "timestamp": activity.start_utc + timedelta(seconds=b.wall_s),
        "event": "lap",
        "event_type": "stop",
        "start_time": activity.start_utc + timedelta(seconds=a.wall_s),
        "total_elapsed_time": float(b.wall_s - a.wall_s),
        "total_timer_time": float(timer),
        "total_distance": distance,
        "enhanced_avg_speed": round(distance / timer, 3) if timer else 0.0,
        "avg_heart_rate": (a.hr + b.hr) // 2,
        "sport": activity.sport,
        "lap_trigger": "session_end" if final else "distance",
    }


# --------------------------------------------------------------------------- GPX and TCX


def gpx_bytes(activity: Planned, points: Sequence[Point]) -> bytes:
    """A GPX track as a phone app (or Strava's original-file export) writes it."""
    out = io.StringIO()
    out.write(sample.GPX_HEAD.format(creator="StravaGPX Android"))
    kind = "trail_running" if activity.sub_sport == "trail" else "running"
    start = activity.start_utc
    out.write(f" <metadata>\n  <time>{sample.iso_z(start)}</time>\n </metadata>\n")
    out.write(f" <trk>\n  <name>{_name(activity)}</name>\n  <type>{kind}</type>\n  <trkseg>\n")
    for p in points:
        out.write(
            f'   <trkpt lat="{p.lat:.7f}" lon="{p.lon:.7f}">\n'
            f"    <ele>{p.ele_m:.1f}</ele>\n"
            f"    <time>{sample.iso_z(start + timedelta(seconds=p.wall_s))}</time>\n"
            "    <extensions><gpxtpx:TrackPointExtension>"
            f"<gpxtpx:hr>{p.hr}</gpxtpx:hr><gpxtpx:cad>{p.cadence}</gpxtpx:cad>"
            "</gpxtpx:TrackPointExtension></extensions>\n"
            "   </trkpt>\n"
        )
    out.write("  </trkseg>\n </trk>\n</gpx>\n")
    return out.getvalue().encode()


def tcx_bytes(activity: Planned, points: Sequence[Point]) -> bytes:
    """A Garmin Connect style TCX: a lap per kilometre with totals, every point in it."""
    out = io.StringIO()
    start = activity.start_utc
    out.write(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2"'
        ' xmlns:ns3="http://www.garmin.com/xmlschemas/ActivityExtension/v2"'
        ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
        "  <Activities>\n"
        '    <Activity Sport="Running">\n'
        f"      <Id>{sample.iso_z(start)}</Id>\n"
    )
    bounds: list[tuple[int, int]] = []
    first, next_km = 0, 1000.0
    for i, p in enumerate(points):
        if p.distance_m >= next_km or i == len(points) - 1:
            bounds.append((first, i))
            first = i
            while next_km <= p.distance_m:
                next_km += 1000.0
    for lap_first, lap_last in bounds:
        a, b = points[lap_first], points[lap_last]
        metres = b.distance_m - a.distance_m
        out.write(
            f'      <Lap StartTime="{sample.iso_z(start + timedelta(seconds=a.wall_s))}">\n'
            f"        <TotalTimeSeconds>{b.timer_s - a.timer_s:.1f}</TotalTimeSeconds>\n"
            f"        <DistanceMeters>{metres:.2f}</DistanceMeters>\n"
            f"        <Calories>{int(metres / 1000 * 64)}</Calories>\n"
            f"        <AverageHeartRateBpm><Value>{(a.hr + b.hr) // 2}</Value>"
            "</AverageHeartRateBpm>\n"
            "        <Intensity>Active</Intensity>\n"
            "        <TriggerMethod>Distance</TriggerMethod>\n"
            "        <Track>\n"
        )
        for p in points[lap_first + (1 if lap_first else 0) : lap_last + 1]:
            out.write(
                "          <Trackpoint>\n"
                f"            <Time>{sample.iso_z(start + timedelta(seconds=p.wall_s))}</Time>\n"
                f"            <Position><LatitudeDegrees>{p.lat:.7f}</LatitudeDegrees>"
                f"<LongitudeDegrees>{p.lon:.7f}</LongitudeDegrees></Position>\n"
                f"            <AltitudeMeters>{p.ele_m:.1f}</AltitudeMeters>\n"
                f"            <DistanceMeters>{p.distance_m:.2f}</DistanceMeters>\n"
                f"            <HeartRateBpm><Value>{p.hr}</Value></HeartRateBpm>\n"
                "            <Extensions><ns3:TPX>"
                f"<ns3:Speed>{p.speed_ms:.3f}</ns3:Speed>"
                f"<ns3:RunCadence>{p.cadence}</ns3:RunCadence></ns3:TPX></Extensions>\n"
                "          </Trackpoint>\n"
            )
        out.write("        </Track>\n      </Lap>\n")
    out.write(
        '      <Creator xsi:type="Device_t">\n'
        "        <Name>Forerunner 945</Name>\n        <UnitId>3300003113</UnitId>\n"
        "        <ProductID>3113</ProductID>\n"
        "      </Creator>\n"
        "    </Activity>\n  </Activities>\n</TrainingCenterDatabase>\n"
    )
    return out.getvalue().encode()


def _name(activity: Planned) -> str:
    part = (
        "Morning"
        if activity.local_start.hour < 12
        else "Afternoon"
        if activity.local_start.hour < 17
        else "Evening"
    )
    label = {"running": "Run", "walking": "Walk", "cycling": "Ride"}[activity.sport]
    if activity.sub_sport == "trail":
        label = "Trail Run"
    return f"{part} {label}"


# --------------------------------------------------------------------------- writing


def _write(root: Path, relative: str, data: bytes, mtime: float) -> int:
    target = root / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    os.utime(target, (mtime, mtime))
    return len(data)


def write_activity(
    activity: Planned,
    archive: Path,
    next_week: Path,
    last_day: date,
    xml_interval_s: int = XML_INTERVAL_S,
) -> tuple[list[Written], float]:
    """Write one activity's file(s): (tree, path, bytes on disk, bytes decompressed) of
    each, and the distance its file states (the Strava row repeats it)."""
    if activity.fmt == "manual":
        return [], round(activity.moving_s * 1000.0 / activity.pace_s_per_km, -1)
    points = track(activity, 1 if activity.fmt == "fit" else xml_interval_s)
    payload = {"fit": fit_bytes, "gpx": gpx_bytes, "tcx": tcx_bytes}[activity.fmt](activity, points)
    mtime = (activity.start_utc + timedelta(seconds=points[-1].wall_s + 60)).timestamp()
    written = []
    if activity.local_start.date() > last_day:
        size = _write(next_week, activity.plain_path, payload, mtime)
        return [("next_week", activity.plain_path, size, len(payload))], points[-1].distance_m
    if activity.strava:
        path = activity.file_path
        assert path is not None
        packed = gzip.compress(payload, compresslevel=6, mtime=0)
        written.append(("archive", path, _write(archive, path, packed, mtime), len(payload)))
    if not activity.strava or activity.duplicate:
        path = activity.plain_path
        written.append(("archive", path, _write(archive, path, payload, mtime), len(payload)))
    return written, points[-1].distance_m


def strava_csv(activities: Sequence[Planned], distances: dict[int, float]) -> bytes:
    header = sample.STRAVA_HEADER
    rows: list[list[str]] = [list(header)]
    for a in activities:
        if not a.strava:
            continue
        distance = distances[a.index]
        kind = {
            "running": "Trail Run" if a.sub_sport == "trail" else "Run",
            "walking": "Walk",
            "cycling": "Ride",
        }[a.sport]
        values = {
            0: str(a.strava_id),
            1: sample.strava_date(a.start_utc),
            2: _name(a),
            3: kind,
            5: str(a.moving_s + a.pause_s),
            6: f"{distance / 1000:.2f}",
            9: "false",
            11: a.shoe or "",
            12: (a.file_path or "").removeprefix("strava_export/"),
            15: f"{float(a.moving_s + a.pause_s)}",
            16: f"{float(a.moving_s)}",
            17: f"{distance}",
            84: kind.replace(" ", ""),
        }
        rows.append([values.get(i, "") for i in range(len(header))])
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode()


def _write_worker(job: tuple[Planned, str, str, str, int]) -> tuple[list[Written], float]:
    activity, archive, next_week, last_day, interval = job
    return write_activity(
        activity, Path(archive), Path(next_week), date.fromisoformat(last_day), interval
    )


def generate(
    params: Params, target: Path, *, jobs: int | None = None, log: Any = None
) -> dict[str, Any]:
    """Write the archive for ``params`` into ``target`` (which must not exist); its manifest."""
    started = time.perf_counter()
    activities = plan(params, extra_weeks=1)
    last_day = LAST_DAY
    tmp = target.with_name(target.name + ".partial")
    if tmp.exists():
        shutil.rmtree(tmp)
    archive, next_week = tmp / "archive", tmp / "next_week"
    archive.mkdir(parents=True)
    next_week.mkdir()
    workers = jobs or os.cpu_count() or 1
    # the longest activities first, so no worker is left with a long one at the end
    order = sorted(activities, key=lambda a: -a.moving_s)
    jobs_args = [
        (a, str(archive), str(next_week), last_day.isoformat(), params.xml_interval_s)
        for a in order
    ]
    files: list[Written] = []
    distances: dict[int, float] = {}
    with ProcessPoolExecutor(max_workers=workers) as pool:
        results = pool.map(_write_worker, jobs_args, chunksize=4)
        for done, (activity, (written, distance)) in enumerate(zip(order, results, strict=True), 1):
            files.extend(written)
            distances[activity.index] = distance
            if log and done % 250 == 0:
                log(
                    f"  generated {done}/{len(order)} activities "
                    f"({time.perf_counter() - started:.0f} s)"
                )
    in_archive = [a for a in activities if a.local_start.date() <= last_day]
    csv_data = strava_csv(in_archive, distances)
    last_end = datetime.combine(last_day, datetime.min.time(), UTC).timestamp() + 86400
    files.append(
        (
            "archive",
            "strava_export/activities.csv",
            _write(archive, "strava_export/activities.csv", csv_data, last_end),
            len(csv_data),
        )
    )
    toml = f'timezone = "{TIMEZONE}"\n'.encode()
    _write(archive, "loadwatch.toml", toml, last_end)
    manifest = _manifest(params, in_archive, activities, files)
    manifest["generation_s"] = round(time.perf_counter() - started, 1)
    (tmp / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    tmp.rename(target)
    return manifest


def _manifest(
    params: Params,
    in_archive: Sequence[Planned],
    everything: Sequence[Planned],
    files: Sequence[Written],
) -> dict[str, Any]:
    def fmt_of(path: str) -> str:
        return path.removesuffix(".gz").rsplit(".", 1)[-1]

    archive_files = sorted((f for f in files if f[0] == "archive"), key=lambda f: f[1])
    week_files = sorted((f for f in files if f[0] == "next_week"), key=lambda f: f[1])
    old = {a.index for a in in_archive}
    new_week = [a for a in everything if a.index not in old]
    return {
        "params": asdict(params) | {"key": params.key, "generator_version": GENERATOR_VERSION},
        "first_day": first_monday(params).isoformat(),
        "last_day": LAST_DAY.isoformat(),
        "timezone": TIMEZONE,
        "activities": len(in_archive),
        "runs": sum(a.is_run for a in in_archive),
        "activities_by_format": dict(Counter(a.fmt for a in in_archive)),
        "strava_rows": sum(a.strava for a in in_archive),
        "duplicates": sum(a.duplicate for a in in_archive),
        "files": [
            {
                "path": p,
                "format": fmt_of(p),
                "gz": p.endswith(".gz"),
                "bytes": size,
                "raw_bytes": raw,
            }
            for _, p, size, raw in archive_files
        ],
        "next_week": {
            "activities": len(new_week),
            "runs": sum(a.is_run for a in new_week),
            "files": [
                {"path": p, "format": fmt_of(p), "gz": False, "bytes": size, "raw_bytes": raw}
                for _, p, size, raw in week_files
            ],
        },
    }


def ensure(
    params: Params, cache: Path = DEFAULT_CACHE, *, jobs: int | None = None, log: Any = None
) -> tuple[Path, dict[str, Any], bool]:
    """The cached archive for ``params`` (generated first if missing): folder, manifest, fresh."""
    target = cache / params.key
    manifest_path = target / "manifest.json"
    if manifest_path.is_file():
        return target, json.loads(manifest_path.read_text(encoding="utf-8")), False
    cache.mkdir(parents=True, exist_ok=True)
    if log:
        log(f"generating the archive {params.key} into {target} (cached for later runs)")
    return target, generate(params, target, jobs=jobs, log=log), True


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--years", type=float, default=10.0)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--jobs", type=int, default=None)
    args = parser.parse_args(argv)
    params = Params(weeks=weeks_for_years(args.years), seed=args.seed)
    folder, manifest, fresh = ensure(
        params, args.cache, jobs=args.jobs, log=lambda m: print(m, flush=True)
    )
    size = sum(f["bytes"] for f in manifest["files"]) / 1e6
    state = "generated" if fresh else "cached"
    print(
        f"{state}: {folder} ({manifest['activities']} activities, "
        f"{len(manifest['files'])} files, {size:.1f} MB)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
