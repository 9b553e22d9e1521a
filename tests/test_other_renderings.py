"""The rendering matrix: the bundled report printed again the way other producers print it, and read
back field for field.

The bundled PDF's scorecard is printed by headless Chromium or LibreOffice (tests/render.py) with
other fonts (Noto Sans CJK TC gives a text layer of Kangxi radicals: ⽬ for 目), paper, column widths
(value cells that break an 8-digit number), table styles (horizontal rules only; a rule under the
header only; cells centred vertically) and a per-theme overview table 構面 | 策略目標 that is not a
deck's summary. Every rendering must give the bundled PDF's kpi_history: 162 KPIs, 172 measures,
every field equal (text compared as wrapping leaves it: spaces between Latin letters and digits
count, those beside CJK text or punctuation do not), and every stated count reconciled.

Both producers have a bug of their own here: in some layouts Chromium paints the overflow of a
merged cell that a page break slices below the table's bottom rule (B5 at 10.5pt or at 11pt with
14/18% columns does), and LibreOffice drops the lines of a merged cell that do not fit its slice
(CP2.1's last plans with centred cells and overview tables). A page printed like that is wrong on
paper too, so no layout here is one its producer misprints.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import read, unwrapped
from render import Layout, render_pdf
from test_report import STATED

from kpi_scorecard.extract.document import document_to_blocks
from kpi_scorecard.extract.settings import PdfSettings
from kpi_scorecard.normalize.scorecard import blocks_to_scorecard
from kpi_scorecard.warehouse import KPI_HISTORY_COLUMNS, connect, load_scorecard

RENDERINGS = {
    "chromium-a4-microhei": Layout(),
    "chromium-noto-sans-radicals": Layout(font="Noto Sans CJK TC"),
    "chromium-horizontal-rules-only": Layout(rules="rows"),
    "chromium-rule-under-header-only": Layout(rules="header", font="Noto Serif CJK TC"),
    "chromium-narrow-values-break-numbers": Layout(page="letter", font_size="9pt", widths=(22, 26, 26, 10, 8, 8), break_numbers=True),
    "chromium-overview-tables": Layout(overview=True),
    "chromium-a5-uming-narrow": Layout(page="A5", font="AR PL UMing TW", font_size="8pt"),
    "chromium-letter-landscape-wide-values": Layout(page="letter landscape", widths=(18, 30, 26, 8, 9, 9)),
    "chromium-b5-narrow-text-columns": Layout(page="B5", font_size="10pt", widths=(14, 18, 18, 14, 18, 18)),
    "libreoffice-grid-overview-tables": Layout(producer="libreoffice", overview=True),
    "libreoffice-rows-centred": Layout(producer="libreoffice", rules="rows", centred=True),
    "libreoffice-no-rules": Layout(producer="libreoffice", rules="header"),
}
NOT_COMPARED = {"source_file", "page"}  # the file, and where each layout breaks its pages


COLUMNS = [c for c in KPI_HISTORY_COLUMNS if c not in NOT_COMPARED]
# A layout that breaks value cells anywhere (break_numbers) breaks the numbers of their notes too:
# "84.12 (1" | "09 年度)" reads as "1 09" (two numbers, as far as the text shows).
BROKEN_NUMBERS = {COLUMNS.index("target_raw"), COLUMNS.index("actual_raw")}


def history(scorecard, layout: Layout | None = None) -> dict:
    """kpi_history of the scorecard alone: (kpi_code, measure_no) → the compared fields."""
    con = connect(":memory:")
    load_scorecard(con, scorecard)
    rows = con.execute(f"SELECT {', '.join(COLUMNS)} FROM kpi_history").fetchall()
    con.close()
    broken = BROKEN_NUMBERS if layout and layout.break_numbers else set()
    return {(r[5], r[7]): tuple(squeeze(v) if i in broken else unwrapped(v) for i, v in enumerate(r)) for r in rows}


def squeeze(value):
    return re.sub(r"\s+", "", value) if isinstance(value, str) else value


def assert_reads_as_bundled(again, bundled: dict, layout: Layout | None = None) -> None:
    """162 KPIs, 172 measures, the bundled PDF's kpi_history field for field (its year the one the
    layout prints), every theme's counts as the report prints them."""
    year = layout.year if layout and layout.year else 110
    assert again.roc_year == year and again.kind == "annual_report"
    bundled = {key: (year, *row[1:]) for key, row in bundled.items()}  # roc_year comes first
    assert (len(again.kpis), sum(len(k.measures) for k in again.kpis)) == (162, 172)
    got = history(again, layout)
    assert got.keys() == bundled.keys()
    assert {key: (got[key], bundled[key]) for key in got if got[key] != bundled[key]} == {}
    assert {c.theme_code: (c.stated_objectives, c.stated_kpis, c.stated_plans) for c in again.counts} == STATED
    assert {c.theme_code: (c.counted_objectives, c.counted_kpis, c.counted_plans) for c in again.counts} == STATED


@pytest.fixture(scope="module")
def bundled(pdf_report):
    return history(pdf_report)


@pytest.fixture(scope="module")
def rendered(pdf_report, tmp_path_factory):
    """The rendering of a name, printed once for the module's tests."""
    pdfs: dict[str, Path] = {}

    def render(name: str) -> Path:
        layout = RENDERINGS[name]
        if name not in pdfs:
            pdfs[name] = render_pdf(pdf_report, tmp_path_factory.mktemp("renderings") / f"report-{name}.pdf", layout)
        return pdfs[name]

    return render


@pytest.mark.parametrize("name", RENDERINGS)
def test_rendering_reads_back_as_the_bundled_pdf(name, rendered, bundled, pdf_report):
    again = read(rendered(name))
    layout = RENDERINGS[name]
    # a layout that breaks numbers anywhere is compared with the bundled PDF read the same way
    assert_reads_as_bundled(again, history(pdf_report, layout) if layout.break_numbers else bundled, layout)
    assert sum(p.kind == "stitch" for p in again.problems) > 0  # the layout did break rows across pages


@pytest.mark.parametrize("name", RENDERINGS)
def test_pdfminer_reads_the_rendering_as_pdfium_does(name, rendered):
    """The two page readers agree on every field; Noto CJK's text layer gives pdfminer Kangxi
    radicals (PDFium names the ideographs itself), which the text-layer repair turns into them."""
    path = rendered(name)
    by_pdfium = read(path)
    by_pdfminer = blocks_to_scorecard(document_to_blocks(path, PdfSettings(reader="pdfminer")), path.name)
    assert history(by_pdfminer) == history(by_pdfium)
    radicals = {p.what for p in by_pdfminer.problems if p.what in ("text_layer_kangxi_radical", "text_layer_cjk_radical_supplement")}
    noto = RENDERINGS[name].font.startswith("Noto")
    assert radicals == ({"text_layer_kangxi_radical", "text_layer_cjk_radical_supplement"} if noto else set())
