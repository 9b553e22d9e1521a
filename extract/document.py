"""Any supported input → blocks: PDFs by their signature, office files by their name, everything
else as a UTF-8 text dump."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from kpi_scorecard.extract.blocks import Block
from kpi_scorecard.extract.errors import NotAPdf
from kpi_scorecard.extract.settings import PdfSettings
from kpi_scorecard.extract.text import read_text, text_to_blocks

OFFICE_SUFFIXES = (".docx", ".odt", ".pptx", ".odp")
LEGACY_SUFFIXES = (".doc", ".ppt")  # refused with the command that converts them
SUFFIXES = (".pdf", ".txt", *OFFICE_SUFFIXES)
FOLDER_SUFFIXES = (*SUFFIXES, *LEGACY_SUFFIXES)  # a folder's legacy files get their one line, not silence


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
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        raise NotAPdf(path, "not a PDF (no %PDF- signature)" if path.stat().st_size else "file is empty")
    if suffix in OFFICE_SUFFIXES or suffix in LEGACY_SUFFIXES:
        return office_to_blocks(path)
    return text_to_blocks(read_text(path))


def office_to_blocks(path: Path) -> list[Block]:
    """A .docx, .odt, .pptx or .odp file's blocks (a legacy .doc/.ppt gets its one-line error)."""
    suffix = path.suffix.lower()
    if suffix in LEGACY_SUFFIXES:
        from kpi_scorecard.extract.officezip import refuse_unzippable

        refuse_unzippable(path)  # always raises for these
    if suffix == ".docx":
        from kpi_scorecard.extract.docx import docx_to_blocks

        return docx_to_blocks(path)
    if suffix == ".pptx":
        from kpi_scorecard.extract.pptx import pptx_to_blocks

        return pptx_to_blocks(path)
    from kpi_scorecard.extract.odf import odf_to_blocks

    return odf_to_blocks(path)
