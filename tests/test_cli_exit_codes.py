"""The README's exit-code table, held against every option of every command.

A wrong value for an option is a wrong command line: exit 2 with the option named,
whatever the option (a choice, a date, a number). The options that take free text
are listed here by hand, so a new option is either checked or consciously exempt.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from loadwatch.cli import app
from loadwatch.cli.common import EXIT_OK, EXIT_THRESHOLD

#: options whose value is any text: a name, a note, a path, a distance read later
FREE_TEXT = {
    "--data-dir",
    "--config",
    "--out",
    "--note",
    "--brand",
    "--model",
    "--notes",
    "--activity",
}
README = Path(__file__).resolve().parent.parent / "README.md"


def commands() -> Iterator[tuple[list[str], Any]]:
    def walk(command: Any, path: list[str]) -> Iterator[tuple[list[str], Any]]:
        if hasattr(command, "commands"):
            for name, sub in sorted(command.commands.items()):
                yield from walk(sub, [*path, name])
        else:
            yield path, command

    yield from walk(typer.main.get_command(app), [])


def _required_arguments(command: Any, tmp_path: Path) -> list[str]:
    folder = tmp_path / "exports"
    folder.mkdir(exist_ok=True)
    values = {
        "paths": str(folder),
        "entry_id": "1",
        "csv_path": str(folder / "x.csv"),
        "name": "Pair",
        "old": "Pair",
        "new": "Other",
        "items": str(folder),
        "root": str(folder),
    }
    return [
        values[p.name] for p in command.params if p.param_type_name == "argument" and p.required
    ]


def checked_options() -> list[tuple[list[str], str]]:
    found = []
    for path, command in commands():
        for param in command.params:
            if param.param_type_name != "option" or param.is_flag or param.hidden:
                continue
            option = param.opts[0]
            if option not in FREE_TEXT:
                found.append((path, option))
    return found


def test_every_value_option_is_checked() -> None:
    options = {option for _, option in checked_options()}
    # the choice, date and number options the README documents
    assert {
        "--units",
        "--format",
        "--fail-on",
        "--week-start",
        "--as-of",
        "--since",
        "--until",
        "--weeks",
        "--formats",
        "--where",
        "--when",
        "--side",
        "--level",
        "--date",
        "--default-for",
        "--on",
        "--from",
        "--to",
        "--limit",
        "--start-distance",
    } <= options


@pytest.mark.parametrize(
    ("path", "option"), checked_options(), ids=lambda v: " ".join(v) if isinstance(v, list) else v
)
def test_a_wrong_value_exits_2_naming_the_option(
    path: list[str], option: str, tmp_path: Path
) -> None:
    command = {tuple(p): c for p, c in commands()}[tuple(path)]
    args = [*path, *_required_arguments(command, tmp_path), option, "2026-13-01x"]
    result = CliRunner().invoke(app, ["--data-dir", str(tmp_path / "home"), *args])
    assert result.exit_code == 2, (args, result.output)
    words = " ".join(result.output.replace("│", " ").split())
    assert f"Invalid value for '{option}'" in words or f"'{option}'" in words, words
    assert "Traceback" not in result.output


def test_the_readme_table_has_the_codes_the_cli_uses() -> None:
    table = README.read_text(encoding="utf-8").split("### Exit codes", 1)[1]
    codes = [int(c) for c in re.findall(r"^\| (\d) \|", table, re.M)]
    assert codes == [EXIT_OK, 1, 2, EXIT_THRESHOLD]
