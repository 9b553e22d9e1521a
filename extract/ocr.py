"""A page without a text layer (or every page, with --ocr) → blocks, by Tesseract.

The page is rendered and deskewed (extract/scan.py); its ruled tables are found in the image; each
cell is recognised on its own, with settings that fit its column: Chinese + Latin for names,
formulas, plans and agencies; value columns (目標值, 實際值) are read a second time as digits,
grouping, signs and units only, and where the two readings give other digits the cell's confidence
drops to the lower one's. The text outside the tables is recognised line by line. What comes out
is the blocks a PDF's text layer gives, each table with every cell's confidence and box, so that
normalize/ reads it the same way and flags what was uncertain.

tesserocr keeps one engine per language setting loaded in the process (a helper process keeps its
own): a cell costs ~30 ms, where pytesseract starts a Tesseract process per call (~350 ms a cell,
benchmarks/ocr_engines.py). Tesseract's own threads are limited to one, as pages are read in
parallel by processes (--jobs).
"""
from __future__ import annotations

import difflib
import hashlib
import itertools
import os
import re
import shutil
import subprocess
from collections import Counter
from collections.abc import Callable
from functools import cache
from importlib.resources import files

os.environ.setdefault("OMP_THREAD_LIMIT", "1")  # before Tesseract loads: processes, not threads, share the cores

import cv2  # noqa: E402
import numpy as np  # noqa: E402
import opencc  # noqa: E402
import pypdfium2 as pdfium  # noqa: E402
import tesserocr  # noqa: E402
from PIL import Image  # noqa: E402

from kpi_scorecard.extract import ppocr  # noqa: E402
from kpi_scorecard.extract.blocks import Block, Table, TextLine  # noqa: E402
from kpi_scorecard.extract.continued import has_header_words  # noqa: E402
from kpi_scorecard.extract.page import find_tables  # noqa: E402
from kpi_scorecard.extract.scan import PageImage, crop, page_rules, render_page  # noqa: E402
from kpi_scorecard.extract.settings import PdfSettings, UnruledSettings  # noqa: E402

# chi_tra reads the Latin letters and digits these tables print too; with eng beside it Latin wins
# where it should not (單位：人次 read as `Hz: AX`). Tesseract's Han (Traditional) script model,
# where installed (Debian's tesseract-ocr-script-hant), reads % and rare ideographs chi_tra misses:
# on 100 cells of the report, chi_tra+eng 74 exact, chi_tra 77, chi_tra+HanT 77 with 20 % fewer
# wrong characters.
SCRIPT = "HanT"
VALUE_HEADER = re.compile(r"目標|實際|值")
# What a value cell prints when it prints a number: digits, grouping, decimal point, signs, units.
NUMBER_CHARS = "0123456789.,%+-<>=±~()/"
# How a line is read, in turn: (page segmentation mode, scale). 1.5× first: at 200 dpi a table's
# 11 pt ideographs are small for chi_tra. Mode 13 (a raw line, no layout analysis) reads the lines
# in which Tesseract's layout finds no text at all (林線土建、機電系統).
ATTEMPTS = ((tesserocr.PSM.SINGLE_LINE, 1.5), (tesserocr.PSM.SINGLE_LINE, 1.0), (tesserocr.PSM.RAW_LINE, 1.0),
            (tesserocr.PSM.RAW_LINE, 1.75))
# a value's further readings, at other sizes
RECHECK = ((tesserocr.PSM.SINGLE_LINE, 1.25), (tesserocr.PSM.RAW_LINE, 1.25))
THIRD = ((tesserocr.PSM.SINGLE_LINE, 1.75), (tesserocr.PSM.RAW_LINE, 1.75))
# A number alone in its cell is read by each of these (engine, mode, digits' height in pixels):
# four readings that must not disagree. The text engine at 30 px took the place of the digits
# engine at 30 px: on 12 pages' value cells of both scans it gave no other number where the digits
# engine gave 6 (217 read 207), and it gives a second vote where one reading alone was sure (25.2
# rough: 2552, 2532, 25.2, 252). Another digits or number reading is no second opinion: they err
# alike (both read 公務 78.39 as 9578.39).
NUMBER_READS = (("digits", tesserocr.PSM.SINGLE_LINE, 20), ("text", tesserocr.PSM.SINGLE_WORD, 40),
                ("digits", tesserocr.PSM.SINGLE_LINE, 25), ("text", tesserocr.PSM.SINGLE_WORD, 30))
# … and where fewer than two of them are votes and none is against, these too, larger (a blurred 11
# or -1.5 that the four read as 1, 15 or nothing: the rule stays, two votes and none against), and
# then NUMBER_READS again of the line binarised by Otsu's threshold (a noisy scan's speckled ground
# gone: EP2.1's -1.5, rough, read 1.5 by six readings of its ink where two of eight read it as drawn).
MORE_NUMBER_READS = (("text", tesserocr.PSM.SINGLE_WORD, 50), ("text", tesserocr.PSM.SINGLE_WORD, 60),
                     ("text", tesserocr.PSM.SINGLE_LINE, 30), ("text", tesserocr.PSM.SINGLE_LINE, 50))
# The digits whose drawing closes a loop, and the least blank pixels inside a loop (a speck of blank
# inside a blurred stroke is none). 4 is left out: fonts draw it open or closed.
LOOPS = frozenset("0689")
WIDEST = 0.9  # a digit's width, at most, in its height (an ideograph is as wide as tall or wider)
HOLE = 4
SEPARATORS = frozenset(".,:;")
NUMBER_RUN = frozenset("0123456789.,+-±")
FIRST_NUMBER = re.compile(r"[+\-±]?\d[\d.,:;]*")  # a separator misread as : or ; too
UNIT_OR_NOTE = re.compile(r"\s[\u3400-\u9fff]|[(（]|[\u3400-\u9fff]{2}")
WELL_FORMED = re.compile(r"\d{1,3}(,\d{3})*(\.\d+)?|\d+(\.\d+)?")
LOOKALIKE = str.maketrans("lI|", "111")
# A separator at least COMMA of the digits tall, reaching COMMA_BELOW of them below their foot, is
# a comma; one at most POINT tall, at most POINT_BELOW below the foot, a point; else it is not
# told. Measured on 1,100 separators of the report and of five other styles' renderings (Noto Sans
# and Serif CJK, WenQuanYi, AR PL UMing; digits 15–23 px), clean and rough: commas 0.26–0.48 tall reaching
# 0.10–0.29 below (AR PL UMing, 15 px, rough: 0.00–0.08, not told), points 0.17–0.24 tall
# (0.33, UMing rough) reaching at most 0.05 below. Noto Sans's point, 0.24 tall and 0.05 below,
# was a comma by the report's own bounds (0.22, 0.03).
COMMA, COMMA_BELOW = 0.26, 0.09
POINT, POINT_BELOW = 0.24, 0.05
AGREE = 3  # readings that must give a value's number, with none giving another
SPECK = 60.0  # confidence below which a mark at a line's end is taken for noise
SURE = 60.0
# Marks a raw-line reading makes of a rule's or a speck's remains at a line's end (no cell of these
# tables starts or ends a line with one); taken off unless Tesseract is all but certain.
EDGE_MARKS = frozenset("_“”\"'‘’`~|¦")  # a line read with less confidence is tried again at the next scale
MARGIN = 10  # white pixels around a line: Tesseract misses text that touches the image's edge
INK = 128  # a pixel darker than this is ink
FAINT = 192  # … or, finding a cell's lines, the edge of a stroke (a 5's one-pixel stem joins its foot)
LINE_GAP = 3  # pixel rows without ink that part two lines of a cell
MIN_LINE = 4  # a run of fewer inked rows is a speck, not a line
FULL_WIDTH = {":": "：", ",": "，", ";": "；"}
# The blank before a full-width （ after an ideograph, in ideographs' widths: the report, clean and
# rough, leaves 0.67–0.76 before （ and 0.37 at most before (.
WIDE_BRACKET = 0.5
CIRCLE = 0.4  # the part of a 0's box a % box after it covers where the 0 is the %'s circle
WIDE = 0.8  # the room, in ideographs' widths, from the mark before a full-width colon or comma to the one after
DISAGREE_CONFIDENCE = 0.0  # two readings of a value cell with other digits: nothing to trust
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
# What a space may part from an ideograph (print's spaces between scripts): digits, Latin letters,
# operators. A space Tesseract puts between such a mark and an ideograph where the blank between
# their inks is less than NO_SPACE of the line's height is none (the report, 200 dpi: a space
# leaves 0.25–0.48 of an em, 95 in 100 marks without one 0.2 at most; LibreOffice's spacing between
# Asian and Western text leaves 0.2–0.35 with no space in the text, so a wider blank says nothing).
# Not in value cells: there a space parts a number from its unit (308 萬, _number_beside).
SPACED = re.compile(r"[0-9A-Za-z+*/×=%]")
NO_SPACE = 0.25
# PP-OCR's confidence (0–1) in a character of its reading that takes the place of Tesseract's
# (_second_reading): an ideograph or ideographs (SECOND_SURE), another mark (MARK_SURE). On the
# report's whole scans, clean and rough, 0.5 and 0.9 gave the most fields exact (ideographs at 0.8
# or 0.95: fewer; marks at 0.5 took K for k and p for P).
SECOND_SURE = 0.5
MARK_SURE = 0.9
LOST_MARKS = frozenset("：，、；。·")  # full-width marks Tesseract loses (a 9 pt ：) that PP-OCR reads
NUMERALS = frozenset("〇零一二三四五六七八九十百千萬億兆")  # ideographs a value's number may print (30 萬)
DIGITS = re.compile(r"\d")
SIGN = re.compile(r"[^0-9]*")
LATIN = re.compile(r"[A-Za-z]{2,}")
# Tesseract's page layout puts a space between ideographs (and their punctuation); print has none.
CJK_SPACE = re.compile(r"(?<=[\u3000-\u303f\u3400-\u9fff\uff00-\uffef])[ ]+(?=[\u3000-\u303f\u3400-\u9fff\uff00-\uffef])")


