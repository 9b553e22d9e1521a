"""When extract/continued.py reads a page again: only where the first read leaves it possible that
the page goes on with the table the page before ends with."""
from __future__ import annotations

from conftest import REPORT_PDF

from kpi_scorecard.extract import continued
from kpi_scorecard.extract.blocks import Table
from kpi_scorecard.extract.pdf import PdfPages, page_to_blocks, pdf_to_blocks
from kpi_scorecard.extract.settings import PdfSettings


def test_only_pages_whose_chars_hold_a_headers_words_are_looked_into_for_a_header():
    """The report's cover, contents and foreword (pages 1-4) print none of the KPI header's words;
    every page with a KPI table prints them all."""
    settings = PdfSettings()
    with PdfPages(REPORT_PDF, settings) as document:
        pages = [document.content(n) for n in range(1, document.total + 1)]
    words = [continued.has_header_words(page.chars, settings.unruled) for page in pages]
    assert words[:4] == [False] * 4
    headed = [n for n, page in enumerate(pages, 1) if any(
        isinstance(b, Table) and continued._names_header([b], settings.unruled) for b in page_to_blocks(page, n, settings))]
    assert len(headed) >= 40 and all(words[n - 1] for n in headed)


def test_a_report_that_repeats_its_header_reads_no_page_again(monkeypatch):
    """The report prints its header on every page of a table: a theme's title at the top of the
    next page (健全都市發展(B), twice the header's height, centred) begins no rows of the table the
    page before ends with, and no page is read again, to find that header (the reader found it
    when it read the two pages in turn) or with it above the page's lines."""
    calls = []
    read_under, content = continued._read_under, PdfPages.content
    monkeypatch.setattr(continued, "_read_under", lambda *args: calls.append(("under", args[-1])) or read_under(*args))
    monkeypatch.setattr(PdfPages, "content", lambda self, n: calls.append(("again", n)) or content(self, n))
    blocks = pdf_to_blocks(REPORT_PDF, PdfSettings(workers=1))
    assert calls == []
    assert any(b.page == 11 and getattr(b, "text", None) == "健全都市發展(B)" for b in blocks)


def test_a_line_taller_than_the_page_before_prints_any_char_goes_on_with_none_of_its_tables():
    """健全都市發展(B) atop page 11, 20 pt high, is a heading under any header page 10 (tallest chars
    12 pt) ends with: that header is not looked for. BC2 實現居住正義 atop page 13, 12 pt high, may
    be a row's line under page 12's (tallest chars 14 pt)."""
    settings = PdfSettings()
    with PdfPages(REPORT_PDF, settings) as document:
        pages = {n: document.content(n) for n in (10, 11, 12, 13)}
    blocks = {n: page_to_blocks(page, n, settings) for n, page in pages.items()}
    assert (blocks[11][0].text, blocks[13][0].text) == ("健全都市發展(B)", "BC2 實現居住正義")
    assert not continued.may_go_on(pages[10], blocks[11])
    assert continued.may_go_on(pages[12], blocks[13])
