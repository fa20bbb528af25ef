"""Hostile input, part two: what an adversary's files did beyond the mutation figures.

Each test reproduces one defect with a small file and shows the command that used
to fail now gives a correct result or one line, with the rest of the report intact.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from test_library import gpx
from typer.testing import CliRunner, Result

from loadwatch.cli import app

# Text a file may carry that rich would read as markup: a closing tag with nothing
# to close (MarkupError), a live hyperlink, a style, and an emoji code.
HOSTILE_TEXT = "[/] [link=https://evil.example]click[/link] [blink]x[/blink] :smile:"


@pytest.fixture(autouse=True)
def no_user_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # a config in the machine's real config folder must not change these results
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))


def invoke(tmp_path: Path, *args: str) -> Result:
    # wide enough that no table cell wraps
    return CliRunner().invoke(app, ["--data-dir", str(tmp_path / "home"), *args],
                              env={"COLUMNS": "400"})


def test_strings_from_files_are_printed_as_text_never_as_markup(tmp_path: Path) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    (folder / "run.gpx").write_text(gpx("2026-05-04T07:00:00", name=HOSTILE_TEXT))
    (folder / "log.csv").write_text(
        "date,distance_km,duration,sport,shoe\n"
        f'2026-05-06,5,0:30:00,run,"{HOSTILE_TEXT}"\n', encoding="utf-8")
    (folder / "loadwatch.toml").write_text('timezone = "UTC"\n')
    listed = invoke(tmp_path, "activities", str(folder))
    assert listed.exit_code == 0, listed.output
    shoes = invoke(tmp_path, "shoes", str(folder), "--as-of", "2026-05-10")
    assert shoes.exit_code == 0, shoes.output
    logged = invoke(tmp_path, "pain", "log", "--level", "2", "--where", "under",
                    "--date", "2026-05-07", "--note", HOSTILE_TEXT)
    assert logged.exit_code == 0, logged.output
    pains = invoke(tmp_path, "pain", "list")
    assert pains.exit_code == 0, pains.output
    for result in (listed, shoes, pains):
        assert HOSTILE_TEXT in result.stdout, result.stdout
