"""PDF → blocks: ruled tables and the text lines between them, page by page, with bboxes.

PDFium reads each page's chars and ruling edges (extract/pdfium.py); pdfplumber finds the tables in
them. pdfminer (through pdfplumber) opens the file first, for the errors a damaged, truncated or
encrypted file gets (the same words whichever reader runs) and to check each page's compressed
content (extract/damage.py); PdfSettings(reader="pdfminer") reads the pages with it as well, to
compare the two readers.
"""
from __future__ import annotations

import logging
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack, closing, contextmanager
from functools import cache, partial
from itertools import accumulate
from operator import itemgetter
from pathlib import Path

import pdfplumber
import pypdfium2 as pdfium
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.psexceptions import PSException
from pdfplumber.table import Table as PlumberTable
from pdfplumber.utils.exceptions import MalformedPDFException, PdfminerException

from kpi_scorecard.extract.blocks import UNMAPPED, Block, Table, TextLine
from kpi_scorecard.extract.cells import table_to_rows
from kpi_scorecard.extract.continued import PageRead, begins_with_lines, continue_tables, has_header_words, may_be_open, may_go_on, open_header
from kpi_scorecard.extract.damage import has_damaged_content
from kpi_scorecard.extract.errors import DamagedPdf, EncryptedPdf, InputError, NotAPdf, NoTextLayer
from kpi_scorecard.extract.insets import through_merged, uncovered
from kpi_scorecard.extract.page import PageContent, find_tables, text_lines
from kpi_scorecard.extract.parallel import MIN_PAGES, read_pages, start_early
from kpi_scorecard.extract.pdfium import open_document, page_content
from kpi_scorecard.extract.settings import PdfSettings
from kpi_scorecard.extract.unruled import header_cuts, header_only, holds_header, page_headers, unruled_tables

# pdfminer logs every font quirk it survives (e.g. "Could not get FontBBox"); those are not ours to report.
logging.getLogger("pdfminer").setLevel(logging.ERROR)


@contextmanager
def open_pdf(path: Path, password: str | None = None) -> Iterator[pdfplumber.PDF]:
    """Open a PDF, turning pdfminer's parse errors into named input errors."""
    if path.stat().st_size == 0:
        raise NotAPdf(path, "file is empty")
    if not has_eof_marker(path):
        raise DamagedPdf(path, "PDF is truncated (no %%EOF at its end); copy or download it again")
    try:
        pdf = pdfplumber.open(path, password=password or "")
    except (PdfminerException, PSException) as e:
        raise parse_error_to_input_error(path, e, password) from None
    try:
        len(pdf.pages)  # forces parsing of the page tree, where damaged files fail
    except (PdfminerException, PSException, MalformedPDFException, TypeError, KeyError, ValueError, IndexError, AttributeError) as e:
        # the built-in errors: a page dict without the entries pdfplumber reads (MediaBox …);
        # pdf.close() would walk the same pages, so only the file is closed
        pdf.stream.close()
        raise parse_error_to_input_error(path, e, password) from None
    try:
        yield pdf
    finally:
        pdf.close()


def has_eof_marker(path: Path) -> bool:
    """Whether the file ends the way every complete PDF does: %%EOF within its last 1 KiB."""
    with path.open("rb") as f:
        f.seek(max(0, path.stat().st_size - 1024))
        return b"%%EOF" in f.read()


def parse_error_to_input_error(path: Path, error: Exception, password: str | None, page: int | None = None) -> InputError:
    """pdfminer's exception (pdfplumber wraps it as its first argument) → a named input error."""
    cause = error.args[0] if isinstance(error, PdfminerException) and error.args else error
    if isinstance(cause, PDFPasswordIncorrect):
        return EncryptedPdf(path, "wrong password for this encrypted PDF" if password else "PDF is encrypted; pass the password with --password")
    detail = " ".join(str(cause).split())[:80]
    if isinstance(cause, PDFEncryptionError):
        return EncryptedPdf(path, f"PDF encryption not supported ({detail})")
    where = f"page {page}: " if page else ""
    kind = type(cause).__name__ if isinstance(cause, Exception) else "error"
    return DamagedPdf(path, f"PDF is damaged ({where}{kind}{': ' + detail if detail else ''})")


def page_count(path: Path, password: str | None = None) -> int:
    """The PDF's number of pages, by PDFium; a file it cannot open gets pdfminer's named error."""
    try:
        document = open_document(path, password)
    except pdfium.PdfiumError:
        with open_pdf(path, password) as pdf:
            return len(pdf.pages)
    try:
        return len(document)
    finally:
        document.close()


