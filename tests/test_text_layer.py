"""The text layer as producers write it: radicals for ideographs, compatibility and full-width
forms, glyphs without a Unicode value; and tables told apart by their whole header."""
from __future__ import annotations

from pathlib import Path

import pytest
from conftest import REPORT_PDF, SAMPLES, kpi, read

from kpi_scorecard.extract.blocks import UNMAPPED, Table, TextLine
from kpi_scorecard.normalize.layout import table_kind
from kpi_scorecard.normalize.scorecard import UnmappedTextLayer, blocks_to_scorecard
from kpi_scorecard.normalize.textlayer import repair_text_layer

REGRESSION = Path(__file__).parent / "samples"


def test_radicals_compatibility_and_fullwidth_forms_become_the_characters_meant():
    blocks = [
        TextLine("110 年⽬標值 ⾏動計畫", 1),
        Table([["市⻑信箱", "⺠政局", "Ａ１ ０.５％", "公務∕公彩，單位："], ["\uf98e度", None, "", "⼈⼈"]], 2),
    ]
    repaired, problems = repair_text_layer(blocks)
    assert repaired[0].text == "110 年目標值 行動計畫"
    assert repaired[1].rows == [["市長信箱", "民政局", "A1 0.5%", "公務/公彩，單位："], ["年度", None, "", "人人"]]
    assert {(p.what, p.raw, p.fixed, p.occurrences) for p in problems} == {
        ("text_layer_kangxi_radical", "⽬⾏⼈", "目行人", 4),
        ("text_layer_cjk_radical_supplement", "⻑⺠", "長民", 2),
        ("text_layer_fullwidth_ascii", "Ａ１０５％", "A105%", 5),
        ("text_layer_shared_glyph", "∕", "/", 1),
        ("text_layer_compatibility_ideograph", "\uf98e", "年", 1),
    }
    assert all(p.kind == "repair" for p in problems)


def test_every_radical_of_both_blocks_maps_to_a_unified_ideograph():
    from kpi_scorecard.extract.charmap import substitutions

    table = substitutions()
    kangxi = [chr(c) for c in range(0x2F00, 0x2FD6)]
    assert all(table[c][1] == "kangxi_radical" and 0x4E00 <= ord(table[c][0]) <= 0x9FFF for c in kangxi)
    supplement = [c for c, (_, kind) in table.items() if kind == "cjk_radical_supplement"]
    assert len(supplement) == 114 and table["⻑"][0] == "長" and table["⺠"][0] == "民"


def test_the_bundled_report_repairs_only_its_full_width_solidus(pdf_report):
    text_layer = [p for p in pdf_report.problems if p.what.startswith("text_layer_")]
    assert [(p.what, p.raw, p.fixed, p.occurrences) for p in text_layer] == [("text_layer_fullwidth_ascii", "／", "/", 3)]


def test_a_few_unmapped_characters_are_a_warning_with_their_page():
    rows = [["關鍵績效指標", "公式及單位", "行動計畫", "主責機關", "110 年目標值", "110 年實際值"],
            ["AC1.1 細懸浮微粒", "監測值濃度", "AC1.1.1 清新空氣", "環保局", "12.9", f"12.{UNMAPPED}"]]
    blocks = [TextLine("營造永續環境(A)", 1), TextLine("AC1 提升環境品質", 1), Table(rows, 3)]
    scorecard = blocks_to_scorecard(blocks, "x.pdf")
    (warning,) = [p for p in scorecard.problems if p.what == "unmapped_characters"]
    assert (warning.kind, warning.page, warning.occurrences) == ("warning", 3, 1)
    actual = kpi(scorecard, "AC1.1").measures[0].actual
    assert (actual.kind, actual.value) == ("unparsed", None)  # never 12.0 from what could be read


def test_a_text_layer_mostly_unmapped_is_refused():
    blocks = [TextLine(UNMAPPED * 40 + "AC1", 1)]
    with pytest.raises(UnmappedTextLayer, match="no Unicode mapping for 93% of its characters"):
        blocks_to_scorecard(blocks, "x.pdf")


@pytest.mark.parametrize(("header", "kind"), [
    (["關鍵績效指標", "公式及單位", "行動計畫", "主責機關", "110 年目標值", "110 年實際值"], "kpi"),
    (["KPI", "關鍵成功因素", "KPI計算公式", "行動方案", "109年實際值", "110年目標值"], "kpi"),
    (["構面", "策略目標數", "KPI個數", "達成數", "未達成數", "達成率"], "summary"),
    (["構面", "策略目標"], "overview"),  # the report's own overview: no deck's summary
    (["策略目標", "主責局處", "KPI", "實際值(目標值)", "目標達成度%", "創新度", "挑戰度", "貢獻度"], "results"),
    (["主要施政重點", "主要任務/參與機關", "110", "111"], "tasks"),
    (["【使命】 為市民服務", None, "【願景】 成為宜居永續城市"], "strategy_map"),
    (["項次", "月份", "議題", "百分比%"], None),
    (["關鍵績效指標", "公式及單位", "行動計畫", "主責機關", "110 年目標值 110 年實際值"], None),  # two columns read as one
])
def test_tables_are_told_apart_by_their_whole_header(header, kind):
    assert table_kind([header, ["AC1.1", "x"]]) == (kind, 0)


def test_tables_of_no_known_kind_are_skipped_and_recorded():
    deck = read(SAMPLES / "h-109-deck.pdf")
    skipped = [(p.page, p.raw) for p in deck.problems if p.kind == "skipped_table"]
    assert (12, "項次 | 月份 | 議題 | 百分比%") in skipped
    report = read(REPORT_PDF)
    assert not [p for p in report.problems if p.kind == "skipped_table"]  # its strategy maps are known


def test_a_table_that_goes_on_without_its_header_row_is_read_whole():
    scorecard = read(REGRESSION / "table-continues-without-its-header-row.txt")
    assert [k.code for k in scorecard.kpis] == ["AC1.1", "AC1.2", "AC1.3"]
    assert kpi(scorecard, "AC1.3").measures[0].target.value == 44000
    (count,) = scorecard.counts
    assert (count.counted_kpis, count.counted_plans) == (3, 3)
