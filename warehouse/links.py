"""Keep kpi_links and the identities they were made from (kpi_identities) current as documents load.

Links are what linking every document oldest first gives (warehouse/identity.py); kpi_identities
is the state the last document left. A document newer than every other is linked against the
stored identities alone: one document's work, however many documents the warehouse holds. A
document loaded again, or older than some already loaded, is linked with the documents after it,
against the identities as the documents before it left them (read from their links, in SQL).
Everything is linked again when the overrides or the linking rules change (their fingerprint is
kept in link_state), or when asked (link_all).
"""
from __future__ import annotations

from collections.abc import Iterable

import duckdb

from kpi_scorecard.warehouse.identity import KpiRef, Override, document_order, identity_from_row, identity_rows, link_documents, links_fingerprint
from kpi_scorecard.warehouse.rows import Row, insert_rows, one_row, select_rows

# What linking knows of each KPI of the documents in `docs`: name, code, theme, objective, and the
# formula, unit, agency and plans of its first measure (the document's own year first).
REFS = """
docs AS (SELECT * FROM documents WHERE document_id IN (SELECT unnest(?::VARCHAR[]))),
first_measure AS (
    SELECT DISTINCT ON (m.document_id, m.kpi_code) m.document_id, m.kpi_code, m.measure_no, m.formula, m.unit, m.agency
    FROM measures AS m JOIN docs AS d USING (document_id)
    ORDER BY m.document_id, m.kpi_code, m.measure_no, m.roc_year <> d.roc_year, m.roc_year
),
plans AS (
    SELECT p.document_id, p.kpi_code, p.measure_no, string_agg(coalesce(p.plan_name, ''), chr(10) ORDER BY p.plan_no) AS plans
    FROM action_plans AS p JOIN docs USING (document_id) GROUP BY ALL
),
refs AS (
    SELECT k.document_id, d.roc_year AS document_year, d.kind AS document_kind, k.kpi_code,
           coalesce(k.kpi_name, '') AS kpi_name, o.theme_code, k.objective_code, coalesce(f.formula, '') AS formula,
           f.unit, coalesce(f.agency, '') AS agency, coalesce(p.plans, '') AS plans
    FROM kpis AS k
    JOIN docs AS d USING (document_id)
    LEFT JOIN objectives AS o USING (document_id, objective_code)
    LEFT JOIN first_measure AS f USING (document_id, kpi_code)
    LEFT JOIN plans AS p ON p.document_id = f.document_id AND p.kpi_code = f.kpi_code AND p.measure_no = f.measure_no
)"""
REF_FIELDS = ", ".join(KpiRef.__dataclass_fields__)

# The identities as the links of the documents in `docs` left them: each one's latest print (in
# linking's order: year, a deck before the report, file name, code), and every name and formula it
# was printed with, latest first.
IDENTITIES = f"""
WITH {REFS},
member AS (
    SELECT r.*, l.kpi_id, row_number() OVER (
        PARTITION BY l.kpi_id ORDER BY r.document_year DESC, r.document_kind = 'annual_report' DESC, r.document_id DESC, r.kpi_code DESC
    ) AS age
    FROM refs AS r JOIN kpi_links AS l USING (document_id, kpi_code)
),
names AS (
    SELECT kpi_id, list(kpi_name ORDER BY age) AS names
    FROM (SELECT kpi_id, kpi_name, min(age) AS age FROM member WHERE kpi_name <> '' GROUP BY ALL) GROUP BY kpi_id
),
formulas AS (
    SELECT kpi_id, list(formula ORDER BY age) AS formulas
    FROM (SELECT kpi_id, formula, min(age) AS age FROM member WHERE formula <> '' GROUP BY ALL) GROUP BY kpi_id
)
SELECT m.kpi_id, {', '.join(f'm.{f}' for f in KpiRef.__dataclass_fields__)},
       coalesce(n.names, []) AS names, coalesce(f.formulas, []) AS formulas
FROM member AS m LEFT JOIN names AS n USING (kpi_id) LEFT JOIN formulas AS f USING (kpi_id)
WHERE m.age = 1
ORDER BY m.kpi_id
"""


