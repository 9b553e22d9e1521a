"""A page image → its table rules and cells: deskew, line detection, the table geometry.

The page is rendered by PDFium (whatever the PDF holds: a scan's image, or a text page read with
--ocr). Table rules are found as camelot's lattice finds them: an adaptive threshold, then OpenCV's
erosion and dilation with long thin kernels keep only the horizontal and the vertical strokes. Each
stroke becomes an edge in PDF points, so pdfplumber's table finder builds the cells (merged ones
included) exactly as it does from a PDF's drawn rules.
"""
from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
import pypdfium2 as pdfium

from kpi_scorecard.extract.page import PageContent

cv2.setNumThreads(1)  # pages are read in parallel by processes (--jobs), not by OpenCV's threads
MAX_SKEW = 2.0  # degrees searched either way; a scanned page is put straight before anything is read
SKEW_STEP = 0.05
# A cell's crop is searched this far (points) in from each edge for a rule's remnant (the table
# finder's snap tolerance, 3 pt); a remnant is darker than the cell's ground by RULE_CONTRAST over
# RULED of its length.
RULE_REACH = 3.5
RULE_CONTRAST = 40
RULED = 0.9
# A dark fill: the median of a window wider than a stroke (21 px at 200 dpi, 2.7 pt) darker than DARK.
FILL_WINDOW = 21
DARK = 128
# Inside it, ink is what differs from it by more than this: seed 276's black rules on its 53-grey
# heading fill, blurred, speckled and JPEG-compressed, differ by 20–50 (25 lost some); noise alone
# never runs a rule's length.
FILL_CONTRAST = 15


@dataclass
class PageImage:
    """A rendered page, deskewed: grayscale pixels and their size in PDF points per pixel."""

    number: int
    pixels: np.ndarray  # uint8, 0 black .. 255 white
    scale: float  # pixels per PDF point
    skew: float  # degrees the page was turned back by

    @property
    def size(self) -> tuple[float, float]:
        height, width = self.pixels.shape
        return width / self.scale, height / self.scale


def render_page(document: pdfium.PdfDocument, number: int, dpi: int) -> PageImage:
    """Page `number` (1-based) in gray at `dpi`, deskewed."""
    page = document[number - 1]
    try:
        image = page.render(scale=dpi / 72, grayscale=True).to_numpy()
    finally:
        page.close()
    if image.ndim == 3:
        image = image[:, :, 0]
    angle = skew_angle(image)
    if abs(angle) >= SKEW_STEP:
        image = rotate(image, angle)
    return PageImage(number, np.ascontiguousarray(image), dpi / 72, angle)


def ink(gray: np.ndarray) -> np.ndarray:
    """Dark strokes as 255 on 0, by a local threshold (camelot's adaptive threshold), so that a
    grey or noisy scan keeps its thin rules."""
    return cv2.adaptiveThreshold(255 - gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY, 15, -2)


def skew_angle(gray: np.ndarray) -> float:
    """The page's tilt in degrees: the angle at which its dark pixels' rows line up best (the
    rows' ink sums are most uneven), searched on a half-size image."""
    small = cv2.resize(ink(gray), None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)
    height, width = small.shape
    centre = (width / 2, height / 2)
    best, best_score = 0.0, -1.0
    for angle in np.arange(-MAX_SKEW, MAX_SKEW + SKEW_STEP / 2, SKEW_STEP):
        turned = cv2.warpAffine(small, cv2.getRotationMatrix2D(centre, float(angle), 1.0), (width, height))
        rows = turned.sum(axis=1, dtype=np.float64)
        score = float(np.square(np.diff(rows)).sum())
        if score > best_score:
            best, best_score = float(angle), score
    return round(best, 2)


def rotate(gray: np.ndarray, angle: float) -> np.ndarray:
    height, width = gray.shape
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), angle, 1.0)
    return cv2.warpAffine(gray, matrix, (width, height), flags=cv2.INTER_LINEAR, borderValue=255)


def strokes(gray: np.ndarray) -> np.ndarray:
    """ink(), but inside a dark fill (a heading row printed light on dark) the pixels that differ
    from the fill: around light text the local threshold takes the fill between the strokes for
    ink, in strips as long as a rule; a rule drawn on the fill, darker or lighter, differs from it
    all along. The fill's edge keeps ink()'s band (its own rule)."""
    marked = ink(gray)
    fill = cv2.medianBlur(gray, FILL_WINDOW)
    inside = cv2.erode((fill < DARK).astype(np.uint8), np.ones((FILL_WINDOW, FILL_WINDOW), np.uint8)) > 0
    if inside.any():
        marked[inside] = np.where(cv2.absdiff(gray, fill)[inside] > FILL_CONTRAST, 255, 0)
    return marked


