"""OpenDocument text (.odt) and presentation (.odp) → blocks, from content.xml through lxml (see
extract/officezip.py): a text document's paragraphs, headings, lists and tables in document order;
a presentation slide by slide (the slide number stands where a PDF has its page), each slide's
frames in reading order (top to bottom, then left to right).

A merged cell comes out as the PDF reader gives one: its text in the first cell, None in every
table:covered-table-cell. Paragraphs and typed line breaks in a cell are kept apart with a blank
line, as the PDF reader marks breaks its author typed.
"""
from __future__ import annotations

import re
from pathlib import Path

from lxml import etree

from kpi_scorecard.extract.blocks import Block, Table, TextLine
from kpi_scorecard.extract.errors import DamagedOffice, EncryptedOffice
from kpi_scorecard.extract.officezip import Cells, OfficePackage, local_name

NS = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "draw": "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0",
    "svg": "urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0",
    "manifest": "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0",
}
TEXT, TABLE, SVG = (f"{{{NS[p]}}}" for p in ("text", "table", "svg"))
# Paragraph content that is not its text: notes (their own paragraphs), comments, frames, ruby.
SKIPPED = {"note", "annotation", "annotation-end", "frame", "ruby-text", "tracked-changes", "custom-shape"}
# Block wrappers read through, in order: lists, sections, indexes (the table of contents).
CONTAINERS = {"list", "list-item", "list-header", "section", "table-of-content", "index-body", "index-title",
              "illustration-index", "alphabetical-index", "user-index", "text-box", "g"}
REPEAT_LIMIT = 1000  # a row or cell repeated more often is a spreadsheet's filler or an attack, never a report's
LENGTH = re.compile(r"^\s*(-?[\d.]+)\s*(cm|mm|in|pt|pc|px)?\s*$")
TO_CM = {"cm": 1, "mm": 0.1, "in": 2.54, "pt": 2.54 / 72, "pc": 2.54 / 6, "px": 2.54 / 96, None: 1}


def odf_to_blocks(path: Path) -> list[Block]:
    with OfficePackage(path) as package:
        if package.has("META-INF/manifest.xml"):
            manifest = package.xml("META-INF/manifest.xml")
            if any(local_name(el) == "encryption-data" for el in manifest.iter()):
                raise EncryptedOffice(path, "ODF file is password-protected; save a copy without the password and read that")
        root = package.xml("content.xml")
    body = root.find(f"{{{NS['office']}}}body")
    document = next(iter(body), None) if body is not None else None
    if document is None:
        raise DamagedOffice(path, "ODF file is damaged (content.xml has no body); save it again")
    blocks: list[Block] = []
    if local_name(document) == "presentation":
        slides = [el for el in document if local_name(el) == "page"]
        for number, slide in enumerate(slides, 1):
            blocks.extend(_slide_blocks(path, slide, number))
    else:
        _read_flow(path, document, None, blocks)
    return blocks


def _read_flow(path: Path, parent: etree._Element, page: int | None, blocks: list[Block]) -> None:
    """Paragraphs, headings and tables under `parent`, in order, appended to blocks."""
    for child in parent:
        name = local_name(child)
        if name in ("p", "h"):
            blocks.extend(TextLine(line.strip(), page) for line in _paragraph_text(child).split("\n") if line.strip())
        elif name == "table":
            number = sum(isinstance(b, Table) and b.page == page for b in blocks) + 1
            blocks.append(Table(_table_rows(path, child, Cells(path)), page, number=number))
        elif name in CONTAINERS:
            _read_flow(path, child, page, blocks)


def _slide_blocks(path: Path, slide: etree._Element, number: int) -> list[Block]:
    placed: list[tuple[float, float, int, etree._Element]] = []
    _frames(slide, placed)
    placed.sort(key=lambda p: p[:3])
    blocks: list[Block] = []
    for _, _, _, frame in placed:
        _read_flow(path, frame, number, blocks)
    return blocks


def _frames(parent: etree._Element, placed: list[tuple[float, float, int, etree._Element]]) -> None:
    """A slide's frames and shapes with their (top, left) in cm; groups read through."""
    for child in parent:
        name = local_name(child)
        if name == "g":
            _frames(child, placed)
        elif name in ("frame", "custom-shape", "rect", "ellipse"):
            placed.append((_length(child.get(f"{SVG}y")), _length(child.get(f"{SVG}x")), len(placed), child))


def _length(value: str | None) -> float:
    m = LENGTH.match(value or "")
    return float(m[1]) * TO_CM[m[2]] if m else -1.0  # a frame without a place comes first


def _table_rows(path: Path, table: etree._Element, cells: Cells) -> list[list[str | None]]:
    rows: list[list[str | None]] = []
    for tr in _rows(table):
        row: list[str | None] = []
        for cell in tr:
            name = local_name(cell)
            if name not in ("table-cell", "covered-table-cell"):
                continue
            text = _cell_text(path, cell) if name == "table-cell" else None
            span = _count(path, cell, "number-columns-spanned") if name == "table-cell" else 1
            repeated = _count(path, cell, "number-columns-repeated")
            cells.take(repeated * span)
            for _ in range(repeated):
                row.append(text)
                row.extend([None] * (span - 1))
        repeated = _count(path, tr, "number-rows-repeated")
        cells.take((repeated - 1) * len(row))
        rows.extend([row] * repeated)
    return cells.grid(rows)


def _rows(table: etree._Element):
    """A table's rows in order, through its header rows and row groups."""
    for child in table:
        name = local_name(child)
        if name == "table-row":
            yield child
        elif name in ("table-header-rows", "table-rows", "table-row-group"):
            yield from _rows(child)


def _count(path: Path, element: etree._Element, attribute: str) -> int:
    try:
        count = int(element.get(f"{TABLE}{attribute}", "1"))
    except ValueError:
        return 1
    if count > REPEAT_LIMIT:
        raise DamagedOffice(path, f"refused: a table row or cell repeated {count} times (absurd for a report)")
    return max(1, count)


def _cell_text(path: Path, cell: etree._Element) -> str:
    """The cell's paragraphs (a nested table's too), a blank line between each."""
    blocks: list[Block] = []
    _read_flow(path, cell, None, blocks)
    lines = [b.text for b in blocks if isinstance(b, TextLine)]
    for nested in (b for b in blocks if isinstance(b, Table)):
        lines.extend(c for row in nested.rows for c in row if c)
    return "\n\n".join(lines)


def _paragraph_text(paragraph: etree._Element) -> str:
    """A paragraph's text, '\\n' where its author typed a line break."""
    out = [paragraph.text or ""]
    for element in paragraph:
        name = local_name(element)
        if name == "s":
            count = element.get(f"{TEXT}c", "1")
            out.append(" " * min(REPEAT_LIMIT, int(count)) if count.isdigit() else " ")
        elif name == "tab":
            out.append(" ")
        elif name == "line-break":
            out.append("\n")
        elif name not in SKIPPED:
            out.append(_paragraph_text(element))  # a span, link, field, bookmark …
        out.append(element.tail or "")
    return "".join(out)
