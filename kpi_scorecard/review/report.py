"""Scorecard → one self-contained HTML page for checking what was read against the printed pages.

Per theme: stated against counted, a bar of achieved against missed, and the KPI table, each row
linked to the image of its page (#page-N) with the table cells the extractor saw drawn over it.
Then every repair and review item with its page, then the page images.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape

from kpi_scorecard.normalize.records import Kpi, Problem, Scorecard, ThemeCount, Value
from kpi_scorecard.normalize.kpis import REVIEW_KINDS
from kpi_scorecard.warehouse import achieved_values
from kpi_scorecard.warehouse.identity import REVIEWED, Link

Verdicts = Mapping[int, bool | None]  # id(measure) → achieved, as kpi_history has it

STYLE = """
body { font: 14px/1.4 system-ui, "Noto Sans CJK TC", "WenQuanYi Micro Hei", sans-serif; margin: 1.5em; color: #222; }
table { border-collapse: collapse; margin: .5em 0 1.5em; }
th, td { border: 1px solid #bbb; padding: 2px 6px; vertical-align: top; text-align: left; }
th { background: #eee; }
td.num { text-align: right; }
.bad { background: #fdd; } .ok { background: #dfd; } .review { background: #ffe9a8; }
.kpi-name { max-width: 28em; }
.read { color: #555; }
figure { margin: 1em 0; border-top: 1px solid #ccc; }
figure img { border: 1px solid #999; }
img.cell { max-width: 14em; border: 1px solid #ccc; }
small.ocr { color: #555; }
nav a { margin-right: .8em; }
"""
PROBLEM_ORDER = {"repair": 0, "warning": 1, "tie": 2, "stitch": 3}  # what needs a look first
CHART_COLOURS = {"achieved": "#3a9d5d", "missed": "#d9534f", "no number": "#aaa"}


def scorecard_to_html(scorecard: Scorecard, page_images: Mapping[int, str], links: Sequence[Link] = (),
                      cell_images: Mapping[tuple[int, tuple], str] = {}) -> str:
    """The review page of one document; page_images: page number → image URL (data: URI);
    links: its KPIs' identity links, as the warehouse makes them."""
    themes = theme_order(scorecard)
    measures = [m for k in scorecard.kpis for m in k.measures]
    verdicts = dict(zip(map(id, measures), achieved_values(measures)))
    sections = [theme_section(code, name, scorecard, page_images, verdicts, cell_images) for code, name in themes]
    title = f"Review: {scorecard.source_file}"
    nav = " ".join(f'<a href="#theme-{escape(code)}">{escape(code)}</a>' for code, _ in themes)
    return "\n".join([
        "<!doctype html>",
        '<html lang="zh-Hant"><head><meta charset="utf-8">',
        f"<title>{escape(title)}</title><style>{STYLE}</style></head><body>",
        f"<h1>{escape(title)}</h1>",
        f'<p class="summary">{escape(summary_line(scorecard))}</p>',
        f'<nav>Themes: {nav} <a href="#identity">KPI identity</a> <a href="#problems">Repairs and review items</a> '
        '<a href="#pages">Pages</a></nav>',
        *sections,
        identity_section(links),
        problems_section(scorecard.problems, page_images),
        pages_section(scorecard, page_images),
        "</body></html>",
    ])


def summary_line(scorecard: Scorecard) -> str:
    kinds = [p.kind for p in scorecard.problems]
    measures = sum(len(k.measures) for k in scorecard.kpis)
    pages = f" · {scorecard.pages} pages" if scorecard.pages else ""
    missing = [c.theme_code for c in scorecard.counts if not c.found]
    themes = f"{len(theme_order(scorecard)) - len(missing)} themes" + (f" ({', '.join(missing)} missing)" if missing else "")
    return (
        f"ROC {scorecard.roc_year} · {themes} · {len(scorecard.kpis)} KPIs · "
        f"{measures} measures · {kinds.count('repair')} repairs · {kinds.count('warning')} warnings · "
        f"{kinds.count('stitch')} rows stitched{pages}"
    )


def theme_order(scorecard: Scorecard) -> list[tuple[str, str | None]]:
    """(code, name) of every theme counted or holding KPIs, in the order first met."""
    names: dict[str, str | None] = {}
    for code, name in [(c.theme_code, c.theme_name) for c in scorecard.counts] + [(k.theme_code, k.theme_name) for k in scorecard.kpis]:
        names[code] = names.get(code) or name
    return list(names.items())


def theme_section(code: str, name: str | None, scorecard: Scorecard, page_images: Mapping[int, str], verdicts: Verdicts,
                  cell_images: Mapping[tuple[int, tuple], str] = {}) -> str:
    kpis = [k for k in scorecard.kpis if k.theme_code == code]
    count = next((c for c in scorecard.counts if c.theme_code == code), None)
    heading = f'<section class="theme" id="theme-{escape(code)}"><h2>{escape(code)} {escape(name or "")}</h2>'
    if count and not count.found:
        return f'{heading}<p class="bad">Listed in the table of contents, but nothing of theme {escape(code)} was found.</p></section>'
    this_year = [m for k in kpis for m in k.measures if m.roc_year in (None, scorecard.roc_year)]
    results = [verdicts[id(m)] for m in this_year]
    tally = {"achieved": results.count(True), "missed": results.count(False), "no number": results.count(None)}
    return "\n".join([
        heading,
        counts_table(count) if count else "<p>No counts stated for this theme.</p>",
        f"<p>ROC {scorecard.roc_year}: {tally['achieved']} achieved, {tally['missed']} missed, {tally['no number']} without a number to compare</p>",
        tally_to_svg(tally),
        kpi_table(kpis, scorecard.roc_year, page_images, verdicts, cell_images) if kpis else "",
        "</section>",
    ])


def counts_table(count: ThemeCount) -> str:
    rows = [
        ("objectives", count.stated_objectives, count.counted_objectives),
        ("KPIs", count.stated_kpis, count.counted_kpis),
        ("action plans", count.stated_plans, count.counted_plans),
    ]
    body = "".join(
        f'<tr class="{"" if stated is None else "ok" if stated == counted else "bad"}"><td>{item}</td>'
        f'<td class="num">{"–" if stated is None else stated}</td><td class="num">{counted}</td></tr>'
        for item, stated, counted in rows
    )
    return f'<table class="counts"><tr><th></th><th>stated</th><th>counted</th></tr>{body}</table>'


def tally_to_svg(tally: Mapping[str, int], width: int = 480, height: int = 22) -> str:
    """A stacked horizontal bar: achieved, missed, no number; each part labelled with its count."""
    total = sum(tally.values()) or 1
    parts, x = [], 0.0
    for label, n in tally.items():
        w = width * n / total
        if n:
            parts.append(
                f'<rect x="{x:.1f}" y="0" width="{w:.1f}" height="{height}" fill="{CHART_COLOURS[label]}"><title>{label}: {n}</title></rect>'
                f'<text x="{x + w / 2:.1f}" y="{height - 6}" text-anchor="middle" font-size="12" fill="#fff">{n}</text>'
            )
        x += w
    legend = " ".join(f'<tspan fill="{CHART_COLOURS[label]}">■</tspan> {label}' for label in tally)
    return (
        f'<svg class="chart" width="{width}" height="{height + 18}" role="img" aria-label="achieved against missed">'
        f'{"".join(parts)}<text x="0" y="{height + 15}" font-size="12">{legend}</text></svg>'
    )


def kpi_table(kpis: list[Kpi], roc_year: int, page_images: Mapping[int, str], verdicts: Verdicts,
              cell_images: Mapping[tuple[int, tuple], str] = {}) -> str:
    several_years = any(m.roc_year not in (None, roc_year) for k in kpis for m in k.measures)
    head = ["KPI", "name", "#", *(["year"] if several_years else []), "agency", "target", "actual", "achieved", "page"]
    rows = []
    for kpi in kpis:
        for index, m in enumerate(kpi.measures):
            code = (
                f'<td class="kpi-code" id="kpi-{escape(kpi.code)}" rowspan="{len(kpi.measures)}">{escape(kpi.code)}</td>'
                f'<td class="kpi-name" rowspan="{len(kpi.measures)}">{escape(kpi.name)}</td>'
                if index == 0 else ""
            )
            result = verdicts[id(m)]
            cells = [
                f'<td class="num">{m.measure_no}</td>',
                *([f'<td class="num">{m.roc_year or roc_year}</td>'] if several_years else []),
                f"<td>{escape(m.agency)}</td>",
                value_cell(m.target, cell_images.get((m.page, m.target.box))),
                value_cell(m.actual, cell_images.get((m.page, m.actual.box))),
                f'<td class="{"" if result is None else "ok" if result else "bad"}">{"–" if result is None else "yes" if result else "no"}</td>',
                f"<td>{page_link(m.page, page_images)}</td>",
            ]
            rows.append(f"<tr>{code}{''.join(cells)}</tr>")
    header = "".join(f"<th>{h}</th>" for h in head)
    return f'<table class="kpis"><tr>{header}</tr>{"".join(rows)}</table>'


def value_cell(value: Value, image: str | None = None) -> str:
    """The printed text, and what was read from it where that is more than its digits; a value
    that gave no single number is marked for review with its kind. A value recognised from a page
    image shows the OCR engine's confidence and the cell's image beside the text read from it."""
    flagged = value.kind in REVIEW_KINDS
    title = f' title="{escape(value.kind)}"' if flagged else ""
    read = f'<br><small class="read">→ {escape(shown)}</small>' if (shown := read_as(value)) else ""
    if value.confidence is not None:
        read += f'<br><small class="ocr">OCR {value.confidence:.0f}</small>'
    if image:
        read += f'<br><img class="cell" src="{image}" alt="cell as scanned">'
    return f'<td class="{"review" if flagged else ""}"{title}>{escape(value.raw)}{read}</td>'


def read_as(value: Value) -> str | None:
    """"累積啟動 19,661 戶" → "19661 (累積啟動)"; None for a plain number ("44,000", "12.9")."""
    if value.kind != "number" or value.value is None:
        return None
    try:
        if value.op is None and value.note is None and float(value.raw.replace(",", "")) == value.value:
            return None
    except ValueError:
        pass
    return f"{value.op or ''} {value.value:.10g}".strip() + (f" ({value.note})" if value.note else "")


def page_link(page: int | None, page_images: Mapping[int, str]) -> str:
    if page is None:
        return ""
    return f'<a href="#page-{page}">p. {page}</a>' if page in page_images else f"p. {page}"


def problems_section(problems: list[Problem], page_images: Mapping[int, str]) -> str:
    head = "".join(f"<th>{h}</th>" for h in ("kind", "what", "KPI", "column", "printed", "read as", "page"))
    rows = "".join(
        f'<tr class="{"review" if p.kind == "warning" else ""}"><td>{escape(p.kind)}</td><td>{escape(p.what)}</td>'
        f'<td>{kpi_link(p.row)}</td><td>{escape(p.column or "")}</td><td>{escape(p.raw)}</td>'
        f'<td>{escape(p.fixed or "")}</td><td>{page_link(p.page, page_images)}</td></tr>'
        for p in sorted(problems, key=lambda p: PROBLEM_ORDER.get(p.kind, len(PROBLEM_ORDER)))
    )
    return (
        f'<section id="problems"><h2>Repairs and review items ({len(problems)})</h2>'
        f'<table class="problems"><tr>{head}</tr>{rows}</table></section>'
    )


def identity_section(links: Sequence[Link]) -> str:
    """The links below a clear match (renamed, renumbered, ambiguous, and new ones that had a
    candidate) next to the identity's print before this document, with the override line that
    pins or splits each; a count of the rest."""
    doubtful = [link for link in links if link.decision in REVIEWED or (link.decision == "new" and link.compared_to)]
    counts = {d: sum(link.decision == d for link in links) for d in ("matched", "new", "pinned", "split")}
    head = "".join(f"<th>{h}</th>" for h in ("KPI", "name printed", "decision", "identity", "before: file", "code",
                                               "name", "similarity", "why", "command that pins it (links split keeps it apart)"))
    rows = "".join(
        f'<tr class="{"review" if link.decision == "ambiguous" else ""}"><td>{kpi_link(link.kpi_code)}</td>'
        f"<td>{escape(link.kpi_name)}</td><td>{escape(link.decision)}</td><td>{escape(link.kpi_id)}</td>"
        f"<td>{escape(link.previous_document or '')}</td><td>{escape(link.previous_code or '')}</td>"
        f'<td>{escape(link.previous_name or "")}</td><td class="num">{"" if link.score is None else f"{link.score:.0f}"}</td>'
        f"<td>{escape(link.reason or '')}</td><td><code>{escape(override_line(link))}</code></td></tr>"
        for link in doubtful
    )
    summary = ", ".join(f"{n} {d}" for d, n in counts.items() if n)
    return (
        f'<section id="identity"><h2>KPI identity ({len(doubtful)} to confirm)</h2>'
        f"<p>{escape(summary or 'Not linked (no warehouse)')}; the rest below: confirm each, or pin or split it.</p>"
        + (f'<table class="links"><tr>{head}</tr>{rows}</table>' if doubtful else "") + "</section>"
    )


def override_line(link: Link) -> str:
    """The command that pins the KPI to the identity it joined, or, when it started one, to the
    identity it was compared to (the warehouse keeps the override: kpi-scorecard links)."""
    target = link.compared_to if link.decision in ("new", "ambiguous") and link.compared_to else link.kpi_id
    return f"kpi-scorecard links pin {link.document_id} {link.kpi_code} {target}"


def kpi_link(code: str | None) -> str:
    return f'<a href="#kpi-{escape(code)}">{escape(code)}</a>' if code else ""


def pages_section(scorecard: Scorecard, page_images: Mapping[int, str]) -> str:
    on_page: dict[int, list[str]] = {}
    for kpi in scorecard.kpis:
        for page in dict.fromkeys(m.page for m in kpi.measures if m.page is not None):
            on_page.setdefault(page, []).append(kpi.code)
    figures = "".join(
        f'<figure id="page-{page}"><figcaption>Page {page}: {" ".join(kpi_link(c) for c in on_page.get(page, []))}</figcaption>'
        f'<img src="{url}" alt="page {page}"></figure>'
        for page, url in sorted(page_images.items())
    )
    return f'<section id="pages"><h2>Pages ({len(page_images)})</h2>{figures}</section>'
