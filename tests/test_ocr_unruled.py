"""Scans of tables printed without a full grid: rules under each row only, under the heading only,
or none (tests/styles.py). The image holds no grid for the table finder, so the page's text is
recognised with its positions and the table rebuilt as a text layer's is (extract/scan_unruled.py);
before, such a page gave no table and the read ended with "no KPI scorecard tables found".
"""
from __future__ import annotations

import pytest
from ocr_compare import compare
from render import render_pdf
from scans import make_scan
from styles import style
from test_ocr import ROUGH, require_ocr

from kpi_scorecard.extract.settings import PdfSettings
from kpi_scorecard.pipeline import read_document


def _rendering(tmp_path_factory, scorecard, seed: int):
    require_ocr()  # the producer is required by render_pdf
    return render_pdf(scorecard, tmp_path_factory.mktemp("unruled") / f"seed-{seed}.pdf", style(seed))


@pytest.fixture(scope="module")
def rows_ruled(tmp_path_factory, pdf_report):
    """Seed 24: LibreOffice, horizontal rules only (no column rules), cells centred, WenQuanYi Micro
    Hei 9 pt on B5, the columns in another order (目標值 second, 備註 added); page 3 scanned clean."""
    pdf = _rendering(tmp_path_factory, pdf_report, 24)
    return read_document(make_scan(pdf, pdf.with_name("clean.pdf"), [3]), PdfSettings(workers=1), None)


def test_a_scanned_table_ruled_by_rows_only_is_read(rows_ruled):
    """Page 3 as printed: AP4.1–AP4.4 and AP5.1–AP5.4 under their objectives' headers, each value
    in its own column (the columns inferred from the header's names and the text's alignment, as
    for a text layer)."""
    kpis = {k.code: k for k in rows_ruled.kpis}
    assert sorted(kpis) == ["AP4.1", "AP4.2", "AP4.3", "AP4.4", "AP5.1", "AP5.2", "AP5.3", "AP5.4"]
    first = kpis["AP4.1"].measures[0]
    assert kpis["AP4.1"].name == "水庫年淤積率"
    assert (first.target.raw, first.target.value, first.actual.raw, first.actual.value) == ("0.758", 0.758, "0.751", 0.751)
    second = kpis["AP4.2"].measures[0]
    assert kpis["AP4.2"].name == "山坡地治理改善面積"
    assert (second.target.raw, second.target.value, second.actual.raw, second.actual.value) == ("89,100", 89100, "89,150", 89150)
    assert second.agency == "工務局"
    assert [p.code for p in second.action_plans] == ["AP4.2.1", "AP4.2.2", "AP4.2.3"]
    third = kpis["AP5.3"].measures[0]
    assert (third.target.raw, third.target.value, third.actual.raw, third.actual.value) == ("11,948,000", 11948000, "11,203,345", 11203345)


# (seed, scan) → KPIs read under their codes, of those of pages 3–8's text layer (measured: 19's rough
# scan puts BP2.1–BP2.3, centred in rows without rules, into one row, whose values are flagged)
FOUND = {(24, "clean"): (36, 36), (24, "rough"): (36, 36), (19, "clean"): (26, 26), (19, "rough"): (25, 26),
         (266, "clean"): (31, 31), (266, "rough"): (31, 31)}


@pytest.mark.slow
@pytest.mark.parametrize("seed", [24, 19, 266])
@pytest.mark.parametrize("scan", ["clean", "rough"])
def test_unruled_styles_scanned_give_their_kpis_and_no_wrong_number(tmp_path_factory, pdf_report, seed, scan):
    """Pages 3–8 of a rows-ruled (24), a heading-rule-only (19, LibreOffice, Noto Sans CJK 10 pt,
    cells centred) and a rule-less rendering (266, Chromium, WenQuanYi 11 pt), scanned: their KPIs
    under their codes, and no value other than the printed one stored unflagged."""
    pdf = _rendering(tmp_path_factory, pdf_report, seed)
    pages = list(range(3, 9))
    reference = read_document(pdf, PdfSettings(), pages)
    scanned = make_scan(pdf, pdf.with_name(f"{scan}.pdf"), pages, **(ROUGH if scan == "rough" else {}))
    result = compare(read_document(scanned, PdfSettings(workers=2), None), reference)
    assert (result.codes_found, result.kpis) == FOUND[seed, scan]
    assert result.silent_wrong == []
