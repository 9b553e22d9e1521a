"""Report → one self-contained HTML page: charts inline, no script, nothing fetched when viewed."""
from __future__ import annotations

from collections.abc import Callable
from html import escape
from itertools import groupby
from urllib.parse import quote

from kpi_scorecard.trends.charts import COLOURS, CONFLICT, KpiCharts, source_link, theme_chart
from kpi_scorecard.trends.data import Change, Kpi, Point, Print, Report, Series, Theme

STYLE = """
body { font: 14px/1.4 system-ui, "Noto Sans CJK TC", "WenQuanYi Micro Hei", sans-serif; margin: 1.5em; color: #222; }
table { border-collapse: collapse; margin: .4em 0 1.2em; }
th, td { border: 1px solid #ccc; padding: 1px 6px; vertical-align: top; text-align: left; }
th { background: #eee; }
td.num { text-align: right; }
nav a { margin-right: .8em; }
.legend span { margin-right: 1em; }
.themes { display: flex; flex-wrap: wrap; gap: 1.5em; }
.theme { border-top: 2px solid #ccc; }
.kpis { display: flex; flex-wrap: wrap; gap: 0 2em; align-items: flex-start; }
.kpi { border-top: 1px solid #ccc; padding-top: .4em; margin-top: .8em; width: 380px; }
.kpi.wide { width: 100%; }
.kpi h4 { margin: .2em 0; }
.meta, .names { margin: .2em 0; color: #555; }
figure { margin: .3em 0; }
figcaption { color: #555; font-size: 12px; }
.yes { background: #dfd; } .no { background: #fdd; } .conflict { box-shadow: inset 0 0 0 2px #f0a020; }
.better { color: #3a9d5d; } .worse { color: #d9534f; }
small { color: #666; }
"""
VERDICT = {True: ("yes", "achieved"), False: ("no", "missed"), None: ("", "–")}


def report_to_html(report: Report, title: str, on_chart: Callable[[int], None] | None = None) -> str:
    years = report.years
    span = f"ROC {years[0]}–{years[-1]} ({years[0] + 1911}–{years[-1] + 1911})" if years else "no years"
    sections = [
        ("themes", "Per theme and year", themes_section(report.themes)),
        ("missed", f"Missed two years running ({len(report.missed_running)})", missed_section(report)),
        ("movers", f"Biggest movers ({len(report.movers)})", movers_section(report)),
        ("renamed", f"Renamed ({len(report.renamed)})", renamed_section(report.renamed)),
        ("new", f"New ({len(report.new)})", changes_section(report.new, "first printed")),
        ("dropped", f"Dropped ({len(report.dropped)})", changes_section(report.dropped, "last printed")),
        ("review", f"Values left for review ({len(report.review)})", review_section(report)),
        ("kpis", f"KPIs ({len(report.kpis)})", kpis_section(report.kpis, KpiCharts(on_chart))),
    ]
    nav = " ".join(f'<a href="#{key}">{escape(heading)}</a>' for key, heading, _ in sections)
    documents = ", ".join(f"{escape(name)} ({'deck' if kind == 'briefing_deck' else 'report'} {year})" for name, year, kind in report.documents)
    return "\n".join([
        "<!doctype html>",
        '<html lang="zh-Hant"><head><meta charset="utf-8">',
        f"<title>{escape(title)}</title><style>{STYLE}</style></head><body>",
        f"<h1>{escape(title)}</h1>",
        f'<p class="summary">{span} · {len(report.kpis)} KPIs · {report.conflicts} values printed differently by '
        f"different prints (ringed in <span style=\"color:{CONFLICT}\">orange</span>) · {len(report.documents)} documents: {documents}</p>",
        f"<nav>{nav}</nav>",
        '<p class="legend">'
        + "".join(f'<span><b style="color:{COLOURS[v]}">■</b> {label}</span>' for v, label in ((True, "achieved"), (False, "missed"), (None, "no number to compare")))
        + "<span>Charts: actual — solid, target — dashed; each point links to the page it was printed on.</span></p>",
        *(f'<section id="{key}"><h2>{escape(heading)}</h2>{body}</section>' for key, heading, body in sections),
        "</body></html>",
    ])


