"""Whole-warehouse comparisons: every value of every table (a count can stay equal while values
change), and the published files read back against the warehouse they were written from."""
from __future__ import annotations

import csv
import json
from pathlib import Path

import duckdb

from kpi_scorecard.warehouse.export import TABLES

# Columns that differ between two loads of the same documents by design: when and from where.
WHEN_AND_WHERE = {"documents": ("loaded_at", "source_path")}
# Frictionless field types for DuckDB's column types
FIELD_TYPES = {"VARCHAR": "string", "INTEGER": "integer", "BIGINT": "integer", "HUGEINT": "integer",
               "DOUBLE": "number", "DECIMAL": "number", "BOOLEAN": "boolean"}


def published(db: Path | duckdb.DuckDBPyConnection) -> dict[str, list[tuple]]:
    """Every published table's rows, every value, in the published order."""
    with _connection(db) as con:
        return {t.name: con.execute(t.sql()).fetchall() for t in TABLES}


def stored(db: Path | duckdb.DuckDBPyConnection) -> dict[str, list[str]]:
    """Every base table's rows, every value but WHEN_AND_WHERE's, as text in a stable order."""
    with _connection(db) as con:
        tables = [t for (t,) in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE' "
            "AND table_schema = 'main' ORDER BY 1").fetchall()]
        return {t: sorted(map(repr, con.execute(f'SELECT * EXCLUDE ({", ".join(WHEN_AND_WHERE[t])}) FROM "{t}"'
                                                if t in WHEN_AND_WHERE else f'SELECT * FROM "{t}"').fetchall()))
                for t in tables}


def everything(db: Path | duckdb.DuckDBPyConnection) -> dict[str, object]:
    return {"published": published(db), "stored": stored(db)}


def check_published_files(db: Path, folder: Path, *, bom: bool = False, headers: str = "en") -> dict[str, int]:
    """Every CSV, Parquet file and datapackage.json in folder read back and compared with the warehouse,
    value by value and in order; the rows per table."""
    package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    assert (package["name"], package["title"]) == ("kpi-scorecard", "Taipei City Government KPI scorecards, year over year")
    rows_per_table, values = {}, {}
    with duckdb.connect(str(db), read_only=True) as con:
        assert [r["name"] for r in package["resources"]] == [t.name.replace("_", "-") for t in TABLES]
        for table, resource in zip(TABLES, package["resources"], strict=True):
            names = [f.name for f in table.fields]
            columns = con.execute(f"DESCRIBE {table.sql()}").fetchall()
            types = [c[1].split("(")[0] for c in columns]
            expected = con.execute(table.sql()).fetchall()
            assert [c[0] for c in columns] == names, table.name
            # datapackage.json: the file, its fields named and typed as the warehouse's columns
            header = [f.header(headers) for f in table.fields]
            assert (resource["path"], resource["format"], resource["mediatype"], resource["encoding"]) == (
                f"{table.name}.csv", "csv", "text/csv", "utf-8")
            assert (resource["title"], resource["description"]) == (table.title, table.description)
            assert [(f["name"], f["type"]) for f in resource["schema"]["fields"]] == list(zip(header, (FIELD_TYPES[t] for t in types), strict=True))
            # each field's zh-TW title and English description, as the catalogue defines them
            assert [(f["title"], f["description"]) for f in resource["schema"]["fields"]] == [
                (f.title, f.description) for f in table.fields], table.name
            assert resource["schema"]["primaryKey"] == [table.header(k, headers) for k in table.primary_key]
            # the CSV: the header, then every row, every field as the warehouse's value writes it
            raw = (folder / f"{table.name}.csv").read_bytes()
            assert raw.startswith(b"\xef\xbb\xbf") is bom, table.name
            with open(folder / f"{table.name}.csv", encoding="utf-8-sig", newline="") as handle:
                lines = list(csv.reader(handle))
            assert lines[0] == header, table.name
            assert lines[1:] == [[_csv_text(v) for v in row] for row in expected], table.name
            # the Parquet copy: the field names, every value as stored
            parquet = con.execute("SELECT * FROM read_parquet(?)", [str(folder / f"{table.name}.parquet")])
            assert [d[0] for d in parquet.description] == names, table.name
            assert parquet.fetchall() == expected, table.name
            rows_per_table[table.name] = len(expected)
            values[table.name] = {name: {row[i] for row in expected} for i, name in enumerate(names)}
    # every foreign key of datapackage.json names a value the table it refers to publishes
    for table, resource in zip(TABLES, package["resources"], strict=True):
        keys = [(k["fields"], k["reference"]["resource"], k["reference"]["fields"]) for k in resource["schema"]["foreignKeys"]]
        assert keys == [([table.header(own, headers)], other.replace("_", "-"), [next(
            f.header(headers) for f in next(t for t in TABLES if t.name == other).fields if f.name == theirs)])
            for own, other, theirs in table.foreign_keys], table.name
        for own, other, theirs in table.foreign_keys:
            assert values[table.name][own] - {None} <= values[other][theirs], (table.name, own)
    return rows_per_table


def _csv_text(value: object) -> str:
    """A value as the open data's CSV writes it: NULL empty, booleans true/false, numbers as DuckDB prints them."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


class _connection:
    """A path opened read-only for the block, or a connection used as it is."""

    def __init__(self, db):
        self.db, self.con = db, None

    def __enter__(self) -> duckdb.DuckDBPyConnection:
        if isinstance(self.db, duckdb.DuckDBPyConnection):
            return self.db
        self.con = duckdb.connect(str(self.db), read_only=True)
        return self.con

    def __exit__(self, *exc) -> None:
        if self.con is not None:
            self.con.close()
