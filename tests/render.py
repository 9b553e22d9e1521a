"""Render a Scorecard as a report PDF, the way other producers print it: other fonts, paper sizes,
column widths, table styles (rules, fills: heading cells as filled boxes, zebra bands …, vertical and
number alignment), column order and extra columns (達成率 …), and two producers (headless Chromium,
LibreOffice).

Test helper: it prints what a Word export prints (theme heading, stated counts, optionally a
per-theme overview table 構面 | 策略目標, one table per objective with a header row repeated on
every page, rows that break across pages, merged cells), so the PDF path can be checked on layouts
we were never given.
"""
from __future__ import annotations

import html
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from itertools import groupby, pairwise
from pathlib import Path

from conftest import require

from kpi_scorecard.normalize.records import Kpi, Measure, Scorecard

HEADER = ("關鍵績效指標", "公式及單位", "行動計畫", "主責機關", "{year} 年目標值", "{year} 年實際值")
TITLES = dict(zip(("kpi", "formula", "plans", "agency", "target", "actual"), HEADER, strict=True))
PERSPECTIVES = {"C": "顧客構面", "P": "內部流程構面", "L": "學習成長構面", "F": "財務構面"}

# Table styles: every rule; horizontal rules only (Word's "Plain Table" family); none but a rule under
# the header (LibreOffice's HTML import ignores CSS borders, so its "grid" uses the border attribute).
RULES_CSS = {
    "grid": "td, th { border: 0.6pt solid #000; }",
    "rows": "td, th { border-top: 0.6pt solid #000; border-bottom: 0.6pt solid #000; }",
    "header": "th { border-bottom: 0.8pt solid #000; }",
}
RULES_ATTRIBUTES = {"grid": "border=1", "rows": "border=1 rules=rows frame=hsides", "header": "border=0", "none": "border=0"}
RULES_CSS["none"] = ""
# Fills: each heading cell a light-blue box (Word's most common table styles); the heading row one
# box (a row background); white text on a dark heading; every other body row shaded, no rules.
LIGHT, DARK, BAND = "#cfe2f3", "#1f3864", "#e6eef8"
FILL_CSS = {
    "none": "",
    "cells": f"th {{ background: {LIGHT}; }}",
    "box": f"thead tr, tr.head {{ background: {LIGHT}; }}",
    "dark": f"th {{ background: {DARK}; color: #fff; }}",
    "zebra": f"tr.band td {{ background: {BAND}; }}",
}
COLUMNS = ("kpi", "formula", "plans", "agency", "target", "actual")
WIDTHS = dict(zip(COLUMNS, (20, 24, 24, 10, 11, 11), strict=True))
# Columns reports add beside the KPI table's own, and what a rendering prints in them per measure.
EXTRA_COLUMNS = {"rate": "達成率", "status": "達成情形", "note": "備註", "diff": "差異說明", "weight": "權重"}


@dataclass(frozen=True)
class Layout:
    page: str = "A4"  # CSS @page size: "A4", "A5", "letter landscape", ...
    font: str = "WenQuanYi Micro Hei"
    font_size: str = "10pt"
    widths: tuple[int, ...] = (20, 24, 24, 10, 11, 11)  # column widths, % of the table
    rules: str = "grid"  # "grid", "rows" or "header" (see RULES_CSS)
    overview: bool = False  # a per-theme table 構面 | 策略目標 before the KPI tables
    break_numbers: bool = False  # value cells break inside a number that does not fit (Word does)
    producer: str = "chromium"  # or "libreoffice"
    centred: bool = False  # cells centred vertically (LibreOffice's default for HTML tables)
    fill: str = "none"  # "cells", "box", "dark", "zebra" (see FILL_CSS)
    valign: str | None = None  # "top", "middle", "bottom"; None: by `centred`
    number_align: str = "left"  # text-align of the value cells
    columns: tuple[str, ...] = COLUMNS  # order of the columns; EXTRA_COLUMNS' names add columns
    repeat_header: bool = True  # the header row printed again on every page a table runs onto
    keep_rows: bool = False  # a row never breaks across pages
    year: int | None = None  # the ROC year the header prints (110 年目標值); None: the scorecard's own

    @property
    def vertical(self) -> str:
        return self.valign or ("middle" if self.centred else "top")


