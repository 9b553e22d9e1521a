"""Repairs of recognised (OCR'd) text on their own, each recorded with its score, page, row and
column; near misses left as read: an agency cell taken in the spelling the bundled reports print
(主責機關, the closed list), a measure checked against what the warehouse holds for its code."""
from __future__ import annotations

import pytest

from kpi_scorecard.normalize.recognised import _repair_agencies
from kpi_scorecard.normalize.records import ActionPlan, Kpi, Measure, Problem, Value
from kpi_scorecard.warehouse.recognised import _checked_measure


@pytest.mark.parametrize(
    ("read", "kept", "problems"),
    [
        # one character misread of 環保局 (report-110 prints it): 2 of 3 alike (rapidfuzz's ratio, 2·2/6)
        ("環保句", "環保局", [Problem("repair", "ocr_agency (score 67)", "環保句", "環保局", 5, column="agency")]),
        ("環保局", "環保局", []),  # as the reports print it
        ("", "", []),
    ],
)
def test_a_recognised_agency_takes_the_reports_spelling(read, kept, problems):
    found: list[Problem] = []
    rows = _repair_agencies([["關鍵績效指標", "主責機關"], ["AC1.1", read]], 5, found)
    assert (rows, found) == ([["關鍵績效指標", "主責機關"], ["AC1.1", kept]], problems)


def test_a_recognised_measure_takes_the_spelling_its_code_had_before():
    """What the warehouse holds for AC1.1 (report-110's text layer): formula 三年移動平均監測值濃度,
    plan AC1.1.1 臺北市清新空氣行動計畫, agency 環保局, numbers 12.9 and 12.3. The scan reads one
    character wrong in the formula (10 of 11 alike: rapidfuzz's ratio 91) and in the plan (18 of
    19: 95), at least 85 each: they take the earlier spelling; in the agency (2 of 3: 67) it is
    too far and stays as read. A target read 129, ten times every number held, is left unread."""
    read = Measure(1, "三年移動平均監測值濃渡", "μg/m3", "negative", [ActionPlan("AC1.1.1", "臺北市清新空氣行動計晝")], "環保句",
                   Value("129", 129.0, kind="number"), Value("12.3", 12.3, kind="number"), 7)
    kpi = Kpi("AC1.1", "細懸浮微粒年平均濃度", "AC1", "提升環境品質", "A", None, [read])
    earlier = {"formula": "三年移動平均監測值濃度", "agency": "環保局", "plans": "AC1.1.1 臺北市清新空氣行動計畫", "numbers": [12.9, 12.3]}
    problems: list[Problem] = []
    checked = _checked_measure(read, kpi, earlier, problems)
    assert (checked.formula, checked.action_plans, checked.agency) == ("三年移動平均監測值濃度", [ActionPlan("AC1.1.1", "臺北市清新空氣行動計畫")], "環保句")
    assert (checked.target, checked.actual) == (Value("129", None, None, "OCR: an order of magnitude off this KPI's history", "unparsed"), read.actual)
    assert problems == [
        Problem("repair", "ocr_earlier_spelling (score 91)", "三年移動平均監測值濃渡", "三年移動平均監測值濃度", 7, "AC1.1", "formula"),
        Problem("repair", "ocr_earlier_spelling (score 95)", "AC1.1.1 臺北市清新空氣行動計晝", "AC1.1.1 臺北市清新空氣行動計畫", 7, "AC1.1", "plans"),
        Problem("warning", "ocr_magnitude_break", "129", None, 7, "AC1.1", "target"),
    ]


def test_a_recognised_agency_takes_the_spelling_its_code_had_before():
    """臺北市動物保護處 read with its last character wrong: 7 of 8 alike (88), at least 85."""
    read = Measure(1, "認養數", "隻", "positive", [], "臺北市動物保護虛", Value("1200", 1200.0, kind="number"), Value(""), 4)
    kpi = Kpi("FF2.1", "動物認養數", "FF2", "目標", "F", None, [read])
    problems: list[Problem] = []
    checked = _checked_measure(read, kpi, {"formula": "認養數", "agency": "臺北市動物保護處", "plans": "", "numbers": []}, problems)
    assert (checked.agency, problems) == ("臺北市動物保護處", [
        Problem("repair", "ocr_earlier_spelling (score 88)", "臺北市動物保護虛", "臺北市動物保護處", 4, "FF2.1", "agency")])
