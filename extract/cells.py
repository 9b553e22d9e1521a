"""Cell text with its line structure: a wrapped line ends in '\\n', a paragraph in '\\n\\n'.

pdfplumber's own Table.extract() joins every line with '\\n'; whether a line was wrapped by the
cell's width or ended by its author is only visible in the geometry, so it is read here: a line
that stops short of the cell's right edge by more than the next line's first word needed was
ended on purpose.
"""
from __future__ import annotations

import unicodedata
from bisect import bisect_left
from itertools import pairwise
from operator import itemgetter

from pdfplumber.table import Table as PlumberTable

X_TOLERANCE = 3  # pdfplumber's default: a wider gap between two chars is a space


def table_to_rows(table: PlumberTable, placed: list[tuple[float, float, dict]], v_mids: list[float],
                  inferred: bool = False) -> list[list[str | None]]:
    """Rows of cell texts; None where a merged cell covers. `placed`, `v_mids`: PageContent.by_middle().
    inferred: the columns' sides were inferred from the text (a table without vertical rules), so
    a line's room to its cell's side is measured to where the column's text reaches at most."""
    reach: dict[tuple[float, float], float] = {}
    if inferred:
        x0, top, x1, bottom = table.bbox
        inside = placed[bisect_left(v_mids, top): bisect_left(v_mids, bottom)]
        for row in table.rows:
            for cell in row.cells:
                if cell is not None and (cell[0], cell[2]) not in reach:
                    reach[cell[0], cell[2]] = max((c["x1"] for cx, _, c in inside if cell[0] <= cx < cell[2]), default=cell[2])
    rows = []
    for row in table.rows:
        _, top, _, bottom = row.bbox
        row_chars = placed[bisect_left(v_mids, top): bisect_left(v_mids, bottom)]
        rows.append([None if cell is None else cell_text(cell, row_chars, reach.get((cell[0], cell[2]))) for cell in row.cells])
    return rows


def cell_text(bbox: tuple[float, float, float, float], row_chars: list[tuple[float, float, dict]], reach: float | None = None) -> str:
    """The text of the chars in bbox; `reach`: where the column's text reaches at most, if known."""
    x0, top, x1, bottom = bbox
    inside = [c for cx, cy, c in row_chars if x0 <= cx < x1 and top <= cy < bottom]
    if not inside:
        return ""
    lines = _text_lines(inside)
    if not lines:
        return ""
    padding = max(0.0, min(line["x0"] for line in lines) - x0)
    right = x1 - padding if reach is None else min(x1 - padding, reach)
    out = lines[0]["text"]
    for line, nxt in pairwise(lines):
        room = right - line["x1"]
        out += ("" if _cut_inside(line, nxt, room)
                else "\n" if room < _first_word_width(nxt["chars"]) + 1 else "\n\n") + nxt["text"]
    return out


def _cut_inside(line: dict, nxt: dict, room: float) -> bool:
    """Whether a full line's break cuts a formula's or unit's token ("μg/m" | "3", "/20" | "0*0.6)"):
    LibreOffice breaks such a token at a narrow cell's side. A letter or digit each side of the break,
    the line full (the next char had no room), and an operator or slash in the run across it (up
    to a space or a wide char): a break at a space leaves no such run ("累計:268" | "144",
    "Google" | "Analytics" keep their space)."""
    first = nxt["chars"][0]
    if room >= first["x1"] - first["x0"] or not (_alnum(line["text"][-1:]) and _alnum(nxt["text"][:1])):
        return False
    return not _OPERATORS.isdisjoint(_run(line["text"][::-1]) + _run(nxt["text"]))


_OPERATORS = frozenset("*/+=×÷")


def _alnum(text: str) -> bool:
    return text.isascii() and text.isalnum()


def _run(text: str) -> str:
    """The text's first chars up to a space or a wide char (CJK, full-width punctuation)."""
    end = next((n for n, ch in enumerate(text) if ch.isspace() or unicodedata.east_asian_width(ch) in "WF"), len(text))
    return text[:end]


def _text_lines(chars: list[dict]) -> list[dict]:
    """A cell's chars as lines of text, top to bottom: what pdfplumber's text map gives for
    horizontal text (a gap wider than X_TOLERANCE, or a blank char, is one space), built directly:
    building a text map per cell was a sixth of the time a page takes. A char joins the line whose
    height its middle falls in, so raised or lowered digits (m3, PM2.5) stay in their line."""
    lines: list[list[dict]] = []
    for ch in sorted(chars, key=_TOP_X0):
        mid = (ch["top"] + ch["bottom"]) / 2
        # only the last line can hold it: chars come by their tops, and each line began with a char
        # whose middle lay below the line before
        if lines and lines[-1][0]["top"] <= mid <= lines[-1][0]["bottom"]:
            lines[-1].append(ch)
        else:
            lines.append([ch])
    out = []
    for line in lines:
        parts: list[str] = []
        kept: list[dict] = []
        previous, gap = None, False
        for ch in sorted(line, key=_X0):
            if ch["text"].isspace():
                gap = bool(kept)
                continue
            if previous is not None and (gap or ch["x0"] > previous["x1"] + X_TOLERANCE):
                parts.append(" ")
            parts.append(ch["text"])
            previous, gap = ch, False
            kept.append(ch)
        if kept:
            out.append({"text": "".join(parts), "x0": kept[0]["x0"], "x1": max(c["x1"] for c in kept), "chars": kept})
    return out


_TOP_X0, _X0 = itemgetter("top", "x0"), itemgetter("x0")


def _ideograph(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in "WF" and not unicodedata.category(ch).startswith("P")


def _breaks_before(a: str, b: str) -> bool:
    """A line may break between a and b (UAX #14, reduced to what these tables print)."""
    a, b = a[-1:], b[:1]  # a char's text is one character, but a ligature's or damaged font's may be more or none
    if not (a and b) or b.isspace() or a.isspace():
        return True
    if _ideograph(b):
        return unicodedata.category(a) != "Ps"  # not right after an opening bracket
    return _ideograph(a) and not unicodedata.category(b).startswith("P")


def _first_word_width(chars: list[dict]) -> float:
    """Width of the next line's first unbreakable run ("鐵、", "頃)*100,000)/", "Analytics")."""
    end = chars[0]
    for prev, ch in pairwise(chars):
        if _breaks_before(prev["text"], ch["text"]):
            break
        end = ch
    return end["x1"] - chars[0]["x0"]
