"""Shoes from the services' own exports: Garmin's account export and Strava's shoes.csv.

A Garmin account export tree is built here as Garmin lays it out (``DI_CONNECT``,
activity summaries and gear in JSON, the FIT files in a nested zip); one
``loadwatch shoes PATH`` must show the runner's shoes with brand, model and dates,
with the runs linked to them, and never change what the user typed.
"""

from __future__ import annotations

import io
import json
import zipfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from helpers.fitbuild import run_file
from typer.testing import CliRunner

from loadwatch.cli import app
from loadwatch.config import Config
from loadwatch.ingest.importers import ParseContext, parse_bytes
from loadwatch.ingest.pipeline import import_folders
from loadwatch.model import Sport, Surface
from loadwatch.units import METRES_PER_MILE

USER = "runner@example.com"
# 07:00 UTC on 2 and 4 March 2024; the watch was on Berlin time (UTC+1)
RUN1 = datetime(2024, 3, 2, 7, 0, tzinfo=UTC)
RUN2 = datetime(2024, 3, 4, 17, 30, tzinfo=UTC)
RIDE = datetime(2024, 3, 3, 9, 0, tzinfo=UTC)


def ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def summary(
    ident: int, start: datetime, key: str, distance_cm: float, duration_ms: float, **extra: object
) -> dict[str, object]:
    return {
        "activityId": ident,
        "name": f"Activity {ident}",
        "activityType": key,
        "sportType": "RUNNING" if "run" in key else "CYCLING",
        "startTimeGmt": ms(start),
        # the local wall time of the place, written as if it were UTC
        "startTimeLocal": ms(start + timedelta(hours=1)),
        "distance": distance_cm,
        "duration": duration_ms,
        "elapsedDuration": duration_ms + 60_000,
        "elevationGain": 4448.0,
        **extra,
    }


SUMMARIES = [
    {
        "summarizedActivitiesExport": [
            summary(1001, RUN1, "running", 1_000_000.0, 3_000_000.0, avgRunCadence=84.0),
            summary(1002, RIDE, "road_biking", 3_000_000.0, 3_600_000.0),
            summary(1003, RUN2, "trail_running", 800_000.0, 2_700_000.0, avgDoubleCadence=170.5),
            # a multisport summary: its legs are listed on their own
            summary(1004, RIDE, "multi_sport", 3_000_000.0, 3_600_000.0, parent=True),
        ]
    }
]

GEAR = [
    {
        "gearDTOS": [
            {
                "gearPk": 11,
                "uuid": "a1",
                "displayName": "Blue Pegasus",
                "customMakeModel": None,
                "gearMakeName": "Nike",
                "gearModelName": "Pegasus 40",
                "gearTypeName": "Shoes",
                "gearStatusName": "active",
                "dateBegin": "2024-02-20T00:00:00.0",
                "dateEnd": None,
                "maximumMeters": 800000.0,
            },
            {
                "gearPk": 12,
                "uuid": "b2",
                "displayName": None,
                "customMakeModel": "Old trail pair",
                "gearMakeName": "Other",
                "gearModelName": None,
                "gearTypeName": "Shoes",
                "gearStatusName": "retired",
                "dateBegin": "2023-05-01T00:00:00.0",
                "dateEnd": "2024-03-10T00:00:00.0",
                "maximumMeters": 0,
            },
            {
                "gearPk": 13,
                "uuid": "c3",
                "displayName": "Road bike",
                "gearMakeName": "Canyon",
                "gearModelName": "Endurace",
                "gearTypeName": "Bike",
                "gearStatusName": "active",
            },
        ],
        "gearActivityDTOs": {
            "11": [{"activityId": 1001, "gearPk": 11}],
            "12": [{"activityId": 1003, "gearPk": 12}],
            "13": [{"activityId": 1002, "gearPk": 13}],
        },
    }
]


def garmin_export(folder: Path) -> Path:
    """A Garmin account export, as Garmin lays it out, with the FIT of the first run."""
    fitness = folder / "DI_CONNECT" / "DI-Connect-Fitness"
    fitness.mkdir(parents=True)
    (fitness / f"{USER}_0_summarizedActivities.json").write_text(json.dumps(SUMMARIES))
    (fitness / f"{USER}_gear.json").write_text(json.dumps(GEAR))
    (fitness / f"{USER}_personalRecord.json").write_text("[]")  # not read
    uploads = folder / "DI_CONNECT" / "DI-Connect-Uploaded-Files"
    uploads.mkdir(parents=True)
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as archive:
        archive.writestr(
            f"{USER}_1001.fit",
            run_file(
                start=RUN1, distance_m=10000.0, timer_s=3000.0, local_offset=timedelta(hours=1)
            ),
        )
    (uploads / "UploadedFiles_0-_Part1.zip").write_bytes(inner.getvalue())
    (folder / "loadwatch.toml").write_text('timezone = "America/New_York"\n')
    return folder