# Neither chi_tra nor HanT has the middle dot (北投溫泉·無圍牆): both read it `.`, which Chinese
# text never prints between two ideographs (its full stop is 。).
MIDDLE_DOT = re.compile(r"(?<=[\u3400-\u9fff])\.(?=\n?[\u3400-\u9fff])")  # … a wrapped line's first too


# The table finder's settings on a page's rules found in its image. Rules are found where they are
# drawn, to a pixel or two: snapped 3 pt (pdfplumber's default, for PDF paths drawn in pieces), the
# columns of tables one over another (LibreOffice draws each a little apart) meet at their mean,
# and a cell's box cuts into its text or takes in its rule.
SCAN_TABLES = {"vertical_strategy": "lines", "horizontal_strategy": "lines", "snap_tolerance": 1}
NARROWEST = 0.4  # of the page's width: a narrower table found in a page's image is no scorecard's
# points a cell is cropped in from its box: a ruled one from its rules, a rebuilt one (no rules
# drawn there, or a rule in the blank between rows) close to its print
RULED_INSET, UNRULED_INSET = 1.2, 0.3


class OcrUnavailable(RuntimeError):
    """Tesseract (or its Chinese data) is not installed."""


@cache
def tessdata() -> str:
    """Where Tesseract's language data is: TESSDATA_PREFIX, else what the tesseract command lists."""
    if prefix := os.environ.get("TESSDATA_PREFIX"):
        return prefix
    if command := shutil.which("tesseract"):
        listed = subprocess.run([command, "--list-langs"], capture_output=True, text=True).stdout
        if found := re.search(r'"(.+?)"', listed):
            return found.group(1)
    raise OcrUnavailable("no Tesseract language data found (install tesseract-ocr and tesseract-ocr-chi-tra)")


@cache
def text_languages() -> str:
    """chi_tra, with the Han (Traditional) script model where it is installed."""
    return f"chi_tra+{SCRIPT}" if os.path.exists(os.path.join(tessdata(), f"{SCRIPT}.traineddata")) else "chi_tra"


@cache
def engine(kind: str, psm: int = tesserocr.PSM.SINGLE_LINE) -> tesserocr.PyTessBaseAPI:
    """The process's engine for `kind`: 'text' (Chinese + Latin), 'chinese' (Chinese alone: a
    value's unit), 'number' (digits and signs) or 'page' (the text outside tables, laid out by
    Tesseract)."""
    languages = {"number": "eng", "digits": "eng", "chinese": "chi_tra"}.get(kind) or text_languages()
    try:
        api = tesserocr.PyTessBaseAPI(path=tessdata().rstrip("/") + "/", lang=languages,
                                      psm=tesserocr.PSM.AUTO if kind == "page" else psm)
    except RuntimeError as e:
        raise OcrUnavailable(f"Tesseract cannot load {languages} ({e}); install tesseract-ocr-chi-tra") from None
    if kind in ("number", "digits"):  # digits: a number's sign read from its drawing, its unit apart
        api.SetVariable("tessedit_char_whitelist", NUMBER_CHARS if kind == "number" else "0123456789.,")
    return api


def text_rows(pixels: np.ndarray) -> list[tuple[int, int]]:
    """A cell's lines of text: the runs of pixel rows with ink, split where a few rows have none.
    Two runs joined by rows of faint ink all the way (a 5's thin stem under its bar, lighter than
    INK on a blurred scan) are one line."""
    inked = np.flatnonzero((pixels < INK).any(axis=1))
    if not len(inked):
        return []
    faint = _faint_rows(pixels)
    breaks = np.flatnonzero(np.diff(inked) > LINE_GAP)
    starts, ends = np.r_[inked[0], inked[breaks + 1]], np.r_[inked[breaks], inked[-1]] + 1
    runs: list[list[int]] = []
    for a, b in zip(starts.tolist(), ends.tolist(), strict=True):
        if runs and faint[runs[-1][1]:a].all():
            runs[-1][1] = b
        else:
            runs.append([a, b])
    return [(a, b) for a, b in runs if b - a >= MIN_LINE]


def _faint_rows(pixels: np.ndarray) -> np.ndarray:
    """Which pixel rows hold a stroke's faint edge at least (FAINT, the pixels lightly smoothed)."""
    return np.asarray((cv2.GaussianBlur(pixels, (3, 3), 0) < FAINT).any(axis=1))


def _number_line(pixels: np.ndarray, top: int, bottom: int) -> np.ndarray:
    """A number's line, with the faint rows at its top and foot (a 7's bar on a blurred scan:
    cropped without it, 77 read //)."""
    faint, reach = _faint_rows(pixels), (bottom - top) // 2  # no further than half the line's height
    first, last = max(0, top - 1), min(len(faint), bottom + 1)
    while first > max(0, top - reach) and faint[first - 1]:
        first -= 1
    while last < min(len(faint), bottom + reach) and faint[last]:
        last += 1
    return pixels[first:last]


def recognise(pixels: np.ndarray, kind: str, attempts: tuple | None = None, spaces: bool = True) -> tuple[str, float]:
    """The text in a cell's pixels, line by line, and Tesseract's confidence in it (0–100: its
    least sure word)."""
    lines: list[tuple[np.ndarray, str, tuple[float, ...]]] = []
    confidence = 100.0
    for top, bottom in text_rows(pixels):
        line = pixels[max(0, top - 3): bottom + 3]
        text, score, ideographs = _reading(line, kind, attempts or ATTEMPTS, spaces)
        if text:
            lines.append((line, text, ideographs))
        confidence = min(confidence, score)
    if kind == "text":
        texts = [_second_reading(line, text, value=not spaces) if ideographs and attempts is None else text
                 for line, text, ideographs in lines]
        text = MIDDLE_DOT.sub("·", "\n".join(texts))
        return (_paired(text) if spaces else text), confidence
    return "\n".join(text for _, text, _ in lines), confidence


def _line(pixels: np.ndarray, kind: str, attempts: tuple) -> tuple[str, float]:
    text, score, _ = _reading(pixels, kind, attempts)
    return text, score


