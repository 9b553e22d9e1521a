"""Pages handed to the helpers before this process reads (extract/parallel.py's start_early,
extract/pdf.py's read_early: the CLI starts them while the warehouse opens): the read that follows
with the same pages and reader takes up that queue, and gives what a read in turn gives."""
from __future__ import annotations

from conftest import REPORT_PDF
from test_parallel import page_and_reader

from kpi_scorecard.extract import parallel
from kpi_scorecard.extract.pdf import pdf_to_blocks, read_early
from kpi_scorecard.extract.settings import PdfSettings


def test_a_queue_started_early_is_taken_up_by_the_read_of_the_same_pages():
    numbers = list(range(1, 41))
    before = list(parallel._early)  # a queue an interrupted run of another test left, if any
    parallel.start_early(numbers, page_and_reader, 1)  # one process: no helper to start
    assert parallel._early == before
    parallel.start_early(numbers, page_and_reader, 2)
    assert [key[0] for key, _, _ in parallel._early[len(before):]] == [numbers]
    read = parallel.read_pages(numbers, page_and_reader, page_and_reader, workers=2)
    assert [n for n, _ in read] == numbers and parallel._early == before


def test_a_pdfs_pages_read_early_are_those_pdf_to_blocks_reads():
    """12 pages (MIN_PAGES) of the report: handed over early, then read with the queue; 11 pages are
    read in turn, without helpers, early or not."""
    settings = PdfSettings(workers=2)
    before = list(parallel._early)
    read_early(REPORT_PDF, settings, range(1, 12))
    assert parallel._early == before
    read_early(REPORT_PDF, settings, range(1, 13))
    assert [key[0] for key, _, _ in parallel._early[len(before):]] == [list(range(1, 13))]
    assert pdf_to_blocks(REPORT_PDF, settings, range(1, 13)) == pdf_to_blocks(REPORT_PDF, PdfSettings(workers=1), range(1, 13))
    assert parallel._early == before
