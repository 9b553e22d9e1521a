"""The order documents are linked in (warehouse/links.py, README): by year, a briefing deck before
that year's report, whatever the files are called."""
from __future__ import annotations

import duckdb

from kpi_scorecard.warehouse.links import _document_orders


def test_a_deck_is_linked_before_its_years_report_whatever_their_names():
    with duckdb.connect() as con:
        con.execute("CREATE TABLE documents (document_id VARCHAR, roc_year INTEGER, kind VARCHAR)")
        con.execute("INSERT INTO documents VALUES ('a-report-110.pdf', 110, 'annual_report'), ('z-deck-110.pdf', 110, 'briefing_deck'),"
                    " ('b-report-109.pdf', 109, 'annual_report'), ('y-deck-111.pdf', 111, 'briefing_deck')")
        orders = _document_orders(con)
    assert sorted(orders, key=orders.__getitem__) == ["b-report-109.pdf", "z-deck-110.pdf", "a-report-110.pdf", "y-deck-111.pdf"]
