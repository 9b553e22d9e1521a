"""extract/content.py reads page content as pdfminer and pdfplumber do, only faster."""
from __future__ import annotations

import pdfplumber
import pytest
from pdfminer.pdfinterp import PDFContentParser
from pdfminer.pdftypes import PDFStream
from pdfminer.psparser import PSEOF

from conftest import REPORT_PDF, SAMPLES
from extract.content import ContentPage, Unhandled, content_objects

PDFS = [REPORT_PDF, SAMPLES / "h-109-deck.pdf"]


def pdfminer_objects(data: bytes) -> list:
    parser = PDFContentParser([PDFStream({}, data)])
    objects = []
    while True:
        try:
            objects.append(parser.nextobject()[1])
        except PSEOF:
            return objects


@pytest.mark.parametrize("data", [
    b"BT /F1 12 Tf 72 712.5 Td (Hello, \\(world\\)) Tj ET",
    b"[(A) -120 (B) 3.5 <4e4F 50>] TJ <414> Tj",  # hex with spaces; an odd last digit
    b"(nested (parens) kept) Tj (octal \\101\\0121 and \\n\\t\\\\ escapes, \\q dropped) Tj",
    b"(line \\\r\ncontinued) Tj (line \\\ncontinued) Tj",
    b"/Name#20with#2Fescapes /Bad#zz /F1 1 Tf",
    b"+.5 -.5 5. -3 +7 .25 - + . 1-2 3.4.5 obj",  # numbers as pdfminer splits and drops them
    b"q 1 0 0 1 0 0 cm % a comment\n/P << /MCID 3 /Lang (en) >> BDC EMC Q",
    b"[1 [2 3] << /K [4] >>] true false null d0 T* ' \" ",
    b"] } >> > stray closers",
    b"[1 2 unclosed",
])
def test_tokens_are_pdfminers(data):
    assert repr(content_objects(data)) == repr(pdfminer_objects(data))


@pytest.mark.parametrize("data", [b"BI /W 1 /H 1 /BPC 8 /CS /G ID \x00 EI", b"((((deep)))) Tj"])
def test_content_it_does_not_read_is_left_to_pdfminer(data):
    with pytest.raises(Unhandled):
        content_objects(data)


@pytest.mark.parametrize("pdf", PDFS, ids=lambda p: p.name)
def test_page_objects_are_pdfplumbers(pdf):
    """Every object pdfplumber gives (chars, rects, lines, curves …), the same, in the same order."""
    with pdfplumber.open(pdf) as theirs, pdfplumber.open(pdf) as ours:
        for page in theirs.pages[::2]:
            mine = ContentPage.of(ours.pages[page.page_number - 1])
            assert mine.objects.keys() == page.objects.keys()
            for kind, objects in page.objects.items():
                assert repr(mine.objects[kind]) == repr(objects), (page.page_number, kind)


def test_pdfplumber_reads_a_page_the_fast_reader_cannot(monkeypatch):
    """The fast reader is an optimisation: where it fails, pdfplumber's own reader reads the page."""
    from pdfplumber.utils.exceptions import PdfminerException

    from extract.pdf import pdf_to_blocks

    def broken(self):
        raise PdfminerException(RuntimeError("fast reader broke"))

    expected = pdf_to_blocks(REPORT_PDF, pages=[6, 7], workers=1)
    monkeypatch.setattr(ContentPage, "layout", property(broken))
    assert pdf_to_blocks(REPORT_PDF, pages=[6, 7], workers=1) == expected
