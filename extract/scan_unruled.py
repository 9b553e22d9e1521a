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

import cv2
import numpy as np
import tesserocr
from pdfplumber.table import Table as PlumberTable
from PIL import Image

from kpi_scorecard.extract.ocr import ATTEMPTS, CJK, INK, MARGIN, _recognised, engine
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
# Symbols' widths in font sizes (digits and lower case 0.55, capitals 0.65, ideographs 1): how a
# line's symbols are shared among its runs of ink and placed on them. A run's ink is narrower than
# its symbols' advance by the blank at its two ends (BEARINGS); a box BOXES of the way off a run
# weighs against it as much as a misfit width.
ADVANCE = {".": 0.3, ",": 0.3, ":": 0.3, ";": 0.3, "'": 0.3, "!": 0.3, "(": 0.4, ")": 0.4, "/": 0.4, "-": 0.4,
           "|": 0.3, "%": 0.85, "I": 0.3, "l": 0.3, "i": 0.3}
BEARINGS = 0.1
BOXES = 0.5
# A line's ideographs measured up to this much over the page's usual size, or under it, are of
# that size: blur and noise make a few ideographs' ink (單位：%) 0.8 of it, a speck is read as
# ideographs half as tall (unruled.py ends a table at a line 0.15 off its header's size); a
# heading's is 1.3 times or more.
SAME_SIZE = 0.25
# A line the layout left out is read as a cell's line is (extract/ocr.py's ATTEMPTS), its symbols
# read with less confidence dropped (a speck read as a mark).
MISSED_SURE = 60.0
GLYPH_GAP = 3  # blank pixel rows inside a glyph at most (at 200 dpi: 1 pt; lines of print lie farther apart)
STACKED = 1.6  # a line this many times the usual lines' height may hold two lines of print


def scan_tables(image: PageImage, rules: PageContent, settings: PdfSettings) -> tuple[list[PlumberTable], list[PlumberTable]]:
    """The page's tables as page_layout finds them from its recognised text and image rules (the
    finder's settings: `settings`), and which of them are rebuilt without vertical rules."""
    page = PageContent(image.number, rules.width, rules.height, recognised_chars(image, rules.edges), list(rules.edges))
    tables, unruled, _ = page_layout(page, settings)
    return tables, unruled


def recognised_chars(image: PageImage, edges: list[dict]) -> list[dict]:
    """The page's text, recognised by Tesseract line by line (sparse-text layout, and the lines of
    print it left out: _missed), as chars in points: each symbol placed in its run of ink, its
    line's middle and font size its own. `edges`: the page's rules, in points."""
    api = engine("text", tesserocr.PSM.SPARSE_TEXT)
    # the ground made white: a heading's light fill, speckled and JPEG-compressed, was read as
    # letters beside its names (權 a 重 eFSE, seed 139 rough), and the names were lost
    ground = cv2.threshold(image.pixels, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)[0]
    api.SetImage(Image.fromarray(np.where(image.pixels > ground, 255, image.pixels).astype(np.uint8)))
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
    if lines:  # a "line" over two lines of print is left to _missed, which reads each apart
        em = median(bottom - top for _, top, _, bottom in (box for box, _ in lines))
        lines = [(box, symbols) for box, symbols in lines if not _stacked(ink, box, em)]
    lines += _missed(image, ink, edges, [box for box, _ in lines])
    placed = [_placed(ink, box, symbols) for box, symbols in lines]
    sizes = [size for _, size, cjk in placed if cjk]
    usual = median(sizes) if sizes else None
    chars = []
    for (runs, size, cjk), (box, _) in zip(placed, lines, strict=True):
        # digits and letters alone, a few blurred ideographs a little off, or a speck read as small
        # ideographs: the page's usual size (a heading's is larger)
        size = usual if usual is not None and (not cjk or size <= (1 + SAME_SIZE) * usual) else size
        middle = _middle(ink, box, runs)
        for text, x0, x1 in runs:
            chars.append(_char(text, x0 / image.scale, x1 / image.scale, (middle - size / 2) / image.scale,
                               (middle + size / 2) / image.scale, size / image.scale))
    return chars


def _stacked(ink: np.ndarray, box: tuple, em: float) -> bool:
    """Whether a line's box (pixels) holds two lines of print or more: taller than STACKED lines'
    usual height, its inked rows parted by a blank into runs as tall as half of that (Tesseract's
    sparse layout joined a plan's two wrapped lines into one, read as one line 30 pt tall)."""
    x0, top, x1, bottom = box
    if bottom - top < STACKED * em:
        return False
    rows = np.flatnonzero(ink[top:bottom, x0:x1].any(axis=1))
    if not len(rows):
        return False
    parts = np.split(rows, np.flatnonzero(np.diff(rows) > 1) + 1)
    return sum(part[-1] - part[0] + 1 >= 0.5 * em for part in parts) >= 2


