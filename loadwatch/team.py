"""The team dashboard: every athlete's weekly report, and who needs attention first.

``team_dashboard`` runs the single-runner pipeline once per athlete of a roster
(``loadwatch.roster``): ``import_folders`` into the athlete's own data directory
(so caches are incremental and shoes and diaries never mix), ``build_report``,
``render`` and ``write_report`` into ``<out>/<slug>/``. It then ranks the athletes
by what needs attention this week and writes the team page beside their folders.

The ranking, most urgent first (an athlete is ranked by their most urgent reason,
then by their number of warnings and cautions, then by name):

1. ``red-flag``: a ``pain-red-flag`` finding in the report window;
2. ``pain``: heel pain logged in the 14 days up to today (``pain.in_pain``), or a
   pain finding in the window;
3. ``unreadable``: the athlete's exports could not be imported at all (whatever
   they would show is unknown);
4. ``warning``, 5. ``caution``: a finding of that severity in the window;
6. ``shoes-due``: a pair to plan a replacement for or to retire;
7. ``silent``: no run for 21 days or more (or none at all);
8. ``calm``: none of these.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from pathlib import Path

from loadwatch.errors import LoadwatchError
from loadwatch.ingest.pipeline import ImportSummary, import_folders
from loadwatch.report import FORMATS, build_report, render, report_name, write_report
from loadwatch.report.files import write_atomic
from loadwatch.report.model import DEFAULT_WEEKS, Light, Report
from loadwatch.roster import Athlete, load_roster
from loadwatch.rules import Finding, Severity, any_at_least
from loadwatch.units import Units
from loadwatch.userdata import pain, pain_store

#: no run for this many days is worth a coach's question
SILENT_DAYS = 21
#: weeks of distance in each row's small chart
SPARK_WEEKS = 8
#: findings shown per athlete on the team page
TOP_FINDINGS = 3
PAGE = "team.html"
PAGE_JSON = "team.json"

#: (athletes done, athletes in all, the athlete now being read)
TeamProgress = Callable[[int, int, str], None]


class Attention(StrEnum):
    """Why an athlete needs a look, in the order the dashboard ranks them."""

    RED_FLAG = "red-flag"
    PAIN = "pain"
    UNREADABLE = "unreadable"
    WARNING = "warning"
    CAUTION = "caution"
    SHOES_DUE = "shoes-due"
    SILENT = "silent"
    CALM = "calm"

    @property
    def rank(self) -> int:
        return list(Attention).index(self)


ATTENTION_WORDS: dict[Attention, str] = {
    Attention.RED_FLAG: "red flag in the pain diary",
    Attention.PAIN: "heel pain logged",
    Attention.UNREADABLE: "exports could not be read",
    Attention.WARNING: "warning",
    Attention.CAUTION: "caution",
    Attention.SHOES_DUE: "shoes due",
    Attention.SILENT: f"no run for {SILENT_DAYS} days or more",
    Attention.CALM: "nothing to flag",
}


@dataclass(frozen=True, eq=False)
class TeamRow:
    """One athlete's line on the dashboard."""

    athlete: Athlete
    #: every reason that applies, most urgent first (``calm`` alone when none does)
    attention: tuple[Attention, ...]
    as_of: date
    #: the athlete's weekly report (None when their exports could not be imported)
    report: Report | None = None
    #: the HTML report, relative to the team's output folder (None when not written)
    link: str | None = None
    summary: ImportSummary | None = None
    data_dir: Path | None = None
    error: str | None = None

    @property
    def tier(self) -> Attention:
        return self.attention[0]

    @property
    def light(self) -> Light | None:
        return None if self.report is None else self.report.light

    @property
    def last_run(self) -> date | None:
        return None if self.report is None else self.report.last_run

    @property
    def days_since_run(self) -> int | None:
        last = self.last_run
        return None if last is None else (self.as_of - last).days

    def counts(self) -> dict[Severity, int]:
        if self.report is None:
            return dict.fromkeys(Severity, 0)
        return self.report.counts()

    def weeks(self, count: int = SPARK_WEEKS) -> list[tuple[date, float]]:
        """The last ``count`` weeks' (start, metres), weeks before the first run as 0."""
        if self.report is None or self.report.weeks.empty:
            return []
        shown = self.report.weeks.tail(count)
        found = [
            (day, float(metres))
            for day, metres in zip(shown["week_start"], shown["distance_m"], strict=True)
        ]
        first = found[0][0]
        missing = [(first - timedelta(weeks=n), 0.0) for n in range(count - len(found), 0, -1)]
        return missing + found

    def top_findings(self, count: int = TOP_FINDINGS) -> list[Finding]:
        """The most serious findings of the window, newest first within a severity."""
        if self.report is None:
            return []
        ordered = sorted(
            self.report.findings, key=lambda f: (-f.severity.rank, -f.date.toordinal(), f.rule)
        )
        return ordered[:count]

    def shoes_due(self) -> list[str]:
        return [] if self.report is None else [str(s["name"]) for s in self.report.shoes_due()]


