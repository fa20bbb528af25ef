"""The report's charts as PNG bytes, drawn with matplotlib's object API.

No ``pyplot``: each chart is its own ``Figure`` on an Agg canvas, so nothing
global is touched, no window can open, and charts can be drawn from any thread.
Colours are the Okabe-Ito palette, readable with the common colour-vision
deficiencies; severity is also carried by hatching and markers, never by colour
alone.
"""

from __future__ import annotations

import io
from collections.abc import Callable

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from loadwatch import weekly
from loadwatch.report.model import Chart, Report
from loadwatch.rules import Severity
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

#: modest size and resolution: five charts must render well inside a second
SIZE_IN = (8.0, 3.4)
DPI = 100


def render_all(report: Report) -> list[Chart]:
    """Every chart that has something to show, in the order the report presents them."""
    makers: list[Callable[[Report], Chart | None]] = [
        weekly_distance,
        long_runs,
        surfaces,
        load_trend,
        shoes,
    ]
    return [chart for make in makers if (chart := make(report)) is not None]


def _figure(
    height_in: float = SIZE_IN[1],
    *,
    left: float = 0.7,
    right: float = 0.15,
    bottom: float = 0.95,
    top: float = 0.35,
) -> Figure:
    """A figure with fixed margins in inches (a layout engine would double the drawing time)."""
    width_in = SIZE_IN[0]
    figure = Figure(figsize=(width_in, height_in), dpi=DPI)
    figure.subplots_adjust(
        left=left / width_in,
        right=1 - right / width_in,
        bottom=bottom / height_in,
        top=1 - top / height_in,
    )
    FigureCanvasAgg(figure)
    return figure


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    # no "Software" text chunk: the same data gives the same bytes
    figure.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()


def plain_text(text: str) -> str:
    """A label from a file, shown literally (a ``$`` would otherwise start mathtext)."""
    return text.replace("\\", "\\\\").replace("$", r"\$")


def _week_labels(weeks: pd.DataFrame) -> list[str]:
    labels = [day.strftime("%d %b") for day in weeks["week_start"]]
    if len(labels) and bool(weeks["partial"].iloc[-1]):
        labels[-1] += "*"
    return labels


def _week_axis(weeks: pd.DataFrame) -> str:
    partial = len(weeks) and bool(weeks["partial"].iloc[-1])
    return "Week starting" + (" (* = this week so far)" if partial else "")


def _in(units: Units, metres: pd.Series | np.ndarray) -> np.ndarray:
    return np.asarray(metres, dtype="float64") / units.metres


def weekly_distance(report: Report) -> Chart | None:
    weeks = report.weeks
    if weeks.empty:
        return None
    u = report.units.value
    pain_points = _pain_points(report)
    # a right-hand axis for the pain levels needs a wider right margin
    figure = _figure(right=0.6) if pain_points else _figure()
    ax = figure.add_subplot()
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
    ax.set_xticks(x, _week_labels(weeks), rotation=45, ha="right", fontsize=8)
    ax.set_xlabel(_week_axis(weeks))
    ax.set_ylabel(f"Distance ({u})")
    ax.set_title(f"Weekly distance, last {len(weeks)} weeks")
    ax.grid(axis="y", alpha=0.3)
    ax.set_axisbelow(True)
    handles = [
        Patch(facecolor=SEVERITY_COLOURS[None], edgecolor=BLACK, label="no flag"),
        Patch(facecolor=SEVERITY_COLOURS[Severity.INFO], edgecolor=BLACK, label="info"),
        Patch(facecolor=ORANGE, edgecolor=BLACK, hatch="//", label="caution"),
        Patch(facecolor=VERMILLION, edgecolor=BLACK, hatch="xx", label="warning"),
        Line2D(
            [], [], color=BLACK, linewidth=2.0,
            label=f"previous week +{report.allowance_pct:g}% (a tradition, not evidence)"
        ),
    ]
    if pain_points:
        handles.append(_pain_overlay(ax, pain_points))
    ax.legend(
        handles=handles, fontsize=7, ncols=3 if pain_points else 5, loc="upper left", framealpha=0.9
    )
    # two legend rows (with the pain levels) need more room above the bars
    ax.set_ylim(0, _headroom(ax.get_ylim()[1]) * (1.2 if pain_points else 1.0))
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
        _png(figure),
    )


