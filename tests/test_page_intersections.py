"""extract/page.py's table finder steps against pdfplumber's own (`edges_to_intersections`,
`intersections_to_cells`), whose points and cells they claim to give: hand-made edges, with
vertical edges that meet a horizontal one exactly at the tolerance's ends (pdfplumber's tests are
`<=` / `>=`, both ends inclusive), and ones a hair beyond that must not meet."""
from __future__ import annotations

import pytest
from pdfplumber.table import edges_to_intersections, intersections_to_cells

from kpi_scorecard.extract.page import _cells, _intersections

TOL = 3.0


def h(x0: float, x1: float, top: float) -> dict:
    return {"orientation": "h", "x0": x0, "x1": x1, "top": top, "bottom": top, "width": x1 - x0, "height": 0}


def v(x: float, top: float, bottom: float) -> dict:
    return {"orientation": "v", "x0": x, "x1": x, "top": top, "bottom": bottom, "width": 0, "height": bottom - top}


# a 2 × 2 grid from x 100-300, y 100-200, and vertical edges placed at its tolerance's edges
GRID = [h(100, 300, 100), h(100, 300, 150), h(100, 300, 200),
        v(100, 100, 200), v(200, 100, 200), v(300, 100, 200)]
CASES = {
    "the grid": (GRID, {(100, 100), (200, 100), (300, 100), (100, 150), (200, 150), (300, 150),
                        (100, 200), (200, 200), (300, 200)}),
    # x exactly h.x1 + tol and exactly h.x0 - tol: both meet the rule at y 50
    "x at both ends of the tolerance": ([h(100, 300, 50), v(303, 40, 60), v(97, 40, 60)], {(303, 50), (97, 50)}),
    "x a hair beyond": ([h(100, 300, 50), v(303.01, 40, 60), v(96.99, 40, 60)], set()),
    # a vertical edge ending exactly tol above the rule, or starting exactly tol below it, meets it
    "top and bottom at the tolerance": ([h(100, 300, 50), v(150, 53, 80), v(250, 20, 47)], {(150, 50), (250, 50)}),
    "top and bottom a hair beyond": ([h(100, 300, 50), v(150, 53.01, 80), v(250, 20, 46.99)], set()),
}


@pytest.mark.parametrize("case", CASES)
def test_intersections_are_pdfplumber_s(case):
    edges, points = CASES[case]
    ours = _intersections(edges, TOL, TOL)
    assert set(ours) == points
    theirs = edges_to_intersections(edges, TOL, TOL)
    assert {p: (found["v"], found["h"]) for p, found in ours.items()} == {
        p: (found["v"], found["h"]) for p, found in theirs.items()}


def test_cells_of_the_grid_are_its_four():
    cells = _cells(_intersections(GRID, TOL, TOL))
    assert sorted(cells) == [(100, 100, 200, 150), (100, 150, 200, 200), (200, 100, 300, 150), (200, 150, 300, 200)]
    assert sorted(cells) == sorted(intersections_to_cells(edges_to_intersections(GRID, TOL, TOL)))