def scorecard_to_html(scorecard: Scorecard, layout: Layout, unmerged: frozenset[str] = frozenset()) -> str:
    """unmerged: KPIs whose cells equal on every measure are printed on each measure's row, not merged."""
    value_css = "td.value { word-break: break-all; }" if layout.break_numbers else ""
    align_css = f"td.value {{ text-align: {layout.number_align}; }}" if layout.number_align != "left" else ""
    parts = [
        "<!doctype html><meta charset='utf-8'><style>"
        f"@page {{ size: {layout.page}; margin: 18mm 15mm; }}"
        f"body {{ font-family: '{layout.font}'; font-size: {layout.font_size}; }}"
        "table { border-collapse: collapse; width: 100%; margin-bottom: 1.5em; }"
        f"thead {{ display: table-header-group; }} tr {{ break-inside: {'avoid' if layout.keep_rows else 'auto'}; }}"
        f"td, th {{ vertical-align: {layout.vertical}; padding: 2pt; font-weight: normal; }} "
        f"{RULES_CSS[layout.rules]} {FILL_CSS[layout.fill]} {value_css} {align_css}"
        "h1, h2 { break-after: avoid; font-size: 1.2em; }</style><body>"
    ]
    table = f"<table {RULES_ATTRIBUTES[layout.rules]} cellpadding=3 cellspacing=0 width='100%'>"
    # LibreOffice reads attributes, not CSS (its own default: centred cells, no fill)
    valign = "" if layout.vertical == "middle" else f" valign={layout.vertical}"
    colgroup = "".join(f"<col width='{w}%'>" for w in column_widths(layout))
    cell_fill = {"cells": LIGHT, "dark": DARK}.get(layout.fill)
    th = f"<th bgcolor='{cell_fill}'>" if cell_fill else "<th>"
    row_fill = f" bgcolor='{LIGHT}'" if layout.fill == "box" else ""
    header = "".join(f"{th}{column_title(c, layout.year or scorecard.roc_year)}</th>" for c in layout.columns)
    head = (f"<thead><tr{row_fill}>{header}</tr></thead><tbody{valign}>" if layout.repeat_header
            else f"<tbody{valign}><tr class=head{row_fill}>{header}</tr>")
    for count in scorecard.counts:
        parts.append(f"<h1>{html.escape(count.theme_name or '')}({count.theme_code})</h1>")
        mine = [k for k in scorecard.kpis if k.theme_code == count.theme_code]
        objectives = list(dict.fromkeys((k.objective_code, k.objective_name) for k in mine))
        if layout.overview:
            parts.append(overview_table(table, objectives))
        parts.append(f"<p>1. 策略目標：{count.stated_objectives} 項</p><p>2. 關鍵績效指標(KPI)：{count.stated_kpis} 項</p>")
        parts.append(f"<p>3. 行動計畫：{count.stated_plans} 項</p>")
        for (code, name), kpis in groupby(mine, key=lambda k: (k.objective_code, k.objective_name)):
            parts.append(f"<h2>{code} {html.escape(name)}</h2>{table}<colgroup>{colgroup}</colgroup>{head}")
            rows = [row for k in kpis for row in kpi_rows(k, layout, merge=k.code not in unmerged)]
            if layout.fill == "zebra":  # every other printed row shaded
                rows = [row.replace("<tr>", f"<tr class=band bgcolor='{BAND}'>", 1) if i % 2 else row for i, row in enumerate(rows)]
            parts.extend(rows)
            parts.append("</tbody></table>")
    return "".join(parts)


def column_title(column: str, year: int) -> str:
    return EXTRA_COLUMNS[column] if column in EXTRA_COLUMNS else TITLES[column].format(year=year)


def column_widths(layout: Layout) -> list[int]:
    """The layout's widths (given for COLUMNS) in its column order; an extra column 8%, all of them
    scaled back to 100%."""
    widths = dict(zip(COLUMNS, layout.widths, strict=True))
    chosen = [widths.get(c, 8) for c in layout.columns]
    return [round(w * 100 / sum(chosen)) for w in chosen] if len(layout.columns) != len(COLUMNS) else chosen


