"""How PDF pages are read. Apart from extract/pdf.py so that naming them imports no PDF library."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class PdfSettings:
    """How pages are read; table_settings go to pdfplumber's table finder as they are."""

    password: str | None = None
    table_settings: dict = field(
        default_factory=lambda: {"vertical_strategy": "lines", "horizontal_strategy": "lines"}
    )
