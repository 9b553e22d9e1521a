"""Which page reader an open PDF uses (extract/pdf.py's PdfPages): PDFium by default (README), the
pdfminer reader only when asked for (settings.reader), to compare with. Both give the same blocks
(test_fuzz.py), so only the reader opened tells them apart."""
from __future__ import annotations

from conftest import REPORT_PDF

from kpi_scorecard.extract.pdf import PdfPages
from kpi_scorecard.extract.settings import PdfSettings


def test_pdfium_reads_by_default_pdfminer_when_asked():
    with PdfPages(REPORT_PDF, PdfSettings()) as document:
        assert (document.total, document.pdfium is not None) == (52, True)
    with PdfPages(REPORT_PDF, PdfSettings(reader="pdfminer")) as document:
        assert (document.total, document.pdfium) == (52, None)