def link_loaded_document(con: duckdb.DuckDBPyConnection, document_id: str, overrides: Iterable[Override]) -> None:
    """Link the KPIs of the document just inserted, keeping every link as linking all documents in
    one run would make it."""
    overrides = list(overrides)
    orders = _document_orders(con)
    order = orders.pop(document_id)
    fresh = _fingerprint(con) == links_fingerprint(overrides)
    if fresh and all(o < order for o in orders.values()) and not one_row(
            con, "SELECT count(*) FROM kpi_identities WHERE document_id = ?", [document_id])[0]:
        _link_newest(con, document_id, overrides)  # the usual case: next year's report
    elif fresh:
        _relink_from(con, order, overrides)
    else:
        link_all(con, overrides)


def relink_after(con: duckdb.DuckDBPyConnection, order: tuple, overrides: Iterable[Override]) -> None:
    """Link the documents from `order` (document_order) on again, after one was taken out there;
    every document when the linking rules or the overrides changed since the links were made."""
    overrides = list(overrides)
    _relink_from(con, order if _fingerprint(con) == links_fingerprint(overrides) else (), overrides)


def link_all(con: duckdb.DuckDBPyConnection, overrides: Iterable[Override] = ()) -> None:
    """Link every document's KPIs again, oldest first."""
    _relink_from(con, (), list(overrides))


def kpi_refs(con: duckdb.DuckDBPyConnection, documents: list[str]) -> list[KpiRef]:
    return [KpiRef(*row) for row in con.execute(f"WITH {REFS} SELECT {REF_FIELDS} FROM refs ORDER BY document_id, kpi_code", [documents]).fetchall()]


def _link_newest(con: duckdb.DuckDBPyConnection, document_id: str, overrides: Iterable[Override]) -> None:
    """Link a document newer than every other against the stored identities, and store the ones it changed."""
    identities = {i.kpi_id: i for i in map(identity_from_row, select_rows(con, "SELECT * FROM kpi_identities ORDER BY kpi_id"))}
    links, after = link_documents(kpi_refs(con, [document_id]), overrides, identities)
    _insert(con, "kpi_links", [vars(link) for link in links])
    changed = sorted({link.kpi_id for link in links})
    con.execute("DELETE FROM kpi_identities WHERE kpi_id IN (SELECT unnest(?::VARCHAR[]))", [changed])
    _insert(con, "kpi_identities", identity_rows({k: after[k] for k in changed}))


def _relink_from(con: duckdb.DuckDBPyConnection, order: tuple, overrides: Iterable[Override]) -> None:
    """Link the documents from `order` on again, against the identities the documents before left."""
    orders = _document_orders(con)
    earlier = [d for d, o in orders.items() if o < order]
    later = [d for d, o in orders.items() if o >= order]
    identities = {i.kpi_id: i for i in map(identity_from_row, select_rows(con, IDENTITIES, [earlier]))} if earlier else {}
    links, identities = link_documents(kpi_refs(con, later), overrides, identities)
    con.execute("DELETE FROM kpi_links WHERE document_id IN (SELECT unnest(?::VARCHAR[]))", [later])
    _insert(con, "kpi_links", [vars(link) for link in links])
    con.execute("DELETE FROM kpi_identities")
    _insert(con, "kpi_identities", identity_rows(identities))
    con.execute("DELETE FROM link_state")
    con.execute("INSERT INTO link_state VALUES (?)", [links_fingerprint(overrides)])


def _document_orders(con: duckdb.DuckDBPyConnection) -> dict[str, tuple]:
    return {d: document_order(y, k, d) for d, y, k in con.execute("SELECT document_id, roc_year, kind FROM documents").fetchall()}


def _fingerprint(con: duckdb.DuckDBPyConnection) -> str | None:
    return one_row(con, "SELECT max(fingerprint) FROM link_state")[0]


def _insert(con: duckdb.DuckDBPyConnection, table: str, rows: list[Row]) -> None:
    insert_rows(con, table, tuple(rows[0]) if rows else (), rows)
