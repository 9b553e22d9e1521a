"""Page geometry on its own: PDFium's char boxes against pdfminer's, ruling edges of path segments,
printed spaces, cell text lines, wrapped lines against paragraphs, and what lies inside a box.
Made-up chars are 10 pt squares unless a case says otherwise."""
from __future__ import annotations

import numpy as np
import pdfplumber
import pytest
from conftest import REPORT_PDF, require

from kpi_scorecard.extract.cells import _breaks_before, _first_word_width, cell_text
from kpi_scorecard.extract.insets import through_merged
from kpi_scorecard.extract.page import PageContent, middle_inside, text_lines
from kpi_scorecard.extract.pdf import _overlap, closing_lines
from kpi_scorecard.extract.pdfium import ASCENT, _apply, _edge, _multiply, _with_word_spaces, open_document, page_content
from kpi_scorecard.extract.settings import UnruledSettings
from kpi_scorecard.extract.unruled import Frame, Rule, _header_cells, _touching, _uncut, _widest_gap, horizontal_rules, unruled_tables


def char(text: str, x0: float, top: float = 0.0, width: float = 10.0, height: float = 10.0, **more) -> dict:
    return {"text": text, "x0": x0, "x1": x0 + width, "top": top, "bottom": top + height, **more}


def line(text: str, x0: float, top: float = 0.0, width: float = 10.0) -> list[dict]:
    return [char(t, x0 + i * width, top, width) for i, t in enumerate(text)]


# --- PDFium against pdfminer on the report's own pages ------------------------------------------

@pytest.mark.parametrize("number", [5, 13, 31, 50])
def test_pdfium_char_boxes_are_pdfminer_s(number):
    """The same chars in the same order; the same font size and baseline (pdfminer's text matrix);
    the same left edge; a box one em tall, ASCENT of it above the baseline."""
    with pdfplumber.open(REPORT_PDF) as pdf:
        page = pdf.pages[number - 1]
        by_pdfminer = [c for c in page.chars if not c["text"].isspace()]
        width, height = page.width, page.height
    content = page_content(open_document(REPORT_PDF), number)
    assert (content.number, content.width, content.height) == (number, pytest.approx(width), pytest.approx(height))
    by_pdfium = [c for c in content.chars if not c["text"].isspace()]
    assert "".join(c["text"] for c in by_pdfium) == "".join(c["text"] for c in by_pdfminer)
    for ours, theirs in zip(by_pdfium, by_pdfminer, strict=True):
        assert ours["size"] == pytest.approx(theirs["size"], abs=1e-6)
        assert ours["bottom"] - (1 - ASCENT) * ours["size"] == pytest.approx(height - theirs["matrix"][5], abs=1e-3)
        assert ours["top"] == pytest.approx(ours["bottom"] - ours["size"], abs=1e-6) == ours["doctop"]
        assert (ours["height"], ours["width"]) == (pytest.approx(ours["size"]), pytest.approx(ours["x1"] - ours["x0"]))
        assert ours["x0"] == pytest.approx(theirs["x0"], abs=0.1)
        assert theirs["x1"] - 2.6 <= ours["x1"] <= theirs["x1"] + 2.6 and ours["x1"] > ours["x0"]
        assert ours["upright"] is True and ours["object_type"] == "char"


# --- edges of path segments ---------------------------------------------------------------------

@pytest.mark.parametrize(
    ("a", "b", "edge"),
    [
        ((10, 20), (110, 20), ("h", 10, 110, 20, 20)),
        ((110, 20.005), (10, 20), ("h", 10, 110, 20, 20.005)),  # within STRAIGHT of level, either way
        ((50, 80), (50, 10), ("v", 50, 50, 10, 80)),
        ((50.01, 80), (50, 10), ("v", 50, 50.01, 10, 80)),
        ((50.02, 80), (50, 10), None),  # slanted by more than STRAIGHT
        ((10, 20.02), (110, 20), None),
        ((0, 0), (30, 40), None),
    ],
)
def test_edge(a, b, edge):
    found = _edge(a, b)
    if edge is None:
        assert found == []
        return
    orientation, x0, x1, top, bottom = edge
    assert found == [{"object_type": "line", "orientation": orientation, "x0": x0, "x1": x1, "top": top,
                      "bottom": bottom, "width": x1 - x0, "height": bottom - top, "doctop": top}]


