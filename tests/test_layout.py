"""The report's furniture on its own (normalize/layout.py, normalize/formula.py): headings, stated
counts, table headers, formula cells, with the near misses that must not be read as them. Lines
as report-110.txt and the H-group deck print them."""
from __future__ import annotations

import pytest

from kpi_scorecard.extract.blocks import Table, TextLine
from kpi_scorecard.normalize.contents import blocks_to_contents
from kpi_scorecard.normalize.formula import split_formula, split_name
from kpi_scorecard.normalize.layout import (
    header_problem,
    header_roles,
    header_years,
    objective_heading,
    split_value_role,
    squeeze,
    stated_counts,
    table_kind,
    theme_heading,
    value_role,
)


@pytest.mark.parametrize(
    ("line", "heading"),
    [
        ("營造永續環境(A)", ("A", "營造永續環境")),
        (" 精實良善治理（H） ", ("H", "精實良善治理")),
        ("健全都市發展 (B)", ("B", "健全都市發展")),
        ("營造永續環境(A)......3", None),  # a contents line
        ("營造永續環境(AB)", None),
        ("境(A)", None),  # a name of one character
        ("營造 永續環境(A)", None),
        ("本策略主題「營造永續環境」由環保局主政(A)", None),  # longer than a title
        ("營造永續環境(a)", None),
    ],
)
def test_theme_heading(line, heading):
    assert theme_heading(line) == heading


@pytest.mark.parametrize(
    ("line", "heading"),
    [
        ("AC1 提升環境品質", ("AC1", "提升環境品質")),
        ("HP12 精進 數位治理", ("HP12", "精進數位治理")),
        ("AC1提升環境品質", ("AC1", "提升環境品質")),
        ("AC1.1 細懸浮微粒", None),  # a KPI
        ("AC1 110", None),  # a number, not a name
        ("A1 提升環境品質", None),
        ("AC1 " + "長" * 42, None),  # longer than a heading
        ("策略目標 AC1 提升環境品質", None),
    ],
)
def test_objective_heading(line, heading):
    assert objective_heading(line) == heading


@pytest.mark.parametrize(
    ("line", "counts"),
    [
        ("1. 策略目標：11 項(顧客構面 4 項、內部流程構面 5 項，學習成長構面 1 項、財務構面 1 項)", {"objectives": 11}),
        ("2. 關鍵績效指標(KPI)：23 項", {"kpis": 23}),
        ("2. 關鍵績效指標（KPI）: 23項", {"kpis": 23}),
        ("關鍵績效指標KPI：7 項", {"kpis": 7}),
        ("3. 行動計畫：44 項", {"action_plans": 44}),
        ("3. 行動方案：16 項", {"action_plans": 16}),
        ("策略目標：3 項 關鍵績效指標(KPI)：5 項 行動計畫：8 項", {"objectives": 3, "kpis": 5, "action_plans": 8}),
        ("本策略主題下各項關鍵績效指標之成果謹摘要說明如下：", {}),
        ("2. 關鍵績效指標(KPI)：二十三項", {}),
        ("行動計畫 44 項", {}),
    ],
)
def test_stated_counts(line, counts):
    assert stated_counts(line) == counts


REPORT_HEADER = ["關鍵績效指標", "公式及單位", "行動計畫", "主責機關", "110 年目標值", "110 年實際值"]


@pytest.mark.parametrize(
    ("row", "roles"),
    [
        (REPORT_HEADER, {"kpi": 0, "formula": 1, "plans": 2, "agency": 3, "target 110": 4, "actual 110": 5}),
        (["KPI", "公 式", "行動方案", "主責 局處", "目標值", "實際值"],  # no year printed
         {"kpi": 0, "formula": 1, "plans": 2, "agency": 3, "target": 4, "actual": 5}),
        (["關鍵績效指標", "109年實際值", "110年目標值"], {"kpi": 0, "actual 109": 1, "target 110": 2}),
        (["關鍵績效指標", "目標值", "110年實際值"], {"kpi": 0, "target 110": 1, "actual 110": 2}),  # the one year printed
        (["關鍵績效指標", "109年目標值", "110年目標值", "實際值"], {"kpi": 0, "target 109": 1, "target 110": 2, "actual": 3}),
        # a value column named by its year alone, or its 值 cut off by a page break (the heading row split)
        (["關鍵績效指標", "110年實際值", "110年目標"], {"kpi": 0, "actual 110": 1, "target 110": 2}),
        (["關鍵績效指標", "110 年度實際", "110年度目標值"], {"kpi": 0, "actual 110": 1, "target 110": 2}),
        (["關鍵績效指標", "110年實際值", "110年目標值", "110年目標達成率"],  # not a value column
         {"kpi": 0, "actual 110": 1, "target 110": 2, "extra:110年目標達成率": 3}),
        (["關鍵績效指標", "公式", "110年目標值110年實際值"], None),  # two value columns read as one
        (["關鍵績效指標", "110年目標值 111年"], None),
        (["公式及單位", "110 年目標值"], None),  # no KPI column
        (["關鍵績效指標", "公式及單位"], None),  # no value column
        (["AC1.1 細懸浮微粒", "三年移動平均", None, "環保局", "12.9", "12.3"], None),
    ],
)
def test_header_roles(row, roles):
    assert header_roles(row) == roles


