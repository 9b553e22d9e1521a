"""The cache: a document read before is not read again, a run with nothing to do does nothing,
and the warehouse and CSV files come out as an uncached run makes them."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import REPORT_PDF
from snapshots import everything
from test_cli import table_counts

from kpi_scorecard.cli import main

ROOT = Path(__file__).parent.parent
HEAVY = ("pdfplumber", "pdfminer", "camelot", "pandas")


def run(*args):
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    return result.output


def untimed(output: str) -> str:
    return re.sub(r"\d+\.\d s\b", "… s", output)


def job(tmp: Path, name: str, *more) -> tuple:
    return (REPORT_PDF, "--db", tmp / f"{name}.duckdb", "--csv-dir", tmp / name, "--cache-dir", tmp / "cache", *more)


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """The report read into one warehouse, then from the cache into another."""
    tmp = tmp_path_factory.mktemp("cache")
    return tmp, run(*job(tmp, "first")), run(*job(tmp, "second"))


def test_cached_run_gives_the_same_warehouse_and_csv(runs):
    tmp, first, second = runs
    assert "(cached)" not in first and "(cached)" in second
    assert (tmp / "second" / "kpi_history.csv").read_bytes() == (tmp / "first" / "kpi_history.csv").read_bytes()
    assert everything(tmp / "second.duckdb") == everything(tmp / "first.duckdb")
    assert table_counts(tmp / "first.duckdb")["measures"] == 172


def test_run_with_nothing_to_do_changes_nothing(runs):
    tmp, _, second = runs
    csv = tmp / "second" / "kpi_history.csv"
    before = csv.stat().st_mtime_ns, (tmp / "second.duckdb").stat().st_mtime_ns
    again = run(*job(tmp, "second"))
    assert untimed(again) == untimed(second)
    assert (csv.stat().st_mtime_ns, (tmp / "second.duckdb").stat().st_mtime_ns) == before
    csv.unlink()  # a file gone since: the run writes the files again
    run(*job(tmp, "second"))
    assert csv.read_bytes() == (tmp / "first" / "kpi_history.csv").read_bytes()


def test_settings_and_no_cache_read_again(runs):
    tmp, _, _ = runs
    assert "(cached)" not in run(*job(tmp, "pages", "--pages", "6-7"))
    assert "(cached)" not in run(*job(tmp, "second", "--no-cache"))


def test_cached_runs_import_no_pdf_library(runs):
    """Neither a run from cached scorecards nor one with nothing to do loads a PDF library."""
    tmp, _, _ = runs
    script = (
        "import sys; from run_pipeline import main\n"
        "try: main(sys.argv[1:])\n"
        "except SystemExit: pass\n"
        f"print(sorted({{m.split('.')[0] for m in sys.modules}} & set({HEAVY!r})))"
    )
    for name in ("third", "third"):  # into a new warehouse, then with nothing to do
        out = subprocess.run([sys.executable, "-c", script, *map(str, job(tmp, name))],
                             capture_output=True, text=True, cwd=ROOT, check=True).stdout
        assert "(cached)" in out and out.splitlines()[-1] == "[]", out


QUICK = (
    "import sys; from kpi_scorecard.command import main\n"
    "try: main(sys.argv[1:])\n"
    "except SystemExit: pass\n"
    "print('CLI loaded' if 'click' in sys.modules else 'answered before the CLI')"
)


def test_a_repeated_command_is_answered_before_the_cli_never_wrongly(runs):
    """The quick stamp answers the same command over unchanged files; a file rewritten in place
    (same bytes, size and modification time) or a warehouse another run changed goes to the CLI."""
    tmp, _, _ = runs
    folder = tmp / "quick"
    folder.mkdir()
    pdf = folder / REPORT_PDF.name
    pdf.write_bytes(REPORT_PDF.read_bytes())
    db = tmp / "quick.duckdb"

    def command(*inputs) -> list[str]:
        args = [*inputs, "--db", db, "--csv-dir", tmp / "quick-csv", "--cache-dir", tmp / "cache"]
        out = subprocess.run([sys.executable, "-c", QUICK, *map(str, args)], capture_output=True, text=True,
                             cwd=ROOT, check=True).stdout
        return untimed(out).splitlines()

    first = command(pdf)
    assert first[-1] == "CLI loaded"
    assert first[2] == ("Warehouse: 1 documents, 162 KPIs, 172 measures, 1 repairs, 13 warnings, 0 count mismatches, "
                        "162 KPI identities, 0 conflicting values")
    repeated = command(pdf)
    assert repeated == [*first[:-1], "answered before the CLI"]

    stat = pdf.stat()
    pdf.write_bytes(pdf.read_bytes())  # the same bytes, written in place at the same time
    os.utime(pdf, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert command(pdf) == first  # the CLI checks the file's bytes: nothing to do
    assert command(pdf)[-1] == "answered before the CLI"

    text = folder / "report-110.txt"  # another document loaded by another command
    text.write_bytes(REPORT_PDF.with_suffix(".txt").read_bytes())
    command(text)
    after = command(pdf)
    assert after[-1] == "CLI loaded" and after[2].startswith("Warehouse: 2 documents")