def test_matrices():
    """PDF matrices compose as row vectors: scale then move is not move then scale."""
    scale, move, flip = (2, 0, 0, 3, 0, 0), (1, 0, 0, 1, 10, 20), (1.0, 0.0, 0.0, -1.0, -5.0, 842.0)
    assert _multiply(scale, move) == (2, 0, 0, 3, 10, 20)
    assert _multiply(move, scale) == (2, 0, 0, 3, 20, 60)
    assert _multiply((1, 2, 3, 4, 5, 6), (7, 8, 9, 10, 11, 12)) == (25, 28, 57, 64, 100, 112)
    assert _apply((1, 2, 3, 4, 5, 6), 10, 100) == (315, 426)
    assert _apply(flip, 100, 800) == (95, 42)  # PDF space to the page's top-down space


# --- printed spaces among PDFium's generated ones ------------------------------------------------

@pytest.mark.parametrize(
    ("space_at", "gap", "space_width", "dy", "printed"),
    [
        (20.31, 0.0, 2.5, 0, True),  # placed past the end of the char before: a printed space
        (20.3, 0.0, 2.5, 0, False),  # at its end, with no gap: PDFium's own
        (20.0, 2.25, 2.5, 0, True),  # a gap of 0.9 of the font's space width: printed
        (20.0, 2.24, 2.5, 0, False),  # LibreOffice's autospace between 13 and 人 is narrower
        (20.31, 3.0, 2.5, 0.5, False),  # the next char on another line: no space between
        (20.31, 3.0, 2.5, 0.49, True),
    ],
)
def test_printed_spaces(space_at, gap, space_width, dy, printed):
    a = char("3", 10.0)
    b = char("人", 20.0 + gap, top=dy)
    out = _with_word_spaces([a, b], {0: (space_at, space_width)})
    space = {**char(" ", 20.0, width=gap), "width": gap}  # a space char spans the gap
    expected = [char("3", 10.0), *([space] if printed else []), b]
    assert out == expected
    assert _with_word_spaces([char("a", 0)], {0: (50, 2.5)}) == [char("a", 0)]  # a line's last char


# --- cell text: lines, spaces, wrapped lines against paragraphs ----------------------------------

CELL = (0.0, 0.0, 100.0, 40.0)  # 2 pt padding: text from x 2 to at most x 98


@pytest.mark.parametrize(
    ("chars", "text"),
    [
        (line("臺北市政府環境保護", 2) + line("局", 2, 12), "臺北市政府環境保護\n局"),  # wrapped: no room for 局
        (line("臺北市政府", 2) + line("局", 2, 12), "臺北市政府\n\n局"),  # ended on purpose
        # 16 pt of room to the right edge against the next line's first word + 1 pt
        (line("臺北市政府環境保", 2) + line("局", 2, 12, width=15.01), "臺北市政府環境保\n局"),
        (line("臺北市政府環境保", 2) + line("局", 2, 12, width=15), "臺北市政府環境保\n\n局"),
        (line("Google", 2) + line("Analytics", 2, 12, width=9), "Google\nAnalytics"),  # a word does not break
        (line("12", 2) + line("9", 2, 12), "12\n\n9"),
        # LibreOffice cuts a unit's or formula's token at a full line's side (seed 11): one token, joined
        (line("單位：μg/m", 2, width=96 / 7) + line("3", 2, 12), "單位：μg/m3"),
        (line("(去年長照個案數/20", 2, width=8) + line("0*0.6)", 2, 12), "(去年長照個案數/200*0.6)"),
        # the same line with room for the next char (7 pt of 8): not cut by the side, a break
        (line("(去年長照個案數/20", 2, width=8) + line("0*0.6)", 2, 12, width=7), "(去年長照個案數/20\n0*0.6)"),
        # a full line broken at a space between two numbers (seed 2, Chromium): no operator in the run, kept apart
        (line("累計:268", 2, width=16) + line("144(衛生局", 2, 12), "累計:268\n144(衛生局"),
        (line("GoogleAnalytic", 2, width=96 / 14) + line("s", 2, 12), "GoogleAnalytic\ns"),
    ],
    ids=["wrapped", "paragraph", "room-short", "room-enough", "latin-word", "numbers",
         "unit-cut-at-side", "formula-cut-at-side", "formula-line-not-full", "numbers-at-a-space", "word-without-operator"],
)
def test_cell_lines(chars, text):
    placed, _ = by_middle(chars)
    assert cell_text(CELL, placed) == text


