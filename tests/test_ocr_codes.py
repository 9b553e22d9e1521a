"""A recognised line's leading code, and a header cell, read by the grammar (normalize/recognised.py's _repair_code):
a look-alike letter beside a digit (l for 1, O for 0 …) is that digit's double or a digit of its
own, whichever gives an objective a heading of the page names; the repair is recorded with the
code as read and as repaired. A header cell that holds none of the header words is the one it
is near (_repair_header)."""
from __future__ import annotations

import pytest

from kpi_scorecard.normalize.recognised import _repair_by_plans, _repair_code, _repair_header
from kpi_scorecard.normalize.records import Problem


@pytest.mark.parametrize(
    ("line", "objectives", "repaired", "problems"),
    [
        ("AC1l.1 文化參與人次", {"AC1"}, "AC1.1 文化參與人次", [Problem("repair", "ocr_code", "AC1l.1", "AC1.1", 7)]),  # 1 read twice
        ("AC1l.1 文化參與人次", {"AC11"}, "AC11.1 文化參與人次", [Problem("repair", "ocr_code", "AC1l.1", "AC11.1", 7)]),  # l is a 1
        ("AC1l.1 文化參與人次", set(), "AC11.1 文化參與人次", [Problem("repair", "ocr_code", "AC1l.1", "AC11.1", 7)]),  # no heading: each letter a digit
        ("BP2.O3 推動計畫", {"BP2"}, "BP2.03 推動計畫", [Problem("repair", "ocr_code", "BP2.O3", "BP2.03", 7)]),
        ("AC1.1 文化參與人次", {"AC1"}, "AC1.1 文化參與人次", []),  # read right: nothing to repair
        ("文化參與人次 AC1l.1", {"AC1"}, "文化參與人次 AC1l.1", []),  # no code at the line's start
    ],
)
def test_a_recognised_code_is_repaired_by_the_grammar(line, objectives, repaired, problems):
    found: list[Problem] = []
    assert _repair_code(line, 7, objectives, found) == repaired
    assert found == problems


@pytest.mark.parametrize(
    ("cell", "repaired", "problems"),
    [
        # 什 for 值: 目標什 is 2 of 6 characters (one out, one in) from 目標值, ratio 67, the only
        # header word within 5 of that; the year it starts with is kept
        ("110 年目標什", "110 年目標值", [Problem("repair", "ocr_header (score 67)", "110年目標什", "110 年目標值", 4)]),
        ("110 年目標值", "110 年目標值", []),  # a header word read: as it is
        ("文化局", "文化局", []),  # near no header word
        (None, None, []),
    ],
)
def test_a_recognised_header_cell_is_read_as_the_header_word_it_is_near(cell, repaired, problems):
    found: list[Problem] = []
    assert _repair_header(cell, 4, found) == repaired
    assert found == problems


@pytest.mark.parametrize(
    ("row", "repaired", "problems"),
    [
        # seed 43's rough scan (LibreOffice, Noto Serif CJK 9 pt, zebra rows): CP2.1 read GE2.1, its plans right
        (["GE2.1 文化空間活化再利用相關計畫之參與人次", "CP2.1.1 藝文推廣\nCP2.1.2 閒置空間再利用", "文化局"],
         ["CP2.1 文化空間活化再利用相關計畫之參與人次", "CP2.1.1 藝文推廣\nCP2.1.2 閒置空間再利用", "文化局"],
         [Problem("repair", "ocr_code", "GE2.1", "CP2.1", 10)]),
        # the plans' KPI has other numbers: nothing is taken
        (["GE2.1 文化空間", "CP2.2.1 藝文推廣", "文化局"], ["GE2.1 文化空間", "CP2.2.1 藝文推廣", "文化局"], []),
        # the code falls under a named objective: read right
        (["CP3.1 文化空間", "CP2.1.1 藝文推廣"], ["CP3.1 文化空間", "CP2.1.1 藝文推廣"], []),
    ],
)
def test_a_kpi_code_outside_every_objective_takes_its_plans_code(row, repaired, problems):
    found: list[Problem] = []
    assert _repair_by_plans(row, 10, {"CP2", "CP3"}, found) == repaired
    assert found == problems
