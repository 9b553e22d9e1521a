"""The H-group briefing deck: its KPI, results, tasks and summary tables, alone and beside the report."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from conftest import SAMPLES, kpi, read, require

from kpi_scorecard.normalize.deck import DeckReading, _fill_measures, _kpi_unit
from kpi_scorecard.normalize.records import Kpi, Measure, Observation, Problem, Value
from kpi_scorecard.warehouse import connect, count_warnings, export_csv, load_scorecard
from kpi_scorecard.warehouse.identity import Override

DECK_PDF = SAMPLES / "h-109-deck.pdf"


@pytest.fixture(scope="session")
def deck():
    return read(DECK_PDF)


def measure(scorecard, code, year):
    return next(m for m in kpi(scorecard, code).measures if m.roc_year == year)


def test_deck_years_kinds_and_kpis(deck):
    assert (deck.kind, deck.roc_year) == ("briefing_deck", 109)
    assert len(deck.kpis) == 16  # 15 coded KPIs + the 109 results row "參與人數" coded HC1
    # the results table on page 3 prints 參與人數 without a code: HC1 assumed, left for review
    assert [p for p in deck.problems if p.what == "kpi_code_assumed"] == [Problem("warning", "kpi_code_assumed", "參與人數", "HC1", 3, "HC1", "kpi")]
    hc1 = kpi(deck, "HC1")
    assert (hc1.name, measure(deck, "HC1", 109).actual.value, measure(deck, "HC1", 109).target.value) == ("參與人數", 226157, 115000)


def test_values_of_every_year(deck):
    hc11 = kpi(deck, "HC1.1")
    assert [(m.roc_year, m.target.raw, m.actual.raw) for m in hc11.measures] == [
        (109, "", "公式調整，不適用"), (110, "9%", ""), (111, "10%", "")]
    assert measure(deck, "HC1.1", 109).actual.kind == "none"
    assert measure(deck, "HP1.1", 109).actual.value == 652_020_000  # 6億5,202萬次
    assert measure(deck, "HP2.2", 109).target.op == ">="  # ≧80%
    assert [(m.roc_year, m.target.value) for m in kpi(deck, "HF3.1").measures if m.roc_year > 110] == [(111, 83.0), (112, 83.5)]
    assert measure(deck, "HF3.2", 112).target.value == 81.0  # "各基金：81.0%" in a cell listing both KPIs
    assert measure(deck, "HP3.2", 109).agency == "秘書處"  # from the results table


def test_footnote_marker_and_scores(deck):
    results = [o for o in deck.observations if o.kpi_code == "HF3.2" and o.source == "results table"]
    actual = next(o.value for o in results if o.kind == "actual")
    assert (actual.value, actual.raw) == (57.25, "57.25%①")
    assert [(o.kind, o.roc_year, o.page) for o in results] == [("actual", 109, 7), ("target", 109, 7)]  # HF's results: page 7
    score = next(s for s in deck.scores if s.kpi_code == "HP4.2")
    assert (score.achievement.value, score.innovation.value, score.challenge.value, score.contribution.value) == (99.07, 80, 95, 90)
    assert len(deck.scores) == 15


def test_summary_table(deck):
    total = next(p for p in deck.perspectives if p.perspective == "合計")
    assert (total.stated_objectives, total.stated_kpis, total.stated_achieved, total.stated_missed) == (10, 15, 12, 3)
    assert [p.letter for p in deck.perspectives] == ["C", "P", "L", "F", None]


def test_deck_text_dump_has_no_tables(tmp_path):
    from click.testing import CliRunner

    from kpi_scorecard.cli import main

    dump = Path(__file__).parent / "samples" / "deck-text-dump-without-table-cells.txt"
    result = CliRunner().invoke(main, [str(dump), "--db", str(tmp_path / "k.duckdb"), "--no-csv"])
    assert result.exit_code == 1
    assert "Error: deck-text-dump-without-table-cells.txt: no KPI scorecard tables found" in result.output


@pytest.fixture(scope="module")
def warehouse(deck, pdf_report, tmp_path_factory):
    con = connect(tmp_path_factory.mktemp("wh") / "kpi.duckdb")
    load_scorecard(con, deck)
    load_scorecard(con, pdf_report)
    yield con
    con.close()


def test_five_conflicts_within_the_deck(warehouse):
    within = warehouse.execute(
        "SELECT DISTINCT kpi_id, roc_year, kind FROM conflicts WHERE scope = 'within_document' ORDER BY ALL").fetchall()
    assert within == [("HF1.1", 109, "actual"), ("HP2.1", 110, "target"), ("HP2.2", 109, "actual"),
                      ("HP3.2", 109, "actual"), ("HP4.2", 109, "actual")]
    hp32 = warehouse.execute(
        "SELECT raw, source, chosen FROM conflicts WHERE kpi_id = 'HP3.2' AND roc_year = 109 ORDER BY raw").fetchall()
    assert hp32 == [("35.33%", "results table", False), ("65.77%", "kpi table", True)]


def test_later_report_wins_across_documents(warehouse):
    rows = warehouse.execute(
        "SELECT source_file, raw, chosen FROM conflicts WHERE kpi_id = 'HP3.2' AND roc_year = 110 AND kind = 'target' ORDER BY source_file, raw"
    ).fetchall()
    assert rows == [("h-109-deck.pdf", "78%", False), ("h-109-deck.pdf", "78%", False), ("report-110.pdf", "88", True)]


def test_links(warehouse):
    links = dict(((d, c), (i, dec)) for d, c, i, dec in warehouse.execute(
        "SELECT document_id, kpi_code, kpi_id, decision FROM kpi_links WHERE kpi_code LIKE 'H%'").fetchall())
    assert links[("report-110.pdf", "HP2.1")] == ("HP2.1", "renamed")  # 市法規案經… vs 市法規經…
    assert links[("report-110.pdf", "HP1.1")] == ("HP1.1#2", "new")  # the code now names 金標章比例
    assert links[("h-109-deck.pdf", "HC1")] == ("HC1", "new")
    assert links[("report-110.pdf", "HC1.1")] == ("HC1.1", "matched")


def test_trend_109_to_111(warehouse):
    rows = warehouse.execute(
        "SELECT roc_year, target_raw, actual_raw, achieved, actual_change, target_source, actual_source "
        "FROM kpi_trend WHERE kpi_id = 'HP4.2' ORDER BY roc_year").fetchall()
    assert rows[0][:4] == (109, "5.5%", "5.35", False)
    assert rows[1][:4] == (110, "5.4", "5.32", False)
    assert rows[1][4] == pytest.approx(-0.03) and rows[1][5:] == ("report-110.pdf", "report-110.pdf")


def test_summary_counts_reconciled(warehouse):
    rows = dict(((s, i), tuple(counts)) for s, i, *counts in warehouse.execute(
        "SELECT scope, item, stated, counted, by_values FROM reconciliation WHERE document_id = 'h-109-deck.pdf' AND scope <> 'theme'").fetchall())
    assert rows[("合計", "kpis")] == (15, 15, None) and rows[("合計", "objectives")] == (10, 10, None)
    assert rows[("顧客構面", "achieved")] == (2, 2, 2)
    # by its 目標達成度 column the deck's counts hold: 償債率 99.07, HF3.1 92.91, HF3.2 71.56 missed;
    # the value rule counts KPIs without a printed target as neither, HF1.1 (its table's 100%) missed
    assert rows[("內部流程", "achieved")] == (7, 7, 4) and rows[("內部流程", "missed")] == (1, 1, 1)
    assert rows[("財務構面", "achieved")] == (2, 2, 1) and rows[("財務構面", "missed")] == (2, 2, 3)
    assert rows[("合計", "achieved")] == (12, 12, 8) and rows[("合計", "missed")] == (3, 3, 4)


def test_a_stated_count_the_deck_s_own_column_does_not_bear_out_warns(deck, tmp_path):
    """The deck's counts hold by its 目標達成度 column; one printed otherwise is still a warning."""
    misprinted = replace(deck, perspectives=[
        replace(p, stated_achieved=13, stated_missed=2) if p.perspective == "合計" else p for p in deck.perspectives])
    con = connect(tmp_path / "kpi.duckdb")
    load_scorecard(con, misprinted)
    assert count_warnings(con, ["h-109-deck.pdf"]) == [
        "Warning: h-109-deck.pdf: 合計 states 13 achieved, its 目標達成度 column gives 12",
        "Warning: h-109-deck.pdf: 合計 states 2 missed, its 目標達成度 column gives 3",
    ]
    con.close()


