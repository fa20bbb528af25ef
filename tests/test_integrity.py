"""Issue 11: damaged copies of real files never change a runner's numbers.

Each test builds damaged copies of real device files from the shared corpus
(cut short, bytes flipped after the header, one GPS point moved, a session field
blanked) and puts them beside their clean originals, under names that sort both
before (``run (1).fit``) and after (``run~copy.fit``) the original. The copies are
made after the originals, so their modification times are later, as in life.
"""

from __future__ import annotations

import json
import os
import re
from datetime import date
from pathlib import Path

import pytest
from helpers.corpus import CORPUS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_reliability_regressions import load_campaign

from loadwatch import weekly
from loadwatch.config import Config
from loadwatch.ingest.pipeline import Collection, import_folders
from loadwatch.model import Integrity

campaign = load_campaign()

#: real recordings of runs, one of each kind of writer (Garmin watches, Strava, Nike)
CLEAN = (
    "fitparse__garmin-fenix-5-run.fit",
    "runpandas__run.fit",
    "runpandas__strava_export.gpx",
    "runpandas__nike_run.gpx",
    "runpandas__run_garmin.tcx",
    "runpandas__basic.tcx",
)
CONFIG = Config(timezone="UTC")
AS_OF = date(2026, 12, 1)
#: the originals were written long before any copy of them
ORIGINAL_MTIME_NS = 1_600_000_000 * 10**9


def _header_end(name: str, data: bytes) -> int:
    """Where the bytes a flip may hit start: past the FIT header or the XML prolog."""
    if name.endswith(".fit"):
        return data[0]
    return data.index(b">", data.index(b"<", data.index(b"?>") + 2)) + 1


def truncated(name: str, data: bytes, fraction: float) -> bytes:
    return data[: max(_header_end(name, data) + 1, int(len(data) * fraction))]


def flipped(name: str, data: bytes, positions: list[float]) -> bytes:
    start = _header_end(name, data)
    out = bytearray(data)
    # each byte once: flipping one twice would give the original back
    for at in {start + int(where * (len(data) - start - 1)) for where in positions}:
        out[at] ^= 0x55
    return bytes(out)


def point_shifted(name: str, data: bytes, which: float) -> bytes:
    """One GPS latitude moved by 9 degrees (about 1,000 km)."""
    pattern = rb'lat="(-?\d+)' if name.endswith(".gpx") else rb"<LatitudeDegrees>(-?\d+)"
    found = list(re.finditer(pattern, data))
    match = found[int(which * (len(found) - 1))]
    moved = str(int(match.group(1)) + 9).encode()
    return data[: match.start(1)] + moved + data[match.end(1) :]


def session_blanked(name: str, data: bytes, field_number: int) -> bytes:
    """One session field set to 0, with the CRCs made right again (a clean-looking edit)."""
    layout = campaign.fit_layout(data)
    out = bytearray(data)
    for message, number, at, size, _big in layout.fields:
        if message == 18 and number == field_number:
            out[at : at + size] = bytes(size)
    campaign.fix_crcs(out, layout)
    return bytes(out)


def _write(folder: Path, name: str, data: bytes, mtime_ns: int) -> None:
    path = folder / name
    path.write_bytes(data)
    os.utime(path, ns=(mtime_ns, mtime_ns))


def clean_folder(folder: Path, names: tuple[str, ...] = CLEAN) -> None:
    folder.mkdir(parents=True)
    for name in names:
        _write(folder, name, (CORPUS / name).read_bytes(), ORIGINAL_MTIME_NS)


def numbers(collection: Collection) -> list[tuple[object, ...]]:
    return [
        (a.source, a.id, a.sport, a.start_utc, a.distance_m, a.duration_s, a.ascent_m)
        for a in collection.activities
    ]


def weeks_of(collection: Collection) -> list[dict[str, object]]:
    return weekly.to_display(weekly.build_weekly(collection.runs, AS_OF), "km")


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory) -> Collection:
    root = tmp_path_factory.mktemp("clean")
    clean_folder(root / "exports")
    return import_folders([root / "exports"], config=CONFIG, home=root / "home")


def _copy_name(original: str, before: bool) -> str:
    stem, _, suffix = original.rpartition(".")
    # " (1)" sorts before "." and "~" after it, whatever the original's name
    return f"{stem} (1).{suffix}" if before else f"{stem}~copy.{suffix}"


