"""Scorecard → one self-contained HTML page for checking what was read against the printed pages.

Per theme: stated against counted, a bar of achieved against missed, and the KPI table, each row
linked to the image of its page (#page-N) with the table cells the extractor saw drawn over it.
Then every repair and review item with its page, then the page images.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape

from kpi_scorecard.messages import Messages
from kpi_scorecard.normalize.kpis import REVIEW_KINDS
from kpi_scorecard.normalize.records import Kpi, Measure, Problem, Scorecard, ThemeCount, Value
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


def scorecard_to_html(
    scorecard: Scorecard, page_images: Mapping[int, str], links: Sequence[Link] = (),
    cell_images: Mapping[tuple[int, tuple], str] | None = None, language: str | None = None,
) -> str:
    """The review page of one document; page_images: page number → image URL (data: URI);
    links: its KPIs' identity links, as the warehouse makes them; language: zh-TW or en (None:
    the locale's)."""
    t = Messages(language)
    themes = theme_order(scorecard)
    measures = [m for k in scorecard.kpis for m in k.measures]
    verdicts = dict(zip(map(id, measures), achieved_values(measures), strict=True))
    sections = [theme_section(code, name, scorecard, page_images, verdicts, cell_images or {}, t) for code, name in themes]
    title = t("Review: {file}", file=scorecard.source_file)
    nav = " ".join(f'<a href="#theme-{escape(code)}">{escape(code)}</a>' for code, _ in themes)
    return "\n".join([
        "<!doctype html>",
        f'<html lang="{t.html_lang}"><head><meta charset="utf-8">',
        f"<title>{escape(title)}</title><style>{STYLE}</style></head><body>",
        f"<h1>{escape(title)}</h1>",
        f'<p class="summary">{escape(summary_line(scorecard, t))}</p>',
        f'<nav>{t("Themes:")} {nav} <a href="#identity">{t("KPI identity")}</a> <a href="#problems">{t("Repairs and review items")}</a> '
        f'<a href="#pages">{t("Pages")}</a></nav>',
        *sections,
        identity_section(links, t),
        problems_section(scorecard.problems, page_images, t),
        pages_section(scorecard, page_images, t),
        "</body></html>",
    ])


def summary_line(scorecard: Scorecard, t: Messages) -> str:
    kinds = [p.kind for p in scorecard.problems]
    missing = [c.theme_code for c in scorecard.counts if not c.found]
    themes = t("{n} themes", n=len(theme_order(scorecard)) - len(missing)) + (t(" ({codes} missing)", codes=", ".join(missing)) if missing else "")
    return t(
        "review summary", year=scorecard.roc_year, themes=themes, kpis=len(scorecard.kpis),
        measures=sum(len(k.measures) for k in scorecard.kpis), repairs=kinds.count("repair"),
        warnings=kinds.count("warning"), stitched=kinds.count("stitch"),
    ) + (t(" · {n} pages", n=scorecard.pages) if scorecard.pages else "")


def theme_order(scorecard: Scorecard) -> list[tuple[str, str | None]]:
    """(code, name) of every theme counted or holding KPIs, in the order first met."""
    names: dict[str, str | None] = {}
    for code, name in [(c.theme_code, c.theme_name) for c in scorecard.counts] + [(k.theme_code, k.theme_name) for k in scorecard.kpis]:
        names[code] = names.get(code) or name
    return list(names.items())


def theme_section(
    code: str, name: str | None, scorecard: Scorecard, page_images: Mapping[int, str], verdicts: Verdicts,
    cell_images: Mapping[tuple[int, tuple], str], t: Messages,
) -> str:
    kpis = [k for k in scorecard.kpis if k.theme_code == code]
    count = next((c for c in scorecard.counts if c.theme_code == code), None)
    heading = f'<section class="theme" id="theme-{escape(code)}"><h2>{escape(code)} {escape(name or "")}</h2>'
    if count and not count.found:
        return f'{heading}<p class="bad">{escape(t("theme not found", code=code))}</p></section>'
    this_year = [m for k in kpis for m in k.measures if m.roc_year in (None, scorecard.roc_year)]
    results = [verdicts[id(m)] for m in this_year]
    tally = {"achieved": results.count(True), "missed": results.count(False), "no number": results.count(None)}
    return "\n".join([
        heading,
        counts_table(count, t) if count else f"<p>{t('No counts stated for this theme.')}</p>",
        f"<p>{t('theme tally', year=scorecard.roc_year, achieved=tally['achieved'], missed=tally['missed'], none=tally['no number'])}</p>",
        tally_to_svg(tally, t),
        kpi_table(kpis, scorecard.roc_year, page_images, verdicts, cell_images, t) if kpis else "",
        "</section>",
    ])