def test_reload_and_overrides(deck, pdf_report, tmp_path):
    con = connect(tmp_path / "kpi.duckdb")
    load_scorecard(con, deck)
    load_scorecard(con, pdf_report)
    tables = ("measures", "observations", "scores", "kpi_links", "reconciliation")
    before = {t: con.execute(f"SELECT count(*) FROM {t}").fetchall() for t in tables}
    overrides = [Override("report-110.pdf", "HP1.1", "pin", "HP1.1"), Override("report-110.pdf", "HC2.1", "split", None)]
    load_scorecard(con, deck, overrides=overrides)
    assert {t: con.execute(f"SELECT count(*) FROM {t}").fetchall() for t in tables} == before
    got = dict(((c), (i, d)) for c, i, d in con.execute(
        "SELECT kpi_code, kpi_id, decision FROM kpi_links WHERE document_id = 'report-110.pdf' AND kpi_code IN ('HP1.1', 'HC2.1')").fetchall())
    assert got == {"HP1.1": ("HP1.1", "pinned"), "HC2.1": ("HC2.1#2", "split")}
    con.close()


def test_open_data_package_validates(warehouse, tmp_path):
    frictionless = require("frictionless", "validates the open data (the test extra)")
    export_csv(warehouse, tmp_path)
    report = frictionless.validate(tmp_path / "datapackage.json")
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:5]
    assert (tmp_path / "kpi_trend.parquet").exists()