def pdf_to_blocks(
    path: Path,
    settings: PdfSettings = PdfSettings(),
    pages: Iterable[int] | None = None,
    on_page: Callable[[int], None] | None = None,
) -> list[Block]:
    """Read the given 1-based pages (all by default) into blocks in reading order, by this process
    and settings.workers - 1 helper processes. `on_page(n)` is called after each page (progress
    reporting)."""
    with PdfPages(path, settings) as document:
        numbers = _numbers(document.total, pages)
        in_helper = partial(_read_in_helper, path, _stamp(path), settings)
        # a page recognised costs seconds: helpers pay from the second page on
        min_pages = 2 if settings.ocr == "always" else MIN_PAGES
        first = read_pages(numbers, document.read, in_helper, settings.workers, on_page, min_pages)
        # a table whose heading row is printed once goes on over pages that no header starts
        read = continue_tables(first, numbers, document.content, partial(page_to_blocks, settings=settings), settings.unruled)
    if numbers and not any(has_text for _, has_text in read):
        if settings.ocr != "never" and (missing := ocr_missing()):
            raise NoTextLayer(path, f"PDF has no text layer (scanned?) and OCR is not installed ({missing}): "
                                    f"{OCR_INSTALL}; or run OCR first, e.g. ocrmypdf")
        raise NoTextLayer(path, "PDF has no text layer (scanned?); run OCR first, e.g. ocrmypdf")
    return [block for blocks, _ in read for block in blocks]


def read_early(path: Path, settings: PdfSettings, pages: Iterable[int] | None = None) -> None:
    """Hand the pages pdf_to_blocks will read to the helpers now, from the last page back, so that
    they read while this process prepares (the warehouse opens): pdf_to_blocks takes up their queue."""
    numbers = _numbers(page_count(path, settings.password), pages)
    if len(numbers) >= MIN_PAGES:
        start_early(numbers, partial(_read_in_helper, path, _stamp(path), settings), settings.workers)


def _numbers(total: int, pages: Iterable[int] | None) -> list[int]:
    return [n for n in pages if 1 <= n <= total] if pages is not None else list(range(1, total + 1))


class PdfPages:
    """An open PDF (pdfminer for its errors and damage check, PDFium to read by default), read a
    page at a time: (the page's blocks, whether it has any text)."""

    def __init__(self, path: Path, settings: PdfSettings):
        self.path, self.settings = path, settings
        with ExitStack() as opened:  # what opened is closed again if PDFium then fails
            self.pdf = opened.enter_context(open_pdf(path, settings.password))
            self.total = len(self.pdf.pages)
            self.pdfium = opened.enter_context(closing(_pdfium(path, settings.password))) if settings.reader == "pdfium" else None
            self._open = opened.pop_all()
        self._last: tuple[int, PageContent, list[Block], bool] | None = None  # the page read last, kept for open_header

    def read(self, number: int) -> PageRead:
        page = self.pdf.pages[number - 1]
        if has_damaged_content(page):
            raise DamagedPdf(self.path, f"PDF is damaged (page {number}: its content stream is corrupted); copy or download it again")
        ocr = self.settings.ocr
        if ocr == "always":
            page.close()
            return self.recognise(number)
        content = _read(self.path, self.pdfium, page, number, self.settings.password)
        page.close()  # drops pdfplumber's per-page caches: memory stays flat on long reports
        if not content.chars and ocr == "auto" and not ocr_missing():
            return self.recognise(number)
        blocks = page_to_blocks(content, number, self.settings)
        words = has_header_words(content.chars, self.settings.unruled)
        headers = self._headers_at_hand(number, content, blocks, words)
        self._last = (number, content, blocks, words)
        return PageRead(blocks, bool(content.chars), words, headers)

    def _headers_at_hand(self, number: int, content: PageContent, blocks: list[Block], words: bool) -> dict:
        """The open header (extract/continued.py) of this page or of the one read before, where that
        is the page before it or after it and the later of the two begins with lines: what
        continue_tables would read the page again for (this process reads pages in turn, a helper
        from the last back)."""
        if self._last is None:
            return {}
        last, last_content, last_blocks, last_words = self._last
        if last == number - 1 and begins_with_lines(blocks) and may_be_open(last_blocks, last_words):
            return {last: open_header(last_content, last_blocks, self.settings.unruled) if may_go_on(last_content, blocks) else None}
        if last == number + 1 and begins_with_lines(last_blocks) and may_be_open(blocks, words):
            return {number: open_header(content, blocks, self.settings.unruled) if may_go_on(content, last_blocks) else None}
        return {}

    def content(self, number: int) -> PageContent:
        """The page's chars and edges, read again (extract/continued.py)."""
        return _read(self.path, self.pdfium, self.pdf.pages[number - 1], number, self.settings.password)

    def recognise(self, number: int) -> PageRead:
        """The page read from its image by Tesseract (extract/ocr.py)."""
        from kpi_scorecard.extract.ocr import scan_to_blocks

        if self.pdfium is None:  # the pdfminer reader: PDFium still renders the page
            self.pdfium = self._open.enter_context(closing(_pdfium(self.path, self.settings.password)))
        blocks = scan_to_blocks(self.pdfium, number, self.settings.ocr_dpi, self.settings.unruled)
        self._last = None
        return PageRead(blocks, bool(blocks), True, {})  # its text is not the chars continued.py reads again

    def close(self) -> None:
        self._open.close()

    def __enter__(self) -> PdfPages:
        return self

    def __exit__(self, *_) -> None:
        self.close()


