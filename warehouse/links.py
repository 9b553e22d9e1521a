"""Keep kpi_links and the identities they were made from (kpi_identities) current as documents load.

Links are what linking every document oldest first gives (warehouse/identity.py); identities are
the state after the last document. A document newer than every other is linked against the stored
identities: one document's work, however many the warehouse holds. A document loaded again, or
older than some already loaded, is linked together with the documents after it, against the
identities as the documents before it left them. Everything is linked again when the overrides or
the linking rules change (their fingerprint is kept in link_state) or when asked (link_all).
"""
from __future__ import annotations

from collections.abc import Iterable
import duckdb

from warehouse.identity import (
    Identity, KpiRef, Link, Override, document_order, identity_from_row, identity_rows, link_documents, links_fingerprint,
)
from warehouse.rows import Row, insert_rows, select_rows


def link_loaded_document(
    con: duckdb.DuckDBPyConnection, rows: dict[str, list[Row]], overrides: Iterable[Override],
) -> None:
    """Link the document whose warehouse rows are `rows`, just inserted, keeping every link as a
    relink of all documents would make it."""
    overrides = list(overrides)
    if _fingerprint(con) != links_fingerprint(overrides):
        link_all(con, overrides)
        return
    order = _order(rows)
    identities, appended = _identities_before(con, rows, overrides)
    if not appended:
        _relink_from(con, order, overrides, identities)
        return
    links, after = link_documents(kpi_refs(rows), overrides, identities)
    _insert(con, "kpi_links", [vars(link) for link in links])
    changed = sorted({link.kpi_id for link in links})
    con.execute("DELETE FROM kpi_identities WHERE kpi_id IN (SELECT unnest(?::VARCHAR[]))", [changed])
    _insert(con, "kpi_identities", identity_rows({k: after[k] for k in changed}))


def link_all(con: duckdb.DuckDBPyConnection, overrides: Iterable[Override] = ()) -> None:
    """Link every document's KPIs again, oldest first."""
    _relink_from(con, (), list(overrides), {})


def preview(con: duckdb.DuckDBPyConnection, rows: dict[str, list[Row]], overrides: Iterable[Override]) -> list[Link]:
    """The links the document of `rows` gets when it is loaded (nothing is written)."""
    overrides = list(overrides)
    return link_documents(kpi_refs(rows), overrides, _identities_before(con, rows, overrides)[0])[0]


def _order(rows: dict[str, list[Row]]) -> tuple:
    document = rows["documents"][0]
    return document_order(document["roc_year"], document["kind"], document["document_id"])


def _identities_before(con: duckdb.DuckDBPyConnection, rows: dict[str, list[Row]], overrides: list[Override]) -> tuple[dict[str, Identity], bool]:
    """The identities as the documents before that of `rows` left them, and whether they are the
    stored ones (the document is newer than every other, and not in them yet)."""
    document_id, order = rows["documents"][0]["document_id"], _order(rows)
    others = {d: o for d, o in _document_orders(con).items() if d != document_id}
    if (all(o < order for o in others.values()) and _fingerprint(con) == links_fingerprint(overrides)
            and not con.execute("SELECT count(*) FROM kpi_identities WHERE document_id = ?", [document_id]).fetchone()[0]):
        return {i.kpi_id: i for i in map(identity_from_row, select_rows(con, "SELECT * FROM kpi_identities"))}, True
    return _identities_of(con, [d for d, o in others.items() if o < order], overrides), False


def _relink_from(con: duckdb.DuckDBPyConnection, order: tuple, overrides: list[Override], identities: dict[str, Identity]) -> None:
    """Link the documents from `order` on again, after those that left `identities`."""
    later = [d for d, o in _document_orders(con).items() if o >= order]
    links, identities = link_documents(kpi_refs(_document_rows(con, later)), overrides, identities)
    con.execute("DELETE FROM kpi_links WHERE document_id IN (SELECT unnest(?::VARCHAR[]))", [later])
    _insert(con, "kpi_links", [vars(link) for link in links])
    con.execute("DELETE FROM kpi_identities")
    _insert(con, "kpi_identities", identity_rows(identities))
    con.execute("DELETE FROM link_state")
    con.execute("INSERT INTO link_state VALUES (?)", [links_fingerprint(overrides)])


