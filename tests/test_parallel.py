"""Pages read by this process and a spawned helper at once (extract/parallel.py): the same blocks,
the same errors, every page once, in order."""
from __future__ import annotations

import os
import time

import pytest
from conftest import REPORT_PDF
from pdfs import corrupted, pages_pdf

from kpi_scorecard.extract.errors import DamagedPdf
from kpi_scorecard.extract.parallel import read_pages
from kpi_scorecard.extract.pdf import pdf_to_blocks
from kpi_scorecard.extract.settings import PdfSettings


def page_and_reader(number: int) -> tuple[int, int]:
    time.sleep(0.02)  # a page's work: the helper starts while this process reads
    return number, os.getpid()


def test_pages_are_read_here_from_the_first_and_by_a_helper_from_the_last():
    numbers = list(range(1, 41))
    done: list[int] = []
    read = read_pages(numbers, page_and_reader, page_and_reader, workers=2, on_page=done.append)
    assert [n for n, _ in read] == numbers
    assert sorted(done) == numbers
    readers = [pid for _, pid in read]
    here = os.getpid()
    helped = readers.index(next(pid for pid in readers if pid != here))
    assert readers[:helped] == [here] * helped and here not in readers[helped:]
    assert 1 <= helped < len(numbers) - 1


def dies_at_page_40(number: int) -> tuple[int, int]:
    if number == 40:
        os._exit(1)  # as a helper killed, or crashed in a library, would
    return page_and_reader(number)


def test_the_pages_of_a_helper_that_dies_are_read_here():
    numbers = list(range(1, 41))
    # workers=3: helpers of their own, so that the other tests keep theirs alive
    read = read_pages(numbers, page_and_reader, dies_at_page_40, workers=3)
    assert [n for n, _ in read] == numbers
    assert read[-1][1] == os.getpid()


def test_a_document_after_an_interrupted_one_gets_its_own_pages():
    numbers = list(range(1, 41))

    def interrupted(number: int) -> tuple[int, int]:
        if number == 5:
            raise KeyboardInterrupt  # a helper still holds pages of this document, and answers later
        return page_and_reader(number)

    with pytest.raises(KeyboardInterrupt):
        read_pages(numbers, interrupted, page_and_reader, workers=2)
    read = read_pages([n + 100 for n in numbers], page_and_reader, page_and_reader, workers=2)
    assert [n for n, _ in read] == [n + 100 for n in numbers]


def test_the_report_read_with_a_helper_gives_the_same_blocks():
    pages: list[int] = []
    assert pdf_to_blocks(REPORT_PDF, PdfSettings(workers=2), on_page=pages.append) == pdf_to_blocks(REPORT_PDF)
    assert sorted(pages) == list(range(1, 53))


def test_a_damaged_page_a_helper_reads_is_the_same_error(tmp_path):
    path = tmp_path / "damaged-last-page.pdf"  # the last page goes to the helper first
    path.write_bytes(corrupted(pages_pdf(list(range(1, 15))), page=14))
    with pytest.raises(DamagedPdf) as here:
        pdf_to_blocks(path)
    with pytest.raises(DamagedPdf) as helped:
        pdf_to_blocks(path, PdfSettings(workers=2))
    assert str(helped.value) == str(here.value) == (
        "damaged-last-page.pdf: PDF is damaged (page 14: its content stream is corrupted); copy or download it again"
    )
