"""A group's children placed on the slide (extract/pptx.py's _group_place): the group draws its
children's space (chOff, chExt) onto its own box (off, ext). Positions are (y, x) in EMU; each
expected place is worked out by hand."""
from __future__ import annotations

import pytest
from lxml import etree

from kpi_scorecard.extract.pptx import _group_place

P = "http://schemas.openxmlformats.org/presentationml/2006/main"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"


def group(off=("50", "100"), ext=("400", "200"), ch_off=("20", "10"), ch_ext=("200", "100")) -> etree._Element:
    """A p:grpSp whose a:xfrm gives each box as (x, y) or (cx, cy)."""
    xml = (f'<p:grpSp xmlns:p="{P}" xmlns:a="{A}"><p:grpSpPr><a:xfrm>'
           f'<a:off x="{off[0]}" y="{off[1]}"/><a:ext cx="{ext[0]}" cy="{ext[1]}"/>'
           f'<a:chOff x="{ch_off[0]}" y="{ch_off[1]}"/><a:chExt cx="{ch_ext[0]}" cy="{ch_ext[1]}"/>'
           f'</a:xfrm></p:grpSpPr></p:grpSp>')
    return etree.fromstring(xml)


def outer(y: float, x: float) -> tuple[float, float]:
    return y + 1000, x + 2000  # the slide's own placing of the group: moved


@pytest.mark.parametrize(
    ("element", "child", "placed"),
    [
        # twice as large: (100 + (60 - 10) * 2, 50 + (70 - 20) * 2), then moved by the outer place
        (group(), (60, 70), (1200, 2150)),
        (group(), (10, 20), (1100, 2050)),  # the children's origin at the group's corner
        (group(ext=("100", "300")), (60, 70), (100 + 50 * 3 + 1000, 50 + 50 * 0.5 + 2000)),  # each axis its own scale
        (group(ch_ext=("0", "0")), (60, 70), (100 + 50 + 1000, 50 + 50 + 2000)),  # no children's extent: no scale
        (group(ext=("x", "200")), (60, 70), (1060, 2070)),  # unreadable: placed as the outer group places them
    ],
)
def test_group_place(element, child, placed):
    assert _group_place(element, outer)(*child) == pytest.approx(placed)


def test_group_without_a_frame_places_as_the_outer_group():
    bare = etree.fromstring(f'<p:grpSp xmlns:p="{P}"><p:grpSpPr/></p:grpSp>')
    assert _group_place(bare, outer) is outer
