"""Scans read by OCR: the tests make their own scans of the bundled report (tests/scans.py) and
compare what is read from them with what its text layer gives.

Pages 6–8 (theme A's objectives AC1–AP4: 14 KPIs, 28 target and actual numbers) run by default,
once clean and once blurred, turned by 0.7°, speckled and JPEG-compressed; the whole report is
the slow test. Tesseract, its Chinese data and the [ocr] extra are needed: with CI set their
absence fails the tests, else they skip.
"""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from conftest import REPORT_PDF, in_ci
from ocr_compare import compare
from scans import make_scan

from kpi_scorecard.extract import pdf as pdf_reader
from kpi_scorecard.extract.settings import PdfSettings
from kpi_scorecard.pipeline import read_document

PAGES = [6, 7, 8]
ROUGH = dict(blur=0.6, rotate=0.7, noise=12, jpeg=60)


def require_ocr() -> None:
    """Skip (fail under CI) when Tesseract, its Chinese data or the [ocr] extra is missing."""
    if missing := pdf_reader.ocr_missing():
        message = f"needs OCR ({missing}): {pdf_reader.OCR_INSTALL}"
        if in_ci():
            pytest.fail(message, pytrace=False)
        pytest.skip(message)


@pytest.fixture(scope="module")
def reference():
    return read_document(REPORT_PDF, PdfSettings(), PAGES)


@pytest.fixture(scope="module")
def clean_scan(tmp_path_factory) -> Path:
    require_ocr()
    return make_scan(REPORT_PDF, tmp_path_factory.mktemp("scan") / "clean.pdf", PAGES)


@pytest.fixture(scope="module")
def clean(clean_scan):
    return read_document(clean_scan, PdfSettings(workers=2), None)


@pytest.fixture(scope="module")
def rough(tmp_path_factory):
    require_ocr()
    scan = make_scan(REPORT_PDF, tmp_path_factory.mktemp("scan") / "rough.pdf", PAGES, **ROUGH)
    return read_document(scan, PdfSettings(workers=2), None)


def _measure(card, code):
    return next(k for k in card.kpis if k.code == code).measures[0]


def test_a_clean_scan_gives_every_kpi_code_and_value(clean, reference):
    result = compare(clean, reference)
    assert [k.code for k in clean.kpis] == [
        "AC1.1", "AC2.1", "AC3.1", "AC3.2", "AC4.1", "AC4.2", "AC4.3", "AC4.4", "AP1.1", "AP2.1", "AP3.1", "AP3.2",
        "AP4.1", "AP4.2"]
    assert result.values == 28 and not result.silent_wrong
    assert result.values_exact == 28, result.line()  # AC3.2's 27,537,119 too (the digits engine at 30 px read 27,937,119)
    assert result.fields_exact >= 107, result.line()  # 107 of 112 measured (104 before PP-OCR's second reading)
    # as printed on page 7: AC4.3's 600 (the target a whole-page OCR lost to noise) and 615
    ac43 = _measure(clean, "AC4.3")
    assert (ac43.target.value, ac43.actual.value, ac43.agency) == (600, 615, "環保局")
    assert ac43.target.confidence is not None and ac43.target.confidence >= 80


def test_times_and_per_mille_read_as_drawn(clean):
    """AP4.1's formula (page 8) prints 水庫初始庫容×1000‰: Tesseract reads its × as X (neither
    chi_tra nor eng has ×); centred between the digits' top and foot, it is ×, not x."""
    assert "庫容×" in _measure(clean, "AP4.1").formula.replace(" ", "")


def test_codes_read_as_lookalike_letters_are_repaired_by_the_grammar(clean):
    """The heading AP1 (加強公害防治) reads as `API`; the repair is recorded."""
    repairs = {(p.raw, p.fixed) for p in clean.problems if p.what == "ocr_code"}
    assert ("API", "AP1") in repairs
    assert next(k for k in clean.kpis if k.code == "AP1.1").objective_name == "加強公害防治"


def test_a_rough_scan_gives_every_code_and_no_silent_wrong_number(rough, reference):
    result = compare(rough, reference)
    assert sorted(k.code for k in rough.kpis) == sorted(k.code for k in reference.kpis)
    assert not result.silent_wrong, result.silent_wrong
    assert result.values_exact + result.values_flagged == result.values == 28
    assert result.values_exact >= 27, result.line()  # 28 measured; the rest flagged, none wrong
    assert result.fields_exact >= 106, result.line()  # 106 of 112 measured
    # each value not stored is a review row
    flagged = [p for p in rough.problems if p.kind == "warning" and p.column in ("target", "actual")]
    assert len(flagged) >= result.values_flagged