def overview_table(table: str, objectives: list[tuple[str, str]]) -> str:
    """The theme's objectives by perspective: 構面 | 策略目標, one row per perspective."""
    rows = "".join(
        f"<tr><td>{name}</td><td>{'<br>'.join(html.escape(f'{c} {n}') for c, n in objectives if c[1:2] == letter)}</td></tr>"
        for letter, name in PERSPECTIVES.items()
        if any(c[1:2] == letter for c, _ in objectives)
    )
    return f"{table}<colgroup><col width='20%'><col width='80%'></colgroup><thead><tr><th>構面</th><th>策略目標</th></tr></thead><tbody>{rows}</tbody></table>"


def kpi_rows(kpi: Kpi, layout: Layout = Layout(), merge: bool = True) -> list[str]:
    """One <tr> per measure; cells equal on every measure are printed once, merged (rowspan), unless not `merge`."""
    n = len(kpi.measures)

    def same(cell) -> bool:
        return merge and len({cell(m) for m in kpi.measures}) == 1

    merged = {"formula": same(formula_text), "plans": same(plans_text)}
    merged["agency"] = merged["plans"] and same(lambda m: m.agency)
    align = f" align={layout.number_align}" if layout.number_align != "left" else ""
    rows = []
    for i, m in enumerate(kpi.measures):
        texts = {"formula": formula_text(m), "plans": plans_text(m), "agency": m.agency}
        cells = []
        for column in layout.columns:
            if column == "kpi":
                if i == 0:
                    cells.append(td(f"{kpi.code} {kpi.name}", n))
            elif column in texts:
                if i == 0 or not merged[column]:
                    cells.append(td(texts[column], n if merged[column] else 1))
            elif column in ("target", "actual"):
                cells.append(td(getattr(m, column).raw, css="value", attributes=align))
            else:
                cells.append(td(extra_text(column, kpi, m)))
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return rows


def extra_text(column: str, kpi: Kpi, m: Measure) -> str:
    """What a rendering prints in an extra column for a measure: text of the kind such columns
    hold (a rate, a verdict, a note, an explanation, a weight), numbers among it."""
    target, actual = m.target.value, m.actual.value
    if column == "rate":
        return f"{actual / target * 100:.1f}%" if target and actual is not None else "—"
    if column == "status":
        return "達成" if target is not None and actual is not None and (actual <= target) == (m.direction == "negative") else "未達成"
    if column == "note":
        return f"依{m.agency}統計" if m.agency else ""
    if column == "diff":
        return "" if m.measure_no > 1 else f"{kpi.code}較目標值差異說明詳見附表"
    return f"{len(kpi.name) % 5 + 1}%"  # weight


def formula_text(m: Measure) -> str:
    unit = f"\n單位：{m.unit}" if m.unit else ""
    return m.formula + unit + ("\n(負向指標)" if m.direction == "negative" else "")


def plans_text(m: Measure) -> str:
    return "\n".join(str(p) for p in m.action_plans)


def td(text: str, rowspan: int = 1, css: str = "", attributes: str = "") -> str:
    span = f" rowspan={rowspan}" if rowspan > 1 else ""
    cls = f" class={css}" if css else ""
    return f"<td{span}{cls}{attributes}>{html.escape(text).replace(chr(10), '<br>')}</td>"


def render_pdf(scorecard: Scorecard, out: Path, layout: Layout = Layout()) -> Path:
    """Print the scorecard to `out` with the layout's producer; the PDF prints every KPI's and plan's
    code, or this fails naming those left out. LibreOffice leaves out the end of a merged cell it
    cuts across pages (CP2.1.5-CP2.1.7 of CP2.1's plans; CC1.1's formula after "推廣活動+", seeds
    143, 199, 212): a KPI that loses codes or merged text so is printed again with its cells
    unmerged (a rendering defect, not the reader's to read)."""
    print_scorecard(scorecard, out, layout, frozenset())
    if lost := codes_left_out(scorecard, out):
        print_scorecard(scorecard, out, layout, frozenset(k.code for k in scorecard.kpis if lost & set(_codes(k))))
        lost = codes_left_out(scorecard, out)
    assert not lost, f"{layout.producer} left codes out of {out.name}: {sorted(lost)}"
    return out


