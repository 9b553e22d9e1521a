"""A number's leading sign read from its drawing (extract/ocr.py's leading_sign), on made-up lines:
black strokes on white, a "1" 25 px tall after the sign, the sign's bar at the line's foot."""
from __future__ import annotations

import numpy as np

from kpi_scorecard.extract.ocr import first_glyph, leading_sign


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
