"""Page-break cases, each a small text dump named after the problem it catches (tests/samples/)."""
from __future__ import annotations

from pathlib import Path

import pytest
from conftest import kpi, read

from kpi_scorecard.extract.blocks import Table, TextLine
from kpi_scorecard.normalize.stitch import _is_rest_of_cut_row, _own_numbers, blocks_to_rows, open_bracket

SAMPLES = Path(__file__).parent / "samples"


def test_measure_row_at_page_top_is_not_joined_to_the_row_above():
    scorecard = read(SAMPLES / "measure-row-at-page-top.txt")
    (ac11,) = scorecard.kpis
    assert [(m.measure_no, m.agency, m.target.value, m.actual.value) for m in ac11.measures] == [
        (1, "民政局", 20000, 20190), (2, "文化局", 753750, 1694575), (3, "客委會", 10170, 103909)]
    assert [m.action_plans[0].code for m in ac11.measures] == ["AC1.1.1", "AC1.1.2", "AC1.1.3"]
    assert not [p for p in scorecard.problems if p.kind == "stitch"]


def test_row_cut_with_its_target_text_on_the_next_page_is_joined():
    scorecard = read(SAMPLES / "row-cut-with-target-text-on-next-page.txt")
    ac21 = kpi(scorecard, "AC2.1")
    (m,) = ac21.measures
    assert ac21.name == "文化空間活化再利用相關計畫之參與人次"
    assert m.unit == "人次" and m.formula.endswith("+臺北眷村文化節)")
    assert [p.code for p in m.action_plans] == ["AC2.1.1", "AC2.1.2"]
    assert m.target.value == 2350000 and m.target.note.endswith("滾動式調整")
    assert (m.actual.value, kpi(scorecard, "AC2.2").measures[0].target.value) == (2835104, 12)
    assert [p.row for p in scorecard.problems if p.kind == "stitch"] == ["AC2.1"]
    assert all((c.counted_kpis, c.counted_plans) == (c.stated_kpis, c.stated_plans) for c in scorecard.counts)


# Pages of report-110.pdf whose first row under the repeated header carries no KPI or objective
# code (pdftotext -layout, page by page): each is the rest of the row the page break cut, under
# the KPI that row belongs to.
CUT_ROWS = [
    (7, "AC2.1"), (8, "AP1.1"), (9, "AP4.2"), (10, "AP5.4"), (14, "BC4.1"), (15, "BP1.1"), (16, "BP2.2"),
    (17, "BP2.4"), (18, "BP3.6"), (21, "CC1.1"), (23, "CP2.1"), (24, "CL1.2"), (27, "DC1.2"), (28, "DP2.1"),
    (29, "DP5.1"), (32, "EC1.2"), (34, "EP5.1"), (35, "EF1.1"), (38, "FC1.2"), (41, "FF1.1"), (44, "GC1.2"),
    (45, "GP1.2"), (47, "GL2.1"), (50, "HC1.1"), (51, "HP4.1"), (52, "HF2.1"),
]


def test_every_cut_row_of_the_report_is_joined_to_its_kpi(pdf_report):
    stitched = [(p.page, p.row) for p in pdf_report.problems if p.kind == "stitch"]
    assert stitched == CUT_ROWS
    assert all(p.what == "row_split_across_pages" for p in pdf_report.problems if p.kind == "stitch")
    # the rest of a formula cell, joined on (page 8: "100%" | "單位：%")
    assert kpi(pdf_report, "AP1.1").measures[0].unit == "%" and kpi(pdf_report, "DC1.2").measures[0].direction == "negative"


