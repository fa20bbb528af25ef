"""``loadwatch team``: a generated team of six athletes with known findings, ranked.

Each athlete is 14 weeks of FIT files from ``cohortbuild``; what sets them apart is
written here, and the expected order follows from the rules by hand:

- Red logged heel pain at rest 3 days ago: ``pain-red-flag`` (a red flag, first);
- Spike ran 26 km 5 days ago against a month's longest of 12 km: +117%, over
  ``long-run-spike``'s 100% (a warning);
- Jump ran 14 km 5 days ago against 12 km: +16.7%, over 10% (a caution);
- Worn's only pair passed its limit six weeks ago, outside the 28-day window, so
  the finding is old but the pair is due (shoes due);
- Silent stopped five weeks ago (no run for 21 days or more);
- Calm ran the steady plan to the end.
"""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from helpers import cohortbuild
from typer.testing import CliRunner

from loadwatch.cli import app
from loadwatch.errors import ConfigError
from loadwatch.roster import load_roster, slug_of
from loadwatch.team import Attention, team_dashboard
from loadwatch.units import Units
from loadwatch.userdata import pain_store
from loadwatch.userdata.pain import PainEntry
from loadwatch.userdata.store import open_userdata

AS_OF = cohortbuild.DEMO_AS_OF
FIRST = AS_OF - timedelta(weeks=14) + timedelta(days=1)
ORDER = list(cohortbuild.DEMO_ORDER)