@pytest.mark.parametrize(
    ("chars", "text"),
    [
        ([char("a", 2), char("b", 15)], "ab"),  # a gap of 3 pt is no space
        ([char("a", 2), char("b", 15.01)], "a b"),  # a wider one is
        ([char("a", 2), char(" ", 12), char("b", 14)], "a b"),  # a printed blank is one space
        ([char(" ", 2), char("a", 12)], "a"),  # nothing before it: none
        ([char("a", 2), char(" ", 12), char(" ", 14), char("b", 16)], "a b"),
        ([char("m", 2), char("3", 12, top=1, height=6)], "m3"),  # raised: its middle is in the line
        ([char("m", 2), char("3", 12, top=9, height=6)], "m\n\n3"),  # middle at 12: below the line
        ([char("a", 2), char("b", 100)], "a"),  # middle past the cell's right edge
        ([char("a", 2), char("b", 95)], "a"),  # middle at 100: outside (x1 excluded)
        ([char("a", 2), char("b", 94.99)], "a b"),
        ([char("a", -5), char("b", 12)], "a b"),  # middle at 0: inside (x0 included)
        ([char("a", 2, top=35)], ""),  # middle at 40: outside (bottom excluded)
        ([char("a", 2, top=-5)], "a"),  # middle at 0: inside
        ([], ""),
    ],
)
def test_cell_text_spaces_and_bounds(chars, text):
    placed, _ = by_middle(chars)
    assert cell_text(CELL, placed) == text


def by_middle(chars: list[dict]) -> tuple[list, list]:
    return PageContent(1, 100, 100, chars, []).by_middle()


def test_by_middle():
    a, b, c = char("a", 0, 20), char("b", 10, 0), char("c", 20, 10, height=4)
    assert by_middle([a, b, c]) == ([(15, 5, b), (25, 12, c), (5, 25, a)], [5, 12, 25])


@pytest.mark.parametrize(
    ("a", "b", "breaks"),
    [
        ("臺", "北", True), ("a", "北", True), ("北", "a", True), ("北", "1", True),
        ("(", "北", False),  # not after an opening bracket
        ("（", "北", False),
        ("北", "、", False), ("北", "）", False), ("北", ")", False),  # not before punctuation
        ("a", "b", False), ("1", "2", False), ("1", ",", False), ("-", "a", False),
        ("a", " ", True), (" ", "a", True), ("", "a", True), ("a", "", True),
        ("北(", "京", False),  # a ligature's last character decides
    ],
)
def test_breaks_before(a, b, breaks):
    assert _breaks_before(a, b) is breaks


def test_first_word_width():
    assert _first_word_width(line("Analytics 統計", 2, width=5)) == 45  # up to the space
    assert _first_word_width(line("鐵、北", 2)) == 20  # 、 stays with 鐵
    assert _first_word_width(line("北京", 2)) == 10
    assert _first_word_width(line("x", 7, width=3)) == 3


# --- a band shaded across a row, through a merged cell ---------------------------------------

def hedge(x0: float, x1: float, y: float) -> dict:
    return {"orientation": "h", "x0": x0, "x1": x1, "top": y, "bottom": y, "width": x1 - x0}