@dataclass(frozen=True, eq=False)
class TeamReport:
    """The dashboard: every athlete ranked, most urgent first."""

    as_of: date
    units: Units
    rows: tuple[TeamRow, ...]
    out_dir: Path
    #: the team page's path, once written
    page: Path | None = None
    written: tuple[Path, ...] = field(default=())

    @property
    def has_news(self) -> bool:
        """Whether any athlete has a caution or above in the window (``--quiet``)."""
        return any(row.report is not None and row.report.has_news for row in self.rows)

    def meets(self, threshold: Severity) -> bool:
        """Whether any athlete has a finding at ``threshold`` or above (``--fail-on``)."""
        return any(
            row.report is not None and any_at_least(list(row.report.findings), threshold)
            for row in self.rows
        )

    def lights(self) -> dict[str, int]:
        counts = {"red": 0, "amber": 0, "green": 0, "unknown": 0}
        for row in self.rows:
            counts[row.light or "unknown"] += 1
        return counts


def attention(report: Report, diary: Sequence[pain.PainEntry]) -> tuple[Attention, ...]:
    """Every reason ``report``'s athlete needs a look, most urgent first."""
    findings = report.findings
    reasons: list[Attention] = []
    if any(f.rule == "pain-red-flag" for f in findings):
        reasons.append(Attention.RED_FLAG)
    if pain.in_pain(diary, report.as_of) is not None or any(
        f.rule.startswith("pain-") and f.rule != "pain-red-flag" for f in findings
    ):
        reasons.append(Attention.PAIN)
    if any(f.severity is Severity.WARNING for f in findings):
        reasons.append(Attention.WARNING)
    if any(f.severity is Severity.CAUTION for f in findings):
        reasons.append(Attention.CAUTION)
    if report.shoes_due():
        reasons.append(Attention.SHOES_DUE)
    last = report.last_run
    if last is None or (report.as_of - last).days >= SILENT_DAYS:
        reasons.append(Attention.SILENT)
    return tuple(reasons) or (Attention.CALM,)


def ranked(rows: Iterable[TeamRow]) -> list[TeamRow]:
    """Most urgent first: by reason, then more warnings and cautions, then by name."""

    def key(row: TeamRow) -> tuple[int, int, int, str, str]:
        counts = row.counts()
        return (
            row.tier.rank,
            -counts[Severity.WARNING],
            -counts[Severity.CAUTION],
            row.athlete.name.casefold(),
            row.athlete.slug,
        )

    return sorted(rows, key=key)


def athlete_row(
    athlete: Athlete,
    *,
    home: Path,
    out_dir: Path,
    as_of: date,
    weeks: int = DEFAULT_WEEKS,
    formats: Sequence[str] = FORMATS,
    latest: date | None = None,
) -> TeamRow:
    """One athlete through the single-runner pipeline, in their own data directory."""
    own = athlete.home(home)
    try:
        collection = import_folders(
            [athlete.folder], config=athlete.config, home=own, latest=latest
        )
        report = build_report(collection, athlete.config, as_of=as_of, weeks=weeks, home=own)
        rendered = render(report, chart_cache=own / "charts")
        write_report(rendered, out_dir / athlete.slug, formats)
        diary = pain_store.load_pain(own)
    except LoadwatchError as exc:
        return TeamRow(athlete, (Attention.UNREADABLE,), as_of, data_dir=own, error=str(exc))
    link = f"{athlete.slug}/{report_name(report, 'html')}" if "html" in formats else None
    return TeamRow(
        athlete,
        attention(report, diary),
        as_of,
        report=report,
        link=link,
        summary=collection.summary,
        data_dir=own,
    )


def team_dashboard(
    root: Path,
    *,
    home: Path,
    out_dir: Path,
    as_of: date,
    units: Units,
    config_path: Path | None = None,
    weeks: int = DEFAULT_WEEKS,
    formats: Sequence[str] = FORMATS,
    latest: date | None = None,
    progress: TeamProgress | None = None,
) -> TeamReport:
    """Every athlete's report written under ``out_dir``, ranked, with the team page.

    ``home`` is the team's data directory; each athlete's lives inside it. ``units``
    is the team page's unit (each athlete's own report keeps their own).
    """
    athletes = load_roster(root, config_path)
    rows: list[TeamRow] = []
    for index, athlete in enumerate(athletes):
        if progress:
            progress(index, len(athletes), athlete.name)
        rows.append(
            athlete_row(
                athlete,
                home=home,
                out_dir=out_dir,
                as_of=as_of,
                weeks=weeks,
                formats=formats,
                latest=latest,
            )
        )
    if progress:
        progress(len(athletes), len(athletes), "")
    team = TeamReport(as_of, units, tuple(ranked(rows)), out_dir)
    # imported here: the page module needs the TeamReport defined above
    from loadwatch.report import teampage

    page, data = out_dir / PAGE, out_dir / PAGE_JSON
    write_atomic(page, teampage.html(team))
    write_atomic(data, teampage.json_text(team))
    return TeamReport(team.as_of, team.units, team.rows, out_dir, page, (page, data))
