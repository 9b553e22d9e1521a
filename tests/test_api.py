"""The Python API as a notebook user calls it: kpi_scorecard.read_pdf and Warehouse."""
from __future__ import annotations

import duckdb
import pytest
from conftest import REPORT_PDF, REPORT_TXT, SAMPLES, lock_held

import kpi_scorecard as ks
from kpi_scorecard.warehouse.export import published

DECK = SAMPLES / "h-109-deck.pdf"


@pytest.fixture(scope="module")
def card() -> ks.Scorecard:
    return ks.read_pdf(REPORT_PDF)


@pytest.fixture(scope="module")
def loaded(tmp_path_factory) -> tuple[ks.Warehouse, ks.RunSummary]:
    db = tmp_path_factory.mktemp("api") / "kpi.duckdb"
    return ks.Warehouse(db), ks.Warehouse(db, read_only=False).load([DECK, REPORT_TXT])


def test_read_pdf_gives_the_warehouse_s_rows(card):
    assert (card.source_file, card.roc_year, card.kind) == ("report-110.pdf", 110, "annual_report")
    assert list(card.kpis.columns) == [f.name for f in published("kpi_history").fields]
    assert len(card.kpis) == 172 and card.kpis.kpi_code.nunique() == 162
    bc21 = card.kpis.set_index("kpi_code").loc["BC2.1"]
    assert (bc21.target_value, bc21.actual_value, bool(bc21.achieved), bc21.page, bc21.year) == (19661, 20160, True, 13, 2021)
    # the measures printed without a number on a side: 尚未調查完成 ×2, 每年3月間提供, 公務 82 公彩 82,
    # 高於6都平均值, 累計:268 144: NULL stays missing
    assert card.kpis.achieved.dtype == "boolean"
    assert sorted(card.kpis[card.kpis.achieved.isna()].kpi_code) == ["CC2.1", "CC2.2", "DP4.1", "EF1.1", "EP1.2", "GP4.3"]
    assert card.reconciliation.query("item == 'kpis'").stated.sum() == 162 and card.reconciliation.ok.all()
    # 26 rows cut by page breaks; per side, a value of several numbers (EF1.1, GP4.3), none (CC2.1,
    # CC2.2, DP4.1 actuals), a comparison (EP1.2); 4 plan codes under another KPI; full-width ／ (3 printed)
    assert card.repairs.groupby(["kind", "what"]).size().to_dict() == {
        ("repair", "text_layer_fullwidth_ascii"): 1, ("stitch", "row_split_across_pages"): 26,
        ("warning", "compound_value"): 4, ("warning", "no_number_printed"): 3,
        ("warning", "plan_code_under_other_kpi"): 4, ("warning", "qualitative_value"): 2}
    repaired = card.repairs.query("kind == 'repair'")
    assert (repaired.raw.tolist(), repaired.fixed.tolist(), repaired.occurrences.tolist()) == (["／"], ["/"], [3])


def test_read_pdf_errors_are_the_cli_s(tmp_path):
    fake = tmp_path / "fake.pdf"
    fake.write_text("not a pdf")
    with pytest.raises(ks.NotAPdf, match=r"^fake\.pdf: not a PDF \(no %PDF- signature\)$"):
        ks.read_pdf(fake)
    with pytest.raises(ks.InputError, match="nowhere.pdf: no such file"):
        ks.read_pdf(tmp_path / "nowhere.pdf")
    notes = tmp_path / "notes.txt"
    notes.write_text("沒有表格\n", encoding="utf-8")
    with pytest.raises(ks.NoScorecardTables):
        ks.read_pdf(notes)


def test_load_returns_the_run_summary(loaded):
    _, summary = loaded
    assert [(d.source_file, d.kpis, d.measures) for d in summary.documents] == [("h-109-deck.pdf", 16, 45), ("report-110.txt", 162, 172)]
    assert summary.failed == [] and summary.totals["documents"] == 2 and summary.totals["identities"] == 164
    assert summary.warnings == []  # the deck's stated counts hold by its own 目標達成度 column
    assert str(summary).splitlines()[-1].startswith("Warehouse: 2 documents, 178 KPIs, 217 measures")