def test_a_scan_loaded_after_its_text_takes_the_spellings_the_warehouse_holds(clean, clean_scan, reference, tmp_path):
    """Loaded into a warehouse that holds the same pages read from the text layer, the scan's
    names, formulas, plans and agencies close to those of the same codes take their spelling,
    each snap a repairs row; its numbers keep their confidence beside them."""
    from kpi_scorecard.warehouse import connect, load_scorecard

    with connect(tmp_path / "w.duckdb") as con:
        load_scorecard(con, reference)
        load_scorecard(con, clean)
        snaps = con.execute("SELECT what, raw, fixed FROM repairs WHERE document = 'clean.pdf' "
                            "AND what LIKE 'ocr_earlier_spelling%'").fetchall()
        history = con.execute("SELECT source_file, kpi_code, kpi_name, formula, action_plans, agency FROM kpi_history "
                              "ORDER BY kpi_code, source_file").fetchall()
        confidence = con.execute("SELECT min(target_confidence), count(target_confidence) FROM measures "
                                 "WHERE document_id = 'clean.pdf' AND target_value IS NOT NULL").fetchone()
    assert snaps and all(int(what.rsplit(" ", 1)[1].rstrip(")")) >= 85 and raw != fixed for what, raw, fixed in snaps)
    by_file = {}
    for file, *fields in history:
        by_file.setdefault(file, []).append(tuple(fields))
    same = sum(a == b for a, b in zip(by_file["clean.pdf"], by_file["report-110.pdf"], strict=False))
    assert same >= 11, (same, by_file["clean.pdf"])  # of 14 KPIs, every field as the text layer prints it
    assert confidence[0] >= 80 and confidence[1] == 14


def test_a_number_an_order_of_magnitude_off_its_history_is_left_unread(clean, reference, tmp_path):
    """AC1.1's target printed 12.9, as if its decimal point were lost in the scan (129): against
    the 12.9 and 12.3 the warehouse holds for AC1.1 it is NULL, its raw text kept, and a warning."""
    from copy import deepcopy

    from kpi_scorecard.normalize.values import parse_value
    from kpi_scorecard.warehouse import connect, load_scorecard

    misread = deepcopy(clean)
    measure = _measure(misread, "AC1.1")
    measure.target = replace(parse_value("129"), confidence=measure.target.confidence)
    with connect(tmp_path / "w.duckdb") as con:
        load_scorecard(con, reference)
        load_scorecard(con, misread)
        stored = con.execute("SELECT target_raw, target_value, target_kind FROM measures "
                             "WHERE document_id = 'clean.pdf' AND kpi_code = 'AC1.1'").fetchall()
        warned = con.execute("SELECT what, raw, \"column\" FROM repairs WHERE document = 'clean.pdf' "
                             "AND kind = 'warning' AND row = 'AC1.1'").fetchall()
    assert stored == [("129", None, "unparsed")]
    assert ("ocr_magnitude_break", "129", "target") in warned


def test_the_review_shows_each_recognised_value_with_its_cell_image(clean, clean_scan, tmp_path):
    from kpi_scorecard.review import write_review

    html = write_review(clean_scan, clean, tmp_path).read_text(encoding="utf-8")
    assert html.count('<img class="cell"') == 28 and html.count('<small class="ocr">OCR ') == 28


@pytest.mark.slow
@pytest.mark.parametrize("variant, exact, fields", [({}, 1.0, 1324), (ROUGH, 0.997, 1320)], ids=["clean", "rough"])
def test_the_whole_report_scanned(variant, exact, fields, tmp_path, pdf_report):
    """Every KPI code, no wrong number stored; the share of values read exactly as measured
    (benchmarks/ocr.py: 335 and 334 of 335), the rest left unread for review, and the fields
    read exactly as measured (1,324 and 1,320 of 1,376; 1,297 and 1,294 before PP-OCR's second reading)."""
    require_ocr()
    scan = make_scan(REPORT_PDF, tmp_path / "scan.pdf", **variant)
    card = read_document(scan, PdfSettings(workers=2), None)
    result = compare(card, pdf_report)
    assert result.codes_found == result.kpis == 162 and not result.extra_codes
    assert not result.silent_wrong, result.silent_wrong
    assert result.values_exact + result.values_flagged == result.values
    assert result.values_exact >= exact * result.values, result.line()
    assert result.fields_exact >= fields, result.line()


