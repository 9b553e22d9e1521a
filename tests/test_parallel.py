"""Pages read by worker processes give the blocks one process gives, in the same order."""
from __future__ import annotations

import pytest

from conftest import REPORT_PDF
from extract import pdf
from extract.pdf import pdf_to_blocks
from extract.workers import contiguous_chunks


@pytest.fixture(scope="module")
def sequential():
    return pdf_to_blocks(REPORT_PDF, workers=1)


def test_workers_give_the_same_blocks(sequential):
    pages = []
    assert pdf_to_blocks(REPORT_PDF, workers=2, on_page=pages.append) == sequential
    assert pages == list(range(1, 53))


def test_a_run_that_fails_in_a_worker_is_read_again_here(sequential, monkeypatch):
    """Named input errors do not survive pickling: the parent reads a failed run itself."""
    def fail(self, numbers):
        raise RuntimeError("worker failed")

    monkeypatch.setattr(pdf.WorkerPages, "__call__", fail)
    assert pdf_to_blocks(REPORT_PDF, workers=2) == sequential


def test_contiguous_chunks():
    assert contiguous_chunks(list(range(1, 11)), 4) == [[1, 2, 3], [4, 5, 6], [7, 8, 9], [10]]
    assert contiguous_chunks([1, 2], 8) == [[1], [2]]
    assert contiguous_chunks([], 3) == []
