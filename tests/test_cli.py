"""The command line: exit codes, one-line errors, JSON shape, a real subprocess run."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from test_library import gpx
from typer.testing import CliRunner

from loadwatch.cli import app

ACTIVITY_KEYS = [
    "id",
    "source",
    "format",
    "name",
    "sport",
    "surface",
    "start_utc",
    "start_local",
    "distance_m",
    "duration_s",
    "elapsed_s",
    "ascent_m",
    "avg_cadence_spm",
    "device",
    "shoe",
    "merged_sources",
    "integrity",
    "integrity_note",
]


@pytest.fixture
def exports(tmp_path: Path) -> Path:
    folder = tmp_path / "exports"
    folder.mkdir()
    (folder / "run.gpx").write_text(gpx("2026-05-04T07:00:00", name="Tempo"))
    (folder / "walk.gpx").write_text(gpx("2026-05-05T07:00:00", name="Dog", kind="walking"))
    (folder / "broken.fit").write_bytes(b"\x0e\x10garbage")
    (folder / "loadwatch.toml").write_text('timezone = "Europe/London"\n')
    return folder


def invoke(tmp_path: Path, *args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(app, ["--data-dir", str(tmp_path / "home"), *args])


def test_import_prints_the_summary_and_skipped_reasons(tmp_path: Path, exports: Path) -> None:
    result = invoke(tmp_path, "import", str(exports))
    assert result.exit_code == 0, result.output
    assert "3 files: 3 new, 0 updated, 0 unchanged, 1 skipped" in result.output
    assert "skipped broken.fit:" in result.output
    again = invoke(tmp_path, "import", str(exports))
    assert "3 files: 0 new, 0 updated, 3 unchanged, 1 skipped" in again.output


def test_strict_turns_problems_into_exit_1(tmp_path: Path, exports: Path) -> None:
    assert invoke(tmp_path, "import", "--strict", str(exports)).exit_code == 1


def test_activities_json_has_exactly_the_documented_keys(tmp_path: Path, exports: Path) -> None:
    result = invoke(tmp_path, "activities", str(exports), "--format", "json", "--all-sports")
    assert result.exit_code == 0
    rows = json.loads(result.stdout)
    assert [list(r) for r in rows] == [ACTIVITY_KEYS, ACTIVITY_KEYS]
    run = rows[0]
    assert (run["sport"], run["name"], run["start_utc"]) == ("run", "Tempo", "2026-05-04T07:00:00Z")
    assert (
        run["start_local"] == "2026-05-04T08:00:00"
    )  # British Summer Time, from the folder config
    runs_only = json.loads(invoke(tmp_path, "activities", str(exports), "--format", "json").stdout)
    assert [r["name"] for r in runs_only] == ["Tempo"]


def test_activities_date_filters_and_csv(tmp_path: Path, exports: Path) -> None:
    result = invoke(
        tmp_path,
        "activities",
        str(exports),
        "--all-sports",
        "--format",
        "csv",
        "--since",
        "2026-05-05",
    )
    lines = result.stdout.strip().splitlines()
    assert lines[0].startswith("id,source,format,name") and len(lines) == 2
    assert ",Dog," in lines[1]


def test_expected_problems_are_one_line_without_traceback(tmp_path: Path) -> None:
    missing = invoke(tmp_path, "activities", str(tmp_path / "nowhere"))
    assert missing.exit_code == 1
    assert missing.output.strip().splitlines() == [
        f"Error: no such file or folder: {tmp_path / 'nowhere'}"
    ]
    # a bad option value is a wrong command line: exit 2, as the README's table says
    bad_date = invoke(tmp_path, "activities", str(tmp_path), "--since", "last tuesday")
    assert bad_date.exit_code == 2 and "Traceback" not in bad_date.output
    assert "Invalid value for '--since': takes a date like 2026-11-22" in bad_date.output


def test_bad_config_names_the_key(tmp_path: Path, exports: Path) -> None:
    (exports / "loadwatch.toml").write_text('unitz = "km"\n')
    result = invoke(tmp_path, "activities", str(exports))
    assert result.exit_code == 1
    assert "unknown key 'unitz'" in result.output and "loadwatch.toml" in result.output


def test_real_subprocess_run(tmp_path: Path, exports: Path) -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "loadwatch",
            "--data-dir",
            str(tmp_path / "home"),
            "activities",
            str(exports),
            "--format",
            "json",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert [r["name"] for r in json.loads(done.stdout)] == ["Tempo"]
    assert "1 skipped" in done.stderr
    help_text = subprocess.run(
        [sys.executable, "-m", "loadwatch", "--help"], capture_output=True, text=True, check=True
    ).stdout
    assert "activities" in help_text and "import" in help_text


def test_config_as_of_is_today_unless_the_option_says_otherwise(
    tmp_path: Path, exports: Path
) -> None:
    (exports / "loadwatch.toml").write_text('timezone = "UTC"\nas_of = 2026-05-10\n')
    rows = json.loads(invoke(tmp_path, "weekly", str(exports), "--format", "json").stdout)
    assert rows[-1]["week_start"] == "2026-05-04"  # the config's date, not the real one
    later = invoke(tmp_path, "weekly", str(exports), "--format", "json", "--as-of", "2026-05-20")
    assert json.loads(later.stdout)[-1]["week_start"] == "2026-05-18"


def test_a_config_naming_a_mail_login_warns_when_others_can_read_it(
    tmp_path: Path, exports: Path
) -> None:
    config = exports / "loadwatch.toml"
    config.write_text('[email]\nusername = "me@example.org"\npassword_env = "LW_PASS"\n')
    config.chmod(0o644)
    result = invoke(tmp_path, "activities", str(exports))
    assert result.exit_code == 0
    assert "other users can read it" in result.output and "chmod 600" in result.output
    config.chmod(0o600)
    assert "other users can read it" not in invoke(tmp_path, "activities", str(exports)).output


def test_weekly_table_shows_grass_only_when_a_week_has_some(tmp_path: Path, exports: Path) -> None:
    def table() -> str:
        args = [
            "--data-dir",
            str(tmp_path / "home"),
            "weekly",
            str(exports),
            "--as-of",
            "2026-05-10",
        ]
        return CliRunner().invoke(app, args, env={"COLUMNS": "300"}).output

    plain = table()
    assert "road" in plain and "grass" not in plain
    (exports / "log.csv").write_text("date,distance_km,surface\n2026-05-06,6,grass\n")
    assert "grass" in table()
