"""Library entry points behind ``loadwatch weekly`` and ``loadwatch check``.

They join what the import gives with the user's own data (shoes, pain log) and the
config, and call the pure table and rules code; the CLI and the report call these.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pandas as pd

from loadwatch import pain, weekly
from loadwatch.config import Config
from loadwatch.library import Collection, data_dir
from loadwatch.rules import Finding, evaluate
from loadwatch.shoes import load_rule_inputs

#: how far back ``check`` looks when no --since is given
DEFAULT_CHECK_DAYS = 28
#: this many days without a run is news in itself: the export may have stopped syncing
STALE_DAYS = 21


def weekly_table(collection: Collection, config: Config, as_of: date) -> pd.DataFrame:
    """The SI weekly table of the collection's runs (see ``weekly.build_weekly``)."""
    return weekly.build_weekly(collection.runs, as_of, config.week_start)  # type: ignore[arg-type]


def days_since_last_run(collection: Collection, as_of: date) -> int | None:
    """Days from the newest run up to ``as_of`` to ``as_of`` (None without a run)."""
    days = [a.start_local.date() for a in collection.runs if a.start_local.date() <= as_of]
    return (as_of - max(days)).days if days else None


def stale_note(collection: Collection, as_of: date, days: int = STALE_DAYS) -> str | None:
    """The line a report or check starts with when no run came in for ``days`` days.

    A cron job pointed at a folder that stopped syncing must not stay silent.
    """
    gap = days_since_last_run(collection, as_of)
    if gap is None:
        return "No runs in these exports: is this the right folder, and is it still syncing?"
    if gap < days:
        return None
    return (f"No run in the last {gap} days (last on {(as_of - timedelta(days=gap)).isoformat()}):"
            " is your export still syncing?")


def user_inputs(collection: Collection, home: Path | None = None) -> dict[str, Any]:
    """What the user typed that the rules read: shoes (with new gear recorded) and pain."""
    return {
        # the user's shoes, with gear names met in the exports recorded first
        **load_rule_inputs(data_dir(home), collection.activities, collection.gear),
        # the heel-pain diary, for the pain rules and the stricter load rules
        **pain.rule_inputs(data_dir(home)),
    }


def findings(
    collection: Collection,
    config: Config,
    *,
    as_of: date,
    since: date | None = None,
    home: Path | None = None,
    inputs: Mapping[str, Any] | None = None,
) -> list[Finding]:
    """Every rule's findings dated ``since`` (default 28 days before ``as_of``) to ``as_of``.

    ``inputs`` are ``user_inputs`` already loaded by a caller that needs them too.
    """
    if since is None:
        since = as_of - timedelta(days=DEFAULT_CHECK_DAYS)
    return evaluate(
        collection.runs,
        as_of,
        week_start=config.week_start,  # type: ignore[arg-type]
        params=config.rules,
        since=since,
        units=config.units,
        **(inputs if inputs is not None else user_inputs(collection, home)),
    )
