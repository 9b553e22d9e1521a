"""Charts of the trend report, drawn by matplotlib as inline SVG.

Text inside the charts is numbers, years and the axis's "lower is better" (越低越好 in a zh-TW
report): names, units and agencies go in the page around them. SVG text stays text (svg.fonttype
none), drawn by the browser in the page's fonts, so the charts need no CJK font where they are
made (matplotlib measures the few CJK characters with DejaVu Sans and is told not to warn about
it); each chart gets its own id salt, so many charts share one page.
"""
from __future__ import annotations

import io
import re
import warnings
from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import matplotlib

matplotlib.use("svg")  # no display, no GUI toolkit

from matplotlib import rc_context  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import FuncFormatter, MaxNLocator  # noqa: E402

from kpi_scorecard.messages import Messages  # noqa: E402
from kpi_scorecard.trends.data import Series, Theme  # noqa: E402

if TYPE_CHECKING:
    from matplotlib.typing import RcKeyType

COLOURS = {True: "#3a9d5d", False: "#d9534f", None: "#9a9a9a"}  # achieved, missed, no number
TARGET = "#555555"
ACTUAL = "#2b6cb0"
CONFLICT = "#f0a020"
ARROWS = {"lower": "↓", "higher": "↑", "nearer zero": "→0"}
PANEL = (2.7, 1.55)  # inches per measure
COLUMNS = 4  # panels per row
STYLE: dict[RcKeyType, Any] = {
    "svg.fonttype": "none", "font.size": 8, "axes.spines.top": False, "axes.spines.right": False,
    "font.sans-serif": ["DejaVu Sans"],  # the font matplotlib measures with; named once per text, not ten fallbacks
}
# Ids matplotlib gives every element of a figure: the same in every chart, and never referenced.
FIGURE_IDS = re.compile(r' id="(?:figure|axes|patch|line2d|text|matplotlib\.axis|[xy]tick|PathCollection|legend)_\d+"')


def source_link(source_file: str | None, page: int | None) -> str | None:
    """The document a value was printed in, opened at its page: relative to the report's folder."""
    return page_url(source_file, page) if source_file else None


def page_url(source_file: str, page: int | None) -> str:
    return quote(source_file) + (f"#page={page}" if page else "")


