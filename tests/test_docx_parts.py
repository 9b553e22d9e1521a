"""A Word table's grid counts (extract/docx.py's _int_value: w:gridSpan, w:gridBefore): the
number its w:val gives; the default where the element, its w:val or a number in it is missing."""
from __future__ import annotations

import pytest
from lxml import etree

from kpi_scorecard.extract.docx import _int_value

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = f"{{{W}}}"


@pytest.mark.parametrize(
    ("xml", "value"),
    [
        (f'<w:gridSpan xmlns:w="{W}" w:val="3"/>', 3),
        (f'<w:gridSpan xmlns:w="{W}"/>', 1),  # no w:val: the default
        (f'<w:gridSpan xmlns:w="{W}" w:val="two"/>', 1),  # not a number: the default
        (f'<w:gridSpan xmlns:w="{W}" val="3"/>', 1),  # val outside the namespace is not w:val
        (None, 1),  # no element
    ],
)
def test_a_grid_count_or_its_default(xml, value):
    assert _int_value(etree.fromstring(xml) if xml else None, NS, 1) == value
