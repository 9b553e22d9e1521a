"""The warehouse describes itself: a COMMENT on every table, view and column (zh-TW title and English
description), so that `duckdb_columns().comment` and any SQL client show what each one is.

One source of truth: a column the open data publishes is described as export.TABLES describes it
(the titles and descriptions of datapackage.json); what only the warehouse has is described here.
schema.py applies the comments each time it makes or upgrades a file's schema.
"""
from __future__ import annotations

import duckdb

from kpi_scorecard.warehouse.export import TABLES, Published

# Warehouse tables and views the open data does not publish under their own name (the published
# `kpis` are the KPI identities, not a document's KPIs): (zh-TW title, English description).
OBJECTS: dict[str, tuple[str, str]] = {
    "schema_version": ("綱要版本", "One row per schema migration the file has (warehouse/migrations/NNN_*.sql)."),
    "documents": ("來源文件", "One row per document loaded: file, checksum, year, pages, when and by which version it was read."),
    "kpis": ("各文件關鍵績效指標", "One row per KPI a document prints: its code, name and objective."),
    "measures": ("衡量項目", "One row per KPI measure and year a document prints: target and actual as printed and read."),
    "action_plans": ("行動計畫", "One row per action plan of a KPI measure, in the order printed."),
    "observations": ("數值刊載", "Every target or actual printed anywhere: a KPI table, a deck's results or tasks table."),
    "observations_ranked": ("數值刊載(依優先順序)", "Every print ranked for its KPI identity, measure, year and kind by precedence "
                            "(annual report over deck, later over earlier, KPI table over results over tasks table)."),
    "link_overrides": ("指標連結覆寫", "Analysts' KPI link overrides: pin a document's KPI to an identity, or split it off."),
    "kpi_identities": ("指標識別(最新刊載)", "Each KPI identity as the last document linked left it: latest print, every name and formula."),
    "schema_stamp": ("綱要指紋", "The digest of the schema and comments this file's views, macros and comments were made from."),
    "link_state": ("連結狀態", "The fingerprint of the linking rules and overrides the links were made under."),
}
# Views that have another relation's columns (and a few of their own).
SAME_COLUMNS = {"observations_ranked": "observations", "kpi_identities": "kpis"}
KPI_HISTORY = "kpi_history"

# Columns only the warehouse has, or that mean something else in a table than in kpi_history.
# (table, column) first, then the column in any table.
OWN_COLUMNS: dict[tuple[str, str] | str, tuple[str, str]] = {
    "document_id": ("來源文件識別碼", "The source document's key: its file name"),
    ("schema_version", "version"): ("綱要版本", "A migration the file has (1: the first schema)"),
    ("documents", "source_file"): ("來源檔案", "File name of the source document"),
    ("documents", "sha256"): ("檔案雜湊值", "SHA-256 of the file's bytes"),
    ("documents", "roc_year"): ("報告年度", "The year the document reports, ROC calendar"),
    ("documents", "pages"): ("頁數", "Pages in the PDF; empty for a text dump"),
    ("documents", "loaded_at"): ("載入時間", "When it was loaded (UTC)"),
    ("documents", "kind"): ("文件類型", "annual_report or briefing_deck"),
    ("documents", "tool_version"): ("讀取程式版本", "The kpi-scorecard version that read it; empty: loaded before versions were recorded"),
    ("documents", "source_path"): ("來源路徑", "The file it was read from, absolute (what --rebuild reads again)"),
    ("documents", "read_pages"): ("讀取頁碼", "The pages read (--pages); empty: all"),
    ("measures", "target_confidence"): ("目標值辨識信心", "Scanned pages: the OCR engine's confidence in the target's cell, 0–100; empty for a text layer"),
    ("measures", "actual_confidence"): ("實際值辨識信心", "Scanned pages: the OCR engine's confidence in the actual's cell, 0–100; empty for a text layer"),
    ("kpi_history", "target_confidence"): ("目標值辨識信心", "Scanned pages: the OCR engine's confidence in the target's cell, 0–100; empty for a text layer"),
    ("kpi_history", "actual_confidence"): ("實際值辨識信心", "Scanned pages: the OCR engine's confidence in the actual's cell, 0–100; empty for a text layer"),
    ("kpis", "kpi_code"): ("關鍵績效指標代碼", "KPI code as printed (repaired where misprinted)"),
    ("kpis", "kpi_name"): ("關鍵績效指標名稱", "KPI name as printed"),
    ("kpis", "objective_code"): ("策略目標代碼", "Strategic objective code, e.g. AC1"),
    ("action_plans", "plan_no"): ("計畫序號", "Position in the measure's list of plans, from 1"),
    ("action_plans", "plan_code"): ("計畫代碼", "Plan code, e.g. AC1.1.1; empty when none is printed"),
    ("action_plans", "plan_name"): ("計畫名稱", "Plan name"),
    ("observations", "obs_no"): ("刊載序號", "Print number within the document"),
    ("observations", "kind"): ("數值種類", "target or actual"),
    ("observations", "raw"): ("原文", "As printed"),
    ("observations", "value"): ("數值", "Number read; empty when none is printed"),
    ("observations", "op"): ("比較符號", "<=, >=, <, >, ± printed with the number"),
    ("observations", "value_kind"): ("數值類型", "number, none, qualitative, compound, unparsed or empty"),
    ("observations", "source"): ("來源表格", "kpi table, results table or tasks table"),
    ("observations", "note"): ("附註", "Text printed beside the number, or how a deck's row was tied to the KPI"),
    ("observations_ranked", "source_file"): ("來源檔案", "File name of the source document"),
    ("observations_ranked", "document_kind"): ("文件類型", "annual_report or briefing_deck"),
    ("observations_ranked", "document_year"): ("報告年度", "The year the document reports, ROC calendar"),
    ("observations_ranked", "kpi_id"): ("指標識別碼", "KPI identity the print's KPI is linked to"),
    ("observations_ranked", "precedence"): ("優先順序", "1: the print kpi_trend uses for its identity, measure, year and kind"),
    ("link_overrides", "action"): ("覆寫方式", "pin (to kpi_id) or split (an identity of its own)"),
    ("link_overrides", "kpi_id"): ("指標識別碼", "The identity pinned to; empty for a split"),
    ("link_overrides", "note"): ("說明", "Why, in the analyst's words"),
    ("link_overrides", "set_at"): ("設定時間", "When it was set (UTC); empty: carried over from an override file"),
    ("kpi_identities", "kpi_id"): ("指標識別碼", "KPI identity: its first code, with #2, #3 when a code was reused"),
    ("kpi_identities", "document_year"): ("最近刊載年度", "Year (ROC) of the document that printed it last"),
    ("kpi_identities", "document_kind"): ("最近刊載文件類型", "annual_report or briefing_deck"),
    ("kpi_identities", "theme_code"): ("策略主題代碼", "Strategic theme letter"),
    ("kpi_identities", "formula"): ("衡量公式", "Formula text, latest print"),
    ("kpi_identities", "unit"): ("單位", "Unit, latest print"),
    ("kpi_identities", "agency"): ("主責機關", "Responsible agency, latest print"),
    ("kpi_identities", "plans"): ("行動計畫", "Action plans, latest print"),
    ("kpi_identities", "names"): ("歷次名稱", "Every name it was printed with, latest first"),
    ("kpi_identities", "formulas"): ("歷次衡量公式", "Every formula it was printed with"),
    ("schema_stamp", "digest"): ("綱要指紋", "SHA-256 of warehouse/schema.sql and the comments (warehouse/catalog.py) last applied"),
    ("link_state", "fingerprint"): ("連結指紋", "Digest of the linking rules and overrides the links were made under"),
}


