"""The small geometry of tables without vertical rules (extract/unruled.py) on made-up extents:
what a char prints on, runs of text, paragraphs of a column, where text runs on through a height,
merged cells, and whether cells are top-aligned. Every expected value is worked out by hand from
the docstrings' rules; extents are (top, bottom) in points, top down."""
from __future__ import annotations

import re
from itertools import pairwise

import pytest

from kpi_scorecard.extract.settings import UnruledSettings
from kpi_scorecard.extract.unruled import (
    _blocks_top_aligned,
    _centred_rows,
    _clusters,
    _column_lines,
    _flows,
    _ink,
    _leading,
    _line,
    _merged,
    _overlap,
    _paragraph,
    _paragraphs,
    _spans,
    _text_runs,
    _top_aligned,
    column_boundaries,
    find_headers,
)


def char(text: str, x0: float, x1: float, top: float = 0.0, bottom: float = 10.0) -> dict:
    return {"text": text, "x0": x0, "x1": x1, "top": top, "bottom": bottom}


@pytest.mark.parametrize(
    ("text", "ink"),
    [
        ("a", (0, 10)),
        ("中", (0, 10)),  # wide, but a letter: all of it
        ("」", (0, 5)),  # a closing bracket prints on its left half
        ("，", (0, 5)),  # full-width comma (Po): left half
        ("「", (5, 10)),  # an opening bracket prints on its right half
        ("（", (5, 10)),  # full-width parenthesis (Ps, width F)
        ("“", (0, 10)),  # a quote of ambiguous width: all of it
        ("」」", (0, 10)),  # a ligature's text (two characters): all of its box
    ],
)
def test_ink(text, ink):
    assert _ink(char(text, 0, 10)) == ink


def test_text_runs():
    """A gap of at most `gap` joins; a space char is no text; a char inside the run does not shorten it."""
    chars = [char("d", 33, 40), char("a", 0, 10), char("e", 2, 5), char("b", 11, 21), char("c", 22.5, 30), char(" ", 30, 33)]
    assert _text_runs({"chars": chars}) == [(0, 21), (22.5, 30), (33, 40)]
    assert _text_runs({"chars": chars}, gap=3) == [(0, 40)]
    assert _text_runs({"chars": chars}, gap=1.4) == [(0, 21), (22.5, 30), (33, 40)]
    assert _text_runs({"chars": chars}, gap=0.5) == [(0, 10), (11, 21), (22.5, 30), (33, 40)]
    assert _text_runs({"chars": [char(" ", 0, 5)]}) == []


def test_no_column_boundary_between_a_plan_code_and_its_name():
    """Seed 120 (A5, 8 pt, numbers centred): every plan code as wide leaves a gap down the plan column
    between code and name, wider than a word space and with text starting and ending at it on every
    line (the names on one line); the boundary goes in the gap between the centred targets and the codes, where a header
    centred in its column puts it."""
    def word(text: str, x0: float, top: float) -> list[dict]:
        return [char(t, x0 + 4 * i, x0 + 4 * (i + 1), top, top + 8) | {"size": 8.0} for i, t in enumerate(text)]

    body = [{"chars": word(target, 116, 20.0 * n) + word(plan, 150, 20.0 * n) + word("推動計畫", 182, 20.0 * n)}
            for n, (target, plan) in enumerate([("46", "BC3.1.1"), ("80", "BC3.2.1"), ("10", "BC3.3.1")])]
    chars = [c for line in body for c in line["chars"]]
    anchors = [(100.0, 140.0), (196.0, 236.0)]  # 目標值 and 行動計畫, each centred over its column
    code = re.compile(UnruledSettings().entry_code)
    assert column_boundaries(anchors, chars, body=body, left_side=80.0, code=code) == [(140 + 150) / 2]  # from the target header's end to the codes
    assert column_boundaries(anchors, chars, body=body, left_side=80.0) == [(178 + 182) / 2]  # without: inside the plan column