def test_the_api_reads_a_text_page_from_its_image_and_kpi_history_shows_the_confidence(tmp_path):
    """Warehouse.load(ocr=True), as --ocr: page 7 of the report read from its image, though it has
    a text layer; kpi_history shows each value's confidence beside it (AC4.3: 600 and 615 as
    printed)."""
    require_ocr()
    import kpi_scorecard as ks

    ks.Warehouse(tmp_path / "w.duckdb", read_only=False).load(REPORT_PDF, pages=[7], ocr=True, cache=False)
    row = ks.Warehouse(tmp_path / "w.duckdb").sql(
        "SELECT target_value, actual_value, target_confidence, actual_confidence FROM kpi_history WHERE kpi_code = 'AC4.3'")
    assert row[["target_value", "actual_value"]].values.tolist() == [[600, 615]]
    assert min(row["target_confidence"][0], row["actual_confidence"][0]) >= 80
    text = ks.Warehouse(tmp_path / "t.duckdb", read_only=False)
    text.load(REPORT_PDF, pages=[7], cache=False)
    assert text.sql("SELECT count(target_confidence) AS n FROM kpi_history")["n"][0] == 0  # a text layer's values: none


@pytest.fixture(scope="module")
def clean_pages(tmp_path_factory):
    """Pages 9, 12, 17, 22, 38, 45 and 46 scanned clean, read."""
    require_ocr()
    scan = make_scan(REPORT_PDF, tmp_path_factory.mktemp("scan") / "pages.pdf", [9, 12, 17, 22, 38, 45, 46])
    return read_document(scan, PdfSettings(workers=2), None)


def test_signs_and_points_are_read_from_their_drawing(clean_pages, pdf_report):
    """Values whose sign or point Tesseract misreads with high confidence (≥ as 2, ≤ as 三, ± as
    +, a point as a colon): read from the drawing, as printed on pages 9, 17, 45 and 46."""
    card = clean_pages
    read = {(k.code, kind): getattr(k.measures[0], kind) for k in card.kpis for kind in ("target", "actual")}
    assert [(read[key].raw, read[key].value, read[key].op) for key in [
        ("AP5.4", "target"), ("BP3.3", "target"), ("GP3.1", "target"), ("GP5.2", "target")]] == [
        ("±10", 10, "±"), ("≥99.65", 99.65, ">="), ("93.2", 93.2, None), ("≤266", 266, "<=")]
    assert not compare(card, replace(pdf_report, kpis=[k for k in pdf_report.kpis if k.page in (9, 12, 17, 22, 38, 45, 46)])).silent_wrong


def test_an_ideograph_tesseract_is_sure_of_and_pp_ocr_reads_otherwise_is_pp_ocrs(clean_pages):
    """chi_tra reads 毒 as 壽, 攔 as 擱 and 暨 as 監 (99 % sure, the printed one in none of its
    alternatives); PP-OCR's second reading of the line gives them as pages 45 and 46 print them."""
    read = {k.code: k for k in clean_pages.kpis}
    assert read["GP2.1"].measures[0].formula == "年度查獲製造、運輸、販賣及意圖販賣而持有毒品案犯嫌人數"
    assert read["GP5.1"].measures[0].formula == "年度成功攔阻詐騙件數"
    assert str(read["GP2.2"].measures[0].action_plans[0]) == "GP2.2.1 臺北市毒品危害防制中心工作暨衛生福利部補助辦理藥癮者處遇計畫"
    assert str(read["GP6.1"].measures[0].action_plans[0]) == "GP6.1.1 臺北市政府消防局中高級救護技術員訓練計畫暨繼續教育計畫"


def test_ideographs_drawn_alike_are_read_as_printed(clean_pages):
    """chi_tra reads 入 as 人 with 99 % confidence (入住 as 人住): page 45's GP2.2 plan reads as printed."""
    plans = [str(p) for p in next(k for k in clean_pages.kpis if k.code == "GP2.2").measures[0].action_plans]
    assert plans[2] == "GP2.2.3 藥癮個案入住中途之家補助計畫"


def test_a_dot_between_ideographs_is_a_middle_dot(clean_pages):
    """Neither chi_tra nor HanT has ·: page 22's CP2.1 plan 北投溫泉·無圍牆 reads as printed, not 溫泉.無."""
    plans = [str(p) for p in next(k for k in clean_pages.kpis if k.code == "CP2.1").measures[0].action_plans]
    assert plans[0] == "CP2.1.1 北投溫泉·無圍牆博物館文化館等相關活動"


def test_an_ideograph_misread_at_a_pages_foot_is_read_as_printed(clean_pages):
    """chi_tra reads the CP2.1 plan 萬華艋舺 at page 22's foot as 萬華艦舺 (96 % sure): it reads as
    printed (its rest is on page 23, not read here)."""
    plans = [str(p) for p in next(k for k in clean_pages.kpis if k.code == "CP2.1").measures[0].action_plans]
    assert plans[4] == "CP2.1.5 萬華艋舺無"


