"""Scans of the report printed in other years' table styles (tests/styles.py), read by OCR: what
a Word or LibreOffice export of another year prints differently from the bundled report (another
font's points and commas, a heading row printed light on dark, tables one over another whose
columns stand a little apart) must still give every value as printed, and no wrong one.
"""
from __future__ import annotations

import pytest
from conftest import require
from render import render_pdf
from scans import make_scan
from styles import style
from test_ocr import ROUGH, require_ocr

from kpi_scorecard.extract.settings import PdfSettings
from kpi_scorecard.pipeline import read_document


def _values(card) -> dict[str, tuple]:
    return {k.code: (m.roc_year, m.target.raw, m.target.value, m.actual.raw, m.actual.value) for k in card.kpis for m in k.measures}


@pytest.fixture(scope="module")
def dark_heading_year_100(tmp_path_factory, pdf_report):
    """Seed 276: Chromium, full grid, the heading row white on a dark fill, Noto Sans CJK TC 10 pt
    (its point 0.23 of a digit tall, its comma 0.41), letter paper, the header printing 民國 100."""
    require_ocr()
    require("chromium", "prints the report in another table style")
    folder = tmp_path_factory.mktemp("styles")
    pdf = render_pdf(pdf_report, folder / "seed-276.pdf", style(276))
    return {name: read_document(make_scan(pdf, folder / f"{name}.pdf", [3, 9], **variant), PdfSettings(workers=2), None)
            for name, variant in (("clean", {}), ("rough", ROUGH))}


@pytest.mark.parametrize("scan", ["clean", "rough"])
def test_a_dark_heading_row_and_another_fonts_points_and_commas_are_read(dark_heading_year_100, scan):
    """Page 3 of the rendering, as printed: the heading's light text on its dark fill read (before,
    the page gave no table: the fill between the letters was taken for rules), and Noto Sans's
    larger points and commas told apart by shape (before, every value with one was left unread)."""
    values = _values(dark_heading_year_100[scan])
    assert values["AP3.2"] == (100, "86.57", 86.57, "86.19", 86.19)
    assert values["AP4.1"] == (100, "0.758", 0.758, "0.751", 0.751)
    assert values["AP4.2"] == (100, "89,100", 89100, "89,150", 89150)
    assert values["AP4.4"] == (100, "73.07", 73.07, "73.07", 73.07)


@pytest.mark.parametrize("scan", ["clean", "rough"])
def test_a_table_cut_at_the_page_foot_keeps_its_last_row(dark_heading_year_100, scan):
    """Page 9 ends in BP3.7's row, cut across the page: Chromium draws no rule under it. Its column
    rules end together at the page's foot, which closes the row (before, the table finder made no
    cell of it and BP3.7 was lost)."""
    card = dark_heading_year_100[scan]
    assert _values(card)["BP3.7"] == (100, "100", 100, "100", 100)
    assert next(k for k in card.kpis if k.code == "BP3.7").measures[0].agency == "工務局"
    assert _values(card)["BP3.3"] == (100, "≥99.65", 99.65, "99.68", 99.68)


@pytest.fixture(scope="module")
def serif_9pt_b5_year_113(tmp_path_factory, pdf_report):
    """Seed 25: LibreOffice, full grid, Noto Serif CJK TC 9 pt on B5, the header printing 民國 113;
    page 11 (CP2.1 to CP3.3)."""
    require_ocr()
    require("soffice", "prints the report in another table style")
    folder = tmp_path_factory.mktemp("styles")
    pdf = render_pdf(pdf_report, folder / "seed-25.pdf", style(25))
    return {name: read_document(make_scan(pdf, folder / f"{name}.pdf", [11], **variant), PdfSettings(workers=2), None)
            for name, variant in (("clean", {}), ("rough", ROUGH))}


@pytest.mark.parametrize("scan", ["clean", "rough"])
def test_a_small_colon_lost_after_the_unit_label_is_put_back(serif_9pt_b5_year_113, scan):
    """At 9 pt the colon of CP3.1's 單位：人次 is a few pixels: Tesseract reads 單位人次, and the
    unit was lost into the formula. A line that starts 單位 followed by a known unit gets its colon back."""
    cp31 = next(k for k in serif_9pt_b5_year_113[scan].kpis if k.code == "CP3.1").measures[0]
    assert (cp31.formula, cp31.unit) == ("國內外會議、展覽及獎勵旅遊於本市舉辦參與數", "人次")


def test_a_notes_bracket_after_a_number_is_no_digit_of_it(serif_9pt_b5_year_113):
    """CP3.1's target, 2,500,000(因應疫情修改之KPI，只限於 110 年): on the rough scan the crop of its
    number took in the note's bracket, as tall as a digit and on its foot, so every reading had a
    digit too few for the crop's columns and the value was left unread."""
    cp31 = next(k for k in serif_9pt_b5_year_113["rough"].kpis if k.code == "CP3.1").measures[0]
    assert (cp31.target.raw, cp31.target.value) == ("2,500,000(因應疫情修改之KPI，只限於 110 年)", 2500000)
