"""extract/page.py's text_lines against pdfplumber's own (`chars_to_textmap(...).extract_text_lines`),
whose lines it claims to give: every page of both bundled PDFs, and hand-made chars for what
pdfplumber does besides grouping by 3 pt (a ligature's letters, an empty char a word of its own,
blank chars, lines chained by their words' tops, rotated chars)."""
from __future__ import annotations

import pytest
from conftest import REPORT_PDF, SAMPLES
from pdfplumber.utils.text import chars_to_textmap

from kpi_scorecard.extract.page import text_lines
from kpi_scorecard.extract.pdf import PdfPages
from kpi_scorecard.extract.settings import PdfSettings


def pdfplumber_lines(chars: list[dict]) -> list[dict]:
    return chars_to_textmap(chars).extract_text_lines(strip=True, return_chars=True) if chars else []


def same(lines: list[dict], expected: list[dict]) -> None:
    """The same lines: text and box alike, and the same char objects, in the same order."""
    assert [{k: v for k, v in line.items() if k != "chars"} for line in lines] == \
        [{k: v for k, v in line.items() if k != "chars"} for line in expected]
    assert [[id(c) for c in line["chars"]] for line in lines] == [[id(c) for c in line["chars"]] for line in expected]


@pytest.mark.parametrize("pdf", [REPORT_PDF, SAMPLES / "h-109-deck.pdf"], ids=["report", "deck"])
def test_every_page_s_lines_are_pdfplumber_s(pdf):
    with PdfPages(pdf, PdfSettings()) as document:
        pages = [document.content(n) for n in range(1, document.total + 1)]
    for page in pages:
        same(text_lines(page.chars), pdfplumber_lines(page.chars))
    assert sum(len(text_lines(page.chars)) for page in pages) > 10 * len(pages)  # not a comparison of nothing


def char(text: str, x0: float, top: float, size: float = 10.0, upright: bool = True) -> dict:
    return {"object_type": "char", "text": text, "x0": x0, "x1": x0 + size, "top": top, "bottom": top + size,
            "width": size, "height": size, "size": size, "upright": upright, "doctop": top}


CASES = {
    "a ligature's letters": [char("o", 0, 0), char("ﬁ", 10, 0), char("ce", 20, 0)],
    "an empty char is a word of its own": [char("a", 0, 0), char("", 10, 0), char("b", 20, 0), char("", 40, 20)],
    "blank chars end words and lines begin with none": [char(" ", 0, 0), char("a", 10, 0), char(" ", 20, 0), char("b", 30, 0),
                                                        char("\u3000", 40, 0)],
    "gaps beyond 3 pt and chars before the last's start": [char("a", 0, 0), char("b", 13.5, 0), char("c", 5, 0), char("d", 40, 1)],
    # char tops 0, 2.5 and 5 chain into one line; its words' tops (0 and 5) do not
    "lines chained by tops": [char("a", 0, 0), char("b", 10, 2.5), char("c", 30, 5), char("d", 60, 0)],
    "a char with spaces in its text": [char(" a", 0, 0), char("b ", 20, 0), char("  ", 40, 0)],
    "a rotated char": [char("a", 0, 0), char("b", 0, 20, upright=False)],
    "a line break in a char's text": [char("a\nb", 0, 0), char("c", 10, 0)],
}


@pytest.mark.parametrize("case", CASES)
def test_hand_made_lines_are_pdfplumber_s(case):
    same(text_lines(CASES[case]), pdfplumber_lines(CASES[case]))


def test_lines_chained_by_their_chars_tops_split_where_their_words_tops_do_not_chain():
    """pdfplumber groups chars into lines by their tops (0, 2.5, 5 chain within 3 pt), then the words
    into lines by the words' tops (0 and 5 do not): runs of one such line, in the chars' order."""
    assert [line["text"] for line in text_lines(CASES["lines chained by tops"])] == ["ab", "c", "d"]
