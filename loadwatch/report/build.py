"""Building, rendering and writing one runner's weekly report (``loadwatch.report``'s API)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path

from loadwatch import analysis, pain_review
from loadwatch.config import Config
from loadwatch.ingest.pipeline import Collection
from loadwatch.report import html, jsonout, markdown, text
from loadwatch.report.chartcache import cached_charts
from loadwatch.report.files import FORMATS, write_atomic
from loadwatch.report.model import (
    CHART_KEYS,
    DEFAULT_WEEKS,
    RECENT_DAYS,
    Chart,
    Report,
    assemble,
)
from loadwatch.units import Units
from loadwatch.userdata import shoes

LATEST = "latest.html"


def build_report(
    collection: Collection,
    config: Config,
    *,
    as_of: date,
    weeks: int = DEFAULT_WEEKS,
    units: Units | None = None,
    home: Path | None = None,
) -> Report:
    """Weekly table, findings and shoes for the ``weeks`` weeks up to ``as_of``.

    ``home`` is the data directory option (None: the default), where the user's
    shoes live.
    """
    return report_of(analysis.load_snapshot(collection, config, as_of, home), weeks, units)


def report_of(
    snapshot: analysis.Snapshot, weeks: int = DEFAULT_WEEKS, units: Units | None = None
) -> Report:
    """The report of one loaded snapshot (``analysis.load_snapshot``); touches no disk."""
    config, as_of = snapshot.config, snapshot.as_of
    table = snapshot.weeks
    first_shown = table["week_start"].iloc[-weeks] if len(table) >= weeks else None
    since = as_of - timedelta(days=RECENT_DAYS)
    if first_shown is not None:
        since = min(since, first_shown)
    elif len(table):
        since = min(since, table["week_start"].iloc[0])
    found = snapshot.findings(since)
    plan_m = shoes.plan_mark(config.rules)
    # the chart marks the traditional guide, the rule's information threshold
    increase = config.rules.get("weekly-increase", {}).get("info_pct", 10.0)
    report = assemble(
        snapshot.collection.runs,
        table,
        found,
        as_of=as_of,
        units=units or config.units,
        week_start=config.week_start,
        weeks=weeks,
        shoes=snapshot.shoe_report().to_dict(),
        problems=snapshot.collection.summary.problems,
        allowance_pct=float(increase),
        plan_m=plan_m,
    )
    # the pain diary: levels over the shown weeks, and what changed before each episode
    first_day = report.weeks["week_start"].iloc[0] if len(report.weeks) else as_of
    context = snapshot.context
    diary = pain_review.summarise(
        snapshot.pain,
        snapshot.collection.activities,
        first_day=first_day,
        as_of=as_of,
        params=config.rules,
        shoes=context.shoes,
        shoe_of=context.shoe_of,
        units=units or config.units,
    )
    return replace(report, pain=diary, stale=snapshot.stale)


@dataclass(frozen=True, slots=True)
class Rendered:
    """A report with its charts drawn and every text format rendered, ready to write or mail."""

    report: Report
    charts: tuple[Chart, ...]
    html: str
    markdown: str
    json: str
    text: str


def draw(report: Report) -> list[Chart]:
    # matplotlib takes about half a second to import: only a run that draws pays for it
    from loadwatch.report.charts import render_all

    return render_all(report)


def render(report: Report, *, chart_cache: Path | None = None) -> Rendered:
    """Draw the charts (or take them from ``chart_cache``) and render every format."""
    charts = draw(report) if chart_cache is None else cached_charts(report, chart_cache, draw)
    return Rendered(
        report=report,
        charts=tuple(charts),
        html=html.render(report, charts),
        markdown=markdown.render(report, charts),
        json=jsonout.render(report),
        text=text.render(report),
    )


def report_name(report: Report, suffix: str) -> str:
    return f"loadwatch-{report.label}.{suffix}"


def write_report(rendered: Rendered, out_dir: Path, formats: Iterable[str] = FORMATS) -> list[Path]:
    """Write the chosen formats into ``out_dir``; returns the paths, the main report first.

    Each file is replaced atomically, so rerunning a week replaces its report and
    a reader never sees a half-written file. ``latest.html`` follows the HTML.
    """
    chosen = set(formats)
    unknown = chosen - set(FORMATS)
    if unknown:
        raise ValueError(f"unknown report format(s): {', '.join(sorted(unknown))}")
    report = rendered.report
    written: list[Path] = []

    def put(name: str, data: str | bytes) -> None:
        path = out_dir / name
        write_atomic(path, data)
        written.append(path)

    if "html" in chosen:
        put(report_name(report, "html"), rendered.html)
    if "md" in chosen:
        put(report_name(report, "md"), rendered.markdown)
    if "json" in chosen:
        put(report_name(report, "json"), rendered.json)
    if chosen & {"md", "png"}:
        drawn = set()
        for chart in rendered.charts:
            put(markdown.chart_file(report, chart.key), chart.png)
            drawn.add(chart.key)
        _remove_stale_charts(report, out_dir, drawn)
    if "html" in chosen:
        put(LATEST, rendered.html)
    return written


def _remove_stale_charts(report: Report, out_dir: Path, drawn: set[str]) -> None:
    """A rerun of the week that no longer draws a chart must not leave the old one behind."""
    for key in CHART_KEYS:
        if key in drawn:
            continue
        stale = out_dir / markdown.chart_file(report, key)
        if stale.is_file():
            stale.unlink()


def summary_lines(rendered: Rendered, path: Path | None) -> list[str]:
    return text.summary_lines(rendered.report, path)
