"""run_pipeline.py end to end: samples → warehouse + CSV, idempotent reloads, one-line errors."""
from __future__ import annotations

import csv
import re

import duckdb
import pytest
from click.testing import CliRunner
from conftest import REPORT_TXT, SAMPLES
from snapshots import everything

from kpi_scorecard.cli import main
from kpi_scorecard.warehouse import KPI_HISTORY_COLUMNS

TABLES = ("documents", "themes", "objectives", "kpis", "measures", "action_plans", "repairs", "reconciliation")


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def table_counts(db):
    with duckdb.connect(str(db), read_only=True) as con:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0] for t in TABLES}


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    """The default job: every bundled sample into a fresh warehouse and CSV folder."""
    root = tmp_path_factory.mktemp("run")
    result = run(SAMPLES, "--db", root / "kpi.duckdb", "--csv-dir", root / "open-data")
    assert result.exit_code == 0, result.output
    return root, result


def test_summary_names_documents_and_counts(loaded):
    root, result = loaded
    # seconds, and whether an earlier test's run left the document in the cache, vary
    lines = re.sub(r"\d+\.\d s(  \(cached\))?$", "… s", result.stdout, flags=re.M).splitlines()
    assert lines[0] == f"Loaded 3 of 3 documents into {root / 'kpi.duckdb'} in … s"
    # the report's stated counts; its 26 (PDF) and 22 (dump) rows cut by page breaks; per side, 4 values
    # of several numbers, 3 without, 2 comparisons, and 4 plan codes under another KPI: 13 warnings
    assert lines[1:4] == [
        "  h-109-deck.pdf           ROC 109  1 themes  16 KPIs  45 measures  1 repairs  2 warnings  0 rows stitched  … s",
        "  report-110.pdf           ROC 110  8 themes  162 KPIs  172 measures  1 repairs  13 warnings  26 rows stitched  … s",
        "  report-110.txt           ROC 110  8 themes  162 KPIs  172 measures  3 repairs  13 warnings  22 rows stitched  … s",
    ]
    # every theme's counts reconcile, and the deck's by its own 目標達成度 column: no warning at all
    assert "0 count mismatches" in result.output
    assert "Warning" not in result.output


def test_warehouse_contents(loaded):
    root, _ = loaded
    counts = table_counts(root / "kpi.duckdb")
    assert counts["documents"] == 3 and counts["kpis"] == 324 + 16 and counts["measures"] == 344 + 45
    # reports: per theme listed in contents, objectives, KPIs, plans; deck: theme H's 3 + 5 perspectives × 4
    assert counts["reconciliation"] == 2 * 8 * 4 + 3 + 5 * 4
    with duckdb.connect(str(root / "kpi.duckdb"), read_only=True) as con:
        missed = con.execute(
            "SELECT kpi_code FROM kpi_history WHERE source_file = 'report-110.pdf' AND NOT achieved ORDER BY kpi_code"
        ).fetchall()
        ok = con.execute("SELECT bool_and(ok) FROM reconciliation WHERE scope = 'theme'").fetchall()[0][0]
    assert ("AC2.1",) in missed and ("AC1.1",) not in missed and len(missed) == 22
    assert ok is True


def test_reload_changes_no_value(loaded):
    root, _ = loaded
    before = everything(root / "kpi.duckdb")
    assert run(SAMPLES / "report-110.txt", "--db", root / "kpi.duckdb", "--no-csv").exit_code == 0
    assert everything(root / "kpi.duckdb") == before


