"""Repairs of recognised (OCR'd) text on their own, each recorded with its score, page, row and
column; near misses left as read: an agency cell taken in the spelling the bundled reports print
(主責機關, the closed list), a measure checked against what the warehouse holds for its code."""
from __future__ import annotations

import pytest

from kpi_scorecard.extract.blocks import Table, TextLine
from kpi_scorecard.normalize.recognised import _repair_agencies, _repair_units, repair_recognised
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


@pytest.mark.parametrize(
    ("read", "kept", "problems"),
    [
        # AP4.1 as page 8 prints it (水庫初始庫容×1000‰ 單位：‰), its ‰ read %0 twice: neither chi_tra nor eng has ‰
        ("水庫初始庫容× 1000%0\n單位：%0", "水庫初始庫容× 1000‰\n單位：‰",
         [Problem("repair", "ocr_per_mille", "%0", "‰", 8)] * 2),
        # AC1.1's unit (page 6: 單位：μg/m ³), its μ read u: the known unit compared as a cell is cleaned (μg/m3)
        ("單位：ug/m3", "單位：μg/m3", [Problem("repair", "ocr_unit", "ug/m3", "μg/m3", 8, column="unit")]),
        ("單位：%", "單位：%", []),  # as printed
        # the same in a LibreOffice rendering in Noto Sans CJK 10 pt, scanned: ‰ read %o
        ("水庫初始庫容×1000%o\n單位：%o", "水庫初始庫容×1000‰\n單位：‰", [Problem("repair", "ocr_per_mille", "%o", "‰", 8)] * 2),
        # AP4.2 (山坡地治理改善面積 單位: M²) scanned from a B5 rendering in Noto Serif CJK 9 pt: its small colon lost
        ("山坡地治理改善面積\n單位 M2", "山坡地治理改善面積\n單位：M2", [Problem("repair", "ocr_unit_colon", "單位 ", "單位：", 8, column="unit")]),
        ("計算單位 1 件", "計算單位 1 件", []),  # 單位 not at a line's start: no unit clause
        # CC1.1's unit (單位：人次) so scanned: no blank where the colon was, a known unit after it
        ("單位人次", "單位：人次", [Problem("repair", "ocr_unit_colon", "單位", "單位：", 8, column="unit")]),
        ("單位預算部分：當年度資本支出執行數", "單位預算部分：當年度資本支出執行數", []),  # AF1.1's formula, wrapped before 單位: no unit
        ("成長 2.5%0.5", "成長 2.5%0.5", []),  # a % before a number is left as read
    ],
)
def test_a_recognised_unit_takes_the_spelling_units_are_printed_in(read, kept, problems):
    found: list[Problem] = []
    assert (_repair_units(read, 8, found), found) == (kept, problems)


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


def test_the_kpi_word_of_a_scanned_page_reads_as_printed():
    """(KPI) as Tesseract misreads it, I as 1 or l, a bracket lost or full-width, on a page read by
    OCR (page 4: its table has confidences); a text layer's page (5) is left as it is."""
    table = Table([["關鍵績效指標", "主責機關"], ["AC1.1 濃度", "環保局"]], 4, confidence=[[90, 90], [90, 90]])
    blocks, problems = repair_recognised([TextLine("策略目標及關鍵績效指標(KP1", 4), TextLine("關鍵績效指標（ KPl ）", 4),
                                          TextLine("指標(KP1", 5), table])
    assert blocks[:3] == [TextLine("策略目標及關鍵績效指標(KPI)", 4), TextLine("關鍵績效指標(KPI)", 4), TextLine("指標(KP1", 5)]
    assert problems == []


def test_a_recognised_scorecard_is_checked_against_the_warehouse_s_history(txt_report, tmp_path):
    """report-110's text dump in the warehouse (AC1.1: target 12.9, actual 12.3), then a recognised
    reading of it whose AC1.1 target lost its decimal point (129): that target is left unread, with
    the warning in the scorecard's problems; a text layer's scorecard is returned as it is."""
    from copy import deepcopy
    from dataclasses import replace

    from kpi_scorecard.normalize.values import parse_value
    from kpi_scorecard.warehouse import connect, load_scorecard
    from kpi_scorecard.warehouse.recognised import check_against_history

    misread = deepcopy(txt_report)
    measure = next(k for k in misread.kpis if k.code == "AC1.1").measures[0]
    measure.target = replace(parse_value("129"), confidence=90.0)
    with connect(tmp_path / "w.duckdb") as con:
        load_scorecard(con, txt_report)
        assert check_against_history(con, txt_report, "scan.pdf") is txt_report
        checked = check_against_history(con, misread, "scan.pdf")
    target = next(k for k in checked.kpis if k.code == "AC1.1").measures[0].target
    assert (target.raw, target.value, target.kind) == ("129", None, "unparsed")
    # (a text dump has no page numbers)
    assert [p for p in checked.problems[len(txt_report.problems):] if p.row == "AC1.1"] == [
        Problem("warning", "ocr_magnitude_break", "129", None, None, "AC1.1", "target")]


def test_a_recognised_measure_takes_its_own_measure_s_earlier_spelling(txt_report, tmp_path):
    """BP2.1 prints two measures whose formulas differ by one word (A:東區門戶計畫… / A:西區門戶計畫…,
    report-110 page 9). A recognised reading of the second with one ideograph misread (畫 → 晝) takes
    the second's spelling, never the first's, and the first measure is left as printed."""
    from copy import deepcopy
    from dataclasses import replace

    from kpi_scorecard.warehouse import connect, load_scorecard
    from kpi_scorecard.warehouse.recognised import check_against_history

    east = "[B/A]*20%+[(B+C)/A]*80% A:東區門戶計畫各子計畫總案件數 B:已經完成(已解列)之子計畫案件數 C:符合執行進度之子計畫案件數 (權重：50%)"
    west = "[B/A]*20%+[(B+C)/A]*80% A:西區門戶計畫各子計畫總案件數 B:已經完成之子計畫案件數 C:符合執行進度之子計畫案件數 (權重：50%)"
    misread = deepcopy(txt_report)
    first, second = next(k for k in misread.kpis if k.code == "BP2.1").measures
    assert (first.formula, second.formula) == (east, west)  # as the text dump prints them
    second.formula = west.replace("西區門戶計畫", "西區門戶計晝")
    second.target = replace(second.target, confidence=90.0)
    with connect(tmp_path / "w.duckdb") as con:
        load_scorecard(con, txt_report)
        checked = check_against_history(con, misread, "scan.pdf")
    assert [m.formula for m in next(k for k in checked.kpis if k.code == "BP2.1").measures] == [east, west]
    assert [(p.raw, p.fixed) for p in checked.problems[len(txt_report.problems):] if p.row == "BP2.1"] == [
        (west.replace("西區門戶計畫", "西區門戶計晝"), west)]
