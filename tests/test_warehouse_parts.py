"""Small warehouse helpers at their thresholds: a recognised text snapping to the spelling the
KPI had before (warehouse/recognised.py, at SNAP_SCORE 85 exactly), and how many columns a
value takes in the workbook (warehouse/xlsx.py: a CJK character, from U+2E80 on, two)."""
from __future__ import annotations

from dataclasses import replace

import pytest

from kpi_scorecard.normalize.records import Kpi, Measure, Problem, Value
from kpi_scorecard.warehouse.recognised import _known_agency, _snap
from kpi_scorecard.warehouse.xlsx import _width

KPI = Kpi("AC1.1", "名稱", "AC1", "目標", "A", "主題")
BEFORE = "ABCDEFGHIJKLMNOPQRST"


@pytest.mark.parametrize(
    ("text", "before", "snapped", "problems"),
    [
        ("ABCDEFGHIJKLMNOPQXYZ", BEFORE, BEFORE,  # 3 of 20 characters differ: rapidfuzz's ratio 85, enough
         [Problem("repair", "ocr_earlier_spelling (score 85)", "ABCDEFGHIJKLMNOPQXYZ", BEFORE, 7, "AC1.1", "name")]),
        ("ABCDEFGHIJKLMNOPWXYZ", BEFORE, "ABCDEFGHIJKLMNOPWXYZ", []),  # 4 differ: 80, not
        (BEFORE, BEFORE, BEFORE, []),  # the same: nothing to repair
        ("ABCDEFGHIJKLMNOPQXYZ", None, "ABCDEFGHIJKLMNOPQXYZ", []),  # no spelling before
        ("", BEFORE, "", []),
    ],
)
def test_snap(text, before, snapped, problems):
    found: list[Problem] = []
    assert _snap(text, before, KPI, "name", found, page=7) == snapped
    assert found == problems


@pytest.mark.parametrize(
    ("value", "width"),
    [("abc", 3), ("中文", 4), ("\u2e7f", 1), ("\u2e80", 2), ("達成率 85%", 10), ("第一行\nsecond line", 6), ("一\n二\n三", 2), (None, 0), (12.5, 4)],
)
def test_width(value, width):
    assert _width(value) == width


def test_known_agency():
    """An agency read with one character wrong ("環境保讙局": 4 of 5 alike, rapidfuzz's ratio 80) takes
    the closed list's spelling, and the repair names the measure's page, KPI and column."""
    measure = Measure(1, "公式", None, "positive", [], "環境保讙局", Value(""), Value(""), 12)
    problems: list[Problem] = []
    fixed = _known_agency(measure, KPI, ("環境保護局", "交通局"), problems)
    assert fixed == replace(measure, agency="環境保護局")
    assert problems == [Problem("repair", "ocr_agency (score 80)", "環境保讙局", "環境保護局", 12, "AC1.1", "agency")]
    assert _known_agency(fixed, KPI, ("環境保護局", "交通局"), problems) is fixed  # spelled as listed: nothing to do
    assert len(problems) == 1