def counts_table(count: ThemeCount, t: Messages) -> str:
    rows = [
        ("objectives", count.stated_objectives, count.counted_objectives),
        ("KPIs", count.stated_kpis, count.counted_kpis),
        ("action plans", count.stated_plans, count.counted_plans),
    ]
    body = "".join(
        f'<tr class="{"" if stated is None else "ok" if stated == counted else "bad"}"><td>{t(item)}</td>'
        f'<td class="num">{"–" if stated is None else stated}</td><td class="num">{counted}</td></tr>'
        for item, stated, counted in rows
    )
    return f'<table class="counts"><tr><th></th><th>{t("stated")}</th><th>{t("counted")}</th></tr>{body}</table>'


def tally_to_svg(tally: Mapping[str, int], t: Messages, width: int = 480, height: int = 22) -> str:
    """A stacked horizontal bar: achieved, missed, no number; each part labelled with its count."""
    total = sum(tally.values()) or 1
    parts, x = [], 0.0
    for label, n in tally.items():
        w = width * n / total
        if n:
            parts.append(
                f'<rect x="{x:.1f}" y="0" width="{w:.1f}" height="{height}" fill="{CHART_COLOURS[label]}"><title>{t(label)}: {n}</title></rect>'
                f'<text x="{x + w / 2:.1f}" y="{height - 6}" text-anchor="middle" font-size="12" fill="#fff">{n}</text>'
            )
        x += w
    legend = " ".join(f'<tspan fill="{CHART_COLOURS[label]}">■</tspan> {t(label)}' for label in tally)
    return (
        f'<svg class="chart" width="{width}" height="{height + 18}" role="img" aria-label="{t("achieved against missed")}">'
        f'{"".join(parts)}<text x="0" y="{height + 15}" font-size="12">{legend}</text></svg>'
    )


def kpi_table(kpis: list[Kpi], roc_year: int, page_images: Mapping[int, str], verdicts: Verdicts,
              cell_images: Mapping[tuple[int, tuple], str], t: Messages) -> str:
    several_years = any(m.roc_year not in (None, roc_year) for k in kpis for m in k.measures)
    head = ["KPI", "name", "#", *(["year"] if several_years else []), "agency", "target", "actual", "achieved", "where"]
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
                value_cell(m.target, _cell_image(cell_images, m.page, m.target), t),
                value_cell(m.actual, _cell_image(cell_images, m.page, m.actual), t),
                f'<td class="{"" if result is None else "ok" if result else "bad"}">{"–" if result is None else t("yes") if result else t("no")}</td>',
                f"<td>{location(m, page_images, t)}</td>",
            ]
            rows.append(f"<tr>{code}{''.join(cells)}</tr>")
    header = "".join(f"<th>{t(h)}</th>" for h in head)
    return f'<table class="kpis"><tr>{header}</tr>{"".join(rows)}</table>'


def _cell_image(cell_images: Mapping[tuple[int, tuple], str], page: int | None, value: Value) -> str | None:
    """The picture of a recognised value's cell (a value read from the text has no box)."""
    return cell_images.get((page, value.box)) if page is not None and value.box is not None else None


def value_cell(value: Value, image: str | None, t: Messages) -> str:
    """The printed text, and what was read from it where that is more than its digits; a value
    that gave no single number is marked for review with its kind. A value recognised from a page
    image shows the OCR engine's confidence and the cell's image beside the text read from it."""
    flagged = value.kind in REVIEW_KINDS
    title = f' title="{escape(value.kind)}"' if flagged else ""
    read = f'<br><small class="read">→ {escape(shown)}</small>' if (shown := read_as(value)) else ""
    if value.confidence is not None:
        read += f'<br><small class="ocr">OCR {value.confidence:.0f}</small>'
    if image:
        read += f'<br><img class="cell" src="{image}" alt="{escape(t("cell as scanned"))}">'
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


