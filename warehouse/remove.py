"""Take a document out of the warehouse (one loaded by mistake): its rows go, the documents linked
after it are linked again without it, and its link overrides are kept or dropped as asked; all in
one transaction."""
from __future__ import annotations

from dataclasses import dataclass

import duckdb

from kpi_scorecard.warehouse.errors import WarehouseError
from kpi_scorecard.warehouse.identity import Override, document_order
from kpi_scorecard.warehouse.links import relink_after
from kpi_scorecard.warehouse.load import delete_document, document_id
from kpi_scorecard.warehouse.overrides import LinkChange, described_links, link_changes, stored_overrides


class UnknownDocument(WarehouseError):
    """The warehouse lists no document of that name."""


@dataclass(frozen=True)
class Removed:
    """What taking a document out did."""

    document_id: str
    rows: int  # rows deleted from its tables (its links included)
    overrides: list[Override]  # its link overrides
    overrides_dropped: bool  # False: kept, to apply if it is loaded again
    moved: list[LinkChange]  # other documents' links that changed


def remove_document(con: duckdb.DuckDBPyConnection, document: str, drop_overrides: bool = False) -> Removed:
    """Delete the document's rows and relink the documents after it, in one transaction; its link
    overrides are deleted too when drop_overrides. Raises UnknownDocument for one not loaded."""
    doc = document_id(document)
    con.begin()
    try:
        listed = con.execute("SELECT roc_year, kind FROM documents WHERE document_id = ?", [doc]).fetchone()
        if listed is None:
            raise UnknownDocument(f"the warehouse has no document {doc}")
        overrides = [o for o in stored_overrides(con) if o.document == doc]
        before = described_links(con)
        rows = delete_document(con, doc)
        if drop_overrides:
            con.execute("DELETE FROM link_overrides WHERE document_id = ?", [doc])
        year, kind = listed
        relink_after(con, document_order(year, kind, doc), stored_overrides(con))
        moved = link_changes(before, described_links(con))
        con.commit()
    except BaseException:
        con.rollback()
        raise
    return Removed(doc, rows, overrides, drop_overrides and bool(overrides), moved)
