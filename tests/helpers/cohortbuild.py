"""Generated teams and cohorts: one folder of real FIT files per athlete.

Every file is written by Garmin's own encoder (``fitbuild``): a file_id, one lap
per kilometre, the session and the activity with the watch's local offset, as a
watch writes a summary. Plans are plain data (``Planned``) so tests can compute
what the rules must find from the same runs; everything comes from a seed.
"""

from __future__ import annotations

import os
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from helpers import fitbuild
from loadwatch.userdata import pain_store

#: (FIT sport, sub_sport) -> what a generated athlete mostly does, and some variety
ROAD = ("running", "street")
TRAIL = ("running", "trail")
TREADMILL = ("running", "treadmill")
WALK = ("walking", "generic")
RIDE = ("cycling", "road")


@dataclass(frozen=True, slots=True)
class Planned:
    """One activity to write: its local start, distance and moving time."""

    start_local: datetime
    distance_m: float
    duration_s: float
    kind: tuple[str, str] = ROAD


def fit_bytes(activity: Planned, offset: timedelta, lap_m: float | None = 1000.0) -> bytes:
    """The activity as a watch's FIT file: file_id, a lap per ``lap_m``, session, activity.

    ``lap_m`` None writes one lap for the whole activity (quicker to write and read).
    """
    start = (activity.start_local - offset).replace(tzinfo=UTC)
    sport, sub_sport = activity.kind
    laps: list[dict[str, object]] = []
    done, moment = 0.0, start
    pace = activity.duration_s / max(activity.distance_m, 1.0)
    while done < activity.distance_m - 1e-6:
        step = (
            activity.distance_m - done if lap_m is None else min(lap_m, activity.distance_m - done)
        )
        laps.append(fitbuild.lap(moment, step, step * pace))
        moment += timedelta(seconds=step * pace)
        done += step
    session = fitbuild.session(
        start,
        sport=sport,
        sub_sport=sub_sport,
        distance_m=activity.distance_m,
        timer_s=activity.duration_s,
    )
    closing = fitbuild.activity(session["timestamp"], offset)
    return fitbuild.encode([fitbuild.file_id(time_created=start), *laps, session, closing])


def write_athlete(
    folder: Path,
    activities: Iterable[Planned],
    offset: timedelta = timedelta(hours=1),
    lap_m: float | None = 1000.0,
) -> list[Path]:
    """One FIT file per activity in ``folder``, each with its end as modification time."""
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for activity in activities:
        path = folder / f"{activity.start_local:%Y-%m-%d-%H-%M-%S}.fit"
        path.write_bytes(fit_bytes(activity, offset, lap_m))
        end = (activity.start_local - offset).replace(tzinfo=UTC) + timedelta(
            seconds=activity.duration_s
        )
        os.utime(path, (end.timestamp(), end.timestamp()))
        written.append(path)
    return written


def steady(
    first: date,
    last: date,
    *,
    easy_km: float = 8.0,
    long_km: float = 12.0,
    weekdays: Sequence[int] = (1, 3, 5, 6),
    long_day: int = 6,
) -> list[Planned]:
    """A steady plan: easy runs on ``weekdays`` (0 = Monday), the long run on ``long_day``."""
    plan: list[Planned] = []
    day = first
    while day <= last:
        if day.weekday() in weekdays:
            km = long_km if day.weekday() == long_day else easy_km
            plan.append(Planned(datetime.combine(day, time(7, 0)), km * 1000.0, km * 330.0))
        day += timedelta(days=1)
    return plan


def athlete_plan(rng: random.Random, first: date, last: date) -> list[Planned]:
    """A year or more of one generated athlete's training, with the usual irregularities.

    Three to six runs a week around a personal easy distance, a long run most
    weekends, now and then a much longer one (the spikes a cohort study counts),
    weeks of more or less, breaks of two to six weeks, some trail and treadmill
    runs, and a few walks and rides.
    """
    easy_km = rng.uniform(4.0, 10.0)
    per_week = rng.randint(3, 6)
    pace = rng.uniform(280.0, 400.0)  # seconds per km
    start_hour = rng.choice((6, 7, 12, 18, 19))
    plan: list[Planned] = []
    week = first - timedelta(days=first.weekday())
    off_until = date.min
    while week <= last:
        if week > first + timedelta(weeks=6) and rng.random() < 0.02:
            off_until = week + timedelta(weeks=rng.randint(2, 6))
        volume = rng.uniform(0.7, 1.3)
        days = sorted(rng.sample(range(7), per_week))
        for weekday in days:
            day = week + timedelta(days=weekday)
            if not first <= day <= last or day < off_until:
                continue
            km = easy_km * volume * rng.uniform(0.8, 1.2)
            if weekday == days[-1]:
                km *= rng.uniform(1.3, 1.8)  # the long run
                if rng.random() < 0.12:
                    km *= rng.uniform(1.2, 2.4)  # a spike
            draw = rng.random()
            kind = TRAIL if draw < 0.12 else TREADMILL if draw < 0.2 else ROAD
            start = datetime.combine(day, time(start_hour, rng.randrange(0, 60, 5)))
            metres = round(km * 1000.0, 1)
            plan.append(Planned(start, metres, round(km * pace * rng.uniform(0.95, 1.05), 1), kind))
        if rng.random() < 0.3:
            day = week + timedelta(days=rng.randrange(7))
            if first <= day <= last:
                kind = rng.choice((WALK, RIDE))
                km = rng.uniform(3.0, 8.0) if kind is WALK else rng.uniform(15.0, 50.0)
                start = datetime.combine(day, time(15, 30))
                plan.append(
                    Planned(
                        start,
                        round(km * 1000.0, 1),
                        round(km * (720.0 if kind is WALK else 150.0), 1),
                        kind,
                    )
                )
        week += timedelta(weeks=1)
    return sorted(plan, key=lambda a: a.start_local)


