"""extract/page.py's table finder steps against pdfplumber's own (`edges_to_intersections`,
`intersections_to_cells`, `TableFinder.get_edges`), whose points, cells and edges they claim to
give: hand-made edges, with vertical edges that meet a horizontal one exactly at the tolerance's
ends (pdfplumber's tests are `<=` / `>=`, both ends inclusive), and ones a hair beyond that must
not meet; rules snapped to their mean and joined."""
from __future__ import annotations

import pytest
from pdfplumber.table import TableFinder, TableSettings, edges_to_intersections, intersections_to_cells

from kpi_scorecard.extract.page import PageContent, _cells, _intersections, _ruling_edges

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


def _pdfplumber_edges(page: PageContent, settings: TableSettings) -> list[dict]:
    finder = TableFinder.__new__(TableFinder)  # its get_edges alone, on the same page and settings
    finder.page, finder.settings = page, settings  # type: ignore[assignment]
    return finder.get_edges()


def test_ruling_edges_are_pdfplumber_s():
    # two rules 2 pt apart that overlap along x: snapped to their mean (y 51) and joined into one;
    # two vertical rules 1 pt apart, 2 pt apart along y: snapped to x 100.5 and joined (height grown
    # by the difference); three rules at y 0.1 whose mean is not 0.1 in binary (0.30000000000000004 / 3)
    edges = [h(100, 200, 50), h(198, 300, 52), v(100, 40, 60), v(101, 62, 80),
             h(400, 450, 0.1), h(460, 500, 0.1), h(510, 560, 0.1), h(10, 10.5, 300)]
    closing = {"object_type": "line", "x0": 100.0, "x1": 300.0, "top": 90.0, "bottom": 90.0, "width": 200.0, "height": 0}
    page = PageContent(1, 600.0, 800.0, [], edges)
    settings = TableSettings.resolve({"vertical_strategy": "lines", "horizontal_strategy": "lines", "explicit_horizontal_lines": [closing]})
    ours = _ruling_edges(page, settings)
    assert [(e["orientation"], e["x0"], e["x1"], e["top"], e["bottom"]) for e in ours] == [
        ("h", 400, 450, 0.10000000000000002, 0.10000000000000002), ("h", 460, 500, 0.10000000000000002, 0.10000000000000002),
        ("h", 510, 560, 0.10000000000000002, 0.10000000000000002), ("h", 100, 300, 51, 51), ("h", 100, 300, 90, 90),
        ("v", 100.5, 100.5, 40, 80)]
    assert ours[-1]["height"] == 40 and ours[3]["width"] == 200
    assert ours == _pdfplumber_edges(page, settings)  # the half-point rule is left out by both
