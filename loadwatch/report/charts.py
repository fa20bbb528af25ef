"""The report's charts as PNG bytes, drawn with matplotlib's object API.

No ``pyplot``: each chart is its own ``Figure`` on an Agg canvas, so nothing
global is touched, no window can open, and charts can be drawn from any thread.
Colours are the Okabe-Ito palette, readable with the common colour-vision
deficiencies; severity is also carried by hatching and markers, never by colour
alone.
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from loadwatch.report.model import Chart, Report
from loadwatch.rules import Severity
from loadwatch.runs import week_start_of
from loadwatch.units import METRES_PER_MILE, Units, to_unit

# Okabe & Ito (2008), "Color Universal Design"
BLACK = "#000000"
ORANGE = "#E69F00"
SKY = "#56B4E9"
GREEN = "#009E73"
YELLOW = "#F0E442"
BLUE = "#0072B2"
VERMILLION = "#D55E00"
PURPLE = "#CC79A7"
GREY = "#999999"

SEVERITY_COLOURS: dict[Severity | None, str] = {
    None: BLUE,
    Severity.INFO: SKY,
    Severity.CAUTION: ORANGE,
    Severity.WARNING: VERMILLION,
}
SEVERITY_HATCH: dict[Severity | None, str] = {
    None: "",
    Severity.INFO: "",
    Severity.CAUTION: "//",
    Severity.WARNING: "xx",
}
SEVERITY_MARKER: dict[Severity | None, str] = {
    None: "o",
    Severity.INFO: "o",
    Severity.CAUTION: "^",
    Severity.WARNING: "X",
}
SURFACE_COLOURS: dict[str, str] = {
    "road": BLUE,
    "trail": GREEN,
    "track": VERMILLION,
    "treadmill": PURPLE,
    "grass": YELLOW,
    "mixed": SKY,
    "unknown": "#BBBBBB",
}
STATUS_COLOURS: dict[str, str] = {
    "ok": BLUE,
    "plan": ORANGE,
    "retire": VERMILLION,
    "retired": GREY,
}


@dataclass(frozen=True)
class Layout:
    """How big a chart is drawn and how large its type is, for one kind of screen.

    Sizes are in inches and points at ``dpi``: a browser shows a chart scaled to
    the page's width, so what keeps text legible is the type's size relative to
    the chart's width, not the pixel count.
    """

    name: str
    width_in: float
    #: height of the plotting area; the figure grows around it for titles and legends
    plot_in: float
    dpi: int
    title_pt: float
    label_pt: float
    tick_pt: float
    legend_pt: float
    #: at most this many week labels under a bar chart
    week_labels: int
    #: at most this many date labels under a time chart
    date_labels: int

    @property
    def smallest_pt(self) -> float:
        return min(self.title_pt, self.label_pt, self.tick_pt, self.legend_pt)


#: a desktop page, e-mail and Markdown: 800 px wide, shown at its own size
WIDE = Layout("wide", 8.0, 2.1, 100, 12, 10, 9, 9, week_labels=30, date_labels=10)
#: a phone (about 350 CSS px of page): 720 px wide for sharp type on a dense screen; at
#: 350 px a 10 pt letter is 10 / 72 * 200 * 350 / 720 = 13.5 px tall
NARROW = Layout("narrow", 3.6, 2.3, 200, 11, 10, 10, 10, week_labels=7, date_labels=4)

#: DejaVu Sans (matplotlib's default) averages about 0.6 em a character
_EM_PER_CHAR = 0.62
#: a legend entry's marker, the gap after it and the space between columns
_LEGEND_EXTRA_EM = 5.0


def render_all(report: Report) -> list[Chart]:
    """Every chart that has something to show, in the order the report presents them.

    Each is drawn twice, for a desktop page and for a phone's width; the HTML page
    lets the browser pick.
    """
    makers: list[Callable[[Report, Layout], Chart | None]] = [
        weekly_distance,
        long_runs,
        surfaces,
        load_trend,
        shoes,
    ]
    charts = []
    for make in makers:
        wide = make(report, WIDE)
        if wide is None:
            continue
        narrow = make(report, NARROW)
        charts.append(replace(wide, narrow_png=narrow.png if narrow else None))
    return charts


def _text_in(text: str, points: float) -> float:
    """About how wide ``text`` is set at ``points``, in inches."""
    return len(text) * points * _EM_PER_CHAR / 72


@dataclass
class _Frame:
    """A figure with one plotting area and its margins in inches, sized when finished.

    Fixed margins rather than a layout engine, which would double the drawing time;
    the figure's height follows from the title's lines and the legend's rows.
    """

    layout: Layout
    figure: Figure
    ax: Axes
    left: float
    right: float
    bottom: float
    plot_in: float

    def finish(self, title: str, handles: Sequence[Artist]) -> bytes:
        layout = self.layout
        width = layout.width_in
        room = width - 0.2
        lines = textwrap.wrap(title, max(12, int(room / _text_in("x", layout.title_pt))))
        self.ax.set_title("\n".join(lines), fontsize=layout.title_pt)
        top = 0.15 + len(lines) * layout.title_pt * 1.35 / 72
        bottom = self.bottom
        if handles:
            labels = [str(h.get_label()) for h in handles]
            columns = _legend_columns(labels, layout.legend_pt, room)
            rows = -(-len(labels) // columns)
            bottom += 0.1 + rows * layout.legend_pt * 1.75 / 72
            self.figure.legend(
                handles=handles,
                loc="lower center",
                bbox_to_anchor=(0.5, 0.02),
                ncols=columns,
                fontsize=layout.legend_pt,
                frameon=False,
            )
        height = top + self.plot_in + bottom
        self.figure.set_size_inches(width, height)
        self.figure.subplots_adjust(
            left=self.left / width,
            right=1 - self.right / width,
            bottom=bottom / height,
            top=1 - top / height,
        )
        return _png(self.figure)


def _legend_columns(labels: list[str], points: float, room: float) -> int:
    """The most columns whose entries fit across ``room`` inches.

    A legend fills its columns top to bottom, so each column is as wide as its
    longest entry (a marker, a gap and the label).
    """
    extra = _LEGEND_EXTRA_EM * points / 72
    for columns in range(len(labels), 1, -1):
        rows = -(-len(labels) // columns)
        groups = [labels[i : i + rows] for i in range(0, len(labels), rows)]
        width = sum(extra + _text_in(max(group, key=len), points) for group in groups)
        if len(groups) == columns and width <= room:
            return columns
    return 1


def _frame(
    layout: Layout,
    *,
    left: float = 0.75,
    right: float = 0.2,
    rotated_ticks: bool = False,
    plot_in: float | None = None,
) -> _Frame:
    figure = Figure(figsize=(layout.width_in, 3.0), dpi=layout.dpi)
    FigureCanvasAgg(figure)
    ax = figure.add_subplot()
    ax.tick_params(labelsize=layout.tick_pt)
    # tick labels (a rotated "16 Feb*" is about 4 em tall), then the axis label
    ticks = 4.2 * layout.tick_pt / 72 if rotated_ticks else 1.6 * layout.tick_pt / 72
    bottom = 0.12 + ticks + 1.6 * layout.label_pt / 72
    return _Frame(layout, figure, ax, left, right, bottom, plot_in or layout.plot_in)


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    # no "Software" text chunk: the same data gives the same bytes
    figure.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()


def plain_text(text: str) -> str:
    """A label from a file, shown literally (a ``$`` would otherwise start mathtext)."""
    return text.replace("\\", "\\\\").replace("$", r"\$")


def _week_ticks(ax: Axes, weeks: pd.DataFrame, layout: Layout) -> None:
    """Week labels under the bars, thinned to fit, always naming the latest week."""
    labels = [day.strftime("%d %b") for day in weeks["week_start"]]
    if labels and bool(weeks["partial"].iloc[-1]):
        labels[-1] += "*"
    step = -(-len(labels) // layout.week_labels) if labels else 1
    last = len(labels) - 1
    shown = [label if (last - i) % step == 0 else "" for i, label in enumerate(labels)]
    ax.set_xticks(np.arange(len(labels)), shown, rotation=45, ha="right", fontsize=layout.tick_pt)
    partial = len(weeks) and bool(weeks["partial"].iloc[-1])
    ax.set_xlabel("Week starting" + (" (* = so far)" if partial else ""), fontsize=layout.label_pt)


def _date_ticks(ax: Axes, layout: Layout) -> None:
    locator = mdates.AutoDateLocator(minticks=2, maxticks=layout.date_labels)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    ax.xaxis.get_offset_text().set_fontsize(layout.tick_pt)


def _headroom(ax: Axes) -> None:
    """Start at zero and leave air above the tallest mark, so none touches the frame."""
    ax.set_ylim(0, max(ax.get_ylim()[1], 1.0) * 1.08)


def _in(units: Units, metres: pd.Series | np.ndarray) -> np.ndarray:
    return np.asarray(metres, dtype="float64") / units.metres


def weekly_distance(report: Report, layout: Layout = WIDE) -> Chart | None:
    weeks = report.weeks
    if weeks.empty:
        return None
    u = report.units.value
    pain_points = _pain_points(report)
    # a right-hand axis for the pain levels needs a wider right margin
    frame = _frame(layout, rotated_ticks=True, right=0.75 if pain_points else 0.2)
    ax = frame.ax
    x = np.arange(len(weeks))
    severities = [report.week_flags.get(day) for day in weeks["week_start"]]
    partial = weeks["partial"].to_numpy(dtype=bool)
    bars = ax.bar(
        x,
        _in(report.units, weeks["distance_m"]),
        color=[SEVERITY_COLOURS[s] for s in severities],
        edgecolor=BLACK,
        linewidth=0.5,
    )
    for bar, severity, is_partial in zip(bars, severities, partial, strict=True):
        bar.set_hatch(SEVERITY_HATCH[severity])
        if is_partial:
            bar.set_alpha(0.6)
            bar.set_linestyle("--")
    allowance = _in(report.units, weeks["allowance_m"])
    ax.hlines(allowance, x - 0.42, x + 0.42, colors=BLACK, linewidth=2.0)
    _week_ticks(ax, weeks, layout)
    ax.set_ylabel(f"Distance ({u})", fontsize=layout.label_pt)
    _headroom(ax)
    ax.grid(axis="y", alpha=0.3)
    ax.set_axisbelow(True)
    handles: list[Artist] = [
        Patch(facecolor=SEVERITY_COLOURS[None], edgecolor=BLACK, label="no flag"),
        Patch(facecolor=SEVERITY_COLOURS[Severity.INFO], edgecolor=BLACK, label="info"),
        Patch(facecolor=ORANGE, edgecolor=BLACK, hatch="//", label="caution"),
        Patch(facecolor=VERMILLION, edgecolor=BLACK, hatch="xx", label="warning"),
        Line2D(
            [],
            [],
            color=BLACK,
            linewidth=2.0,
            label=f"last week +{report.allowance_pct:g}% (tradition, not evidence)",
        ),
    ]
    if pain_points:
        handles.append(_pain_overlay(ax, pain_points, layout))
    flagged = sum(s is not None and s is not Severity.INFO for s in severities)
    pain_alt = (
        f" Heel pain levels from your diary (0 to 10, right axis) are plotted on the days "
        f"they were logged: {len(pain_points)} entr{'y' if len(pain_points) == 1 else 'ies'}, "
        f"up to {max(level for _, level in pain_points)}/10."
        if pain_points
        else ""
    )
    return Chart(
        "distance",
        "Weekly distance",
        f"Bar chart of weekly distance in {u} for {len(weeks)} weeks with the traditional "
        f"{report.allowance_pct:g}% guide over each previous week marked (a tradition, not "
        f"evidence); {flagged} week(s) flagged at caution or warning.{pain_alt}",
        frame.finish(f"Weekly distance, last {len(weeks)} weeks", handles),
    )


def _pain_points(report: Report) -> list[tuple[float, int]]:
    """Each diary entry in the shown weeks as (x, level): its week's bar, at its weekday."""
    if report.pain is None or report.weeks.empty:
        return []
    first = report.weeks["week_start"].iloc[0]
    points = []
    for day, level in report.pain.levels:
        start = week_start_of(day, report.week_start)
        index = (start - first).days // 7
        if 0 <= index < len(report.weeks):
            # Monday (or Sunday) at the bar's left edge, the last day at its right
            points.append((index - 0.4 + 0.8 * ((day - start).days + 0.5) / 7, level))
    return points


