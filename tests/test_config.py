"""Settings: every key validated, unknown keys named with the file."""

from __future__ import annotations

from pathlib import Path

import pytest

from loadwatch.config import find_config, load_config, parse_config
from loadwatch.errors import ConfigError
from loadwatch.model import Surface
from loadwatch.units import Units


def test_defaults_without_a_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    config = load_config(None, [tmp_path])
    assert config.units is Units.MI and config.week_start == "monday" and config.source is None


def test_folder_config_is_found_before_the_config_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "xdg"
    (home / "loadwatch").mkdir(parents=True)
    (home / "loadwatch" / "loadwatch.toml").write_text('units = "km"\n')
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home))
    folder = tmp_path / "athlete"
    folder.mkdir()
    assert load_config(None, [folder]).units is Units.KM
    (folder / "loadwatch.toml").write_text('units = "mi"\ntimezone = "Europe/London"\n')
    config = load_config(None, [folder])
    assert (config.units, config.timezone) == (Units.MI, "Europe/London")
    assert find_config(None, [folder]) == folder / "loadwatch.toml"


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ('unit = "km"', "unit"),
        ('units = "furlongs"', "units"),
        ('timezone = "Mars/Olympus"', "timezone"),
        ('[surfaces]\n"20260101T070000Z" = "lava"', "surfaces.20260101T070000Z"),
        ('[email]\npassword = "hunter2"', "email.password"),
        ('[email]\nport = "25"', "email.port"),
        ('[email]\nsmtp = "x"', "email.smtp"),
    ],
)
def test_bad_keys_and_values_name_the_key_and_file(tmp_path: Path, text: str, key: str) -> None:
    path = tmp_path / "lw.toml"
    path.write_text(text + "\n")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert caught.value.key == key
    assert str(path) in str(caught.value)


def test_invalid_toml_is_a_config_error(tmp_path: Path) -> None:
    path = tmp_path / "lw.toml"
    path.write_text("units = \n")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config(path)


def test_surfaces_and_keywords_parse() -> None:
    config = parse_config(
        {"surfaces": {"20260101T070000Z": "Trail"}, "surface_keywords": {"grass": ["park"]}}
    )
    assert config.surfaces == {"20260101T070000Z": Surface.TRAIL}
    assert config.surface_keywords == {Surface.GRASS: ("park",)}


def test_email_password_env_is_kept_but_never_a_password() -> None:
    config = parse_config(
        {
            "email": {
                "host": "smtp.example.org",
                "password_env": "LW_PASS",
                "to": "me@example.org",
                "from": "lw@example.org",
            }
        }
    )
    assert config.email.password_env == "LW_PASS" and config.email.to == ("me@example.org",)


def test_as_of_pins_today_for_a_frozen_archive(tmp_path: Path) -> None:
    from datetime import date

    path = tmp_path / "lw.toml"
    path.write_text("as_of = 2026-11-22\n")
    assert load_config(path).as_of == date(2026, 11, 22)
    path.write_text('as_of = "2026-11-22"\n')
    assert load_config(path).as_of == date(2026, 11, 22)
    path.write_text('as_of = "next week"\n')
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert caught.value.key == "as_of"
