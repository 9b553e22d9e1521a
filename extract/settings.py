"""How PDF pages are read. Apart from extract/pdf.py so that naming them imports no PDF library."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class UnruledSettings:
    """How tables printed without vertical rules are found (extract/unruled.py).

    header_words: the words that begin the names of such a table's columns, one group of
    alternatives per column (short: a narrow header cell wraps its name, 關鍵績效指 / 標); a
    header names at least `min_columns` of them. row_start: how the first line of a body row
    begins, where no horizontal rules separate the rows. entry_code: a code an entry of a cell
    begins with, its name after it on its line (a KPI's, a plan's): no column boundary between them.
    """

    header_words: tuple[tuple[str, ...], ...] = (
        ("關鍵", "KPI"), ("公式",), ("行動",), ("主責", "機關"), ("目標",), ("實際",),
    )
    min_columns: int = 4
    row_start: str = r"[A-Z]{2}\d+\.\d+(?![.\d])"
    entry_code: str = r"[A-Z]{2}\d+(?:\.\d+)+"


@dataclass(frozen=True)
class PdfSettings:
    """How pages are read; table_settings go to pdfplumber's table finder as they are. workers:
    processes reading a PDF's pages at once (this one and workers - 1 helpers, extract/parallel.py)."""

    password: str | None = None
    table_settings: dict = field(
        default_factory=lambda: {"vertical_strategy": "lines", "horizontal_strategy": "lines"}
    )
    unruled: UnruledSettings = UnruledSettings()
    reader: str = "pdfium"  # or "pdfminer": pdfplumber's own page reader, to compare
    workers: int = 1
    # Tesseract (extract/ocr.py) reads pages without a text layer ("auto"), every page ("always",
    # --ocr) or none ("never"), from images rendered at ocr_dpi.
    ocr: str = "auto"
    ocr_dpi: int = 200
