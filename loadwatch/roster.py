"""A team's athletes: one folder each under a root, or a ``team.toml`` roster.

Without a roster every folder directly under the root (hidden ones aside) is one
athlete, named after the folder. A ``team.toml`` in the root maps names to folders
and gives per-athlete settings; it is validated like the config file, so an
unknown key or a bad value is an error naming the key and the file::

    units = "km"                     # optional defaults for every athlete
    [athletes."Ana López"]
    folder = "ana"                   # relative to the roster's folder
    units = "mi"
    timezone = "Europe/Madrid"
    week_start = "sunday"

Each athlete's settings start from the ``--config`` file if one is given, else
their own ``loadwatch.toml`` (in their folder, as for a single runner), else the
team's (in the root); then the roster's defaults apply, then their roster entry.
Each athlete keeps their own data directory (cache, shoes, pain diary) under the
team's: ``<data-dir>/athletes/<slug>/``.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
import tomllib
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from loadwatch.config import CONFIG_NAME, WEEK_STARTS, Config, load_config
from loadwatch.errors import ConfigError, UsageError
from loadwatch.ingest.sources import shown
from loadwatch.units import Units

ROSTER_NAME = "team.toml"
#: where athletes' data directories live inside the team's data directory
ATHLETES_DIR = "athletes"
#: the settings a roster may give, for all athletes or one
SETTINGS = ("units", "timezone", "week_start")
_MAX_SLUG = 60


@dataclass(frozen=True, slots=True)
class Athlete:
    """One athlete of a team or cohort: who, where their exports are, their settings."""

    name: str
    #: the name made safe for a folder and a link: lower-case ASCII, digits and hyphens
    slug: str
    folder: Path
    config: Config

    def home(self, team_home: Path) -> Path:
        """The athlete's own data directory inside the team's."""
        return athlete_home(team_home, self.name)


def athlete_home(team_home: Path, name: str) -> Path:
    """``<data-dir>/athletes/<slug>/``: where an athlete's cache, shoes and diary live."""
    return team_home / ATHLETES_DIR / slug_of(name)


def slug_of(name: str) -> str:
    """``Ana López`` -> ``ana-lopez``; a name with no letters or digits gets a hash.

    Stable for a name, so the athlete's data directory does not move when the roster
    changes around them.
    """
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")[:_MAX_SLUG].strip("-")
    if not slug:
        slug = "athlete-" + hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:10]
    return slug


def load_roster(root: Path, config_path: Path | None = None) -> list[Athlete]:
    """The athletes under ``root``, in roster (or folder-name) order.

    ``config_path`` is the ``--config`` file: when given it is every athlete's base,
    otherwise each athlete's own ``loadwatch.toml`` is.
    """
    root = root.expanduser()
    if not root.is_dir():
        raise UsageError(f"no such folder: {shown(str(root))}")
    roster = root / ROSTER_NAME
    if roster.is_file():
        athletes = _from_roster(roster, config_path, root)
    else:
        folders = sorted(
            (p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")),
            key=lambda p: p.name,
        )
        athletes = [_athlete(p.name, p, config_path, {}, root) for p in folders]
    if not athletes:
        raise UsageError(
            f"{shown(str(root))} has no athlete folders and no {ROSTER_NAME}: put one folder "
            "of exports per athlete in it"
        )
    _unique(athletes, roster)
    return athletes


def _from_roster(path: Path, config_path: Path | None, root: Path) -> list[Athlete]:
    where = str(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read the roster: {exc}", where) from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"not valid TOML: {exc}", where) from exc
    _known(raw, {*SETTINGS, "athletes"}, "", where)
    defaults = _settings(raw, "", where)
    table = raw.get("athletes")
    if not isinstance(table, dict) or not table:
        raise _error("needs an [athletes.NAME] table for each athlete", where, "athletes")
    athletes: list[Athlete] = []
    for name, entry in table.items():
        key = f"athletes.{name}"
        if not isinstance(entry, dict):
            raise _error("must be a table with at least folder = ...", where, key)
        _known(entry, {"folder", *SETTINGS}, f"{key}.", where)
        if not name.strip():
            raise _error("an athlete needs a name", where, key)
        folder = entry.get("folder")
        if not isinstance(folder, str) or not folder.strip():
            raise _error("must name the athlete's folder of exports", where, f"{key}.folder")
        located = (path.parent / Path(folder).expanduser()).resolve()
        if not located.is_dir():
            raise _error(f"no such folder: {shown(str(located))}", where, f"{key}.folder")
        overrides = {**defaults, **_settings(entry, f"{key}.", where)}
        athletes.append(_athlete(name.strip(), located, config_path, overrides, root))
    return athletes


def _athlete(
    name: str,
    folder: Path,
    config_path: Path | None,
    overrides: Mapping[str, Any],
    root: Path,
) -> Athlete:
    # the athlete's own loadwatch.toml first, then the team's (in the root), then the
    # user's: as for one runner, where the first folder named holds the config
    own = folder / CONFIG_NAME
    base = load_config(config_path, [folder if own.is_file() else root])
    return Athlete(name, slug_of(name), folder, dataclasses.replace(base, **overrides))


def _settings(table: Mapping[str, Any], prefix: str, where: str) -> dict[str, Any]:
    """The roster's units, timezone and week start, checked as the config checks them."""
    found: dict[str, Any] = {}
    if "units" in table:
        found["units"] = Units(
            _choice(table["units"], [u.value for u in Units], f"{prefix}units", where)
        )
    if "week_start" in table:
        found["week_start"] = _choice(
            table["week_start"], list(WEEK_STARTS), f"{prefix}week_start", where
        )
    if "timezone" in table:
        zone = table["timezone"]
        try:
            ZoneInfo(str(zone))
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise _error(f"unknown time zone {zone!r}", where, f"{prefix}timezone") from exc
        found["timezone"] = str(zone)
    return found


def _error(reason: str, where: str, key: str) -> ConfigError:
    """A roster error that names the key as well as the file (value errors included)."""
    return ConfigError(f"{key}: {reason}", where, key)


def _choice(value: Any, allowed: list[str], key: str, where: str) -> str:
    if not isinstance(value, str) or value.lower() not in allowed:
        raise _error(f"{value!r} is not one of {', '.join(allowed)}", where, key)
    return value.lower()


def _known(table: Mapping[str, Any], known: set[str], prefix: str, where: str) -> None:
    for key in table:
        if key not in known:
            raise ConfigError(
                f"unknown key '{prefix}{key}' (known: {', '.join(sorted(known))})",
                where,
                f"{prefix}{key}",
            )


def _unique(athletes: list[Athlete], roster: Path) -> None:
    """Two athletes must never share a data directory: their diaries would mix."""
    seen: dict[str, str] = {}
    for athlete in athletes:
        other = seen.get(athlete.slug)
        if other is not None:
            raise ConfigError(
                f"athletes '{other}' and '{athlete.name}' would share the data folder "
                f"'{athlete.slug}'; give one of them a different name",
                str(roster) if roster.is_file() else None,
            )
        seen[athlete.slug] = athlete.name
