"""``loadwatch shoes`` and its subcommands through typer's CliRunner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from loadwatch.cli import app

HEADER = "date,distance_km,surface,shoe"


@pytest.fixture
def exports(tmp_path: Path) -> Path:
    """A manual log: 50 road runs of 10 km in "Road Pair" (500 km), 3 without a shoe.

    One earlier run in "Old Pair" keeps two pairs in service, so the shoeless runs
    have no single pair to fall back on.
    """
    folder = tmp_path / "exports"
    folder.mkdir()
    rows = [HEADER, "2025-12-31,5,road,Old Pair"]
    rows += [f"2026-01-{d:02d},10,road,Road Pair" for d in range(1, 32)]
    rows += [f"2026-02-{d:02d},10,road, road pair " for d in range(1, 20)]
    rows += ["2026-02-25,6,trail,", "2026-02-26,6,trail,", "2026-02-27,6,trail,"]
    (folder / "log.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    (folder / "loadwatch.toml").write_text('timezone = "UTC"\n', encoding="utf-8")
    return folder


def invoke(tmp_path: Path, *args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(app, ["--data-dir", str(tmp_path / "home"), *args])


def shoes_json(tmp_path: Path, *args: str) -> dict:  # type: ignore[type-arg]
    result = invoke(tmp_path, "shoes", *args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_bare_shoes_lists_with_exact_json_keys(tmp_path: Path, exports: Path) -> None:
    data = shoes_json(tmp_path, str(exports), "--as-of", "2026-02-28")
    assert list(data) == ["shoes", "unassigned"]
    for row in data["shoes"]:
        assert list(row) == [
            "name",
            "brand",
            "model",
            "runs",
            "distance_m",
            "first_run",
            "last_run",
            "age_days",
            "limit_m",
            "status",
            "projected_limit_date",
            "default_for",
            "retired_on",
        ]
    assert [row["name"] for row in data["shoes"]] == ["Road Pair", "Old Pair"]
    shoe = data["shoes"][0]
    assert shoe["name"] == "Road Pair" and shoe["runs"] == 50
    assert shoe["distance_m"] == 500_000.0 and shoe["status"] == "plan"  # 310.7 mi
    assert shoe["first_run"] == "2026-01-01" and shoe["age_days"] == 58
    # the last 56 days (01-04 .. 02-28) hold 47 runs = 470 km; 304.672 km to go at
    # 470/56 km a day is 36.3 days, so 37 days after 02-28
    assert shoe["projected_limit_date"] == "2026-04-06"
    assert data["unassigned"] == {"runs": 3, "distance_m": 18000.0}


def test_the_list_subcommand_is_the_same_and_table_shows_unassigned(
    tmp_path: Path, exports: Path
) -> None:
    result = invoke(
        tmp_path, "shoes", "list", str(exports), "--as-of", "2026-02-28", "--units", "km"
    )
    assert result.exit_code == 0, result.output
    assert "Road Pair" in result.stdout and "plan" in result.stdout
    assert "Unassigned: 3 runs, 18.0 km" in result.stdout
    assert "New shoes from your exports' gear: Old Pair, Road Pair" in result.stderr


def test_fail_on_and_due(tmp_path: Path, exports: Path) -> None:
    args = [str(exports), "--as-of", "2026-02-28"]
    assert invoke(tmp_path, "shoes", *args, "--fail-on", "plan").exit_code == 3
    assert invoke(tmp_path, "shoes", *args, "--fail-on", "retire").exit_code == 0
    assert invoke(tmp_path, "shoes", *args, "--fail-on", "soon").exit_code == 2
    assert invoke(tmp_path, "shoes", "add", "Spare", "--since", "2026-01-01").exit_code == 0
    due = shoes_json(tmp_path, *args, "--due")
    assert [s["name"] for s in due["shoes"]] == ["Road Pair"]
    every = shoes_json(tmp_path, *args)
    assert [s["name"] for s in every["shoes"]] == ["Road Pair", "Old Pair", "Spare"]


def test_add_with_limit_start_distance_and_default(tmp_path: Path, exports: Path) -> None:
    result = invoke(
        tmp_path,
        "shoes",
        "add",
        "Trail Pair",
        "--brand",
        "Hoka",
        "--since",
        "2026-02-01",
        "--limit",
        "20km",
        "--start-distance",
        "1mi",
        "--default-for",
        "trail",
    )
    assert result.exit_code == 0, result.output
    assert "Added 'Trail Pair': limit 12 mi, in service from 2026-02-01." in result.stdout
    data = shoes_json(tmp_path, str(exports), "--as-of", "2026-02-28")
    trail = next(s for s in data["shoes"] if s["name"] == "Trail Pair")
    # 1.609 km before tracking + 3 x 6 km of trail runs without a shoe = 19.609 km < 20 km
    assert trail["runs"] == 3 and trail["distance_m"] == 19609.3
    assert trail["status"] == "ok"
    assert data["unassigned"] == {"runs": 0, "distance_m": 0.0}


def test_errors_are_one_clear_line(tmp_path: Path) -> None:
    no_unit = invoke(tmp_path, "shoes", "add", "Pegasus", "--limit", "450")
    assert no_unit.exit_code == 2
    assert "Invalid value for '--limit': '450' is not a distance with a unit" in " ".join(
        no_unit.stderr.replace("│", " ").split()
    )
    assert invoke(tmp_path, "shoes", "add", "Pegasus 40").exit_code == 0
    again = invoke(tmp_path, "shoes", "add", " pegasus  40 ")
    assert again.exit_code == 1 and "already a shoe named 'Pegasus 40'" in again.stderr
    typo = invoke(tmp_path, "shoes", "retire", "Pegasos 40")
    assert typo.exit_code == 1
    assert "Error: no shoe named 'Pegasos 40'; did you mean 'Pegasus 40'?" in typo.stderr
    surface = invoke(tmp_path, "shoes", "add", "X", "--default-for", "sand")
    assert surface.exit_code == 2 and "'sand' is not one of 'road'" in surface.stderr
    bad_id = invoke(tmp_path, "shoes", "assign", "Pegasus 40", "--activity", "42")
    assert bad_id.exit_code == 1 and "not an activity id" in bad_id.stderr
    both = invoke(tmp_path, "shoes", "assign", "Pegasus 40", "--from", "2026-01-01")
    assert both.exit_code == 1 and "a date range needs both" in both.stderr
    for result in (no_unit, again, typo, surface, bad_id, both):
        assert "Traceback" not in result.output


def test_assign_retire_and_rename(tmp_path: Path, exports: Path) -> None:
    args = [str(exports), "--as-of", "2026-02-28"]
    shoes_json(tmp_path, *args)  # creates "Road Pair" from the log
    assert invoke(tmp_path, "shoes", "add", "Spare", "--since", "2026-01-01").exit_code == 0
    assigned = invoke(
        tmp_path, "shoes", "assign", "spare", "--from", "2026-02-25", "--to", "2026-02-26"
    )
    assert assigned.exit_code == 0
    assert "Runs from 2026-02-25 to 2026-02-26 now count for 'Spare'." in assigned.stdout
    one = invoke(tmp_path, "shoes", "assign", "Spare", "--activity", "20260101T120000Z")
    assert one.exit_code == 0 and "now counts for 'Spare'" in one.stdout
    renamed = invoke(tmp_path, "shoes", "rename", "road pair", "Blue Road")
    assert renamed.exit_code == 0 and "Renamed 'road pair' to 'Blue Road'." in renamed.stdout
    retired = invoke(tmp_path, "shoes", "retire", "Blue Road", "--on", "2026-02-20")
    assert retired.exit_code == 0 and "Retired 'Blue Road' on 2026-02-20." in retired.stdout
    data = shoes_json(tmp_path, *args)
    rows = {s["name"]: s for s in data["shoes"]}
    # the log's gear name "Road Pair" still matches the renamed pair
    assert set(rows) == {"Blue Road", "Old Pair", "Spare"}
    assert rows["Blue Road"]["runs"] == 49 and rows["Blue Road"]["status"] == "retired"
    assert rows["Blue Road"]["retired_on"] == "2026-02-20"
    # Spare: the 01-01 run (noon in a manual log) and the two trail runs in its range
    assert rows["Spare"]["runs"] == 3
    # 02-27: Blue Road retired, Old Pair and Spare both in service, so no single pair
    assert data["unassigned"]["runs"] == 1


def test_import_strava_shoes_csv(tmp_path: Path, exports: Path) -> None:
    path = tmp_path / "shoes.csv"
    path.write_text(
        "Shoe Name,Shoe Brand,Shoe Model,Shoe Default Sport Types\n"
        ",Nike,Pegasus 40,Run\n,Hoka,Speedgoat 5,\n",
        encoding="utf-8",
    )
    result = invoke(tmp_path, "shoes", "import-strava", str(path))
    assert result.exit_code == 0, result.output
    assert "2 added, 0 updated from shoes.csv: Nike Pegasus 40, Hoka Speedgoat 5" in result.stdout
    data = shoes_json(tmp_path, str(exports), "--as-of", "2026-02-28")
    assert {
        s["name"]: s["default_for"]
        for s in data["shoes"]
        if "Road" not in s["name"] and "Old" not in s["name"]
    } == {
        "Nike Pegasus 40": "run",
        "Hoka Speedgoat 5": None,
    }
    missing = invoke(tmp_path, "shoes", "import-strava", str(tmp_path / "nope.csv"))
    assert missing.exit_code == 1 and "cannot read" in missing.stderr


def test_help_lists_the_subcommands(tmp_path: Path) -> None:
    result = invoke(tmp_path, "shoes", "--help")
    assert result.exit_code == 0
    for name in ("list", "add", "retire", "assign", "rename", "import-strava"):
        assert name in result.stdout


def test_check_includes_shoe_findings_from_the_registry(tmp_path: Path, exports: Path) -> None:
    def shoe_findings() -> list[tuple[str, str, str, str]]:
        result = invoke(
            tmp_path, "check", str(exports), "--as-of", "2026-02-28", "--format", "json"
        )
        assert result.exit_code == 0, result.output
        return [
            (f["rule"], f["severity"], f["date"], f["shoe"])
            for f in json.loads(result.stdout)
            if f["rule"] == "shoe-mileage"
        ]

    # 31 x 10 km in January, then 10 km a day: 490 km on 02-18 passes 300 mi (482.8 km)
    assert shoe_findings() == [("shoe-mileage", "info", "2026-02-18", "Road Pair")]
    # a limit set by the user counts: 450 km is reached on 02-14, and is below 300 mi
    assert invoke(tmp_path, "shoes", "add", "Road Pair", "--limit", "450km").exit_code == 0
    assert shoe_findings() == [("shoe-mileage", "caution", "2026-02-14", "Road Pair")]


def test_a_damaged_user_data_file_is_one_line_and_kept(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    damaged = home / "userdata.sqlite"
    damaged.write_bytes(b"not a database" * 64)
    result = invoke(tmp_path, "shoes", "add", "Pegasus")
    assert result.exit_code == 1
    assert "damaged" in result.stderr and "left untouched" in result.stderr
    assert "Traceback" not in result.output
    assert damaged.read_bytes() == b"not a database" * 64


def test_bare_shoes_counts_the_folders_last_imported(tmp_path: Path, exports: Path) -> None:
    # nothing imported yet: a list without runs would show every pair at zero
    before = invoke(tmp_path, "shoes", "--as-of", "2026-02-28")
    assert before.exit_code == 1
    assert before.output.strip() == (
        "Error: name your export folders (loadwatch shoes PATH...): no earlier import to "
        "count runs from"
    )
    assert invoke(tmp_path, "import", str(exports)).exit_code == 0
    bare = invoke(tmp_path, "shoes", "--as-of", "2026-02-28", "--format", "json")
    assert bare.exit_code == 0, bare.output
    assert "Counting runs in the folders last imported (" in bare.stderr
    assert str(exports.resolve()) in bare.stderr
    named = shoes_json(tmp_path, str(exports), "--as-of", "2026-02-28")
    assert json.loads(bare.stdout) == named
    assert named["shoes"][0]["distance_m"] == 500_000.0
    # an import that found no file does not replace the folders to count from
    empty = tmp_path / "empty"
    empty.mkdir()
    assert invoke(tmp_path, "import", str(empty)).exit_code == 1
    again = invoke(tmp_path, "shoes", "--as-of", "2026-02-28", "--format", "json")
    assert json.loads(again.stdout) == named


def test_shoe_edits_refuse_mistakes(tmp_path: Path, exports: Path) -> None:
    # no import yet: an activity id cannot be checked, so it is not taken on trust
    assert invoke(tmp_path, "shoes", "add", "Spare", "--since", "2026-01-01").exit_code == 0
    unchecked = invoke(tmp_path, "shoes", "assign", "Spare", "--activity", "20260101T120000Z")
    assert unchecked.exit_code == 1
    assert "no imported activities to find 20260101T120000Z in" in unchecked.stderr
    shoes_json(tmp_path, str(exports), "--as-of", "2026-02-28")
    # a well-formed id that no import has seen (the log has no run on 2026-01-02 at 06:00)
    unknown = invoke(tmp_path, "shoes", "assign", "Spare", "--activity", "20260102T060000Z")
    assert unknown.exit_code == 1
    assert "Error: no activity 20260102T060000Z in your imports" in unknown.stderr
    assert (
        invoke(tmp_path, "shoes", "assign", "Spare", "--activity", "20260102T120000Z").exit_code
        == 0
    )

    # retiring twice: the second, without --on, is refused and the first date kept
    assert invoke(tmp_path, "shoes", "retire", "Spare", "--on", "2026-02-10").exit_code == 0
    twice = invoke(tmp_path, "shoes", "retire", "Spare")
    assert twice.exit_code == 1
    assert (
        "'Spare' was already retired on 2026-02-10; give --on DATE to change that date"
        in twice.stderr
    )
    # a retired pair takes no runs after its retirement, nor before its first day
    late = invoke(
        tmp_path, "shoes", "assign", "Spare", "--from", "2026-02-01", "--to", "2026-02-15"
    )
    assert late.exit_code == 1 and "'Spare' was retired on 2026-02-10" in late.stderr
    late_run = invoke(tmp_path, "shoes", "assign", "Spare", "--activity", "20260215T120000Z")
    assert late_run.exit_code == 1 and "before 2026-02-15" in late_run.stderr
    early = invoke(
        tmp_path, "shoes", "assign", "Spare", "--from", "2025-12-31", "--to", "2026-01-05"
    )
    assert early.exit_code == 1
    assert "'Spare' went into service on 2026-01-01, after 2025-12-31" in early.stderr
    # within its service it still takes runs; --on moves the retirement on purpose
    assert (
        invoke(
            tmp_path, "shoes", "assign", "Spare", "--from", "2026-02-01", "--to", "2026-02-03"
        ).exit_code
        == 0
    )
    moved = invoke(tmp_path, "shoes", "retire", "Spare", "--on", "2026-02-20")
    assert moved.exit_code == 0 and "Retired 'Spare' on 2026-02-20." in moved.stdout
    rows = {
        s["name"]: s for s in shoes_json(tmp_path, str(exports), "--as-of", "2026-02-28")["shoes"]
    }
    # 01-02 and 02-01..02-03: four runs of 10 km
    assert rows["Spare"]["runs"] == 4 and rows["Spare"]["retired_on"] == "2026-02-20"