@pytest.mark.parametrize(
    ("rows", "kind"),
    [
        ([REPORT_HEADER, ["AC1.1", "", "", "", "12.9", "12.3"]], ("kpi", 0)),
        ([["AC1 提升環境品質"], REPORT_HEADER], ("kpi", 1)),  # a caption row first
        ([["構面", "策略目標數", "KPI個數", "達成數", "未達成數", "達成率"]], ("summary", 0)),
        ([["策略目標", "主責局處", "KPI", "實際值(目標值)", "目標達成度", "創新度"]], ("results", 0)),
        ([["主要施政重點", "主要任務", "110", "111"]], ("tasks", 0)),
        ([["構面", "策略目標"]], ("overview", 0)),
        ([["臺北市政府策略地圖"], ["使命", "願景"]], ("strategy_map", 1)),
        ([["使命"], ["願景"]], (None, 0)),  # a signature's cells are one row's
        ([["項次", "月份", "議題", "百分比%"]], (None, 0)),
        ([["a"], ["b"], REPORT_HEADER], (None, 0)),  # a header below the second row is no header
    ],
)
def test_table_kind(rows, kind):
    assert table_kind(rows) == kind


def test_value_roles():
    assert [value_role("target", 110), value_role("actual", None)] == ["target 110", "actual"]
    assert [split_value_role(r) for r in ("target 110", "actual", "kpi", "agency 110")] == [("target", 110), ("actual", None), None, None]
    roles = {"kpi": 0, "actual 109": 1, "target 110": 2, "target 111": 3, "actual": 4}
    assert (header_years(roles, "target"), header_years(roles, "actual")) == ({110, 111}, {109})


@pytest.mark.parametrize(
    ("cell", "formula", "unit", "direction"),
    [
        # the formula's blanks are cleaned with the cell (clean_cell)
        ("三年移動平均監測值濃度\n單位：μg/m3\n(負向指標)", "三年移動平均監測值濃度 \n ", "μg/m3", "negative"),
        ("家庭用水量/用水人口數\n單位：公升/人/日", "家庭用水量/用水人口數 ", "公升/人/日", "positive"),
        ("累計至當年度設置容量 單位：KW", "累計至當年度設置容量  ", "KW", "positive"),
        ("(A/B)*100% 單位：「百分比」(106年為基期年)", "(A/B)*100%  (106年為基期年)", "百分比", "positive"),
        ("A/B (單位：%) 權重:50%", "A/B   權重:50%", "%", "positive"),
        ("A/B 單位%", "A/B  ", "%", "positive"),
        ("A/B（負向指標）", "A/B ", None, "negative"),
        ("A/B 負向", "A/B 負向", None, "positive"),  # not the marker
        ("單位換算後之數值", "單位換算後之數值", None, "positive"),  # 單位 without a colon starts no unit
    ],
)
def test_split_formula(cell, formula, unit, direction):
    assert split_formula(cell) == (formula, unit, direction)


@pytest.mark.parametrize(
    ("cell", "name", "negative"),
    [("青年失業率(負向指標)", "青年失業率", True), ("青年失業率 （負向指標）", "青年失業率", True), ("青年失業率", "青年失業率", False)],
)
def test_split_name(cell, name, negative):
    assert split_name(cell) == (name, negative)


def test_the_contents_as_report_110_txt_prints_them():
    """Its contents (目錄) as a table: each theme and its page, leaders after some names; a theme's
    heading (no page) is no entry; a text line with leaders before the page is one."""
    contents = Table([["營造永續環境(A).....", "1"], ["健全都市發展(B).....", "8"], ["發展多元文化(C).....", "19"],
                      ["優化產業勞動(D)", "27"], ["強化社會支持(E).....", "33"], ["打造優質教育(F).....", "40"],
                      ["精進健康安全(G)", "47"], ["精實良善治理(H)", "54"]], None)
    assert blocks_to_contents([TextLine("目錄", None), contents, TextLine("營造永續環境(A)", None)]) == {
        "A": "營造永續環境", "B": "健全都市發展", "C": "發展多元文化", "D": "優化產業勞動",
        "E": "強化社會支持", "F": "打造優質教育", "G": "精進健康安全", "H": "精實良善治理"}
    assert blocks_to_contents([TextLine("營造永續環境(A)......3", 2)]) == {"A": "營造永續環境"}


@pytest.mark.parametrize(
    ("row", "problem"),
    [
        (["關鍵績效指標", "衡量公式", "行動計畫", "主責機關", "110年目標值", "110年實際值"], None),  # readable
        (["關鍵績效指標", "備註"], None),  # one header word: no KPI header
        (["公式", "主責"], "kpi_header_without_target_or_actual"),  # two words: a KPI header, unreadable
        (["關鍵績效指標", "公式", "110年目標值110年實際值"], "kpi_header_value_columns_merged"),
        (["關鍵績效指標", "公式", "目標值實際值"], "kpi_header_value_columns_merged"),  # two kinds, no year
        (["關鍵績效指標", "公式", "110年111年目標值"], "kpi_header_value_columns_merged"),  # two years, one kind
        (["公式", "主責", "110年目標值"], "kpi_header_without_kpi_column"),  # one year, one kind: not merged
        (["公式", None, "主責", "實際值"], "kpi_header_without_kpi_column"),
    ],
)
def test_header_problem(row, problem):
    assert header_problem(row) == problem


def test_squeeze():
    assert (squeeze(" 110 年\n目標　值 "), squeeze(None), squeeze("")) == ("110年目標值", "", "")