def athlete_name(index: int) -> str:
    return f"athlete-{index:04d}"


#: the watches' offsets the generated athletes live in (FIT carries the watch's own)
OFFSETS = (timedelta(0), timedelta(hours=1), timedelta(hours=-5), timedelta(hours=10))


def write_cohort(
    root: Path,
    athletes: int,
    first: date,
    last: date,
    *,
    seed: int = 15,
    start_index: int = 0,
    lap_m: float | None = 1000.0,
) -> dict[str, list[Planned]]:
    """``athletes`` folders of FIT files under ``root``; name -> what was written."""
    plans: dict[str, list[Planned]] = {}
    for index in range(start_index, start_index + athletes):
        rng = random.Random(f"{seed}:{index}")
        name = athlete_name(index)
        plan = athlete_plan(rng, first, last)
        write_athlete(root / name, plan, OFFSETS[index % len(OFFSETS)], lap_m)
        plans[name] = plan
    return plans


# --------------------------------------------------------------------------- the demo team

#: the demo team's "today" (a Sunday) and the athletes in the order they must be ranked
DEMO_AS_OF = date(2026, 3, 1)
DEMO_ORDER = ("Red", "Spike", "Jump", "Worn", "Silent", "Calm")


def _with_long_run(plan: list[Planned], day: date, km: float) -> list[Planned]:
    kept = [a for a in plan if a.start_local.date() != day]
    extra = Planned(datetime.combine(day, time(7, 0)), km * 1000.0, km * 330.0)
    return sorted([*kept, extra], key=lambda a: a.start_local)


def demo_team_plans(as_of: date = DEMO_AS_OF) -> dict[str, list[Planned]]:
    """Six athletes, 14 weeks of a steady plan each, set apart by one known thing.

    Red (a red flag in the diary, see ``demo_team_user_data``), Spike (26 km against a
    month's longest of 12: +117%, a warning), Jump (14 km: +16.7%, a caution), Worn
    (their pair past its limit six weeks ago: shoes due), Silent (no run for five
    weeks) and Calm.
    """
    first = as_of - timedelta(weeks=14) + timedelta(days=1)
    plan = steady(first, as_of)
    spike_day = as_of - timedelta(days=5)
    return {
        "Red": plan,
        "Spike": _with_long_run(plan, spike_day, 26.0),
        "Jump": _with_long_run(plan, spike_day, 14.0),
        "Worn": plan,
        "Silent": [a for a in plan if a.start_local.date() < as_of - timedelta(weeks=5)],
        "Calm": plan,
    }


def demo_team_user_data(home: Path, as_of: date = DEMO_AS_OF) -> float:
    """Red's diary and Worn's shoe, each in that athlete's own data directory.

    Returns the limit given to Worn's pair: the distance run up to six weeks before
    ``as_of`` less a metre, so the run that day crosses it.
    """
    from loadwatch.roster import athlete_home
    from loadwatch.userdata import pain
    from loadwatch.userdata.store import open_userdata

    red = athlete_home(home, "Red")
    red.mkdir(parents=True, exist_ok=True)
    with open_userdata(red) as store:
        if not pain_store.load_entries(store):
            entry = pain.PainEntry(as_of - timedelta(days=3), 4, "under", "rest")
            pain_store.add_entry(store, entry)
    runs = demo_team_plans(as_of)["Worn"]
    crossing = as_of - timedelta(weeks=6)
    limit = sum(a.distance_m for a in runs if a.start_local.date() <= crossing) - 1.0
    worn = athlete_home(home, "Worn")
    worn.mkdir(parents=True, exist_ok=True)
    with open_userdata(worn) as store:
        if not store.shoes():
            store.add_shoe("Old Pegasus", in_service=runs[0].start_local.date(), limit_m=limit)
    return limit
