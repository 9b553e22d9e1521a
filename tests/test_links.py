"""KPI link overrides kept in the warehouse: `kpi-scorecard links pin|split|remove|show|import`
and `--links FILE`; every change relinks at once and shows the links it moved."""
from __future__ import annotations

import csv
import shutil

import duckdb
import pytest
from click.testing import CliRunner
from conftest import REPORT_TXT, SAMPLES

from kpi_scorecard.cli import main

DECK = SAMPLES / "h-109-deck.pdf"
REWORDED = "report-110.txt HP1.1 各機關受檢測開放資料集金標章比例"  # the deck's 開放資料集使用量, reworded


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def links_of(db, document="report-110.txt"):
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute("SELECT kpi_code, kpi_id, decision, reason FROM kpi_links WHERE document_id = ?", [document]).fetchall()
    return {code: rest for code, *rest in rows}


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    """The 109 deck and the 110 report, linked by code and name alone."""
    db = tmp_path_factory.mktemp("links") / "kpi.duckdb"
    result = run(DECK, REPORT_TXT, "--db", db, "--no-csv")
    assert result.exit_code == 0, result.output
    return db


@pytest.fixture
def db(loaded, tmp_path):
    copy = tmp_path / "kpi.duckdb"
    shutil.copyfile(loaded, copy)
    return copy


def test_pin_shows_the_decision_it_changes(db, tmp_path):
    assert links_of(db)["HP1.1"][:2] == ["HP1.1#2", "new"]  # score 42 against the deck's HP1.1: not matched
    result = run("links", "pin", "report-110.txt", "HP1.1", "HP1.1", "--note", "同一指標，110 年改名", "--db", db,
                 "--csv-dir", tmp_path / "open-data")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[:2] == ["1 link changed:", f"  {REWORDED}: HP1.1#2 (new, score 42) → HP1.1 (pinned)"]
    assert links_of(db)["HP1.1"] == ["HP1.1", "pinned", "同一指標，110 年改名"]
    with open(tmp_path / "open-data" / "kpi_trend.csv", encoding="utf-8", newline="") as f:
        years = [r["roc_year"] for r in csv.DictReader(f) if r["kpi_id"] == "HP1.1"]
    assert years == ["109", "110", "111"]  # the open data follows at once: the deck's 109, the report's 110 and 111 target
    shown = run("links", "show", "--db", db)
    assert shown.output.splitlines() == [
        f"1 link override in {db}", "  report-110.txt HP1.1: pin to HP1.1; linked to HP1.1 (pinned)  — 同一指標，110 年改名"]
    removed = run("links", "remove", "report-110.txt", "HP1.1", "--db", db, "--no-csv")
    assert removed.output.splitlines()[1] == f"  {REWORDED}: HP1.1 (pinned) → HP1.1#2 (new, score 42)"


def test_split_and_what_a_load_keeps(db):
    result = run("links", "split", "report-110.txt", "HF2.1", "--db", db, "--no-csv")
    assert result.output.splitlines()[1] == "  report-110.txt HF2.1 市有不動產管理成效: HF2.1 (matched, score 100) → HF2.1#2 (split)"
    assert run(REPORT_TXT, "--db", db, "--no-csv").exit_code == 0  # loading the report again keeps the override
    assert links_of(db)["HF2.1"] == ["HF2.1#2", "split", "override"]


def test_show_all_lists_the_links_to_check(db):
    lines = run("links", "show", "--all", "--db", db).output.splitlines()
    assert lines[0] == f"0 link overrides in {db}" and lines[1] == "2 links to check"
    assert lines[2] == f"  {REWORDED}: HP1.1#2 (new, score 42 against HP1.1; code HP1.1 reused for a different KPI (name 42))"
    assert lines[3] == "  report-110.txt HP2.1 市法規案經法規委員會審議通過率: HP2.1 (renamed, score 97; same code; name 97, formula 100)"


@pytest.mark.parametrize(("args", "line"), [
    (("pin", "report-110.txt", "HX9.9", "HP1.1"), "Error: the warehouse has no KPI HX9.9 in report-110.txt"),
    (("pin", "report-110.txt", "HP1.1", "HX9.9"), "Error: the warehouse has no KPI identity HX9.9 to pin to (split makes a new one)"),
    (("remove", "report-110.txt", "HP1.1"), "Error: report-110.txt HP1.1 has no override"),
])
def test_an_override_that_does_not_apply_is_one_line(db, args, line):
    result = run("links", *args, "--db", db, "--no-csv")
    assert (result.exit_code, result.output.splitlines()) == (1, [line])
    assert links_of(db)["HP1.1"][:2] == ["HP1.1#2", "new"]


def test_links_need_an_existing_warehouse(tmp_path):
    result = run("links", "show", "--db", tmp_path / "none.duckdb")
    assert result.exit_code == 2 and "does not exist" in result.output
    assert not (tmp_path / "none.duckdb").exists()


def test_import_a_csv_as_excel_or_the_csv_module_writes_it(db, tmp_path):
    """The overrides/kpi_links.csv of earlier versions, saved with a BOM and \\r\\n line ends."""
    path = tmp_path / "kpi_links.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f)  # lineterminator \r\n
        writer.writerow(["document", "kpi_code", "action", "kpi_id", "note"])
        writer.writerow(["report-110.txt", "HP1.1", "pin", "HP1.1", "改名\n見 111 年報告"])
        writer.writerow(["reports/report-110.txt", "HF2.1", "split", "", ""])
        writer.writerow(["report-112.pdf", "AC1.1", "split", "", "a document not loaded yet"])
    assert b"\r\n" in path.read_bytes() and path.read_bytes().startswith(b"\xef\xbb\xbf")
    result = run("links", "import", path, "--db", db, "--no-csv")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == "Links: 3 overrides from kpi_links.csv saved in the warehouse; 2 links changed"
    assert links_of(db)["HP1.1"] == ["HP1.1", "pinned", "改名\n見 111 年報告"]
    assert links_of(db)["HF2.1"][:2] == ["HF2.1#2", "split"]
    again = run(REPORT_TXT, "--db", db, "--no-csv", "--links", path)  # --links FILE at a load: the same, idempotent
    assert again.output.splitlines()[0] == "Links: 3 overrides from kpi_links.csv saved in the warehouse; 0 links changed"
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM link_overrides").fetchone() == (3,)


def test_a_bad_override_file_is_one_line(db, tmp_path):
    path = tmp_path / "links.csv"
    path.write_text("document,kpi_code,action,kpi_id\nreport-110.txt,HP1.1,merge,HP1.1\n", encoding="utf-8")
    result = run(REPORT_TXT, "--db", db, "--no-csv", "--links", path)
    assert (result.exit_code, result.output.splitlines()) == (
        1, ["Error: links.csv: report-110.txt HP1.1: action must be 'pin' with a kpi_id, or 'split'"])
