"""A number's leading sign, separators and columns read from their drawing (extract/ocr.py), on
made-up lines (black strokes on white, a "1" 25 px tall after the sign, the sign's bar at the
line's foot) and on crops of scans of other styles' renderings."""
from __future__ import annotations

import base64
from pathlib import Path

import cv2
import numpy as np
import pytest

from kpi_scorecard.extract.ocr import _plus_over_bar, _separator, _times, first_glyph, leading_sign, read_cell, read_number


def signed_line(upper: list[tuple[int, int]]) -> np.ndarray:
    """The upper mark's pixel rows (first and last column of each, from x 4, rows from y 10) over a
    bar 12 px wide and 3 tall (y 27-29, x 4-15), then a digit stroke 4 px wide, y 6-30."""
    img = np.full((40, 60), 255, np.uint8)
    for r, (c0, c1) in enumerate(upper):
        img[10 + r, 4 + c0: 4 + c1 + 1] = 0
    img[27:30, 4:16] = 0
    img[6:31, 36:40] = 0
    return img


def test_a_short_marks_top_band_is_its_first_row():
    """A mark 6 px tall (a quarter of it is under one row): its top band is its first row alone.
    Its ink (lightly smoothed) is x 5-9 in that row and x 10-15 below, so the mark spans x 5-15
    (11 px): the first row's centre is 2/10 = 0.2 of its width (< 0.4), its middle row's (row 2)
    7.5/10 = 0.75 (> 0.6): a ≥. Its digits start past the bar and the mark (x 4 + 12 = 16).
    Read with its two top rows, the top band would span the whole mark (centre 0.5): '?'."""
    line = signed_line([(0, 5)] + [(6, 11)] * 5)
    assert first_glyph(line) == "barred"
    assert leading_sign(line) == ("≥", 16)


def ink_of(*strokes: tuple[int, int, int, int]) -> np.ndarray:
    """A 20 x 20 ink mask (True: ink) with the given strokes (x0, y0, x1, y1; ends excluded)."""
    ink = np.zeros((20, 20), bool)
    for x0, y0, x1, y1 in strokes:
        ink[y0:y1, x0:x1] = True
    return ink


DIGIT = (10, 2, 15, 18)  # a digit's box: x 10-14, ink rows 2-17


@pytest.mark.parametrize(
    ("mark", "read"),
    [
        ((2, 6, 8, 13), "×"),  # rows 6-12: 4 below the digits' top, 5 above their foot (≥ 1, 0.05 × 15, 0.4 × 4)
        ((2, 10, 8, 18), "x"),  # rows 10-17: on the digits' foot (0 above it)
        ((2, 7, 8, 16), "×"),  # rows 7-15: 5 below the top, 2 above the foot: exactly the least (0.4 × 5)
        ((2, 7, 8, 17), "x"),  # rows 7-16: 1 above the foot, less than 0.4 × 5
        ((16, 0, 20, 20), "x"),  # no ink in the mark's columns: x
    ],
)
def test_times_or_x_by_where_its_ink_lies(mark, read):
    """× is centred between the digits' top and foot, x stands on their foot (extract/ocr.py's _times)."""
    assert _times(ink_of(mark, DIGIT), mark, DIGIT) == read


def test_a_plus_a_pixel_over_its_bar_is_plus_minus():
    """Noto Serif CJK's ± at 200 dpi: its + (a stem 2 px wide, a bar across at rows 7-8) ends one
    blank row over the bar, less than the gap a sign's bar stands apart by (2 px of a 25 px line);
    its stem ends over the bar's middle, where a blurred 2's broken-off foot has no stroke."""
    plus = [(5, 6)] * 7 + [(0, 11)] * 2 + [(5, 6)] * 7  # rows 10-25; the bar is at rows 27-29
    line = signed_line(plus)
    assert first_glyph(line) == "barred"
    assert leading_sign(line) == ("±", 16)


# The ± of a rough scan of the report in Noto Serif CJK 9 pt (seed 25's AP5.4, ±10), its + joined
# to its bar by blur: one mark, which Tesseract reads 士 with 97 % confidence.
JOINED = """\
........##........
........##........
.......###........
........##........
........##........
.......####.......
##################
##################
.#################
.......####.......
........##........
........##........
........##........
........##........
........##........
........##........
........##........
##################
##################
##################"""


def test_a_plus_minus_joined_by_blur_is_read_as_drawn():
    mark = np.array([[c == "#" for c in row] for row in JOINED.splitlines()])
    line = np.full((24, 60), 255, np.uint8)
    line[2:22, 2:20][mark] = 0
    line[2:22, 30:34] = 0  # the 1 after it
    assert first_glyph(line) == "barred"
    assert leading_sign(line) == ("±", 20)


def test_shi_is_no_plus_minus():
    """士 (its bar across the top half, a shorter one at its foot) is not taken for a joined ±."""
    shi = np.zeros((20, 18), bool)
    shi[0:17, 8:10] = True
    shi[6:8, :] = True
    shi[17:20, 4:14] = True
    assert not _plus_over_bar(shi)


