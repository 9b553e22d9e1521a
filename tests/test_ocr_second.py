"""Where PP-OCR's reading of a text line takes the place of Tesseract's (extract/ocr.py's
_second_reading), on the characters the report's scans give: an ideograph for another only where
PP-OCR's is a traditional form chi_tra reads and no form of the same character; a mark for another
only where neither is a digit or a letter's other case."""
from __future__ import annotations

import pytest
from test_ocr import require_ocr


@pytest.fixture(scope="module")
def ocr():
    require_ocr()
    from kpi_scorecard.extract import ocr

    return ocr


@pytest.mark.parametrize(
    ("tesseract", "pp_ocr", "taken"),
    [
        ("監", "暨", True),  # page 27's DC2.1 plans: 輔導暨企業, Tesseract 99 % sure of 監
        ("岩", "崙", True),  # page 9's AP4.4: 大崙頭山
        ("壽", "毒", True),  # page 45's GP2.1: 毒品
        ("參", "参", False),  # PP-OCR's simplified form of the printed 參 (參與)
        ("數", "数", False),
        ("臺", "台", False),  # both traditional, one character: 臺北 stays as printed
        ("里", "裏", False),  # … the other way round
    ],
)
def test_an_ideograph_is_taken_where_it_is_another_traditional_character(ocr, tesseract, pp_ocr, taken):
    assert ocr._other_ideograph(tesseract, pp_ocr) is taken


@pytest.mark.parametrize(
    ("tesseract", "pp_ocr", "sure", "taken"),
    [
        ("X", "×", 0.99, True),  # page 52's HF3.1: 保留數) × 100%
        ("#", "*", 1.0, True),  # page 40's FL1.1: 教師*100%
        ("X", "×", 0.8, False),  # not sure enough
        ("K", "k", 0.99, False),  # one letter's other case: 單位：KW
        ("l", "1", 1.0, False),  # a digit: a code's misread is repaired by the report's grammar
        ("8", "3", 1.0, False),
    ],
)
def test_a_mark_is_taken_where_neither_is_a_digit_or_a_letters_other_case(ocr, tesseract, pp_ocr, sure, taken):
    assert ocr._other_mark(tesseract, pp_ocr, sure) is taken