# seed 43 (LibreOffice, grid and zebra bands): the band's edge runs across the whole table at 316.0,
# the grid's rules on its line stop at the formula's merged cell (347.4 to 404.6), whose 9 pt text
# runs on across it, its lines 2.5 pt apart; a border there would leave the cells' padding between
# the lines besides (Chromium's zebra: 2 pt each side)
BAND, RULES = hedge(42.5, 552.8, 316.0), [hedge(106.2, 347.4, 316.1), hedge(404.6, 553.2, 316.1)]


@pytest.mark.parametrize(
    ("edges", "below", "kept"),
    [
        ([BAND, *RULES], 317.5, [(42.5, 347.4), (404.6, 552.8), (106.2, 347.4), (404.6, 553.2)]),  # 2.5 pt: runs on
        ([BAND, *RULES], 318.6, [(42.5, 552.8), (106.2, 347.4), (404.6, 553.2)]),  # 3.6 pt: more than its lines' 2.5 + 1
        ([BAND], 317.5, [(42.5, 552.8)]),  # no rules on its line: a band's edge is the row's border
        # a rule on one side only (or none but a dot, 42.5 to 42.5): no merged cell between rules, the band kept
        ([BAND, RULES[1], hedge(42.5, 42.5, 316.0)], 317.5, [(42.5, 552.8), (42.5, 42.5), (404.6, 553.2)]),
    ],
    ids=["text-runs-on", "cells-padded", "no-rules-beside", "rule-on-one-side"],
)
def test_a_band_through_a_merged_cell_is_no_border(edges, below, kept):
    chars = [c for n, text in enumerate(("活動+臺北文", "化特色之優", "質展演活動+")) for c in line(text, 350, 283 + 11.5 * n, width=9)]
    chars += line("臺北客家義", 350, below, width=9) + line("民嘉年華活", 350, below + 11.5, width=9)
    for c in chars:
        c["bottom"] = c["top"] + 9
    assert [(e["x0"], e["x1"]) for e in through_merged(edges, chars)] == kept


# --- what lies inside a box ---------------------------------------------------------------------

@pytest.mark.parametrize(
    ("obj", "inside"),
    [
        ({"x0": 0, "x1": 20, "top": 0, "bottom": 20}, True),  # middle (10, 10): the corner, inclusive
        ({"x0": 0, "x1": 19.98, "top": 10, "bottom": 30}, False),
        ({"x0": 190, "x1": 210, "top": 90, "bottom": 110}, True),  # (200, 100): the other corner
        ({"x0": 190, "x1": 210.02, "top": 90, "bottom": 110}, False),
        ({"x0": 190, "x1": 210, "top": 90, "bottom": 110.02}, False),
        ({"x0": 50, "x1": 60, "top": 9, "bottom": 10.98}, False),
        ({"x0": 50, "x1": 60, "top": 9, "bottom": 11}, True),
    ],
)
def test_middle_inside(obj, inside):
    assert middle_inside(obj, (10, 10, 200, 100)) is inside


def test_within_keeps_what_lies_in_the_box():
    chars = [char("a", 0), char("b", 50), char("c", 150)]
    edges = [{"x0": 0, "x1": 100, "top": 5, "bottom": 5}, {"x0": 120, "x1": 300, "top": 5, "bottom": 5}]
    page = PageContent(3, 200.0, 300.0, chars, edges)
    part = page.within((0, 0, 100, 10))
    assert (part.number, part.width, part.height, part.chars, part.edges) == (3, 200.0, 300.0, chars[:2], edges[:1])
    assert page.bbox == (0.0, 0.0, 200.0, 300.0)


# --- rules closing a table a page break cut ------------------------------------------------------

def vertical(x: float, top: float, bottom: float) -> dict:
    return {"orientation": "v", "x0": x, "x1": x, "top": top, "bottom": bottom, "height": bottom - top}


