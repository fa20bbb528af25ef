"""One report's data, computed once and shared by the charts, HTML, Markdown, JSON and e-mail.

Two windows matter. The charts and the weekly table cover the last ``weeks``
calendar weeks up to ``as_of``. The findings listed (and what drives the traffic
light, ``--quiet`` and ``--fail-on``) are the *report window*: the same 28 days
``loadwatch check`` looks at by default, so the two commands always agree. Older
flags still colour their weeks in the charts.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import numpy as np
import pandas as pd

from loadwatch import weekly
from loadwatch.analysis import DEFAULT_CHECK_DAYS
from loadwatch.model import Activity, Problem
from loadwatch.pain_review import DiarySummary
from loadwatch.rules import Finding, Severity, by_severity
from loadwatch.runs import WeekStart, running, week_start_of
from loadwatch.units import METRES_PER_MILE, Units

DEFAULT_WEEKS = 16
#: the report window, in days before ``as_of`` (``loadwatch check``'s default)
RECENT_DAYS = DEFAULT_CHECK_DAYS
#: the long-run reference window of ``long-run-spike`` (Frandsen et al. 2025)
REFERENCE_DAYS = 30
SPIKE_RULE = "long-run-spike"
#: a shoe's distance from which a replacement should be planned (300 mi)
PLAN_M = 300 * METRES_PER_MILE

Light = str  # "green" | "amber" | "red"
_LIGHTS: dict[Severity | None, Light] = {
    None: "green",
    Severity.INFO: "green",
    Severity.CAUTION: "amber",
    Severity.WARNING: "red",
}


#: every chart's key, in the order the report presents them
CHART_KEYS: tuple[str, ...] = ("distance", "long-runs", "surfaces", "load", "shoes")


@dataclass(frozen=True, slots=True)
class Chart:
    """One drawn chart (``charts.py`` draws them; kept here so using one needs no matplotlib)."""

    #: short name, used in file names (``loadwatch-2026-W47-distance.png``) and Content-IDs
    key: str
    title: str
    #: what the chart shows, for the alt text and the e-mail's plain part
    alt: str
    #: drawn for a desktop page, e-mail and the Markdown report
    png: bytes
    #: the same chart drawn for a phone's width (``charts.NARROW``), type at a legible size
    narrow_png: bytes | None = None


@dataclass(frozen=True, eq=False)
class Report:
    """Everything a rendered report shows; distances in metres until rendering."""

    as_of: date
    units: Units
    week_start: WeekStart
    #: the SI weekly table (``weekly.build_weekly`` columns), the weeks shown only, plus
    #: ``allowance_m``: the previous week's distance plus the weekly-increase information
    #: percentage (NaN when the previous week is empty)
    weeks: pd.DataFrame
    #: findings in the report window, newest first
    findings: tuple[Finding, ...]
    #: highest severity per shown week (``week_start`` -> severity), older flags included
    week_flags: Mapping[date, Severity]
    #: runs in the shown weeks: ``day``, ``distance_m``, ``reference_m`` (the longest in
    #: the 30 days before, NaN when none), ``severity`` (spike finding or None)
    runs: pd.DataFrame
    #: daily load over the shown weeks: ``acute_m`` and ``chronic_m`` (rolling means of
    #: metres per day, scaled to a week; ``weekly.acute_chronic``) and ``acwr``
    load: pd.DataFrame
    #: the ``loadwatch shoes --format json`` object, or None when shoes are not tracked
    shoes: Mapping[str, Any] | None
    problems: tuple[Problem, ...] = ()
    findings_since: date = field(default=date.min)
    #: local date of the newest run up to ``as_of``
    last_run: date | None = None
    #: where the shoe chart's "plan a replacement" band starts
    plan_m: float = PLAN_M
    #: the weekly-increase information percentage (the 10% tradition) behind ``allowance_m``
    allowance_pct: float = 10.0
    #: the runs of the headline's week (see ``focus_week``), oldest first
    focus_runs: tuple[Activity, ...] = ()
    #: activity id -> the name its source gave, for the runs findings point at
    run_names: Mapping[str, str] = field(default_factory=dict)
    #: the heel-pain diary over the shown weeks (``pain.summarise``); None if nothing logged
    pain: DiarySummary | None = None
    #: set when no run came in for weeks (``analysis.stale_note``): news in itself
    stale: str | None = None

    @property
    def label(self) -> str:
        """The ISO week of ``as_of``, e.g. ``2026-W47``: the report's file name."""
        year, week, _ = self.as_of.isocalendar()
        return f"{year}-W{week:02d}"

    @property
    def worst(self) -> Severity | None:
        return max((f.severity for f in self.findings), key=lambda s: s.rank, default=None)

    @property
    def light(self) -> Light:
        return _LIGHTS[self.worst]

    @property
    def has_news(self) -> bool:
        """Whether ``--quiet`` speaks: a caution or above in the window, or runs have stopped.

        A folder whose sync died looks calm forever; weeks without a run are news.
        """
        return self.stale is not None or any(
            f.severity.at_least(Severity.CAUTION) for f in self.findings
        )

    def grouped(self) -> dict[Severity, list[Finding]]:
        return by_severity(list(self.findings))

    def counts(self) -> dict[Severity, int]:
        return {severity: len(group) for severity, group in self.grouped().items()}

    def shoe_rows(self) -> list[dict[str, Any]]:
        return list((self.shoes or {}).get("shoes", []))

    def shoes_due(self) -> list[dict[str, Any]]:
        return [s for s in self.shoe_rows() if s.get("status") in ("plan", "retire")]

    def focus_week(self) -> pd.Series | None:
        return _focus_week(self.weeks)