def _pain_overlay(ax: Axes, points: list[tuple[float, int]], layout: Layout) -> Line2D:
    pain_ax = ax.twinx()
    xs, levels = zip(*points, strict=True)
    pain_ax.plot(
        xs,
        levels,
        color=PURPLE,
        linewidth=1.5,
        marker="D",
        markersize=6,
        markeredgecolor=BLACK,
        markeredgewidth=0.5,
    )
    pain_ax.set_ylim(0, 10.5)
    pain_ax.set_yticks(range(0, 11, 2))
    pain_ax.tick_params(labelsize=layout.tick_pt)
    pain_ax.set_ylabel("Heel pain (0-10)", fontsize=layout.label_pt)
    return Line2D(
        [],
        [],
        color=PURPLE,
        marker="D",
        markeredgecolor=BLACK,
        linewidth=1.5,
        label="heel pain (right axis)",
    )


def long_runs(report: Report, layout: Layout = WIDE) -> Chart | None:
    runs = report.runs
    if runs.empty:
        return None
    u = report.units.value
    frame = _frame(layout)
    ax = frame.ax
    days = np.array(list(runs["day"]), dtype="datetime64[D]")
    reference = _in(report.units, runs["reference_m"])
    ax.step(
        days,
        reference,
        where="post",
        color=BLACK,
        linewidth=1.2,
        label="longest of the 30 days before",
    )
    ax.step(
        days,
        reference * 1.1,
        where="post",
        color=GREY,
        linewidth=1.0,
        linestyle="--",
        label="+10% on that",
    )
    distance = _in(report.units, runs["distance_m"])
    for severity in (None, Severity.CAUTION, Severity.WARNING):
        mask = np.array([s == severity for s in runs["severity"]], dtype=bool)
        if not mask.any():
            continue
        label = {
            None: "run",
            Severity.CAUTION: "caution: >10% longer",
            Severity.WARNING: "warning: >100% longer",
        }[severity]
        ax.scatter(
            days[mask],
            distance[mask],
            c=SEVERITY_COLOURS[severity],
            marker=SEVERITY_MARKER[severity],
            s=28 if severity is None else 60,
            edgecolors=BLACK,
            linewidths=0.4,
            label=label,
            zorder=3,
        )
    _date_ticks(ax, layout)
    ax.set_xlabel("Date", fontsize=layout.label_pt)
    ax.set_ylabel(f"Run distance ({u})", fontsize=layout.label_pt)
    _headroom(ax)
    ax.grid(alpha=0.3)
    spikes = sum(s is not None for s in runs["severity"])
    return Chart(
        "long-runs",
        "Runs against the 30-day longest",
        f"Scatter of {len(runs)} runs in {u} against the longest run of the 30 days before "
        f"each; {spikes} run(s) flagged as a long-run spike.",
        frame.finish("Each run against its 30-day longest", ax.get_legend_handles_labels()[0]),
    )