OCR_INSTALL = "pip install 'kpi-scorecard[ocr]' and Debian's tesseract-ocr tesseract-ocr-chi-tra"


@cache
def ocr_missing() -> str | None:
    """What keeps Tesseract from reading pages here (None: nothing): the [ocr] extra's packages
    (tesserocr, opencv-python-headless, rapidocr, onnxruntime, opencc) or Tesseract's Chinese data."""
    try:
        from kpi_scorecard.extract.ocr import engine
        from kpi_scorecard.extract.ppocr import engine as second_engine

        second_engine()
    except ImportError as e:
        return f"no module {e.name}"
    try:
        engine("text")
    except RuntimeError as e:
        return str(e)
    return None


_helper_document: list[tuple[tuple, PdfPages]] = []  # in a helper process: the document it reads pages of


def _read_in_helper(path: Path, stamp: tuple[int, int], settings: PdfSettings, number: int) -> PageRead:
    """PdfPages.read in a helper process, which keeps the document open for its next page (the
    same file: same path, size and modification time, read with the same settings)."""
    if not _helper_document or _helper_document[0][0] != (path, stamp, settings):
        while _helper_document:
            _helper_document.pop()[1].close()
        _helper_document.append(((path, stamp, settings), PdfPages(path, settings)))
    return _helper_document[0][1].read(number)


def _stamp(path: Path) -> tuple[int, int]:
    stat = path.stat()
    return stat.st_size, stat.st_mtime_ns


def _pdfium(path: Path, password: str | None) -> pdfium.PdfDocument:
    try:
        return open_document(path, password)
    except pdfium.PdfiumError as e:  # pdfminer opened it: what PDFium cannot read is damage
        raise DamagedPdf(path, f"PDF is damaged ({' '.join(str(e).split())[:80]})") from None


def _read(path: Path, document: pdfium.PdfDocument | None, page: pdfplumber.page.Page, number: int,
          password: str | None) -> PageContent:
    """The page's chars and edges, by PDFium; by pdfminer without a PDFium document or where
    PDFium cannot read all of the page's text (fonts not embedded)."""
    if document is not None and (content := page_content(document, number)) is not None:
        return content
    try:
        chars = page.chars
    except (PdfminerException, PSException) as e:
        raise parse_error_to_input_error(path, e, password, number) from None
    for char in chars:
        if char["text"].startswith("(cid:"):  # pdfminer's name for a glyph without a Unicode value
            char["text"] = UNMAPPED
    return PageContent(number, page.width, page.height, chars, page.edges)


def page_to_blocks(page: PageContent, number: int, settings: PdfSettings) -> list[Block]:
    """One page: its tables (ruled, or rebuilt where a header is printed without vertical rules)
    and the text lines outside them, sorted top to bottom."""
    tables, unruled, lines = page_layout(page, settings)
    chars, v_mids = page.by_middle()
    placed: list[tuple[float, Block]] = [
        (t.bbox[1], Table(rows=table_to_rows(t, chars, v_mids, inferred=t in unruled), page=number,
                          bbox=(t.bbox[0], t.bbox[1], t.bbox[2], t.bbox[3]))) for t in tables
    ]
    for line in lines:
        bbox = (line["x0"], line["top"], line["x1"], line["bottom"])
        placed.append((line["top"], TextLine(text=line["text"], page=number, bbox=bbox)))
    placed.sort(key=lambda item: item[0])
    return [block for _, block in placed]