DAMAGE = st.one_of(
    st.tuples(st.just("truncated"), st.floats(0.02, 0.98)),
    st.tuples(st.just("flipped"), st.lists(st.floats(0.0, 1.0), min_size=1, max_size=8)),
    st.tuples(st.just("point shifted"), st.floats(0.0, 1.0)),
    st.tuples(st.just("session blanked"), st.sampled_from((2, 7, 8, 9, 22))),
)


def damaged(name: str, kind: str, parameter: object) -> bytes:
    data = (CORPUS / name).read_bytes()
    if kind == "truncated":
        return truncated(name, data, parameter)  # type: ignore[arg-type]
    if kind == "flipped":
        return flipped(name, data, parameter)  # type: ignore[arg-type]
    if kind == "point shifted" and not name.endswith(".fit"):
        return point_shifted(name, data, parameter)  # type: ignore[arg-type]
    if kind == "session blanked" and name.endswith(".fit"):
        return session_blanked(name, data, parameter)  # type: ignore[arg-type]
    return truncated(name, data, 0.5)


@pytest.mark.corpus
@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    copies=st.lists(
        st.tuples(st.sampled_from(CLEAN), DAMAGE, st.booleans()), min_size=1, max_size=5
    )
)
def test_damaged_copies_beside_clean_files_change_nothing(
    copies: list[tuple[str, tuple[str, object], bool]],
    clean: Collection,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    root = tmp_path_factory.mktemp("damaged")
    folder = root / "exports"
    clean_folder(folder)
    written: dict[str, str] = {}
    for number, (original, (kind, parameter), before) in enumerate(copies):
        name = _copy_name(original, before)
        if name in written:
            name = f"{number}-{name}"
        _write(folder, name, damaged(original, kind, parameter), ORIGINAL_MTIME_NS + 10**9)
        written[name] = f"{kind} {parameter!r} of {original}"
    found = import_folders([folder], config=CONFIG, home=root / "home")
    assert numbers(found) == numbers(clean), written
    assert weeks_of(found) == weeks_of(clean), written
    named = {p.source.split("#", 1)[0] for p in found.summary.problems}
    assert set(written) <= named, {n: written[n] for n in set(written) - named}


# ------------------------------------------------------------------ the cases


def test_a_copy_with_flipped_bytes_sorting_first_never_supplies_the_numbers(
    tmp_path: Path, clean: Collection
) -> None:
    name = "runpandas__run.fit"
    folder = tmp_path / "exports"
    clean_folder(folder, (name,))
    data = (CORPUS / name).read_bytes()
    _write(
        folder,
        "runpandas__run (1).fit",
        flipped(name, data, [0.3, 0.6, 0.9]),
        ORIGINAL_MTIME_NS + 1,
    )
    found = import_folders([folder], config=CONFIG, home=tmp_path / "home")
    (run,) = found.activities
    assert (run.source, run.integrity) == (name, Integrity.COMPLETE)
    assert numbers(found) == [n for n in numbers(clean) if n[0] == name]
    (note,) = [p for p in found.summary.problems if p.source == "runpandas__run (1).fit"]
    assert note.kind == "integrity" and f"copy of {name}" in note.reason


def test_a_fit_cut_short_loses_to_the_complete_tcx_of_the_same_run(tmp_path: Path) -> None:
    # the Forerunner 15's 10 km race, as its FIT and its TCX (expected.csv: 10,010.82 m)
    folder = tmp_path / "exports"
    folder.mkdir()
    fit = (CORPUS / "gc__10kUNLP2014-Garmin15.fit").read_bytes()
    (folder / "race.fit").write_bytes(fit[: len(fit) // 2])
    (folder / "race.tcx").write_bytes((CORPUS / "gc__10kUNLP2014-Garmin15.tcx").read_bytes())
    found = import_folders([folder], config=CONFIG, home=tmp_path / "home")
    (run,) = found.activities
    assert run.source == "race.tcx" and run.integrity is Integrity.COMPLETE
    assert run.distance_m == pytest.approx(10010.82)
    (note,) = [p for p in found.summary.problems if p.source == "race.fit"]
    assert "partial" in note.reason and "race.tcx is used" in note.reason


def test_a_fit_cut_short_alone_counts_as_partial_with_what_was_recovered(tmp_path: Path) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    fit = (CORPUS / "gc__10kUNLP2014-Garmin15.fit").read_bytes()
    (folder / "race.fit").write_bytes(fit[: len(fit) // 2])
    found = import_folders([folder], config=CONFIG, home=tmp_path / "home")
    (run,) = found.activities
    assert run.integrity is Integrity.PARTIAL
    assert "recovered from its" in (run.integrity_note or "")
    assert 0 < (run.distance_m or 0) < 10010.82
    assert any(
        p.source == "race.fit" and p.reason.startswith("counted, but partial")
        for p in found.summary.problems
    )


def test_one_latitude_moved_9_degrees_is_left_out_of_the_distance(tmp_path: Path) -> None:
    name = "runpandas__strava_export.gpx"
    folder = tmp_path / "exports"
    folder.mkdir()
    (folder / "run.gpx").write_bytes(point_shifted(name, (CORPUS / name).read_bytes(), 0.5))
    (run,) = import_folders([folder], config=CONFIG, home=tmp_path / "home").activities
    # expected.csv: gpxpy's length_2d of the clean file
    assert run.distance_m == pytest.approx(12608.7, abs=0.1)
    assert run.integrity is Integrity.SUSPECT
    assert "1 GPS point implying more than 50 m/s left out" in (run.integrity_note or "")


def test_a_session_without_distance_takes_its_laps(tmp_path: Path) -> None:
    # the shape of a Suunto file whose session has no total_distance: laps do have it
    name = "fitparse__garmin-fenix-5-run.fit"
    data = bytearray((CORPUS / name).read_bytes())
    layout = campaign.fit_layout(bytes(data))
    laps = [
        (at, size)
        for message, number, at, size, _ in layout.fields
        if message == 19 and number == 9
    ]
    lap_total = sum(int.from_bytes(data[at : at + size], "little") for at, size in laps) / 100
    for message, number, at, size, _ in layout.fields:
        if message == 18 and number == 9:
            data[at : at + size] = b"\xff" * size  # the FIT "no value" marker
    campaign.fix_crcs(data, layout)
    folder = tmp_path / "exports"
    folder.mkdir()
    (folder / "run.fit").write_bytes(bytes(data))
    (run,) = import_folders([folder], config=CONFIG, home=tmp_path / "home").activities
    assert run.distance_m == pytest.approx(lap_total)
    assert run.integrity_note == "the session states no distance: distance from its laps"


def test_a_planned_route_with_made_up_times_is_not_a_run(tmp_path: Path) -> None:
    # a route planner's track: evenly spaced points at one constant speed from midnight
    points = "".join(
        f'<trkpt lat="{46.0 + i * 0.0009:.6f}" lon="14.5"><time>2010-01-01T00:{i // 2:02d}:'
        f"{(i % 2) * 30:02d}Z</time></trkpt>"
        for i in range(40)
    )
    document = (
        '<?xml version="1.0"?><gpx version="1.1" creator="planner" '
        'xmlns="http://www.topografix.com/GPX/1/1"><trk><name>Route</name>'
        f"<trkseg>{points}</trkseg></trk></gpx>"
    )
    folder = tmp_path / "exports"
    folder.mkdir()
    (folder / "route.gpx").write_text(document)
    found = import_folders([folder], config=CONFIG, home=tmp_path / "home")
    assert found.activities == ()
    (problem,) = found.summary.problems
    assert problem.kind == "skipped" and "planned route with made-up times" in problem.reason


def _tcx(lap_start: str, identifier: str, laps: str = "", cadence: str = "") -> bytes:
    points = "".join(
        f"<Trackpoint><Time>2024-03-02T07:{m:02d}:00Z</Time>"
        f"<DistanceMeters>{m * 200.0}</DistanceMeters>{cadence}</Trackpoint>"
        for m in range(11)
    )
    return (
        '<?xml version="1.0"?><TrainingCenterDatabase xmlns="http://www.garmin.com/'
        'xmlschemas/TrainingCenterDatabase/v2"><Activities><Activity Sport="Running">'
        f'<Id>{identifier}</Id><Lap StartTime="{lap_start}">{laps}'
        f"<Track>{points}</Track></Lap></Activity></Activities></TrainingCenterDatabase>"
    ).encode()


def test_a_tcx_starts_with_its_first_lap_when_the_id_is_later(tmp_path: Path) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    (folder / "run.tcx").write_bytes(
        _tcx(
            "2024-03-02T07:00:00Z",
            "2024-03-02T07:00:13Z",
            "<TotalTimeSeconds>600</TotalTimeSeconds><DistanceMeters>2000</DistanceMeters>",
        )
    )
    (run,) = import_folders([folder], config=CONFIG, home=tmp_path / "home").activities
    assert run.start_utc.isoformat() == "2024-03-02T07:00:00+00:00"
    # elapsed is the first to last trackpoint, never shorter than the 600 s moving time
    assert (run.duration_s, run.elapsed_s) == (600.0, 600.0)


def test_tcx_elapsed_is_never_shorter_than_moving(tmp_path: Path) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    # laps say 900 s of moving time; the trackpoints span only 600 s
    (folder / "run.tcx").write_bytes(
        _tcx(
            "2024-03-02T07:00:00Z",
            "2024-03-02T07:00:00Z",
            "<TotalTimeSeconds>900</TotalTimeSeconds><DistanceMeters>2000</DistanceMeters>",
        )
    )
    (run,) = import_folders([folder], config=CONFIG, home=tmp_path / "home").activities
    assert (run.duration_s, run.elapsed_s) == (900.0, 900.0)


def test_a_treadmill_tcx_with_cadence_in_steps_is_not_doubled(tmp_path: Path) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    steps = (
        '<Extensions><TPX xmlns="http://www.garmin.com/xmlschemas/ActivityExtension/v2">'
        "<RunCadence>134</RunCadence></TPX></Extensions>"
    )
    strides = steps.replace("134", "86")
    (folder / "steps.tcx").write_bytes(
        _tcx("2024-03-02T07:00:00Z", "2024-03-02T07:00:00Z", cadence=steps)
    )
    (folder / "strides.tcx").write_bytes(
        _tcx("2024-03-03T07:00:00Z", "2024-03-03T07:00:00Z", cadence=strides).replace(
            b"2024-03-02", b"2024-03-03"
        )
    )
    found = import_folders([folder], config=CONFIG, home=tmp_path / "home")
    assert [a.avg_cadence_spm for a in found.activities] == [134.0, 172.0]


def test_the_cli_weekly_table_of_a_damaged_folder_is_the_clean_folder_s(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from loadwatch.cli import app

    clean_dir, damaged_dir = tmp_path / "clean", tmp_path / "damaged"
    clean_folder(clean_dir)
    clean_folder(damaged_dir)
    for name in CLEAN:
        data = (CORPUS / name).read_bytes()
        _write(
            damaged_dir, _copy_name(name, True), truncated(name, data, 0.6), ORIGINAL_MTIME_NS + 1
        )
        _write(
            damaged_dir,
            _copy_name(name, False),
            flipped(name, data, [0.2, 0.5, 0.8]),
            ORIGINAL_MTIME_NS + 2,
        )
    runner = CliRunner()

    def weekly_json(folder: Path) -> str:
        result = runner.invoke(
            app,
            [
                "--data-dir",
                str(tmp_path / f"home-{folder.name}"),
                "weekly",
                str(folder),
                "--as-of",
                AS_OF.isoformat(),
                "--format",
                "json",
                "--units",
                "km",
            ],
        )
        assert result.exit_code == 0, result.output
        return result.stdout

    assert weekly_json(damaged_dir) == weekly_json(clean_dir)
    # a damaged copy standing alone is counted, and marked in the JSON
    alone = tmp_path / "alone"
    alone.mkdir()
    data = (CORPUS / "runpandas__run.fit").read_bytes()
    (alone / "run.fit").write_bytes(truncated("runpandas__run.fit", data, 0.5))
    result = runner.invoke(
        app,
        ["--data-dir", str(tmp_path / "home-alone"), "activities", str(alone), "--format", "json"],
    )
    (run,) = json.loads(result.stdout)
    assert run["integrity"] == "partial" and "recovered from" in run["integrity_note"]


@pytest.mark.parametrize("name", ["runpandas__strava_export.gpx", "runpandas__run_garmin.tcx"])
def test_a_gpx_or_tcx_cut_short_alone_keeps_what_was_recorded_as_partial(
    tmp_path: Path, name: str
) -> None:
    data = (CORPUS / name).read_bytes()
    folder = tmp_path / "exports"
    folder.mkdir()
    whole = import_folders([CORPUS / name], config=CONFIG, home=tmp_path / "whole")
    (complete,) = whole.activities
    (folder / name).write_bytes(data[: len(data) // 2])
    (run,) = import_folders([folder], config=CONFIG, home=tmp_path / "home").activities
    assert run.integrity is Integrity.PARTIAL
    assert "not well-formed XML" in (run.integrity_note or "")
    assert run.start_utc == complete.start_utc
    # about the first half of the run, never more than the whole of it
    assert 0.3 * (complete.distance_m or 0) < (run.distance_m or 0) < (complete.distance_m or 0)
    assert (run.duration_s or 0) < (complete.duration_s or 0)