# Every KPI value the deck prints, read off its pages (pdftotext of samples/h-109-deck.pdf, and
# the deck's text in the seed): (KPI, year, kind, number). Results tables (109 actual and target),
# KPI tables (109 actual, 110 target) and tasks tables (110–112 targets).
DECK_VALUES = {
    *[("HC1", 109, "actual", 226157), ("HC1", 109, "target", 115000)],
    *[("HC2.1", 109, "actual", 50), ("HC2.1", 109, "target", 50), ("HC2.1", 110, "target", 50)],
    *[("HC1.1", 110, "target", 9), ("HC1.1", 111, "target", 10)],
    *[("HP1.1", 109, "actual", 652_020_000), ("HP1.1", 110, "target", 670_000_000), ("HP1.1", 111, "target", 680_000_000)],
    *[("HP2.1", 109, "actual", 100), ("HP2.1", 109, "target", 98.5), ("HP2.1", 110, "target", 99),
      ("HP2.1", 110, "target", 98.5), ("HP2.1", 111, "target", 99)],
    *[("HP2.2", 109, "actual", 88), ("HP2.2", 109, "actual", 89), ("HP2.2", 109, "target", 80), ("HP2.2", 110, "target", 82)],
    *[("HP3.1", 109, "actual", 92), ("HP3.1", 110, "target", 92), ("HP3.1", 111, "target", 98)],
    *[("HP3.2", 109, "actual", 35.33), ("HP3.2", 109, "actual", 65.77), ("HP3.2", 110, "target", 78), ("HP3.2", 111, "target", 85)],
    *[("HP3.3", 109, "actual", 87.5), ("HP3.3", 109, "target", 85), ("HP3.3", 110, "target", 95), ("HP3.3", 111, "target", 95)],
    *[("HP4.1", 109, "actual", 66.5), ("HP4.1", 109, "target", 65.05), ("HP4.1", 110, "target", 65.1), ("HP4.1", 111, "target", 65.15)],
    *[("HP4.2", 109, "actual", 5.41), ("HP4.2", 109, "actual", 5.35), ("HP4.2", 109, "target", 5.5),
      ("HP4.2", 110, "target", 5.4), ("HP4.2", 111, "target", 5.4)],
    *[("HL1.1", 109, "actual", 100), ("HL1.1", 109, "target", 85), ("HL1.1", 110, "target", 90), ("HL1.1", 111, "target", 92)],
    *[("HF1.1", 109, "actual", 100), ("HF1.1", 109, "actual", 94.16), ("HF1.1", 109, "target", 96),
      ("HF1.1", 110, "target", 99.52), ("HF1.1", 111, "target", 99.53)],
    *[("HF2.1", 109, "actual", 96.3), ("HF2.1", 109, "target", 94.9), ("HF2.1", 110, "target", 94.9)],
    *[("HF3.1", 109, "actual", 74.33), ("HF3.1", 109, "target", 80), ("HF3.1", 110, "target", 82.6),
      ("HF3.1", 111, "target", 83.0), ("HF3.1", 112, "target", 83.5)],
    *[("HF3.2", 109, "actual", 57.25), ("HF3.2", 109, "target", 80), ("HF3.2", 110, "target", 80.2),
      ("HF3.2", 111, "target", 80.5), ("HF3.2", 112, "target", 81.0)],
}
# 目標達成度, 創新度, 挑戰度, 貢獻度 of each KPI the results tables score (109)
DECK_SCORES = {
    "HC1": (100, 94, 90, 89), "HC2.1": (100, 80, 100, 85), "HP1.1": (100, 85, 85, 95), "HP2.1": (100, 80, 85, 85),
    "HP2.2": (100, 83, 83, 83), "HP3.1": (100, 85, 95, 95), "HP3.2": (100, 85, 75, 85), "HP3.3": (100, 89, 92, 85),
    "HP4.1": (100, 85, 90, 95), "HP4.2": (99.07, 80, 95, 90), "HL1.1": (100, 90, 89, 89), "HF1.1": (100, 85, 90, 85),
    "HF2.1": (100, 88, 90, 88), "HF3.1": (92.91, 85, 85, 85), "HF3.2": (71.56, 85, 85, 85),
}