def surfaces(report: Report, layout: Layout = WIDE) -> Chart | None:
    weeks = report.weeks
    if weeks.empty:
        return None
    u = report.units.value
    columns = [c for c in SURFACE_COLOURS if f"{c}_m" in weeks and weeks[f"{c}_m"].sum() > 0]
    if not columns:
        return None
    frame = _frame(layout, rotated_ticks=True)
    ax = frame.ax
    x = np.arange(len(weeks))
    bottom = np.zeros(len(weeks))
    for surface in columns:
        values = _in(report.units, weeks[f"{surface}_m"])
        ax.bar(
            x,
            values,
            bottom=bottom,
            color=SURFACE_COLOURS[surface],
            edgecolor=BLACK,
            linewidth=0.4,
            label=surface,
        )
        bottom += values
    _week_ticks(ax, weeks, layout)
    ax.set_ylabel(f"Distance ({u})", fontsize=layout.label_pt)
    _headroom(ax)
    ax.grid(axis="y", alpha=0.3)
    ax.set_axisbelow(True)
    return Chart(
        "surfaces",
        "Weekly distance by surface",
        f"Stacked bars of weekly distance in {u} by surface ({', '.join(columns)}).",
        frame.finish("Weekly distance by surface", ax.get_legend_handles_labels()[0]),
    )