def _reading(pixels: np.ndarray, kind: str, attempts: tuple, spaces: bool = True) -> tuple[str, float, tuple[float, ...]]:
    """One line of text, its confidence and each of its ideographs' (_symbols). Tesseract now and
    then finds no text in a line it reads well at another size or mode: the line is read by each of
    ATTEMPTS until one reading is sure enough, the surest kept."""
    best: tuple[str, float, tuple[float, ...]] = ("", 0.0, ())
    for psm, scale in attempts:
        read = _read_line(pixels, kind, psm, scale, spaces)
        if read[0] and read[1] > best[1] or not best[0]:
            best = read
        if best[0] and best[1] >= SURE:
            break
    return best


def _read_line(pixels: np.ndarray, kind: str, psm: int, scale: float, spaces: bool = True) -> tuple[str, float, tuple[float, ...]]:
    padded = np.pad(pixels, MARGIN, constant_values=255)
    image = cv2.resize(padded, None, fx=scale, fy=scale, interpolation=cv2.INTER_CUBIC) if scale != 1 else padded
    return _symbols(*_recognised(image, kind, psm), image, spaces)


_SEEN: dict[tuple, tuple[str, list[tuple[str, float, tuple]]]] = {}  # lines read, by their image's digest
SEEN_LINES = 20_000  # … at most (a few KB each), then forgotten


def _recognised(image: np.ndarray, kind: str, psm: int) -> tuple[str, list[tuple[str, float, tuple]]]:
    """Tesseract's text for a line's image and its symbols (text, confidence, box). A cell's line
    is read again in the same mode and size by several steps (its first readings, a value's), and
    the same header or agency cell prints on page after page: the process keeps what it read (_SEEN)."""
    key = (kind, psm, image.shape, hashlib.blake2b(image.tobytes(), digest_size=16).digest())
    if (seen := _SEEN.get(key)) is not None:
        return seen[0], list(seen[1])
    api = engine(kind, psm)
    api.SetImage(Image.fromarray(image))
    text = api.GetUTF8Text().strip()
    symbols: list[tuple[str, float, tuple]] = []
    level = tesserocr.RIL.SYMBOL
    iterator = api.GetIterator() if text else None
    for item in tesserocr.iterate_level(iterator, level) if iterator else ():
        if not item.Empty(level) and (symbol := item.GetUTF8Text(level)):
            symbols.append((symbol, item.Confidence(level), item.BoundingBox(level)))
    if len(_SEEN) >= SEEN_LINES:
        _SEEN.clear()
    _SEEN[key] = text, symbols
    return text, list(symbols)


def _second_reading(line: np.ndarray, text: str, value: bool = False) -> str:
    """The line's text where PP-OCR (extract/ppocr.py) reads it otherwise, stretch by stretch
    (spaces aside: PP-OCR's are no better), as PP-OCR reads it where that is an ideograph for an
    ideograph (_other_ideograph), ideographs for more or fewer (自殺和死亡 → 自殺死亡, 歲和人 →
    歲入; _other_ideographs), or a mark that is no digit and no letter's other case for another
    (x → ×, # → *, 工 → L; MARK_SURE). Digits stay Tesseract's: its numbers are voted on
    (read_number), and a code's misread is repaired by the report's grammar (normalize/)."""
    second = [(ch, p) for ch, p in ppocr.read_line(line) if ch != " "]
    kept = [at for at, ch in enumerate(text) if ch != " "]
    first = "".join(text[at] for at in kept)
    put = list(text)
    matcher = difflib.SequenceMatcher(None, first, "".join(ch for ch, _ in second), autojunk=False)
    for op, a0, a1, b0, b1 in matcher.get_opcodes():
        if op == "equal" or any(p < SECOND_SURE for _, p in second[b0:b1]):
            continue
        if op == "replace" and a1 - a0 == b1 - b0:
            for i, (ch, p) in zip(range(a0, a1), second[b0:b1], strict=True):
                if _other_ideograph(first[i], ch) and not (value and NUMERALS & {first[i], ch}) or not value and _other_mark(first[i], ch, p):
                    put[kept[i]] = ch
        elif op == "insert" and 0 < a0 < len(first) and (CJK.fullmatch(first[a0 - 1]) or CJK.fullmatch(first[a0])) \
                and all(ch in LOST_MARKS and p >= MARK_SURE for ch, p in second[b0:b1]):
            # a full-width mark Tesseract lost (a small ：, read as a blank or nothing): full-width marks take no blanks
            put[kept[a0 - 1]] = first[a0 - 1] + "".join(ch for ch, _ in second[b0:b1])
            for at in range(kept[a0 - 1] + 1, kept[a0]):
                put[at] = ""
        elif not value and _other_ideographs(first[a0:a1], second, b0, b1):
            put[kept[a0]] = "".join(ch for ch, _ in second[b0:b1])
            for i in range(a0 + 1, a1):
                put[kept[i]] = ""
    return "".join(put)


def _other_ideograph(first: str, second: str) -> bool:
    """Whether PP-OCR's ideograph is another character than Tesseract's, and one chi_tra reads:
    PP-OCR reads a traditional glyph as its simplified form now and then (參 → 参, 數 → 数, or 臺
    → 台, both traditional but one character's forms)."""
    return bool(CJK.fullmatch(first) and CJK.fullmatch(second)) and second in ideographs() and _simplified(first) != _simplified(second)


def _other_mark(first: str, second: str, sure: float) -> bool:
    """Whether PP-OCR's mark (not an ideograph for an ideograph) is to be taken over Tesseract's:
    neither is a digit, they are not one letter in two cases, and PP-OCR is MARK_SURE of it."""
    if CJK.fullmatch(first) and CJK.fullmatch(second) or first.isdigit() or second.isdigit():
        return False
    return sure >= MARK_SURE and not (first.isascii() and second.isascii() and first.lower() == second.lower())


def _other_ideographs(first: str, second: list[tuple[str, float]], b0: int, b1: int) -> bool:
    """Whether Tesseract's ideographs (one or more) are read by PP-OCR as other ideographs, more
    or fewer of them (none: an ideograph Tesseract made of a gap, 自殺和死亡), each one chi_tra
    reads, PP-OCR SECOND_SURE of the characters on either side too."""
    around = [second[j][1] for j in (b0 - 1, b1) if 0 <= j < len(second)]
    return (bool(first) and all(CJK.fullmatch(ch) for ch in first) and all(p >= SECOND_SURE for p in around)
            and all(CJK.fullmatch(ch) and ch in ideographs() for ch, _ in second[b0:b1]))


@cache
def ideographs() -> frozenset[str]:
    """The ideographs chi_tra reads (extract/data/chi_tra_ideographs.txt): traditional forms."""
    text = files("kpi_scorecard.extract.data").joinpath("chi_tra_ideographs.txt").read_text(encoding="utf-8")
    return frozenset("".join(line for line in text.splitlines() if not line.startswith("#")))


@cache
def _simplified(ch: str) -> str:
    """An ideograph's simplified form (OpenCC's t2s; itself where it has none)."""
    return _t2s().convert(ch)


@cache
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def _symbols(text: str, symbols: list[tuple[str, float, tuple]], image: np.ndarray, spaces: bool = True) -> tuple[str, float, tuple[float, ...]]:
    """The line's text and its least sure word's confidence, without the specks at its ends: a
    mark at either end read with less than SPECK confidence that is no letter, digit or
    ideograph (a quote, an underscore, a dash from a dot of noise); without the symbols whose box
    holds no ink (chi_tra ends a line with a 一 that is not drawn, now and then, with 95 %
    confidence; a cell's lines joined, it stands inside a word: 變一化); colons, commas and
    semicolons in their full-width form where they are drawn so (_full_width); with `spaces`, no
    space between an ideograph and a digit or letter where the blank is too narrow (_spaces). Each
    ideograph's confidence too, in turn."""
    if not text:
        return "", 0.0, ()
    text, symbols = _drawn(text, symbols, image)
    while symbols and _speck(*symbols[0][:2]) and text.startswith(symbols[0][0]):
        text = text[len(symbols.pop(0)[0]):].lstrip()
    while symbols and _speck(*symbols[-1][:2]) and text.endswith(symbols[-1][0]):
        text = text[: -len(symbols.pop()[0])].rstrip()
    if not text or not symbols:
        return "", 0.0, ()
    if spaces:
        text, symbols = _percent_circle(text, symbols, image)
        text = _wide_brackets(_spaces(text, symbols, image), symbols, image)
    text = _times_signs(_full_width(text, symbols, image), symbols, image)
    ideographs = tuple(float(c) for symbol, c, _ in symbols if CJK.fullmatch(symbol))
    return MIDDLE_DOT.sub("·", CJK_SPACE.sub("", text)), float(min(c for _, c, _ in symbols)), ideographs