def test_every_value_the_deck_prints_is_stored(warehouse):
    stored = set(warehouse.execute("""
        SELECT kpi_code, roc_year, kind, value FROM observations WHERE document_id = 'h-109-deck.pdf'
        UNION
        SELECT kpi_code, roc_year, 'target', target_value FROM kpi_history WHERE document_id = 'h-109-deck.pdf'
        UNION
        SELECT kpi_code, roc_year, 'actual', actual_value FROM kpi_history WHERE document_id = 'h-109-deck.pdf'
    """).fetchall())
    stored = {(code, year, kind, round(value, 6)) for code, year, kind, value in stored if value is not None}
    assert {(c, y, k, round(v, 6)) for c, y, k, v in DECK_VALUES} - stored == set()
    assert warehouse.execute("SELECT raw FROM observations WHERE document_id = 'h-109-deck.pdf' "
                             "AND kpi_code = 'HC1.1' AND roc_year = 109 AND kind = 'actual'").fetchall() == [("公式調整，不適用",)]
    scores = {code: rest for code, *rest in warehouse.execute(
        "SELECT kpi_code, achievement, innovation, challenge, contribution, roc_year, page FROM scores "
        "WHERE document_id = 'h-109-deck.pdf'").fetchall()}
    # the results tables' pages (pdftotext): HC on 3, HP1-2 on 4, HP3-4 on 5, HL on 6, HF on 7
    pages = {"HC": 3, "HP1": 4, "HP2": 4, "HP3": 5, "HP4": 5, "HL": 6, "HF": 7}
    assert scores == {code: [*values, 109, pages.get(code[:2], pages.get(code[:3]))] for code, values in DECK_SCORES.items()}