def themes_section(themes: tuple[Theme, ...]) -> str:
    cards = []
    for theme in themes:
        code = theme.theme_code or "?"
        rows = "".join(
            f'<tr><td>{y.roc_year}</td><td class="num">{y.achieved}</td><td class="num">{y.missed}</td>'
            f'<td class="num">{y.no_number}</td><td>{stated_cell(y.stated)}</td></tr>'
            for y in theme.years
        )
        cards.append(
            f'<div class="theme" id="theme-{escape(code)}"><h3>{escape(code)} {escape(theme.theme_name or "")}</h3>'
            f'<figure class="chart theme-chart" aria-label="theme {escape(code)}: achieved, missed, no number per year">'
            f"{theme_chart(f'theme-{code}', theme)}</figure>"
            "<table><tr><th>year</th><th>achieved</th><th>missed</th><th>no number</th><th>KPIs stated / read</th></tr>"
            f"{rows}</table></div>"
        )
    note = ("<p>Bars count KPI measures by the values the warehouse chose for each year (kpi_trend); "
            "beside them, each document's stated KPI count against the KPIs read from it.</p>")
    return note + f'<div class="themes">{"".join(cards)}</div>'


def stated_cell(stated: tuple[tuple[str, int | None, int], ...]) -> str:
    return "<br>".join(
        f'<span class="{"" if n is None else "yes" if n == counted else "no"}">{escape(source)}: '
        f'{"–" if n is None else n} / {counted}</span>'
        for source, n, counted in stated
    )


def kpi_link(kpi: Kpi) -> str:
    return f'<a href="#{anchor(kpi.kpi_id)}">{escape(kpi.kpi_id)}</a>'


def code_link(kpi_code: str | None, kpi_id: str | None) -> str:
    """A code as printed, linked to its KPI's card when it has one."""
    return f'<a href="#{anchor(kpi_id)}">{escape(kpi_code or "")}</a>' if kpi_id else escape(kpi_code or "")


def anchor(kpi_id: str) -> str:
    return quote(f"kpi-{kpi_id}")


def missed_section(report: Report) -> str:
    rows = "".join(
        f"<tr><td>{kpi_link(run.kpi)}</td><td>{escape(run.kpi.kpi_name)}</td><td class=\"num\">{run.series.measure_no}</td>"
        f"<td>{', '.join(map(str, run.years))}</td><td>"
        + "; ".join(f"{p.roc_year}: {escape(p.actual_raw or '')} / {escape(p.target_raw or '')}" for p in run.series.points if p.roc_year in run.years)
        + "</td></tr>"
        for run in report.missed_running
    )
    return table(("KPI", "name", "#", "years missed", "actual / target"), rows)


def movers_section(report: Report) -> str:
    rows = "".join(
        f"<tr><td>{kpi_link(m.kpi)}</td><td>{escape(m.kpi.kpi_name)}</td><td class=\"num\">{m.series.measure_no}</td>"
        f"<td>{m.before.roc_year} → {m.after.roc_year}</td><td>{escape(m.before.actual_raw or '')} → {escape(m.after.actual_raw or '')}</td>"
        f'<td class="num">{m.change:+.0%}</td><td class="{"better" if m.better else "worse"}">'
        f'{"better" if m.better else "worse"} <small>({m.series.better} is better)</small></td></tr>'
        for m in report.movers
    )
    return table(("KPI", "name", "#", "years", "actual", "change", "direction"), rows)


def renamed_section(kpis: tuple[Kpi, ...]) -> str:
    rows = "".join(f"<tr><td>{kpi_link(k)}</td><td>{names_list(k)}</td></tr>" for k in kpis)
    return table(("KPI", "printed as"), rows)


def names_list(kpi: Kpi) -> str:
    return "<br>".join(f"{n.roc_year}: {escape(n.kpi_code)} {escape(n.kpi_name)} <small>({escape(n.source_files)})</small>" for n in kpi.names)


def changes_section(changes: tuple[Change, ...], when: str) -> str:
    rows = "".join(f"<tr><td>{c.roc_year}</td><td>{kpi_link(c.kpi)}</td><td>{escape(c.kpi.kpi_name)}</td></tr>" for c in changes)
    note = "<p>Compared across annual reports that cover the KPI's theme (briefing decks show part of a theme only).</p>"
    return note + table((when, "KPI", "name"), rows)