def ctx(name: str) -> ParseContext:
    return ParseContext(name, ZoneInfo("America/New_York"))


def test_summaries_read_in_garmin_units() -> None:
    data = json.dumps(SUMMARIES).encode()
    parsed = parse_bytes(
        data, ctx(f"DI_CONNECT/DI-Connect-Fitness/{USER}_0_summarizedActivities.json")
    )
    run, ride, trail = parsed.activities  # the multisport summary is left out
    assert parsed.warnings == []
    assert (run.format, run.sport, run.external_id) == ("garmin-json", Sport.RUN, "garmin:1001")
    # distance and ascent in cm, times in ms, cadence per leg
    assert (run.distance_m, run.duration_s, run.elapsed_s) == (10000.0, 3000.0, 3060.0)
    assert run.ascent_m == pytest.approx(44.48)
    assert run.avg_cadence_spm == 168.0
    assert trail.avg_cadence_spm == 170.5  # avgDoubleCadence is steps per minute already
    assert trail.surface is Surface.TRAIL
    assert ride.sport is Sport.RIDE
    # startTimeLocal is the wall time where the run was, whatever the configured zone
    assert run.start_utc == RUN1
    assert run.start_local == datetime(2024, 3, 2, 8, 0)


def test_gear_file_lists_the_shoes_with_their_activities() -> None:
    parsed = parse_bytes(json.dumps(GEAR).encode(), ctx(f"{USER}_gear.json"))
    assert parsed.activities == []
    blue, old = parsed.gear  # the bike is not a shoe
    assert (blue.name, blue.brand, blue.model) == ("Blue Pegasus", "Nike", "Pegasus 40")
    assert (blue.in_service, blue.retired_on, blue.limit_m) == (date(2024, 2, 20), None, 800000.0)
    assert blue.aliases == ("Nike Pegasus 40",)
    assert blue.activities == ("garmin:1001",)
    # make "Other": the runner's own description names and describes it
    assert (old.name, old.brand, old.model) == ("Old trail pair", None, "Old trail pair")
    assert (old.retired_on, old.limit_m, old.activities) == (
        date(2024, 3, 10),
        None,
        ("garmin:1003",),
    )


def invoke(home: Path, *args: str):  # type: ignore[no-untyped-def]
    # wide enough that the table never folds a name
    return CliRunner().invoke(app, ["--data-dir", str(home), *args], env={"COLUMNS": "200"})


def shoes_json(home: Path, *args: str) -> dict[str, dict[str, object]]:
    result = invoke(home, "shoes", *args, "--as-of", "2024-03-31", "--format", "json")
    assert result.exit_code == 0, result.output
    return {row["name"]: row for row in json.loads(result.stdout)["shoes"]}


@pytest.mark.parametrize("zipped", [False, True])
def test_garmin_account_export_shows_its_shoes_after_one_command(
    tmp_path: Path, zipped: bool
) -> None:
    tree = garmin_export(tmp_path / "garmin")
    target = tree
    if zipped:
        target = tmp_path / "export.zip"
        with zipfile.ZipFile(target, "w") as archive:
            for path in sorted(tree.rglob("*")):
                if path.is_file():
                    archive.write(path, path.relative_to(tree).as_posix())
    home = tmp_path / "home"
    shoes = shoes_json(home, str(target))
    assert set(shoes) == {"Blue Pegasus", "Old trail pair"}
    blue, old = shoes["Blue Pegasus"], shoes["Old trail pair"]
    assert (blue["brand"], blue["model"]) == ("Nike", "Pegasus 40")
    # the FIT and its summary are one run, counted once, on the pair Garmin links it to
    assert (blue["runs"], blue["distance_m"]) == (1, 10000.0)
    assert blue["limit_m"] == 800000.0
    assert blue["first_run"] == "2024-03-02"
    assert (old["runs"], old["distance_m"], old["retired_on"]) == (1, 8000.0, "2024-03-10")
    # the table shows brand and model beside the name
    table = invoke(home, "shoes", str(target), "--as-of", "2024-03-31")
    assert "Blue Pegasus (Nike Pegasus 40)" in table.stdout


