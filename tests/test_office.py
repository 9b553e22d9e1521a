"""Reports and decks read from the office files they are made from (.docx, .odt, .pptx, .odp):
the same kpi_history as their PDFs, field for field, with each row's table and row number.

The files are written here from what the bundled PDFs print (tests/office.py); LibreOffice makes the
ODF versions and prints the .docx to PDF (those tests skip without it, and fail under CI).
"""
from __future__ import annotations

import copy
import csv
import re
from dataclasses import replace
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner
from conftest import REPORT_PDF, SAMPLES, read
from office import blocks_to_pptx, convert, scorecard_to_docx

from kpi_scorecard.cli import main
from kpi_scorecard.extract.blocks import Table
from kpi_scorecard.extract.document import document_to_blocks
from kpi_scorecard.warehouse import KPI_HISTORY_COLUMNS, connect, load_scorecard

DECK_PDF = SAMPLES / "h-109-deck.pdf"
LOCATION = {"source_file", "page"}  # what a document and its print may differ in (and table_no, row_no after the contract)
# AC4's table split by its author in two, the header repeated; AP5's too, the second table without it.
SPLIT = {"AC4": True, "AP5": False}


@pytest.fixture(scope="module")
def made(pdf_report, tmp_path_factory) -> dict[str, Path]:
    """The report as .docx and the deck as .pptx, written from their PDFs."""
    folder = tmp_path_factory.mktemp("office")
    deck_blocks = document_to_blocks(DECK_PDF)
    return {
        "docx": scorecard_to_docx(pdf_report, folder / "report-110.docx", SPLIT),
        "pptx": blocks_to_pptx(deck_blocks, folder / "h-109-deck.pptx"),
    }


@pytest.fixture(scope="module")
def converted(made, tmp_path_factory) -> dict[str, Path]:
    """Their ODF versions, made by LibreOffice, on first use."""
    folder = tmp_path_factory.mktemp("odf")
    done: dict[str, Path] = {}

    def get(kind: str) -> Path:
        """odt, odp: from the written .docx/.pptx; docx, pptx: LibreOffice's own, from those (another producer's OOXML)."""
        if kind not in done:
            source = {"odt": made["docx"], "odp": made["pptx"]}.get(kind) or get({"docx": "odt", "pptx": "odp"}[kind])
            done[kind] = convert(source, kind, folder)
        return done[kind]

    return get


def history(*scorecards) -> dict[str, dict]:
    """kpi_history of each scorecard, by (kpi_code, measure_no, roc_year), every column."""
    con = connect(":memory:")
    for scorecard in scorecards:
        load_scorecard(con, scorecard)
    columns = [d[0] for d in con.execute("SELECT * FROM kpi_history LIMIT 0").description]
    out = {}
    for scorecard in scorecards:
        rows = con.execute("SELECT * FROM kpi_history WHERE source_file = ?", [scorecard.source_file]).fetchall()
        out[scorecard.source_file] = {(r[5], r[7], r[0]): dict(zip(columns, r, strict=True)) for r in rows}
    con.close()
    return out


def differing(expected: dict, got: dict, squeeze: bool = False) -> dict:
    """Contract fields (other than the location) that differ, by row and column."""
    def norm(value):
        return re.sub(r"\s+", "", value) if squeeze and isinstance(value, str) else value

    return {
        (*key, column): (row[column], got[key][column])
        for key, row in expected.items() if key in got
        for column in KPI_HISTORY_COLUMNS
        if column not in LOCATION and norm(row[column]) != norm(got[key][column])
    }


def same_as_pdf(office_card, pdf_card) -> dict:
    rows = history(pdf_card, office_card)
    pdf, office = rows[pdf_card.source_file], rows[office_card.source_file]
    assert office.keys() == pdf.keys()
    assert differing(pdf, office) == {}
    if office_card.kind == "annual_report":  # a deck's values from its results and tasks tables have their slide only
        assert all(r["table_no"] is not None and r["row_no"] is not None for r in office.values())
    assert [c for c in office_card.counts] == [c for c in pdf_card.counts]
    return office


def unlocated(observations: list) -> list:
    """Observations without the office file's table and row (a PDF has none)."""
    return [replace(o, table=None, row=None) for o in observations]


