"""What every rule reads: the ``RuleContext`` built once per evaluation, and ``Rule``.

The context holds the runs up to "today", the weekly table, daily distances, the
user's shoes and pain diary, and the runner's unit; rules read nothing else (no
clock, no disk).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property
from typing import TYPE_CHECKING, Any

from loadwatch.model import Activity
from loadwatch.rules.findings import Finding, distance_mark
from loadwatch.runs import WeekStart, running, week_start_of
from loadwatch.units import Units
from loadwatch.userdata import pain as pain_diary
from loadwatch.userdata.shoes import Usage, rule_usage

if TYPE_CHECKING:
    import pandas as pd

    from loadwatch.userdata.pain import Episode, PainEntry
    from loadwatch.userdata.store import Shoe

Number = float | int
Params = Mapping[str, Mapping[str, Number]]

# Comparisons against thresholds allow for float noise: 10 km -> 11 km is exactly
# +10% to a person, even if the subtraction gives 10.000000000000009.
_EPSILON = 1e-9


def exceeds(value: float, limit: float) -> bool:
    """``value > limit``, ignoring differences that are only float rounding."""
    return value - limit > _EPSILON * max(1.0, abs(limit))


def at_least(value: float, limit: float) -> bool:
    """``value >= limit``, ignoring differences that are only float rounding."""
    return not exceeds(limit, value)


@dataclass(frozen=True, slots=True)
class Rule:
    """One registered rule: a stable id (the config table name), its defaults and check."""

    id: str
    title: str
    #: parameter name -> default; the config's ``[rules.<id>]`` may override these keys
    defaults: Mapping[str, Number]
    check: Callable[[RuleContext], list[Finding]]


@dataclass(frozen=True, eq=False)
class RuleContext:
    """Everything rules may look at, computed once per evaluation.

    Later data (shoes, pain diary) joins as new optional fields with defaults;
    ``build`` passes such fields through unchanged.
    """

    #: running activities up to ``as_of`` (local date), sorted by start
    runs: tuple[Activity, ...]
    #: the SI weekly table from ``weekly.build_weekly``
    weeks: pd.DataFrame
    #: metres per local day from the first run to ``as_of`` (rest days 0)
    daily: pd.Series
    as_of: date
    week_start: WeekStart = "monday"
    #: rule id -> parameter overrides (missing keys fall back to the rule's defaults)
    params: Params = field(default_factory=dict)
    #: the user's pairs (limits, start distances, dates) for the shoe rules
    shoes: Sequence[Shoe] = ()
    #: activity id -> the pair it counts for (``shoes.rule_inputs``); None: from the gear
    shoe_of: Mapping[str, str | None] | None = None
    #: the heel-pain diary, for the pain rules; while it says the heel hurts,
    #: ``long-run-spike`` and ``weekly-increase`` are stricter (see ``pain_on``)
    pain: Sequence[PainEntry] = ()
    #: the runner's unit, which messages give first
    units: Units = Units.KM

    @classmethod
    def build(
        cls,
        runs: Sequence[Activity],
        as_of: date,
        *,
        week_start: WeekStart = "monday",
        params: Params | None = None,
        **extra: Any,
    ) -> RuleContext:
        # The weekly table needs pandas; loading it here, not at import, lets the
        # config check its [rules] keys and the shoe and pain commands list findings
        # without it.
        import pandas as pd

        from loadwatch import weekly

        kept = running(runs, as_of)
        if kept:
            # sorted by UTC start; after a flight the first local date may come later
            first_day = min(run.start_local.date() for run in kept)
            daily = weekly.daily_distance(kept, first_day, as_of)
        else:
            daily = pd.Series(dtype="float64", name="distance_m")
        return cls(
            runs=kept,
            weeks=weekly.build_weekly(kept, as_of, week_start),
            daily=daily,
            as_of=as_of,
            week_start=week_start,
            params={rule: dict(values) for rule, values in (params or {}).items()},
            **extra,
        )

    def settings(self, rule: Rule) -> dict[str, Number]:
        """The rule's parameters: its defaults with this context's overrides applied."""
        return {**rule.defaults, **self.params.get(rule.id, {})}

    @cached_property
    def shoe_usage(self) -> tuple[Usage, ...]:
        """Every pair's usage (``shoes.rule_usage``), worked out once for all the shoe rules."""
        return tuple(rule_usage(self.runs, self.shoes, self.shoe_of))

    def pain_on(self, day: date) -> date | None:
        """The day heel pain was last logged if ``day`` is a day in pain (``pain.in_pain``)."""
        entry = pain_diary.in_pain(self.pain, day)
        return None if entry is None else entry.day

    def previous_episode(self, day: date) -> Episode | None:
        """A heel or Achilles episode that ended in the 12 months before ``day``."""
        return pain_diary.previous_episode(self.pain, day)

    def dist(self, metres: float) -> str:
        """A distance for a message, kept as a number inside the finding.

        The finding says it in ``units`` first (``7.5 mi (12.0 km)``); the report
        and the CLI can say it in another with ``Finding.in_units``.
        """
        return distance_mark(metres, self.units)

    def week_of(self, day: date) -> date:
        return week_start_of(day, self.week_start)

    def week_day(self, week_start: date) -> date:
        """The date a week's finding carries: its last day, or ``as_of`` if it is current."""
        return min(week_start + timedelta(days=6), self.as_of)

    def week_label(self, week_start: date) -> str:
        """``week of 2024-03-04`` with ``(so far)`` for the current partial week."""
        partial = week_start + timedelta(days=6) > self.as_of
        return f"week of {week_start.isoformat()}{' (so far)' if partial else ''}"
