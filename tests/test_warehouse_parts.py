"""Small warehouse helpers at their thresholds: a recognised text snapping to the spelling the
KPI had before (warehouse/recognised.py, at SNAP_SCORE 85 exactly), and how many columns a
value takes in the workbook (warehouse/xlsx.py: a CJK character, from U+2E80 on, two)."""
from __future__ import annotations

import pytest

from kpi_scorecard.normalize.records import Kpi, Problem
from kpi_scorecard.warehouse.recognised import _snap
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