@pytest.mark.parametrize(
    ("a", "b", "overlap"),
    [((0, 10), (10, 20), False), ((0, 10), (9, 20), True), ((5, 6), (0, 10), True), ((0, 10), (-5, 0), False),
     ((0, 10), (-5, 1), True), ((0, 10), (20, 30), False)],
)
def test_overlap(a, b, overlap):
    assert _overlap(a, b) is overlap
    assert _overlap(b, a) is overlap


def test_spans():
    """Overlapping extents joined (touching ones not), top to bottom; one inside another keeps the outer's bottom."""
    assert _spans([(20, 30), (0, 10), (5, 12), (12, 15), (21, 22)]) == [(0, 12), (12, 15), (20, 30)]
    assert _spans([]) == []


def test_paragraphs():
    """Lines no farther apart than `paragraph` are one paragraph."""
    column = [(0, 10), (12, 22), (25, 35), (39, 49)]
    assert _paragraphs(column, 3) == [(0, 35), (39, 49)]
    assert _paragraphs(column, 2.9) == [(0, 22), (25, 35), (39, 49)]
    assert _paragraphs(column, 4) == [(0, 49)]
    assert _paragraphs([], 3) == []


@pytest.mark.parametrize(
    ("lines", "paragraph"),
    [
        ([[(0, 10), (12, 22), (24, 34)], [(0, 10), (30, 40)]], 2 + 1.5),  # gaps 2, 2, 20: the repeated 2
        ([[(0, 10), (13, 20), (23, 30)], [(0, 1), (9, 10), (19, 20), (30, 31), (42, 43), (55, 56), (69, 70)]],
         3 + 1.5),  # gaps 3, 3, 8, 9, 10, 11, 12, 13: the quarter (8) is higher than the repeated 3
        ([[(0, 10), (11, 20), (22, 30), (36, 40), (46, 50)], [(0, 1), (8, 9)]],
         2 + 1.5),  # gaps 1, 2, 6, 6, 7: the quarter (index 1) is 2, lower than the repeated 6
        ([[(0, 10), (12.1, 20), (21.9, 30)], [(0, 10), (40, 50), (80, 90), (120, 130)]],
         2 + 1.5),  # 1.9, 2.1, 30, 30, 30: 2.1 and 1.9 both count as 2, less than the quarter (2.1)
        ([[(0, 10), (12, 20)], [(0, 10), (45, 50)]], 2 + 1.5),  # gaps 2, 35: the quarter (index 0)
        ([[(0, 10), (11, 20), (25, 30), (36, 40), (47, 50)]], 5 + 1.5),  # gaps 1, 5, 6, 7: the quarter is index 1
        ([[(0, 10)], [(3, 8)]], 1.5),  # no gaps
    ],
)
def test_paragraph(lines, paragraph):
    assert _paragraph(lines) == pytest.approx(paragraph)


@pytest.mark.parametrize(
    ("y", "paragraph", "flows"),
    [
        (5, 3, True),  # a line crosses it
        (11, 3, True),  # between two lines 2 apart
        (10, 3, True),  # at a line's bottom: between it and the next
        (30, 3, False),  # between lines 18 apart
        (-5, 3, False),  # above all text
        (60, 3, False),  # below all text
        (11, 1.9, False),  # 2 apart is more than this paragraph's
        (11, 2, True),  # exactly a paragraph's gap
        (12, 3, True),  # at a line's top: between it and the one above
        (40, 3, False),  # at a line's top, far below the one above: it does not cross it
        (50, 3, False),  # at the last line's bottom
        (22, 3, False),  # at a line's bottom, far above the next
    ],
)
def test_flows(y, paragraph, flows):
    assert _flows([(0, 10), (12, 22), (40, 50)], y, paragraph) is flows


def test_clusters():
    assert _clusters([1, 1.5, 2.6, 5, 5.9, 7], 1.0) == [[1, 1.5], [2.6], [5, 5.9], [7]]
    assert _clusters([0, 1.0, 2.0], 1.0) == [[0, 1.0, 2.0]]  # within the tolerance exactly
    assert _clusters([0, 1.0, 2.0], 0.5) == [[0], [1.0], [2.0]]
    assert _clusters([], 1.0) == []


