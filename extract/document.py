"""Any supported input → blocks: PDFs by their signature, everything else as a UTF-8 text dump."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from kpi_scorecard.extract.blocks import Block
from kpi_scorecard.extract.errors import NotAPdf
from kpi_scorecard.extract.settings import PdfSettings
from kpi_scorecard.extract.text import read_text, text_to_blocks

SUFFIXES = (".pdf", ".txt")


def is_pdf(path: Path) -> bool:
    with path.open("rb") as f:
        return b"%PDF-" in f.read(1024)


def document_to_blocks(
    path: Path,
    settings: PdfSettings = PdfSettings(),
    pages: list[int] | None = None,
    on_page: Callable[[int], None] | None = None,
) -> list[Block]:
    """Blocks of one input; a file named .pdf that is not one is an error, not a text dump."""
    if is_pdf(path):
        from kpi_scorecard.extract.pdf import pdf_to_blocks  # the PDF libraries load only when a PDF is read

        return pdf_to_blocks(path, settings, pages, on_page)
    if path.suffix.lower() == ".pdf":
        raise NotAPdf(path, "not a PDF (no %PDF- signature)" if path.stat().st_size else "file is empty")
    return text_to_blocks(read_text(path))
