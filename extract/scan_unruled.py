"""A scanned page whose tables are not a full grid → those tables, found as a text layer's are.

Table styles that draw rules under the rows only, under the heading only, or none leave the image
no grid for the table finder (extract/scan.py finds rules, not columns). A text-layer page in such
a style is read by extract/unruled.py: columns from the header's names and the text's alignment,
rows from rules, codes and paragraph starts. A scan goes the same way: its text is recognised with
its positions (Tesseract's sparse-text layout, one line of print per line), each symbol becomes a
char as a PDF's text layer gives it, and the page's chars with the rules found in its image go
through extract/pdf.py's page_layout. Each cell of the tables found is then read from the image
on its own, as a ruled cell is (extract/ocr.py).

Tesseract's symbol boxes come from its recognizer's time steps and may run a glyph's width or more
past the glyph, across the gap between two columns. So a symbol is placed inside the run of ink it
lies on (a line's inked columns, split where the blank is a word space wide): a char then never
covers a column's gap the print leaves blank.
"""
from __future__ import annotations

from statistics import median

import numpy as np
import tesserocr
from pdfplumber.table import Table as PlumberTable
from PIL import Image

from kpi_scorecard.extract.page import PageContent
from kpi_scorecard.extract.pdf import page_layout
from kpi_scorecard.extract.scan import PageImage
from kpi_scorecard.extract.settings import PdfSettings

# An ideograph's ink is this much of its font size (Noto Sans and Serif CJK, WenQuanYi, AR PL UMing
# at 200 dpi: 0.86-0.92): the chars' size, from which unruled.py measures word spaces and headings.
IDEOGRAPH_INK = 0.9
# Blank columns at least this many font sizes wide part two runs of ink (unruled.SPACE, 0.35, is a
# word space: no column boundary lies in a narrower gap)
RUN_GAP = 0.25
# A symbol takes this many font sizes of its run: an ideograph or full-width mark one, else about half.
NARROW = 0.55
INK = 128  # a pixel darker than this is ink (extract/ocr.py's)


def scan_tables(image: PageImage, rules: PageContent, settings: PdfSettings) -> tuple[list[PlumberTable], list[PlumberTable]]:
    """The page's tables as page_layout finds them from its recognised text and image rules (the
    finder's settings: `settings`), and which of them are rebuilt without vertical rules."""
    page = PageContent(image.number, rules.width, rules.height, recognised_chars(image), list(rules.edges))
    tables, unruled, _ = page_layout(page, settings)
    return tables, unruled


def recognised_chars(image: PageImage) -> list[dict]:
    """The page's text, recognised by Tesseract line by line (sparse-text layout), as chars in
    points: each symbol placed in its run of ink, its line's middle and font size its own."""
    from kpi_scorecard.extract.ocr import CJK, engine  # extract/ocr.py imports this module

    api = engine("text", tesserocr.PSM.SPARSE_TEXT)
    api.SetImage(Image.fromarray(image.pixels))
    api.Recognize()
    ink = image.pixels < INK
    lines: list[tuple[tuple, list[tuple[str, tuple]]]] = []  # (line box, [(symbol, box)]) in pixels
    iterator = api.GetIterator()
    line_level, level = tesserocr.RIL.TEXTLINE, tesserocr.RIL.SYMBOL
    for item in tesserocr.iterate_level(iterator, level) if iterator else ():
        if item.Empty(level) or not (symbol := (item.GetUTF8Text(level) or "").strip()):
            continue
        if item.IsAtBeginningOf(line_level) or not lines:
            lines.append((item.BoundingBox(line_level), []))
        lines[-1][1].append((symbol, item.BoundingBox(level)))
    placed = [_placed(ink, box, symbols, CJK) for box, symbols in lines]
    sizes = [size for _, size, cjk in placed if cjk]
    usual = median(sizes) if sizes else None
    chars = []
    for (runs, size, cjk), (box, _) in zip(placed, lines, strict=True):
        size = size if cjk or usual is None else usual  # digits and letters alone: the page's usual size
        middle = _middle(ink, box, runs)
        for text, x0, x1 in runs:
            chars.append(_char(text, x0 / image.scale, x1 / image.scale, (middle - size / 2) / image.scale,
                               (middle + size / 2) / image.scale, size / image.scale))
    return chars