class KpiCharts:
    """Draws the KPI charts of one report. A figure is made once per panel layout and reused:
    matplotlib takes longer to make axes and ticks than to draw them (half a report's time)."""

    def __init__(self, on_chart: Callable[[int], None] | None = None, messages: Messages | None = None) -> None:
        self._figures: dict[tuple[int, int], tuple[Figure, list]] = {}
        self._on_chart = on_chart  # called after each chart (a progress bar)
        self._t = messages or Messages("en")

    def draw(self, chart_id: str, series: tuple[Series, ...]) -> str:
        """Target (dashed) and actual (solid) of each measure over its years, one panel per measure.
        Actual points are coloured by achieved (the warehouse's verdict, direction honoured); a
        ring marks a value printed differently elsewhere; each point links to its source page."""
        columns = min(len(series), COLUMNS)
        rows = -(-len(series) // COLUMNS)
        with rc_context({**STYLE, "svg.hashsalt": chart_id}):
            figure, axes = self._figure(rows, columns)
            for ax, measure in zip(axes, series, strict=False):
                _measure_panel(ax, measure, titled=len(series) > 1, t=self._t)
            for ax in axes[len(series):]:
                ax.set_visible(False)
            _place(figure, axes[:len(series)], columns, rows, top=0.25 if len(series) > 1 else 0.1)
            svg = _svg(figure)
        if self._on_chart:
            self._on_chart(1)
        return svg

    def _figure(self, rows: int, columns: int) -> tuple[Figure, list]:
        """The figure of this layout, emptied."""
        if (rows, columns) not in self._figures:
            figure = Figure(figsize=(PANEL[0] * columns, PANEL[1] * rows))
            self._figures[rows, columns] = figure, list(figure.subplots(rows, columns, squeeze=False).flatten())
        figure, axes = self._figures[rows, columns]
        for ax in axes:
            for artist in [*ax.lines, *ax.collections]:
                artist.remove()
            ax.relim()  # no data left: the next chart's sets the limits
            ax.set_title("", loc="left")
            ax.set_visible(True)
        return figure, axes


def _measure_panel(ax, series: Series, titled: bool, t: Messages) -> None:
    points = series.points
    years = [p.roc_year for p in points]
    for kind, colour, style, marker in (("target", TARGET, "--", "s"), ("actual", ACTUAL, "-", "o")):
        shown = [p for p in points if getattr(p, f"{kind}_value") is not None]
        if not shown:
            continue
        xs, ys = [p.roc_year for p in shown], [getattr(p, f"{kind}_value") for p in shown]
        ax.plot(xs, ys, linestyle=style, color=colour, linewidth=1.2, zorder=2)
        faces = ["white" if kind == "target" else COLOURS[p.achieved] for p in shown]
        dots = ax.scatter(xs, ys, s=22, marker=marker, c=faces, edgecolors=colour if kind == "target" else faces, zorder=3)
        dots.set_urls([source_link(getattr(p, f"{kind}_source"), getattr(p, f"{kind}_page")) for p in shown])
        disputed = [p for p in shown if getattr(p, f"{kind}_conflict")]
        if disputed:
            ax.scatter([p.roc_year for p in disputed], [getattr(p, f"{kind}_value") for p in disputed], s=90,
                       marker="o", facecolors="none", edgecolors=CONFLICT, linewidths=1.5, zorder=4)
    blank = [p.roc_year for p in points if p.actual_value is None and p.target_value is None]
    if blank:  # a year printed without any number: marked on the axis, so it is not mistaken for a gap
        ax.scatter(blank, [0.03] * len(blank), marker="x", s=18, color=COLOURS[None], transform=ax.get_xaxis_transform(), zorder=3)
    ax.set_xticks(years)
    ax.set_xlim(min(years) - 0.5, max(years) + 0.5)
    ax.yaxis.set_major_locator(MaxNLocator(4))
    ax.yaxis.set_major_formatter(FuncFormatter(_number))
    ax.tick_params(labelsize=7, length=2)
    ax.set_ylabel(f"{t('{better} is better', better=t(series.better))} {ARROWS[series.better]}", fontsize=6, color=TARGET)
    if titled:
        ax.set_title(f"#{series.measure_no}", fontsize=7, loc="left", pad=2)


def theme_chart(chart_id: str, theme: Theme) -> str:
    """Per year, the theme's KPI measures achieved / missed / without a number, stacked."""
    years = [y.roc_year for y in theme.years]
    with rc_context({**STYLE, "svg.hashsalt": chart_id}):
        width = 0.9 + 0.45 * max(len(years), 2)  # inches: the axis labels, then a bar per year
        figure = Figure(figsize=(width, 1.9))
        ax = figure.subplots()
        bottom = [0] * len(years)
        for verdict, counts in ((True, [y.achieved for y in theme.years]), (False, [y.missed for y in theme.years]),
                                (None, [y.no_number for y in theme.years])):
            bars = ax.bar(years, counts, bottom=bottom, color=COLOURS[verdict], width=0.7)
            ax.bar_label(bars, labels=[str(n) if n else "" for n in counts], label_type="center", fontsize=7, color="white")
            bottom = [b + n for b, n in zip(bottom, counts, strict=True)]
        ax.set_xticks(years)
        ax.set_xlim(min(years) - 0.6, max(years) + 0.6)
        ax.yaxis.set_major_locator(MaxNLocator(4, integer=True))
        ax.tick_params(labelsize=7, length=2)
        _place(figure, [ax], 1, 1, top=0.1, ylabel=False)
        return _svg(figure)


def _place(figure: Figure, axes, columns: int, rows: int, top: float, ylabel: bool = True) -> None:
    """Margins in inches from the widest y tick label (what a layout engine measures, at a
    fraction of its time): the labels and the y axis title fit, the plots take the rest."""
    chars = max((len(label) for ax in axes for label in _tick_labels(ax)), default=3)
    left = 0.2 + (0.14 if ylabel else 0) + 0.06 * chars
    right, bottom = 0.08, 0.28
    width, height = figure.get_size_inches()
    across = (width - left - right - (columns - 1) * left) / columns  # each plot's width
    down = (height - top - bottom - (rows - 1) * (top + bottom)) / rows
    figure.subplots_adjust(left=left / width, right=1 - right / width, bottom=bottom / height, top=1 - top / height,
                           wspace=left / across, hspace=(top + bottom) / down)


def _tick_labels(ax) -> list[str]:
    low, high = ax.get_ylim()
    return ax.yaxis.get_major_formatter().format_ticks([t for t in ax.get_yticks() if low <= t <= high])


def _number(value: float, _position: int) -> str:
    return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:g}"


def _svg(figure: Figure) -> str:
    """The figure as an <svg> element for inlining in HTML (no XML prolog, no metadata)."""
    out = io.StringIO()
    with warnings.catch_warnings():  # a CJK label: the browser draws it (svg.fonttype none)
        warnings.filterwarnings("ignore", message=r"Glyph \d+ .* missing from font", category=UserWarning)
        figure.savefig(out, format="svg", metadata={"Date": None, "Creator": None})
    svg = out.getvalue()
    svg = svg[svg.index("<svg"):]
    svg = re.sub(r"\s*<metadata>.*?</metadata>", "", svg, flags=re.S)
    return re.sub(r"\s*\n\s*", " ", FIGURE_IDS.sub("", svg)).replace("> <", "><")  # one line: a tenth smaller
