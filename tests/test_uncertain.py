"""A recognised cell's value and how sure OCR was of it (normalize/recognised.py's uncertain): a
number read with less than MIN_CONFIDENCE (80) is left unread, its raw text kept, with a warning;
a text layer's value (no confidence) and an empty cell are left as they are."""
from __future__ import annotations

import pytest

from kpi_scorecard.normalize.recognised import uncertain
from kpi_scorecard.normalize.records import Problem, Value

BOX = (10.0, 20.0, 60.0, 32.0)


@pytest.mark.parametrize(
    ("value", "score", "expected"),
    [
        (Value(""), 95.0, (Value(""), None)),  # nothing printed: nothing to be unsure of, no box kept
        (Value(""), 10.0, (Value(""), None)),
        (Value("12.5", 12.5, kind="number"), None, (Value("12.5", 12.5, kind="number"), None)),  # a text layer's
        (Value("12.5", 12.5, kind="number"), 80.0, (Value("12.5", 12.5, kind="number", confidence=80.0, box=BOX), None)),
        (Value("12.5", 12.5, kind="number"), 79.0,
         (Value("12.5", None, None, "OCR confidence 79", "unparsed", 79.0, BOX), Problem("warning", "ocr_low_confidence", "12.5", None))),
        (Value("待評估", kind="none"), 30.0, (Value("待評估", kind="none", confidence=30.0, box=BOX), None)),  # no number to doubt
    ],
)
def test_a_recognised_value_and_its_confidence(value, score, expected):
    assert uncertain(value, score, BOX) == expected