@pytest.mark.parametrize(
    ("cells", "above", "rest"),
    [
        # the rest of a KPI's name, of a formula, of plans, a blank target: the cut row goes on
        ({"kpi": "量", "formula": "", "plans": "", "agency": "", "target 110": "", "actual 110": ""}, {}, True),
        ({"kpi": "", "formula": "單位：%", "plans": "", "agency": "", "target 110": "", "actual 110": ""}, {}, True),
        ({"kpi": "", "formula": "*100%", "plans": "", "agency": "", "target 110": "80", "actual 110": "82"}, {}, True),
        ({"kpi": "", "formula": "", "plans": "計畫", "agency": "", "target 110": "80", "actual 110": "82"}, {}, True),
        # a value cell closing a bracket its cell above opened
        ({"kpi": "", "formula": "", "plans": "", "agency": "文化局", "target 110": "整)", "actual 110": "2,835,104"},
         {"target 110": "2,350,000 (因應疫情調"}, True),
        # a measure of its own: its target, with an agency, a plan code of its own, or nothing but numbers
        ({"kpi": "", "formula": "", "plans": "", "agency": "文化局", "target 110": "753750", "actual 110": "1694575"}, {}, False),
        ({"kpi": "", "formula": "", "plans": "CC1.1.2 計畫", "agency": "", "target 110": "80", "actual 110": "82"}, {}, False),
        ({"kpi": "", "formula": "", "plans": "", "agency": "", "target 110": "80", "actual 110": "82"}, {}, False),
        ({"kpi": "AC1.2 名稱", "formula": "", "plans": "", "agency": "", "target 110": "", "actual 110": ""}, {}, False),
    ],
)
def test_is_rest_of_cut_row(cells, above, rest):
    assert _is_rest_of_cut_row(cells, above) is rest


@pytest.mark.parametrize(
    ("values", "above", "own"),
    [
        ({"target 110": "20,000", "actual 110": "21,000"}, {"target 110": "15,000", "actual 110": "16,000"}, True),
        ({"target 110": "20,000", "actual 110": ""}, {"target 110": "15,000", "actual 110": "公務 82 公彩"}, True),  # printed cells only
        ({"target 110": "82", "actual 110": "100"}, {"target 110": "公務 82 公彩", "actual 110": "公務 78.39 公彩"}, False),
        ({"target 110": "82 (人)", "actual 110": "100"}, {"target 110": "15,000", "actual 110": "16,000"}, False),  # a note: not bare
        ({"target 110": "20,000"}, {}, False),  # nothing above it
        ({"target 110": "", "actual 110": " "}, {"target 110": "15,000"}, False),  # nothing printed
        # the value above ended with its note closed (seed 128: CP2.1's second measure at the page's top)
        ({"target 110": "15,000", "actual 110": "38,865"},
         {"target 110": "2,350,000\n(因應 110 年\n5 至 7 月全國三級警戒，各場域文化場館進館預估人次滾動式調整)", "actual 110": "2,835,104"}, True),
        # its note still open: the page-top number may be the note's
        ({"target 110": "15,000"}, {"target 110": "2,350,000 (因應 110 年\n5 至 7 月"}, False),
        ({"target 110": "15,000"}, {"target 110": "2,350,000 人次"}, False),  # a note without brackets
    ],
)
def test_own_numbers(values, above, own):
    assert _own_numbers(values, above) is own


def test_a_page_of_rows_without_their_header_goes_on_with_the_table_of_the_same_left_edge():
    """The heading printed once: the next page's rows go on under it. Seed 125 (zebra bands, no rules)
    printed AC3.2 in a band to the page's side (right edge 799 pt) below AC3.1's table, which ends
    where its text does (748 pt): the same left edge and columns, so AC3.2 is the table's, not lost."""
    header = ["關鍵績效指標", "行動計畫", "公式及單位", "110 年目標值", "主責機關", "110 年實際值"]
    blocks = [
        TextLine("營造永續環境(A)", 1), TextLine("AC3 提升綠色運輸", 1),
        Table([header, ["AC3.1 平均每人搭乘公共運輸旅運人次", "AC3.1.1 提升綠運輸方案", "單位：人次/年", "177.63", "交通局", "185.38"]],
              1, (44, 440, 748, 527)),
        Table([["AC3.2 公共自行車服務使用量", "AC3.2.1 本市公共自行車推廣使用計畫", "單位：人次", "27,000,000", "交通局", "27,537,119"]],
              2, (42, 53, 799, 79)),
    ]
    assert [(row.page, row.cells["kpi"], row.cells["actual 110"]) for row in blocks_to_rows(blocks).rows] == [
        (1, "AC3.1 平均每人搭乘公共運輸旅運人次", "185.38"), (2, "AC3.2 公共自行車服務使用量", "27,537,119")]


