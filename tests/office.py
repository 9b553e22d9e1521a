"""Write the office files a report or deck is made from, from what its PDF prints (test helper).

A report becomes a .docx the way its author writes one (python-docx): the contents, each theme's
heading and stated counts, one table per objective with the KPI header and a row per measure, a
KPI's name (and its formula, plans, agency where every measure shares them) one cell merged down
its measures (w:vMerge). A deck becomes a .pptx (python-pptx): one slide per page, each text line
and table where the page prints it, merged cells where the PDF reader saw them (None). LibreOffice
converts those to .odt/.odp, and prints a .docx to PDF.
"""
from __future__ import annotations

import subprocess
import tempfile
from itertools import groupby
from pathlib import Path

import pytest
from conftest import in_ci, require
from render import HEADER, formula_text, plans_text

from kpi_scorecard.extract.blocks import Block, Table, TextLine
from kpi_scorecard.normalize.records import Kpi, Scorecard


def require_made(what: str, made: Path) -> None:
    """LibreOffice ran but made no file (Writer or Impress missing): under CI a failure, else a skip."""
    if not made.is_file():
        message = f"{what} is missing: it made no {made.name} (CI installs libreoffice-writer-nogui and libreoffice-impress-nogui)"
        if in_ci():
            pytest.fail(message, pytrace=False)
        pytest.skip(message)


def convert(path: Path, to: str, out_dir: Path) -> Path:
    """The file LibreOffice makes of `path` in format `to` (odt, odp, pdf) in out_dir."""
    soffice = str(require("soffice", "LibreOffice converts the tests' office files"))
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [soffice, "--headless", f"-env:UserInstallation=file://{profile}/p", "--convert-to", to, "--outdir", str(out_dir), str(path)],
            capture_output=True, timeout=300,
        )
    made = out_dir / f"{path.stem}.{to.split(':')[0]}"
    require_made(f"LibreOffice's {'Impress' if path.suffix == '.pptx' else 'Writer'}", made)
    return made


def scorecard_to_docx(scorecard: Scorecard, out: Path, split: dict[str, bool] | None = None) -> Path:
    """The report as its author's .docx. split: objective code → True to split its table in two
    after its first KPI with the header repeated, False without it (the second table under the
    same heading)."""
    from docx import Document

    split = split or {}
    doc = Document()
    doc.add_paragraph("目錄")
    for number, count in enumerate(scorecard.counts, 1):
        doc.add_paragraph(f"{count.theme_name}({count.theme_code})\t{number}")
    header = [h.format(year=scorecard.roc_year) for h in HEADER]
    for count in scorecard.counts:
        doc.add_heading(f"{count.theme_name}({count.theme_code})", level=1)
        doc.add_paragraph(f"1. 策略目標：{count.stated_objectives} 項")
        doc.add_paragraph(f"2. 關鍵績效指標(KPI)：{count.stated_kpis} 項")
        doc.add_paragraph(f"3. 行動計畫：{count.stated_plans} 項")
        mine = [k for k in scorecard.kpis if k.theme_code == count.theme_code]
        for (code, name), group in groupby(mine, key=lambda k: (k.objective_code, k.objective_name)):
            doc.add_heading(f"{code} {name}", level=2)
            kpis = list(group)
            parts = [kpis] if code not in split or len(kpis) < 2 else [kpis[:1], kpis[1:]]
            for index, part in enumerate(parts):
                if index:
                    doc.add_paragraph("")  # two tables need a paragraph between them, or Word makes them one
                _kpi_table(doc, header if index == 0 or split[code] else None, part)
    doc.save(out)
    return out


WIDTHS = (20, 24, 24, 10, 11, 11)  # % of the text width, as tests/render.py prints the report


def _kpi_table(doc, header: list[str] | None, kpis: list[Kpi]) -> None:
    from docx.shared import Inches

    rows = [header] if header else []
    merges = []  # (first row, last row, column) of each merged cell
    for kpi in kpis:
        n, first = len(kpi.measures), len(rows)
        shared = {
            1: len({formula_text(m) for m in kpi.measures}) == 1,
            2: len({plans_text(m) for m in kpi.measures}) == 1,
        }
        shared[3] = shared[2] and len({m.agency for m in kpi.measures}) == 1
        for i, m in enumerate(kpi.measures):
            cells = [f"{kpi.code} {kpi.name}", formula_text(m), plans_text(m), m.agency, m.target.raw, m.actual.raw]
            rows.append([c if i == 0 or not (column == 0 or shared.get(column)) else "" for column, c in enumerate(cells)])
        if n > 1:
            merges += [(first, first + n - 1, column) for column in (0, 1, 2, 3) if column == 0 or shared[column]]
    table = doc.add_table(rows=len(rows), cols=len(rows[0]))
    table.style = "Table Grid"
    table.autofit = False
    for c, column in enumerate(table.columns):
        column.width = Inches(6.5 * WIDTHS[c] / 100)
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            cell = table.cell(r, c)
            cell.width = Inches(6.5 * WIDTHS[c] / 100)
            _set_text(cell, text)
    for first, last, column in merges:
        table.cell(first, column).merge(table.cell(last, column))
    if header:  # repeated at the top of every page the table runs onto, as reports print it
        from docx.oxml import OxmlElement

        table.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))


def _set_text(cell, text: str) -> None:
    """One paragraph per line the text holds (as its author typed them)."""
    lines = text.split("\n")
    cell.paragraphs[0].text = lines[0]
    for line in lines[1:]:
        cell.add_paragraph(line)


def blocks_to_pptx(blocks: list[Block], out: Path) -> Path:
    """A deck's PDF blocks as a .pptx: a slide per page, each text line and table at its place, a
    cell the PDF reader saw covered (None) merged with the one above it (or, in a first row, beside it)."""
    from pptx import Presentation
    from pptx.util import Emu, Pt

    deck = Presentation()
    width = max(b.bbox[2] for b in blocks if b.bbox) + 20
    height = max(b.bbox[3] for b in blocks if b.bbox) + 20
    deck.slide_width, deck.slide_height = Pt(width), Pt(height)
    blank = deck.slide_layouts[6]
    pages = max(b.page for b in blocks)
    for page in range(1, pages + 1):
        slide = deck.slides.add_slide(blank)
        for block in (b for b in blocks if b.page == page):
            x0, top, x1, bottom = block.bbox
            place = (Pt(x0), Pt(top), Emu(max(Pt(x1 - x0), Pt(10))), Emu(max(Pt(bottom - top), Pt(10))))
            if isinstance(block, TextLine):
                box = slide.shapes.add_textbox(*place)
                box.text_frame.text = block.text
                continue
            _deck_table(slide, block, place)
    deck.save(out)
    return out


def _deck_table(slide, block: Table, place) -> None:
    rows = block.rows
    shape = slide.shapes.add_table(len(rows), len(rows[0]), *place)
    table = shape.table
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            if text:  # each line as printed (a deck's short cells break where their author typed it)
                lines = [line for line in text.split("\n") if line]
                frame = table.cell(r, c).text_frame
                frame.text = lines[0]
                for line in lines[1:]:
                    frame.add_paragraph().text = line
    for c in range(len(rows[0])):
        r = 0
        while r < len(rows):
            if rows[r][c] is None and r > 0:
                last = r
                while last + 1 < len(rows) and rows[last + 1][c] is None:
                    last += 1
                origin = r - 1
                table.cell(origin, c).merge(table.cell(last, c))
                r = last + 1
            else:
                r += 1
    for c in range(1, len(rows[0])):
        if rows[0][c] is None:
            start = c - 1
            table.cell(0, start).merge(table.cell(0, c))