def _drawn(text: str, symbols: list[tuple[str, float, tuple]], image: np.ndarray) -> tuple[str, list[tuple[str, float, tuple]]]:
    """The text and symbols without the symbols whose box holds no ink."""
    ink = _ink(image) > 0
    out, kept, at = [], [], 0
    for symbol, confidence, box in symbols:
        found = text.find(symbol, at)
        if found < 0:
            return text, symbols
        out.append(text[at:found])
        if ink[max(0, box[1]): box[3], max(0, box[0]): box[2]].any():
            out.append(symbol)
            kept.append((symbol, confidence, box))
        at = found + len(symbol)
    return re.sub(r"[ ]{2,}", " ", "".join(out) + text[at:]).strip(), kept


def _times_signs(text: str, symbols: list[tuple[str, float, tuple]], image: np.ndarray) -> str:
    """The text with each X or x Tesseract read as an operator as drawn: × or x (_times), beside
    the digit after it, else the digit or ideograph before it. An operator: after no Latin letter,
    and before a digit, at the line's end (a formula's `數 ×` wraps before `100%`), or between a
    digit and an ideograph (0.4×實際)."""
    if not any(symbol in "Xx" for symbol, _, _ in symbols):
        return text
    ink = _ink(image) > 0

    def form(i: int, symbol: str, box: tuple) -> str:
        before = symbols[i - 1][0] if i else ""
        after = symbols[i + 1][0] if i + 1 < len(symbols) else ""
        if symbol not in "Xx" or before.isascii() and before.isalpha():
            return symbol
        if after.isdigit():
            return _times(ink, box, symbols[i + 1][2])
        if (not after or CJK.fullmatch(after) and before.isdigit()) and (before.isdigit() or CJK.fullmatch(before)):
            return _times(ink, box, symbols[i - 1][2])
        return symbol
    put = _symbols_as(text, symbols, form)
    return text if put is None else put


