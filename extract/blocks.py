"""Plain data the extractors hand to normalize/: text lines and raw tables in reading order."""
from __future__ import annotations

from dataclasses import dataclass, replace

BBox = tuple[float, float, float, float]  # x0, top, x1, bottom in PDF points
UNMAPPED = "\ufffd"  # the text of a glyph the PDF gives no Unicode value for


@dataclass(frozen=True)
class TextLine:
    """One line of running text outside any table."""

    text: str
    page: int | None
    bbox: BBox | None = None


@dataclass(frozen=True)
class Table:
    """A ruled table as printed on one page: cells as extracted, None where a merged cell covers.
    A table recognised from an image (extract/ocr.py) also gives each cell's confidence (0–100)
    and box, in the shape of rows."""

    rows: list[list[str | None]]
    page: int | None  # PDF page; a deck file's slide number; None for a text dump or office text document
    bbox: BBox | None = None
    # An office file's table: its number in the document (on its slide, for a deck), from 1; its rows
    # are whole (never cut by a page break) and numbered from 1 as the file has them. None: not an office file.
    number: int | None = None
    confidence: list[list[float | None]] | None = None
    boxes: list[list[BBox | None]] | None = None

    def from_row(self, first: int) -> Table:
        """The table from row `first` on, each cell's confidence and box kept with it."""
        return replace(self, rows=self.rows[first:], confidence=None if self.confidence is None else self.confidence[first:],
                       boxes=None if self.boxes is None else self.boxes[first:])


Block = TextLine | Table
