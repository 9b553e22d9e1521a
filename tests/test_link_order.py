"""The order documents are linked in (warehouse/links.py, README): by year, a briefing deck before
that year's report, whatever the files are called; and the link changes a relink shows
(warehouse/overrides.py)."""
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


def test_link_changes_list_the_links_moved_or_new_not_those_kept():
    """(described_links before, after): a KPI linked for the first time is listed with no link
    before; one whose link stayed is not listed; one gone after is not listed either."""
    from kpi_scorecard.warehouse.overrides import LinkChange, link_changes

    before = {("r-110.pdf", "AC1.1"): ("市民滿意度", "AC1.1 (matched, score 98)"),
              ("r-110.pdf", "AC1.3"): ("參與率", "AC1.3 (matched, score 91)"),
              ("r-110.pdf", "AC1.4"): ("使用量", "AC1.4 (new)")}
    after = {("r-110.pdf", "AC1.1"): ("市民滿意度", "AC1.1 (matched, score 98)"),
             ("r-110.pdf", "AC1.3"): ("參與率", "AC1.3#2 (split)"),
             ("d-110.pdf", "AC1.2"): ("開放資料", "AC1.2 (new)")}
    assert link_changes(before, after) == [
        LinkChange("d-110.pdf", "AC1.2", "開放資料", None, "AC1.2 (new)"),
        LinkChange("r-110.pdf", "AC1.3", "參與率", "AC1.3 (matched, score 91)", "AC1.3#2 (split)"),
    ]


def test_a_link_change_reads_as_one_line():
    from kpi_scorecard.warehouse.overrides import LinkChange

    assert str(LinkChange("r-110.pdf", "AC1.3", "參與率", None, "AC1.3 (new)")) == "r-110.pdf AC1.3 參與率: - → AC1.3 (new)"
    assert str(LinkChange("r-110.pdf", "AC1.3", None, "AC1.3 (matched, score 91)", None)) == "r-110.pdf AC1.3 : AC1.3 (matched, score 91) → -"
