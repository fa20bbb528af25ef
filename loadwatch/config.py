"""Settings from a TOML file, validated eagerly: an unknown key is an error, never a default.

Where the file is found, first match wins: ``--config PATH``; ``loadwatch.toml`` in
the first folder given on the command line (so a coach can keep one per athlete);
``loadwatch.toml`` in the config directory (``$XDG_CONFIG_HOME/loadwatch``).
"""

from __future__ import annotations

import os
import stat
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from loadwatch.errors import ConfigError
from loadwatch.model import Surface
from loadwatch.timezones import system_timezone_name
from loadwatch.units import Units

if TYPE_CHECKING:
    # for the hint only: weekly imports pandas, which reading settings does not need
    from loadwatch.runs import WeekStart

CONFIG_NAME = "loadwatch.toml"
WEEK_STARTS = ("monday", "sunday")


@dataclass(frozen=True, slots=True)
class EmailSettings:
    host: str = "localhost"
    port: int = 587
    starttls: bool = True
    username: str | None = None
    #: name of the environment variable holding the password (never the password)
    password_env: str | None = None
    sender: str | None = None
    to: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Config:
    units: Units = Units.MI
    week_start: WeekStart = "monday"
    timezone: str = field(default_factory=system_timezone_name)
    #: activity id -> surface, for runs whose source got the surface wrong
    surfaces: Mapping[str, Surface] = field(default_factory=dict)
    #: surface -> extra words that mark it in activity names
    surface_keywords: Mapping[Surface, tuple[str, ...]] = field(default_factory=dict)
    #: rule id -> parameter -> value, only what the file overrides
    rules: Mapping[str, Mapping[str, float]] = field(default_factory=dict)
    email: EmailSettings = field(default_factory=EmailSettings)
    #: "today" for an archive that no longer grows (an athlete's or patient's export);
    #: --as-of overrides it, and without either the commands use the real date
    as_of: date | None = None
    #: the file these came from, if any
    source: Path | None = None

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


def config_dir() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "loadwatch"


def find_config(explicit: Path | None, folders: Sequence[Path] = ()) -> Path | None:
    if explicit is not None:
        if not explicit.is_file():
            raise ConfigError("config file not found", str(explicit))
        return explicit
    for folder in folders[:1]:
        candidate = folder / CONFIG_NAME
        if folder.is_dir() and candidate.is_file():
            return candidate
    candidate = config_dir() / CONFIG_NAME
    return candidate if candidate.is_file() else None


def load_config(explicit: Path | None = None, folders: Sequence[Path] = ()) -> Config:
    path = find_config(explicit, folders)
    if path is None:
        return Config()
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read config: {exc}", str(path)) from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"not valid TOML: {exc}", str(path)) from exc
    return parse_config(raw, path)


def parse_config(raw: Mapping[str, Any], path: Path | None = None) -> Config:
    where = str(path) if path else "config"
    known = {
        "units",
        "week_start",
        "timezone",
        "surfaces",
        "surface_keywords",
        "rules",
        "email",
        "as_of",
    }
    _no_unknown(raw, known, "", where)
    values: dict[str, Any] = {"source": path}
    if "units" in raw:
        values["units"] = _choice(raw["units"], [u.value for u in Units], "units", where)
        values["units"] = Units(values["units"])
    if "week_start" in raw:
        values["week_start"] = _choice(raw["week_start"], list(WEEK_STARTS), "week_start", where)
    if "timezone" in raw:
        zone = raw["timezone"]
        try:
            ZoneInfo(str(zone))
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ConfigError(f"unknown time zone {zone!r}", where, "timezone") from exc
        values["timezone"] = str(zone)
    if "as_of" in raw:
        values["as_of"] = _date(raw["as_of"], "as_of", where)
    surfaces = [s.value for s in Surface]
    if "surfaces" in raw:
        table = _table(raw["surfaces"], "surfaces", where)
        values["surfaces"] = {
            str(k): Surface(_choice(v, surfaces, f"surfaces.{k}", where)) for k, v in table.items()
        }
    if "surface_keywords" in raw:
        table = _table(raw["surface_keywords"], "surface_keywords", where)
        keywords: dict[Surface, tuple[str, ...]] = {}
        for key, words in table.items():
            surface = Surface(_choice(key, surfaces, f"surface_keywords.{key}", where))
            if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
                raise ConfigError("must be a list of words", where, f"surface_keywords.{key}")
            keywords[surface] = tuple(words)
        values["surface_keywords"] = keywords
    if "rules" in raw:
        values["rules"] = _rules(_table(raw["rules"], "rules", where), where)
    if "email" in raw:
        values["email"] = _email(_table(raw["email"], "email", where), where)
    return Config(**values)