def review_section(report: Report) -> str:
    rows = "".join(
        f"<tr><td>{page_link(v.source_file, v.page)}</td>"
        f"<td>{code_link(v.kpi_code, v.kpi_id)}</td>"
        f"<td>{escape(v.column)}</td><td>{escape(v.raw)}</td><td>{escape(v.what)}</td></tr>"
        for v in report.review
    )
    return "<p>Printed targets and actuals with no single number to compare: stored without one, with their text.</p>" + table(
        ("printed in", "KPI", "column", "as printed", "why"), rows)


def page_link(source_file: str | None, page: int | None) -> str:
    if not source_file:
        return ""
    text = escape(source_file) + (f" p. {page}" if page else "")
    return f'<a href="{escape(source_link(source_file, page))}">{text}</a>'


def kpis_section(kpis: tuple[Kpi, ...], charts: KpiCharts) -> str:
    return "".join(
        f'<h3>Theme {escape(theme or "?")}</h3><div class="kpis">{"".join(kpi_card(k, charts) for k in cards)}</div>'
        for theme, cards in groupby(kpis, key=lambda k: k.theme_code)
    )


def kpi_card(kpi: Kpi, charts: KpiCharts) -> str:
    years = sorted({p.roc_year for s in kpi.series for p in s.points})
    wanted = {s.better for s in kpi.series}
    negative = {s.direction for s in kpi.series} == {"negative"}
    direction = ("負向指標: " * negative) + (f"{wanted.pop()} is better" if len(wanted) == 1 else "better: per measure")
    caption = " · ".join(
        f"#{s.measure_no}: " * (len(kpi.series) > 1) + " ".join(filter(None, (escape(s.agency or ""), f"unit {escape(s.unit)}" if s.unit else "")))
        for s in kpi.series
    )
    return "".join([
        f'<article class="kpi{" wide" if len(kpi.series) > 1 else ""}" id="kpi-{escape(kpi.kpi_id)}"><h4>{kpi_link(kpi)} {escape(kpi.kpi_name)}</h4>',
        f'<p class="meta">theme {escape(kpi.theme_code or "?")} · objective {escape(kpi.objective_code or "?")} · '
        f"ROC {years[0]}–{years[-1]} · {direction}</p>",
        f'<p class="names">Renamed — printed as:<br>{names_list(kpi)}</p>' if kpi.renamed else "",
        f'<figure class="chart kpi-chart" aria-label="{escape(kpi.kpi_id)}: target and actual per year">'
        f"{charts.draw(kpi.kpi_id, kpi.series)}<figcaption>{caption}</figcaption></figure>",
        points_table(kpi.series),
        "</article>",
    ])


def points_table(series: tuple[Series, ...]) -> str:
    rows = "".join(
        f'<tr><td class="num">{s.measure_no}</td><td>{p.roc_year}</td>'
        f"{value_cell(p.target_raw, p.target_source, p.target_page, p.target_conflict)}"
        f"{value_cell(p.actual_raw, p.actual_source, p.actual_page, p.actual_conflict)}"
        f'<td class="{VERDICT[p.achieved][0]}">{VERDICT[p.achieved][1]}</td></tr>'
        for s in series for p in s.points
    )
    return table(("#", "year", "target", "actual", "achieved"), rows, "points")


def value_cell(raw: str | None, source: str | None, page: int | None, conflict: tuple[Print, ...]) -> str:
    """The chosen print, linked to its page; other prints of the same value listed when they differ."""
    if raw is None:
        return "<td></td>"
    link = source_link(source, page)
    shown = f'<a href="{escape(link)}" title="{escape(source or "")}{f" p. {page}" if page else ""}">{escape(raw)}</a>' if link else escape(raw)
    others = [c for c in conflict if not c.chosen]
    if not others:
        return f"<td>{shown}</td>"
    also = "; ".join(f"{escape(c.raw)} in {page_link(c.source_file, c.page)} ({escape(c.source)})" for c in others)
    return f'<td class="conflict">{shown}<br><small>also printed: {also}</small></td>'


def table(head: tuple[str, ...], rows: str, css: str = "") -> str:
    if not rows:
        return "<p>None.</p>"
    header = "".join(f"<th>{h}</th>" for h in head)
    return f'<table class="{css}"><tr>{header}</tr>{rows}</table>'