def _pain_points(report: Report) -> list[tuple[float, int]]:
    """Each diary entry in the shown weeks as (x, level): its week's bar, at its weekday."""
    if report.pain is None or report.weeks.empty:
        return []
    first = report.weeks["week_start"].iloc[0]
    points = []
    for day, level in report.pain.levels:
        start = weekly.week_start_of(day, report.week_start)  # type: ignore[arg-type]
        index = (start - first).days // 7
        if 0 <= index < len(report.weeks):
            # Monday (or Sunday) at the bar's left edge, the last day at its right
            points.append((index - 0.4 + 0.8 * ((day - start).days + 0.5) / 7, level))
    return points


def _pain_overlay(ax: Axes, points: list[tuple[float, int]]) -> Line2D:
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
    # 0..10 in the lower part, clear of the legend
    pain_ax.set_ylim(0, 15)
    pain_ax.set_yticks(range(0, 11, 2))
    pain_ax.set_ylabel("Heel pain (0-10)")
    return Line2D(
        [],
        [],
        color=PURPLE,
        marker="D",
        markeredgecolor=BLACK,
        linewidth=1.5,
        label="heel pain (right axis)",
    )


def _headroom(top: float) -> float:
    # room above the tallest bar for the legend
    return max(top, 1.0) * 1.25


def long_runs(report: Report) -> Chart | None:
    runs = report.runs
    if runs.empty:
        return None
    u = report.units.value
    figure = _figure(bottom=0.6)
    ax = figure.add_subplot()
    days = np.array(list(runs["day"]), dtype="datetime64[D]")
    reference = _in(report.units, runs["reference_m"])
    ax.step(
        days,
        reference,
        where="post",
        color=BLACK,
        linewidth=1.2,
        label="longest run of the 30 days before",
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
    ax.set_xlabel("Date")
    ax.set_ylabel(f"Run distance ({u})")
    ax.set_title("Each run against its 30-day longest")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=7, loc="upper left", ncols=2, framealpha=0.9)
    ax.set_ylim(0, _headroom(ax.get_ylim()[1]))
    ax.tick_params(axis="x", labelsize=8)
    spikes = sum(s is not None for s in runs["severity"])
    return Chart(
        "long-runs",
        "Runs against the 30-day longest",
        f"Scatter of {len(runs)} runs in {u} against the longest run of the 30 days before "
        f"each; {spikes} run(s) flagged as a long-run spike.",
        _png(figure),
    )


def surfaces(report: Report) -> Chart | None:
    weeks = report.weeks
    if weeks.empty:
        return None
    u = report.units.value
    columns = [c for c in SURFACE_COLOURS if f"{c}_m" in weeks and weeks[f"{c}_m"].sum() > 0]
    if not columns:
        return None
    figure = _figure()
    ax = figure.add_subplot()
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
    ax.set_xticks(x, _week_labels(weeks), rotation=45, ha="right", fontsize=8)
    ax.set_xlabel(_week_axis(weeks))
    ax.set_ylabel(f"Distance ({u})")
    ax.set_title("Weekly distance by surface")
    ax.grid(axis="y", alpha=0.3)
    ax.set_axisbelow(True)
    ax.legend(fontsize=7, ncols=len(columns), loc="upper left", framealpha=0.9)
    ax.set_ylim(0, _headroom(ax.get_ylim()[1]))
    return Chart(
        "surfaces",
        "Weekly distance by surface",
        f"Stacked bars of weekly distance in {u} by surface ({', '.join(columns)}).",
        _png(figure),
    )


