"""Office readers against the libraries made for each format, on the bundled report and deck written
as .docx/.pptx (tests/office.py) and converted by LibreOffice to .odt/.odp.

Per format: the pipeline's reader (lxml on the XML parts; extract/docx.py, pptx.py, odf.py), then
python-docx, python-pptx or odfpy walking the same paragraphs and table cells (text only: each
library hides which cells a merge covers, so the pipeline would read that from the XML anyway);
seconds (median of --runs, in this process, after imports), import seconds (a fresh process), and
whether the pipeline's history equals the PDF's.

    .venv/bin/pip install -q -e '.[test,bench]' && .venv/bin/python benchmarks/office.py
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from office import blocks_to_pptx, convert, scorecard_to_docx  # noqa: E402

from kpi_scorecard.extract.document import document_to_blocks  # noqa: E402
from kpi_scorecard.normalize.scorecard import blocks_to_scorecard  # noqa: E402


def python_docx(path: Path) -> int:
    from docx import Document
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    doc, n = Document(path), 0
    for element in doc.element.body.iterchildren():
        if element.tag.endswith("}p"):
            n += len(Paragraph(element, doc).text)
        elif element.tag.endswith("}tbl"):
            for row in Table(element, doc).rows:
                n += sum(len(cell.text) for cell in row.cells)
    return n


def python_pptx(path: Path) -> int:
    from pptx import Presentation

    n = 0
    for slide in Presentation(path).slides:
        for shape in slide.shapes:
            if shape.has_table:
                n += sum(len(cell.text) for row in shape.table.rows for cell in row.cells if not cell.is_spanned)
            elif shape.has_text_frame:
                n += len(shape.text_frame.text)
    return n


def odfpy(path: Path) -> int:
    from odf import opendocument, table, teletype, text

    doc, n = opendocument.load(str(path)), 0
    for element in doc.getElementsByType(text.P) + doc.getElementsByType(text.H):
        n += len(teletype.extractText(element))
    n += len(doc.getElementsByType(table.CoveredTableCell))
    return n


LIBRARIES = {".docx": ("python-docx", python_docx, "docx"), ".pptx": ("python-pptx", python_pptx, "pptx"),
             ".odt": ("odfpy", odfpy, "odf.opendocument"), ".odp": ("odfpy", odfpy, "odf.opendocument")}


def median_seconds(call, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def import_seconds(module: str) -> float:
    code = f"import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"
    return float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    samples = ROOT / "samples"
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        report_pdf = blocks_to_scorecard(document_to_blocks(samples / "report-110.pdf"), "report-110.pdf")
        deck_blocks = document_to_blocks(samples / "h-109-deck.pdf")
        files = [scorecard_to_docx(report_pdf, folder / "report-110.docx", {"AC4": True, "AP5": False}),
                 blocks_to_pptx(deck_blocks, folder / "h-109-deck.pptx")]
        files += [convert(files[0], "odt", folder), convert(files[1], "odp", folder)]
        pdfs = {".docx": report_pdf, ".odt": report_pdf}
        deck_pdf = blocks_to_scorecard(deck_blocks, "h-109-deck.pdf")
        print("| file | KB | pipeline reader s | + normalize s | KPIs | measures | fields equal to the PDF's | library | library s | library import s |")
        print("|---|---:|---:|---:|---:|---:|---|---|---:|---:|")
        for path in files:
            name, walk, module = LIBRARIES[path.suffix]
            read = median_seconds(partial(document_to_blocks, path), args.runs)
            whole = median_seconds(lambda path=path: blocks_to_scorecard(document_to_blocks(path), path.name), args.runs)
            card = blocks_to_scorecard(document_to_blocks(path), path.name)
            equal, total = fields_equal(card, pdfs.get(path.suffix, deck_pdf))
            library = median_seconds(partial(walk, path), args.runs)
            print(f"| {path.name} | {path.stat().st_size // 1024} | {read:.3f} | {whole:.3f} | {len(card.kpis)} | "
                  f"{sum(len(k.measures) for k in card.kpis)} | {equal}/{total} | {name} | {library:.3f} | {import_seconds(module):.3f} |")
        print(f"\nlxml import: {import_seconds('lxml.etree'):.3f} s")


def fields_equal(card, pdf) -> tuple[int, int]:
    from kpi_scorecard.warehouse import KPI_HISTORY_COLUMNS, connect, load_scorecard

    con = connect(":memory:")
    load_scorecard(con, pdf)
    load_scorecard(con, card)
    columns = [c for c in KPI_HISTORY_COLUMNS if c not in ("source_file", "page")]
    rows = {}
    for source in (pdf.source_file, card.source_file):
        got = con.execute(f"SELECT kpi_code, measure_no, roc_year, {', '.join(columns)} FROM kpi_history WHERE source_file = ?", [source]).fetchall()
        rows[source] = {r[:3]: r[3:] for r in got}
    expected, read = rows[pdf.source_file], rows[card.source_file]
    total = len(expected) * len(columns)
    equal = sum(a == b for key, row in expected.items() if key in read for a, b in zip(row, read[key], strict=True))
    return equal, total


if __name__ == "__main__":
    main()