def load_trend(report: Report, layout: Layout = WIDE) -> Chart | None:
    load = report.load
    if load.empty:
        return None
    u = report.units.value
    frame = _frame(layout, right=0.75)
    ax = frame.ax
    days = load.index.to_numpy(dtype="datetime64[D]")
    ax.plot(
        days,
        _in(report.units, load["acute_m"]),
        color=BLUE,
        linewidth=1.8,
        label="last 7 days",
    )
    ax.plot(
        days,
        _in(report.units, load["chronic_m"]),
        color=ORANGE,
        linewidth=1.8,
        linestyle="--",
        label="the 21 days before",
    )
    _date_ticks(ax, layout)
    ax.set_xlabel("Date", fontsize=layout.label_pt)
    ax.set_ylabel(f"{u} per week", fontsize=layout.label_pt)
    ax.grid(alpha=0.3)
    _headroom(ax)
    ratio_ax = ax.twinx()
    ratio_ax.plot(
        days,
        load["acwr"].to_numpy(dtype="float64"),
        color=GREY,
        linewidth=1.0,
        linestyle=":",
        label="ratio (right axis)",
    )
    ratio_ax.tick_params(labelsize=layout.tick_pt)
    ratio_ax.set_ylabel("Acute:chronic ratio", fontsize=layout.label_pt)
    _headroom(ratio_ax)
    handles = ax.get_legend_handles_labels()[0] + ratio_ax.get_legend_handles_labels()[0]
    return Chart(
        "load",
        "Training load trend",
        f"Lines of the average training load of the last 7 days and of the 21 days before "
        f"them, in {u} per week, with their ratio on the right axis (descriptive only).",
        frame.finish("Training load: last 7 days against the 21 before", handles),
    )