def load_trend(report: Report) -> Chart | None:
    load = report.load
    if load.empty:
        return None
    u = report.units.value
    figure = _figure(bottom=0.6, right=0.7)
    ax = figure.add_subplot()
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
        label="the 21 days before those",
    )
    ax.set_xlabel("Date")
    ax.set_ylabel(f"Load ({u} per week)")
    ax.set_title("Training load trend: last 7 days against the 21 before")
    ax.grid(alpha=0.3)
    ax.set_ylim(bottom=0)
    ax.tick_params(axis="x", labelsize=8)
    ratio_ax = ax.twinx()
    ratio_ax.plot(
        days,
        load["acwr"].to_numpy(dtype="float64"),
        color=GREY,
        linewidth=1.0,
        linestyle=":",
        label="acute:chronic ratio (right axis)",
    )
    ratio_ax.set_ylabel("Acute:chronic ratio")
    ratio_ax.set_ylim(bottom=0)
    lines = ax.get_legend_handles_labels()
    more = ratio_ax.get_legend_handles_labels()
    ax.legend(lines[0] + more[0], lines[1] + more[1], fontsize=7, loc="upper left", framealpha=0.9)
    ax.set_ylim(0, _headroom(ax.get_ylim()[1]))
    return Chart(
        "load",
        "Training load trend",
        f"Lines of the average training load of the last 7 days and of the 21 days before "
        f"them, in {u} per week, with their ratio on the right axis (descriptive only).",
        _png(figure),
    )


def shoes(report: Report) -> Chart | None:
    rows = [s for s in report.shoe_rows() if s.get("status") != "retired"]
    if not rows:
        return None
    u = report.units.value
    names = [plain_text(_short(str(s.get("name") or "?"))) for s in rows]
    # room on the left for the longest name (about 0.07 in per character at 8 pt)
    left = 0.3 + 0.07 * max(len(n) for n in names)
    figure = _figure(height_in=max(2.6, 1.4 + 0.4 * len(rows)), left=left, bottom=0.95)
    ax = figure.add_subplot()
    y = np.arange(len(rows))
    distance = np.array([to_unit(float(s.get("distance_m") or 0.0), report.units) for s in rows])
    limits = np.array([to_unit(float(s.get("limit_m") or 0.0), report.units) for s in rows])
    plan = to_unit(report.plan_m, report.units)
    right = max(float(distance.max(initial=0.0)), float(limits.max(initial=0.0)), plan) * 1.1
    miles = report.plan_m / METRES_PER_MILE
    band = f"from {plan:.0f} {u}" + ("" if report.units is Units.MI else f" ({miles:.0f} mi)")
    ax.axvspan(
        plan, right, color=ORANGE, alpha=0.15, linewidth=0, label=f"{band}: plan a replacement"
    )
    ax.barh(
        y,
        distance,
        color=[STATUS_COLOURS.get(str(s.get("status")), BLUE) for s in rows],
        edgecolor=BLACK,
        linewidth=0.5,
        height=0.6,
    )
    ax.scatter(
        limits,
        y,
        marker="|",
        s=400,
        color=BLACK,
        linewidths=2.5,
        label="this shoe's limit",
        zorder=3,
    )
    ax.set_yticks(y, names, fontsize=8)
    ax.invert_yaxis()
    ax.set_xlim(0, right)
    ax.set_xlabel(f"Distance ({u})")
    ax.set_title("Shoes in service: distance against the replacement range")
    ax.grid(axis="x", alpha=0.3)
    ax.set_axisbelow(True)
    handles = [
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
    figure.legend(handles=handles, fontsize=7, loc="lower center", ncols=2, frameon=False)
    due = sum(str(s.get("status")) in ("plan", "retire") for s in rows)
    return Chart(
        "shoes",
        "Shoe distance",
        f"Horizontal bars of distance in {u} for {len(rows)} pair(s) of shoes, with the "
        f"300 mi band and each shoe's limit; {due} pair(s) due for replacement.",
        _png(figure),
    )


def _short(name: str, limit: int = 28) -> str:
    return name if len(name) <= limit else name[: limit - 1] + "…"