def test_a_times_sign_at_a_lines_end_is_read_as_drawn(clean_pages):
    """Page 12's BC1.1 formula wraps after its ×, before 100%: read X (chi_tra has no ×), it is
    centred beside the ideograph before it, so ×. (Page 11 is not read: the rest of its last formula
    at page 12's top runs on after this one.)"""
    formula = next(k for k in clean_pages.kpis if k.code == "BC1.1").measures[0].formula
    assert formula.startswith("水庫水源利用率 =歷年水庫利用水量 /歷年水庫放水量 × 100%")


def test_a_space_too_narrow_for_one_is_none(clean_pages):
    """Page 38's FC2.1 prints 心跳達130下: Tesseract puts a space after 達, where the blank between
    the inks is a tenth of the line's height."""
    assert "心跳達130下" in next(k for k in clean_pages.kpis if k.code == "FC2.1").measures[0].formula


def target_cell(scan: Path, code: str, column: str = "目標"):
    """The pixels of the target cell (or the cell under the header naming `column`) in the row of
    `code` on a one-page scan."""
    import pypdfium2 as pdfium

    from kpi_scorecard.extract.ocr import recognise
    from kpi_scorecard.extract.page import find_tables
    from kpi_scorecard.extract.scan import crop, page_rules, render_page

    document = pdfium.PdfDocument(str(scan))
    image = render_page(document, 1, 200)
    document.close()
    for table in find_tables(page_rules(image), {"vertical_strategy": "lines", "horizontal_strategy": "lines"}):
        rows = [r for r in table.rows if r.cells[0] and recognise(crop(image, r.cells[0]), "text")[0].startswith(code)]
        if rows:
            header = [recognise(crop(image, box), "text")[0] if box else "" for box in table.rows[0].cells]
            return crop(image, rows[0].cells[next(i for i, text in enumerate(header) if column in text)])
    raise LookupError(code)


def test_a_full_width_bracket_is_read_as_drawn(tmp_path):
    """Page 23's CP4.1 plan prints 計畫（含英文版景點數擴增計畫）: chi_tra reads both bracket forms
    as ASCII; the blank before this （ is most of an ideograph wide (an ASCII ( after an ideograph
    leaves 0.37 of one at most), and the ) closing it is ）."""
    require_ocr()
    from kpi_scorecard.extract.ocr import recognise
    from kpi_scorecard.normalize.text import clean_cell

    cell = target_cell(make_scan(REPORT_PDF, tmp_path / "brackets.pdf", [23]), "CP4.1", "行動")
    assert clean_cell(recognise(cell, "text")[0]) == "CP4.1.1 臺北旅遊網計畫（含英文版景點數擴增計畫）"


def test_a_percent_signs_circle_read_as_a_zero_is_dropped(tmp_path):
    """Page 10 scanned rough: AF1.1's formula cell ends 補辦預算數)x100% over 單位：%; blurred,
    Tesseract reads a 0 over the unit's % (0%; 1000% elsewhere), its box mostly under the %'s:
    the unit line reads as printed."""
    require_ocr()
    import pypdfium2 as pdfium

    from kpi_scorecard.extract.ocr import recognise
    from kpi_scorecard.extract.page import find_tables
    from kpi_scorecard.extract.scan import crop, page_rules, render_page

    document = pdfium.PdfDocument(str(make_scan(REPORT_PDF, tmp_path / "percent.pdf", [10], **ROUGH)))
    image = render_page(document, 1, 200)
    document.close()
    table = find_tables(page_rules(image), {"vertical_strategy": "lines", "horizontal_strategy": "lines"})[2]
    assert recognise(crop(image, table.rows[1].cells[1]), "text")[0].splitlines()[-1] == "單位：%"


def test_a_number_too_few_readings_agree_on_is_read_larger(tmp_path):
    """Page 22 scanned rough: CC2.4's target 11 is read as 1 or nothing by three of the four
    readings (one vote, none against: not stored till now); read larger too, 11 has the votes."""
    require_ocr()
    from kpi_scorecard.extract.ocr import read_cell

    text, confidence = read_cell(target_cell(make_scan(REPORT_PDF, tmp_path / "more.pdf", [22], **ROUGH), "CC2.4"), True)
    assert text == "11" and confidence >= 80