def test_tasks_tied_by_order_and_value(deck):
    """HP4.2's task (債務還本數占稅課收入比率, 5.4) and HL1.1's (策略主題訓練班期執行率, 90% / 92%)
    share too few words with 償債率 and 訓練完成率; the slide's order and the 110 value tie them."""
    ties = {p.row: p.fixed for p in deck.problems if p.what == "task_tied"}
    assert ties["HP4.2"] == "HP4.2: the slide's order: task 2 of 2, KPI 2 of 2; its 110 target is the KPI table's"
    assert ties["HL1.1"].startswith("HL1.1: the slide's order: task 1 of 1")
    assert ties["HC1.1"] == "HC1.1: its 量化目標 matches the KPI's formula (77)"
    assert [(m.roc_year, m.target.raw) for m in kpi(deck, "HP4.2").measures] == [(109, "5.5%"), (110, "5.4"), (111, "5.4")]
    assert [(m.roc_year, m.target.raw) for m in kpi(deck, "HL1.1").measures] == [(109, "85%"), (110, "90%"), (111, "92%")]
    untied = [p.fixed for p in deck.problems if p.what == "task_not_tied"]
    assert len(untied) == 9  # 場次, 次民調, 場, 案, 次, 件數 … and HP2's 100億元 廉政平台 share (100 ≠ HP2.2's 82)
    assert "its unit (件數) is none of the slide's KPIs' (HF2.1 %)" in untied  # 70 件, not HF2.1's 94.9 %


def test_a_kpi_tied_to_one_task_is_not_tied_to_another():
    """Two tasks, two KPIs of a slide, no names in common: the first task's 110 value is the second
    KPI's target, so it takes that KPI; the second task prints no year the KPIs print, and its place
    would give it that same KPI, which is taken: it stays untied."""
    from kpi_scorecard.normalize.deck import Task, _tie_tasks
    from kpi_scorecard.normalize.records import Kpi, Measure, Value

    def kpi_with_target(code: str, name: str, target: float) -> Kpi:
        value = Value(f"{target:g}%", target, None, None, "number")
        return Kpi(code, name, "HP1", "目標", "H", "精實良善治理",
                   [Measure(1, "A/B*100%", "%", "positive", [], "研考會", value, Value(""), 3, 110)])

    kpis = [kpi_with_target("HP1.1", "細懸浮微粒濃度", 50), kpi_with_target("HP1.2", "垃圾回收率", 60)]
    first, second = Task("主要任務1", "市民參與人數", {110: "60%"}), Task("主要任務2", "開放資料集下載量", {111: "70%"})
    ties = _tie_tasks([first, second], kpis)
    assert ties == {id(first): (kpis[1], "no other KPI of the slide; its 110 target is the KPI table's")}


def test_a_scanned_decks_results_value_read_unsure_is_left_unread():
    """A deck read from its images: every results cell carries the confidence OCR gave it (here 95,
    and 40 for the cell printing HF3.2's `57.25%①`, as a blurred scan gives), and a results table
    whose first row is a title above its header (a slide's boxed title, found as a table row) is
    read from its header on with its confidences alike: HF3.2's actual keeps its raw text but no
    number, with a warning; HP4.2's values carry 95."""
    from kpi_scorecard.extract.blocks import Table
    from kpi_scorecard.extract.pdf import pdf_to_blocks
    from kpi_scorecard.normalize.scorecard import blocks_to_scorecard

    def scanned(block):
        if not (isinstance(block, Table) and block.rows[0][0] == "策略目標"):
            return block
        rows = [["109 年度績效目標達成情形"] + [None] * (len(block.rows[0]) - 1), *block.rows]
        confidence = [[None if cell is None else 40.0 if cell.startswith("57.25") else 95.0 for cell in row] for row in rows]
        return replace(block, rows=rows, confidence=confidence, boxes=[[None] * len(row) for row in rows])

    deck = blocks_to_scorecard([scanned(b) for b in pdf_to_blocks(DECK_PDF)], DECK_PDF.name)
    results = {(o.kpi_code, o.kind): o.value for o in deck.observations if o.source == "results table"}
    assert (results[("HF3.2", "actual")].raw, results[("HF3.2", "actual")].value) == ("57.25%①", None)
    assert ("warning", "ocr_low_confidence", "57.25%①", "HF3.2", "actual") in {
        (p.kind, p.what, p.raw, p.row, p.column) for p in deck.problems}
    assert (results[("HP4.2", "actual")].confidence, results[("HP4.2", "target")].confidence) == (95.0, 95.0)
    assert results[("HP4.2", "actual")].value is not None