def _missed(image: PageImage, ink: np.ndarray, edges: list[dict], boxes: list[tuple]) -> list[tuple[tuple, list[tuple[str, tuple]]]]:
    """Lines of print Tesseract's sparse layout left out (a plan's wrapped line, 坡預約式維護工程,
    seed 19: the gap it left ended the table there), each read as one line (extract/ocr.py's
    engine, modes and sizes for a cell's line): the ink outside the lines read and off the rules,
    joined across a glyph's inner gaps, in runs as tall as print and as wide as an ideograph."""
    if not boxes:
        return []
    em = float(median(bottom - top for _, top, _, bottom in boxes))
    left = ink.copy()
    for x0, top, x1, bottom in boxes:
        left[max(0, top - 2): bottom + 2, max(0, x0 - 2): x1 + 2] = False
    for e in edges:  # a rule's pixels, and a pixel or two either side
        x0, top, x1, bottom = (round(v * image.scale) for v in (e["x0"], e["top"], e["x1"], e["bottom"]))
        left[max(0, top - 3): bottom + 4, max(0, x0 - 3): x1 + 4] = False
    joined = cv2.morphologyEx(left.astype(np.uint8), cv2.MORPH_CLOSE,
                              cv2.getStructuringElement(cv2.MORPH_RECT, (max(3, round(0.6 * em)), max(1, round(0.15 * em)))))
    count, _, stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
    found = []
    for x, y, w, h in (tuple(int(v) for v in stats[i][:4]) for i in range(1, count)):
        if not (0.6 * em <= h <= 1.5 * em and w >= 0.8 * em):
            continue
        pixels = np.pad(image.pixels[max(0, y - 2): y + h + 2, max(0, x - 2): x + w + 2], MARGIN, constant_values=255)
        for psm, scale in ATTEMPTS:  # in turn, as a cell's line: a raw line reads what the layout finds no text in
            symbols = _recognised(cv2.resize(pixels, None, fx=scale, fy=scale, interpolation=cv2.INTER_CUBIC), "text", psm)[1]
            kept = [(symbol, tuple(round(v / scale) - MARGIN + offset for v, offset in zip(box, (x - 2, y - 2, x - 2, y - 2), strict=True)))
                    for symbol, confidence, box in symbols if confidence >= MISSED_SURE and symbol.strip()]
            if kept and any(CJK.fullmatch(symbol) or symbol.isalnum() for symbol, _ in kept):
                found.append(((x, y, x + w, y + h), kept))
                break
    return found


def _placed(ink: np.ndarray, box: tuple, symbols: list[tuple[str, tuple]]) -> tuple[list[tuple[str, float, float]], float, bool]:
    """A line's symbols, each with the columns (pixels) it takes in its run of ink; the line's font
    size in pixels (from its ideographs' ink height; its box's height without one) and whether it
    has an ideograph."""
    x0, top, x1, bottom = box
    band = ink[top:bottom, x0:x1]
    heights = [h for symbol, b in symbols if CJK.fullmatch(symbol) and (h := _ink_height(band, b[0] - x0, b[2] - x0))]
    size = median(heights) / IDEOGRAPH_INK if heights else float(bottom - top)
    runs = _runs(np.asarray(band.any(axis=0)), RUN_GAP * size)
    if not runs:
        return [], size, bool(heights)
    widths = [_advance(symbol) for symbol, _ in symbols]
    owner = _owners([(b[0] - x0, b[2] - x0) for _, b in symbols], widths, runs, size)
    placed = []
    for index, (r0, r1) in enumerate(runs):
        members = [(symbol, width) for (symbol, _), width, o in zip(symbols, widths, owner, strict=True) if o == index]
        at, scale = float(r0), (r1 - r0) / sum(w for _, w in members) if members else 0.0
        for symbol, width in members:
            placed.append((symbol, x0 + at, x0 + at + width * scale))
            at += width * scale
    return placed, size, bool(heights)


def _advance(symbol: str) -> float:
    """A symbol's width in font sizes, about (CJK fonts' ideographs and full-width marks 1, digits
    about half)."""
    if CJK.fullmatch(symbol) or not symbol.isascii():
        return 1.0
    return sum(ADVANCE.get(ch, 0.65 if ch.isupper() else 0.55) for ch in symbol)


def _owners(boxes: list[tuple[int, int]], widths: list[float], runs: list[tuple[int, int]], size: float) -> list[int]:
    """The run of ink each symbol lies on, in reading order: the split of the line's symbols into
    consecutive groups, one a run, whose widths (ADVANCE) best fit the runs' and whose boxes lie
    on them (Tesseract's boxes alone may put a symbol a glyph's width off: 年 of `110 年目標值` on
    the run of `110`). Dynamic programming over (runs, symbols)."""
    n, m = len(boxes), len(runs)
    ends = np.r_[0.0, np.cumsum(widths)] * size  # ends[i]: advance of the first i symbols, pixels
    centres = np.array([(a + z) / 2 for a, z in boxes])
    best = np.full(n + 1, np.inf)
    best[0] = 0.0
    choice = np.zeros((m, n + 1), dtype=int)
    first, last = np.meshgrid(np.arange(n + 1), np.arange(n + 1), indexing="ij")  # symbols first..last on a run
    advance = ends[last] - ends[first]
    for j, (r0, r1) in enumerate(runs):
        # off[i]: how far the centres of the first i symbols lie off this run, summed
        off = np.r_[0.0, np.cumsum(np.maximum(0, np.maximum(r0 - centres, centres - r1)))]
        fit = np.where(last > first, np.abs((r1 - r0) - np.maximum(0, advance - BEARINGS * size)), r1 - r0)
        cost = np.where(last >= first, best[:, None] + (fit + BOXES * (off[last] - off[first])) / size, np.inf)
        choice[j] = cost.argmin(axis=0)
        best = cost.min(axis=0)
    owner, end = [0] * n, n
    for j in range(m - 1, -1, -1):
        start = int(choice[j][end])
        owner[start:end] = [j] * (end - start)
        end = start
    return owner


def _ink_height(band: np.ndarray, a: int, z: int) -> int:
    """The height of the ink in the band's columns a..z: its tallest run of inked rows, blanks of a
    few rows inside a glyph closed (a line's box may take in a part of the line above or below)."""
    rows = np.flatnonzero(band[:, max(0, a): max(0, z)].any(axis=1))
    if not len(rows):
        return 0
    parts = np.split(rows, np.flatnonzero(np.diff(rows) > GLYPH_GAP) + 1)
    return int(max(part[-1] - part[0] + 1 for part in parts))


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

