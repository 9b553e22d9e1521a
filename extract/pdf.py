"""PDF → blocks: ruled tables and the text lines between them, page by page, with bboxes."""
from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pdfplumber
from pdfminer.pdfdocument import PDFPasswordIncorrect
from pdfminer.pdfparser import PDFSyntaxError
from pdfminer.psparser import PSException

from extract.cells import table_to_rows
from extract.blocks import Block, TextLine, Table
from extract.errors import EncryptedPdf, NoTextLayer, NotAPdf

# pdfminer logs every font quirk it survives (e.g. "Could not get FontBBox"); those are not ours to report.
logging.getLogger("pdfminer").setLevel(logging.ERROR)


@dataclass(frozen=True)
class PdfSettings:
    """How pages are read; table_settings go to pdfplumber's table finder as they are."""

    password: str | None = None
    table_settings: dict = field(
        default_factory=lambda: {"vertical_strategy": "lines", "horizontal_strategy": "lines"}
    )


@contextmanager
def open_pdf(path: Path, password: str | None = None) -> Iterator[pdfplumber.PDF]:
    """Open a PDF, turning pdfminer's parse errors into named input errors."""
    if path.stat().st_size == 0:
        raise NotAPdf(path, "file is empty")
    try:
        pdf = pdfplumber.open(path, password=password or "")
        pdf.pages  # forces parsing of the page tree, where truncated files fail
    except PDFPasswordIncorrect:
        raise EncryptedPdf(path, "PDF is encrypted; pass the password with --password") from None
    except (PDFSyntaxError, PSException, ValueError, KeyError, TypeError) as e:
        raise NotAPdf(path, f"not a readable PDF ({type(e).__name__})") from None
    try:
        yield pdf
    finally:
        pdf.close()


def page_count(path: Path, password: str | None = None) -> int:
    with open_pdf(path, password) as pdf:
        return len(pdf.pages)


def pdf_to_blocks(
    path: Path,
    settings: PdfSettings = PdfSettings(),
    pages: Iterable[int] | None = None,
    on_page: Callable[[int], None] | None = None,
) -> list[Block]:
    """Read the given 1-based pages (all by default) into blocks in reading order.

    `on_page(n)` is called after each page (progress reporting)."""
    with open_pdf(path, settings.password) as pdf:
        total = len(pdf.pages)
        numbers = [n for n in pages if 1 <= n <= total] if pages is not None else range(1, total + 1)
        blocks: list[Block] = []
        has_text = False
        for number in numbers:
            page = pdf.pages[number - 1]
            has_text = has_text or bool(page.chars)
            blocks.extend(page_to_blocks(page, number, settings))
            page.close()  # drops pdfplumber's per-page caches: memory stays flat on long reports
            if on_page:
                on_page(number)
    if numbers and not has_text:
        raise NoTextLayer(path, "PDF has no text layer (scanned?); run OCR first, e.g. ocrmypdf")
    return blocks


def page_to_blocks(page: pdfplumber.page.Page, number: int, settings: PdfSettings) -> list[Block]:
    """One page: its tables and the text lines outside them, sorted top to bottom."""
    table_settings = dict(settings.table_settings)
    table_settings.setdefault("explicit_horizontal_lines", closing_lines(page))
    tables = page.find_tables(table_settings)
    boxes = [t.bbox for t in tables]

    def outside_tables(obj: dict) -> bool:
        if obj.get("object_type") != "char":
            return True
        cx, cy = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
        return not any(x0 <= cx <= x1 and top <= cy <= bottom for x0, top, x1, bottom in boxes)

    chars = sorted(page.chars, key=lambda c: c["top"] + c["bottom"])
    v_mids = [(c["top"] + c["bottom"]) / 2 for c in chars]
    placed: list[tuple[float, Block]] = [
        (t.bbox[1], Table(rows=table_to_rows(t, chars, v_mids), page=number, bbox=tuple(t.bbox))) for t in tables
    ]
    for line in page.filter(outside_tables).extract_text_lines(return_chars=False):
        bbox = (line["x0"], line["top"], line["x1"], line["bottom"])
        placed.append((line["top"], TextLine(text=line["text"], page=number, bbox=bbox)))
    placed.sort(key=lambda item: item[0])
    return [block for _, block in placed]


def closing_lines(page: pdfplumber.page.Page, tolerance: float = 1.5) -> list[dict]:
    """Horizontal rules where a table's vertical rules stop but no rule is drawn.

    Renderers that slice a cell at a page break (browsers, some Office versions) draw its side
    borders to the page edge but no top or bottom border; closing the cell there keeps the cut
    row inside its table instead of dropping its text onto the page. Only where rules really stop:
    a rule that goes on past that height (the side of a merged cell) closes nothing.
    """
    verticals = [e for e in page.edges if e["orientation"] == "v" and e["height"] > tolerance]

    def goes_on(x: float, y: float, end: str) -> bool:
        """Whether some rule at x continues beyond y, past the end `end` of another."""
        return any(
            abs(e["x0"] - x) <= tolerance
            and (e["top"] < y - tolerance if end == "top" else e["bottom"] > y + tolerance)
            and e["top"] - tolerance <= y <= e["bottom"] + tolerance
            for e in verticals
        )

    lines = []
    for end in ("top", "bottom"):
        by_y: dict[int, list[dict]] = {}
        for edge in verticals:
            if not goes_on(edge["x0"], edge[end], end):
                by_y.setdefault(round(edge[end] / tolerance), []).append(edge)
        for group in by_y.values():
            if len(group) >= 2:
                y = group[0][end]
                x0, x1 = min(e["x0"] for e in group), max(e["x1"] for e in group)
                lines.append({"x0": x0, "x1": x1, "top": y, "bottom": y, "width": x1 - x0, "height": 0,
                              "orientation": "h", "object_type": "line"})
    return lines
