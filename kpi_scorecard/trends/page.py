"""Report → one self-contained HTML page: charts inline, no script, nothing fetched when viewed."""
from __future__ import annotations

from collections.abc import Callable
from html import escape
from itertools import groupby
from urllib.parse import quote

from kpi_scorecard.messages import Messages
from kpi_scorecard.trends.charts import COLOURS, CONFLICT, KpiCharts, page_url, source_link, theme_chart
from kpi_scorecard.trends.data import Change, Kpi, Print, Report, Series, Theme

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
VERDICT = {True: ("yes", "achieved"), False: ("no", "missed"), None: ("", None)}
LEGEND = ((True, "achieved"), (False, "missed"), (None, "no number to compare"))  # the chart colours, by verdict


def report_to_html(report: Report, title: str | None = None, on_chart: Callable[[int], None] | None = None, language: str | None = None) -> str:
    """The page; title None: "KPI trends" in its language, zh-TW or en (None: the locale's)."""
    t = Messages(language)
    title = title or t("KPI trends")
    years = report.years
    span = t("ROC {first}–{last} ({first_ad}–{last_ad})", first=years[0], last=years[-1], first_ad=years[0] + 1911,
             last_ad=years[-1] + 1911) if years else t("no years")
    sections = [
        ("themes", t("Per theme and year"), themes_section(report.themes, t)),
        ("missed", t("Missed two years running ({n})", n=len(report.missed_running)), missed_section(report, t)),
        ("movers", t("Biggest movers ({n})", n=len(report.movers)), movers_section(report, t)),
        ("renamed", t("Renamed ({n})", n=len(report.renamed)), renamed_section(report.renamed, t)),
        ("new", t("New ({n})", n=len(report.new)), changes_section(report.new, "first printed", t)),
        ("dropped", t("Dropped ({n})", n=len(report.dropped)), changes_section(report.dropped, "last printed", t)),
        ("review", t("Values left for review ({n})", n=len(report.review)), review_section(report, t)),
        ("kpis", t("KPIs ({n})", n=len(report.kpis)), kpis_section(report.kpis, KpiCharts(on_chart, t), t)),
    ]
    nav = " ".join(f'<a href="#{key}">{escape(heading)}</a>' for key, heading, _ in sections)
    documents = ", ".join(f"{escape(name)} ({t('deck' if kind == 'briefing_deck' else 'report')} {year})" for name, year, kind in report.documents)
    orange = f'<span style="color:{CONFLICT}">{t("orange")}</span>'
    summary = t("trend summary", span=span, kpis=len(report.kpis), conflicts=report.conflicts, orange=orange, documents=len(report.documents), list=documents)
    return "\n".join([
        "<!doctype html>",
        f'<html lang="{t.html_lang}"><head><meta charset="utf-8">',
        f"<title>{escape(title)}</title><style>{STYLE}</style></head><body>",
        f"<h1>{escape(title)}</h1>",
        f'<p class="summary">{summary}</p>',
        f"<nav>{nav}</nav>",
        '<p class="legend">'
        + "".join(f'<span><b style="color:{COLOURS[v]}">■</b> {t(label)}</span>' for v, label in LEGEND)
        + f"<span>{t('charts legend')}</span></p>",
        *(f'<section id="{key}"><h2>{escape(heading)}</h2>{body}</section>' for key, heading, body in sections),
        "</body></html>",
    ])


def themes_section(themes: tuple[Theme, ...], t: Messages) -> str:
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
            f'<figure class="chart theme-chart" aria-label="{escape(t("theme chart label", code=code))}">'
            f"{theme_chart(f'theme-{code}', theme)}</figure>"
            "<table><tr>" + "".join(f"<th>{t(h)}</th>" for h in ("year", "achieved", "missed", "no number", "KPIs stated / read"))
            + f"</tr>{rows}</table></div>"
        )
    note = f"<p>{t('themes note')}</p>"
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


def missed_section(report: Report, t: Messages) -> str:
    rows = "".join(
        f"<tr><td>{kpi_link(run.kpi)}</td><td>{escape(run.kpi.kpi_name)}</td><td class=\"num\">{run.series.measure_no}</td>"
        f"<td>{', '.join(map(str, run.years))}</td><td>"
        + "; ".join(f"{p.roc_year}: {escape(p.actual_raw or '')} / {escape(p.target_raw or '')}" for p in run.series.points if p.roc_year in run.years)
        + "</td></tr>"
        for run in report.missed_running
    )
    return table(("KPI", "name", "#", "years missed", "actual / target"), rows, t)


def movers_section(report: Report, t: Messages) -> str:
    rows = "".join(
        f"<tr><td>{kpi_link(m.kpi)}</td><td>{escape(m.kpi.kpi_name)}</td><td class=\"num\">{m.series.measure_no}</td>"
        f"<td>{m.before.roc_year} → {m.after.roc_year}</td><td>{escape(m.before.actual_raw or '')} → {escape(m.after.actual_raw or '')}</td>"
        f'<td class="num">{m.change:+.0%}</td><td class="{"better" if m.better else "worse"}">'
        f'{t("better" if m.better else "worse")} <small>({t("{better} is better", better=t(m.series.better))})</small></td></tr>'
        for m in report.movers
    )
    return table(("KPI", "name", "#", "years", "actual", "change", "direction"), rows, t)