def location(m: Measure, page_images: Mapping[int, str], t: Messages) -> str:
    """Where the measure's row is: its page in a PDF; its table and row in an office file (and the
    slide, in a deck)."""
    if m.table is None:
        return page_link(m.page, page_images, t)
    where = t("table {table}, row {row}", table=m.table, row=m.row)
    return t("slide {slide}, {where}", slide=m.page, where=where) if m.page is not None else where


def page_link(page: int | None, page_images: Mapping[int, str], t: Messages) -> str:
    if page is None:
        return ""
    return f'<a href="#page-{page}">{t("p. {page}", page=page)}</a>' if page in page_images else t("p. {page}", page=page)


def problems_section(problems: list[Problem], page_images: Mapping[int, str], t: Messages) -> str:
    head = "".join(f"<th>{t(h)}</th>" for h in ("kind", "what", "KPI", "column", "printed", "read as", "page"))
    rows = "".join(
        f'<tr class="{"review" if p.kind == "warning" else ""}"><td>{escape(p.kind)}</td><td>{escape(p.what)}</td>'
        f'<td>{kpi_link(p.row)}</td><td>{escape(p.column or "")}</td><td>{escape(p.raw)}</td>'
        f'<td>{escape(p.fixed or "")}</td><td>{page_link(p.page, page_images, t)}</td></tr>'
        for p in sorted(problems, key=lambda p: PROBLEM_ORDER.get(p.kind, len(PROBLEM_ORDER)))
    )
    return (
        f'<section id="problems"><h2>{t("Repairs and review items ({n})", n=len(problems))}</h2>'
        f'<table class="problems"><tr>{head}</tr>{rows}</table></section>'
    )


def identity_section(links: Sequence[Link], t: Messages) -> str:
    """The links below a clear match (renamed, renumbered, ambiguous, and new ones that had a
    candidate) next to the identity's print before this document, with the override line that
    pins or splits each; a count of the rest."""
    doubtful = [link for link in links if link.decision in REVIEWED or (link.decision == "new" and link.compared_to)]
    counts = {d: sum(link.decision == d for link in links) for d in ("matched", "new", "pinned", "split")}
    head = "".join(f"<th>{t(h)}</th>" for h in ("KPI", "name printed", "decision", "identity", "before: file", "code",
                                                  "name", "similarity", "why", "command that pins it"))
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
        f'<section id="identity"><h2>{t("KPI identity ({n} to confirm)", n=len(doubtful))}</h2>'
        f"<p>{escape(summary or t('Not linked (no warehouse)'))}{t('the rest below')}</p>"
        + (f'<table class="links"><tr>{head}</tr>{rows}</table>' if doubtful else "") + "</section>"
    )


def override_line(link: Link) -> str:
    """The command that pins the KPI to the identity it joined, or, when it started one, to the
    identity it was compared to (the warehouse keeps the override: kpi-scorecard links)."""
    target = link.compared_to if link.decision in ("new", "ambiguous") and link.compared_to else link.kpi_id
    return f"kpi-scorecard links pin {link.document_id} {link.kpi_code} {target}"


def kpi_link(code: str | None) -> str:
    return f'<a href="#kpi-{escape(code)}">{escape(code)}</a>' if code else ""


def pages_section(scorecard: Scorecard, page_images: Mapping[int, str], t: Messages) -> str:
    on_page: dict[int, list[str]] = {}
    for kpi in scorecard.kpis:
        for page in dict.fromkeys(m.page for m in kpi.measures if m.page is not None):
            on_page.setdefault(page, []).append(kpi.code)
    figures = "".join(
        f'<figure id="page-{page}"><figcaption>{t("Page {page}:", page=page)} {" ".join(kpi_link(c) for c in on_page.get(page, []))}</figcaption>'
        f'<img src="{url}" alt="{t("page {page}", page=page)}"></figure>'
        for page, url in sorted(page_images.items())
    )
    return f'<section id="pages"><h2>{t("Pages ({n})", n=len(page_images))}</h2>{figures}</section>'
