"""Bad input through the CLI: one line `Error: <file>: <what is wrong>`, exit code 1, no traceback,
and the warehouse exactly as it was (every row of every table)."""
from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner, Result
from conftest import REPORT_PDF, REPORT_TXT, lock_held
from pdfs import corrupted, lean_page_pdf, pages_pdf, scanned_pdf, without_to_unicode

from kpi_scorecard import pipeline
from kpi_scorecard.cli import main
from kpi_scorecard.extract import pdf as pdf_reader


def run(*args: object) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args] + ["--no-csv", "--no-cache"])


def snapshot(db: Path) -> dict[str, list[str]]:
    """Every row of every table, as text, in a stable order."""
    with duckdb.connect(str(db), read_only=True) as con:
        tables = [t for (t,) in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE' ORDER BY 1"
        ).fetchall()]
        return {t: sorted(map(repr, con.execute(f'SELECT * FROM "{t}"').fetchall())) for t in tables}


def error_lines(result: Result) -> list[str]:
    return [line for line in result.output.splitlines() if line.startswith("Error")]


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """A warehouse already holding the report (as text dump)."""
    path = tmp_path / "kpi.duckdb"
    assert run(REPORT_TXT, "--db", path).exit_code == 0
    return path


def write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


def truncated(data: bytes) -> bytes:
    return data[: len(data) * 6 // 10]


def printed_twice(text: str) -> bytes:
    """The report with its first KPI row printed again right below it."""
    row = next(line for line in text.splitlines() if line.startswith("AC1.1 "))
    return text.replace(row, f"{row}\n{row}", 1).encode("utf-8")


BIG5 = "營造永續環境(A)\n關鍵績效指標\t110 年目標值\t110 年實際值\n".encode("big5")
CASES = {
    "empty.pdf": (lambda: b"", "file is empty"),
    "empty.txt": (lambda: b"", "file is empty"),
    "photo.pdf": (lambda: b"\x89PNG\r\n\x1a\n" + bytes(200), "not a PDF (no %PDF- signature)"),
    "truncated.pdf": (lambda: truncated(lean_page_pdf(7)), "PDF is truncated (no %%EOF at its end); copy or download it again"),
    "corrupted.pdf": (
        lambda: corrupted(lean_page_pdf(7)),
        "PDF is damaged (page 1: its content stream is corrupted); copy or download it again",
    ),
    "encrypted.pdf": (lambda: pages_pdf([6, 7], password="s3cr3t"), "PDF is encrypted; pass the password with --password"),
    # without the OCR extra (tests/test_ocr.py reads scans with it)
    "scanned.pdf": (lambda: scanned_pdf(7), "PDF has no text layer (scanned?) and OCR is not installed (no module tesserocr): "
                    "pip install 'kpi-scorecard[ocr]' and Debian's tesseract-ocr tesseract-ocr-chi-tra; or run OCR first, e.g. ocrmypdf"),
    "cover.pdf": (lambda: pages_pdf([1, 2, 3, 4]), "no KPI scorecard tables found"),
    "no-unicode.pdf": (
        lambda: without_to_unicode([6, 7, 8]),
        "PDF text layer has no Unicode mapping for 100% of its characters (fonts without ToUnicode); run OCR first, e.g. ocrmypdf",
    ),
    "big5.txt": (lambda: BIG5, "not UTF-8 text (looks like BIG5); convert it first: iconv -f BIG5 -t UTF-8 big5.txt > utf8-big5.txt"),
    "utf16.txt": (
        lambda: REPORT_TXT.read_text(encoding="utf-8").encode("utf-16"),
        "not UTF-8 text (looks like UTF-16); convert it first: iconv -f UTF-16 -t UTF-8 utf16.txt > utf8-utf16.txt",
    ),
}


def test_a_code_printed_on_two_rows_keeps_both(tmp_path):
    """Not a reason to refuse the year's report: both rows load, the second marked and recorded,
    and the theme's KPI count then shows the extra row."""
    db = tmp_path / "kpi.duckdb"
    result = run(write(tmp_path, "twice.txt", printed_twice(REPORT_TXT.read_text(encoding="utf-8"))), "--db", db, "--no-csv")
    assert result.exit_code == 0, result.output
    assert "Warning: twice.txt: theme A states 23 KPIs, found 24" in result.output
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT raw, fixed FROM repairs WHERE what = 'kpi_code_printed_twice'").fetchall() == [("AC1.1", "AC1.1#2")]
        assert con.execute("SELECT count(*) FROM kpi_history WHERE kpi_code IN ('AC1.1', 'AC1.1#2')").fetchall() == [(2,)]


@pytest.mark.parametrize("name", CASES)
def test_bad_input_is_one_line_and_leaves_the_warehouse_as_it_was(tmp_path, db, name, monkeypatch):
    monkeypatch.setattr(pdf_reader, "ocr_missing", lambda: "no module tesserocr")
    make, message = CASES[name]
    assert_one_line(write(tmp_path, name, make()), message, db)


def assert_one_line(path: Path, message: str, db: Path) -> None:
    """Loading path fails with exit code 1 and the one line `Error: <name>: <message>`, and the warehouse is as it was."""
    before = snapshot(db)
    result = run(path, "--db", db)
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert error_lines(result) == [f"Error: {path.name}: {message}"]
    assert snapshot(db) == before


def test_missing_file(tmp_path, db):
    before = snapshot(db)
    result = run(tmp_path / "nowhere.pdf", "--db", db)
    assert (result.exit_code, error_lines(result)) == (1, ["Error: nowhere.pdf: no such file"])
    assert snapshot(db) == before


def test_encrypted_pdf_opens_with_its_password(tmp_path, db):
    path = write(tmp_path, "encrypted.pdf", pages_pdf([6, 7], password="s3cr3t"))
    before = snapshot(db)
    wrong = run(path, "--db", db, "--password", "guess")
    assert error_lines(wrong) == ["Error: encrypted.pdf: wrong password for this encrypted PDF"]
    assert snapshot(db) == before
    right = run(path, "--db", db, "--password", "s3cr3t")
    assert right.exit_code == 0, right.output
    with duckdb.connect(str(db), read_only=True) as con:
        codes = {c for (c,) in con.execute("SELECT kpi_code FROM kpis WHERE document_id = 'encrypted.pdf'").fetchall()}
    assert {"AC1.1", "AC2.1", "AC3.1"} <= codes


def test_report_missing_themes_loads_the_rest_and_flags_them(tmp_path, db):
    """Themes D and E cut out, with their stated counts: the contents still list them."""
    text = REPORT_TXT.read_text(encoding="utf-8")
    cut = text[: text.index("\n優化產業勞動(D)\n")] + text[text.index("\n打造優質教育(F)\n") :]
    path = write(tmp_path, "cut.txt", cut.encode("utf-8"))
    result = run(path, "--db", db)
    assert result.exit_code == 0, result.output
    assert "Error" not in result.output
    warnings = [line for line in result.output.splitlines() if line.startswith("Warning")]
    assert warnings == [
        "Warning: cut.txt: theme D (優化產業勞動) is in the contents but was not found",
        "Warning: cut.txt: theme E (強化社會支持) is in the contents but was not found",
    ]
    with duckdb.connect(str(db), read_only=True) as con:
        kpis = con.execute("SELECT count(*) FROM kpis WHERE document_id = 'cut.txt'").fetchall()[0][0]
        flagged = con.execute(
            "SELECT theme_code, item, stated, counted, ok FROM reconciliation "
            "WHERE document_id = 'cut.txt' AND ok IS NOT TRUE ORDER BY theme_code, item"
        ).fetchall()
    assert kpis == 162 - 19 - 17
    assert flagged == [("D", "theme", 1, 0, False), ("E", "theme", 1, 0, False)]


def test_folder_with_some_bad_files(tmp_path, db):
    folder = tmp_path / "reports"
    folder.mkdir()
    write(folder, "a-good.txt", REPORT_TXT.read_bytes())
    write(folder, "b-empty.pdf", b"")
    write(folder, "c-truncated.pdf", truncated(REPORT_PDF.read_bytes()))
    write(folder, "d-good.pdf", lean_page_pdf(7))
    result = run(folder, "--db", db)
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert error_lines(result) == [
        "Error: b-empty.pdf: file is empty",
        "Error: c-truncated.pdf: PDF is truncated (no %%EOF at its end); copy or download it again",
    ]
    assert "Loaded 2 of 4 documents" in result.output
    documents = set(snapshot(db)["documents"])
    assert sum("'a-good.txt'" in row for row in documents) == 1 and sum("'d-good.pdf'" in row for row in documents) == 1
    assert not any("b-empty" in row or "c-truncated" in row for rows in snapshot(db).values() for row in rows)


def test_unexpected_error_in_one_document_is_one_line_and_the_others_load(tmp_path, db, monkeypatch):
    read_document = pipeline.read_document

    def failing(path, *args, **kwargs):
        if path.name == "boom.txt":
            raise RuntimeError("something broke\nbadly")
        return read_document(path, *args, **kwargs)

    monkeypatch.setattr(pipeline, "read_document", failing)
    boom = write(tmp_path, "boom.txt", REPORT_TXT.read_bytes())
    good = write(tmp_path, "good.txt", REPORT_TXT.read_bytes())
    result = run(boom, good, "--db", db)
    assert result.exit_code == 1
    assert error_lines(result) == ["Error: boom.txt: unexpected error (RuntimeError: something broke badly)"]
    assert "Loaded 1 of 2 documents" in result.output
    rows = snapshot(db)["documents"]
    assert any("'good.txt'" in row for row in rows) and not any("'boom.txt'" in row for row in rows)


def test_locked_warehouse(tmp_path, db):
    """A second run on a warehouse another process has open: one line, and nothing changed."""
    before = snapshot(db)
    with lock_held(db):
        result = run(REPORT_TXT, "--db", db)
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert error_lines(result) == [f"Error: {db}: warehouse is locked by another process"]
    assert snapshot(db) == before


def test_a_warehouse_file_that_is_not_one(tmp_path):
    """--db naming a file DuckDB cannot read as a database: one line with DuckDB's own words, the file untouched."""
    db = tmp_path / "w.duckdb"
    db.write_text("AC1.1\t12.9\n", encoding="utf-8")
    result = run(REPORT_TXT, "--db", db)
    assert (result.exit_code, "Traceback" in result.output) == (1, False)
    assert error_lines(result) == [f'Error: {db}: cannot open the warehouse (IO Error: The file "{db}" exists, '
                                   "but it is not a valid DuckDB database file!)"]
    assert db.read_text(encoding="utf-8") == "AC1.1\t12.9\n"


def test_a_file_pdfium_cannot_open_is_named_in_its_error(tmp_path):
    """Where pdfminer opened a file and PDFium cannot, the file is damaged: the error names it."""
    from kpi_scorecard.extract.errors import DamagedPdf
    from kpi_scorecard.extract.pdf import _pdfium

    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7\n%%EOF\n")
    with pytest.raises(DamagedPdf) as raised:
        _pdfium(broken, None)
    assert str(raised.value).startswith("broken.pdf: PDF is damaged (")
