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


def weekly_table(collection: Collection, config: Config, as_of: date) -> pd.DataFrame:
    """The SI weekly table of the collection's runs (see ``weekly.build_weekly``)."""
    return weekly.build_weekly(collection.runs, as_of, config.week_start)  # type: ignore[arg-type]


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
