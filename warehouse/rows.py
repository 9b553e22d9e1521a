"""Warehouse rows as dicts, in and out of DuckDB."""
from __future__ import annotations

from typing import Any

import duckdb

Row = dict[str, Any]


def insert_rows(con: duckdb.DuckDBPyConnection, table: str, columns: tuple[str, ...], rows: list[Row]) -> int:
    """Bulk insert rows into table in one statement: each column goes in as one list parameter,
    unnested (no DataFrame library to import, no per-row calls). The INSERT casts each value to its
    column's type, as a cast of the list would: no look-up of the types."""
    if not rows:
        return 0
    names = ", ".join(f'"{c}"' for c in columns)
    lists = ", ".join("UNNEST(?)" for _ in columns)
    con.execute(f"INSERT INTO {table} ({names}) SELECT {lists}", [[row.get(c) for row in rows] for c in columns])
    return len(rows)


def one_row(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> tuple[Any, ...]:
    """The row of a statement that returns exactly one: an aggregate without GROUP BY, a DELETE's count."""
    row = con.execute(sql, params or []).fetchone()
    assert row is not None, sql
    return row


def select_rows(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> list[Row]:
    cursor = con.execute(sql, params or [])
    names = [c[0] for c in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