def test_column_lines():
    """Chars whose middle lies in [x0, x1); a char starting more than 1 pt above a line's bottom is in the line."""
    chars = [
        char("c", 20, 30, 9.6, 19.6),  # starts 0.9 above the line's bottom (10.5): a line of its own
        char("a", 0, 10, 0, 10),
        char("b", 10, 20, 0.5, 10.5),
        char("e", -5, 5, 30, 40),  # middle at x0: inside
        char("f", 95, 105, 60, 70),  # middle at x1: outside
        char("g", 60, 70, 31, 39),
    ]
    assert _column_lines(chars, 0, 100) == [(0, 10.5), (9.6, 19.6), (30, 40)]
    assert _column_lines(chars, 100, 200) == [(60, 70)]  # f: its middle at x0
    assert _column_lines([char("a", 0, 10, 0, 10), char("b", 10, 20, 9, 19)], 0, 100) == [(0, 10), (9, 19)]  # 1 pt above
    assert _column_lines([char("a", 0, 10, 0, 10), char("b", 10, 20, 8.9, 18.9)], 0, 100) == [(0, 18.9)]


def centred_rows(rows: int) -> list[dict]:
    """Text lines of `rows` rows of cells centred side by side (11 pt lines 15.75 pt apart, 4.75 pt
    between them; 9.25 pt between rows, seed 213's Chromium rendering): a name of 4 lines (x 0–100),
    a number of one line (x 120–200) 23.625 pt below its top, a plan of two (x 220–300) 8 pt below
    it, a note of one (x 320–400) 39 pt below it."""
    lines = []
    for r in range(rows):
        top = r * 67.5  # 4 lines 58.25 pt high, 9.25 below: the next row
        extents = [(top + 15.75 * n, 0, 100) for n in range(4)] + [(top + 23.625, 120, 200)] + [
            (top + 8 + 15.75 * n, 220, 300) for n in range(2)] + [(top + 39, 320, 400)]
        for y, x0, x1 in extents:
            chars = [{"text": "字", "x0": x, "x1": x + 11, "top": y, "bottom": y + 11, "size": 11} for x in range(x0, x1 - 10, 11)]
            lines.append({"text": "字" * len(chars), "x0": x0, "x1": x1, "top": y, "bottom": y + 11, "chars": chars})
    return sorted(lines, key=lambda line: line["top"])


def test_leading_of_cells_centred_side_by_side():
    """The gap between a cell's own lines (4.75), not the one between rows (9.25): lines of other
    columns fill the gaps inside a cell, so the gaps between whole lines one below the other are
    the rows' (seed 213's header took in the first row under it, 9.25 below its names)."""
    lines = centred_rows(9)
    assert sorted({round(b["top"] - a["bottom"], 2) for a, b in pairwise(lines) if b["top"] > a["bottom"]}) == [9.25]
    assert _leading(lines) == 4.75
    assert _leading(centred_rows(1)) == 4.75  # 4 gaps (3 in the name, 1 in the plan), all alike


def printed(top: float, runs: list[tuple[float, float, str]], size: float = 10) -> dict:
    """A text line of 10 pt chars at `top`: each run's text spread evenly over its x-extent."""
    chars = [{"text": t, "x0": x0 + (x1 - x0) * i / len(text), "x1": x0 + (x1 - x0) * (i + 1) / len(text), "top": top,
              "bottom": top + size, "size": size} for x0, x1, text in runs for i, t in enumerate(text)]
    return {"text": " ".join(text for _, _, text in runs), "x0": runs[0][0], "x1": runs[-1][1], "top": top, "bottom": top + size,
            "chars": chars}