@pytest.fixture(scope="module", autouse=True)
def _no_user_config(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CONFIG_HOME", str(tmp_path_factory.mktemp("xdg")))
        patch.delenv("LOADWATCH_HOME", raising=False)
        yield


def _plans() -> dict[str, list[cohortbuild.Planned]]:
    return cohortbuild.demo_team_plans(AS_OF)


def _user_data(home: Path) -> float:
    return cohortbuild.demo_team_user_data(home, AS_OF)


@pytest.fixture(scope="module")
def team_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("team")
    for name, plan in _plans().items():
        cohortbuild.write_athlete(root / name, plan)
    return root


def _user_data(home: Path) -> float:
    """Red's diary and Worn's shoe, each in that athlete's own data directory."""
    red = home / "athletes" / slug_of("Red")
    red.mkdir(parents=True)
    with open_userdata(red) as store:
        pain_store.add_entry(store, PainEntry(AS_OF - timedelta(days=3), 4, "under", "rest"))
    # Worn's pair reaches its limit on the run six weeks before today
    runs = _plans()["Worn"]
    crossing = AS_OF - timedelta(weeks=6)
    limit = sum(a.distance_m for a in runs if a.start_local.date() <= crossing) - 1.0
    worn = home / "athletes" / slug_of("Worn")
    worn.mkdir(parents=True)
    with open_userdata(worn) as store:
        store.add_shoe("Old Pegasus", in_service=FIRST, limit_m=limit)
    return limit


@pytest.fixture(scope="module")
def dashboard(team_root: Path, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    home = tmp_path_factory.mktemp("home")
    _user_data(home)
    out = home / "out"
    team = team_dashboard(
        team_root, home=home, out_dir=out, as_of=AS_OF, units=Units.KM, formats=("html", "json")
    )
    return team, home, out


@pytest.mark.slow  # reads the generated team (six athletes, 14 weeks of FIT files)
def test_athletes_are_ranked_by_what_needs_attention(dashboard) -> None:  # type: ignore[no-untyped-def]
    team, _home, _out = dashboard
    assert [row.athlete.name for row in team.rows] == ORDER
    tiers = {row.athlete.name: row.tier for row in team.rows}
    assert tiers == {
        "Red": Attention.RED_FLAG,
        "Spike": Attention.WARNING,
        "Jump": Attention.CAUTION,
        "Worn": Attention.SHOES_DUE,
        "Silent": Attention.SILENT,
        "Calm": Attention.CALM,
    }
    lights = {row.athlete.name: row.light for row in team.rows}
    assert lights == {
        "Red": "red",
        "Spike": "red",
        "Jump": "amber",
        "Worn": "green",
        "Silent": "green",
        "Calm": "green",
    }
    red = team.rows[0]
    assert Attention.PAIN in red.attention  # at rest 3 days ago: in pain too


@pytest.mark.slow  # reads the generated team (six athletes, 14 weeks of FIT files)
def test_each_row_has_the_findings_the_rules_give(dashboard) -> None:  # type: ignore[no-untyped-def]
    team, _home, _out = dashboard
    rows = {row.athlete.name: row for row in team.rows}
    spike = [f for f in rows["Spike"].report.findings if f.rule == "long-run-spike"]
    assert [f.value for f in spike] == [round((26.0 / 12.0 - 1) * 100, 2)]
    assert rows["Spike"].top_findings()[0].rule == "long-run-spike"
    jump = [f for f in rows["Jump"].report.findings if f.rule == "long-run-spike"]
    assert [f.value for f in jump] == [round((14.0 / 12.0 - 1) * 100, 2)]
    assert rows["Red"].top_findings()[0].rule == "pain-red-flag"
    assert rows["Worn"].shoes_due() == ["Old Pegasus"]
    assert rows["Silent"].days_since_run is not None and rows["Silent"].days_since_run >= 35
    assert rows["Calm"].report.has_news is False


@pytest.mark.slow  # reads the generated team (six athletes, 14 weeks of FIT files)
def test_last_eight_weeks_are_the_weekly_table(dashboard) -> None:  # type: ignore[no-untyped-def]
    team, _home, _out = dashboard
    calm = next(row for row in team.rows if row.athlete.name == "Calm")
    weeks = calm.weeks()
    assert len(weeks) == 8
    # the steady plan: three easy 8 km runs and a 12 km long run every week
    assert [round(m) for _, m in weeks] == [36000] * 8
    assert weeks[-1][0] == AS_OF - timedelta(days=6)
    silent = next(row for row in team.rows if row.athlete.name == "Silent")
    assert [round(m) for _, m in silent.weeks()][-5:] == [0] * 5


@pytest.mark.slow  # reads the generated team (six athletes, 14 weeks of FIT files)
def test_user_data_stays_with_each_athlete(dashboard) -> None:  # type: ignore[no-untyped-def]
    team, home, _out = dashboard
    rows = {row.athlete.name: row for row in team.rows}
    for name in ORDER:
        own = home / "athletes" / slug_of(name)
        assert (own / "userdata.sqlite").is_file() and (own / "cache.sqlite").is_file()
        diary = pain_store.load_pain(own)
        assert len(diary) == (1 if name == "Red" else 0), name
        shoes = [s["name"] for s in rows[name].report.shoe_rows()]
        assert shoes == (["Old Pegasus"] if name == "Worn" else []), name
        assert not any(
            f.rule.startswith("pain-") for f in rows[name].report.findings if name != "Red"
        )
    # nothing of the athletes' is in the team's own data directory
    assert not (home / "userdata.sqlite").exists()


@pytest.mark.slow  # reads the generated team (six athletes, 14 weeks of FIT files)
def test_page_links_every_athlete_s_report_and_escapes_names(dashboard) -> None:  # type: ignore[no-untyped-def]
    team, _home, out = dashboard
    page = (out / "team.html").read_text(encoding="utf-8")
    for row in team.rows:
        assert row.link is not None and (out / row.link).is_file()
        assert f'href="{row.link}"' in page
    assert page.index(">Red<") < page.index(">Spike<") < page.index(">Calm<")
    assert page.count("<svg") == len(team.rows)
    assert "<script" not in page
    data = json.loads((out / "team.json").read_text(encoding="utf-8"))
    assert [a["name"] for a in data["athletes"]] == ORDER
    assert data["athletes"][0]["attention"][0] == "red-flag"


@pytest.mark.slow  # reads the generated team (six athletes, 14 weeks of FIT files)
def test_a_warm_run_reads_no_file_again(team_root: Path, dashboard) -> None:  # type: ignore[no-untyped-def]
    team, home, out = dashboard
    assert all(row.summary is not None and row.summary.parsed > 0 for row in team.rows)
    again = team_dashboard(
        team_root, home=home, out_dir=out, as_of=AS_OF, units=Units.KM, formats=("html", "json")
    )
    assert [row.athlete.name for row in again.rows] == ORDER
    for row in again.rows:
        assert row.summary is not None
        assert row.summary.files > 0 and row.summary.parsed == 0, row.athlete.name


@pytest.mark.slow  # reads the generated team (six athletes, 14 weeks of FIT files)
def test_roster_maps_names_to_folders_with_their_settings(team_root: Path, tmp_path: Path) -> None:
    roster = tmp_path / "team.toml"
    roster.write_text(
        'units = "km"\n'
        '[athletes."Ana López"]\n'
        f'folder = "{(team_root / "Calm").as_posix()}"\n'
        'week_start = "sunday"\n'
        'timezone = "Europe/Madrid"\n'
        '[athletes."Bo"]\n'
        f'folder = "{(team_root / "Jump").as_posix()}"\n'
        'units = "mi"\n',
        encoding="utf-8",
    )
    athletes = load_roster(tmp_path)
    assert [(a.name, a.slug, a.folder.name) for a in athletes] == [
        ("Ana López", "ana-lopez", "Calm"),
        ("Bo", "bo", "Jump"),
    ]
    ana, bo = athletes
    assert (ana.config.units, ana.config.week_start, ana.config.timezone) == (
        Units.KM,
        "sunday",
        "Europe/Madrid",
    )
    assert (bo.config.units, bo.config.week_start) == (Units.MI, "monday")
    home = tmp_path / "home"
    team = team_dashboard(
        tmp_path, home=home, out_dir=home / "out", as_of=AS_OF, units=Units.KM, formats=("json",)
    )
    by_name = {row.athlete.name: row for row in team.rows}
    assert by_name["Ana López"].report.units is Units.KM
    assert {d.weekday() for d in by_name["Ana López"].report.weeks["week_start"]} == {6}
    assert {d.weekday() for d in by_name["Bo"].report.weeks["week_start"]} == {0}
    written = json.loads(next((home / "out" / "bo").glob("*.json")).read_text())
    assert written["units"] == "mi"
    assert (home / "athletes" / "ana-lopez" / "cache.sqlite").is_file()


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ('[athletes.A]\nfolder = "."\ncolour = "red"\n', "athletes.A.colour"),
        ('[athletes.A]\nfolder = "."\nunits = "furlongs"\n', "athletes.A.units"),
        ('[athletes.A]\nfolder = "nowhere"\n', "athletes.A.folder"),
        ('[athletes.A]\nunits = "km"\n', "athletes.A.folder"),
        ('coach = "me"\n[athletes.A]\nfolder = "."\n', "coach"),
        ('[athletes.A]\nfolder = "."\ntimezone = "Mars/Olympus"\n', "athletes.A.timezone"),
    ],
)
def test_a_bad_roster_names_the_key_and_the_file(tmp_path: Path, text: str, key: str) -> None:
    (tmp_path / "team.toml").write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_roster(tmp_path)
    assert caught.value.key == key
    assert key in str(caught.value) and "team.toml" in str(caught.value)


