"""A document's lifecycle and a run's manners: `remove DOCUMENT` takes a document out in one
transaction, `--wait` waits for a busy warehouse, `--debug` shows the traceback behind an error."""
from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner, Result
from conftest import REPORT_TXT, SAMPLES, lock_held

from kpi_scorecard import cli
from kpi_scorecard.cli import main

DECK = SAMPLES / "h-109-deck.pdf"


def run(*args: object) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args])


def rows(db: Path, query: str) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(query).fetchall()


@pytest.fixture()
def loaded(tmp_path) -> Path:
    """The deck and the report's text dump, with an override on each, and their open data."""
    db = tmp_path / "kpi.duckdb"
    assert run(DECK, REPORT_TXT, "--db", db, "--csv-dir", tmp_path / "open-data", "--no-cache", "--jobs", 1).exit_code == 0
    for args in (("pin", "report-110.txt", "HP1.1", "HP1.1"), ("split", "h-109-deck.pdf", "HC1", "--note", "not HC1.1")):
        assert run("links", *args, "--db", db, "--csv-dir", tmp_path / "open-data").exit_code == 0
    return db


def test_remove_takes_the_document_out_and_relinks_the_rest(loaded, tmp_path):
    result = run("remove", "h-109-deck.pdf", "--db", loaded, "--csv-dir", tmp_path / "open-data")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith(f"Removed h-109-deck.pdf from {loaded}: ") and lines[0].endswith(" rows, in one transaction")
    assert lines[1:3] == ["Its 1 link override kept, to apply if it is loaded again (--drop-overrides deletes them):",
                          "  HC1: split  — not HC1.1"]
    # the report's H KPIs were matched to the deck's identities: now each is new, under its own code
    assert "  report-110.txt HP4.2 償債率: HP4.2 (matched, score 100) → HP4.2 (new)" in lines
    assert any(line.startswith("Warehouse: 1 documents, 162 KPIs, 172 measures") for line in lines)
    for table in ("documents", "kpis", "measures", "observations", "scores", "reconciliation", "repairs", "kpi_links"):
        assert rows(loaded, f"SELECT count(*) FROM {table} WHERE document_id = 'h-109-deck.pdf'") == [(0,)], table
    assert rows(loaded, "SELECT count(*), count(DISTINCT document_id) FROM kpi_identities") == [(162, 1)]
    assert rows(loaded, "SELECT document_id, kpi_code, action FROM link_overrides ORDER BY 1") == [
        ("h-109-deck.pdf", "HC1", "split"), ("report-110.txt", "HP1.1", "pin")]
    # the open data was written again without it
    assert "h-109-deck.pdf" not in (tmp_path / "open-data" / "kpi_history.csv").read_text(encoding="utf-8")


def test_remove_can_drop_the_overrides_and_a_reload_gives_the_links_back(loaded, tmp_path):
    before = rows(loaded, "SELECT document_id, kpi_code, kpi_id, decision FROM kpi_links ORDER BY ALL")
    result = run("remove", "report-110.txt", "--drop-overrides", "--db", loaded, "--no-csv")
    assert result.exit_code == 0, result.output
    assert "Its 1 link override deleted:" in result.output and "0 links of other documents changed" in result.output
    assert rows(loaded, "SELECT document_id FROM link_overrides") == [("h-109-deck.pdf",)]
    assert run(REPORT_TXT, "--db", loaded, "--no-csv", "--no-cache").exit_code == 0
    after = rows(loaded, "SELECT document_id, kpi_code, kpi_id, decision FROM kpi_links ORDER BY ALL")
    assert set(before) - set(after) == {("report-110.txt", "HP1.1", "HP1.1", "pinned")}
    assert set(after) - set(before) == {("report-110.txt", "HP1.1", "HP1.1#2", "new")}


def test_remove_an_unknown_document_changes_nothing(loaded):
    before = rows(loaded, "SELECT count(*) FROM kpi_links")
    result = run("remove", "report-111.pdf", "--db", loaded)
    assert result.exit_code == 1
    assert result.output.splitlines() == ["Error: the warehouse has no document report-111.pdf"]
    assert rows(loaded, "SELECT count(*) FROM kpi_links") == before


def release_after(db: Path, seconds: float) -> subprocess.Popen:
    """Another process holding the warehouse open, closing it after `seconds`."""
    holder = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import time, duckdb
        con = duckdb.connect({str(db)!r})
        print("ready", flush=True)
        time.sleep({seconds})
        con.close()
    """)], stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
    return holder


def test_wait_for_a_busy_warehouse(loaded):
    holder = release_after(loaded, 1.5)
    started = time.monotonic()
    result = run("remove", "h-109-deck.pdf", "--db", loaded, "--no-csv", "--wait", 60)
    waited = time.monotonic() - started
    holder.wait(timeout=30)
    assert result.exit_code == 0, result.output
    assert waited >= 0.5  # it did wait for the other process
    with lock_held(loaded):
        result = run(REPORT_TXT, "--db", loaded, "--no-csv", "--wait", 0.5)
    assert result.exit_code == 1
    assert result.output.splitlines()[-1] == f"Error: {loaded}: warehouse is locked by another process (waited 0.5 s)"


def test_debug_shows_the_traceback_behind_an_error(tmp_path, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(cli, "export_open_data", broken)
    args = (REPORT_TXT, "--db", tmp_path / "kpi.duckdb", "--no-cache")
    quiet = run(*args)
    assert quiet.exit_code == 1 and "Traceback" not in quiet.output
    assert quiet.output.splitlines()[-1] == "Error: unexpected error (RuntimeError: disk on fire); --debug shows its traceback"
    loud = run(*args, "--debug")
    assert loud.exit_code == 1
    assert "Traceback (most recent call last):" in loud.output and 'raise RuntimeError("disk on fire")' in loud.output
    assert loud.output.splitlines()[-1] == "Error: unexpected error (RuntimeError: disk on fire)"
    # a named error keeps its one line; --debug adds what raised it
    with lock_held(tmp_path / "kpi.duckdb"):
        locked = run(*args, "--debug")
    assert "duckdb" in locked.output and "Traceback" in locked.output
    assert locked.output.splitlines()[-1] == f"Error: {tmp_path / 'kpi.duckdb'}: warehouse is locked by another process"