@pytest.mark.parametrize(("text", "opens"), [
    ("2,500,000(因應疫情修改", True), ("84.12 (109 年度)", False),
    ("5.75（13人", True), ("5.75（13人）", False), ("（109 年度)", False), (None, False),
])
def test_a_bracket_left_open_half_or_full_width(text, opens):
    assert open_bracket(text) is opens


def test_a_merged_plan_cell_cut_by_the_page_break_is_one_plan_of_every_measure():
    """CP2.1's plans merged over its 3 measures, cut by the page break: their rest (CP2.1.6, CP2.1.7)
    prints at the next page's top beside measure 2's own numbers, in a cell merged over measure 3 too
    (seed 213, Chromium, centred, no rules: measures 2 and 3 read CP2.1.6-7 as their own plans). A
    plan code at a page's top in a cell of its own row alone stays that measure's (seed 174)."""
    header = ["關鍵績效指標", "110 年實際\n值", "備註", "達成率", "主責機關", "110 年目標\n值", "行動計畫", "公式及單位"]
    plans = ("CP2.1.1 北投溫泉·無圍牆博物\n館文化館等相關活動\n\nCP2.1.2 大稻埕無圍牆博物館\n文化館等相關活動\n\n"
             "CP2.1.3 城南臺大·無圍牆博物\n館相關等相關活動\n\nCP2.1.4 城北廊帶·無圍牆博物\n館相關活動\n\n"
             "CP2.1.5 萬華艋舺無圍牆博物\n館相關活動")
    rest = "CP2.1.6 辦理臺北眷村文化節\n\n計畫\n\nCP2.1.7 老房子標的舉辦藝\n\n文、活動"
    first = ["CP2.1 文化空間活化再利\n用相關計畫之參與人次", "2,835,104", "依文化局\n統計", "120.6%", "文化局",
             "2,350,000\n(因應 110 年\n5 至 7 月全\n國三級警\n戒，各場域\n文化場館進\n館預估人次\n滾動式調整)", plans,
             "文化空間活化再利用參與人次\n總計 (無圍牆博物館入館+臺北\n眷村文化節+老房子標的舉辦藝\n文活動)\n\n單位：人次"]
    second = ["", "38,865", "依文化局\n統計", "259.1%", "", "15,000", rest, ""]
    third = [None, "73,151", "依文化局\n統計", "365.8%", None, "20,000", None, None]
    blocks = [TextLine("發展文化多元(C)", 18), TextLine("CP2 保存文化資產", 18),
              Table([header, first], 18, (50, 352, 790, 542)), Table([header, second, third], 19, (78, 55, 744, 161))]
    assert [(row.page, row.cells["actual 110"], row.cells["plans"]) for row in blocks_to_rows(blocks).rows] == [
        (18, "2,835,104", f"{plans}\n{rest}"), (19, "38,865", None), (19, "73,151", None)]
    # measure 3 printing a plan of its own: measure 2's plan code is its own
    own = ["", "73,151", "依文化局\n統計", "365.8%", "", "20,000", "CP2.1.8 計畫", ""]
    blocks[-1] = Table([header, second, own], 19, (78, 55, 744, 161))
    assert [row.cells["plans"] for row in blocks_to_rows(blocks).rows] == [plans, rest, "CP2.1.8 計畫"]
