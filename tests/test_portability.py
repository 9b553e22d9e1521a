"""What Windows and macOS need: no code path that depends on fork, file and folder names with CJK
characters and spaces, the bundled samples found through importlib.resources, --version."""
from __future__ import annotations

import csv
import multiprocessing
import shutil
from concurrent.futures import ProcessPoolExecutor
from importlib.metadata import version
from importlib.resources import files
from pathlib import Path

import duckdb
from click.testing import CliRunner
from conftest import REPORT_PDF, REPORT_TXT

from kpi_scorecard.cli import main
from kpi_scorecard.extract.pdf import pdf_to_blocks


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def read_without_fork(path: Path) -> list:
    """pdf_to_blocks in a process that has no fork start method, as on Windows (where
    multiprocessing.get_context("fork") raises ValueError)."""
    import multiprocessing.context

    multiprocessing.context._concrete_contexts.pop("fork", None)
    return pdf_to_blocks(path)


def test_the_pdf_reader_runs_in_a_spawned_process_without_fork():
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        blocks = pool.submit(read_without_fork, REPORT_PDF).result()
    assert blocks == pdf_to_blocks(REPORT_PDF)


def test_file_and_folder_names_with_cjk_characters_and_spaces(tmp_path):
    folder = tmp_path / "臺北市 報告"
    folder.mkdir()
    text = folder / "臺北市 施政報告 110.txt"
    pdf = folder / "臺北市 施政報告 110.pdf"
    shutil.copyfile(REPORT_TXT, text)
    shutil.copyfile(REPORT_PDF, pdf)
    db = tmp_path / "倉庫 資料" / "指標 歷史.duckdb"
    out = tmp_path / "開放 資料"
    assert run(text, "--db", db, "--csv-dir", out).exit_code == 0
    result = run(pdf, "--pages", "6-7", "--db", db, "--csv-dir", out)
    assert result.exit_code == 0, result.output
    assert "Loaded 1 of 1 documents" in result.output
    with duckdb.connect(str(db), read_only=True) as con:
        documents = con.execute("SELECT document_id, source_path FROM documents ORDER BY 1").fetchall()
    assert documents == [(pdf.name, str(pdf.resolve())), (text.name, str(text.resolve()))]
    with open(out / "kpi_history.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert {r["source_file"] for r in rows} == {text.name, pdf.name}
    assert sum(r["source_file"] == text.name for r in rows) == 172
    with duckdb.connect(str(db), read_only=True) as con:  # the csv module reads back a cell's own line breaks
        stored = dict(con.execute("SELECT kpi_code, action_plans FROM kpi_history WHERE source_file = ? AND measure_no = 1", [text.name]).fetchall())
    read_back = {r["kpi_code"]: r["action_plans"] for r in rows if r["source_file"] == text.name and r["measure_no"] == "1"}
    assert read_back == stored and sum("\n" in p for p in stored.values()) == 42
    rebuilt = run("--rebuild", "--db", db, "--no-csv")
    assert rebuilt.exit_code == 0, rebuilt.output
    assert [line.split() for line in rebuilt.stdout.splitlines()[1:3]] == [[*pdf.name.split(), "unchanged"], [*text.name.split(), "unchanged"]]


def test_the_default_run_finds_the_bundled_samples_as_package_data(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # an empty folder: nothing to find beside it
    result = run()
    assert result.exit_code == 0, result.output
    assert "Loaded 3 of 3 documents into warehouse.duckdb" in result.output
    with duckdb.connect(str(tmp_path / "warehouse.duckdb"), read_only=True) as con:
        rows = con.execute("SELECT source_path, tool_version FROM documents ORDER BY 1").fetchall()
    package = Path(str(files("kpi_scorecard.samples")))
    assert rows == [(str((package / name).resolve()), version("kpi-scorecard"))
                    for name in ("h-109-deck.pdf", "report-110.pdf", "report-110.txt")]
    assert (tmp_path / "open-data" / "kpi_history.csv").exists()


def test_version_from_the_package_metadata():
    result = run("--version")
    assert (result.exit_code, result.output) == (0, f"kpi-scorecard {version('kpi-scorecard')}\n")


def test_a_run_where_the_locale_s_encoding_is_not_utf8(tmp_path):
    """Windows reads a file opened without an encoding as cp950 or cp1252: every text the pipeline
    reads (the schema, the bundled data, the text dump) names its encoding. Here the locale is C and
    Python's UTF-8 mode is off, so a file read without one would be read as ASCII and fail."""
    import os
    import subprocess
    import sys

    env = dict(os.environ, LC_ALL="C", LANG="C", PYTHONUTF8="0", PYTHONCOERCECLOCALE="0", PYTHONIOENCODING="utf-8")
    db = tmp_path / "kpi.duckdb"
    done = subprocess.run([sys.executable, "-c", "from kpi_scorecard.cli import main; main()", str(REPORT_TXT), "--db", str(db)],
                          env=env, cwd=tmp_path, capture_output=True, text=True, encoding="utf-8", timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    with duckdb.connect(str(db), read_only=True) as con:
        # report-110 states 162 KPIs across its 8 themes (23+25+20+19+17+21+22+15)
        assert con.execute("SELECT count(*) FROM kpis").fetchone() == (162,)