def test_closing_lines_where_vertical_rules_stop():
    """Four columns' rules stop at 100 and at 800 with no horizontal rule drawn; the rule at x 200
    is two (a merged cell's side going on at 400), which closes nothing; a rule alone, or shorter
    than the tolerance, closes nothing either."""
    edges = [vertical(10, 100, 800), vertical(100, 100.4, 800), vertical(200, 100, 400), vertical(200.5, 400, 800),
             vertical(300, 100, 799), vertical(500, 50, 60), vertical(600, 100, 101.5),
             {"orientation": "h", "x0": 0, "x1": 600, "top": 20, "bottom": 20, "height": 0}]
    page = PageContent(1, 600.0, 842.0, [], edges)
    line = {"height": 0, "orientation": "h", "object_type": "line"}
    assert closing_lines(page) == [
        {"x0": 10, "x1": 300, "top": 100, "bottom": 100, "width": 290, **line},
        {"x0": 10, "x1": 300, "top": 800, "bottom": 800, "width": 290, **line},
    ]
    assert closing_lines(PageContent(1, 600.0, 842.0, [], edges[:2] + [vertical(100, 300, 900)])) == [
        {"x0": 10, "x1": 100, "top": 100, "bottom": 100, "width": 90, **line}]  # 800 goes on at x 100


@pytest.mark.parametrize(
    ("a", "b", "overlap"),
    [((0, 0, 10, 10), (5, 5, 15, 15), True), ((0, 0, 10, 10), (10, 0, 20, 10), False),
     ((0, 0, 10, 10), (0, 10, 10, 20), False), ((0, 0, 10, 10), (2, 2, 3, 3), True), ((5, 5, 15, 15), (0, 0, 10, 10), True),
     ((0, 0, 10, 10), (-5, 9.9, 0.1, 30), True), ((0, 0, 10, 10), (-5, 10.1, 0.1, 30), False)],
)
def test_overlap(a, b, overlap):
    assert _overlap(a, b) is overlap


# --- tables without vertical rules: their rules and header lines ---------------------------------

def horizontal(x0: float, x1: float, y: float) -> dict:
    return {"orientation": "h", "x0": x0, "x1": x1, "top": y, "bottom": y}


def test_horizontal_rules():
    """A rule drawn in segments is one rule, a box-drawn border's two edges are one; a rule shorter
    than 20 pt is none, and vertical edges are no rules."""
    edges = [horizontal(51, 200, 100), horizontal(0, 50, 100.5), horizontal(10, 300, 400.8), horizontal(10, 300, 400),
             horizontal(0, 19.9, 250), horizontal(0, 20, 260), horizontal(300, 400, 100), vertical(5, 0, 500)]
    assert horizontal_rules(PageContent(1, 600.0, 842.0, [], edges)) == [
        Rule(100, 300, 400), Rule(100.5, 0, 200), Rule(260, 0, 20), Rule(400.8, 10, 300)]  # at the first segment's height


@pytest.mark.parametrize(
    ("lower_top", "rules", "touching"),
    [(12, [], True), (13, [], True), (13.01, [], False), (12, [11], False), (12, [8.51], False), (12, [8.5], True),
     (12, [13.49], False), (12, [13.5], True)],
)
def test_touching(lower_top, rules, touching):
    """The next line of a wrapped name starts within 0.3 of its height below, with no rule between."""
    upper = {"top": 0, "bottom": 10}
    assert _touching(upper, {"top": lower_top, "bottom": lower_top + 10}, rules) is touching


def unruled_page(closing_rule: float) -> PageContent:
    """A table without vertical rules: its six column names on a line at 100, a rule under them at
    115, two rows (KPI codes AB1.1 and AB1.2) at 120 and 135, its last line's bottom at 145, and a
    rule across at `closing_rule`. 10 pt chars, the names 100 pt apart, the rules from 40 to 620."""
    def word(text: str, x0: float, top: float) -> list[dict]:
        return [char(t, x0 + 10 * i, top, size=10.0, upright=True, doctop=top) for i, t in enumerate(text)]
    chars = [c for i, name in enumerate(["關鍵", "公式", "行動", "主責", "目標", "實際"]) for c in word(name, 50 + 100 * i, 100)]
    for top, code in ((120, "AB1.1"), (135, "AB1.2")):
        chars += word(code, 50, top) + [c for i in range(1, 6) for c in word("數值", 50 + 100 * i, top)]
    rules = [{**horizontal(40, 620, y), "width": 580, "height": 0} for y in (115, closing_rule)]
    return PageContent(1, 700.0, 900.0, chars, rules)


