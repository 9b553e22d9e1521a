"""Render a Scorecard as a report PDF, the way other producers print it: other fonts, paper sizes,
column widths, table styles, and two producers (headless Chromium, LibreOffice).

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
from itertools import groupby
from pathlib import Path

from kpi_scorecard.normalize.records import Kpi, Measure, Scorecard

from conftest import require

HEADER = ("關鍵績效指標", "公式及單位", "行動計畫", "主責機關", "{year} 年目標值", "{year} 年實際值")
PERSPECTIVES = {"C": "顧客構面", "P": "內部流程構面", "L": "學習成長構面", "F": "財務構面"}

# Table styles: every rule; horizontal rules only (Word's "Plain Table" family); none but a rule under
# the header (LibreOffice's HTML import ignores CSS borders, so its "grid" uses the border attribute).
RULES_CSS = {
    "grid": "td, th { border: 0.6pt solid #000; }",
    "rows": "td, th { border-top: 0.6pt solid #000; border-bottom: 0.6pt solid #000; }",
    "header": "th { border-bottom: 0.8pt solid #000; }",
}
RULES_ATTRIBUTES = {"grid": "border=1", "rows": "border=1 rules=rows frame=hsides", "header": "border=0"}


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


def scorecard_to_html(scorecard: Scorecard, layout: Layout) -> str:
    value_css = "td.value { word-break: break-all; }" if layout.break_numbers else ""
    parts = [
        "<!doctype html><meta charset='utf-8'><style>"
        f"@page {{ size: {layout.page}; margin: 18mm 15mm; }}"
        f"body {{ font-family: '{layout.font}'; font-size: {layout.font_size}; }}"
        "table { border-collapse: collapse; width: 100%; margin-bottom: 1.5em; }"
        "thead { display: table-header-group; } tr { break-inside: auto; }"
        f"td, th {{ vertical-align: {'middle' if layout.centred else 'top'}; padding: 2pt; font-weight: normal; }} "
        f"{RULES_CSS[layout.rules]} {value_css}"
        "h1, h2 { break-after: avoid; font-size: 1.2em; }</style><body>"
    ]
    table = f"<table {RULES_ATTRIBUTES[layout.rules]} cellpadding=3 cellspacing=0 width='100%'>"
    valign = "" if layout.centred else " valign=top"  # LibreOffice reads attributes, not CSS
    colgroup = "".join(f"<col width='{w}%'>" for w in layout.widths)
    header = "".join(f"<th>{h.format(year=scorecard.roc_year)}</th>" for h in HEADER)
    for count in scorecard.counts:
        parts.append(f"<h1>{html.escape(count.theme_name or '')}({count.theme_code})</h1>")
        mine = [k for k in scorecard.kpis if k.theme_code == count.theme_code]
        objectives = list(dict.fromkeys((k.objective_code, k.objective_name) for k in mine))
        if layout.overview:
            parts.append(overview_table(table, objectives))
        parts.append(f"<p>1. 策略目標：{count.stated_objectives} 項</p><p>2. 關鍵績效指標(KPI)：{count.stated_kpis} 項</p>")
        parts.append(f"<p>3. 行動計畫：{count.stated_plans} 項</p>")
        for (code, name), kpis in groupby(mine, key=lambda k: (k.objective_code, k.objective_name)):
            parts.append(f"<h2>{code} {html.escape(name)}</h2>{table}<colgroup>{colgroup}</colgroup>")
            parts.append(f"<thead><tr>{header}</tr></thead><tbody{valign}>")
            parts.extend(kpi_rows(k) for k in kpis)
            parts.append("</tbody></table>")
    return "".join(parts)


def overview_table(table: str, objectives: list[tuple[str, str]]) -> str:
    """The theme's objectives by perspective: 構面 | 策略目標, one row per perspective."""
    rows = "".join(
        f"<tr><td>{name}</td><td>{'<br>'.join(html.escape(f'{c} {n}') for c, n in objectives if c[1:2] == letter)}</td></tr>"
        for letter, name in PERSPECTIVES.items()
        if any(c[1:2] == letter for c, _ in objectives)
    )
    return f"{table}<colgroup><col width='20%'><col width='80%'></colgroup><thead><tr><th>構面</th><th>策略目標</th></tr></thead><tbody>{rows}</tbody></table>"


def kpi_rows(kpi: Kpi) -> str:
    """One <tr> per measure; cells equal on every measure are printed once, merged (rowspan)."""
    n = len(kpi.measures)

    def same(cell) -> bool:
        return len({cell(m) for m in kpi.measures}) == 1

    merged = {"formula": same(formula_text), "plans": same(plans_text)}
    merged["agency"] = merged["plans"] and same(lambda m: m.agency)
    rows = []
    for i, m in enumerate(kpi.measures):
        cells = []
        if i == 0:
            cells.append(td(f"{kpi.code} {kpi.name}", n))
        for role, text in (("formula", formula_text(m)), ("plans", plans_text(m)), ("agency", m.agency)):
            if i == 0 or not merged[role]:
                cells.append(td(text, n if merged[role] else 1))
        cells += [td(m.target.raw, css="value"), td(m.actual.raw, css="value")]
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return "".join(rows)


def formula_text(m: Measure) -> str:
    unit = f"\n單位：{m.unit}" if m.unit else ""
    return m.formula + unit + ("\n(負向指標)" if m.direction == "negative" else "")


def plans_text(m: Measure) -> str:
    return "\n".join(str(p) for p in m.action_plans)


def td(text: str, rowspan: int = 1, css: str = "") -> str:
    span = f" rowspan={rowspan}" if rowspan > 1 else ""
    cls = f" class={css}" if css else ""
    return f"<td{span}{cls}>{html.escape(text).replace(chr(10), '<br>')}</td>"


def render_pdf(scorecard: Scorecard, out: Path, layout: Layout = Layout()) -> Path:
    """Print the scorecard to `out` with the layout's producer."""
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / f"{out.stem}.html"
        page.write_text(scorecard_to_html(scorecard, layout), encoding="utf-8")
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
