"""PDF pages read by PDFium (pypdfium2): chars with their boxes and the ruling edges of tables, as
the plain dicts pdfplumber's table geometry takes (extract/page.py's PageContent).

PDFium, the PDF engine of Chromium, parses content streams in C; here it only hands over what the
page prints. A char is one char of PDFium's text page (not the line breaks and spaces it infers,
see _with_word_spaces): its advance across, one em of its font size from baseline up and down,
text U+FFFD where the PDF names no Unicode value for the glyph. Edges come from the page's painted paths, form XObjects included: each straight
axis-parallel segment of a path is an edge, as pdfminer and pdfplumber make edges of lines and
rectangles.
"""
from __future__ import annotations

import ctypes
import math
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as raw

from kpi_scorecard.extract.blocks import UNMAPPED
from kpi_scorecard.extract.page import PageContent

Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
SOFT_HYPHEN_MARK = 0x02
GENERATED = frozenset((0x20, 0x0D, 0x0A, SOFT_HYPHEN_MARK))  # what PDFium's text page may add
ASCENT = 0.88  # of the font size above the baseline, the rest below: a CJK font's em box
STRAIGHT = 0.01  # a segment this far from axis-parallel, in points, is still a ruling line


def open_document(path: Path, password: str | None = None) -> pdfium.PdfDocument:
    """The document, as PDFium opens it (errors as pypdfium2.PdfiumError)."""
    return pdfium.PdfDocument(str(path), password=password or None)


def page_content(document: pdfium.PdfDocument, number: int) -> PageContent | None:
    """Page `number` (1-based): its chars and edges in pdfplumber's coordinates (top-down, from
    the MediaBox's top-left corner). None when the page prints text in a font the PDF does not
    embed: PDFium then drops the chars it finds no glyph for in the font it substitutes (16 of
    1,067 on a report page, 旅 and 次 among them), where pdfminer reads them from the ToUnicode map."""
    page = document[number - 1]
    try:
        paths = _paths(_address(page.raw), {})
        if paths is None:
            return None
        left, bottom, right, top = page.get_mediabox()
        to_page = (1.0, 0.0, 0.0, -1.0, -left, top)  # PDF space → pdfplumber's top-down space
        textpage = page.get_textpage()
        try:
            chars = _chars(textpage.raw, to_page)
        finally:
            textpage.close()
        edges = [edge for obj, matrix in paths if _painted(obj) for edge in _path_edges(obj, matrix, to_page)]
    finally:
        page.close()
    return PageContent(number, right - left, top - bottom, chars, edges)


def _unchecked(function, restype):
    """The same PDFium function, called with its arguments as they are: ctypes' checks of
    pypdfium2's declared argument types cost as much as the call itself, and a report's chars
    make a quarter of a million calls. Arguments must then be of the C types: pointers as
    c_void_p, out-parameters by byref."""
    fast = type(function)(ctypes.cast(function, ctypes.c_void_p).value)  # the same calling convention
    fast.restype = restype
    return fast


def _address(pointer) -> ctypes.c_void_p:
    """A pypdfium2 handle as the plain pointer an _unchecked function takes."""
    return ctypes.c_void_p(ctypes.cast(pointer, ctypes.c_void_p).value)


_LOOSE_BOX, _MATRIX, _ORIGIN = (_unchecked(f, ctypes.c_int) for f in (
    raw.FPDFText_GetLooseCharBox, raw.FPDFText_GetMatrix, raw.FPDFText_GetCharOrigin))
_FONT_SIZE = _unchecked(raw.FPDFText_GetFontSize, ctypes.c_double)
_MAP_ERROR = _unchecked(raw.FPDFText_HasUnicodeMapError, ctypes.c_int)


class _Handle(ctypes.c_void_p):
    """A PDFium handle as an _unchecked function returns it when this is its restype: a pointer
    passed on as it is (a plain c_void_p restype gives an int, to be wrapped again)."""


_SEGMENT, _OBJECT, _FORM_OBJECT = (_unchecked(f, _Handle) for f in (
    raw.FPDFPath_GetPathSegment, raw.FPDFPage_GetObject, raw.FPDFFormObj_GetObject))
_POINT, _SEGMENT_TYPE, _SEGMENT_CLOSES = (_unchecked(f, ctypes.c_int) for f in (
    raw.FPDFPathSegment_GetPoint, raw.FPDFPathSegment_GetType, raw.FPDFPathSegment_GetClose))
_GENERATED, _COUNT_SEGMENTS, _DRAW_MODE, _OBJECT_MATRIX, _OBJECT_TYPE, _IS_EMBEDDED = (
    _unchecked(f, ctypes.c_int) for f in (raw.FPDFText_IsGenerated, raw.FPDFPath_CountSegments, raw.FPDFPath_GetDrawMode,
                                          raw.FPDFPageObj_GetMatrix, raw.FPDFPageObj_GetType, raw.FPDFFont_GetIsEmbedded))