def _spaces(text: str, symbols: list[tuple[str, float, tuple]], image: np.ndarray) -> str:
    """The text without the spaces Tesseract put between an ideograph and a digit, Latin letter or
    operator where the blank between their inks is too narrow for one (NO_SPACE: 心跳達 130下 for
    心跳達130下). The blank is the widest run of columns without ink between the two symbols'
    centres (Tesseract's boxes, from its recognizer's time steps, are no closer than that)."""
    pairs = [i for i in range(1, len(symbols)) if _script_pair(symbols[i - 1][0], symbols[i][0])]
    if not pairs:
        return text
    ink = _ink(image) > 0
    rows = np.flatnonzero(ink.any(axis=1))
    height = rows[-1] - rows[0] + 1 if len(rows) else 0
    inked: np.ndarray = np.asarray(ink.any(axis=0))

    def spaced(i: int) -> bool:
        a, b = symbols[i - 1][2], symbols[i][2]
        blank = ~inked[(a[0] + a[2]) // 2: (b[0] + b[2]) // 2 + 1]
        runs = np.diff(np.flatnonzero(np.diff(np.r_[0, blank.astype(np.int8), 0])))[::2] if blank.any() else [0]
        return max(runs) >= NO_SPACE * height

    out, at = [], 0
    for i, (symbol, _, _) in enumerate(symbols):
        found = text.find(symbol, at)
        if found < 0:
            return text
        between = text[at:found]
        if i in pairs and between and not between.strip() and not spaced(i):
            between = ""
        out += [between, symbol]
        at = found + len(symbol)
    return "".join(out) + text[at:]


def _script_pair(a: str, b: str) -> bool:
    """An ideograph beside a digit, Latin letter or operator (either way round)."""
    return bool(CJK.fullmatch(a) and SPACED.fullmatch(b) or SPACED.fullmatch(a) and CJK.fullmatch(b))


def _symbols_as(text: str, symbols: list[tuple[str, float, tuple]],
                form: Callable[[int, str, tuple], str]) -> str | None:
    """The text with each of Tesseract's symbols, found in turn, put as form(index, symbol, box)
    gives it; None where a symbol is not found in the text (the caller keeps it as read)."""
    out, at = [], 0
    for i, (symbol, _, box) in enumerate(symbols):
        found = text.find(symbol, at)
        if found < 0:
            return None
        out += [text[at:found], form(i, symbol, box)]
        at = found + len(symbol)
    return "".join(out) + text[at:]


def _times(ink: np.ndarray, box: tuple, digit: tuple) -> str:
    """× or x, by where its ink lies beside the digit after it: x stands on the digits' foot, ×
    is centred between their top and foot. Neither chi_tra nor eng has ×: both read it X."""
    def span(b: tuple) -> tuple[int, int] | None:
        rows = np.flatnonzero(ink[:, max(0, b[0]): b[2]].any(axis=1))
        return (int(rows[0]), int(rows[-1])) if len(rows) else None
    mark, number = span(box), span(digit)
    if mark is None or number is None:
        return "x"
    above, below = mark[0] - number[0], number[1] - mark[1]
    return "×" if below >= max(1.0, 0.05 * (number[1] - number[0]), 0.4 * above) else "x"


def _full_width(text: str, symbols: list[tuple[str, float, tuple]], image: np.ndarray) -> str:
    """The text with each `:` `,` `;` Tesseract read beside an ideograph in the full-width form
    (：，；) where it is drawn so: the blank from the ink before it to the ink after it is most of
    an ideograph's width (the ASCII form leaves a third of that); at a line's end, after an
    ideograph (the form CJK text mostly prints: 204 of 250 colons in the report). chi_tra reads
    both forms as ASCII. Where the mark lies comes from Tesseract's box, the blank from the ink."""
    if not any(symbol in FULL_WIDTH for symbol, _, _ in symbols):
        return text
    em, starts, ends = _ink_runs(image)
    def form(i: int, symbol: str, box: tuple) -> str:
        if symbol in FULL_WIDTH and i and CJK.search(symbols[i - 1][0] + (symbols[i + 1][0] if i + 1 < len(symbols) else "")):
            centre = (box[0] + box[2]) / 2
            before, after = ends[ends <= centre], starts[starts > centre]
            mark_start, mark_end = (starts[starts <= centre][-1:], ends[ends > centre][:1])
            if len(before) and len(mark_start) and len(mark_end):
                left = mark_start[0] - before[before < mark_start[0]][-1] if len(before[before < mark_start[0]]) else 0
                right = after[after >= mark_end[0]][0] - mark_end[0] if len(after[after >= mark_end[0]]) else None
                wide = (right is None and CJK.fullmatch(symbols[i - 1][0])) or (
                    right is not None and left + right + mark_end[0] - mark_start[0] >= WIDE * em)
                return FULL_WIDTH[symbol] if wide else symbol
        return symbol
    joined = _symbols_as(text, symbols, form)
    if joined is None:
        return text
    return re.sub(r"\s*([：，；])\s*", r"\1", joined)


def _ink_runs(image: np.ndarray) -> tuple[int, np.ndarray, np.ndarray]:
    """A line's ink height (an ideograph's width) and where its runs of inked columns start and
    end (the image is padded: its edges are blank)."""
    ink = _ink(image) > 0
    inked: np.ndarray = np.asarray(ink.any(axis=0))
    rows = np.flatnonzero(ink.any(axis=1))
    em = rows[-1] - rows[0] + 1 if len(rows) else 0
    return em, np.flatnonzero(inked[1:] & ~inked[:-1]) + 1, np.flatnonzero(inked[:-1] & ~inked[1:]) + 1


def _wide_brackets(text: str, symbols: list[tuple[str, float, tuple]], image: np.ndarray) -> str:
    """The text with each `(` Tesseract read after an ideograph as `（` where it is drawn so: the
    blank from the ideograph's ink to the bracket's is WIDE_BRACKET of an ideograph or more (a
    full-width bracket's ink sits at the right of its ideograph-wide box). chi_tra reads both forms
    as `(`; a `)` is then told by the bracket it closes (_paired)."""
    if not any(symbol == "(" for symbol, _, _ in symbols):
        return text
    em, starts, ends = _ink_runs(image)

    def form(i: int, symbol: str, box: tuple) -> str:
        if symbol != "(" or not i or not CJK.fullmatch(symbols[i - 1][0]):
            return symbol
        own = starts[starts <= (box[0] + box[2]) / 2][-1:]
        before = ends[ends <= own[0]][-1:] if len(own) else own
        return "（" if len(before) and own[0] - before[0] >= WIDE_BRACKET * em else symbol
    put = _symbols_as(text, symbols, form)
    return text if put is None else put


def _percent_circle(text: str, symbols: list[tuple[str, float, tuple]], image: np.ndarray) -> tuple[str, list[tuple[str, float, tuple]]]:
    """The text and symbols without a 0 read over the % after it: the %'s box covers CIRCLE of the
    0's width or more, so the 0 is the %'s own circle (blurred, 100% read 1000% and % read 0%, the
    boxes overlapping by 0.43–0.86 of the 0's; two digits blur joins overlap by a pixel or two)."""
    def circle(i: int) -> bool:
        (symbol, _, box), (after, _, mark) = symbols[i], symbols[i + 1]
        return symbol == "0" and after == "%" and box[2] - mark[0] >= CIRCLE * (box[2] - box[0])
    drop = {i for i in range(len(symbols) - 1) if circle(i)}
    if not drop:
        return text, symbols
    put = _symbols_as(text, symbols, lambda i, symbol, _: "" if i in drop else symbol)
    return (text, symbols) if put is None else (put, [s for i, s in enumerate(symbols) if i not in drop])


def _paired(text: str) -> str:
    """A cell's text with each `)` that closes a `（` as `）`: brackets are printed in pairs of one
    form (nearly always: the report's BC4.1 prints one （…) pair, read wrong either way)."""
    out, opened = [], []
    for ch in text:
        if ch in "(（":
            opened.append(ch)
        elif ch in ")）" and opened:
            ch = "）" if opened.pop() == "（" else ch
        out.append(ch)
    return "".join(out)


def _speck(text: str, confidence: float) -> bool:
    return (confidence < SPECK and not any(ch.isalnum() for ch in text)) or (text in EDGE_MARKS and confidence < 95)


def read_cell(pixels: np.ndarray, value_column: bool) -> tuple[str, float]:
    """A cell's text and confidence, by the settings of its column.

    A value cell is read several times, as text and as digits and signs only, at other sizes: a
    noisy scan loses a decimal point or turns a digit at one size and not at another (12.9 read
    as 129 with 94 % confidence). Its number (digits, points, commas, signs) is taken when the
    readings agree (see _agreed); else the cell's confidence is DISAGREE_CONFIDENCE and its number
    is not stored. So is it where the first mark is drawn as a sign the reading lacks.
    """
    text, confidence = recognise(pixels, "text", spaces=not value_column)  # a value's number and unit keep their space
    if not value_column or not text:
        return text, confidence
    if len(text_rows(pixels)) == 1:
        if number := read_number(pixels):
            return number
        # not a number alone: a number with its unit or note (300 萬, 3.72(9人), 公務 78.39), or a
        # number misread as a stray ideograph (險】 for 5, 2之 for 25.2, 98學 for 95.9)
        if not UNIT_OR_NOTE.search(text):
            return text, DISAGREE_CONFIDENCE
    if not _sign_agrees(first_glyph(pixels), text):
        return text, DISAGREE_CONFIDENCE
    if LATIN.search(text):  # chi_tra+eng takes a unit in ideographs for letters (66 萬人次 → 66 BAX)
        chinese, chinese_confidence = recognise(pixels, "chinese")
        if not CJK.search(chinese):
            return text, DISAGREE_CONFIDENCE
        text, confidence = chinese, min(confidence, chinese_confidence)
    if CJK.search(text):  # a number with its unit or note: its ink alone read as a number alone is
        return _number_beside(pixels, text, confidence)
    readings = [(text, confidence), recognise(pixels, "number"),
                recognise(pixels, "text", RECHECK), recognise(pixels, "number", RECHECK)]
    if (agreed := _agreed(readings)) is None:
        readings += [recognise(pixels, "text", THIRD), recognise(pixels, "number", THIRD)]
        agreed = _agreed(readings)
    return agreed or (text, DISAGREE_CONFIDENCE)


def _number_beside(pixels: np.ndarray, text: str, confidence: float) -> tuple[str, float]:
    """A value cell whose first number has a unit or note beside it (300 萬, 3.72(9人), 累積啟動19,661 戶):
    the number's ink, cropped apart where a reading of the first line puts it, is read by
    read_number (the same readings, the same rules), and that number takes the place of the first
    one in the text. Where read_number's readings do not agree, the cell's confidence is
    DISAGREE_CONFIDENCE."""
    first = FIRST_NUMBER.search(text)
    rows = text_rows(pixels)
    if first is None or len(rows) != text.count("\n") + 1:  # a line read as none: which holds the number?
        return text, DISAGREE_CONFIDENCE
    top, bottom = rows[text.count("\n", 0, first.start())]
    line = pixels[max(0, top - 1): bottom + 1]
    span = _number_span(line)
    if span is None:
        return text, DISAGREE_CONFIDENCE
    marks = _marks(line)
    inside = [m for m in marks if span[0] - 1 <= m[0] + m[2] / 2 <= span[1] + 1]
    if not inside:
        return text, DISAGREE_CONFIDENCE
    inside = _first_word(inside)
    digit = max(m[3] for m in inside)
    foot = float(np.median([m[1] + m[3] for m in inside if m[3] >= 0.5 * digit]))

    def part(m: tuple[int, int, int, int]) -> bool:  # drawn like a digit (as tall, on the foot, narrow) or a separator
        digit_like = abs(m[3] - digit) <= 0.12 * digit and abs(m[1] + m[3] - foot) <= 0.1 * digit and m[2] <= 0.8 * digit
        return digit_like or _separator_like(m, digit, foot)

    # the reading may have taken a digit or separator at the number's ends for another mark: the
    # crop takes in every such mark next to it
    x0, x1 = min(m[0] for m in inside), max(m[0] + m[2] for m in inside)
    glyphs = _columns_marks([m for m in marks if m not in inside])
    # … no further than a blank twice the widest between its own marks (a note's bracket after a
    # space, 2,350,000 (因應, is drawn as tall as a digit and on its foot), a third of a digit at least
    inner = [b[0] - a[0] - a[2] for a, b in itertools.pairwise(sorted(_columns_marks(inside)))]
    reach = min(0.6 * digit, max(0.3 * digit, 2 * max(inner, default=0)))
    while True:
        left = sorted((m for m in glyphs if m[0] + m[2] <= x0), key=lambda m: m[0] + m[2])[-1:]
        right = sorted((m for m in glyphs if m[0] >= x1), key=lambda m: m[0])[:1]
        left = [m for m in left if x0 - m[0] - m[2] <= reach and part(m)]
        right = [m for m in right if m[0] - x1 <= reach and part(m)]
        if not left and not right:
            break
        x0, x1 = min([x0] + [m[0] for m in left]), max([x1] + [m[0] + m[2] for m in right])
        glyphs = [m for m in glyphs if m not in left and m not in right]
    number = read_number(np.pad(line[:, x0:x1], ((0, 0), (MARGIN, MARGIN)), constant_values=255))
    if number is None:
        return text, DISAGREE_CONFIDENCE
    return text[: first.start()] + number[0] + text[first.end():], min(_confidence_to(pixels, text, first.end()), number[1])


def _confidence_to(pixels: np.ndarray, text: str, end: int) -> float:
    """The confidence of a cell's lines that its first quantity is read from: the lines down to the
    one its number ends on, and the next if the number ends that line (a 萬 or 億 may wrap under
    it). A note in the lines below (CP3.1's 2,500,000(因應疫情修改之 KPI…)) does not make the number
    uncertain."""
    last = text.count("\n", 0, end)
    if not text[end:].split("\n", 1)[0].strip():
        last += 1
    # each line's reading as recognise made it (the line cache answers): no second reading, which
    # changes no confidence
    return min(_reading(pixels[max(0, top - 3): bottom + 3], "text", ATTEMPTS, False)[1] for top, bottom in text_rows(pixels)[: last + 1])


def _first_word(marks: list[tuple[int, int, int, int]]) -> list[tuple[int, int, int, int]]:
    """The marks before the first space among them (a gap more than twice the glyphs' narrowest
    and a third of their height): a reading may take a unit's ideograph beside a number for a digit."""
    glyphs = sorted(_columns_marks(marks))
    gaps = [b[0] - a[0] - a[2] for a, b in itertools.pairwise(glyphs)]
    if not gaps:
        return marks
    space = max(2 * min(gaps), max(g[3] for g in glyphs) / 3)
    end = next((a[0] + a[2] for a, gap in zip(glyphs, gaps, strict=False) if gap > space), None)
    return marks if end is None else [m for m in marks if m[0] + m[2] <= end]


def _columns_marks(marks: list[tuple[int, int, int, int]]) -> list[tuple[int, int, int, int]]:
    """Marks that overlap in columns (a glyph's pieces) joined into one box each."""
    boxes: list[list[int]] = []
    for x, y, w, h in sorted(marks):
        if boxes and x < boxes[-1][0] + boxes[-1][2] - 1:
            b = boxes[-1]
            right, bottom = max(b[0] + b[2], x + w), max(b[1] + b[3], y + h)
            b[1] = min(b[1], y)
            b[2], b[3] = right - b[0], bottom - b[1]
        else:
            boxes.append([x, y, w, h])
    return [(b[0], b[1], b[2], b[3]) for b in boxes]


def _number_span(line: np.ndarray) -> tuple[float, float] | None:
    """Where (columns of `line`) a reading of it puts its first number: its first run of digits,
    separators and signs."""
    scale = 1.5
    image = np.pad(cv2.resize(line, None, fx=scale, fy=scale, interpolation=cv2.INTER_CUBIC), MARGIN, constant_values=255)
    run: list[tuple] = []
    read = ""
    for symbol, _, box in _recognised(image, "text", tesserocr.PSM.SINGLE_LINE)[1]:
        if all(ch in NUMBER_RUN for ch in symbol):
            run.append(box)
            read += symbol
        elif DIGITS.search(read):
            break
        else:
            run, read = [], ""
    if not DIGITS.search(read):
        return None
    return (min(b[0] for b in run) - MARGIN) / scale, (max(b[2] for b in run) - MARGIN) / scale


def _agreed(readings: list[tuple[str, float]]) -> tuple[str, float] | None:
    """The first reading of the number that at least AGREE readings give, three times as many as
    give any other, with the least confidence among them; else None. A reading without digits or with
    less than SURE confidence (Tesseract's guess at a line it could not read: `Zoo`, `DIED`) is
    not a vote."""
    votes = Counter(_skeleton(t) for t, c in readings if DIGITS.search(t) and c >= SURE).most_common()
    if not votes or votes[0][1] < AGREE or 3 * sum(n for _, n in votes[1:]) > votes[0][1]:
        return None
    if len({SIGN.match(skeleton).group() for skeleton, _ in votes}) > 1:  # type: ignore[union-attr]  # SIGN matches any string  # a sign one reading saw is never outvoted
        return None
    agreeing = [r for r in readings if _skeleton(r[0]) == votes[0][0]]
    return agreeing[0][0], min(c for _, c in agreeing)


def _glyph(line: np.ndarray) -> tuple[list[tuple], list[tuple], int]:
    """The first glyph of a line (its marks, those of them that are bars) and the marks' height."""
    marks = _marks(line)
    if not marks:
        return [], [], 0
    height = max(h for _, _, _, h in marks)
    x0, _, w0, _ = min(marks)
    glyph = [m for m in marks if min(m[0] + m[2], x0 + w0) - max(m[0], x0) >= 0.5 * min(m[2], w0)]
    width = max(x + w for x, _, w, _ in glyph) - min(x for x, _, _, _ in glyph)
    bars = [m for m in glyph if m[3] <= 0.2 * height and m[2] >= max(0.35 * height, 0.6 * width)]
    return glyph, bars, height


def first_glyph(pixels: np.ndarray) -> str | None:
    """What the first mark of a cell's first line is drawn as, where that tells a sign from a
    digit: 'barred' (a mark over a bar at the foot of the line: ≥ ≤ ±), 'flat' (bars only: − or
    =), else None. Tesseract reads ≥ as 2, ± as +, ≤ as 三 or <, − as =, all with high confidence;
    the drawing itself says which it cannot be."""
    rows = text_rows(pixels)
    if not rows:
        return None
    line = pixels[rows[0][0]:rows[0][1]]
    glyph, bars, height = _glyph(line)
    # a sign's bar stands apart under a mark as wide as itself (> < +); a blurred 2 breaks off a foot
    # under a narrower stroke. A sign may stand a pixel over its bar (Noto Serif CJK's ± and ≥):
    # then it is one only where the mark is drawn as +, > or < (a +'s stem ends over the bar's
    # middle, where no 2 ends).
    gap = max(1.0, 0.08 * height)
    for bar in bars:
        _, y, w, _ = bar
        if y >= 0.75 * height and any(m not in bars and m[2] >= 0.75 * w and (m[1] + m[3] <= y - gap or (
                m[1] + m[3] < y and (_stem_over(line, m, bar) or _sign_shape(line, [m]) != "?"))) for m in glyph):
            return "barred"
    if bars and len(bars) == len(glyph) and all(0.2 * height <= y and y + h <= 0.8 * height for _, y, _, h in bars):
        return "flat"
    if len(glyph) == 1 and (_plus_over_bar(_ink(line)[glyph[0][1]: glyph[0][1] + glyph[0][3], glyph[0][0]: glyph[0][0] + glyph[0][2]])
                            or _over_bar(line, glyph[0])):
        return "barred"
    return None


def _over_bar(line: np.ndarray, mark: tuple[int, int, int, int]) -> tuple[int, int, int, int] | None:
    """Where one mark drawn as ≥ or ≤ whose > or < blur has joined to the bar under it has the > or
    < (WenQuanYi's ≥99.65, rough, read 299.65 by every reading): rows as wide as the mark at its
    foot, and over them a mark _sign_shape reads as > or < (a 2's top is an arch across its width);
    None for any other mark."""
    x, y, w, h = mark
    ink = _ink(line)[y: y + h, x: x + w] > 0
    if h < 8 or w < 0.4 * h:
        return None
    wide = [row.sum() >= 0.85 * w for row in ink]
    top = h
    while top > 0 and wide[top - 1]:
        top -= 1
    upper = (x, y, w, top)
    return upper if 0 < h - top <= 0.3 * h and top >= 0.5 * h and _sign_shape(line, [upper]) in ("≥", "≤") else None


def _plus_over_bar(mark: np.ndarray) -> bool:
    """Whether one mark's ink (1) is drawn as ± whose + blur has joined to its bar (Tesseract reads
    it 士): a narrow stem centred at its top, a row as wide as the mark across its middle (the +'s
    bar), a stem alone in the rows over its foot, and a row as wide as the mark at its foot (no
    digit is drawn so; 士's foot is narrower than its bar)."""
    height, width = mark.shape
    if height < 8 or width < 0.5 * height:
        return False
    spans = []
    for row in mark:
        columns = np.flatnonzero(row)
        spans.append((columns[0], columns[-1]) if len(columns) else None)

    def wide(span) -> bool:
        return span is not None and span[1] - span[0] + 1 >= 0.85 * width

    def stem(span) -> bool:
        return span is not None and span[1] - span[0] + 1 <= 0.35 * width and abs((span[0] + span[1]) / 2 - (width - 1) / 2) <= 0.15 * width

    top, middle, foot = spans[: max(1, height // 5)], spans[height // 4: height * 3 // 5], spans[height * 4 // 5:]
    above_foot = spans[height * 3 // 5: height * 4 // 5]
    return (all(stem(s) for s in top) and any(wide(s) for s in middle) and any(wide(s) for s in foot)
            and any(stem(s) for s in above_foot))


def _stem_over(line: np.ndarray, mark: tuple[int, int, int, int], bar: tuple[int, int, int, int]) -> bool:
    """Whether a mark's foot is a stem alone over the middle of a bar under it (a +'s, not a 2's
    stroke to its corner): its last row's ink narrow and centred on the bar."""
    x, y, w, h = mark
    foot = np.flatnonzero(_ink(line)[y + h - 1, x: x + w]) + x
    if not len(foot):
        return False
    middle = bar[0] + bar[2] / 2
    return foot[-1] - foot[0] + 1 <= 0.3 * bar[2] and abs((foot[0] + foot[-1]) / 2 - middle) <= 0.15 * bar[2]


def leading_sign(line: np.ndarray) -> tuple[str | None, int]:
    """The sign a number's line starts with, as drawn, and the column its digits start at: − (one
    bar), = (two), ± ≥ ≤ (a +, > or < over a bar: which, by where the mark's ink lies at its top and
    at its middle); '?' for a barred mark none of these; (None, 0) for a digit."""
    kind = first_glyph(line)
    if kind is None:
        return None, 0
    glyph, bars, _ = _glyph(line)
    end = max(x + w for x, _, w, _ in glyph)
    if kind == "flat":  # = is two bars one over the other; a bar blur breaks lies in pieces side by side
        stacked = any(b[1] >= a[1] + a[3] for a in bars for b in bars)
        return ("=" if stacked else "-"), end
    joined = _over_bar(line, glyph[0]) if len(glyph) == 1 else None
    return _sign_shape(line, [joined] if joined else [m for m in glyph if m not in bars]), end


def _sign_shape(line: np.ndarray, upper: list[tuple[int, int, int, int]]) -> str:
    """What the marks over a sign's bar are drawn as: '±' (a +), '≥' (a >), '≤' (a <), by where
    their ink lies at their top and at their middle; else '?'."""
    x0, y0 = min(m[0] for m in upper), min(m[1] for m in upper)
    x1, y1 = max(m[0] + m[2] for m in upper), max(m[1] + m[3] for m in upper)
    mark = _ink(line)[y0:y1, x0:x1] > 0
    height, width = mark.shape
    top, middle = mark[: max(1, height // 4)], mark[height * 2 // 5: max(height * 2 // 5 + 1, height * 3 // 5)]

    def centre(band: np.ndarray) -> float:
        columns = np.flatnonzero(band.any(axis=0))
        return float(columns.mean()) / max(1, width - 1) if len(columns) else 0.5

    spread = np.flatnonzero(middle.any(axis=0))
    if len(spread) and spread[-1] - spread[0] >= 0.7 * width and 0.35 <= centre(top) <= 0.65:
        return "±"
    if centre(top) > 0.6 and centre(middle) < 0.4:
        return "≤"
    if centre(top) < 0.4 and centre(middle) > 0.6:
        return "≥"
    return "?"


def read_number(pixels: np.ndarray) -> tuple[str, float] | None:
    """A value cell that prints one number on one line: its text and confidence, or None where its
    readings do not agree.

    The line is cropped to its ink; its sign is read from its drawing (leading_sign) and taken
    off; the digits are read by each of NUMBER_READS at the size it reads best (digits `height`
    pixels tall). A reading is a vote when Tesseract is SURE of it and it is a well-formed number
    once each separator is told from its drawing: a comma has a tail below the digits' foot, a
    point sits on it (blur and JPEG make Tesseract read one for the other, all readings alike:
    89,100 as 89.100). The number is taken when two votes or more give it and no vote gives
    another: never a majority's guess.
    """
    rows = text_rows(pixels)
    if len(rows) != 1:
        return None
    line = _number_line(pixels, *rows[0])
    sign, start = leading_sign(line)
    if sign == "?":
        return None
    line = line[:, start:]
    inked = np.flatnonzero((cv2.GaussianBlur(line, (3, 3), 0) < FAINT).any(axis=0))
    if not len(inked):
        return None
    line = line[:, inked[0]: inked[-1] + 1]
    marks = _marks(line)
    tall = [m for m in marks if m[3] >= 0.5 * max(h for _, _, _, h in marks)]
    digit, foot = float(np.median([h for *_, h in tall])), float(np.median([y + h for _, y, _, h in tall]))
    # separators drawn between the digits: a reading with fewer left one out (1,052 read 1052)
    drawn = sum(_separator_like(m, digit, foot)
                and not any(t[0] < m[0] + m[2] / 2 < t[0] + t[2] for t in tall) for m in marks)
    # every glyph read: a reading with fewer digits than columns of ink as tall as a digit left one
    # out (blur may join two digits into one column, never part one)
    digit_columns = _columns([m for m in marks if m[3] >= 0.4 * digit and not _separator_like(m, digit, foot)])
    # … and a column wider than a digit is drawn (WIDEST of its height) holds two joined digits at
    # least: a reading giving it one took an ideograph for a digit (300 萬 read 3008 by every reading)
    columns = len(digit_columns) + sum(x1 - x0 > WIDEST * digit for x0, x1 in digit_columns)
    holes = _holes(line, digit_columns)
    votes = _votes(line, NUMBER_READS, marks, digit, foot, drawn, columns, holes)
    if len(votes) < 2 and len({text for text, _, _ in votes}) <= 1:  # too few votes, none against: more readings
        votes += _votes(line, MORE_NUMBER_READS, marks, digit, foot, drawn, columns, holes)
    if len(votes) < 2 and len({text for text, _, _ in votes}) <= 1:  # … and of the line's ink alone, black on white
        votes += _votes((1 - _ink(line)).astype(np.uint8) * 255, NUMBER_READS, marks, digit, foot, drawn, columns, holes)
    if len(votes) < 2 or len({text for text, _, _ in votes}) > 1:
        # a dissent the drawing rules out (_loops_fit), outvoted three to one, is overruled
        fitting = [vote for vote in votes if vote[2]]
        if len({text for text, _, _ in fitting}) != 1 or len(fitting) < AGREE or 3 * (len(votes) - len(fitting)) > len(fitting):
            return None
        votes = fitting
    return (sign or "") + votes[0][0], min(c for _, c, _ in votes)


def _votes(line: np.ndarray, reads: tuple, marks: list[tuple[int, int, int, int]], digit: float, foot: float,
           drawn: int, columns: int, holes: list[int]) -> list[tuple[str, float, bool]]:
    """The readings of a number's line (each of `reads`: engine, mode, digits' height) that are
    votes: SURE, well formed, with as many separators as are drawn and as many digits as columns;
    each with its confidence and whether it puts no loop where the ink closes none (_loops_fit)."""
    votes: list[tuple[str, float, bool]] = []
    for kind, psm, height in reads:
        scale = height / digit
        image = np.pad(cv2.resize(line, None, fx=scale, fy=scale, interpolation=cv2.INTER_CUBIC), MARGIN, constant_values=255)
        text, confidence = "", 100.0
        for symbol, score, (x0, _, x1, _) in _recognised(image, kind, psm)[1]:
            confidence = min(confidence, score)
            if symbol in SEPARATORS:
                symbol = _separator(marks, (x0 - MARGIN) / scale, (x1 - MARGIN) / scale, digit, foot)
            text += symbol.translate(LOOKALIKE)
        text = text.rstrip("(（")  # the bracket of a note after the number, taken in by the crop (2,350,000 (因應)
        if (confidence >= SURE and WELL_FORMED.fullmatch(text) and len(re.findall(r"[.,]", text)) >= drawn
                and len(DIGITS.findall(text)) >= columns):
            votes.append((text, confidence, _loops_fit(text, holes)))
    return votes


def _holes(line: np.ndarray, columns: list[list[int]]) -> list[int]:
    """The loops each of a number's digit columns (read_number's: its marks at least 0.4 of a
    digit tall, left to right) closes: blank regions of at least HOLE pixels that do not reach the
    line's edge (4-connected, as a loop's inside is)."""
    blank = np.pad(1 - _ink(line), 1, constant_values=1).astype(np.uint8)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(blank, connectivity=4)
    outside = labels[0, 0]
    centres = [stats[i][0] - 1 + stats[i][2] / 2 for i in range(1, count) if i != outside and stats[i][4] >= HOLE]
    return [sum(x0 <= c < x1 for c in centres) for x0, x1 in columns]


def _loops_fit(text: str, holes: list[int]) -> bool:
    """Whether no digit read that closes a loop (0 6 8 9) stands where the ink closes none (a
    blurred 3 read as 8 with 97 % confidence). Blur may fill a loop (an 8 with one; a blur of 1 px
    and JPEG 45 filled whole 0s): so this only overrules a dissent (read_number), and fewer loops
    than the digit's are no sign; where the digits read are not one to a column of ink, nothing is
    told."""
    digits = DIGITS.findall(text)
    return len(digits) != len(holes) or all(loops or d not in LOOPS for d, loops in zip(digits, holes, strict=True))


def _columns(marks: list[tuple[int, int, int, int]]) -> list[list[int]]:
    """The runs of columns the marks cover, marks that overlap joined (a glyph broken in pieces)."""
    runs: list[list[int]] = []
    for x0, x1 in sorted((m[0], m[0] + m[2]) for m in marks):
        if runs and x0 < runs[-1][1] - 1:
            runs[-1][1] = max(runs[-1][1], x1)
        else:
            runs.append([x0, x1])
    return runs


def _ink(line: np.ndarray) -> np.ndarray:
    """A line's ink (1) told from a noisy ground (0) by Otsu's threshold on the slightly smoothed line."""
    return cv2.threshold(cv2.GaussianBlur(line, (3, 3), 0), 0, 1, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)[1]


def _marks(line: np.ndarray) -> list[tuple[int, int, int, int]]:
    """A line's marks (x, y, width, height)."""
    _, _, stats, _ = cv2.connectedComponentsWithStats(_ink(line), connectivity=8)
    return [tuple(int(v) for v in s[:4]) for s in stats[1:] if s[4] >= 3]  # type: ignore[misc]


def _separator(marks: list[tuple[int, int, int, int]], left: float, right: float, digit: float, foot: float) -> str:
    """A separator Tesseract read between `left` and `right`, by its drawing: ',' (a tail below the
    digits' foot), '.' (a dot on it), else '?' (no such mark there: not a vote)."""
    small = [m for m in marks if left - 1 <= m[0] + m[2] / 2 <= right + 1 and _separator_like(m, digit, foot)]
    if len(small) != 1:
        return "?"
    _, y, _, height = small[0]
    below = y + height - foot
    if height >= COMMA * digit and below >= COMMA_BELOW * digit:
        return ","
    return "." if height <= POINT * digit and below <= POINT_BELOW * digit else "?"


def _separator_like(m: tuple[int, int, int, int], digit: float, foot: float) -> bool:
    """Whether a mark is drawn where a point or comma is: its top below the digits' middle, its
    middle near their foot (a comma's tail makes it up to half a digit tall)."""
    return m[1] >= foot - 0.5 * digit and m[1] + m[3] / 2 > foot - 0.3 * digit


def _sign_agrees(glyph: str | None, text: str) -> bool:
    """Whether a value's reading starts with a sign its first mark can be."""
    first = text.lstrip()[:1]
    if glyph == "barred":
        return first in "≥≤±"
    if glyph == "flat":
        return first in "-−"
    return first not in "≥≤±"


def _skeleton(text: str) -> str:
    """What of a value's reading makes its number: digits, points, commas, signs."""
    return re.sub(r"[^0-9.,+\-<>=±%]", "", text)


def value_columns(header: list[str | None]) -> list[bool]:
    return [bool(cell and VALUE_HEADER.search(cell)) for cell in header]


def scan_to_blocks(document: pdfium.PdfDocument, number: int, dpi: int, unruled: UnruledSettings = UnruledSettings()) -> list[Block]:
    """One page's blocks, recognised from its image: tables (cells, confidences, boxes) and the
    text lines outside them, top to bottom."""
    image = render_page(document, number, dpi)
    rules = page_rules(image)
    # a scorecard table spans most of the page's width; a large heading's strokes as long as a rule
    # make a "table" a few ideographs wide, which would blank the heading out of the page's text
    tables = [t for t in find_tables(rules, SCAN_TABLES) if _wide(t.bbox, image)]
    rebuilt: list = []
    lines = None
    if not any(len(t.rows) > 1 and max(len(row.cells) for row in t.rows) > 1 for t in tables):
        # no grid with a body (rules under rows or the heading only, none, or boxes around the
        # heading's cells): where the page's text names a table's columns, the tables a text
        # layer's page would give, from the page's text recognised with its positions
        lines = _text_lines(image, [])
        if has_header_words([{"text": text} for text, _ in lines], unruled):
            from kpi_scorecard.extract.scan_unruled import scan_tables  # it imports this module

            tables, rebuilt = scan_tables(image, rules, PdfSettings(table_settings=SCAN_TABLES, unruled=unruled))
            tables = [t for t in tables if _wide(t.bbox, image)]
    placed: list[tuple[float, Block]] = [
        (t.bbox[1], _read_table(image, t, number, UNRULED_INSET if t in rebuilt else RULED_INSET)) for t in tables]
    if lines is None:
        lines = _text_lines(image, [t.bbox for t in tables])
    else:  # the page's text read whole: the lines outside its tables
        lines = [(text, bbox) for text, bbox in lines if not any(_inside(bbox, t.bbox) for t in tables)]
    for text, bbox in lines:
        placed.append((bbox[1], TextLine(text, number, bbox)))
    placed.sort(key=lambda item: item[0])
    return [block for _, block in placed]


def _read_table(image: PageImage, table, number: int, inset: float) -> Table:
    """A table's cells read from the page's image (cropped `inset` points in from their boxes),
    each by its column's settings: the header row first, which names the value columns."""
    boxes = [list(row.cells) for row in table.rows]
    first = [read_cell(crop(image, box, inset), False) if box else None for box in boxes[0]]
    header = [None if r is None else r[0] for r in first]
    kinds = value_columns(header)
    rows, confidences = [header], [[None if r is None else r[1] for r in first]]
    for row in boxes[1:]:
        read = [None if box is None else read_cell(crop(image, box, inset), kinds[i] if i < len(kinds) else False)
                for i, box in enumerate(row)]
        rows.append([None if r is None else r[0] for r in read])
        confidences.append([None if r is None else r[1] for r in read])
    if not any(kinds):  # a table that goes on from the page before: its header is a body row
        rows, confidences = _reread_values(image, boxes, rows, confidences, inset)
    return Table(rows, number, table.bbox, confidence=confidences, boxes=boxes)


def _wide(bbox: tuple, image: PageImage) -> bool:
    return bbox[2] - bbox[0] >= NARROWEST * image.size[0]


def _inside(box: tuple, table: tuple) -> bool:
    """Whether a line's middle lies in a table's box."""
    x, y = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    return table[0] <= x <= table[2] and table[1] <= y <= table[3]


def _reread_values(image: PageImage, boxes, rows, confidences, inset: float):
    """A table without a header (it continues a page before): its columns whose cells read as
    numbers are read again as value columns."""
    width = max(len(row) for row in rows)
    for i in range(width):
        column = [row[i] for row in rows if i < len(row) and row[i]]
        if column and all(not CJK.search(text) and DIGITS.search(text) for text in column):
            for r, row in enumerate(boxes):
                if i < len(row) and row[i] is not None:
                    rows[r][i], confidences[r][i] = read_cell(crop(image, row[i], inset), True)
    return rows, confidences


def _text_lines(image: PageImage, table_boxes: list[tuple]) -> list[tuple[str, tuple]]:
    """The page's text outside its tables, line by line, with boxes in points."""
    pixels = image.pixels.copy()
    for box in table_boxes:
        x0, top, x1, bottom = (round(v * image.scale) for v in box)
        pixels[max(0, top - 2): bottom + 3, max(0, x0 - 2): x1 + 3] = 255
    if pixels.min() > 160:
        return []
    api = engine("page")
    api.SetImage(Image.fromarray(pixels))
    api.Recognize()
    lines = []
    iterator = api.GetIterator()
    level = tesserocr.RIL.TEXTLINE
    for item in tesserocr.iterate_level(iterator, level) if iterator else ():
        if item.Empty(level):  # a layout block without text (a speck): GetUTF8Text raises on it
            continue
        text = (item.GetUTF8Text(level) or "").strip()
        box = item.BoundingBox(level)
        if text and box:
            lines.append((CJK_SPACE.sub("", text), tuple(v / image.scale for v in box)))
    return lines