#: rules and settings an earlier loadwatch had, and what became of them
RETIRED_RULES = {
    "hard-surface": "was removed: the evidence does not support it (see surface-change and "
    "track-share)",
    "worn-shoes-hard-surface": "was removed: no study supports it (see shoe-mileage)",
}
RENAMED_SETTINGS = {
    ("weekly-increase", "warning_pct"): "weekly-increase now gives information above "
    "info_pct (10%) and a caution above caution_pct (30%); warning_pct is gone",
}


def _rules(table: Mapping[str, Any], where: str) -> dict[str, dict[str, float]]:
    from loadwatch.rules import default_params

    defaults = default_params()
    out: dict[str, dict[str, float]] = {}
    for rule_id, params in table.items():
        if rule_id in RETIRED_RULES:
            raise ConfigError(
                f"rule '{rule_id}' {RETIRED_RULES[rule_id]}", where, f"rules.{rule_id}"
            )
        if rule_id not in defaults:
            raise ConfigError(
                f"unknown rule '{rule_id}' (known: {', '.join(sorted(defaults))})",
                where,
                f"rules.{rule_id}",
            )
        params = _table(params, f"rules.{rule_id}", where)
        for name in params:
            if (rule_id, name) in RENAMED_SETTINGS:
                raise ConfigError(
                    RENAMED_SETTINGS[(rule_id, name)], where, f"rules.{rule_id}.{name}"
                )
        _no_unknown(params, set(defaults[rule_id]), f"rules.{rule_id}.", where)
        checked: dict[str, float] = {}
        for name, value in params.items():
            if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
                raise ConfigError("must be a non-negative number", where, f"rules.{rule_id}.{name}")
            checked[name] = value
        out[rule_id] = checked
    return out


def _email(table: Mapping[str, Any], where: str) -> EmailSettings:
    names = {"host", "port", "starttls", "username", "password_env", "from", "to", "password"}
    _no_unknown(table, names, "email.", where)
    if "password" in table:
        raise ConfigError(
            "do not write the password in the file; name an environment variable with password_env",
            where,
            "email.password",
        )
    to = table.get("to", ())
    if isinstance(to, str):
        to = (to,)
    if not isinstance(to, list | tuple) or not all(isinstance(t, str) for t in to):
        raise ConfigError("must be an address or a list of addresses", where, "email.to")
    port = table.get("port", 587)
    if isinstance(port, bool) or not isinstance(port, int) or not 0 < port < 65536:
        raise ConfigError("must be a port number", where, "email.port")
    starttls = table.get("starttls", True)
    if not isinstance(starttls, bool):
        raise ConfigError("must be true or false", where, "email.starttls")
    for key in ("host", "username", "password_env", "from"):
        if key in table and not isinstance(table[key], str):
            raise ConfigError("must be text", where, f"email.{key}")
    return EmailSettings(
        host=table.get("host", "localhost"),
        port=port,
        starttls=starttls,
        username=table.get("username"),
        password_env=table.get("password_env"),
        sender=table.get("from"),
        to=tuple(to),
    )


def readable_by_others(path: Path) -> bool:
    """Whether a file's permissions let other users read it (a risk when it names secrets)."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return bool(mode & (stat.S_IRGRP | stat.S_IROTH))


def _no_unknown(table: Mapping[str, Any], known: set[str], prefix: str, where: str) -> None:
    for key in table:
        if key not in known:
            raise ConfigError(
                f"unknown key '{prefix}{key}' (known: {', '.join(sorted(known))})",
                where,
                f"{prefix}{key}",
            )


def _table(value: Any, key: str, where: str) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise ConfigError("must be a table", where, key)
    return value


def _date(value: Any, key: str, where: str) -> date:
    if isinstance(value, date) and not hasattr(value, "hour"):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise ConfigError(f"{value!r} is not a date like 2026-11-22", where, key)


def _choice(value: Any, allowed: list[str], key: str, where: str) -> str:
    if not isinstance(value, str) or value.lower() not in allowed:
        raise ConfigError(f"{value!r} is not one of {', '.join(allowed)}", where, key)
    return value.lower()