_COUNT_OBJECTS, _COUNT_FORM_OBJECTS = (_unchecked(f, ctypes.c_int) for f in (
    raw.FPDFPage_CountObjects, raw.FPDFFormObj_CountObjects))
_TEXT, _PATH, _FORM = raw.FPDF_PAGEOBJ_TEXT, raw.FPDF_PAGEOBJ_PATH, raw.FPDF_PAGEOBJ_FORM
_FONT = _unchecked(raw.FPDFTextObj_GetFont, ctypes.c_void_p)  # an int: fonts are told apart by it


def _chars(textpage, to_page: Matrix) -> list[dict]:
    box, matrix, origin_x, origin_y = raw.FS_RECTF(), raw.FS_MATRIX(), ctypes.c_double(), ctypes.c_double()
    page = _address(textpage)
    box_out, matrix_out, x_out, y_out = (ctypes.byref(o) for o in (box, matrix, origin_x, origin_y))
    chars: list[dict] = []
    spaces: dict[int, tuple[float, float]] = {}  # a char's index → where PDFium's space after it starts, a space's width
    append, hypot, dx, dy, descent = chars.append, math.hypot, to_page[4], to_page[5], 1 - ASCENT
    loose_box, char_matrix, char_origin, font_size, map_error = _LOOSE_BOX, _MATRIX, _ORIGIN, _FONT_SIZE, _MAP_ERROR  # a quarter million calls: local names
    generated_before = False
    for index, code in enumerate(_codes(textpage)):
        # PDFium generates spaces and line breaks only: other chars need not be asked
        if code in GENERATED and _GENERATED(page, index):
            if code == 0x20 and chars and not generated_before:
                loose_box(page, index, box_out)
                spaces[len(chars) - 1] = (box.left + dx, _space_width(textpage, index - 1, chars[-1]["size"]))
            generated_before = True
            continue
        generated_before = False
        if code == SOFT_HYPHEN_MARK:  # PDFium's code for a '-' it takes to hyphenate a line's end
            code = ord("-")
        text = UNMAPPED if map_error(page, index) == 1 else chr(code)
        loose_box(page, index, box_out)
        char_matrix(page, index, matrix_out)
        char_origin(page, index, x_out, y_out)
        size = font_size(page, index) * hypot(matrix.c, matrix.d)
        baseline = dy - origin_y.value
        # every char of a size as tall as every other: the glyph's own box would set (A) apart from 營造
        y0, y1 = baseline - ASCENT * size, baseline + descent * size
        x0, x1 = box.left + dx, box.right + dx
        append({
            "object_type": "char", "text": text, "x0": x0, "x1": x1, "top": y0, "bottom": y1,
            "width": x1 - x0, "height": y1 - y0, "size": size, "upright": True, "doctop": y0,
        })
    return _with_word_spaces(chars, spaces)


def _codes(textpage) -> list[int]:
    """The Unicode value of every char of the text page, as FPDFText_GetUnicode gives it: in one
    call for the page, or one call per char where a char lies outside the BMP (UTF-16 then holds
    more units than chars). The page's text writes PDFium's hyphen mark as U+FFFE."""
    count = raw.FPDFText_CountChars(textpage)
    buffer = (ctypes.c_ushort * (2 * count + 1))()  # room for surrogate pairs, whatever PDFium writes
    written = raw.FPDFText_GetText(textpage, 0, count, buffer)
    units = buffer[:max(written - 1, 0)]  # less the terminating NUL
    if len(units) == count and not any(0xD800 <= unit < 0xE000 for unit in units):
        return [SOFT_HYPHEN_MARK if unit == 0xFFFE else unit for unit in units]
    return [raw.FPDFText_GetUnicode(textpage, index) for index in range(count)]


def _with_word_spaces(chars: list[dict], spaces: dict[int, tuple[float, float]]) -> list[dict]:
    """chars with a space char where the PDF prints one that PDFium's text page dropped; `spaces`:
    the chars PDFium put a space after (by index), where it starts and a space's width in the font.

    For a printed space glyph PDFium's text page may put a generated space of its own, past the end
    of the char before (Chromium's "CC1.1.1 1.臺北") or at it; it also puts one where it only sees a
    gap between words (LibreOffice's 2 pt between 13 and 人, or a gap between two cells), always at
    that end. A generated space is a printed one when it lies past that end or its gap is the
    width of a space of the font; pdfplumber's chars hold only the printed ones."""
    out, start = [], 0
    for index, (at, space) in spaces.items():  # in the chars' order
        out += chars[start:index + 1]
        start = index + 1
        char = chars[index]
        if start == len(chars) or abs((nxt := chars[start])["bottom"] - char["bottom"]) >= 0.5:
            continue
        if at > char["x1"] + 0.3 or nxt["x0"] - char["x1"] >= 0.9 * space:
            out.append({**char, "text": " ", "x0": char["x1"], "x1": nxt["x0"], "width": nxt["x0"] - char["x1"]})
    out += chars[start:]
    return out


