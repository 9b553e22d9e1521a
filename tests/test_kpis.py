"""Rows to KPIs (normalize/kpis.py) on their own: the repair or warning each kind of coded row
records, with where it was found (page, row, column), on made-up rows of theme A's objective AC1."""
from __future__ import annotations

import pytest

from kpi_scorecard.normalize.kpis import _values_begun, rows_to_kpis
from kpi_scorecard.normalize.records import ActionPlan, Problem
from kpi_scorecard.normalize.stitch import SourceRow, Theme

THEME = Theme("A", "營造永續環境")


def row(kpi: str, plans: str = "AC1.1.1 清新空氣計畫", page: int = 3, target: str = "12.9") -> SourceRow:
    cells = {"kpi": kpi, "formula": "監測值 單位：μg/m3", "plans": plans, "agency": "環保局", "target": target, "actual": "12.3"}
    return SourceRow(cells, page, THEME, "AC1", "提升環境品質")


@pytest.mark.parametrize(
    ("rows", "kpis", "problems"),
    [
        # as printed: nothing to record
        ([row("AC1.1 濃度")], [("AC1.1", "AC1", [ActionPlan("AC1.1.1", "清新空氣計畫")])], []),
        # a plan printed without its code: kept without one, and left for review
        ([row("AC1.1 濃度", "節能計畫")], [("AC1.1", "AC1", [ActionPlan(None, "節能計畫")])],
         [Problem("warning", "plan_without_code", "節能計畫", None, 3, "AC1.1", "plans")]),
        # a KPI code printed on two rows: both kept, the second marked (its plan, AC1.1.1, is then another KPI's)
        ([row("AC1.1 濃度"), row("AC1.1 濃度", page=4)],
         [("AC1.1", "AC1", [ActionPlan("AC1.1.1", "清新空氣計畫")]), ("AC1.1#2", "AC1", [ActionPlan("AC1.1.1", "清新空氣計畫")])],
         [Problem("repair", "kpi_code_printed_twice", "AC1.1", "AC1.1#2", 4, "AC1.1#2", "kpi"),
          Problem("warning", "plan_code_under_other_kpi", "AC1.1.1", None, 4, "AC1.1#2", "plans")]),
        # a KPI code outside the objective it is printed under: kept where printed, and left for review
        ([row("AC2.9 濃度", "AC2.9.1 計畫")], [("AC2.9", "AC1", [ActionPlan("AC2.9.1", "計畫")])],
         [Problem("warning", "kpi_code_outside_objective", "AC2.9", None, 3, "AC2.9", "kpi")]),
        # two rows' targets in one cell (no rule between them): the cell is no one value, and which
        # is whose is not certain, so no number, and the row's cells left for review under its KPI
        ([row("AC1.1 濃度", target="12.9\n13.5")], [("AC1.1", "AC1", [ActionPlan("AC1.1.1", "清新空氣計畫")])],
         [Problem("warning", "compound_value", "12.9 13.5", None, 3, "AC1.1", "target"),
          Problem("warning", "rows_read_as_one", "AC1.1 濃度 | 監測值單位：μg/m3 | AC1.1.1 清新空氣計畫 | 環保局 | 12.9 13.5 | 12.3",
                  None, 3, "AC1.1", "kpi")]),
        # a further measure's row printing text in the KPI column, uncoded: a measure of the KPI above, the text left for review
        ([row("AC1.1 濃度"), row("另計", "AC1.1.2 節能計畫")],
         [("AC1.1", "AC1", [ActionPlan("AC1.1.1", "清新空氣計畫"), ActionPlan("AC1.1.2", "節能計畫")])],
         [Problem("warning", "uncoded_kpi_text", "另計", None, 3, "AC1.1", "kpi")]),
        # …on a later page: the rest of the KPI's name, its cell merged over its measures (a stitch recorded)
        ([row("AC1.1 濃度"), row("另計", "AC1.1.2 節能計畫", page=4)],
         [("AC1.1", "AC1", [ActionPlan("AC1.1.1", "清新空氣計畫"), ActionPlan("AC1.1.2", "節能計畫")])],
         [Problem("stitch", "kpi_name_rest_below", "另計", None, 4, "AC1.1", "kpi")]),
        # the measure after rows read as one: which printed row its values are is not certain either
        ([row("AC1.1 濃度", target="12.9\n13.5"), row("", "AC1.1.2 節能計畫", page=4)],
         [("AC1.1", "AC1", [ActionPlan("AC1.1.1", "清新空氣計畫"), ActionPlan("AC1.1.2", "節能計畫")])],
         [Problem("warning", "compound_value", "12.9 13.5", None, 3, "AC1.1", "target"),
          Problem("warning", "rows_read_as_one", "AC1.1 濃度 | 監測值單位：μg/m3 | AC1.1.1 清新空氣計畫 | 環保局 | 12.9 13.5 | 12.3",
                  None, 3, "AC1.1", "kpi"),
          Problem("warning", "measure_after_rows_read_as_one", "監測值單位：μg/m3 | AC1.1.2 節能計畫 | 環保局 | 12.9 | 12.3",
                  None, 4, "AC1.1", "kpi")]),
        # a row with no KPI code and no KPI above it: no KPI, its cells left for review (a wrap beside CJK text is no space)
        ([row("說明", "節能計畫")], [],
         [Problem("warning", "row_without_kpi", "說明 | 監測值單位：μg/m3 | 節能計畫 | 環保局 | 12.9 | 12.3", None, 3, None, "kpi")]),
    ],
)
def test_what_a_coded_row_records(rows, kpis, problems):
    got, found = rows_to_kpis(rows)
    assert [(k.code, k.objective_code, [p for m in k.measures for p in m.action_plans]) for k in got] == kpis
    assert found == problems