def test_leading_of_a_page_holding_a_header_and_a_cut_rows_rest():
    """Seed 185's last page (Chromium, bottom-aligned): the header, its year names wrapped above the
    others ("110 年實際" over "值"), and HF3.2's formula's rest under it, 4.25 pt between lines; the
    first line under the header 5.75 below it. 6 gaps in all, 5 of them 4.25: the leading (read as
    unknown, the header's names 4.25 apart were taken for two bands and the table skipped)."""
    lines = [
        printed(55.7, [(271, 320, "110年實際"), (327, 375, "110年目標")]),
        printed(69.95, [(68.6, 129, "關鍵績效指標"), (183, 233, "公式及單位"), (290, 300, "值"), (345, 355, "值"),
                        (383, 423, "主責機關"), (468, 508, "行動計畫")]),
        printed(85.7, [(150.5, 270, "出可用預算數(當年度預算"), (430, 450, "機制")]),
        printed(99.95, [(150.5, 255, "數+保留數+補辦預算數)")]),
        printed(114.2, [(150.5, 188.6, "×100%")]),
        printed(128.45, [(150.5, 189.7, "單位：%")]),
    ]
    assert _leading(lines) == 4.25
    assert _leading(lines[:4]) is None  # 3 gaps of 4.25 and one of 5.75: too few to tell
    header, = find_headers(lines, UnruledSettings())
    assert [line["text"] for line in header.lines] == ["110年實際 110年目標", "關鍵績效指標 公式及單位 值 值 主責機關 行動計畫"]


# seed 241 (LibreOffice, cells bottom-aligned, 8 pt lines 8.45 apart): HP2.2's name and plan printed
# at its row's top, its values and agency at its foot right under them, its formula's 3 lines from
# the name's top to the values' bottom; above them the rest of the row before (3 formula lines)
HP22_NAME, HP22_VALUE = [(96.3, 104.3), (104.7, 112.7)], [(113.2, 121.2)]
SEED9_VALUES = [(442.702, 452.7), (465.952, 475.95), (489.952, 499.95)]
HP22_FORMULA = [(66.4, 74.4), (74.9, 82.9), (83.3, 91.3), (96.3, 104.3), (104.7, 112.7), (113.2, 121.2)]


@pytest.mark.parametrize(
    ("columns", "parts"),
    [
        # the values 0.5 below the name: no cells' padding between, one row (they were two: its
        # name and plan a row without values, HP2.2's numbers NULL)
        ([HP22_NAME, HP22_NAME, HP22_VALUE, HP22_VALUE, HP22_FORMULA, HP22_VALUE], [93.8]),
        # the values 5.5 below it, beside a formula merged over both: two rows
        ([HP22_NAME, HP22_NAME, [(118.2, 126.2)], [(118.2, 126.2)],
          [*HP22_FORMULA[:3], (101.3, 109.3), (109.7, 117.7), (118.2, 126.2)], [(118.2, 126.2)]], [93.8, 115.45]),
        # seed 9 (Chromium, 10 pt lines 11.25 apart): CP2.1's 3 measures one line each, 13.25 and 14 pt
        # apart, beside merged cells bottom-aligned at the table's foot; the agency's (文化 / 局) starts
        # 2.752 below measure 2: measure 3's numbers are a row of their own all the same
        ([[(456.202, 466.2), (467.452, 477.45), (478.702, 488.7), (489.952, 499.95)],
          [*((341.452 + 11.25 * n, 351.45 + 11.25 * n) for n in range(10)), (465.952, 475.95), (489.952, 499.95)],
          [(422.452 + 11.25 * n, 432.45 + 11.25 * n) for n in range(7)], SEED9_VALUES, SEED9_VALUES,
          [(276.202 + 11.25 * n, 286.2 + 11.25 * n) for n in range(20)], [(478.702, 488.7), (489.952, 499.95)]], [459.33, 477.33]),
    ],
)
def test_centred_rows_of_cells_printed_at_a_row_top_and_foot(columns, parts):
    paragraph = 1.9 if columns[0] == HP22_NAME else 2.8
    assert [round(y, 2) for y in _centred_rows(columns, paragraph)] == parts