def test_history_trend_and_tables(loaded):
    warehouse, _ = loaded
    a110 = warehouse.history(theme="A", year=110)
    assert len(a110) == 23 and set(a110.theme_code) == {"A"} and set(a110.roc_year) == {110}
    assert a110.equals(warehouse.history(theme="A", year=2021))  # either calendar
    assert list(a110.query("achieved == False").kpi_code) == ["AC2.1", "AP3.2"]
    hp32 = warehouse.trend("HP3.2")
    assert list(zip(hp32.roc_year, hp32.year, hp32.actual_raw.fillna(""), strict=True)) == [(109, 2020, "65.77%"), (110, 2021, "92.05"), (111, 2022, "")]
    conflicts = warehouse.table("conflicts")
    assert list(conflicts.query("scope == 'within_document'").kpi_id.unique()) == ["HF1.1", "HP2.1", "HP2.2", "HP3.2", "HP4.2"]
    per_file = warehouse.sql("SELECT source_file, count(*) AS n FROM kpi_history WHERE roc_year = ? GROUP BY ALL ORDER BY 1", [110])
    assert dict(zip(per_file.source_file, per_file.n, strict=True)) == {"h-109-deck.pdf": 15, "report-110.txt": 172}  # the deck's 110 targets


def test_named_errors(loaded, tmp_path):
    warehouse, _ = loaded
    with pytest.raises(ks.UnknownKpi, match="no KPI 'ZZ9.9'"):
        warehouse.trend("ZZ9.9")
    with pytest.raises(ks.ReadOnlyWarehouse, match="opened read-only"):
        warehouse.load([REPORT_TXT])
    with pytest.raises(ks.WarehouseNotFound, match="no such warehouse"):
        ks.Warehouse(tmp_path / "missing.duckdb").history()
    assert not (tmp_path / "missing.duckdb").exists()
    duckdb.connect(str(tmp_path / "other.duckdb")).close()
    with pytest.raises(ks.WarehouseError, match="not a KPI warehouse"):
        ks.Warehouse(tmp_path / "other.duckdb").history()
    with lock_held(warehouse.path), pytest.raises(ks.WarehouseLocked):
        ks.Warehouse(warehouse.path, read_only=False).load([REPORT_TXT])


def test_a_bad_document_raises_and_leaves_the_others(tmp_path):
    fake = tmp_path / "fake.pdf"
    fake.write_text("not a pdf")
    warehouse = ks.Warehouse(tmp_path / "kpi.duckdb", read_only=False)
    with pytest.raises(ks.NotAPdf):
        warehouse.load([REPORT_TXT, fake])
    assert list(warehouse.table("kpis").kpi_id)[:2] == ["AC1.1", "AC2.1"]
    assert warehouse.sql("SELECT count(*) AS n FROM documents").n[0] == 1
    with pytest.raises(ks.NotAPdf):
        warehouse.load(tmp_path)  # a folder: its .pdf and .txt files, here the bad one
    assert warehouse.sql("SELECT count(*) AS n FROM documents").n[0] == 1


def test_read_only_sees_this_version_s_views(tmp_path):
    """A file whose views an earlier version wrote (no year column) reads with today's views."""
    db = tmp_path / "kpi.duckdb"
    ks.Warehouse(db, read_only=False).load([REPORT_TXT])
    with duckdb.connect(str(db)) as con:
        con.execute("CREATE OR REPLACE VIEW kpi_history AS SELECT roc_year, kpi_code FROM measures")
    history = ks.Warehouse(db).history(theme="B")
    assert set(history.year) == {2021} and len(history) == 26  # 25 KPIs, BP2.1 with two measures
    with duckdb.connect(str(db), read_only=True) as con:  # the file itself is left as it was
        assert "year" not in [d[0] for d in con.execute("SELECT * FROM kpi_history LIMIT 0").description]
