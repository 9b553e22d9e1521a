"""A recognised (OCR'd) agency cell taken in the spelling the bundled reports print (主責機關, the
closed list), each repair recorded with its score, page and column; near misses left as read."""
from __future__ import annotations

import pytest

from kpi_scorecard.normalize.recognised import _repair_agencies
from kpi_scorecard.normalize.records import Problem


@pytest.mark.parametrize(
    ("read", "kept", "problems"),
    [
        # one character misread of 環保局 (report-110 prints it): 2 of 3 alike (rapidfuzz's ratio, 2·2/6)
        ("環保句", "環保局", [Problem("repair", "ocr_agency (score 67)", "環保句", "環保局", 5, column="agency")]),
        ("環保局", "環保局", []),  # as the reports print it
        ("", "", []),
    ],
)
def test_a_recognised_agency_takes_the_reports_spelling(read, kept, problems):
    found: list[Problem] = []
    rows = _repair_agencies([["關鍵績效指標", "主責機關"], ["AC1.1", read]], 5, found)
    assert (rows, found) == ([["關鍵績效指標", "主責機關"], ["AC1.1", kept]], problems)
