"""A number's leading sign read from its drawing (extract/ocr.py's leading_sign), on made-up lines:
black strokes on white, a "1" 25 px tall after the sign, the sign's bar at the line's foot."""
from __future__ import annotations

import numpy as np
import pytest

from kpi_scorecard.extract.ocr import _times, first_glyph, leading_sign


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
