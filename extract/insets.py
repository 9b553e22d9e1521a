"""Edges that draw no border of their own: a box drawn just inside a longer edge (LibreOffice fills
a cell, then the paragraph inset in it, in the same colour; a border drawn twice, inset), and a
band shaded across a whole row where the rules on its line stop at a merged cell.

pdfplumber snaps edges within its snap tolerance together, to their mean, over the whole page: the
inset boxes' sides chain the borders of neighbouring tables into one cluster and move a column's
border into its text (a number's first digit read into the cell beside it), and their tops and
bottoms cut a heading row into thin rows. Dropping an edge that a longer one beside it covers
changes no cell the longer one makes.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from itertools import pairwise
from operator import itemgetter
from statistics import median

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


FLOW = 0.55  # lines of a cell's text this close (in font sizes) across an edge may run on through it
PITCH = 1.0  # and as far apart as the lines next to them, to this many points: a border has the
# cells' padding on each side of it besides (Chromium's 2 pt each: 0.4 of a 10 pt font)


def through_merged(edges: list[dict], chars: list[dict], x_middles: list[float] | None = None) -> list[dict]:
    """The edges, a horizontal one cut back where the shorter edges on its line (rules drawn cell by
    cell) leave a gap between two of them whose text runs on across it: a zebra band drawn across a
    whole row ends no merged cell beside it (LibreOffice, a grid with bands: its rules stop at the
    merged cell on either side). x_middles: the chars' x middles, where the caller has them."""
    lines = sorted((e for e in edges if e["orientation"] == "h"), key=lambda e: e["top"])
    positions = [e["top"] for e in lines]
    kept = [e for e in edges if e["orientation"] != "h"]
    by_start: dict[tuple[int, int], tuple[list[dict], list[float]]] = {}  # the edges near a height, by x0: most edges of a line share them
    for e in lines:
        span = bisect_left(positions, e["top"] - SLACK), bisect_right(positions, e["top"] + SLACK)
        if span not in by_start:
            near = sorted(lines[span[0]:span[1]], key=itemgetter("x0"))
            by_start[span] = near, [f["x0"] for f in near]
        near, starts = by_start[span]
        # only an edge starting from e's start (less the slack) to its end (less a part's least length) can be a part
        candidates = near[bisect_left(starts, e["x0"] - SLACK): bisect_right(starts, e["x1"] + SLACK - SNAP)]
        parts = sorted((f["x0"], f["x1"]) for f in candidates if f is not e and SNAP < f["x1"] - f["x0"] < e["x1"] - e["x0"] - SLACK
                       and f["x0"] >= e["x0"] - SLACK and f["x1"] <= e["x1"] + SLACK)
        gaps, covered = [], None
        for a, b in parts:
            if covered is not None and a - covered > SNAP:
                gaps.append((covered, a))
            covered = b if covered is None else max(covered, b)
        if gaps and x_middles is None:
            x_middles = [(c["x0"] + c["x1"]) / 2 for c in chars]
        cut = [gap for gap in gaps if _flows(chars, x_middles or [], gap, e["top"])]
        if not cut:
            kept.append(e)
            continue
        start = e["x0"]
        for a, b in [*cut, (e["x1"], e["x1"])]:
            if a > start:
                kept.append({**e, "x0": start, "x1": a, "width": a - start})
            start = b
    return kept


def _flows(chars: list[dict], x_middles: list[float], gap: tuple[float, float], y: float) -> bool:
    """Whether text within the gap runs on across height y: the lines just above and below it as
    far apart as the two lines above them and the two below (one paragraph's pitch), and closer
    than FLOW font sizes."""
    inside = [c for x, c in zip(x_middles, chars, strict=True) if gap[0] <= x <= gap[1] and not c["text"].isspace()]
    bottoms: dict[float, float] = {}  # each line's top → its bottom
    for c in inside:
        top = round(c["top"], 1)
        bottoms[top] = max(bottoms.get(top, c["bottom"]), c["bottom"])
    tops = sorted(bottoms)
    spaces = [lower - bottoms[upper] for upper, lower in pairwise(tops)]
    at = next((n for n, (upper, lower) in enumerate(pairwise(tops)) if upper < y < lower), None)
    if at is None or at == 0 or at + 1 == len(spaces):  # no line pair above or below it to give the pitch
        return False
    size = median(c["bottom"] - c["top"] for c in inside)
    return spaces[at] < FLOW * size and all(abs(spaces[at] - spaces[n]) <= PITCH for n in (at - 1, at + 1))