def test_docx_reads_as_the_bundled_pdf(made, pdf_report):
    card = read(made["docx"])
    assert (card.roc_year, card.kind) == (110, "annual_report")
    assert (len(card.kpis), sum(len(k.measures) for k in card.kpis)) == (162, 172)
    same_as_pdf(card, pdf_report)
    stated = [(c.stated_objectives, c.stated_kpis, c.stated_plans) for c in card.counts]
    counted = [(c.counted_objectives, c.counted_kpis, c.counted_plans) for c in card.counts]
    assert stated == counted and len(stated) == 8 and all(c.listed and c.found for c in card.counts)
    assert not [p for p in card.problems if p.kind == "stitch"]  # whole rows: nothing to stitch


def test_merged_cells_come_out_as_in_the_pdf(made):
    """CC1.1's seven agencies share one merged KPI and formula cell (w:vMerge): None below it."""
    table = next(b for b in document_to_blocks(made["docx"]) if isinstance(b, Table) and b.rows[1][0].startswith("CC1.1 "))
    assert [row[0] is None for row in table.rows] == [False, False] + [True] * 6
    assert [row[1] is None for row in table.rows] == [False, False] + [True] * 6
    assert [row[3] for row in table.rows[1:]] == ["民政局", "文化局", "客委會", "原民會", "捷運公司", "文化局", "勞動局"]
    assert [row[4] for row in table.rows[1:]] == ["20,000", "753,750", "10,170", "2,500", "8,000", "50,000", "1,000"]


def test_a_table_split_by_its_author_goes_on_under_its_heading(made):
    card = read(made["docx"])
    where = {k.code: (k.objective_code, k.measures[0].table, k.measures[0].row) for k in card.kpis}
    # AC4: the second table repeats the header (its first KPI in row 2); AP5: it does not (row 1)
    first, second = where["AC4.1"][1], where["AC4.2"][1]
    assert second == first + 1
    assert [where[c] for c in ("AC4.1", "AC4.2", "AC4.3", "AC4.4")] == [("AC4", first, 2), ("AC4", second, 2), ("AC4", second, 3), ("AC4", second, 4)]
    ap5 = [where[c] for c in ("AP5.1", "AP5.2", "AP5.3", "AP5.4", "AP5.5")]
    assert [o for o, _, _ in ap5] == ["AP5"] * 5
    assert [r for _, _, r in ap5] == [2, 1, 2, 3, 4]


def test_pptx_deck_reads_as_the_bundled_deck(made):
    pdf, pptx = read(DECK_PDF), read(made["pptx"])
    assert pptx.kind == "briefing_deck"
    rows = same_as_pdf(pptx, pdf)
    pdf_rows = history(pdf)[pdf.source_file]
    assert {key: r["page"] for key, r in rows.items()} == {key: r["page"] for key, r in pdf_rows.items()}  # slide = page
    assert unlocated(pptx.observations) == pdf.observations and pptx.scores == pdf.scores and pptx.perspectives == pdf.perspectives


@pytest.mark.parametrize("kind", ["odt", "odp", "docx", "pptx"])
def test_libreoffice_files_read_as_the_pdf(kind, converted, pdf_report):
    card = read(converted(kind))
    if kind in ("odt", "docx"):
        same_as_pdf(card, pdf_report)
        assert (len(card.kpis), sum(len(k.measures) for k in card.kpis)) == (162, 172)
    else:
        pdf = read(DECK_PDF)
        same_as_pdf(card, pdf)
        assert unlocated(card.observations) == pdf.observations and card.scores == pdf.scores


# Where the PDF reader reads LibreOffice's print of the .docx otherwise than the .docx itself: nowhere
# (GP4.3's compound target and actual, cut by a page break with its agency "衛生局 (社會" / "局)",
# was read as two measures, one of them 268, until a cell closing its open bracket joined the rest).
PRINT_DIFFERENCES: dict[str, str] = {}


