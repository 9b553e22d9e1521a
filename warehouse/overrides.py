"""KPI link overrides kept in the warehouse (table link_overrides): an analyst's pins and splits
belong to the history they correct, not to an install. Every load links with stored_overrides();
a change relinks at once and says which links it changed."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from kpi_scorecard.warehouse.errors import UnknownKpi, WarehouseError
from kpi_scorecard.warehouse.identity import Override, read_overrides
from kpi_scorecard.warehouse.links import link_all
from kpi_scorecard.warehouse.load import document_id


class NoOverride(WarehouseError):
    """The document KPI has no link override to remove."""


@dataclass(frozen=True)
class LinkChange:
    """One document KPI whose link an override change moved."""

    document_id: str
    kpi_code: str
    kpi_name: str | None
    before: str | None  # 'HP1.1#2 (new, score 42)'; None: the KPI was not linked
    after: str | None

    def __str__(self) -> str:
        return f"{self.document_id} {self.kpi_code} {self.kpi_name or ''}: {self.before or '-'} → {self.after or '-'}"


def stored_overrides(con: duckdb.DuckDBPyConnection) -> list[Override]:
    rows = con.execute(
        "SELECT document_id, kpi_code, action, kpi_id, note FROM link_overrides ORDER BY document_id, kpi_code"
    ).fetchall()
    return [Override(*row) for row in rows]


def save_overrides(con: duckdb.DuckDBPyConnection, overrides: list[Override]) -> None:
    """Add overrides, replacing those of the same document KPI (no transaction of its own)."""
    if not overrides:
        return
    now = datetime.now(UTC).replace(tzinfo=None)
    con.executemany(
        "INSERT OR REPLACE INTO link_overrides VALUES (?, ?, ?, ?, ?, ?)",
        [[document_id(o.document), o.kpi_code, o.action, o.kpi_id, o.note, now] for o in overrides],
    )


def import_overrides(con: duckdb.DuckDBPyConnection, path: Path) -> tuple[int, list[LinkChange]]:
    """The overrides of a CSV file (identity.read_overrides) saved in the warehouse and linked with:
    how many, and the links they moved. Raises OverrideError for a file it cannot read."""
    imported = read_overrides(path)
    return len(imported), change_overrides(con, lambda: save_overrides(con, imported))


def remove_override(con: duckdb.DuckDBPyConnection, document: str, kpi_code: str) -> None:
    """Drop a document KPI's override: it is linked automatically again."""
    if not con.execute(
        "DELETE FROM link_overrides WHERE document_id = ? AND kpi_code = ? RETURNING 1", [document_id(document), kpi_code]
    ).fetchall():
        raise NoOverride(f"{document_id(document)} {kpi_code} has no override")


def check_applies(con: duckdb.DuckDBPyConnection, override: Override) -> None:
    """An override set by hand names a KPI the warehouse has and, when it pins, an identity it has."""
    doc = document_id(override.document)
    if not con.execute("SELECT 1 FROM kpis WHERE document_id = ? AND kpi_code = ?", [doc, override.kpi_code]).fetchall():
        raise UnknownKpi(f"the warehouse has no KPI {override.kpi_code} in {doc}")
    if override.action == "pin" and not con.execute("SELECT 1 FROM kpi_links WHERE kpi_id = ?", [override.kpi_id]).fetchall():
        raise UnknownKpi(f"the warehouse has no KPI identity {override.kpi_id} to pin to (split makes a new one)")


def change_overrides(con: duckdb.DuckDBPyConnection, change: Callable[[], None]) -> list[LinkChange]:
    """Run change() on link_overrides and relink every document with the result, in one
    transaction; the links that moved."""
    con.begin()
    try:
        before = described_links(con)
        change()
        link_all(con, stored_overrides(con))
        after = described_links(con)
        con.commit()
    except BaseException:
        con.rollback()
        raise
    return link_changes(before, after)


def link_changes(before: dict, after: dict) -> list[LinkChange]:
    """The links of described_links `after` that differ from `before` (those gone are not listed)."""
    return [
        LinkChange(doc, code, name, before.get((doc, code), (None, None))[1], link)
        for (doc, code), (name, link) in sorted(after.items())
        if before.get((doc, code), (None, None))[1] != link
    ]


def described_links(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, str], tuple[str | None, str]]:
    """Every document KPI's link, described."""
    rows = con.execute("SELECT document_id, kpi_code, kpi_name, kpi_id, decision, score FROM kpi_links").fetchall()
    return {
        (doc, code): (name, f"{kpi_id} ({decision}{f', score {score:.0f}' if score is not None else ''})")
        for doc, code, name, kpi_id, decision, score in rows
    }