def test_fit_and_summary_merge_into_one_run_with_the_garmin_name_and_gear(tmp_path: Path) -> None:
    tree = garmin_export(tmp_path / "garmin")
    collection = import_folders(
        [tree], config=Config(timezone="America/New_York"), home=tmp_path / "home"
    )
    runs = collection.runs
    assert len(runs) == 2
    first = runs[0]
    assert first.format == "fit"  # the richest source supplies the numbers
    assert (first.shoe, first.name) == ("Blue Pegasus", "Activity 1001")
    assert len(first.merged_sources) == 1 and first.merged_sources[0].endswith("#row1")
    assert first.start_local == datetime(2024, 3, 2, 8, 0)  # the watch's own offset
    assert [g.name for g in collection.gear] == ["Blue Pegasus", "Old trail pair"]
    assert not [p for p in collection.summary.problems if p.kind == "skipped"]


def test_export_gear_fills_blanks_and_never_overwrites_what_the_user_typed(tmp_path: Path) -> None:
    tree = garmin_export(tmp_path / "garmin")
    home = tmp_path / "home"
    added = invoke(
        home,
        "shoes",
        "add",
        "Blue Pegasus",
        "--brand",
        "My brand",
        "--since",
        "2024-01-01",
        "--limit",
        "300mi",
    )
    assert added.exit_code == 0, added.output
    for _ in range(2):  # and again after the cache is gone: the user's words stay
        shoes = shoes_json(home, str(tree))
        blue = shoes["Blue Pegasus"]
        assert blue["brand"] == "My brand"  # typed: kept
        assert blue["model"] == "Pegasus 40"  # blank: filled from Garmin
        assert blue["limit_m"] == pytest.approx(300 * METRES_PER_MILE)  # typed: kept
        assert blue["first_run"] == "2024-03-02"
        (home / "cache.sqlite").unlink()


STRAVA_HEADER = (
    "Activity ID,Activity Date,Activity Name,Activity Type,Elapsed Time,Distance,"
    "Activity Gear,Filename,Elapsed Time,Moving Time,Distance"
)


def test_strava_export_shoes_csv_is_read_without_a_separate_import(tmp_path: Path) -> None:
    export = tmp_path / "strava"
    export.mkdir()
    (export / "activities.csv").write_text(
        "\n".join(
            [
                STRAVA_HEADER,
                '1,"Mar 2, 2024, 7:00:00 AM",Easy,Run,3000,10.00,Nike Pegasus 40,,3000,2950,10000',
                '2,"Mar 4, 2024, 7:00:00 AM",Hills,Trail Run,3000,8.00,Speedy,,3000,2950,8000',
            ]
        )
        + "\n"
    )
    # Strava names the gear by nickname, else "Brand Model"
    (export / "shoes.csv").write_text(
        "Shoe Name,Shoe Brand,Shoe Model,Shoe Default Sport Types\n"
        ",Nike,Pegasus 40,Run\nSpeedy,Hoka,Speedgoat 5,Trail Run\n"
    )
    (export / "loadwatch.toml").write_text('timezone = "UTC"\n')
    shoes = shoes_json(tmp_path / "home", str(export))
    assert set(shoes) == {"Nike Pegasus 40", "Speedy"}
    pegasus, speedy = shoes["Nike Pegasus 40"], shoes["Speedy"]
    assert (pegasus["brand"], pegasus["model"], pegasus["runs"]) == ("Nike", "Pegasus 40", 1)
    assert (speedy["brand"], speedy["model"], speedy["runs"]) == ("Hoka", "Speedgoat 5", 1)
    assert (pegasus["default_for"], speedy["default_for"]) == ("run", "trail")


def test_a_shoes_csv_alone_is_not_a_skipped_file(tmp_path: Path) -> None:
    (tmp_path / "shoes.csv").write_text(
        "Shoe Name,Shoe Brand,Shoe Model,Shoe Default Sport Types\nFast,Nike,Vaporfly,\n"
    )
    collection = import_folders([tmp_path], config=Config(timezone="UTC"), home=tmp_path / "home")
    assert collection.summary.skipped == 0
    assert [(g.name, g.brand, g.model) for g in collection.gear] == [("Fast", "Nike", "Vaporfly")]