def test_docx_and_its_pdf_print_give_the_same_history(pdf_report, tmp_path):
    """LibreOffice prints the .docx (its tables split with their header repeated); whitespace is
    where the print wrapped its lines."""
    docx = scorecard_to_docx(pdf_report, tmp_path / "report-110.docx", {"AC4": True})
    printed = read(convert(docx, "pdf", tmp_path / "print"))
    rows = history(read(docx), printed)
    office, pdf = rows["report-110.docx"], rows["report-110.pdf"]
    differ = {key[0] for key in set(office) ^ set(pdf)} | {key[0] for key in differing(office, pdf, squeeze=True)}
    assert differ == PRINT_DIFFERENCES.keys()
    assert len(office) == 172 and sum(k[0] not in PRINT_DIFFERENCES for k in pdf) == 172


def run(*args) -> object:
    return CliRunner().invoke(main, [str(a) for a in args] + ["--no-cache"])


def test_a_folder_of_formats_loads_each_with_its_location(made, pdf_report, tmp_path):
    """A PDF and its .docx are two prints of one report: the same identities, no conflicting value;
    the location of each row is in kpi_history.csv and the review page."""
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "report-110.pdf").write_bytes(REPORT_PDF.read_bytes())
    (folder / "report-110.docx").write_bytes(made["docx"].read_bytes())
    (folder / "h-109-deck.pptx").write_bytes(made["pptx"].read_bytes())
    (folder / "report-109.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512))  # a legacy .doc is not skipped unsaid
    db, csv_dir, review = tmp_path / "kpi.duckdb", tmp_path / "open-data", tmp_path / "review"
    result = run(folder, "--db", db, "--csv-dir", csv_dir)
    assert result.exit_code == 1
    assert "Loaded 3 of 4 documents" in result.output
    assert [line for line in result.output.splitlines() if line.startswith("Error")] == [
        "Error: report-109.doc: legacy binary .doc file; convert it to .docx or .odt first, "
        "e.g. `soffice --headless --convert-to docx report-109.doc`"]
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT source_file, count(*) FROM kpi_history GROUP BY 1 ORDER BY 1").fetchall() == [
            ("h-109-deck.pptx", 45), ("report-110.docx", 172), ("report-110.pdf", 172)]
        same, other = con.execute(
            "SELECT count(*) FILTER (a.raw = b.raw AND a.value IS NOT DISTINCT FROM b.value), count(*) FILTER (a.raw <> b.raw) "
            "FROM observations_ranked AS a JOIN observations_ranked AS b USING (kpi_id, measure_no, roc_year, kind) "
            "WHERE a.source_file = 'report-110.docx' AND b.source_file = 'report-110.pdf'").fetchone()
        assert (same, other) == (2 * 172, 0)  # every target and actual the same
        assert con.execute("SELECT count(DISTINCT kpi_id) FROM kpi_history WHERE source_file LIKE 'report-110.%'").fetchone() == (162,)
        table_no, row_no = con.execute(
            "SELECT table_no, row_no FROM kpi_history WHERE source_file = 'report-110.docx' AND kpi_code = 'AC3.2'").fetchone()
    assert row_no == 3  # header, AC3.1, AC3.2
    with open(csv_dir / "kpi_history.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    ac32 = next(r for r in rows if r["source_file"] == "report-110.docx" and r["kpi_code"] == "AC3.2")
    assert (ac32["page"], ac32["table_no"], ac32["row_no"]) == ("", str(table_no), "3")
    assert (ac32["target_raw"], ac32["actual_raw"]) == ("27,000,000", "27,537,119")
    assert run(folder / "report-110.docx", "--db", db, "--no-csv", "--review", review).exit_code == 0
    page = (review / "report-110.docx.html").read_text(encoding="utf-8")
    assert f"<td>table {table_no}, row 3</td>" in page


def test_a_value_the_docx_prints_otherwise_is_a_conflict(pdf_report, tmp_path):
    """The analysts' .docx says AC3.2's actual is 27,537,120 where the PDF prints 27,537,119: both kept."""
    edited = copy.deepcopy(pdf_report)
    kpi = next(k for k in edited.kpis if k.code == "AC3.2")
    kpi.measures[0] = replace(kpi.measures[0], actual=replace(kpi.measures[0].actual, raw="27,537,120"))
    docx = scorecard_to_docx(edited, tmp_path / "report-110.docx")
    db = tmp_path / "kpi.duckdb"
    result = run(REPORT_PDF, docx, "--db", db, "--no-csv")
    assert result.exit_code == 0, result.output
    with duckdb.connect(str(db), read_only=True) as con:
        got = con.execute("SELECT source_file, page, row_no, raw, value FROM conflicts WHERE kpi_id = 'AC3.2' AND kind = 'actual' ORDER BY 1").fetchall()
    assert got == [("report-110.docx", None, 3, "27,537,120", 27537120.0), ("report-110.pdf", 7, None, "27,537,119", 27537119.0)]


def test_symbols_hidden_text_and_spans_of_a_hand_made_docx(tmp_path):
    """What Word writes beside plain runs: a ≥ from the Symbol font (w:sym), a hidden run (not
    printed, so not read), a cell spanning two grid columns, a row deleted with changes tracked."""
    from test_office_bad_input import docx

    def cell(content: str, span: int = 1) -> str:
        grid = f'<w:tcPr><w:gridSpan w:val="{span}"/></w:tcPr>' if span > 1 else ""
        return f"<w:tc>{grid}<w:p>{content}</w:p></w:tc>"

    def run(text: str, hidden: bool = False) -> str:
        return f"<w:r>{'<w:rPr><w:vanish/></w:rPr>' if hidden else ''}<w:t>{text}</w:t></w:r>"

    header = "".join(cell(run(h)) for h in ("關鍵績效指標", "公式及單位", "行動計畫", "主責機關", "110 年目標值", "110 年實際值"))
    row = "".join(cell(c) for c in (run("AC1.1 空氣品質") + run("(舊稱)", hidden=True), run("監測值 單位：%"),
                                     run("AC1.1.1 清新空氣"), run("環保局"),
                                     '<w:r><w:sym w:font="Symbol" w:char="F0B3"/><w:t>99</w:t></w:r>', run("99.5")))
    deleted = "<w:tr><w:trPr><w:del w:id=\"1\" w:author=\"x\"/></w:trPr>" + "".join(cell(run("AC1.2 刪除")) for _ in range(6)) + "</w:tr>"
    spanned = f"<w:tbl><w:tr>{cell(run('使命'), span=2)}</w:tr><w:tr>{cell(run('a'))}{cell(run('b'))}</w:tr></w:tbl>"
    body = (f"<w:p>{run('營造永續環境(A)')}</w:p><w:p>{run('AC1 提升環境品質')}</w:p>"
            f"<w:tbl><w:tr>{header}</w:tr><w:tr>{row}</w:tr>{deleted}</w:tbl><w:p/>{spanned}")
    path = tmp_path / "hand.docx"
    path.write_bytes(docx(body))
    blocks = document_to_blocks(path)
    assert [b.rows for b in blocks if isinstance(b, Table)][1] == [["使命", None], ["a", "b"]]
    (kpi,) = read(path).kpis
    m = kpi.measures[0]
    assert (kpi.code, kpi.name, m.unit, m.target.raw, m.target.op, m.target.value, m.actual.value) == (
        "AC1.1", "空氣品質", "%", "≥99", ">=", 99.0, 99.5)
    assert (m.table, m.row) == (1, 2)


def test_a_slide_is_read_top_to_bottom_through_its_groups(tmp_path):
    """A group's shapes take their place on the slide among the others, whatever the order they were drawn in."""
    from pptx import Presentation
    from pptx.util import Pt

    deck = Presentation()
    slide = deck.slides.add_slide(deck.slide_layouts[6])
    slide.shapes.add_textbox(Pt(10), Pt(100), Pt(200), Pt(20)).text_frame.text = "HC1 提高公民參與度"
    group = slide.shapes.add_group_shape()
    group.shapes.add_textbox(Pt(10), Pt(10), Pt(200), Pt(20)).text_frame.text = "精實良善治理(H)"
    group.shapes.add_textbox(Pt(10), Pt(300), Pt(200), Pt(20)).text_frame.text = "HC2 強化市民對政策認知度"
    deck.save(tmp_path / "grouped.pptx")
    blocks = document_to_blocks(tmp_path / "grouped.pptx")
    assert [(b.text, b.page) for b in blocks] == [("精實良善治理(H)", 1), ("HC1 提高公民參與度", 1), ("HC2 強化市民對政策認知度", 1)]