@pytest.mark.parametrize(("closing_rule", "bottom"), [
    (159, 159), (160, 160),  # up to a paragraph's gap (1.5 line heights, 15 pt) below the last line: the table's
    (160.5, 146),  # farther: not the table's, which ends 1 pt below its last line
])
def test_a_table_without_vertical_rules_ends_at_a_rule_within_a_paragraph_s_gap(closing_rule, bottom):
    page = unruled_page(closing_rule)
    (table,) = unruled_tables(page, text_lines(page.chars), UnruledSettings())
    assert table.bbox == (40, 99, 620, bottom)  # from the rules' ends, 1 pt above the names
    assert table.extract() == [["關鍵", "公式", "行動", "主責", "目標", "實際"], ["AB1.1", *["數值"] * 5], ["AB1.2", *["數值"] * 5]]


def test_a_shaded_band_does_not_cut_a_merged_cell_whose_text_runs_on_over_it():
    """Three columns (0-100-200-300). The middle one's text runs on in lines 2 pt apart (10-20,
    22-32, 34-44: a merged cell); the right one prints at 10-20 and 36-46, farther apart than a
    paragraph's lines (the lowest quarter of the gaps, 2, and 1.5: 3.5). A rule at 33 across the
    table is kept where the text does not run through it (left and right columns), one from 150
    only over the right column; one below all text, and vertical edges, are kept whole."""
    column_lines = [[(10, 20)], [(10, 20), (22, 32), (34, 44)], [(10, 20), (36, 46)]]
    frame = Frame(0, 50, [0, 100, 200, 300], 5, [], column_lines, True, [], None)
    band, partial, low, side = horizontal(0, 300, 33), horizontal(150, 300, 33), horizontal(0, 300, 48), vertical(100, 0, 50)
    assert _uncut([band, partial, low, side], frame) == [
        side, {**band, "x0": 0, "x1": 100, "width": 100}, {**band, "x0": 200, "x1": 300, "width": 100},
        {**partial, "x0": 200, "x1": 300, "width": 100}, low]


@pytest.mark.parametrize(
    ("lines", "gap"),
    [
        ([(10, 20), (25, 30), (40, 50)], 5),  # free 0-10, 20-25, 30-40, 50-60: of the widest (10), the first
        ([(-5, 5), (20, 28), (50, 70)], 39),  # lines reaching past the band count inside it: free 5-20, 28-50
        ([(10, 20), (12, 40)], 50),  # overlapping lines cover 10-40 together: free 0-10, 40-60
        ([(0, 60)], None),  # no band free
    ],
)
def test_widest_gap(lines, gap):
    """Where a centred KPI code's row starts: the middle of the widest band between 0 and 60 that no line crosses."""
    assert _widest_gap([{"top": a, "bottom": b} for a, b in lines], 0, 60) == gap


def test_a_page_turned_straight_stays_white_where_it_had_no_paper():
    """The corners a rotation brings in are paper (255), not ink: no rule or mark is read there."""
    require("cv2", "OpenCV turns scanned pages (the ocr extra)")
    from kpi_scorecard.extract.scan import rotate

    turned = rotate(np.full((100, 200), 255, dtype=np.uint8), 5.0)
    assert turned.shape == (100, 200) and int(turned.min()) == 255


def test_a_header_name_wrapped_reads_top_to_bottom():
    """實際 over 達成值, the lower line starting further left (a centred name): one name, read top
    to bottom, spanning both lines; 關鍵 beside them is a name of its own."""
    def words(text: str, x0: float, top: float) -> dict:
        return {"chars": [char(t, x0 + 10 * i, top, size=10.0) for i, t in enumerate(text)], "top": top, "bottom": top + 10}
    assert _header_cells([words("實際", 110, 0), words("達成值", 100, 12), words("關鍵", 10, 0)]) == [
        ("關鍵", (10, 30)), ("實際達成值", (100, 130))]