@pytest.mark.parametrize(
    ("marks", "left", "right", "digit", "foot", "read"),
    [
        # 7.14 in Noto Sans CJK 10 pt (seed 276): its point 5 px tall (0.24 of a digit), 1 px below the foot
        ([(0, 0, 13, 21), (16, 17, 4, 5), (25, 0, 11, 21), (38, 0, 14, 21)], 15, 21, 21.0, 21.0, "."),
        # 89,150 in Noto Sans CJK 10 pt (seed 239): its comma 9 px tall, 4 below
        ([(0, 1, 14, 22), (15, 1, 14, 22), (32, 18, 5, 9), (41, 1, 11, 21), (54, 1, 14, 22), (70, 1, 14, 22)], 31, 38, 22.0, 23.0, ","),
        # AR PL UMing, rough: a mark 4 px tall on the foot of 15 px digits is a comma or a point alike
        ([(0, 0, 9, 15), (11, 11, 3, 4), (16, 0, 9, 15)], 10, 15, 15.0, 15.0, "?"),
    ],
)
def test_points_and_commas_of_other_fonts(marks, left, right, digit, foot, read):
    assert _separator(marks, left, right, digit, foot) == read


# The start of seed 25's BP3.3 target (≥99.65, Noto Serif CJK 9 pt) on its clean scan, as a PNG:
# the line's pixels, its ≥ and the first 9. The > ends one blank row over its bar; taken for a
# digit, Tesseract read it 2 and every reading agreed on 299.65.
GREATER_PNG = (
    "iVBORw0KGgoAAAANSUhEUgAAACoAAAAVCAAAAAAVhCP/AAACzElEQVQoz2VTSWxOURS+97773k8bodVWSwzVhBBUU0NCTQtj"
    "UokFSRFDQlISqxILOxYVw4IFCSKRCDEvTAlRsWqFJg1BDKGq+lP8bbVvuMO5x3ntru7m3uR85zvnO9+53DnX/q18srBWSjb8"
    "UNAx6XHHOHBpWPC58cfqrVWBc2I4VH1s7hy/cHoeE4x4ECmzdffExVd7TWziEIx2zhiwiLZ18/yjtxqq9ndh3A84BNX69/nq"
    "igNvtUYACPsNgrHYsqm2CU3vpTl7ujViM0FTbJSLkmfbJy2/9scoID5l0fUdLz6gEoMdeysuYtx5Im2Pc+MVSFZzoaXu9LKD"
    "79Fplyr83jauWgZuoGRB/Pwn73kxpCTwUWYEL9hx72R/Xe2NyBcesu7OohLH/bxMwdiuDpf7OTQgJGpqxXP5q2q+Pjh1bP3G"
    "qQFqw3SsRktXOuVXLugPBaZQjtY647yMb/yywqQvTJCzMaU92fwipiGBv92idMIQKzAfwPO042/OP5zasLqQknlZ2eMPYb7n"
    "swAzI3VZuTQQGPC5x7iwfx5eyS65PZdGgBKxcM3r2zPqUOTavowaERStIM/Aer7SgWi9+Kh057qJGjMAwgMmu5ouv180V2Rb"
    "Xq47UkHG6kBKVMzcOZdde6eS0zSsom1IVY7fMPPFp44ZW0Y1l0yWQjIVGhc175u24EwWEuVicgrdoAv0QHJt4Hld5U2doGWJ"
    "gidrptc/i9J4FFLQDvqHg0dF1p0t2tVh0CgGJn5zvy1CSBKwlojRJOSqpURnYoXhgxVLnwJgEjIiUwlxpbLRDBalIae8zmpl"
    "4d222dfjcKAPkEO6wHRxQbp9EigFcsE9jiSNsabD5tBKFMyLHJmhG/9badaAcURS2htr6l9hHGpFUslS7AkLhyG9DKeF6L5y"
    "d9bmeZI+BzUVtHPqnnnghmE1z1Mge1gxMI9qKhyR5P4BGCrprsOLBPcAAAAASUVORK5CYII="
)


def test_a_greater_or_equal_a_pixel_over_its_bar_is_read_as_drawn():
    line = cv2.imdecode(np.frombuffer(base64.b64decode(GREATER_PNG), np.uint8), cv2.IMREAD_GRAYSCALE)
    assert first_glyph(line) == "barred"
    assert leading_sign(line) == ("≥", 23)


def test_an_ideograph_beside_a_number_is_no_digit():
    """Seed 239's CP3.2 target, 300 萬 (Noto Sans CJK 10 pt), on its rough scan: every reading of
    the line's ink gave 3008, 萬 taken for an 8. Its column of ink is 24 px wide, digits 13–15 (22
    tall): a column wider than a digit holds two digits at least, so 3008 is no vote, and the
    number is read from its own ink beside its unit."""
    line = cv2.imread(str(Path(__file__).parent / "samples" / "ocr-ideograph-beside-a-number-read-as-a-digit.png"), cv2.IMREAD_GRAYSCALE)
    assert read_number(line) is None
    assert read_cell(line, True)[0] == "300 萬"
