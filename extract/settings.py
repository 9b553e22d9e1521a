"""How PDF pages are read. Apart from extract/pdf.py so that naming them imports no PDF library."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class UnruledSettings:
    """How tables printed without vertical rules are found (extract/unruled.py).

    header_words: the words that name the columns of such a table's header, one group of
    alternatives per column; a header names at least `min_columns` of them. row_start: how the
    first line of a body row begins, where no horizontal rules separate the rows.
    """

    header_words: tuple[tuple[str, ...], ...] = (
        ("關鍵績效指標", "KPI"), ("公式",), ("行動計畫", "行動方案"), ("主責", "機關"), ("目標",), ("實際",),
    )
    min_columns: int = 4
    row_start: str = r"[A-Z]{2}\d+\.\d+(?![.\d])"


@dataclass(frozen=True)
class PdfSettings:
    """How pages are read; table_settings go to pdfplumber's table finder as they are."""

    password: str | None = None
    table_settings: dict = field(
        default_factory=lambda: {"vertical_strategy": "lines", "horizontal_strategy": "lines"}
    )
    unruled: UnruledSettings = UnruledSettings()