def unit_kpi(name: str, formula: str, unit: str | None, target: str = "80", actual: str = "85") -> Kpi:
    m = Measure(1, formula, unit, "positive", [], "局", Value(target), Value(actual), 1)
    return Kpi("HC1.1", name, "HC1", "目標", "H", None, [m])


@pytest.mark.parametrize(
    ("kpi_", "unit"),
    [
        (unit_kpi("完成度", "完成數/總數", "%（累計）"), "%"),  # % in the unit, whatever else it says
        (unit_kpi("完成度", "完成數/總數", "百分比"), "%"),
        (unit_kpi("完成度", "完成數/總數×100%", None), "%"),  # in the formula
        (unit_kpi("參與達成率", "參與數", None), "%"),  # the name is a rate
        (unit_kpi("完成度", "完成數", None, "80%"), "%"),  # a value printed in %
        (unit_kpi("活動", "辦理場數", None, "120場"), "場"),  # a value printed counted
        (unit_kpi("活動", "辦理場數", "人次"), "人次"),  # else the unit as printed
        (unit_kpi("活動", "辦理場數", None), None),
    ],
)
def test_a_kpi_s_unit_for_tying_tasks(kpi_, unit):
    """A task ties to a KPI of its own unit, never across units (README): in %, counted, or as printed."""
    assert _kpi_unit(kpi_) == unit


def test_a_year_only_another_table_prints_is_a_measure_of_its_page():
    """The KPI table (page 11) prints 110's target and 109's actual; the tasks table on page 12
    prints 111's target, and 110's actual where the KPI table's cell is empty: 111 becomes a
    measure of page 12, 110's actual fills the KPI table's measure, which stays on page 11."""
    m110 = Measure(1, "完成數", "%", "positive", [], "局", Value("9%", 9.0, kind="number"), Value(""), 11, 110)
    m109 = replace(m110, target=Value(""), actual=Value("8%", 8.0, kind="number"), roc_year=109)
    reading = DeckReading([Kpi("HC1.1", "完成率", "HC1", "目標", "H", None, [m109, m110])], [
        Observation("HC1.1", 1, 111, "target", Value("10%", 10.0, kind="number"), 12, "tasks table"),
        Observation("HC1.1", 1, 110, "actual", Value("9.5%", 9.5, kind="number"), 12, "tasks table"),
    ])
    _fill_measures(reading)
    assert [(m.roc_year, m.page, m.target.raw, m.actual.raw) for m in reading.kpis[0].measures] == [
        (109, 11, "", "8%"), (110, 11, "9%", "9.5%"), (111, 12, "10%", "")]


@pytest.mark.parametrize(
    ("confidence", "boxes", "expected"),
    [
        (None, None, (None, None)),  # a text layer's table: nothing recognised
        ([[None, 91.0]], [[None, (1.0, 2.0, 3.0, 4.0)]], (91.0, (1.0, 2.0, 3.0, 4.0))),
        ([[None, 91.0]], None, (91.0, None)),  # recognised, no boxes kept
        ([[None, 91.0]], [[None]], (91.0, None)),  # a boxes row shorter than the cell's column
        ([[None]], [[None]], (None, None)),  # the column past the row's confidences
    ],
)
def test_a_recognised_cell_s_confidence_and_box(confidence, boxes, expected):
    from kpi_scorecard.extract.blocks import Table
    from kpi_scorecard.normalize.deck import _recognised

    table = Table([["HC1.1", "9.5%"]], 3, confidence=confidence, boxes=boxes)
    assert _recognised(table, 0, 1) == expected