def renamed_section(kpis: tuple[Kpi, ...], t: Messages) -> str:
    rows = "".join(f"<tr><td>{kpi_link(k)}</td><td>{names_list(k)}</td></tr>" for k in kpis)
    return table(("KPI", "printed as"), rows, t)


def names_list(kpi: Kpi) -> str:
    return "<br>".join(f"{n.roc_year}: {escape(n.kpi_code)} {escape(n.kpi_name)} <small>({escape(n.source_files)})</small>" for n in kpi.names)


def changes_section(changes: tuple[Change, ...], when: str, t: Messages) -> str:
    rows = "".join(f"<tr><td>{c.roc_year}</td><td>{kpi_link(c.kpi)}</td><td>{escape(c.kpi.kpi_name)}</td></tr>" for c in changes)
    return f"<p>{t('changes note')}</p>" + table((when, "KPI", "name"), rows, t)


def review_section(report: Report, t: Messages) -> str:
    rows = "".join(
        f"<tr><td>{page_link(v.source_file, v.page, t)}</td>"
        f"<td>{code_link(v.kpi_code, v.kpi_id)}</td>"
        f"<td>{escape(v.column)}</td><td>{escape(v.raw)}</td><td>{escape(v.what)}</td></tr>"
        for v in report.review
    )
    return f"<p>{t('review note')}</p>" + table(("printed in", "KPI", "column", "as printed", "why"), rows, t)


def page_link(source_file: str | None, page: int | None, t: Messages) -> str:
    if not source_file:
        return ""
    text = escape(source_file) + (" " + t("p. {page}", page=page) if page else "")
    return f'<a href="{escape(page_url(source_file, page))}">{text}</a>'


def kpis_section(kpis: tuple[Kpi, ...], charts: KpiCharts, t: Messages) -> str:
    return "".join(
        f'<h3>{escape(t("Theme {code}", code=theme or "?"))}</h3><div class="kpis">{"".join(kpi_card(k, charts, t) for k in cards)}</div>'
        for theme, cards in groupby(kpis, key=lambda k: k.theme_code)
    )


def kpi_card(kpi: Kpi, charts: KpiCharts, t: Messages) -> str:
    years = sorted({p.roc_year for s in kpi.series for p in s.points})
    wanted = {s.better for s in kpi.series}
    negative = {s.direction for s in kpi.series} == {"negative"}
    direction = (t("負向指標: ") * negative) + (t("{better} is better", better=t(wanted.pop())) if len(wanted) == 1 else t("better: per measure"))
    meta = t("kpi meta", theme=kpi.theme_code or "?", objective=kpi.objective_code or "?", first=years[0], last=years[-1], direction=direction)
    caption = " · ".join(
        f"#{s.measure_no}: " * (len(kpi.series) > 1)
        + " ".join(filter(None, (escape(s.agency or ""), escape(t("unit {unit}", unit=s.unit)) if s.unit else "")))
        for s in kpi.series
    )
    return "".join([
        f'<article class="kpi{" wide" if len(kpi.series) > 1 else ""}" id="kpi-{escape(kpi.kpi_id)}"><h4>{kpi_link(kpi)} {escape(kpi.kpi_name)}</h4>',
        f'<p class="meta">{escape(meta)}</p>',
        f'<p class="names">{t("Renamed — printed as:")}<br>{names_list(kpi)}</p>' if kpi.renamed else "",
        f'<figure class="chart kpi-chart" aria-label="{escape(t("kpi chart label", kpi=kpi.kpi_id))}">'
        f"{charts.draw(kpi.kpi_id, kpi.series)}<figcaption>{caption}</figcaption></figure>",
        points_table(kpi.series, t),
        "</article>",
    ])


def points_table(series: tuple[Series, ...], t: Messages) -> str:
    rows = "".join(
        f'<tr><td class="num">{s.measure_no}</td><td>{p.roc_year}</td>'
        f"{value_cell(p.target_raw, p.target_source, p.target_page, p.target_conflict, t)}"
        f"{value_cell(p.actual_raw, p.actual_source, p.actual_page, p.actual_conflict, t)}"
        f'<td class="{VERDICT[p.achieved][0]}">{t(label) if (label := VERDICT[p.achieved][1]) else "–"}</td></tr>'
        for s in series for p in s.points
    )
    return table(("#", "year", "target", "actual", "achieved"), rows, t, "points")


def value_cell(raw: str | None, source: str | None, page: int | None, conflict: tuple[Print, ...], t: Messages) -> str:
    """The chosen print, linked to its page; other prints of the same value listed when they differ."""
    if raw is None:
        return "<td></td>"
    link = source_link(source, page)
    where = escape(source or "") + (" " + t("p. {page}", page=page) if page else "")
    shown = f'<a href="{escape(link)}" title="{where}">{escape(raw)}</a>' if link else escape(raw)
    others = [c for c in conflict if not c.chosen]
    if not others:
        return f"<td>{shown}</td>"
    also = "; ".join(t("{raw} in {where} ({source})", raw=escape(c.raw), where=page_link(c.source_file, c.page, t), source=escape(c.source))
                     for c in others)
    return f'<td class="conflict">{shown}<br><small>{t("also printed", prints=also)}</small></td>'


def table(head: tuple[str, ...], rows: str, t: Messages, css: str = "") -> str:
    if not rows:
        return f"<p>{t('None.')}</p>"
    header = "".join(f"<th>{t(h)}</th>" for h in head)
    return f'<table class="{css}"><tr>{header}</tr>{rows}</table>'
