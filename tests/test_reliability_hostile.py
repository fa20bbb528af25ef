"""Hostile input, part two: what an adversary's files did beyond the mutation figures.

Each test reproduces one defect with a small file and shows the command that used
to fail now gives a correct result or one line, with the rest of the report intact.
"""

from __future__ import annotations

import json
import re
import sqlite3
import warnings
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from test_library import gpx
from test_reliability_regressions import campaign
from typer.testing import CliRunner, Result

from loadwatch.cli import app
from loadwatch.userdata import pain_store
from loadwatch.userdata import store as userdata

# Text a file may carry that rich would read as markup: a closing tag with nothing
# to close (MarkupError), a live hyperlink, a style, and an emoji code.
HOSTILE_TEXT = "[/] [link=https://evil.example]click[/link] [blink]x[/blink] :smile:"


@pytest.fixture(autouse=True)
def no_user_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # a config in the machine's real config folder must not change these results
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))


def invoke(tmp_path: Path, *args: str) -> Result:
    # wide enough that no table cell wraps
    return CliRunner().invoke(
        app, ["--data-dir", str(tmp_path / "home"), *args], env={"COLUMNS": "400"}
    )


def test_strings_from_files_are_printed_as_text_never_as_markup(tmp_path: Path) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    (folder / "run.gpx").write_text(gpx("2026-05-04T07:00:00", name=HOSTILE_TEXT))
    (folder / "log.csv").write_text(
        f'date,distance_km,duration,sport,shoe\n2026-05-06,5,0:30:00,run,"{HOSTILE_TEXT}"\n',
        encoding="utf-8",
    )
    (folder / "loadwatch.toml").write_text('timezone = "UTC"\n')
    listed = invoke(tmp_path, "activities", str(folder))
    assert listed.exit_code == 0, listed.output
    shoes = invoke(tmp_path, "shoes", str(folder), "--as-of", "2026-05-10")
    assert shoes.exit_code == 0, shoes.output
    logged = invoke(
        tmp_path,
        "pain",
        "log",
        "--level",
        "2",
        "--where",
        "under",
        "--date",
        "2026-05-07",
        "--note",
        HOSTILE_TEXT,
    )
    assert logged.exit_code == 0, logged.output
    pains = invoke(tmp_path, "pain", "list")
    assert pains.exit_code == 0, pains.output
    for result in (listed, shoes, pains):
        assert HOSTILE_TEXT in result.stdout, result.stdout