def test_line():
    assert _line(10, 50, 20, 20.5) == {"x0": 10, "x1": 50, "top": 20, "bottom": 20.5, "width": 40, "height": 0.5,
                                       "object_type": "line"}


@pytest.mark.parametrize(
    ("blocks", "bounds", "spans"),
    [
        ([(15, 25)], [0, 20, 40, 60], [(0, 40)]),  # centred on the rows 0–20 and 20–40
        ([(18, 26)], [0, 20, 40, 60], [(0, 40)]),  # its middle 2 below theirs: within the tolerance
        ([(17.5, 27)], [0, 20, 40, 60], []),  # 2.25 below: not centred on them
        ([(25, 35)], [0, 20, 40, 60, 80], [(0, 60)]),  # three rows
        ([(5, 15), (25, 35)], [0, 20, 40, 60, 80], []),  # the first row holds another block: not merged into it
        ([(25, 35)], [0, 20, 40], []),  # one row only
        ([(5, 55), (12, 20)], [10, 30, 50], [(10, 50)]),  # reaching past the first and last bounds
        ([(5, 55), (35, 45)], [10, 30, 50], [(10, 50)]),  # past the last bound: the last row is its own
        ([(18.5, 21.5), (5, 10)], [0, 20, 40, 60], []),  # its top 1.5 above a bound: it starts in that row
        ([(18.5, 21.5), (30, 35)], [0, 20, 40, 60], []),  # its bottom 1.5 below a bound: it ends in that row
        ([(56, 60)], [0, 20, 40, 60], []),
        ([(15, 25), (-5, 5)], [0, 20, 40, 60], [(0, 40)]),  # a block across the first bound is not in its rows
        ([(15, 25), (38, 45)], [0, 20, 40, 60], [(0, 40), (20, 60)]),
        ([(35, 45)], [0, 20, 40, 60, 80], [(20, 60), (0, 80)]),
        ([(35, 45), (-10, 0)], [0, 20, 40, 60, 80], [(20, 60), (0, 80)]),  # a block ending at the first bound
        ([(35, 45), (20, 25)], [0, 20, 40, 60, 80], [(20, 60), (0, 80)]),  # a block starting at a bound
        ([(35, 45), (60, 70)], [0, 20, 40, 60, 80], [(20, 60)]),  # the row 60–80 holds another block
        ([(-5, 45)], [0, 20, 40, 60], []),  # the rows 0–40 are centred on its middle but end above it
        ([(15, 41)], [0, 20, 40, 60], [(0, 60)]),  # 1 pt into the row 40–60: in it
    ],
)
def test_merged(blocks, bounds, spans):
    assert _merged(blocks, bounds) == spans


def rows(offsets: list[float]) -> list[list[tuple[float, float]]]:
    """Two columns, a row every 50 pt: the first column one line `offset` below the row's top, the second two lines."""
    first = [(50 * r + d, 50 * r + d + 10) for r, d in enumerate(offsets)]
    second = [line for r in range(len(offsets)) for line in ((50 * r, 50 * r + 10), (50 * r + 12, 50 * r + 22))]
    return [first, second]


@pytest.mark.parametrize(
    ("offsets", "aligned"),
    [
        ([0, 0, 0, 0, 0], True),
        ([0, 0, 0, 0, 6], True),  # 4 rows of 5: at least 80 %
        ([0, 0, 0, 6], False),  # 3 of 4
        ([0.9] * 5, True),  # starts less than 1 pt apart
        ([1.0] * 5, False),
        ([6, 6, 6, 6, 6], False),  # centred on the second column's two lines
    ],
)
def test_top_aligned(offsets, aligned):
    assert _top_aligned(rows(offsets), [50 * r - 1 for r in range(len(offsets))]) is aligned


def test_top_aligned_without_rows():
    assert _top_aligned(rows([0, 0]), []) is False