def page_layout(page: PageContent, settings: PdfSettings) -> tuple[list[PlumberTable], list[PlumberTable], list[dict]]:
    """The page's tables (ruled ones, and those rebuilt from a header printed without vertical
    rules), which of them are rebuilt, and the text lines outside them. A scanned page's
    recognised text and rules go the same way (extract/scan_unruled.py)."""
    # boxes drawn inset in a cell draw no border of their own, nor bands through a merged cell
    page.edges = through_merged(uncovered(page.edges), page.chars, page.x_middles())
    tables = page_tables(page, settings)
    if cuts := {id(e) for t in tables for e in header_cuts(page, t.bbox, settings.unruled)}:
        page.edges = [e for e in page.edges if id(e) not in cuts]
        tables = page_tables(page, settings)
    # The header finds a table, ruling only helps: a grid around the header row alone (its cells
    # drawn as filled boxes) holds no table's body, so the header is read as unruled tables' are.
    ruled = [t for t in tables if max(len(row.cells) for row in t.rows) > 1 and not header_only(page, t.bbox, settings.unruled)]
    lines = text_lines_outside(page, ruled)
    headers: list | None = page_headers(page, lines, settings.unruled)
    if headers and (
            under := [t for t in ruled if t.bbox[1] > min(h.top for h in headers) and not holds_header(page, t.bbox, settings.unruled)]):
        # grids below such a header without one of their own (shaded bands drawn cell by cell, rules
        # drawn as boxes) are evidence of its cells, read with the rest of its body
        ruled = [t for t in ruled if t not in under]
        lines = text_lines_outside(page, ruled)
        headers = None  # found again among the lines now outside tables
    if unruled := unruled_tables(page, lines, settings.unruled, headers):
        # a shaded row or header box is not a ruled table: the rebuilt one covering it is the table
        tables = [t for t in tables if not any(_overlap(t.bbox, u.bbox) for u in unruled)] + unruled
    if len(tables) > len(ruled):
        lines = text_lines_outside(page, tables)
    return tables, unruled, lines


def text_lines_outside(page: PageContent, tables: list[PlumberTable]) -> list[dict]:
    """The page's text lines (with their chars) outside the given tables."""
    return text_lines(page.chars_outside([table.bbox for table in tables]))  # pdfplumber computes a table's bbox anew at each call


def _overlap(a: tuple, b: tuple) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def page_tables(page: PageContent, settings: PdfSettings) -> list[PlumberTable]:
    """The page's ruled tables as pdfplumber finds them, cut rows closed (see closing_lines)."""
    table_settings = dict(settings.table_settings)
    table_settings.setdefault("explicit_horizontal_lines", closing_lines(page))
    return find_tables(page, table_settings)


def closing_lines(page: PageContent, tolerance: float = 1.5) -> list[dict]:
    """Horizontal rules where a table's vertical rules stop but no rule is drawn.

    Renderers that slice a cell at a page break (browsers, some Office versions) draw its side
    borders to the page edge but no top or bottom border; closing the cell there keeps the cut
    row inside its table instead of dropping its text onto the page. Only where rules really stop:
    a rule that goes on past that height (the side of a merged cell) closes nothing.
    """
    verticals = [e for e in page.edges if e["orientation"] == "v" and e["height"] > tolerance]
    by_x = sorted(verticals, key=lambda e: e["x0"])  # rules near an x found by bisection, not by a scan of all
    xs = [e["x0"] for e in by_x]

    @cache
    def near(lo: int, hi: int) -> tuple[list[float], list[float], list[float], list[float]]:
        """Of the rules by_x[lo:hi] (those near one x: every rule of a column asks the same): their
        tops in order, with the farthest bottom + tolerance of the rules up to each; their bottoms
        in order, with the least top - tolerance of the rules from each on."""
        by_top = sorted(by_x[lo:hi], key=itemgetter("top"))
        by_bottom = sorted(by_x[lo:hi], key=itemgetter("bottom"))
        starts = list(accumulate(reversed([e["top"] - tolerance for e in by_bottom]), min))[::-1]
        return ([e["top"] for e in by_top], list(accumulate((e["bottom"] + tolerance for e in by_top), max)),
                [e["bottom"] for e in by_bottom], starts)

    def goes_on(x: float, y: float, end: str) -> bool:
        """Whether some rule at x continues beyond y, past the end `end` of another: starts above
        y - tolerance and reaches y, or ends below y + tolerance and starts by y."""
        tops, reach, bottoms, starts = near(bisect_left(xs, x - tolerance), bisect_right(xs, x + tolerance))
        if end == "top":
            above = bisect_left(tops, y - tolerance)  # rules whose top < y - tolerance
            return above > 0 and reach[above - 1] >= y
        below = bisect_right(bottoms, y + tolerance)  # rules from here on: bottom > y + tolerance
        return below < len(bottoms) and starts[below] <= y

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
