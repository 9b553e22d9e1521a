"""The ROC-110 annual report, read from its PDF and from its text dump: real values, real counts."""
from __future__ import annotations

import pytest
from conftest import kpi

from kpi_scorecard.normalize.records import ActionPlan

THEMES = {"A": 23, "B": 25, "C": 20, "D": 19, "E": 17, "F": 21, "G": 22, "H": 15}
# Each theme's stated counts as printed ("1. 策略目標：11 項", "2. 關鍵績效指標(KPI)：23 項",
# "3. 行動計畫：44 項"; report-110.txt lines 70-72, 178-180, ... 804-806): objectives, KPIs, plans.
STATED = {"A": (11, 23, 44), "B": (9, 25, 35), "C": (9, 20, 38), "D": (10, 19, 25), "E": (10, 17, 25),
          "F": (11, 21, 28), "G": (11, 22, 31), "H": (10, 15, 16)}


def test_year_comes_from_the_table_headers(report):
    assert report.roc_year == 110


def test_every_theme_found_and_counts_reconcile(report):
    assert {c.theme_code: c.counted_kpis for c in report.counts} == THEMES
    assert len(report.kpis) == 162
    assert {c.theme_code: (c.stated_objectives, c.stated_kpis, c.stated_plans) for c in report.counts} == STATED
    assert {c.theme_code: (c.counted_objectives, c.counted_kpis, c.counted_plans) for c in report.counts} == STATED
    assert [c.theme_name for c in report.counts][:2] == ["營造永續環境", "健全都市發展"]


def test_kpi_codes_unique_and_nested_under_their_objective(report):
    codes = [k.code for k in report.kpis]
    assert len(codes) == len(set(codes))
    assert all(k.code.startswith(k.objective_code + ".") and k.objective_code[0] == k.theme_code for k in report.kpis)


def test_row_split_over_two_pages_is_one_kpi(report):
    ac21 = kpi(report, "AC2.1")
    assert ac21.name == "太陽光電發電設備累計設置容量"
    (m,) = ac21.measures
    assert m.formula == "累計至當年度太陽光電發電設備設置容量" and m.unit == "KW"
    assert [p.code for p in m.action_plans] == ["AC2.1.1", "AC2.1.2", "AC2.1.3"]
    assert m.action_plans[0].name == "太陽光電發展推動計畫(含補助太陽能設備)"
    assert (m.agency, m.target.value, m.actual.value) == ("產業局", 44000, 41248)


def test_name_and_formula_split_by_a_page_break(report):
    bc32 = kpi(report, "BC3.2")
    assert bc32.name == "台北通服務執行績效"
    (m,) = bc32.measures
    # printed on five lines, "(實際整合服務)數/" | "應整合服務數 5" | "(個) *50%+(APP 商" | "店星數/滿分 5 顆" | "星)*50%"
    # (the dump's cell starts "(實際整合服務) 數/"): joined without a space beside CJK text
    dump = report.source_file.endswith(".txt")
    assert m.formula == f"(實際整合服務){' ' if dump else ''}數/應整合服務數 5 (個) *50%+(APP 商店星數/滿分 5 顆星)*50%"
    assert m.unit == "%" and m.action_plans == [ActionPlan("BC3.2.1", "推動台北通服務整合計畫")]
    assert (m.target.value, m.actual.value) == (80, 80)


def test_vertically_merged_cells_give_one_kpi_with_measures(report):
    cc11 = kpi(report, "CC1.1")
    assert [m.measure_no for m in cc11.measures] == [1, 2, 3, 4, 5, 6, 7]
    assert [m.agency for m in cc11.measures] == ["民政局", "文化局", "客委會", "原民會", "捷運公司", "文化局", "勞動局"]
    assert [m.target.value for m in cc11.measures] == [20000, 753750, 10170, 2500, 8000, 50000, 1000]
    assert [m.actual.value for m in cc11.measures] == [20190, 1694575, 103909, 3900, 9750, 74472, 11411]
    assert [m.action_plans[0].code for m in cc11.measures] == [f"CC1.1.{n}" for n in range(1, 8)]
    assert len({m.formula for m in cc11.measures}) == 1 and cc11.measures[0].unit == "人次"
    assert "7,200 人次瀏覽" in cc11.measures[0].actual.raw  # the part printed on the next page


def test_merged_plan_cell_applies_to_every_target(report):
    cp21 = kpi(report, "CP2.1")
    assert [(m.target.value, m.actual.value) for m in cp21.measures] == [(2350000, 2835104), (15000, 38865), (20000, 73151)]
    for m in cp21.measures:
        assert [p.code for p in m.action_plans] == [f"CP2.1.{n}" for n in range(1, 8)]
        assert m.action_plans[4].name == "萬華艋舺無圍牆博物館相關活動"  # cut by the page break in the PDF
        assert m.agency == "文化局"