def test_a_code_printing_nothing_below_rows_read_as_one_takes_their_raw_text():
    """A coded row printing only its name below rows read as one (seed 127: DP3.1-3.3's values all in
    DP3.1's cells): its numbers are in those cells, so it stores none, with their raw text and a warning."""
    blank = SourceRow({role: "" for role in ("formula", "plans", "agency", "target", "actual")} | {"kpi": "AC1.2 排放"},
                      4, THEME, "AC1", "提升環境品質")
    kpis, problems = rows_to_kpis([row("AC1.1 濃度", target="12.9\n13.5"), blank])
    measure = kpis[1].measures[0]
    assert (kpis[1].code, measure.target.raw, measure.target.value, measure.actual.raw, measure.actual.value) == (
        "AC1.2", "12.9 13.5", None, "12.3", None)
    assert [(p.what, p.row) for p in problems if p.row == "AC1.2"] == [("measure_after_rows_read_as_one", "AC1.2")]


def measure_row(**cells: str | None) -> SourceRow:
    return SourceRow({"kpi": "", "formula": "", "plans": "", "agency": "", "target": "", "actual": ""} | cells, 3, THEME, "AC1", "提升環境品質")


def test_a_centred_row_parted_above_its_values_stores_no_number():
    """A further measure's row read as two (seed 147: formula and plans at its top, agency and values
    at its middle, no rule): one measure, its numbers NULL with their raw text and a warning, never
    a measure without values and a third measure holding the second's."""
    kpis, problems = rows_to_kpis([row("AC1.1 濃度"), measure_row(formula="排放量", plans="AC1.1.2 節能計畫"),
                                   measure_row(agency="環保局", target="70", actual="94")])
    assert [(m.measure_no, m.formula, m.agency, m.target.raw, m.target.value, m.actual.raw, m.actual.value)
            for m in kpis[0].measures] == [(1, "監測值", "環保局", "12.9", 12.9, "12.3", 12.3), (2, "排放量", "環保局", "70", None, "94", None)]
    assert [p.what for p in problems] == ["row_without_values_above_its_values"]


def test_a_name_printed_under_cells_merged_over_its_row_is_that_row():
    """A bottom-aligned KPI name read as a row of its own under the cells merged over both (seed 153:
    BP2.2's values and plan at the row's foot above its name): one measure, not a second repeating it."""
    kpis, problems = rows_to_kpis([row("AC1.1 濃度"), row("", "AC1.2.1 減碳計畫", target="85"),
                                   SourceRow({"kpi": "AC1.2 排放", "formula": None, "plans": None, "agency": None, "target": None,
                                              "actual": None}, 3, THEME, "AC1", "提升環境品質")])
    assert [(k.code, [(m.measure_no, m.target.value) for m in k.measures]) for k in kpis] == [
        ("AC1.1", [(1, 12.9)]), ("AC1.2", [(1, 85.0)])]
    assert problems == []


@pytest.mark.parametrize(
    ("text", "begun"),
    [
        ("12.9\n13.5", 2),  # two rows' values in one cell
        ("12.9", 1),
        ("100 (公彩\n7,200)\n300", 2),  # a note wrapped over two lines, closed: the next number begins a value
        ("(7,200\n3,000)\n12", 1),  # numbers inside a bracket begin none
        ("100（公彩\n7,200）\n300", 2),  # full-width brackets alike
        ("（7,200\n3,000）\n12", 1),
        ("12 (註)\n13", 2),  # a note closed on the number's line
        ("12\n(註\n13\n)\n14", 2),
        ("100（公彩\n7,200\n）\n300", 2),  # a number's note left open: the number inside it begins nothing
        ("100 (公彩\n7,200\n)\n300", 2),
        ("12\n\n13", 2),  # a blank line between
        ("1 2\n3", 0),  # "1 2" is no number line, and a number under it no value's start
        ("公彩\n100", 0),  # a number under its label
        ("\n\n", 0),
    ],
)
def test_values_begun(text, begun):
    assert _values_begun(text) == begun