def _identities_of(con: duckdb.DuckDBPyConnection, documents: list[str], overrides: list[Override]) -> dict[str, Identity]:
    """The identities as `documents` (the earliest ones) left them, from their stored links; all
    of them linked again instead when those links were made under other rules or overrides."""
    if not documents:
        return {}
    refs = kpi_refs(_document_rows(con, documents))
    if _fingerprint(con) != links_fingerprint(overrides):
        return link_documents(refs, overrides)[1]
    kpi_ids = dict(((d, c), k) for d, c, k in con.execute(
        "SELECT document_id, kpi_code, kpi_id FROM kpi_links WHERE document_id IN (SELECT unnest(?::VARCHAR[]))", [documents]).fetchall())
    identities: dict[str, Identity] = {}
    for ref in sorted(refs, key=lambda r: (r.order, r.kpi_code)):  # as link_documents adds them
        kpi_id = kpi_ids[(ref.document_id, ref.kpi_code)]
        old = identities.get(kpi_id)
        identities[kpi_id] = old.joined_by(ref) if old else Identity(kpi_id, ref, (ref.kpi_name,), tuple(filter(None, [ref.formula])))
    return identities


def kpi_refs(rows: dict[str, list[Row]]) -> list[KpiRef]:
    """What linking knows of each KPI in rows (per table, as load writes them): name, code,
    theme, objective, and the formula, unit, agency and plans of its first measure."""
    documents = {d["document_id"]: d for d in rows["documents"]}
    themes = {(o["document_id"], o["objective_code"]): o["theme_code"] for o in rows["objectives"]}
    first: dict[tuple, Row] = {}
    for m in sorted(rows["measures"], key=lambda m: (m["measure_no"], m["roc_year"] != documents[m["document_id"]]["roc_year"], m["roc_year"])):
        first.setdefault((m["document_id"], m["kpi_code"]), m)
    plans: dict[tuple, list[str]] = {}
    for p in sorted(rows["action_plans"], key=lambda p: p["plan_no"]):
        plans.setdefault((p["document_id"], p["kpi_code"], p["measure_no"]), []).append(p["plan_name"] or "")
    refs = []
    for k in rows["kpis"]:
        d, m = documents[k["document_id"]], first.get((k["document_id"], k["kpi_code"]), {})
        refs.append(KpiRef(
            d["document_id"], d["roc_year"], d["kind"], k["kpi_code"], k["kpi_name"] or "",
            themes.get((k["document_id"], k["objective_code"])), k["objective_code"], m.get("formula") or "",
            m.get("unit"), m.get("agency") or "", "\n".join(plans.get((k["document_id"], k["kpi_code"], m.get("measure_no")), [])),
        ))
    return refs


def _document_rows(con: duckdb.DuckDBPyConnection, documents: list[str]) -> dict[str, list[Row]]:
    return {table: select_rows(con, f"SELECT * FROM {table} WHERE document_id IN (SELECT unnest(?::VARCHAR[]))", [documents])
            for table in ("documents", "objectives", "kpis", "measures", "action_plans")}


def _document_orders(con: duckdb.DuckDBPyConnection) -> dict[str, tuple]:
    return {d: document_order(y, k, d) for d, y, k in con.execute("SELECT document_id, roc_year, kind FROM documents").fetchall()}


def _fingerprint(con: duckdb.DuckDBPyConnection) -> str | None:
    row = con.execute("SELECT max(fingerprint) FROM link_state").fetchone()
    return row[0] if row else None


def _insert(con: duckdb.DuckDBPyConnection, table: str, rows: list[Row]) -> None:
    insert_rows(con, table, tuple(rows[0]) if rows else (), rows)