def _focus_week(weeks: pd.DataFrame) -> pd.Series | None:
    """The week the headline is about: this week, or last week if only that one has runs.

    A Monday-morning cron job would otherwise describe a week that has barely begun.
    """
    if weeks.empty:
        return None
    current = weeks.iloc[-1]
    if current["runs"] == 0 and bool(current["partial"]) and len(weeks) > 1:
        previous = weeks.iloc[-2]
        if previous["runs"] > 0:
            return previous
    return current


def assemble(
    runs: Sequence[Activity],
    table: pd.DataFrame,
    findings: Sequence[Finding],
    *,
    as_of: date,
    units: Units,
    week_start: WeekStart = "monday",
    weeks: int = DEFAULT_WEEKS,
    shoes: Mapping[str, Any] | None = None,
    problems: Sequence[Problem] = (),
    allowance_pct: float = 10.0,
    plan_m: float = PLAN_M,
) -> Report:
    """Cut the full weekly table, findings and runs down to what one report shows.

    ``findings`` should reach back at least to the first shown week (older ones are
    ignored); ``table`` is the full ``weekly.build_weekly`` table up to ``as_of``.
    """
    if weeks < 1:
        raise ValueError("a report shows at least one week")
    table = table.copy()
    previous = table["distance_m"].shift(1)
    table["allowance_m"] = (previous * (1.0 + allowance_pct / 100.0)).where(previous > 0)
    shown = table.iloc[-weeks:].reset_index(drop=True)
    first_day = shown["week_start"].iloc[0] if len(shown) else week_start_of(as_of)
    since = as_of - timedelta(days=RECENT_DAYS)
    # said in the report's unit, whatever unit the rules ran in
    recent = tuple(f.in_units(units) for f in findings if since <= f.date <= as_of)
    kept = running(runs, as_of)
    focus = _focus_week(shown)
    focus_runs: tuple[Activity, ...] = ()
    if focus is not None:
        start = focus["week_start"]
        end = start + timedelta(days=6)
        focus_runs = tuple(r for r in kept if start <= r.start_local.date() <= end)
    pointed = {f.activity_id for f in recent if f.activity_id}
    names = {r.id: r.name for r in kept if r.id in pointed and r.name}
    return Report(
        as_of=as_of,
        units=units,
        week_start=week_start,
        weeks=shown,
        findings=recent,
        week_flags=_week_flags(findings, first_day, as_of),
        runs=_runs_with_reference(runs, findings, first_day, as_of),
        load=_load(runs, first_day, as_of),
        shoes=shoes,
        problems=tuple(problems),
        findings_since=since,
        last_run=max((r.start_local.date() for r in kept), default=None),
        plan_m=plan_m,
        allowance_pct=allowance_pct,
        focus_runs=focus_runs,
        run_names=names,
    )


def _week_flags(findings: Sequence[Finding], first: date, last: date) -> dict[date, Severity]:
    flags: dict[date, Severity] = {}
    for finding in findings:
        if not first <= finding.date <= last:
            continue
        known = flags.get(finding.week_start)
        if known is None or finding.severity.rank > known.rank:
            flags[finding.week_start] = finding.severity
    return flags


def _runs_with_reference(
    activities: Sequence[Activity], findings: Sequence[Finding], first: date, last: date
) -> pd.DataFrame:
    """Each shown run with the longest earlier run of the 30 days before it.

    Mirrors ``long-run-spike``: earlier runs only (same-day earlier ones count),
    judged on local dates. Only the shown runs are looped over, each against a
    slice found by binary search, so a long history costs little.
    """
    runs = [r for r in running(activities, last) if r.distance_m is not None]
    columns = ["day", "distance_m", "reference_m", "severity"]
    if not runs:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
    utc = np.array([r.start_utc.timestamp() for r in runs])
    days = np.array([r.start_local.date().toordinal() for r in runs])
    metres = np.array([r.distance_m for r in runs], dtype="float64")
    shown = np.flatnonzero(days >= first.toordinal())
    slack = (REFERENCE_DAYS + 2) * 86400.0
    reference = np.full(len(shown), np.nan)
    for out, index in enumerate(shown):
        low = int(np.searchsorted(utc, utc[index] - slack))
        window = slice(low, index)
        earlier = (days[window] >= days[index] - REFERENCE_DAYS) & (utc[window] < utc[index])
        if earlier.any():
            reference[out] = metres[window][earlier].max()
    spikes = {f.activity_id: f.severity for f in findings if f.rule == SPIKE_RULE}
    return pd.DataFrame(
        {
            "day": [runs[i].start_local.date() for i in shown],
            "distance_m": metres[shown],
            "reference_m": reference,
            # object dtype: pandas would turn Severity (a str) and None into str and NaN
            "severity": pd.Series([spikes.get(runs[i].id) for i in shown], dtype=object),
        }
    )


def _load(activities: Sequence[Activity], first: date, last: date) -> pd.DataFrame:
    """The acute and chronic loads behind ``acwr``, per day, as distance per week."""
    runs = running(activities, last)
    if not runs:
        return pd.DataFrame({"acute_m": [], "chronic_m": [], "acwr": []}, dtype="float64")
    start = min(r.start_local.date() for r in runs)
    daily = weekly.daily_distance(runs, start, last)
    # the chronic line is the uncoupled one the ratio divides by (the 21 days before)
    acute, chronic = weekly.acute_chronic(daily)
    frame = pd.DataFrame(
        {"acute_m": acute * 7.0, "chronic_m": chronic * 7.0, "acwr": weekly.acwr_series(daily)}
    )
    return frame.loc[pd.Timestamp(max(first, start)) :]