def _codes(kpi: Kpi) -> list[str]:
    return [kpi.code, *(p.code for m in kpi.measures for p in m.action_plans if p.code)]


def codes_left_out(scorecard: Scorecard, pdf: Path) -> set[str]:
    """The KPI and plan codes the PDF's text does not print (spaces and line breaks aside), and the
    codes of KPIs whose name or formula merged over their measures it does not print whole."""
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    try:
        pages = ["".join(page.get_textpage().get_text_range().split()) for page in document]
    finally:
        document.close()
    text = "".join(pages)
    return {code for k in scorecard.kpis for code in _codes(k) if code not in text} | {
        k.code for k in scorecard.kpis for merged in _merged_texts(k) if not _printed_whole(merged, pages)}


def _merged_texts(kpi: Kpi) -> list[str]:
    """The texts kpi_rows prints in a cell merged over the KPI's measures, spaces aside."""
    if len(kpi.measures) < 2:
        return []
    same = len({m.formula for m in kpi.measures}) == 1
    return ["".join(t.split()) for t in (kpi.name, *([kpi.measures[0].formula] if same else []))]


def _printed_whole(text: str, pages: list[str]) -> bool:
    """Whether the text is on a page, or its start on one page and its rest on the next."""
    return any(text in page for page in pages) or any(
        text[:k] in page and text[k:] in after for page, after in pairwise(pages) for k in range(1, len(text)))


def print_scorecard(scorecard: Scorecard, out: Path, layout: Layout, unmerged: frozenset[str]) -> Path:
    """Print the scorecard to `out` as it comes (render_pdf checks what the PDF holds)."""
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / f"{out.stem}.html"
        page.write_text(scorecard_to_html(scorecard, layout, unmerged), encoding="utf-8")
        if layout.producer == "libreoffice":
            soffice = require("soffice", "LibreOffice prints the report in its layouts (Debian: libreoffice-writer-nogui)")
            # Writer (not Writer/Web) lays the HTML out on the A4 pages of a text document
            subprocess.run(
                [soffice, "--headless", f"-env:UserInstallation=file://{tmp}/profile", "--infilter=HTML (StarWriter)",
                 "--convert-to", "pdf:writer_pdf_Export", "--outdir", tmp, str(page)],
                check=True, capture_output=True, timeout=180,
            )
            shutil.move(Path(tmp) / f"{out.stem}.pdf", out)
            return out
        chromium = require("chromium", "Chromium prints the report in its layouts (Debian: chromium)")
        subprocess.run(
            [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={tmp}/profile", "--no-pdf-header-footer", f"--print-to-pdf={out}", page.as_uri()],
            check=True, capture_output=True, timeout=120,
        )
    return out


def scorecard_to_text(scorecard: Scorecard) -> str:
    """The scorecard as a text dump: headings as lines, one tab-separated line per table row."""
    lines = []
    header = "\t".join(h.format(year=scorecard.roc_year) for h in HEADER)
    for count in scorecard.counts:
        lines += [f"{count.theme_name}({count.theme_code})", "",
                  f"1. 策略目標：{count.stated_objectives} 項", f"2. 關鍵績效指標(KPI)：{count.stated_kpis} 項",
                  f"3. 行動計畫：{count.stated_plans} 項", ""]
        mine = [k for k in scorecard.kpis if k.theme_code == count.theme_code]
        for (code, name), kpis in groupby(mine, key=lambda k: (k.objective_code, k.objective_name)):
            lines += [f"{code} {name}", "", header]
            for kpi in kpis:
                for i, m in enumerate(kpi.measures):
                    first = f"{kpi.code} {kpi.name}" if i == 0 else ""
                    cells = [first, formula_text(m), plans_text(m), m.agency, m.target.raw, m.actual.raw]
                    lines.append("\t".join(c.replace("\n", " ") for c in cells))
            lines.append("")
    return "\n".join(lines) + "\n"
