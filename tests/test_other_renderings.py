"""Renderings we were never given: the report printed again with other fonts, paper and widths.

The text dump's scorecard is printed through headless Chromium (tests/render.py), which slices
cells at page breaks, repeats header rows and merges cells its own way; reading the PDF back must
give every KPI, measure and value unchanged, and every theme's counts must still reconcile.

Chromium has one bug of its own here: in some layouts it paints the overflow of a merged cell that
a page break slices below the table's bottom rule (B5 at 10.5pt or at 11pt with 14/18% columns
does). A printed page like that is wrong on paper too, so no layout here is one Chromium misprints.
"""
from __future__ import annotations

import pytest

from conftest import comparable, read
from render import CHROMIUM, Layout, render_pdf

LAYOUTS = {
    "a4-microhei": Layout(),
    "a5-uming-narrow": Layout(page="A5", font="AR PL UMing TW", font_size="8pt"),
    "letter-landscape-wide-values": Layout(page="letter landscape", widths=(18, 30, 26, 8, 9, 9)),
    "b5-narrow-text-columns": Layout(page="B5", font_size="10pt", widths=(14, 18, 18, 14, 18, 18)),
    "b5-large-font": Layout(page="B5", font_size="11pt", widths=(16, 16, 20, 12, 18, 18)),
}

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="needs Debian's chromium (CI installs it)")


@pytest.mark.parametrize("name", LAYOUTS)
def test_rendering_reads_back_unchanged(name, txt_report, tmp_path):
    pdf = render_pdf(txt_report, tmp_path / f"report-{name}.pdf", LAYOUTS[name])
    again = read(pdf)
    assert again.roc_year == 110
    assert sum(p.kind == "stitch" for p in again.problems) > 0  # the layout did break rows across pages
    expected, got = comparable(txt_report), comparable(again)
    assert got.keys() == expected.keys()
    assert {k: got[k] for k in got if got[k] != expected[k]} == {}
    for c in again.counts:
        assert (c.counted_objectives, c.counted_kpis, c.counted_plans) == (c.stated_objectives, c.stated_kpis, c.stated_plans)