def test_an_extra_column_s_text_is_kept_per_measure_and_a_merged_cell_inherited():
    """A column the scorecard does not know (its role "extra:" + its header) keeps each measure's
    text, cleaned as any cell; a measure row under a merged cell of it (None) takes the text of the
    measure above, and an empty cell of its own stays empty."""
    first = row("AC1.1 濃度")
    first.cells |= {"extra:備註": "含 \n 修正值", "extra:權重": "30%"}
    second = SourceRow({"kpi": "", "formula": "", "plans": "", "agency": "文化局", "target": "10", "actual": "11",
                        "extra:備註": None, "extra:權重": ""}, 3, THEME, "AC1", "提升環境品質")
    (kpi,), _ = rows_to_kpis([first, second])
    assert [m.extras for m in kpi.measures] == [{"備註": "含修正值", "權重": "30%"}, {"備註": "含修正值", "權重": ""}]


def test_a_plan_name_running_on_below_its_values_is_one_measure():
    """A bottom-aligned code: the row printing the values and the plan's code sits above the coded line,
    where the plan's name runs on ("清新空" | "氣計畫"): one measure, its plan whole, its values kept."""
    upper = SourceRow({"kpi": "", "formula": "監測值", "plans": "AC1.1.1 清新空", "agency": "環保局", "target": "12.9", "actual": "12.3"},
                      3, THEME, "AC1", "提升環境品質")
    lower = SourceRow({"kpi": "AC1.1 濃度", "formula": None, "plans": "氣計畫", "agency": None, "target": None, "actual": None},
                      3, THEME, "AC1", "提升環境品質")
    (kpi,), problems = rows_to_kpis([upper, lower])
    assert [(m.action_plans, m.target.raw, m.actual.raw) for m in kpi.measures] == [([ActionPlan("AC1.1.1", "清新空氣計畫")], "12.9", "12.3")]
    assert problems == []


def test_a_merged_name_and_formula_cut_at_a_page_s_foot_go_on_at_their_foot():
    """CP2.1's name and formula merged over its 3 measures, cut at page 15's foot and aligned to the
    bottom (seed 199 did so): their rest prints beside measure 3 on page 16, measure 2 printing
    neither. One name and one formula, with its unit, on every measure; the values each row's own."""
    def cp(page: int, kpi: str, formula: str, plans: str | None, target: str, actual: str) -> SourceRow:
        cells = {"kpi": kpi, "formula": formula, "plans": plans, "agency": "文化局" if page == 15 else "", "target": target, "actual": actual}
        return SourceRow(cells, page, Theme("C", "發展多元文化"), "CP2", "打造文化創意城市")

    (kpi,), problems = rows_to_kpis([
        cp(15, "CP2.1 文化", "文化空間活", "CP2.1.1 北投\n溫泉·無圍牆博\n物館文化館等\n相關活動",
           "2,350,000 (因應\n110 年5 至 7 月全\n國三級警戒，各\n場域文化場館進\n館預估人次滾動\n式調整)", "2,835,104"),
        cp(16, "", "", None, "15,000", "38,865"),
        cp(16, "空間活化再\n利用相關計\n畫之參與人\n次",
           "化再利用參\n與人次總計\n(無圍牆博物\n館入館+臺\n北眷村文化\n節+老房子\n標的舉辦藝\n文活動)\n\n單位：人次", None, "20,000", "73,151"),
    ])
    assert kpi.name == "文化空間活化再利用相關計畫之參與人次"
    formula = "文化空間活化再利用參與人次總計(無圍牆博物館入館+臺北眷村文化節+老房子標的舉辦藝文活動)"
    assert [(m.measure_no, m.formula, m.unit, m.agency, m.target.value, m.actual.value) for m in kpi.measures] == [
        (1, formula, "人次", "文化局", 2350000.0, 2835104.0), (2, formula, "人次", "文化局", 15000.0, 38865.0),
        (3, formula, "人次", "文化局", 20000.0, 73151.0)]
    assert problems == [Problem("stitch", "kpi_name_rest_below", "空間活化再利用相關計畫之參與人次", None, 16, "CP2.1", "kpi")]