def shoes(report: Report, layout: Layout = WIDE) -> Chart | None:
    rows = [s for s in report.shoe_rows() if s.get("status") != "retired"]
    if not rows:
        return None
    u = report.units.value
    names = [plain_text(_short(str(s.get("name") or "?"))) for s in rows]
    # a wide chart names each pair on its left; a narrow one above its bar, using the width
    beside = layout is not NARROW
    left = 0.3 + max(_text_in(n, layout.tick_pt) for n in names) if beside else 0.2
    frame = _frame(layout, left=left, plot_in=max(1.2, (0.4 if beside else 0.6) * len(rows)))
    ax = frame.ax
    y = np.arange(len(rows))
    distance = np.array([to_unit(float(s.get("distance_m") or 0.0), report.units) for s in rows])
    limits = np.array([to_unit(float(s.get("limit_m") or 0.0), report.units) for s in rows])
    plan = to_unit(report.plan_m, report.units)
    right = max(float(distance.max(initial=0.0)), float(limits.max(initial=0.0)), plan) * 1.1
    miles = report.plan_m / METRES_PER_MILE
    band = f"from {plan:.0f} {u}" + ("" if report.units is Units.MI else f" ({miles:.0f} mi)")
    ax.axvspan(plan, right, color=ORANGE, alpha=0.15, linewidth=0)
    ax.barh(
        y,
        distance,
        color=[STATUS_COLOURS.get(str(s.get("status")), BLUE) for s in rows],
        edgecolor=BLACK,
        linewidth=0.5,
        height=0.6 if beside else 0.4,
    )
    ax.scatter(
        limits, y, marker="|", s=400 if beside else 250, color=BLACK, linewidths=2.5, zorder=3
    )
    if beside:
        ax.set_yticks(y, names, fontsize=layout.tick_pt)
    else:
        ax.set_yticks([])
        for row, name in zip(y, names, strict=True):
            ax.text(0, row - 0.27, name, fontsize=layout.tick_pt, va="bottom", ha="left")
        ax.set_ylim(len(rows) - 0.5, -0.75)
    if beside:
        ax.invert_yaxis()
    ax.set_xlim(0, right)
    ax.set_xlabel(f"Distance ({u})", fontsize=layout.label_pt)
    ax.grid(axis="x", alpha=0.3)
    ax.set_axisbelow(True)
    handles: list[Artist] = [
        Patch(facecolor=ORANGE, alpha=0.15, label=f"{band}: plan a replacement"),
        Line2D(
            [],
            [],
            color=BLACK,
            marker="|",
            markersize=12,
            markeredgewidth=2.5,
            linestyle="none",
            label="this shoe's limit",
        ),
    ]
    due = sum(str(s.get("status")) in ("plan", "retire") for s in rows)
    return Chart(
        "shoes",
        "Shoe distance",
        f"Horizontal bars of distance in {u} for {len(rows)} pair(s) of shoes, with the "
        f"300 mi band and each shoe's limit; {due} pair(s) due for replacement.",
        frame.finish("Shoes in service: distance against the replacement range", handles),
    )


def _short(name: str, limit: int = 28) -> str:
    return name if len(name) <= limit else name[: limit - 1] + "…"
