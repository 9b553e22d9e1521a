"""The warehouse describes itself: every table, view and column has a comment (zh-TW title and
English description) from the descriptions datapackage.json publishes, and the README's warehouse
contract is checked against the same source."""
from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest

from kpi_scorecard.warehouse import connect, connect_read_only, schema
from kpi_scorecard.warehouse.catalog import markdown_table
from kpi_scorecard.warehouse.export import KPI_HISTORY_COLUMNS, datapackage, published

README = Path(__file__).parent.parent / "README.md"
OWN = "WHERE database_name = current_database() AND NOT internal"


def comments(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, str | None], str | None]:
    """(table or view, column or None for the relation itself) → its comment."""
    found: dict[tuple[str, str | None], str | None] = {
        (t, c): comment for t, c, comment in con.execute(f"SELECT table_name, column_name, comment FROM duckdb_columns() {OWN}").fetchall()}
    found.update({(t, None): comment for t, comment in con.execute(
        f"SELECT table_name, comment FROM duckdb_tables() {OWN} UNION ALL SELECT view_name, comment FROM duckdb_views() {OWN}").fetchall()})
    return found


def test_every_table_view_and_column_has_a_comment(tmp_path):
    with connect(tmp_path / "kpi.duckdb") as con:
        found = comments(con)
    assert len(found) == 225 + 21  # 21 tables and views, 225 columns
    assert [key for key, text in found.items() if not text or " — " not in text] == []
    # as datapackage.json publishes them: title, then description
    assert found[("kpi_history", "roc_year")] == "年度 — Reported year, ROC calendar (110 = 2021)"
    assert found[("kpi_history", "target_raw")] == "目標值(原文) — Target as printed"
    assert found[("kpi_history", None)] == "關鍵績效指標歷年資料(各來源文件) — One row per KPI measure per reported year per source document."
    assert found[("measures", "target_raw")] == found[("kpi_history", "target_raw")]
    # what only the warehouse has, and a name that means another thing in another table
    assert found[("documents", "sha256")] == "檔案雜湊值 — SHA-256 of the file's bytes"
    assert found[("documents", "kind")] == "文件類型 — annual_report or briefing_deck"
    assert found[("observations", "kind")] == "數值種類 — target or actual"
    history = next(r for r in datapackage()["resources"] if r["name"] == "kpi-history")["schema"]["fields"]
    assert all(found[("kpi_history", f["name"])] == f"{f['title']} — {f['description']}" for f in history)


def test_comments_come_back_on_an_upgraded_file_and_on_views_made_again(tmp_path):
    """A file written before comments (schema 6) gets them on upgrade; a view dropped by hand is made
    again on the next open, with its comments."""
    db = tmp_path / "kpi.duckdb"
    db.write_bytes((Path(__file__).parent / "samples" / "warehouse-schema-6.duckdb").read_bytes())
    with connect(db) as con:
        assert all(comments(con).values())
        con.execute("DROP VIEW conflicts")
    with connect(db) as con:
        assert con.execute("SELECT count(DISTINCT (kpi_id, measure_no, roc_year, kind)) FROM conflicts").fetchone() == (10,)
        found = comments(con)
    assert found[("conflicts", "chosen")] == "是否採用 — The print kpi_trend uses"
    assert all(found.values())


def test_a_read_only_connection_s_views_are_described_too(tmp_path):
    """Reading a file gives this build's views as temporary ones (schema.py): commented as well."""
    db = tmp_path / "kpi.duckdb"
    connect(db).close()
    with connect_read_only(db) as con:
        temp = con.execute("SELECT table_name, column_name, comment FROM duckdb_columns() WHERE database_name = 'temp'").fetchall()
    assert len(temp) == 33 + 22 + 15 + 20 + 1  # kpi_history, kpi_trend, conflicts, observations_ranked, schema_stamp
    assert [row for row in temp if not row[2]] == []
    assert ("kpi_history", "year", "西元年 — Reported year, Gregorian calendar (roc_year + 1911)") in temp


def test_the_readme_lists_the_warehouse_as_the_source_describes_it():
    text = README.read_text(encoding="utf-8")
    generated = re.search(r"<!-- warehouse-tables: .*? -->\n(.*?)\n<!-- /warehouse-tables -->", text, re.S).group(1)
    names = re.findall(r"^\| `(\w+)` \|", generated, re.M)
    with connect(":memory:") as con:
        relations = {name for (name,) in con.execute(
            f"SELECT table_name FROM duckdb_tables() {OWN} UNION ALL SELECT view_name FROM duckdb_views() {OWN}").fetchall()}
    assert sorted(names) == sorted(relations)
    assert generated == markdown_table(names)
    # the kpi_history contract: the README's column table names the contract columns, in order
    contract = text.split("View **`kpi_history`**", 1)[1].split("\n\n", 2)[1]
    listed = [name for row in contract.splitlines()[2:] for name in re.findall(r"`(\w+)`", row.split("|")[1])]
    assert tuple(listed) == KPI_HISTORY_COLUMNS


def test_the_stamp_is_a_view_every_schema_makes_again(tmp_path):
    db = tmp_path / "kpi.duckdb"
    connect(db).close()
    with duckdb.connect(str(db)) as con:
        assert con.execute("SELECT digest FROM schema_stamp").fetchone() == (schema.schema_digest(),)
        con.execute(schema.schema_sql())  # as another build's schema.sql would: the stamp is gone
        assert con.execute("SELECT digest FROM schema_stamp").fetchone() == (None,)
    with connect(db) as con:  # so this build applies its own again
        assert con.execute("SELECT digest FROM schema_stamp").fetchone() == (schema.schema_digest(),)
        assert con.execute(f"SELECT count(*) FILTER (comment IS NULL) FROM duckdb_columns() {OWN}").fetchone() == (0,)


def test_every_foreign_key_names_a_resource_and_its_field():
    """A Data Package's foreign key names a resource of the package (dashed, as the package names
    them: "kpi-links") and fields that resource has; kpi-history's refers to kpis' kpi_id."""
    for headers in ("en", "zh"):
        resources = {r["name"]: r for r in datapackage(headers)["resources"]}
        keys = [(r["name"], k) for r in resources.values() for k in r["schema"].get("foreignKeys", [])]
        assert keys and all(k["reference"]["resource"] in resources for _, k in keys)
        for name, key in keys:
            theirs = {f["name"] for f in resources[key["reference"]["resource"]]["schema"]["fields"]}
            mine = {f["name"] for f in resources[name]["schema"]["fields"]}
            assert set(key["reference"]["fields"]) <= theirs and set(key["fields"]) <= mine
    links = next(r for r in datapackage()["resources"] if r["name"] == "kpi-links")["schema"]["foreignKeys"]
    assert links == [{"fields": ["kpi_id"], "reference": {"resource": "kpis", "fields": ["kpi_id"]}}]


def test_an_unknown_published_table_names_those_there_are():
    with pytest.raises(KeyError, match=r"'kpi-history': the published tables are kpi_history, kpi_trend, kpis, kpi_links, "):
        published("kpi-history")  # the resource's name, not the table's
    assert published("kpi_links").name == "kpi_links"
