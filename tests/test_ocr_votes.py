"""How the readings of a value cell vote for its number (extract/ocr.py's _agreed), on made-up
readings: (text, Tesseract's confidence). AGREE (3) readings must give one number, three times as
many as give any other; a reading without digits or below SURE (60) confidence is no vote; a sign
one reading saw is never outvoted; the answer is the first agreeing reading, with the least
confidence of the readings that give its number."""
from __future__ import annotations

import pytest

from kpi_scorecard.extract.ocr import _agreed, _skeleton


@pytest.mark.parametrize(
    ("readings", "agreed"),
    [
        ([("12.5", 90), ("12.5", 80), ("12.5 ", 70)], ("12.5", 70)),
        ([("12.5", 90), ("12.5", 80)], None),  # two readings are not enough
        ([("12.5", 90), ("12.5", 80), ("12.5", 59)], None),  # the third is unsure: no vote
        ([("12.5", 90), ("12.5", 80), ("12.5", 60)], ("12.5", 60)),  # exactly SURE votes
        ([("約12.5%", 90), ("12.5%", 80), ("12.5% ", 85)], ("約12.5%", 80)),  # the number's characters vote, the first reading answers
        ([("7", 90), ("7", 91), ("7", 92), ("1", 95)], ("7", 90)),  # three against one: three times as many
        ([("7", 90), ("7", 91), ("7", 92), ("1", 95), ("2", 95)], None),  # three against two
        ([("7", 90), ("7", 91), ("7", 92), ("7", 93), ("1", 95)], ("7", 90)),
        ([("-5", 90), ("-5", 91), ("-5", 92)], ("-5", 90)),
        ([("-5", 90), ("-5", 91), ("-5", 92), ("5", 70)], None),  # one reading saw no sign
        ([("Zoo", 99), ("DIED", 99), ("3", 90), ("3", 91), ("3", 92)], ("3", 90)),  # no digits: no vote
        ([("3", 90), ("3", 91), ("3", 92), ("3 ", 10)], ("3", 10)),  # an unsure reading of it lowers the confidence
        ([], None),
    ],
)
def test_agreed(readings, agreed):
    assert _agreed(readings) == agreed


@pytest.mark.parametrize(
    ("text", "skeleton"),
    [("≥ 1,234.5 %", "1,234.5%"), ("<3", "<3"), ("±0.5", "±0.5"), ("約 12 人", "12"), ("-3=x+2>", "-3=+2>"), ("abc", "")],
)
def test_skeleton(text, skeleton):
    assert _skeleton(text) == skeleton