def test_a_reading_with_a_loop_the_ink_does_not_close_is_no_vote(tmp_path):
    """Page 10's AP5.5 prints 3 as target: its ink closes no loop, so a reading of it as 8 (the
    digits engine at 20 px gave 8 with 97 % confidence on the rough scan, against 3 from the
    three others: none stored) does not fit the drawing and is overruled; 3 fits."""
    require_ocr()
    from kpi_scorecard.extract.ocr import _columns, _holes, _loops_fit, _marks

    cell = target_cell(make_scan(REPORT_PDF, tmp_path / "loops.pdf", [10]), "AP5.5")
    ink = cell[:, (cell < 128).any(axis=0)]
    digit = float(np.ptp(np.flatnonzero((ink < 128).any(axis=1))) + 1)
    holes = _holes(ink, _columns([m for m in _marks(ink) if m[3] >= 0.4 * digit]))
    assert holes == [0]
    assert (_loops_fit("3", holes), _loops_fit("8", holes), _loops_fit("38", holes)) == (True, False, True)


def test_a_number_with_its_unit_or_note_beside_it_is_read_from_its_own_ink(tmp_path):
    """Page 23 scanned rough prints its values with a unit or note in the same cell (300 萬,
    80（滿意度）, 2,500,000 over three lines of note): each number as printed, its unit applied."""
    require_ocr()
    scan = make_scan(REPORT_PDF, tmp_path / "units.pdf", [23], **ROUGH)
    card = read_document(scan, PdfSettings(workers=1), None)
    read = {k.code: k.measures[0] for k in card.kpis}
    assert [(read[code].target.value, read[code].actual.value) for code in ("CP3.1", "CP3.2", "CP3.3", "CP3.4")] == [
        (2500000, 2808607), (3000000, 3080000), (10000000, 10400000), (80, 90.7)]


def test_rules_one_pixel_thin_are_found_where_they_are_drawn():
    """A scan's rules can be a single pixel thin: a 1-pixel horizontal rule (row 50, columns 20–179)
    and a 1-pixel vertical one (column 120, rows 80–179) on a page at 2 pixels a point are edges in
    points at the middle of their pixels: y = 50.5 / 2, x = 120.5 / 2."""
    require_ocr()
    import numpy as np

    from kpi_scorecard.extract.scan import PageImage, ruling_edges

    pixels = np.full((200, 200), 255, np.uint8)
    pixels[50, 20:180] = 0
    pixels[80:180, 120] = 0
    edges = ruling_edges(PageImage(1, pixels, 2.0, 0.0))
    found = sorted((e["orientation"], e["x0"], e["top"], e["x1"], e["bottom"]) for e in edges)
    assert [e[0] for e in found] == ["h", "v"]
    # within a pixel (0.5 pt): the opening by an even-length kernel moves a rule's ends by one
    assert [e[1:] for e in found] == [pytest.approx((10.0, 25.25, 90.0, 25.25), abs=0.5),
                                      pytest.approx((60.25, 40.0, 60.25, 90.0), abs=0.5)]


def test_a_line_is_read_at_each_attempt_s_scale(monkeypatch):
    """A line Tesseract reads no text in is tried at each size ATTEMPTS names, in turn: 1.5×, 1×,
    1× (raw line mode), 1.75×, each with a 10-pixel white margin. A 20 × 100 pixel line is 40 × 120
    with its margin: 60 × 180, 40 × 120, 40 × 120, 70 × 210."""
    require_ocr()
    import numpy as np

    from kpi_scorecard.extract import ocr

    seen = []

    class Engine:
        def SetImage(self, image):  # noqa: N802 (tesserocr's name)
            seen.append((image.height, image.width))

        def GetUTF8Text(self):  # noqa: N802
            return ""

    monkeypatch.setattr(ocr, "engine", lambda kind, psm: Engine())
    monkeypatch.setattr(ocr, "_SEEN", {})  # no line read before
    monkeypatch.setattr(ocr, "_symbols", lambda text, symbols, image, spaces=True: ("", 0.0, ()))
    assert ocr._line(np.full((20, 100), 255, np.uint8), "text", ocr.ATTEMPTS) == ("", 0.0)
    assert seen == [(60, 180), (40, 120), (40, 120), (70, 210)]


def test_faint_strokes_keep_a_number_whole(tmp_path):
    """Blurred, a 7's bar is lighter than ink: the line cropped without it was read 77 → //. Page 28
    scanned rough (noise seed 100), as printed: DP4.2's 77 and 94.37."""
    require_ocr()
    scan = make_scan(REPORT_PDF, tmp_path / "faint.pdf", [28], **ROUGH, seed=100)
    card = read_document(scan, PdfSettings(workers=1), None)
    dp42 = _measure(card, "DP4.2")
    assert (dp42.target.value, dp42.actual.value) == (77, 94.37)