def _published(name: str) -> Published | None:
    """The published table describing this warehouse relation's columns, if one has its name."""
    return next((t for t in TABLES if t.name == name and name not in OBJECTS), None)


def describe_object(name: str) -> tuple[str, str] | None:
    """(title, description) of a warehouse table or view; None for one this build does not make
    (a user's own table)."""
    table = _published(name)
    return (table.title, table.description) if table else OBJECTS.get(name)


def describe_column(table: str, column: str) -> tuple[str, str] | None:
    """(title, description) of a warehouse column: this module's, else the published table's of the
    same name, else kpi_history's; None when none describes it (tests/test_catalog.py keeps every
    column of the schema described)."""
    relations = [table, *([SAME_COLUMNS[table]] if table in SAME_COLUMNS else [])]
    for relation in relations:
        if (relation, column) in OWN_COLUMNS:
            return OWN_COLUMNS[(relation, column)]
    for relation in [*relations, KPI_HISTORY]:
        published = _published(relation)
        found = next((f for f in published.fields if f.name == column), None) if published else None
        if found:
            return found.title, found.description
    return OWN_COLUMNS.get(column)


def comment(title: str, description: str) -> str:
    """The comment a SQL client shows: the zh-TW title, then the English description."""
    return f"{title} — {description}"


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def relations(con: duckdb.DuckDBPyConnection, database: str | None = None) -> list[tuple[str, str, list[str]]]:
    """The tables and views of the open file (or of `database`, e.g. 'temp'): (name, 'TABLE' or
    'VIEW', columns in order)."""
    return con.execute("""
        SELECT c.table_name, CASE WHEN v.view_name IS NULL THEN 'TABLE' ELSE 'VIEW' END, list(c.column_name ORDER BY c.column_index)
        FROM duckdb_columns() AS c
        LEFT JOIN duckdb_views() AS v ON v.database_name = c.database_name AND v.view_name = c.table_name
        WHERE c.database_name = coalesce(?, current_database()) AND NOT c.internal AND c.schema_name = 'main'
        GROUP BY ALL ORDER BY c.table_name
    """, [database]).fetchall()


def descriptions() -> str:
    """Everything the comments are made from, as text (part of the schema's digest: a changed
    description is applied to every file on its next open)."""
    return repr((OBJECTS, OWN_COLUMNS, SAME_COLUMNS, [(t.name, t.title, t.description, t.fields) for t in TABLES]))


def comment_statements(relations: list[tuple[str, str, list[str]]], schema: str = "") -> str:
    """COMMENT ON statements for relations given as (name, 'TABLE' | 'VIEW', columns): those this
    build makes, and their columns; schema: where they are, e.g. 'temp.main.' (default: the file's)."""
    statements = []
    for name, kind, columns in relations:
        if described := describe_object(name):
            statements.append(f"COMMENT ON {kind} {schema}{name} IS {_literal(comment(*described))}")
            statements += [
                f'COMMENT ON COLUMN {schema}{name}."{column}" IS {_literal(comment(*text))}'
                for column in columns if (text := describe_column(name, column))
            ]
    return "".join(f"{statement};\n" for statement in statements)


def markdown_table(names: list[str]) -> str:
    """The README's table of the warehouse's tables and views, from the same descriptions."""
    rows = [f"| `{name}` | {title} | {description} |" for name in names for title, description in [describe_object(name) or ("", "")]]
    return "\n".join(["| table or view | 名稱 | what it holds |", "|---|---|---|", *rows])
