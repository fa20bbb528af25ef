"""Library entry points behind ``loadwatch weekly`` and ``loadwatch check``.

They join what the import gives with the user's own data (shoes, pain log) and the
config, and call the pure table and rules code; the CLI and the report call these.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from loadwatch.config import Config
from loadwatch.ingest.pipeline import Collection, data_dir
from loadwatch.rules import Finding, RuleContext, run_rules
from loadwatch.userdata import pain_store, shoes
from loadwatch.userdata.pain import PainEntry
from loadwatch.userdata.shoes import Registry
from loadwatch.userdata.store import open_userdata

if TYPE_CHECKING:
    import pandas as pd

# The weekly table loads pandas: it is imported where it is first needed, so a snapshot
# that serves only a shoe list (``loadwatch shoes``) never loads it.

#: how far back ``check`` looks when no --since is given
DEFAULT_CHECK_DAYS = 28
#: this many days without a run is news in itself: the export may have stopped syncing
STALE_DAYS = 21


def weekly_table(collection: Collection, config: Config, as_of: date) -> pd.DataFrame:
    """The SI weekly table of the collection's runs (see ``weekly.build_weekly``)."""
    from loadwatch import weekly

    return weekly.build_weekly(collection.runs, as_of, config.week_start)


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
    return (
        f"No run in the last {gap} days (last on {(as_of - timedelta(days=gap)).isoformat()}):"
        " is your export still syncing?"
    )


@dataclass(frozen=True, eq=False)
class Snapshot:
    """Everything one command works from, loaded once: the exports, the user's data, "today".

    The user data is opened once (``load_snapshot``), and the rule context (with
    its weekly table and daily distances) is built once, however many findings,
    tables and shoe lists the command then asks for. Nothing here touches the
    disk or the clock.
    """

    collection: Collection
    config: Config
    as_of: date
    #: the data directory, resolved
    home: Path
    #: the user's shoes and aliases, with the gear names of these exports recorded
    registry: Registry
    #: the heel-pain diary, in diary order
    pain: tuple[PainEntry, ...] = ()
    #: pairs created from the exports' gear names by this load
    created: tuple[str, ...] = ()

    @cached_property
    def rule_inputs(self) -> dict[str, Any]:
        """The ``RuleContext`` fields from the user's data: ``shoes``, ``shoe_of``, ``pain``."""
        return {**shoes.rule_inputs(self.collection.activities, self.registry), "pain": self.pain}

    @cached_property
    def context(self) -> RuleContext:
        """The rules' view: runs up to ``as_of``, the weekly table, shoes and diary."""
        return RuleContext.build(
            self.collection.runs,
            self.as_of,
            week_start=self.config.week_start,
            params=self.config.rules,
            units=self.config.units,
            **self.rule_inputs,
        )

    @property
    def weeks(self) -> pd.DataFrame:
        """The SI weekly table (``weekly.build_weekly``), built once with the context."""
        return self.context.weeks

    def findings(self, since: date | None = None) -> list[Finding]:
        """Every rule's findings dated ``since`` (default 28 days back) to ``as_of``."""
        if since is None:
            since = self.as_of - timedelta(days=DEFAULT_CHECK_DAYS)
        return run_rules(self.context, since=since)

    def shoe_report(self) -> shoes.ShoeReport:
        """Each pair's runs, distance, status and forecast as of ``as_of``."""
        return shoes.shoe_report(
            self.collection.activities,
            self.registry,
            self.as_of,
            plan_at_m=shoes.plan_mark(self.config.rules),
        )

    @property
    def stale(self) -> str | None:
        return stale_note(self.collection, self.as_of)


def load_snapshot(
    collection: Collection,
    config: Config,
    as_of: date,
    home: Path | None = None,
    *,
    diary: bool = True,
) -> Snapshot:
    """The exports with the user's data read in one visit to it (gear names recorded first).

    ``diary=False`` leaves the pain diary unread, for a command that shows only shoes.
    """
    folder = data_dir(home)
    with open_userdata(folder) as store:
        created = shoes.sync_gear(store, collection.activities, collection.gear)
        registry = shoes.Registry.load(store)
        entries = pain_store.load_entries(store) if diary else ()
    return Snapshot(collection, config, as_of, folder, registry, entries, tuple(created))


def findings(
    collection: Collection,
    config: Config,
    *,
    as_of: date,
    since: date | None = None,
    home: Path | None = None,
) -> list[Finding]:
    """Every rule's findings dated ``since`` (default 28 days before ``as_of``) to ``as_of``."""
    return load_snapshot(collection, config, as_of, home).findings(since)