@pytest.mark.parametrize(
    ("first", "aligned"),
    [
        ((0, 10), True),  # beside the other column's two lines (0–22), at its top
        ((0.9, 10.9), True),
        ((1.0, 11.0), None),  # neither its top nor its middle nor its bottom
        ((6, 16), False),  # centred
        ((5.1, 15.1), False),  # its middle 0.9 above: centred
        ((12, 22), False),  # at its bottom
        ((0, 22), None),  # as high as the other: alignment does not show
        ((0, 23), None),  # 1 pt higher: does not show either
        ((40, 50), None),  # not beside it
        ((0, 20.5), False),  # 1.5 pt lower: alignment shows, its top and its middle alike (a tie)
        ((5, 15), None),  # its middle 1 above the other's
        ((11, 21), None),  # its bottom 1 above the other's
    ],
)
def test_blocks_top_aligned(first, aligned):
    assert _blocks_top_aligned([[first], [(0, 10), (12, 22)]]) is aligned
    shift = [[(first[0] + 100, first[1] + 100)], [(100, 110), (112, 122)]]
    assert _blocks_top_aligned(shift) is aligned  # the same 100 pt lower


@pytest.mark.parametrize(
    ("columns", "aligned"),
    [
        ([[(22, 30)], [(21.5, 22)]], None),  # one right below the other: not side by side
        ([[(0, 10)], [(10, 10.5)]], None),
        ([[(0, 10)], [(0, 10), (12, 22)], [(0, 5)], [(6, 16)]], True),  # three pairs share their top, one its middle
        ([[(6, 16)], [(12, 22)], [(0, 10), (12, 22)], [(0, 10)]], False),  # two share their middle or bottom, one its top
        ([[(0, 10)], [(0, 10), (12, 22)], [(6, 16)]], False),  # one each
    ],
)
def test_blocks_top_aligned_by_votes(columns, aligned):
    assert _blocks_top_aligned(columns) is aligned


# Seed 201's page 13 (LibreOffice, bottom-aligned cells, no rules between rows), per column its
# blocks of text: a row cut at the page's top (its plans' rest, 84.2–108.1), then CC2.2's row, whose
# code and actual LibreOffice printed at the row's top (114.5–151.3) beside the other cells at its
# foot (177.1), then CC2.3's and CC2.4's rows.
CELLS_AT_A_ROWS_TOP = [
    [(114.5, 151.3), (222.2, 259.0), (265.4, 328.0)],  # KPI, at the row's top
    [(166.1, 177.1), (248.0, 259.0), (317.0, 328.0)],  # 達成情形
    [(84.2, 108.1), (114.5, 177.1), (183.5, 259.0), (278.3, 328.0)],  # plans
    [(166.1, 177.1), (248.0, 259.0), (317.0, 328.0)],  # target
    [(114.5, 151.3), (248.0, 259.0), (317.0, 328.0)],  # actual, at the row's top
    [(166.1, 177.1), (248.0, 259.0), (317.0, 328.0)],  # agency
    [(114.5, 177.1), (183.5, 233.2), (278.3, 328.0)],  # formula
]


def test_cells_printed_at_a_bottom_aligned_rows_top_are_that_row():
    """Blocks that share a bottom above a row's foot, in columns the blocks at that foot leave
    empty, are that row's cells printed at its top: one row, not two (CC2.2's target read into a
    second measure). Rows part midway between the cut row's rest and CC2.2 (108.1, 114.5), CC2.2
    and CC2.3 (177.1, 183.5), CC2.3 and CC2.4 (259.0, 265.4)."""
    assert _centred_rows(CELLS_AT_A_ROWS_TOP, 3.4) == pytest.approx([111.3, 180.3, 262.2])


def test_a_measure_beside_merged_cells_at_its_foot_is_a_row():
    """The same columns printing a block at an upper bottom and at the foot are two rows (a KPI's two
    measures, its name merged over both and bottom-aligned): they part midway (151, 166)."""
    lines = [[(114.5, 177.0)], [(140.0, 151.0), (166.0, 177.0)], [(140.0, 151.0), (166.0, 177.0)]]
    assert _centred_rows(lines, 3.4) == pytest.approx([158.5])