def test_two_names_sharing_a_data_folder_are_refused(tmp_path: Path) -> None:
    (tmp_path / "team.toml").write_text(
        '[athletes."Jo Smith"]\nfolder = "."\n[athletes."jo-smith"]\nfolder = "."\n',
        encoding="utf-8",
    )
    with pytest.raises(ConfigError, match="share the data folder"):
        load_roster(tmp_path)


@pytest.mark.slow  # reads the generated team (six athletes, 14 weeks of FIT files)
def test_cli_json_quiet_and_fail_on(team_root: Path, dashboard, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _team, home, _out = dashboard
    runner = CliRunner()
    base = [
        "--data-dir",
        str(home),
        "team",
        str(team_root),
        "--as-of",
        AS_OF.isoformat(),
        "--out",
        str(tmp_path / "out"),
        "--formats",
        "html",
    ]
    shown = runner.invoke(app, [*base, "--format", "json"])
    assert shown.exit_code == 0, shown.output
    data = json.loads(shown.stdout)
    assert [a["name"] for a in data["athletes"]] == ORDER
    assert data["athletes"][3]["shoes_due"] == ["Old Pegasus"]
    assert all(a["import"]["parsed"] == 0 for a in data["athletes"])  # the warm cache
    failed = runner.invoke(app, [*base, "--quiet", "--fail-on", "warning"])
    assert failed.exit_code == 3
    table = runner.invoke(app, [*base, "--format", "table"])
    assert table.exit_code == 0 and "Spike" in table.stdout


@pytest.mark.slow  # reads the generated team (six athletes, 14 weeks of FIT files)
def test_cli_quiet_prints_nothing_for_a_calm_team(team_root: Path, tmp_path: Path) -> None:
    root = tmp_path / "calm-team"
    root.mkdir()
    (root / "Calm").symlink_to(team_root / "Calm", target_is_directory=True)
    result = CliRunner().invoke(
        app,
        [
            "--data-dir",
            str(tmp_path / "home"),
            "team",
            str(root),
            "--as-of",
            AS_OF.isoformat(),
            "--quiet",
            "--fail-on",
            "caution",
            "--formats",
            "json",
        ],
    )
    assert result.exit_code == 0 and result.stdout == ""


@pytest.mark.slow  # reads the generated team (six athletes, 14 weeks of FIT files)
def test_an_athlete_in_pain_comes_before_a_warning(team_root: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    sore = home / "athletes" / slug_of("Spike")
    sore.mkdir(parents=True)
    with open_userdata(sore) as store:
        pain_store.add_entry(store, PainEntry(AS_OF - timedelta(days=9), 2, "under", "first-steps"))
    root = tmp_path / "two"
    root.mkdir()
    for name in ("Spike", "Calm"):
        (root / name).symlink_to(team_root / name, target_is_directory=True)
    team = team_dashboard(
        root, home=home, out_dir=home / "out", as_of=AS_OF, units=Units.KM, formats=("json",)
    )
    assert [(row.athlete.name, row.tier) for row in team.rows] == [
        ("Spike", Attention.PAIN),
        ("Calm", Attention.CALM),
    ]
    assert team.rows[0].attention[:2] == (Attention.PAIN, Attention.WARNING)


@pytest.mark.slow  # reads the generated team (six athletes, 14 weeks of FIT files)
def test_names_from_folders_are_escaped_and_never_markup(team_root: Path, tmp_path: Path) -> None:
    root = tmp_path / "odd"
    root.mkdir()
    hostile = "<img src=x onerror=alert(1)> [bold]Zed"
    (root / hostile).symlink_to(team_root / "Calm", target_is_directory=True)
    home = tmp_path / "home"
    team = team_dashboard(
        root, home=home, out_dir=home / "out", as_of=AS_OF, units=Units.KM, formats=("html",)
    )
    page = team.page.read_text(encoding="utf-8") if team.page else ""
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    assert team.rows[0].link == f"{slug_of(hostile)}/" + team.rows[0].link.split("/", 1)[1]
    shown = CliRunner().invoke(
        app,
        [
            "--data-dir",
            str(home),
            "team",
            str(root),
            "--as-of",
            AS_OF.isoformat(),
            "--format",
            "table",
            "--formats",
            "json",
        ],
    )
    assert shown.exit_code == 0 and "[bold]Zed" in shown.stdout


@pytest.mark.slow  # reads the generated team (six athletes, 14 weeks of FIT files)
@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("--format", "pdf"),
        ("--fail-on", "info"),
        ("--units", "furlongs"),
        ("--formats", "pdf"),
        ("--weeks", "0"),
    ],
)
def test_a_wrong_value_is_a_wrong_command_line(
    team_root: Path, tmp_path: Path, option: str, value: str
) -> None:
    result = CliRunner().invoke(
        app, ["--data-dir", str(tmp_path / "home"), "team", str(team_root), option, value]
    )
    assert result.exit_code == 2, result.output
    assert option in result.output
    assert not (tmp_path / "home" / "team").exists()
