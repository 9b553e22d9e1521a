"""One page as the table geometry reads it: chars and ruling edges, pdfplumber's plain dicts.

Whichever library parsed the page (PDFium by default, pdfminer through pdfplumber to compare), the
rest of extract/ sees only this; pdfplumber's table finder and text-line builder take it as they
take a pdfplumber page.
"""
from __future__ import annotations

from dataclasses import dataclass

from pdfplumber.table import Table as PlumberTable, TableFinder
from pdfplumber.utils import extract_words
from pdfplumber.utils.text import chars_to_textmap

BBox = tuple[float, float, float, float]


@dataclass
class PageContent:
    number: int
    width: float
    height: float
    chars: list[dict]
    edges: list[dict]  # horizontal ("h") and vertical ("v") segments of the page's lines and rectangles

    @property
    def bbox(self) -> BBox:
        return (0.0, 0.0, self.width, self.height)

    def extract_words(self, **kwargs) -> list[dict]:  # what pdfplumber's "text" table strategy calls
        return extract_words(self.chars, **kwargs)

    def within(self, bbox: BBox) -> PageContent:
        """The chars whose middle and the edges that lie in bbox (a region's own table finding)."""
        return PageContent(self.number, self.width, self.height, [c for c in self.chars if middle_inside(c, bbox)],
                           [e for e in self.edges if middle_inside(e, bbox)])


def middle_inside(obj: dict, bbox: BBox) -> bool:
    """Whether the middle of a char or edge lies in bbox."""
    x0, top, x1, bottom = bbox
    return x0 <= (obj["x0"] + obj["x1"]) / 2 <= x1 and top <= (obj["top"] + obj["bottom"]) / 2 <= bottom


def find_tables(page: PageContent, settings: dict) -> list[PlumberTable]:
    return TableFinder(page, settings).tables  # type: ignore[arg-type]  # PageContent has what TableFinder reads of a Page


def text_lines(chars: list[dict]) -> list[dict]:
    """The chars as lines of text (with their chars), as pdfplumber's extract_text_lines gives them."""
    return chars_to_textmap(chars).extract_text_lines(strip=True, return_chars=True) if chars else []