def _space_width(textpage, index: int, size: float) -> float:
    """The width of a space in the font of char `index`, at its size; a quarter em where the font
    names none of a word space's width (a CJK subset may hold no space, or a full-width one)."""
    obj = raw.FPDFText_GetTextObject(textpage, index)
    font_size, width = ctypes.c_float(), ctypes.c_float()
    if obj and raw.FPDFTextObj_GetFontSize(obj, font_size) and font_size.value and \
            raw.FPDFFont_GetGlyphWidth(raw.FPDFTextObj_GetFont(obj), 0x20, font_size.value, width):
        space = width.value * size / font_size.value
        if 0.1 * size <= space <= 0.5 * size:
            return space
    return 0.25 * size


def _paths(container: ctypes.c_void_p, embedded: dict, matrix: Matrix = IDENTITY, in_form: bool = False) -> list[tuple[ctypes.c_void_p, Matrix]] | None:
    """(path object, its matrix to PDF space) of every path a page or form XObject holds, form
    XObjects' own included, in the page's order; None where a text object's font is not embedded
    (`embedded`: font → whether it is, asked once per font). In one pass over the objects: a page
    holds some 400, most of them text. Objects are pointers (_Handle), for the _unchecked
    functions."""
    m = raw.FS_MATRIX()
    m_out = ctypes.byref(m)
    paths: list[tuple[ctypes.c_void_p, Matrix]] = []
    count = _COUNT_FORM_OBJECTS(container) if in_form else _COUNT_OBJECTS(container)
    for index in range(count):
        # FPDFFormObj_GetObject's index is an unsigned long, FPDFPage_GetObject's an int
        obj = _FORM_OBJECT(container, ctypes.c_ulong(index)) if in_form else _OBJECT(container, index)
        kind = _OBJECT_TYPE(obj)
        if kind == _TEXT:
            font = _FONT(obj)
            if font not in embedded:
                embedded[font] = _IS_EMBEDDED(ctypes.c_void_p(font))
            if not embedded[font]:
                return None
        elif kind == _PATH or kind == _FORM:
            _OBJECT_MATRIX(obj, m_out)
            combined = _multiply((m.a, m.b, m.c, m.d, m.e, m.f), matrix)
            if kind == _PATH:
                paths.append((obj, combined))
            elif (inner := _paths(obj, embedded, combined, in_form=True)) is None:
                return None
            else:
                paths += inner
    return paths


def _painted(path: ctypes.c_void_p) -> bool:
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    _DRAW_MODE(path, ctypes.byref(fill), ctypes.byref(stroke))
    return bool(fill.value or stroke.value)


def _path_edges(path: ctypes.c_void_p, matrix: Matrix, to_page: Matrix) -> list[dict]:
    """Edges of a path's straight, axis-parallel segments (a closed subpath's closing one too)."""
    x, y = ctypes.c_float(), ctypes.c_float()
    x_out, y_out = ctypes.byref(x), ctypes.byref(y)
    transform = _multiply(matrix, to_page)
    segment_at, point_of, kind_of, closes = _SEGMENT, _POINT, _SEGMENT_TYPE, _SEGMENT_CLOSES  # a call each per segment: local names
    edges, start, previous = [], None, None
    for index in range(_COUNT_SEGMENTS(path)):
        segment = segment_at(path, index)
        point_of(segment, x_out, y_out)
        point = _apply(transform, x.value, y.value)
        kind = kind_of(segment)
        if kind == raw.FPDF_SEGMENT_MOVETO:
            start = point
        elif kind == raw.FPDF_SEGMENT_LINETO and previous is not None:
            edges += _edge(previous, point)
        if closes(segment) and start is not None:
            edges += _edge(point, start)
        previous = point
    return edges


def _edge(a: tuple[float, float], b: tuple[float, float]) -> list[dict]:
    (ax, ay), (bx, by) = a, b
    x0, x1 = (ax, bx) if ax <= bx else (bx, ax)  # as sorted() orders them, without its call
    top, bottom = (ay, by) if ay <= by else (by, ay)
    if bottom - top <= STRAIGHT:
        orientation = "h"
    elif x1 - x0 <= STRAIGHT:
        orientation = "v"
    else:
        return []  # a slanted stroke rules no table
    return [{"object_type": "line", "orientation": orientation, "x0": x0, "x1": x1, "top": top, "bottom": bottom,
             "width": x1 - x0, "height": bottom - top, "doctop": top}]


def _multiply(m: Matrix, n: Matrix) -> Matrix:
    """m then n, as PDF matrices compose (row vectors)."""
    a, b, c, d, e, f = m
    p, q, r, s, t, u = n
    return (a * p + b * r, a * q + b * s, c * p + d * r, c * q + d * s, e * p + f * r + t, e * q + f * s + u)


def _apply(m: Matrix, x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = m
    return a * x + c * y + e, b * x + d * y + f
