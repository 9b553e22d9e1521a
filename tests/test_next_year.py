"""A third year: the 110 report's data turned into a 111 report (changed values, two renamed KPIs,
one dropped, one new, one code reused for another KPI), loaded after the 109 deck and the 110 report."""
from __future__ import annotations

import copy
from dataclasses import replace

import duckdb
import pytest
from click.testing import CliRunner
from conftest import REPORT_PDF, SAMPLES
from render import scorecard_to_text
from snapshots import everything

from kpi_scorecard.cli import main
from kpi_scorecard.normalize.records import ActionPlan, Kpi, Measure, Value

RENAMED = {"AC3.2": "公共自行車(YouBike)服務使用量", "HP3.2": "紙本來文線上簽核比率"}
DROPPED = "AC4.3"
REUSED = ("HC2.1", "市民陳情案件結案率")


def next_year(scorecard):
    """The scorecard as its 111 edition would print it."""
    doc = copy.deepcopy(scorecard)
    doc.roc_year, doc.source_file = 111, "report-111.txt"
    kpis = []
    for k in doc.kpis:
        if k.code == DROPPED:
            continue
        name = RENAMED.get(k.code, REUSED[1] if k.code == REUSED[0] else k.name)
        measures = [replace(m, roc_year=111, target=_bumped(m.target, 1.05), actual=_bumped(m.actual, 1.1)) for m in k.measures]
        kpis.append(replace(k, name=name, measures=measures))
        if k.code == "AC4.4":  # the new KPI takes the dropped one's place in the count
            plan = ActionPlan("AC4.5.1", "家戶廚餘回收推廣計畫")
            kpis.append(Kpi("AC4.5", "廚餘回收率", k.objective_code, k.objective_name, k.theme_code, k.theme_name, [
                Measure(1, "廚餘回收量/垃圾產生量*100%", "%", "positive", [plan], "環保局", Value("30"), Value("31.5"), None)]))
    doc.kpis = kpis
    return doc


def _bumped(value: Value, factor: float) -> Value:
    return Value(f"{value.value * factor:,.2f}") if value.value is not None else value


@pytest.fixture(scope="module")
def three_years(txt_report, tmp_path_factory):
    root = tmp_path_factory.mktemp("years")
    report_111 = root / "report-111.txt"
    report_111.write_text(scorecard_to_text(next_year(txt_report)), encoding="utf-8")
    db = root / "kpi.duckdb"
    result = CliRunner().invoke(main, [str(SAMPLES / "h-109-deck.pdf"), str(REPORT_PDF), str(report_111),
                                       "--db", str(db), "--csv-dir", str(root / "open-data")])
    assert result.exit_code == 0, result.output
    return db, report_111


def query(db, sql):
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_the_111_document_reads_back(three_years):
    db, _ = three_years
    assert query(db, "SELECT count(*) FROM kpis WHERE document_id = 'report-111.txt'") == [(162,)]
    assert query(db, "SELECT bool_and(ok) FROM reconciliation WHERE document_id = 'report-111.txt' AND item <> 'theme'") == [(True,)]


def test_links_across_three_years(three_years):
    db, _ = three_years
    links = {c: (i, d, s) for c, i, d, s in query(db, "SELECT kpi_code, kpi_id, decision, score FROM kpi_links WHERE document_id = 'report-111.txt'")}
    for code in RENAMED:
        kpi_id, decision, score = links[code]
        assert (kpi_id, decision) == (code, "renamed") and 60 <= score < 100
    assert links["HC2.1"][:2] == ("HC2.1#2", "new")  # same code, another KPI: never merged
    assert links["AC4.5"][:2] == ("AC4.5", "new")
    assert DROPPED not in links
    assert links["AC1.1"] == ("AC1.1", "matched", 100)


def test_trend_follows_the_identity(three_years):
    db, _ = three_years
    rows = query(db, "SELECT roc_year, kpi_name, actual_value, actual_source FROM kpi_trend WHERE kpi_id = 'HP3.2' ORDER BY roc_year")
    assert [(y, a, s) for y, _, a, s in rows] == [
        (109, 65.77, "h-109-deck.pdf"), (110, 92.05, "report-110.pdf"), (111, pytest.approx(101.26), "report-111.txt")]
    assert rows[-1][1] == RENAMED["HP3.2"]  # named as the latest document names it
    change = query(db, "SELECT actual_change FROM kpi_trend WHERE kpi_id = 'HP3.2' AND roc_year = 111")[0][0]
    assert change == pytest.approx(101.26 - 92.05)
    assert query(db, f"SELECT max(roc_year) FROM kpi_trend WHERE kpi_id = '{DROPPED}'") == [(110,)]
    assert query(db, "SELECT DISTINCT kpi_name FROM kpi_trend WHERE kpi_id = 'HC2.1'") == [("提升市民政策知曉度",)]


def test_reloading_any_document_changes_no_value(three_years):
    db, report_111 = three_years
    before = everything(db)
    for path in (report_111, SAMPLES / "h-109-deck.pdf"):
        assert CliRunner().invoke(main, [str(path), "--db", str(db), "--no-csv"]).exit_code == 0
        assert everything(db) == before