def _placed(ink: np.ndarray, box: tuple, symbols: list[tuple[str, tuple]], cjk) -> tuple[list[tuple[str, float, float]], float, bool]:
    """A line's symbols, each with the columns (pixels) it takes in its run of ink; the line's font
    size in pixels (from its ideographs' ink height; its box's height without one) and whether it
    has an ideograph."""
    x0, top, x1, bottom = box
    band = ink[top:bottom, x0:x1]
    heights = [h for symbol, b in symbols if cjk.fullmatch(symbol) and (h := _ink_height(band, b[0] - x0, b[2] - x0))]
    size = median(heights) / IDEOGRAPH_INK if heights else float(bottom - top)
    runs = _runs(band.any(axis=0), RUN_GAP * size)
    if not runs:
        return [], size, bool(heights)
    # each symbol on the run its box overlaps most (nearest, where it overlaps none), in reading order
    owner, last = [], 0
    for _, b in symbols:
        a, z = b[0] - x0, b[2] - x0
        overlaps = [min(z, r1) - max(a, r0) for r0, r1 in runs]
        best = max(range(len(runs)), key=lambda i: (overlaps[i], -abs((runs[i][0] + runs[i][1]) / 2 - (a + z) / 2)))
        last = max(last, best)
        owner.append(last)
    placed = []
    for index, (r0, r1) in enumerate(runs):
        members = [symbol for (symbol, _), o in zip(symbols, owner, strict=True) if o == index]
        widths = [1.0 if cjk.fullmatch(s) or not s.isascii() else NARROW for s in members]
        at, scale = float(r0), (r1 - r0) / sum(widths) if widths else 0.0
        for symbol, width in zip(members, widths, strict=True):
            placed.append((symbol, x0 + at, x0 + at + width * scale))
            at += width * scale
    return placed, size, bool(heights)


def _ink_height(band: np.ndarray, a: int, z: int) -> int:
    """The height of the ink in the band's columns a..z."""
    rows = np.flatnonzero(band[:, max(0, a): max(0, z)].any(axis=1))
    return int(rows[-1] - rows[0] + 1) if len(rows) else 0


def _runs(inked: np.ndarray, gap: float) -> list[tuple[int, int]]:
    """(first, end) of each run of inked columns, blanks narrower than `gap` inside a run."""
    columns = np.flatnonzero(inked)
    if not len(columns):
        return []
    breaks = np.flatnonzero(np.diff(columns) > max(1.0, gap))
    starts, ends = np.r_[columns[0], columns[breaks + 1]], np.r_[columns[breaks], columns[-1]] + 1
    return list(zip(starts.tolist(), ends.tolist(), strict=True))


def _middle(ink: np.ndarray, box: tuple, runs: list[tuple[str, float, float]]) -> float:
    """The height (pixels) of the middle of a line's print: of the rows its runs' ink covers most
    (a bracket's or a descender's tail reaches below the rest)."""
    x0, top, x1, bottom = box
    rows = ink[top:bottom, x0:x1].sum(axis=1)
    if not rows.any():
        return (top + bottom) / 2
    dense = np.flatnonzero(rows >= 0.2 * rows.max())
    return top + (dense[0] + dense[-1] + 1) / 2


def _char(text: str, x0: float, x1: float, top: float, bottom: float, size: float) -> dict:
    return {"text": text, "x0": x0, "x1": x1, "top": top, "bottom": bottom, "doctop": top, "size": size,
            "width": x1 - x0, "height": bottom - top, "upright": True, "object_type": "char"}

