"""The edges that cut through a ruled table's header (extract/unruled.py's header_cuts): a box
filled around one header name draws edges through the header's line of text; those edges do not
make the header two rows. Made-up chars are 10 pt squares; the table's box is x 0-400, y 95-300."""
from __future__ import annotations

from kpi_scorecard.extract.page import PageContent
from kpi_scorecard.extract.settings import UnruledSettings
from kpi_scorecard.extract.unruled import header_cuts

TABLE = (0, 95, 400, 300)


def chars(text: str, x0: float, top: float) -> list[dict]:
    return [{"text": t, "x0": x0 + 10 * i, "x1": x0 + 10 * i + 10, "top": top, "bottom": top + 10, "size": 10.0,
             "upright": True, "doctop": top, "width": 10, "height": 10, "object_type": "char"} for i, t in enumerate(text)]


def edge(x0: float, x1: float, y: float) -> dict:
    return {"orientation": "h", "x0": x0, "x1": x1, "top": y, "bottom": y, "width": x1 - x0, "height": 0, "object_type": "line"}


HEADER = (chars("關鍵績效指標", 10, 100) + chars("公式", 80, 100) + chars("行動計畫", 120, 100) + chars("主責機關", 180, 100)
          + chars("目標值", 240, 100) + chars("實際值", 290, 100))  # y 100-110: six of the header words
BODY = chars("AC1.1", 10, 140)  # y 140-150


def test_an_edge_through_the_headers_line_cuts_it_one_between_rows_or_through_a_body_row_does_not():
    through, between, body_row = edge(235, 275, 105), edge(0, 400, 125), edge(0, 400, 145)
    page = PageContent(1, 400, 400, HEADER + BODY, [through, between, body_row])
    assert header_cuts(page, TABLE, UnruledSettings()) == [through]


def test_a_header_no_edge_runs_through_is_not_looked_up():
    page = PageContent(1, 400, 400, HEADER + BODY, [edge(0, 400, 125), edge(0, 400, 135)])
    assert header_cuts(page, TABLE, UnruledSettings()) == []
