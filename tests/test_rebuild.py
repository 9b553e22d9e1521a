"""--rebuild: every document the warehouse lists read again, from the file it was loaded from (or
one of its name in a folder given), with the pages it was loaded with, and reloaded in one
transaction; what changed is reported per document."""
from __future__ import annotations

import shutil

import duckdb
import pytest
from click.testing import CliRunner
from conftest import REPORT_PDF, REPORT_TXT, SAMPLES
from snapshots import everything
from test_bad_input import snapshot

from kpi_scorecard.cli import main
from kpi_scorecard.warehouse.rebuild import state_changes

REGRESSION = SAMPLES.parent / "tests" / "samples"
DOCUMENTS = ("h-109-deck.pdf", "measure-row-at-page-top.txt", "row-cut-with-target-text-on-next-page.txt", "report-110.pdf", "report-110.txt")


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def query(db, sql, *params):
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql, list(params)).fetchall()


@pytest.fixture(scope="module")
def five(tmp_path_factory):
    """Five documents loaded from their own folder (the PDF report with pages 6-7 only), then
    changed as an older reader would have read them."""
    root = tmp_path_factory.mktemp("rebuild")
    inbox = root / "inbox"
    inbox.mkdir()
    for source in (SAMPLES / "h-109-deck.pdf", REGRESSION / DOCUMENTS[1], REGRESSION / DOCUMENTS[2], REPORT_TXT):
        shutil.copyfile(source, inbox / source.name)
    db = root / "kpi.duckdb"
    assert run(inbox, "--db", db, "--no-csv").exit_code == 0
    shutil.copyfile(REPORT_PDF, inbox / REPORT_PDF.name)
    assert run(inbox / REPORT_PDF.name, "--pages", "6-7", "--db", db, "--no-csv").exit_code == 0
    with duckdb.connect(str(db)) as con:
        assert con.execute("SELECT count(*) FROM documents").fetchone() == (5,)
        # an older reading: one actual read wrong, one deck KPI missed, one KPI name cut short
        con.execute("UPDATE measures SET actual_raw = '12.9', actual_value = 12.9 WHERE document_id = 'report-110.txt' AND kpi_code = 'AC1.1'")
        con.execute("DELETE FROM measures WHERE document_id = 'h-109-deck.pdf' AND kpi_code = 'HP4.2'")
        con.execute("DELETE FROM kpis WHERE document_id = 'h-109-deck.pdf' AND kpi_code = 'HP4.2'")
        con.execute("UPDATE kpis SET kpi_name = '活動參與' WHERE document_id = 'measure-row-at-page-top.txt' AND kpi_code = 'AC1.1'")
    return root, inbox, db


def test_rebuild_reports_what_changed_per_document(five, tmp_path):
    root, inbox, db = five
    work = tmp_path / "kpi.duckdb"
    shutil.copyfile(db, work)
    moved = tmp_path / "moved"  # one file no longer where it was loaded from: its folder is given
    moved.mkdir()
    shutil.copyfile(inbox / "report-110.txt", moved / "report-110.txt")
    (inbox / "report-110.txt").rename(root / "report-110.txt.away")
    try:
        result = run("--rebuild", moved, "--db", work, "--csv-dir", tmp_path / "open-data", "--no-cache")
    finally:
        (root / "report-110.txt.away").rename(inbox / "report-110.txt")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()  # progress bars go to stderr
    assert lines[0].startswith(f"Rebuilt 5 documents in {work} in ") and lines[0].endswith(" s, in one transaction")
    assert lines[1:9] == [
        "  h-109-deck.pdf           1 KPI added",
        "      + KPI HP4.2",
        "  measure-row-at-page-top.txt 1 other field changed",
        "      AC1.1 kpi_name: '活動參與' → '活動參與人數總計'",
        "  report-110.pdf           unchanged",  # pages 6-7 again, not the whole report
        "  report-110.txt           1 value changed",
        "      AC1.1 measure 1 (110) actual: '12.9' [12.9] → '12.3' [12.3]",
        "  row-cut-with-target-text-on-next-page.txt unchanged",
    ]
    assert lines[9].startswith("Warehouse: 5 documents, ")
    assert query(work, "SELECT actual_value FROM measures WHERE document_id = 'report-110.txt' AND kpi_code = 'AC1.1'") == [(12.3,)]
    # every value as loading the five documents afresh makes it (the older reading's left nowhere)
    fresh = tmp_path / "fresh"
    shutil.copytree(inbox, fresh)
    assert run(*[fresh / d for d in DOCUMENTS if d != "report-110.pdf"], "--db", tmp_path / "fresh.duckdb", "--no-csv").exit_code == 0
    assert run(fresh / "report-110.pdf", "--pages", "6-7", "--db", tmp_path / "fresh.duckdb", "--no-csv").exit_code == 0
    assert everything(work) == everything(tmp_path / "fresh.duckdb")
    assert query(work, "SELECT source_path, read_pages FROM documents WHERE document_id IN ('report-110.txt', 'report-110.pdf') ORDER BY 1") == [
        (str((inbox / "report-110.pdf").resolve()), [6, 7]), (str((moved / "report-110.txt").resolve()), None)]
    assert (tmp_path / "open-data" / "kpi_history.csv").exists()