def ruling_edges(image: PageImage, min_length: float = 14.0) -> list[dict]:
    """The page's horizontal and vertical rules at least `min_length` points long (longer than a
    character's stroke), as pdfplumber edges in points."""
    lines_ink = strokes(image.pixels)
    length = max(3, int(min_length * image.scale))
    edges = []
    for orientation, kernel in (("h", (length, 1)), ("v", (1, length))):
        element = cv2.getStructuringElement(cv2.MORPH_RECT, kernel)
        lines = cv2.dilate(cv2.erode(lines_ink, element), element)
        contours, _ = cv2.findContours(lines, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
        for contour in contours:
            x, y, w, h = (v / image.scale for v in cv2.boundingRect(contour))
            if orientation == "h":
                mid = y + h / 2
                edges.append(_edge("h", x, mid, x + w, mid))
            else:
                mid = x + w / 2
                edges.append(_edge("v", mid, y, mid, y + h))
    return edges


def _edge(orientation: str, x0: float, top: float, x1: float, bottom: float) -> dict:
    return {"object_type": "line", "orientation": orientation, "x0": x0, "x1": x1, "top": top, "bottom": bottom,
            "width": x1 - x0, "height": bottom - top}


def page_rules(image: PageImage) -> PageContent:
    """The page as the table geometry takes it: rules, no chars (the text is recognised per cell)."""
    width, height = image.size
    return PageContent(image.number, width, height, [], closed(ruling_edges(image)))


def closed(edges: list[dict], tolerance: float = 2.0) -> list[dict]:
    """The edges, and a rule across the ends of column rules that end together where no rule
    crosses them: a table cut by the page's foot (or begun at its head) is printed without the
    rule that would close its row there (Chromium), and the table finder makes no cell of a row
    left open."""
    across = [e for e in edges if e["orientation"] == "h"]
    columns = [e for e in edges if e["orientation"] == "v"]
    added: list[dict] = []
    for end in ("top", "bottom"):
        open_ends = [v for v in columns if not any(
            abs(h["top"] - v[end]) <= tolerance and h["x0"] - tolerance <= v["x0"] <= h["x1"] + tolerance for h in across)]
        for y in sorted({round(v[end]) for v in open_ends}):
            together = [v for v in open_ends if abs(v[end] - y) <= tolerance]
            if len(together) >= 2:
                at = float(np.median([v[end] for v in together]))
                x0, x1 = min(v["x0"] for v in together), max(v["x0"] for v in together)
                if not any(abs(e["top"] - at) <= tolerance and e["x0"] <= x0 + tolerance and e["x1"] >= x1 - tolerance for e in added):
                    added.append(_edge("h", x0, at, x1, at))
    return edges + added


def crop(image: PageImage, bbox: tuple[float, float, float, float], inset: float = 1.2) -> np.ndarray:
    """The pixels inside bbox (points), `inset` points in from its rules."""
    x0, top, x1, bottom = (round(v * image.scale) for v in bbox)
    pad = round(inset * image.scale)
    pixels = image.pixels[max(0, top + pad): max(0, bottom - pad), max(0, x0 + pad): max(0, x1 - pad)]
    if pixels.size and np.median(pixels) < DARK:
        pixels = _dark_on_light(pixels)
    return _without_rules(pixels, round(RULE_REACH * image.scale))


def _dark_on_light(pixels: np.ndarray) -> np.ndarray:
    """A cell printed light on a dark fill, as Tesseract reads best: turned over, the fill made
    white (its level stretched to 255) and the text dark."""
    turned = 255 - pixels.astype(np.float32)
    return np.clip(turned * (255 / max(1.0, float(np.median(turned)))), 0, 255).astype(np.uint8)


def _without_rules(pixels: np.ndarray, reach: int) -> np.ndarray:
    """A cell's pixels with the rule remnants at its edges cut off: the table finder snaps rules of
    tables one over another to one position (LibreOffice draws each table's columns a little
    apart), so a cell's box may lie up to its snap tolerance off the rule drawn. A column or row
    within `reach` of an edge that is darker than the cell's ground over nearly all its length is
    a rule (text never inks a whole column or row of a cell): what lies outside it is cut off."""
    if pixels.size == 0:
        return pixels
    dark = pixels < float(np.median(pixels)) - RULE_CONTRAST
    height, width = pixels.shape
    columns, rows = dark.mean(axis=0) >= RULED, dark.mean(axis=1) >= RULED
    left = max((i + 1 for i in range(min(reach, width)) if columns[i]), default=0)
    right = min((width - 1 - i for i in range(min(reach, width)) if columns[width - 1 - i]), default=width)
    top = max((i + 1 for i in range(min(reach, height)) if rows[i]), default=0)
    bottom = min((height - 1 - i for i in range(min(reach, height)) if rows[height - 1 - i]), default=height)
    return pixels[top:max(top, bottom), left:max(left, right)]