def test_second_measure_with_its_own_formula(report):
    bp21 = kpi(report, "BP2.1")
    assert [(m.target.value, m.actual.value) for m in bp21.measures] == [(93, 93), (70, 94)]
    assert "東區門戶計畫" in bp21.measures[0].formula and "西區門戶計畫" in bp21.measures[1].formula
    assert [p.code for p in bp21.measures[1].action_plans] == ["BP2.1.2", "BP2.1.3", "BP2.1.4", "BP2.1.5"]


def test_ff11_two_measures_and_plan_code(report):
    ff11 = kpi(report, "FF1.1")
    assert [(m.agency, m.target.value, m.actual.value) for m in ff11.measures] == [("教育局", 90, 96.57), ("體育局", 92, 91.27)]
    assert ff11.measures[1].action_plans[0].code == "FF1.1.2"


def test_misprinted_plan_codes_are_repaired_and_recorded(txt_report):
    repairs = {(p.row, p.raw, p.fixed) for p in txt_report.problems if p.kind == "repair" and p.column == "plans"}
    assert repairs == {("FF1.1", "F1.1.2", "FF1.1.2"), ("AC4.2", "AC4.2.", "AC4.2.1")}
    assert kpi(txt_report, "AC4.2").measures[0].action_plans == [ActionPlan("AC4.2.1", "節電行動方案")]


def test_well_formed_code_under_another_kpi_is_kept_and_logged(report):
    assert kpi(report, "EC1.1").measures[0].action_plans[0].code == "EC1.2.1"
    logged = [p for p in report.problems if p.what == "plan_code_under_other_kpi" and p.row == "EC1.1"]
    assert [p.raw for p in logged] == ["EC1.2.1"]


def test_negative_direction_superscripts_and_latin_spaces(report):
    (m,) = kpi(report, "AC1.1").measures
    # the PDF prints "細懸浮微粒" | "(PM2.5) 年平均濃" | "度", the dump "細懸浮微粒 (PM _{2.5}) 年平均濃度"
    assert kpi(report, "AC1.1").name == ("細懸浮微粒 (PM2.5) 年平均濃度" if report.source_file.endswith(".txt") else "細懸浮微粒(PM2.5) 年平均濃度")
    assert (m.direction, m.unit, m.target.value, m.actual.value) == ("negative", "μg/m3", 12.9, 12.3)
    assert "(負向指標)" not in m.formula
    assert kpi(report, "DP5.1").measures[0].direction == "negative"  # marker printed in the name cell of the dump
    assert kpi(report, "DP5.1").measures[0].formula.endswith("*10^6")
    assert kpi(report, "CP4.1").measures[0].formula == "以 Google Analytics 統計當年度 1/1-12/31 之累計瀏覽人次"
    assert kpi(report, "AP1.1").measures[0].direction == "positive"


@pytest.mark.parametrize(
    ("code", "role", "value", "op", "kind", "note"),
    [
        ("BC2.1", "target", 19661, None, "number", "累積啟動"),
        ("BC2.1", "actual", 20160, None, "number", "累積啟動"),
        ("BP3.3", "target", 99.65, ">=", "number", None),
        ("GP5.2", "target", 266, "<=", "number", None),
        ("AP5.4", "target", 10, "±", "number", None),
        ("BC3.1", "target", 4_600_000_000, None, "number", None),
        ("CP3.2", "target", 3_000_000, None, "number", None),
        ("CP3.3", "target", 10_000_000, None, "number", None),
        ("DP5.1", "target", 5.75, None, "number", "13人"),
        ("CC2.1", "actual", None, None, "none", "110年尚未調查完成，故無數據提供"),
        ("DP4.1", "actual", None, None, "none", "數據由勞保局於每年3月間提供"),
        ("EP1.2", "target", None, None, "qualitative", "高於6都"),
        ("EF1.1", "target", None, None, "compound", None),
        ("GP4.3", "target", None, None, "compound", None),
    ],
)
def test_values(report, code, role, value, op, kind, note):
    v = getattr(kpi(report, code).measures[0], role)
    assert (v.value, v.op, v.kind) == (value, op, kind)
    if note:
        assert note in (v.note or "")
    assert v.raw  # the printed text is always kept


def test_compound_and_unparsed_values_are_logged_for_review(report):
    logged = {(p.row, p.column, p.what) for p in report.problems}
    assert {("EF1.1", "target", "compound_value"), ("GP4.3", "actual", "compound_value"),
            ("EP1.2", "target", "qualitative_value"), ("DP4.1", "actual", "no_number_printed")} <= logged


def test_pdf_pages_are_where_rows_start(pdf_report):
    assert kpi(pdf_report, "AC1.1").page == 6
    assert kpi(pdf_report, "AC2.1").page == 6  # starts on 6, ends on 7
    assert [m.page for m in kpi(pdf_report, "CC1.1").measures] == [20, 21, 21, 21, 21, 21, 21]
    assert kpi(pdf_report, "FF1.1").measures[1].page == 41
