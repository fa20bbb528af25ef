"""The README is part of the product: every command, rule and config key is documented."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

import pytest
import typer
from helpers.paths import PROJECT

from loadwatch.cli import app
from loadwatch.config import parse_config
from loadwatch.ingest.plausibility import LIMITS, RUNNING_RECORDS, running_speed_limit
from loadwatch.model import Integrity, Sport
from loadwatch.roster import load_roster
from loadwatch.rules import RULES

README = (PROJECT / "README.md").read_text(encoding="utf-8")


def _commands() -> list[tuple[str, object]]:
    group = typer.main.get_group(app)
    found: list[tuple[str, object]] = []
    for name, command in group.commands.items():
        found.append((name, command))
        for sub_name, sub in getattr(command, "commands", {}).items():
            found.append((f"{name} {sub_name}", sub))
    return found


@pytest.mark.parametrize(("name", "command"), _commands(), ids=lambda v: str(v)[:30])
def test_every_command_has_help_and_is_in_the_readme(name: str, command: object) -> None:
    assert getattr(command, "help", None), f"{name} has no help text"
    assert f"loadwatch {name}" in README, f"README does not show `loadwatch {name}`"


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_every_rule_and_parameter_is_documented(rule) -> None:  # type: ignore[no-untyped-def]
    assert f"`{rule.id}`" in README
    for key in rule.defaults:
        assert re.search(rf"\b{re.escape(key)}\b", README), f"{rule.id}.{key} not in README"


def test_readme_config_example_loads() -> None:
    blocks = re.findall(r"```toml\n(.*?)```", README, flags=re.S)
    assert blocks, "README has no TOML example"
    for block in blocks:
        if not block.startswith(ROSTER_MARK):
            parse_config(tomllib.loads(block))


ROSTER_MARK = "# team.toml"


def test_readme_roster_example_loads(tmp_path: Path) -> None:
    blocks = [
        b for b in re.findall(r"```toml\n(.*?)```", README, flags=re.S) if b.startswith(ROSTER_MARK)
    ]
    assert len(blocks) == 1, "README shows one team.toml"
    (tmp_path / "team.toml").write_text(blocks[0], encoding="utf-8")
    for athlete in tomllib.loads(blocks[0])["athletes"].values():
        (tmp_path / athlete["folder"]).mkdir(parents=True)
    assert [a.name for a in load_roster(tmp_path)] == ["Ana López", "Bo"]


def test_readme_has_exactly_the_two_fresh_machine_commands() -> None:
    assert "pip install . && loadwatch report sample_activities" in README
    assert "pip install '.[test]' && pytest" in README
    assert "not medical advice" in README


def _readme_row(label: str) -> list[str]:
    """The cells of the README limits table's row starting with ``label``."""
    for line in README.splitlines():
        if line.startswith(f"| {label}"):
            return [cell.strip() for cell in line.strip("|").split("|")][1:]
    raise AssertionError(f"no README row '{label}'")


SPORT_COLUMNS = (Sport.RUN, Sport.WALK, Sport.HIKE, Sport.RIDE, Sport.SWIM, Sport.OTHER)


def test_readme_limits_table_is_the_code_s_table() -> None:
    header = _readme_row("limit (per activity)")
    assert header == [s.value for s in SPORT_COLUMNS]
    distances = _readme_row("distance")
    durations = _readme_row("elapsed time")
    speeds = _readme_row("average speed")
    climbs = _readme_row("climb")
    for index, sport in enumerate(SPORT_COLUMNS):
        limits = LIMITS[sport]
        assert distances[index] == f"{limits.distance_m / 1000:,.0f} km"
        assert durations[index] == f"{limits.duration_s / 86400:.0f} days"
        assert climbs[index] == f"{limits.ascent_per_km_m:.0f} m per km"
        if sport is not Sport.RUN:
            assert speeds[index] == f"{limits.speed_ms:g} m/s"
    for distance_m, _ in RUNNING_RECORDS:
        assert f"{running_speed_limit(distance_m):.2f}" in README


def test_readme_names_every_integrity_value() -> None:
    for level in Integrity:
        assert f"| `{level.value}` |" in README


def _cli_options() -> dict[str, set[str]]:
    """Each command's options, by its words after ``loadwatch`` ("shoes add")."""
    import typer

    from loadwatch.cli import app

    found: dict[str, set[str]] = {}

    def walk(command: Any, path: list[str]) -> None:
        if hasattr(command, "commands"):
            for name, sub in command.commands.items():
                walk(sub, [*path, name])
            return
        found[" ".join(path)] = {
            opt
            for p in command.params
            if p.param_type_name == "option" and not p.hidden
            for opt in p.opts + p.secondary_opts
            if opt.startswith("--") and opt != "--help"
        }

    walk(typer.main.get_command(app), [])
    return found


def test_the_command_table_lists_each_command_with_its_real_options() -> None:
    cli = _cli_options()
    documented: dict[str, set[str]] = {}
    for cell in re.findall(r"^\| `loadwatch ([^`]+)` \|", README, flags=re.M):
        for variant in cell.split("` / `loadwatch "):
            words = variant.split()
            if " ".join(words[:2]) in cli:
                name = " ".join(words[:2])
            elif words[0] in cli:
                name = words[0]
            else:
                name = f"{words[0]} list"  # bare 'loadwatch shoes' is 'shoes list'
            options = set(re.findall(r"--[a-z][a-z-]*", variant))
            documented.setdefault(name, set()).update(options)
    for name, options in documented.items():
        assert name in cli, f"README documents 'loadwatch {name}', which does not exist"
        unknown = options - cli[name]
        assert not unknown, f"README gives 'loadwatch {name}' options it lacks: {unknown}"
    for name, options in cli.items():
        missing = options - documented.get(name, set())
        assert not missing, f"README's row for 'loadwatch {name}' leaves out {missing}"


def test_the_stale_data_threshold_is_the_documented_one() -> None:
    from loadwatch.analysis import STALE_DAYS

    assert f"no run in\nthe last {STALE_DAYS} days" in README