def _with_values(document: bytes, element: str, values: list[str]) -> bytes:
    """``document`` with the text of every ``<element>`` replaced by ``values`` in turn."""
    texts = iter(values * (document.count(f"<{element}>".encode()) // len(values) + 1))
    return re.sub(
        rf"<{element}>[^<]*</{element}>".encode(),
        lambda _m: f"<{element}>{next(texts)}</{element}>".encode(),
        document,
    )


def huge_number_files() -> dict[str, bytes]:
    """The files that once put an infinity or a negative distance into the cache."""
    day = campaign._START  # 2024-03-02
    tcx = campaign.tcx_document(30, seed=4, start=day + timedelta(days=7))
    lap_distance = re.sub(
        rb"</TotalTimeSeconds><DistanceMeters>[^<]*<",
        b"</TotalTimeSeconds><DistanceMeters>1e308<",
        tcx,
        count=1,
    )
    lap_time = re.sub(
        rb"<TotalTimeSeconds>[^<]*<",
        b"<TotalTimeSeconds>1e308<",
        campaign.tcx_document(30, seed=5, start=day + timedelta(days=8)),
        count=1,
    )
    # the trackpoints' distance jumps to -5,000 m half-way
    points = campaign.tcx_document(30, seed=6, start=day + timedelta(days=9))
    head, _, tail = points.partition(b"</Lap>")
    negative = (
        head
        + b"</Lap>"
        + re.sub(
            rb"<DistanceMeters>[^<]*</DistanceMeters><HeartRateBpm>",
            b"<DistanceMeters>-5000.0</DistanceMeters><HeartRateBpm>",
            tail,
        )
    )
    return {
        "elevation.gpx": _with_values(
            campaign.gpx_document(30, seed=3, start=day + timedelta(days=6)),
            "ele",
            ["-1e308", "1e308"],
        ),
        "lap-distance.tcx": lap_distance,
        "lap-time.tcx": lap_time,
        "negative.tcx": negative,
        "log.csv": b"date,distance_mi,duration,sport\n2024-03-12,1e308,0:30:00,run\n"
        b"2024-03-13,3,0:30:00,run\n",
    }


def _finite(text: str) -> object:
    def refuse(constant: str) -> float:
        raise AssertionError(f"{constant} in the JSON output")

    return json.loads(text, parse_constant=refuse)


def test_files_with_huge_numbers_never_stop_the_report_of_the_folder(tmp_path: Path) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    good = {
        "good1.gpx": campaign.gpx_document(30, seed=1),
        "good2.tcx": campaign.tcx_document(30, seed=2, start=campaign._START + timedelta(days=3)),
    }
    for name, data in {**good, **huge_number_files()}.items():
        (folder / name).write_bytes(data)
    (folder / "loadwatch.toml").write_text('timezone = "UTC"\n')
    as_of = ("--as-of", "2024-03-20")
    for attempt in range(2):  # the second run reads everything from the cache
        out = tmp_path / f"reports{attempt}"
        report = invoke(tmp_path, "report", str(folder), "--out", str(out), *as_of)
        assert report.exit_code == 0, report.output
        assert {p.suffix for p in out.iterdir()} >= {".html", ".md", ".json", ".png"}
        for document in out.glob("*.json"):
            _finite(document.read_text(encoding="utf-8"))
        weekly = invoke(tmp_path, "weekly", str(folder), "--format", "json", *as_of)
        assert weekly.exit_code == 0, weekly.output
        _finite(weekly.stdout)
        check = invoke(tmp_path, "check", str(folder), *as_of)
        assert check.exit_code == 0, check.output
        listed = invoke(tmp_path, "activities", str(folder), "--format", "json", "--all-sports")
        assert listed.exit_code == 0, listed.output
        activities = _finite(listed.stdout)
        assert isinstance(activities, list)
        sources = sorted(a["source"] for a in activities)
        # the good files, the log's sound row, and each damaged file whose totals
        # could be recovered (the others are left out with their reason)
        assert {"good1.gpx", "good2.tcx", "log.csv#row2"} <= set(sources)
        for activity in activities:
            for key in ("distance_m", "duration_s", "elapsed_s", "ascent_m"):
                value = activity[key]
                assert value is None or 0 <= value < 1e7, (activity["source"], key, value)


# -- damaged rows in userdata.sqlite -------------------------------------------------

# (table, column, value, a word the note must quote): each is what the second
# campaign wrote into one row, and each used to end the command in a traceback
DAMAGE = [
    ("shoes", "in_service", "2024-13-45", "'2024-13-45'"),  # ValueError: month must be ...
    ("shoes", "limit_m", "lots", "'lots'"),  # could not convert string to float
    ("pain_entries", "day", "yesterday", "'yesterday'"),  # Invalid isoformat string
    ("shoe_assignments", "first_day", "garbage", "'garbage'"),
]


def _diary(tmp_path: Path, folder: Path) -> None:
    """Three pairs, two range assignments and three pain entries, through the CLI."""
    for name in ("Alpha", "Beta", "Gamma"):
        added = invoke(tmp_path, "shoes", "add", name, "--since", "2024-01-01")
        assert added.exit_code == 0, added.output
    for name, first, last in (
        ("Alpha", "2024-03-01", "2024-03-05"),
        ("Gamma", "2024-03-06", "2024-03-10"),
    ):
        assigned = invoke(tmp_path, "shoes", "assign", name, "--from", first, "--to", last)
        assert assigned.exit_code == 0, assigned.output
    for day, level in (("2024-03-03", 2), ("2024-03-04", 3), ("2024-03-05", 1)):
        logged = invoke(
            tmp_path, "pain", "log", "--level", str(level), "--where", "under", "--date", day
        )
        assert logged.exit_code == 0, logged.output


def _damage(database: Path, table: str, column: str, value: str) -> int:
    """Write ``value`` into ``column`` of the first row of ``table``, past its checks."""
    with sqlite3.connect(database) as conn:
        conn.execute("PRAGMA ignore_check_constraints = ON")
        (rowid,) = conn.execute(f"SELECT min(rowid) FROM {table}").fetchone()
        conn.execute(f"UPDATE {table} SET {column} = ? WHERE rowid = ?", (value, rowid))
    return int(rowid)


def _rows(database: Path) -> dict[str, list[tuple[object, ...]]]:
    with sqlite3.connect(database) as conn:
        return {
            table: conn.execute(f"SELECT * FROM {table} ORDER BY rowid").fetchall()
            for table in ("shoes", "shoe_assignments", "pain_entries")
        }


@pytest.mark.parametrize(("table", "column", "value", "quoted"), DAMAGE)
def test_a_damaged_user_data_row_is_one_line_and_the_rest_is_shown(
    tmp_path: Path, table: str, column: str, value: str, quoted: str
) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    (folder / "run.gpx").write_text(gpx("2024-03-04T07:00:00"))
    (folder / "run2.gpx").write_text(gpx("2024-03-08T07:00:00"))
    (folder / "loadwatch.toml").write_text('timezone = "UTC"\n')
    _diary(tmp_path, folder)
    database = tmp_path / "home" / "userdata.sqlite"
    rowid = _damage(database, table, column, value)
    before = _rows(database)
    line = f"userdata.sqlite: table {table}, row {rowid}, field {column}: {quoted} is not"
    as_of = ("--as-of", "2024-03-20")
    results = {
        "shoes": invoke(tmp_path, "shoes", str(folder), "--format", "json", *as_of),
        "pain": invoke(tmp_path, "pain", "list", "--format", "json"),
        "report": invoke(
            tmp_path,
            "report",
            str(folder),
            "--out",
            str(tmp_path / "out"),
            "--formats",
            "json",
            *as_of,
        ),
        "check": invoke(tmp_path, "check", str(folder), *as_of),
    }
    for command, result in results.items():
        assert result.exit_code == 0, (command, result.output)
        assert "Traceback" not in result.output
        noted = [n for n in result.stderr.splitlines() if line in n]
        # 'shoes' reads no pain diary, 'pain list' no shoes; report and check read both
        reads = {"shoes": table != "pain_entries", "pain": table == "pain_entries"}
        assert len(noted) == (1 if reads.get(command, True) else 0), (command, result.stderr)
    shoes = json.loads(results["shoes"].stdout)["shoes"]
    pains = json.loads(results["pain"].stdout)
    assert len(shoes) == (2 if table == "shoes" else 3)
    assert len(pains) == (2 if table == "pain_entries" else 3)
    if table == "shoe_assignments":
        # Alpha's range is gone, so only Gamma's run is counted for a pair
        assert {s["name"]: s["runs"] for s in shoes}["Gamma"] == 1
    # the runs are still counted, and the file is exactly as it was
    report = json.loads(next((tmp_path / "out").glob("*.json")).read_text(encoding="utf-8"))
    assert report
    assert _rows(database) == before


GARBAGE: tuple[object, ...] = (b"\x00\xff", "x", -1, 2.5, "", "2024-02-30", 10**15)


@pytest.mark.parametrize("table", ["shoes", "pain_entries", "shoe_assignments"])
def test_any_garbage_in_any_field_leaves_out_that_row_only(tmp_path: Path, table: str) -> None:
    """Every column of every table, with values of every wrong kind, read in process."""
    folder = tmp_path / "exports"
    folder.mkdir()
    _diary(tmp_path, folder)
    database = tmp_path / "home" / "userdata.sqlite"
    with sqlite3.connect(database) as conn:
        columns = [c[1] for c in conn.execute(f"PRAGMA table_info({table})")]
    home = tmp_path / "home"
    for column in columns:
        if column in ("id", "name_key", "shoe_id"):
            continue  # keys: a damaged key is a different row, not a damaged one
        for value in GARBAGE:
            with sqlite3.connect(database) as conn:
                conn.execute("PRAGMA ignore_check_constraints = ON")
                (rowid,) = conn.execute(f"SELECT min(rowid) FROM {table}").fetchone()
                (old,) = conn.execute(
                    f"SELECT {column} FROM {table} WHERE rowid = ?", (rowid,)
                ).fetchone()
                conn.execute(f"UPDATE {table} SET {column} = ? WHERE rowid = ?", (value, rowid))
            userdata.damage_notes()
            with userdata.open_userdata(home) as store:
                shoes, assignments = store.shoes(), store.assignments()
                entries = pain_store.load_entries(store)
            notes = userdata.damage_notes()
            sizes = {
                "shoes": len(shoes),
                "shoe_assignments": len(assignments),
                "pain_entries": len(entries),
            }
            full = {"shoes": 3, "shoe_assignments": 2, "pain_entries": 3}
            if notes:  # the value was wrong for that field: the row alone is left out
                assert len(notes) == 1, notes
                assert notes[0].startswith(
                    f"userdata.sqlite: table {table}, row {rowid}, field {column}: "
                ), notes
                expected = {**full, table: full[table] - 1}
                if table == "shoes":
                    expected["shoe_assignments"] = 1  # Alpha's range goes with Alpha
                assert sizes == expected, (column, value)
            else:  # a value the field may hold (a text note, a name "x")
                assert sizes == full, (column, value)
            with sqlite3.connect(database) as conn:
                conn.execute("PRAGMA ignore_check_constraints = ON")
                conn.execute(f"UPDATE {table} SET {column} = ? WHERE rowid = ?", (old, rowid))


# -- the same run counted once -----------------------------------------------------

RUN = "fitparse__garmin-fenix-5-run.fit"
RIDE = "fitparse__garmin-fenix-5-bike.fit"


def _listed(tmp_path: Path, *paths: Path) -> list[dict[str, object]]:
    result = invoke(tmp_path, "activities", *map(str, paths), "--all-sports", "--format", "json")
    assert result.exit_code == 0, result.output
    found = json.loads(result.stdout)
    assert isinstance(found, list)
    return found


def test_one_file_in_two_folders_given_is_one_activity(tmp_path: Path, corpus: Path) -> None:
    # copies were compared by their path relative to the folder given: both were
    # "run.fit", and the run was counted twice ("...-2")
    watch, phone = tmp_path / "watch", tmp_path / "phone"
    for folder in (watch, phone):
        folder.mkdir()
        (folder / "run.fit").write_bytes((corpus / RUN).read_bytes())
    [run] = _listed(tmp_path, watch, phone)
    assert run["source"] == "phone/run.fit" and run["merged_sources"] == ["watch/run.fit"]
    assert "-" not in str(run["id"])


def test_different_files_of_one_name_in_two_folders_are_two(tmp_path: Path, corpus: Path) -> None:
    watch, phone = tmp_path / "watch", tmp_path / "phone"
    for folder, name in ((watch, RUN), (phone, RIDE)):
        folder.mkdir()
        (folder / "run.fit").write_bytes((corpus / name).read_bytes())
    found = _listed(tmp_path, watch, phone)
    assert sorted(str(a["source"]) for a in found) == ["phone/run.fit", "watch/run.fit"]


@pytest.mark.parametrize(("second", "expected"), [(RUN, 1), (RIDE, 2)])
def test_a_zip_with_two_members_of_one_name(
    tmp_path: Path, corpus: Path, second: str, expected: int
) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns of the duplicate name
        with zipfile.ZipFile(folder / "export.zip", "w") as archive:
            archive.writestr("run.fit", (corpus / RUN).read_bytes())
            archive.writestr("run.fit", (corpus / second).read_bytes())
    found = _listed(tmp_path, folder)
    assert len(found) == expected
    # each member is named once, the second with " (2)", as a source or a merged copy
    names = [str(a["source"]) for a in found]
    names += [str(m) for a in found for m in a["merged_sources"]]  # type: ignore[attr-defined]
    assert sorted(names) == ["export.zip!run.fit", "export.zip!run.fit (2)"]