def test_rebuild_is_all_or_nothing(five, tmp_path):
    root, inbox, db = five
    work = tmp_path / "kpi.duckdb"
    shutil.copyfile(db, work)
    before = snapshot(work)
    (inbox / "measure-row-at-page-top.txt").rename(root / "away.txt")
    try:
        result = run("--rebuild", "--db", work, "--no-csv", "--no-cache")
    finally:
        (root / "away.txt").rename(inbox / "measure-row-at-page-top.txt")
    assert result.exit_code == 1
    assert [line for line in result.stderr.splitlines() if line.startswith("Error")] == [
        f"Error: measure-row-at-page-top.txt: not found at {(inbox / 'measure-row-at-page-top.txt').resolve()}; "
        "give the folder it is in now: --rebuild FOLDER",
        "Error: 1 of 5 documents could not be read again; nothing was rebuilt",
    ]
    assert result.stdout == "" and snapshot(work) == before


def test_a_document_loaded_before_paths_were_recorded_needs_its_folder(tmp_path):
    db = tmp_path / "kpi.duckdb"
    shutil.copyfile(REGRESSION / "warehouse-schema-2.duckdb", db)
    result = run("--rebuild", "--db", db, "--no-csv")
    assert result.exit_code == 1
    assert "Error: h-109-deck.pdf: the warehouse has no path for it (loaded by an earlier version); give its folder: --rebuild FOLDER" in result.output


def test_the_python_api_rebuilds_as_the_cli_does(five, tmp_path):
    import kpi_scorecard as ks

    _, _, db = five
    work = tmp_path / "kpi.duckdb"
    shutil.copyfile(db, work)
    with pytest.raises(ks.ReadOnlyWarehouse):
        ks.Warehouse(work).rebuild()
    rebuild = ks.Warehouse(work, read_only=False).rebuild(cache=False)
    assert rebuild.errors == [] and rebuild.not_listed == []
    assert {d.document_id: d.changes.summary() for d in rebuild.documents} == {
        "h-109-deck.pdf": "1 KPI added", "measure-row-at-page-top.txt": "1 other field changed",
        "report-110.pdf": "unchanged", "report-110.txt": "1 value changed",
        "row-cut-with-target-text-on-next-page.txt": "unchanged",
    }


def measure_state(**changed) -> dict:
    state = {"target_raw": "12.9", "target_value": 12.9, "target_op": None, "actual_raw": "≤12.3", "actual_value": 12.3,
             "actual_op": "<=", "formula": "三年移動平均", "unit": "μg/m3", "direction": "negative", "action_plans": "AC1.1.1 計畫",
             "agency": "環保局", "page": 5, "kpi_name": "細懸浮微粒", "objective_code": "AC1"}
    return {**state, **changed}


def test_what_a_new_reading_changed():
    """Every kind of change, named as --rebuild prints it; a KPI added or removed is not also a
    measure added or removed."""
    before = {("AC1.1", 1, 110): measure_state(), ("AC1.1", 2, 110): measure_state(), ("AC1.2", 1, 110): measure_state(),
              ("AC1.3", 1, 110): measure_state()}
    after = {("AC1.1", 1, 110): measure_state(actual_raw="12.0", actual_value=12.0, actual_op=None, agency="環保局空保處",
                                              kpi_name="細懸浮微粒(PM2.5)年平均濃度"),
             ("AC1.2", 1, 110): measure_state(target_value=None, page=None), ("AC1.2", 2, 110): measure_state(),
             ("AC1.4", 1, 110): measure_state()}
    changes = state_changes(before, after)
    assert (changes.kpis_added, changes.kpis_removed) == (["AC1.4"], ["AC1.3"])
    assert (changes.measures_added, changes.measures_removed) == ([("AC1.2", 2, 110)], [("AC1.1", 2, 110)])
    assert changes.values == ["AC1.1 measure 1 (110) actual: '≤12.3' [<=12.3] → '12.0' [12]",
                              "AC1.2 measure 1 (110) target: '12.9' [12.9] → '12.9' [no number]"]
    assert changes.others == ["AC1.1 kpi_name: '細懸浮微粒' → '細懸浮微粒(PM2.5)年平均濃度'",
                              "AC1.1 measure 1 (110) agency: '環保局' → '環保局空保處'", "AC1.2 measure 1 (110) page: '5' → NULL"]
    assert changes.summary() == ("1 KPI added, 1 KPI removed, 1 measure added, 1 measure removed, 2 values changed, "
                                 "3 other fields changed")
    assert changes.lines() == ["+ KPI AC1.4", "- KPI AC1.3", "+ AC1.2 measure 2 (110)", "- AC1.1 measure 2 (110)",
                               *changes.values, *changes.others]
    assert state_changes(before, before).summary() == "unchanged" and state_changes(before, before).lines() == []
    long = measure_state(formula="長" * 61)
    assert state_changes({("A", 1, 1): measure_state()}, {("A", 1, 1): long}).others == [
        f"A measure 1 (1) formula: '三年移動平均' → '{'長' * 59}…'"]