def test_a_task_s_target_tied_to_its_kpi_names_the_tasks_table():
    """A target read from a tasks table is stored as KPI measure 1's, its source the tasks table and
    its note why it was tied; a task tied to no KPI stores nothing."""
    from kpi_scorecard.normalize.deck import _task_target
    from kpi_scorecard.normalize.values import parse_value

    card = Kpi("HC1.1", "市民滿意度", "HC1", "目標", "H", None, [])
    reading = DeckReading(kpis=[card])
    _task_target(card, 111, "10%", 12, "提升市民滿意度", "label 滿意度 matches its name", reading)
    _task_target(None, 111, "30場", 12, "辦理說明會", "no KPI", reading)
    assert reading.observations == [Observation("HC1.1", 1, 111, "target", parse_value("10%"), 12, "tasks table",
                                                "tied: label 滿意度 matches its name; task: 提升市民滿意度")]


def test_a_labelled_tasks_row_does_not_end_the_table():
    """A tasks row printing one target per labelled KPI ("各機關：82.6% 各基金：80.2%") ties each
    label to the KPI of the slide it names; the rows under it are tasks read as any other: here
    the 市民滿意度 task after it ties by its 量化目標 to HP1.3, whose name it is (partial ratio 100)."""
    from kpi_scorecard.extract.blocks import Table
    from kpi_scorecard.normalize.deck import _read_tasks

    def card(code: str, name: str) -> Kpi:
        return Kpi(code, name, "HP1", "目標", "H", None,
                   [Measure(1, "A/B×100%", "%", "positive", [], "局", Value(""), Value(""), 3, 109)])

    kpis = [card("HP1.1", "各機關資本支出預算達成率"), card("HP1.2", "各基金資本支出預算達成率"), card("HP1.3", "市民滿意度")]
    table = Table([["主要施政重點", "主要任務", "110", "111"],
                   ["預算", "量化目標：資本支出預算達成率", "各機關：82.6% 各基金：80.2%", "各機關：83% 各基金：81%"],
                   ["服務", "量化目標：市民滿意度", "85%", "86%"]], 3)
    reading = DeckReading(kpis=kpis)
    _read_tasks(table, reading)
    assert [(p.what, p.row, p.fixed) for p in reading.problems] == [
        ("task_tied", "HP1.1", "HP1.1: label 各機關 matches its name"),
        ("task_tied", "HP1.2", "HP1.2: label 各基金 matches its name"),
        ("task_tied", "HP1.3", "HP1.3: its 量化目標 matches the KPI's name (100)"),
    ]
    assert [(o.kpi_code, o.roc_year, o.value.raw) for o in reading.observations] == [
        ("HP1.1", 110, "82.6%"), ("HP1.2", 110, "80.2%"), ("HP1.1", 111, "83%"), ("HP1.2", 111, "81%"),
        ("HP1.3", 110, "85%"), ("HP1.3", 111, "86%")]


def test_tasks_tied_by_the_slide_s_order():
    """As many %-tasks as KPIs on the slide, none matching a KPI by its words: each task takes the
    KPI at its place, unless its values disagree with that KPI's; the reason names both places, and
    the year whose target the task and the KPI table share."""
    from kpi_scorecard.normalize.deck import Task, _tie_tasks

    def card(code: str, name: str, target: float) -> Kpi:
        value = Value(f"{target:g}%", target, None, None, "number")
        return Kpi(code, name, "HP1", "目標", "H", None, [Measure(1, "A/B×100%", "%", "positive", [], "局", value, Value(""), 3, 110)])

    kpis = [card("HP1.1", "細懸浮微粒濃度", 50), card("HP1.2", "垃圾回收率", 60)]
    first, second = Task("主要任務1", "市民參與比例", {111: "55%"}), Task("主要任務2", "資料開放比率", {110: "60%"})
    assert _tie_tasks([first, second], kpis) == {
        id(first): (kpis[0], "the slide's order: task 1 of 2, KPI 1 of 2"),
        id(second): (kpis[1], "the slide's order: task 2 of 2, KPI 2 of 2; its 110 target is the KPI table's"),
    }
    disagreeing = Task("主要任務1", "市民參與比例", {110: "45%"})  # 45 ≠ HP1.1's 50: not at its place
    assert _tie_tasks([disagreeing, second], kpis) == {
        id(second): (kpis[1], "the slide's order: task 2 of 2, KPI 2 of 2; its 110 target is the KPI table's")}