def test_reload_of_a_changed_document_is_a_fresh_load_of_it(tmp_path):
    """The report's text dump loaded, then a copy of the same name with other values printed: every
    table is what loading the copy alone makes."""
    first, changed = tmp_path / "first" / "report-110.txt", tmp_path / "changed" / "report-110.txt"
    for path in (first, changed):
        path.parent.mkdir()
    first.write_bytes(REPORT_TXT.read_bytes())
    text = REPORT_TXT.read_text(encoding="utf-8")
    ac11 = next(line for line in text.splitlines() if line.startswith("AC1.1 "))
    assert ac11.endswith("\t12.9\t12.3")
    changed.write_text(text.replace(ac11, ac11[: -len("12.9\t12.3")] + "12.5\t13.1"), encoding="utf-8")
    for args in ((first, "--db", tmp_path / "reloaded.duckdb"), (changed, "--db", tmp_path / "reloaded.duckdb"),
                 (changed, "--db", tmp_path / "fresh.duckdb")):
        assert run(*args, "--no-csv", "--no-cache").exit_code == 0
    reloaded, fresh = everything(tmp_path / "reloaded.duckdb"), everything(tmp_path / "fresh.duckdb")
    assert [t for t in fresh["stored"] if reloaded["stored"][t] != fresh["stored"][t]] == []
    assert reloaded == fresh
    with duckdb.connect(str(tmp_path / "reloaded.duckdb"), read_only=True) as con:
        assert con.execute("SELECT target_raw, target_value, actual_raw, actual_value, achieved FROM kpi_history "
                           "WHERE kpi_code = 'AC1.1'").fetchall() == [("12.5", 12.5, "13.1", 13.1, False)]


def test_csv_open_data(loaded):
    root, _ = loaded
    with open(root / "open-data" / "kpi_history.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0][: len(KPI_HISTORY_COLUMNS)] == list(KPI_HISTORY_COLUMNS)
    assert len(rows) == 1 + 344 + 45
    bc21 = next(dict(zip(rows[0], r, strict=True)) for r in rows if r[5] == "BC2.1" and r[20] == "report-110.pdf")
    assert (bc21["target_value"], bc21["actual_value"], bc21["achieved"], bc21["page"]) == ("19661.0", "20160.0", "true", "13")


def test_bad_input_is_one_line_and_leaves_the_warehouse_as_it_was(tmp_path):
    db = tmp_path / "kpi.duckdb"
    assert run(REPORT_TXT, "--db", db, "--no-csv").exit_code == 0
    before = table_counts(db)
    fake = tmp_path / "fake.pdf"
    fake.write_text("not a pdf")
    result = run(fake, REPORT_TXT, "--db", db, "--no-csv")
    assert result.exit_code == 1
    assert "Error: fake.pdf: not a PDF (no %PDF- signature)" in result.output
    assert "Traceback" not in result.output
    assert table_counts(db) == before


def test_document_without_scorecard_tables(tmp_path):
    empty = tmp_path / "notes.txt"
    empty.write_text("臺北市政府施政報告\n\n沒有表格\n", encoding="utf-8")
    result = run(empty, "--db", tmp_path / "kpi.duckdb", "--no-csv")
    assert result.exit_code == 1
    assert "Error: notes.txt: no KPI scorecard tables found" in result.output


def test_pages_option(tmp_path):
    result = run(SAMPLES / "report-110.pdf", "--pages", "6-7", "--db", tmp_path / "kpi.duckdb", "--no-csv")
    assert result.exit_code == 0, result.output
    with duckdb.connect(str(tmp_path / "kpi.duckdb"), read_only=True) as con:
        codes = [r[0] for r in con.execute("SELECT kpi_code FROM kpi_history ORDER BY page, kpi_code").fetchall()]
    assert codes[:3] == ["AC1.1", "AC2.1", "AC3.1"] and "AP2.1" not in codes
    assert run(SAMPLES / "report-110.pdf", "--pages", "x", "--db", tmp_path / "k.duckdb").exit_code == 2


@pytest.mark.parametrize(("cpus", "load", "jobs"), [(2, 0.1, 2), (2, 1.2, 2), (2, 2.0, 1), (2, 7.5, 1), (8, 0.0, 4), (8, 5.0, 4), (8, 6.0, 3)])
def test_default_jobs_are_the_idle_cpus(monkeypatch, cpus, load, jobs):
    """Without --jobs, helpers only for CPUs other work leaves idle (the load average beyond one, as
    one run after another keeps it near 1), at most 4 processes in all."""
    from kpi_scorecard import cli

    monkeypatch.setattr(cli.os, "cpu_count", lambda: cpus)
    monkeypatch.setattr(cli.os, "getloadavg", lambda: (load, 0.0, 0.0), raising=False)
    assert cli.idle_cpus() == jobs
    assert main.make_context("kpi-scorecard", []).params["jobs"] == jobs
