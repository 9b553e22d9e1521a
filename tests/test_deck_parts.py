"""A deck's results table cell by cell (normalize/deck.py): which column holds which role, a cell
under a role, and a value cell's actual with its bracketed target below it."""
from __future__ import annotations

import pytest

from kpi_scorecard.normalize.deck import _actual_and_target, _cell, _columns


@pytest.mark.parametrize(
    ("cell", "split"),
    [
        ("226,157\n(115,000)", ("226,157", "115,000")),
        ("226,157\n（115,000）", ("226,157", "115,000")),  # full-width brackets
        ("226,157\n\n  ( 115,000 ) \n", ("226,157", "115,000")),  # blank lines and spaces around
        ("12\n9\n(10)", ("12 9", "10")),  # the lines above the last joined as a cell's are ("12" + "9" stays two numbers)
        ("226,157", ("226,157", "")),  # no target printed
        ("(115,000)", ("(115,000)", "")),  # one line: the actual, whatever it looks like
        ("", ("", "")),
    ],
)
def test_actual_and_target(cell, split):
    assert _actual_and_target(cell) == split


def test_columns_and_cells():
    """A role's column is the first whose text (whitespace removed) holds its keyword; a row shorter
    than the header, or a role not found, has no cell for it."""
    cols = _columns(["策略目標", "K P I", None, "實際值\n(目標值)", "KPI 名稱"], {"kpi": "KPI", "value": "實際值", "score": "達成度"})
    assert cols == {"kpi": 1, "value": 3}
    row = ["AC1 提升環境品質", "濃度", None, "12.3\n(12.9)"]
    assert (_cell(row, cols, "kpi"), _cell(row, cols, "value"), _cell(row, cols, "score")) == ("濃度", "12.3\n(12.9)", None)
    assert _cell(row[:3], cols, "value") is None
    assert _cell(["AC1", None], cols, "kpi") is None  # under a merged cell


def test_a_results_row_s_values_and_scores():
    """A results row (as HP4.2's on the deck's page 5: 策略目標 | 主責局處 | KPI | 實際值(目標值) |
    目標達成度 | 創新度 | 挑戰度 | 貢獻度), its KPI found by name within the objective its first
    cell names: the actual and bracketed target as observations, the agency on the KPI's measure,
    and the four scores."""
    from kpi_scorecard.extract.blocks import Table
    from kpi_scorecard.normalize.deck import DeckReading, _read_results
    from kpi_scorecard.normalize.records import Kpi, Measure, Value

    card = Kpi("HP4.2", "償債率", "HP4", "健全財政", "H", None,
               [Measure(1, "債務還本數/稅課收入", "%", "negative", [], "", Value(""), Value(""), 11, 109)])
    table = Table([["策略目標", "主責局處", "KPI", "實際值\n(目標值)", "目標達成度", "創新度", "挑戰度", "貢獻度"],
                   ["HP4 健全財政", "財政局", "償債率", "5.45%\n(5.5%)", "99.07%", "80", "95", "90"]], 5)
    reading = DeckReading(kpis=[card])
    assert _read_results(table, 109, None, reading) == ("HP4", "健全財政")
    assert [(o.kpi_code, o.roc_year, o.kind, o.value.raw, o.page, o.source) for o in reading.observations] == [
        ("HP4.2", 109, "actual", "5.45%", 5, "results table"), ("HP4.2", 109, "target", "5.5%", 5, "results table")]
    assert card.measures[0].agency == "財政局"
    (score,) = reading.scores
    assert (score.kpi_code, score.roc_year, score.page) == ("HP4.2", 109, 5)
    assert [(v.raw, v.value) for v in (score.achievement, score.innovation, score.challenge, score.contribution)] == [
        ("99.07%", 99.07), ("80", 80), ("95", 95), ("90", 90)]


def test_a_summary_table_s_stated_counts():
    """A summary row per perspective (構面 | 策略目標數 | KPI個數 | 達成數 | 未達成數 | 達成率), its
    letter from its name, 合計 none; a count is the number a cell starts with, none where it
    starts with none; the theme is that of most of the deck's KPIs."""
    from kpi_scorecard.extract.blocks import Table
    from kpi_scorecard.normalize.deck import DeckReading, _read_summary
    from kpi_scorecard.normalize.records import Kpi, PerspectiveCount

    kpis = [Kpi(c, "名稱", c[:3], "目標", c[0], None, []) for c in ("HC1.1", "HP1.1", "AC1.1", "HF1.1")]
    table = Table([["構面", "策略目標數", "KPI個數", "達成數", "未達成數", "達成率"],
                   ["顧客構面", "2", "3", "2 項", "1", "66.7%"],
                   ["財務\n構面", "1", "2", "-", "0", "100%"],
                   ["合計", "10", "15", "12", "3", "80%"]], 8)
    reading = DeckReading(kpis=kpis)
    _read_summary(table, reading)
    assert reading.perspectives == [PerspectiveCount("H", "顧客構面", "C", 2, 3, 2, 1, 8), PerspectiveCount("H", "財務構面", "F", 1, 2, None, 0, 8),
                                    PerspectiveCount("H", "合計", None, 10, 15, 12, 3, 8)]
