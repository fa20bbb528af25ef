"""``loadwatch pain`` through typer's CliRunner, with the data directory in tmp_path."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

import loadwatch.cli.pain as pain_cli
from loadwatch.cli import app

TODAY = date(2026, 3, 20)


@pytest.fixture(autouse=True)
def fixed_today(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pain_cli, "_today", lambda: TODAY)
    # a config in the machine's real config folder must not change these results
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))


def invoke(
    tmp_path: Path, *args: str, stdin: str | None = None, env: dict[str, str] | None = None
) -> Result:
    return CliRunner().invoke(
        app, ["--data-dir", str(tmp_path / "home"), *args], input=stdin, env=env
    )


def listed(tmp_path: Path) -> list[dict[str, Any]]:
    result = invoke(tmp_path, "pain", "list", "--format", "json")
    assert result.exit_code == 0, result.output
    rows: list[dict[str, Any]] = json.loads(result.stdout)
    return rows


def test_log_then_list_as_json(tmp_path: Path) -> None:
    result = invoke(
        tmp_path,
        "pain",
        "log",
        "--level",
        "4",
        "--where",
        "under",
        "--when",
        "first-steps",
        "--side",
        "left",
        "--note",
        "stiff on the stairs",
    )
    assert result.exit_code == 0, result.output
    assert result.output == (
        "Logged #1: 2026-03-20, 4/10 under the heel on the first steps (left foot).\n"
    )
    assert invoke(tmp_path, "pain", "log", "--date", "2026-03-01", "--level", "0").exit_code == 0
    assert listed(tmp_path) == [
        {
            "id": 2,
            "date": "2026-03-01",
            "level": 0,
            "where": None,
            "when": None,
            "side": None,
            "swelling": False,
            "cannot_bear_weight": False,
            "note": None,
            "episode": None,
        },
        {
            "id": 1,
            "date": "2026-03-20",
            "level": 4,
            "where": "under",
            "when": "first-steps",
            "side": "left",
            "swelling": False,
            "cannot_bear_weight": False,
            "note": "stiff on the stairs",
            "episode": 1,
        },
    ]
    table = invoke(tmp_path, "pain", "list", env={"COLUMNS": "80"}).stdout.splitlines()
    header = next(i for i, line in enumerate(table) if line.split()[:1] == ["#"])
    assert table[header].split() == [
        "#",
        "date",
        "lvl",
        "where",
        "when",
        "side",
        "flags",
        "ep",
        "note",
    ]
    rows = [line.split() for line in table[header + 2 :]]
    assert rows[1][:8] == ["1", "2026-03-20", "4", "under", "first-steps", "left", "1", "stiff"]
    assert max(len(line) for line in table) <= 80


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--level", "3"], 1, "say where it hurts"),
        (["--level", "3", "--where", "toe"], 2, "'toe' is not one of 'under', 'back', 'both'"),
        (["--level", "11", "--where", "under"], 2, "11 is not in the range 0<=x<=10"),
        (["--level", "3", "--where", "under", "--date", "2026-03-21"], 1, "in the future"),
        (
            ["--level", "3", "--where", "under", "--date", "21/03/2026"],
            2,
            "takes a date like 2026-11-22",
        ),
    ],
)
def test_log_refuses_bad_input_in_one_line(
    tmp_path: Path, args: list[str], code: int, message: str
) -> None:
    result = invoke(tmp_path, "pain", "log", *args)
    assert result.exit_code == code
    assert message in result.output
    assert "Traceback" not in result.output


def test_a_red_flag_is_said_as_soon_as_it_is_logged(tmp_path: Path) -> None:
    result = invoke(
        tmp_path, "pain", "log", "--level", "5", "--where", "under", "--when", "night", "--swelling"
    )
    assert result.exit_code == 0
    assert (
        "WARNING: On 2026-03-20 you logged 5/10 under the heel at night, with pain at "
        "night and swelling"
    ) in result.output
    assert "Stop running and see a GP, physiotherapist or podiatrist soon" in result.output
    assert "urgent care" in result.output


def test_two_weeks_of_pain_is_said_as_soon_as_it_is_logged(tmp_path: Path) -> None:
    # 7 to 20 March is 14 days of pain, both days counted (as pain why counts them)
    first = invoke(
        tmp_path, "pain", "log", "--date", "2026-03-07", "--level", "3", "--where", "under"
    )
    assert "WARNING" not in first.output
    thirteen = invoke(
        tmp_path, "pain", "log", "--date", "2026-03-19", "--level", "3", "--where", "under"
    )
    assert "WARNING" not in thirteen.output
    second = invoke(tmp_path, "pain", "log", "--level", "3", "--where", "under")
    assert "WARNING: Heel pain logged from 2026-03-07 to 2026-03-20 (14 days" in second.output
    assert "see a GP, physiotherapist or podiatrist" in second.output


def test_edit_changes_and_clears_fields(tmp_path: Path) -> None:
    invoke(
        tmp_path,
        "pain",
        "log",
        "--level",
        "4",
        "--where",
        "under",
        "--when",
        "rest",
        "--side",
        "left",
        "--note",
        "x",
    )
    result = invoke(
        tmp_path,
        "pain",
        "edit",
        "1",
        "--level",
        "2",
        "--when",
        "none",
        "--side",
        "right",
        "--swelling",
        "--note",
        "",
        "--date",
        "2026-03-19",
    )
    assert result.exit_code == 0, result.output
    assert result.output == (
        "Changed #1: 2026-03-19, 2/10 under the heel (right foot), swelling.\n"
    )
    [row] = listed(tmp_path)
    assert (row["date"], row["when"], row["side"], row["swelling"], row["note"]) == (
        "2026-03-19",
        None,
        "right",
        True,
        None,
    )
    assert invoke(tmp_path, "pain", "edit", "1", "--no-swelling").exit_code == 0
    assert listed(tmp_path)[0]["swelling"] is False
    nothing = invoke(tmp_path, "pain", "edit", "1")
    assert nothing.exit_code == 1 and "nothing to change" in nothing.output
    missing = invoke(tmp_path, "pain", "edit", "9", "--level", "1")
    assert missing.exit_code == 1 and "no pain entry #9" in missing.output


def test_delete_needs_yes_without_a_terminal(tmp_path: Path) -> None:
    invoke(tmp_path, "pain", "log", "--level", "4", "--where", "under")
    refused = invoke(tmp_path, "pain", "delete", "1")
    assert refused.exit_code == 1
    assert "without a terminal, add --yes" in refused.output
    assert len(listed(tmp_path)) == 1
    done = invoke(tmp_path, "pain", "delete", "1", "--yes")
    assert done.exit_code == 0 and done.output == "Deleted #1.\n"
    assert listed(tmp_path) == []


def test_delete_asks_on_a_terminal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pain_cli, "_interactive", lambda: True)
    invoke(tmp_path, "pain", "log", "--level", "4", "--where", "under")
    kept = invoke(tmp_path, "pain", "delete", "1", stdin="n\n")
    assert kept.exit_code == 0
    assert "Delete #1: 2026-03-20, 4/10 under the heel?" in kept.output
    assert "Nothing deleted." in kept.output
    assert len(listed(tmp_path)) == 1
    gone = invoke(tmp_path, "pain", "delete", "1", stdin="y\n")
    assert gone.exit_code == 0 and "Deleted #1." in gone.output
    assert listed(tmp_path) == []


def test_export_import_round_trip(tmp_path: Path) -> None:
    invoke(
        tmp_path,
        "pain",
        "log",
        "--date",
        "2026-03-10",
        "--level",
        "6",
        "--where",
        "back",
        "--when",
        "night",
        "--side",
        "both",
        "--swelling",
        "--cannot-bear-weight",
        "--note",
        "=SUM(A1), with a comma",
    )
    invoke(tmp_path, "pain", "log", "--date", "2026-03-11", "--level", "0")
    target = tmp_path / "diary.csv"
    result = invoke(tmp_path, "pain", "export", str(target))
    assert result.exit_code == 0 and result.output == f"Wrote 2 entries to {target}.\n"
    assert target.read_text(encoding="utf-8").splitlines()[1] == (
        '1,2026-03-10,6,back,night,both,yes,yes,"\'=SUM(A1), with a comma"'
    )
    before = listed(tmp_path)
    other = tmp_path / "other"
    other.mkdir()
    imported = invoke(other, "pain", "import", str(target))
    assert imported.exit_code == 0 and imported.output == "Imported 2 entries from diary.csv.\n"
    assert listed(other) == before
    again = invoke(other, "pain", "import", str(target))
    assert again.output == "Imported 0 entries from diary.csv (2 already in the diary).\n"


def test_export_of_an_empty_diary_has_the_header(tmp_path: Path) -> None:
    target = tmp_path / "empty.csv"
    assert invoke(tmp_path, "pain", "export", str(target)).exit_code == 0
    assert target.read_text(encoding="utf-8") == (
        "id,date,level,where,when,side,swelling,cannot_bear_weight,note\n"
    )


def test_import_errors_name_the_file_and_row(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("date,level,where\n2026-03-01,2,under\n2026-03-02,2,heel\n", encoding="utf-8")
    result = invoke(tmp_path, "pain", "import", str(bad))
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {bad}: row 2: where must be one of under, back, both, not 'heel'\n"
    )
    assert listed(tmp_path) == []
    missing = invoke(tmp_path, "pain", "import", str(tmp_path / "nope.csv"))
    assert missing.exit_code == 1 and "cannot read" in missing.output


@pytest.fixture
def exports(tmp_path: Path) -> Path:
    """A 5 km run on 02-09, three weeks of 5 km on Mon/Wed/Fri, a 12 km run on Sunday 03-15.

    The first run gives the month of log the spike rule needs before 03-15.
    """
    folder = tmp_path / "exports"
    folder.mkdir()
    days = [
        "02-09",
        "02-23",
        "02-25",
        "02-27",
        "03-02",
        "03-04",
        "03-06",
        "03-09",
        "03-11",
        "03-13",
    ]
    rows = ["date,distance_km,surface,shoe", *(f"2026-{d},5,road,Blue" for d in days)]
    rows.append("2026-03-15,12,road,Blue")
    (folder / "log.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    (folder / "loadwatch.toml").write_text('timezone = "UTC"\n', encoding="utf-8")
    return folder


def test_why_lists_what_changed_before_the_episode(tmp_path: Path, exports: Path) -> None:
    invoke(
        tmp_path,
        "pain",
        "log",
        "--date",
        "2026-03-16",
        "--level",
        "3",
        "--where",
        "under",
        "--when",
        "first-steps",
    )
    result = invoke(tmp_path, "pain", "why", "1", str(exports))
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert (
        "Episode 1: from 2026-03-16, up to 3/10, 1 painful entry over 1 day; still ongoing."
        in lines
    )
    assert (
        "What changed in the 4 weeks up to the day it began (2026-02-17 to 2026-03-16), "
        "against the 8 weeks before:" in lines
    )
    # 12 km against the 5 km longest of the 30 days before: 140% longer
    # in miles first: the config names no unit, and miles are the default
    assert any("2026-03-15, 7.5 mi (12.0 km), 140.0% longer" in line for line in lines)
    assert lines[-1].startswith("These are facts about your training")
    # the episode number is optional and the latest is the default
    assert invoke(tmp_path, "pain", "why", str(exports)).stdout == result.stdout
    data = json.loads(invoke(tmp_path, "pain", "why", str(exports), "--format", "json").stdout)
    assert (data["number"], data["onset"], data["recent"]) == (
        1,
        "2026-03-16",
        ["2026-02-17", "2026-03-16"],
    )
    assert {fact["topic"] for fact in data["facts"]} == {
        "distance",
        "long-runs",
        "shoes",
        "surface",
        "rest",
    }


def test_why_without_exports_or_episodes(tmp_path: Path) -> None:
    empty = invoke(tmp_path, "pain", "why")
    assert empty.exit_code == 1 and "no pain above 0 is logged yet" in empty.output
    invoke(tmp_path, "pain", "log", "--level", "3", "--where", "back")
    bare = invoke(tmp_path, "pain", "why")
    assert bare.exit_code == 0
    assert "Name your export folders" in bare.output
    wrong = invoke(tmp_path, "pain", "why", "2")
    assert wrong.exit_code == 1 and "no episode 2" in wrong.output


def test_check_reads_the_diary(tmp_path: Path, exports: Path) -> None:
    for day in ("2026-03-01", "2026-03-15"):
        invoke(
            tmp_path,
            "pain",
            "log",
            "--date",
            day,
            "--level",
            "3",
            "--where",
            "under",
            "--when",
            "first-steps",
        )
    result = invoke(tmp_path, "check", str(exports), "--as-of", "2026-03-16", "--format", "json")
    assert result.exit_code == 0, result.output
    found = {(f["rule"], f["severity"]) for f in json.loads(result.stdout)}
    assert ("pain-persistent", "warning") in found
    assert ("pain-pattern", "info") in found
    # the 12 km run of 03-15 is a >100% spike: a warning with or without pain
    assert ("long-run-spike", "warning") in found


def test_a_broken_config_saves_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[rules.pain-persistent]\nmin_weeks = 2\n", encoding="utf-8")
    result = invoke(
        tmp_path, "--config", str(bad), "pain", "log", "--level", "3", "--where", "under"
    )
    assert result.exit_code == 1 and "min_weeks" in result.output
    assert listed(tmp_path) == []


def test_a_config_that_pins_today_dates_the_entries(tmp_path: Path) -> None:
    pinned = tmp_path / "pinned.toml"
    pinned.write_text("as_of = 2026-03-10\n", encoding="utf-8")
    logged = invoke(
        tmp_path, "--config", str(pinned), "pain", "log", "--level", "2", "--where", "back"
    )
    assert logged.stdout.startswith("Logged #1: 2026-03-10,")
    later = invoke(
        tmp_path,
        "--config",
        str(pinned),
        "pain",
        "log",
        "--level",
        "2",
        "--where",
        "back",
        "--date",
        "2026-03-11",
    )
    assert later.exit_code == 1 and "2026-03-11 is in the future" in later.output
