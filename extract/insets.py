"""Edges that draw no border of their own: a box drawn just inside a longer edge (LibreOffice fills
a cell, then the paragraph inset in it, in the same colour; a border drawn twice, inset).

pdfplumber snaps edges within its snap tolerance together, to their mean, over the whole page: the
inset boxes' sides chain the borders of neighbouring tables into one cluster and move a column's
border into its text (a number's first digit read into the cell beside it), and their tops and
bottoms cut a heading row into thin rows. Dropping an edge that a longer one beside it covers
changes no cell the longer one makes.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right

SNAP = 3.0  # pdfplumber's snap tolerance: edges closer than this are one border to it
SLACK = 0.5  # an edge's end this far beyond the covering edge's still counts as covered; an edge
# this close to it lies on its line
EPSILON = 1e-6  # below any rounding of a difference of two coordinates: edges nearer than SLACK - EPSILON are on one line


def uncovered(edges: list[dict]) -> list[dict]:
    """The edges, those a longer parallel edge beside them (within SNAP) covers end to end left out."""
    kept = [e for e in edges if e["orientation"] not in ("h", "v")]
    for orientation, at, start, end in (("h", "top", "x0", "x1"), ("v", "x0", "top", "bottom")):
        lines = sorted((e for e in edges if e["orientation"] == orientation), key=lambda e: e[at])
        positions = [e[at] for e in lines]
        for e in lines:
            length, y = e[end] - e[start], e[at]
            # those beside it (a segment on the longer edge's own line is kept: where it ends may be a
            # column's side), the edges on its line (a column's cells' sides) not looked at one by one
            near = [*lines[bisect_left(positions, y - SNAP): bisect_left(positions, y - SLACK + EPSILON)],
                    *lines[bisect_right(positions, y + SLACK - EPSILON): bisect_right(positions, y + SNAP)]]
            if not any(f[end] - f[start] > length + SLACK and f[start] <= e[start] + SLACK and f[end] >= e[end] - SLACK
                       and abs(f[at] - y) > SLACK for f in near):
                kept.append(e)
    return kept
