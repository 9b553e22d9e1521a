"""Publish the warehouse as open data: CSV (+ Parquet) per table and a Frictionless datapackage.json.

Every published table is described once, in TABLES below: its query, row order, fields (type and
description), primary key and foreign keys. The CSVs, the Parquet files and the Table Schemas in
datapackage.json are all written from that one description, so they cannot drift apart.
"""
from __future__ import annotations

import json
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

# Contract: the leading columns of the kpi_history view and of kpi_history.csv.
KPI_HISTORY_COLUMNS: tuple[str, ...] = (
    "roc_year", "theme_code", "theme_name", "objective_code", "objective_name",
    "kpi_code", "kpi_name", "measure_no", "formula", "unit", "direction",
    "action_plans", "agency", "target_raw", "target_value", "target_op",
    "actual_raw", "actual_value", "actual_op", "achieved", "source_file", "page",
)


def natural_key(column: str) -> str:
    """SQL ORDER BY terms sorting codes naturally (AC1.9 before AC1.10)."""
    return (
        f"regexp_extract({column}, '^[^0-9]*'), "
        f"CAST(regexp_extract_all({column}, '[0-9]+') AS DOUBLE[]), {column}"
    )


@dataclass(frozen=True)
class Field:
    name: str
    type: str  # Frictionless type: string, integer, number, boolean
    description: str


@dataclass(frozen=True)
class Published:
    name: str
    description: str
    source: str  # the view or table, or a query in parentheses, that has the fields as columns
    order_by: str
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[tuple[str, str, str], ...] = field(default=())  # (field, table, field)

    def sql(self) -> str:
        """The published rows: exactly the fields, in their order (the CSV header is the schema)."""
        columns = ", ".join(f'"{f.name}"' for f in self.fields)
        return f"SELECT {columns} FROM {self.source} ORDER BY {self.order_by}"


def _fields(*specs: str) -> tuple[Field, ...]:
    """"name:type:description" strings → Fields."""
    return tuple(Field(*spec.split(":", 2)) for spec in specs)


S, I, N, B = "string", "integer", "number", "boolean"
VALUE_KIND = (
    "number, none (no number printed), qualitative, compound (several numbers), "
    "unparsed (a number that cannot be read with certainty), empty"
)

TABLES: tuple[Published, ...] = (
    Published(
        "kpi_history", "One row per KPI measure per reported year per source document.",
        "kpi_history",
        f"source_file, {natural_key('kpi_code')}, measure_no, roc_year",
        _fields(
            f"roc_year:{I}:Reported year, ROC calendar (110 = 2021)",
            f"theme_code:{S}:Strategic theme letter (A–H)", f"theme_name:{S}:Strategic theme",
            f"objective_code:{S}:Strategic objective code, e.g. AC1", f"objective_name:{S}:Strategic objective",
            f"kpi_code:{S}:KPI code as printed (repaired where misprinted)", f"kpi_name:{S}:KPI name",
            f"measure_no:{I}:1..n: a KPI printed with several target rows has several measures",
            f"formula:{S}:Formula text", f"unit:{S}:Unit printed after 單位：",
            f"direction:{S}:negative when lower is better (負向指標), else positive",
            f"action_plans:{S}:Action plans, one 'CODE name' per line", f"agency:{S}:Responsible agency (主責機關)",
            f"target_raw:{S}:Target as printed", f"target_value:{N}:Target number; empty when none is printed",
            f"target_op:{S}:<=, >=, <, >, ± printed with the target",
            f"actual_raw:{S}:Actual as printed", f"actual_value:{N}:Actual number; empty when none is printed",
            f"actual_op:{S}:Operator printed with the actual",
            f"achieved:{B}:Actual meets target (honours target_op and direction); empty when a side has no number",
            f"source_file:{S}:File name of the source document", f"page:{I}:PDF page where the row starts",
            f"kpi_id:{S}:KPI identity across documents and years (see kpis)",
            f"target_kind:{S}:{VALUE_KIND}", f"target_note:{S}:Text printed beside the target number, or why there is none",
            f"actual_kind:{S}:{VALUE_KIND}", f"actual_note:{S}:Text printed beside the actual number, or why there is none",
        ),
        ("source_file", "kpi_code", "measure_no", "roc_year"),
        (("kpi_id", "kpis", "kpi_id"),),
    ),
    Published(
        "kpi_trend", "One row per KPI identity, measure and year: target and actual chosen by precedence "
        "(annual report over briefing deck, later document over earlier, KPI table over results over tasks table).",
        "kpi_trend",
        f"{natural_key('kpi_id')}, measure_no, roc_year",
        _fields(
            f"kpi_id:{S}:KPI identity", f"measure_no:{I}:Measure of the KPI", f"roc_year:{I}:Year (ROC calendar)",
            f"kpi_code:{S}:Code printed that year", f"kpi_name:{S}:Name printed that year (by that year's own documents first)",
            f"theme_code:{S}:Strategic theme letter",
            f"objective_code:{S}:Strategic objective code printed that year", f"direction:{S}:negative when lower is better",
            f"target_raw:{S}:Chosen target as printed", f"target_value:{N}:Chosen target number",
            f"target_op:{S}:Operator printed with the target", f"target_source:{S}:File the target was taken from",
            f"actual_raw:{S}:Chosen actual as printed", f"actual_value:{N}:Chosen actual number",
            f"actual_source:{S}:File the actual was taken from", f"achieved:{B}:Actual meets target",
            f"previous_year:{I}:The identity's previous year with data", f"actual_change:{N}:Actual minus the previous year's actual",
            f"sources:{S}:Every file that prints a value for this year, '; '-separated",
        ),
        ("kpi_id", "measure_no", "roc_year"),
        (("kpi_id", "kpis", "kpi_id"),),
    ),
    Published(
        "kpis", "KPI identities: what each is called now and where it appears.",
        "(SELECT l.kpi_id, any_value(t.kpi_code) AS kpi_code, any_value(t.kpi_name) AS kpi_name, "
        "any_value(t.theme_code) AS theme_code, any_value(t.objective_code) AS objective_code, "
        "min(d.roc_year) AS first_year, max(t.roc_year) AS last_year, "
        "string_agg(DISTINCT d.source_file, '; ' ORDER BY d.source_file) AS documents "
        "FROM kpi_links AS l JOIN documents AS d USING (document_id) "
        "JOIN (SELECT DISTINCT ON (kpi_id) * FROM kpi_trend ORDER BY kpi_id, roc_year DESC) AS t USING (kpi_id) "
        "GROUP BY l.kpi_id)",
        natural_key("kpi_id"),
        _fields(
            f"kpi_id:{S}:KPI identity: its first code, with #2, #3 when a code was reused for another KPI",
            f"kpi_code:{S}:Current code", f"kpi_name:{S}:Current name", f"theme_code:{S}:Strategic theme letter",
            f"objective_code:{S}:Strategic objective code", f"first_year:{I}:Year of the earliest document printing it",
            f"last_year:{I}:Latest year with a value", f"documents:{S}:Files printing it, '; '-separated",
        ),
        ("kpi_id",),
        (("theme_code", "themes", "theme_code"),),
    ),
    Published(
        "kpi_links", "How each document's KPI was tied to its identity, with the similarity that decided it.",
        "(SELECT d.source_file, l.* FROM kpi_links AS l JOIN documents AS d USING (document_id))",
        f"source_file, {natural_key('kpi_code')}",
        _fields(
            f"source_file:{S}:Document", f"kpi_code:{S}:Code printed in the document", f"kpi_name:{S}:Name printed",
            f"kpi_id:{S}:Identity linked to",
            f"decision:{S}:matched (same code and name), renamed, renumbered (another code), new, ambiguous (a new identity: "
            "two candidates too close), pinned or split (overrides)",
            f"score:{N}:Name similarity 0–100 to the identity matched or compared to",
            f"compared_to:{S}:Nearest identity when it was not taken", f"reason:{S}:Why",
            f"previous_document:{S}:The identity's print before this document: its file",
            f"previous_code:{S}:… its code", f"previous_name:{S}:… its name",
        ),
        ("source_file", "kpi_code"),
        (("kpi_id", "kpis", "kpi_id"),),
    ),
    Published(
        "themes", "Strategic themes.",
        "(SELECT theme_code, max(theme_name) AS theme_name FROM themes GROUP BY theme_code)",
        "theme_code",
        _fields(f"theme_code:{S}:Theme letter", f"theme_name:{S}:Theme name"),
        ("theme_code",),
    ),
    Published(
        "objectives", "Strategic objectives.",
        "(SELECT objective_code, max(objective_name) AS objective_name, max(theme_code) AS theme_code "
        "FROM objectives GROUP BY objective_code)",
        natural_key("objective_code"),
        _fields(f"objective_code:{S}:Objective code", f"objective_name:{S}:Objective", f"theme_code:{S}:Theme letter"),
        ("objective_code",),
        (("theme_code", "themes", "theme_code"),),
    ),
    Published(
        "repairs", "Every repair made, row stitched and value left for review while reading, with its page.",
        "repairs",
        "document, problem_no",
        _fields(
            f"document:{S}:Source file", f"problem_no:{I}:Order found",
            f"kind:{S}:repair, warning, stitch, skipped_table or tie (a deck's tasks row tied to a KPI, or not)",
            f"what:{S}:What was found, e.g. plan_code_truncated, compound_value", f"page:{I}:PDF page",
            f"row:{S}:KPI code of the row", f"column:{S}:Column", f"raw:{S}:Text as printed", f"fixed:{S}:Text as repaired",
            f"occurrences:{I}:How many times it was found (text-layer repairs count characters)",
        ),
        ("document", "problem_no"),
    ),
    Published(
        "conflicts", "Prints of one KPI identity, measure, year and kind that disagree on the number; "
        "chosen marks the one kpi_trend uses.",
        "conflicts",
        f"{natural_key('kpi_id')}, measure_no, roc_year, kind, NOT chosen, source_file, obs_no",
        _fields(
            f"kpi_id:{S}:KPI identity", f"measure_no:{I}:Measure", f"roc_year:{I}:Year", f"kind:{S}:target or actual",
            f"scope:{S}:within_document when one document prints two numbers, else across_documents",
            f"source_file:{S}:Document", f"obs_no:{I}:Print number within the document", f"page:{I}:PDF page",
            f"source:{S}:kpi table, results table or tasks table", f"kpi_code:{S}:Code printed",
            f"raw:{S}:As printed", f"value:{N}:Number read", f"chosen:{B}:The print kpi_trend uses",
        ),
        ("source_file", "obs_no"),
        (("kpi_id", "kpis", "kpi_id"),),
    ),
    Published(
        "reconciliation", "What each document states it contains against what was read and computed.",
        "(SELECT d.source_file AS document, r.* FROM reconciliation AS r JOIN documents AS d USING (document_id))",
        f"document, {natural_key('theme_code')}, scope = 'theme' DESC, scope, "
        "list_position(['theme', 'objectives', 'kpis', 'action_plans', 'achieved', 'missed'], item)",
        _fields(
            f"document:{S}:Source file", f"theme_code:{S}:Theme letter", f"theme_name:{S}:Theme",
            f"scope:{S}:theme, or a briefing deck's perspective (顧客構面 …, 合計)",
            f"item:{S}:objectives, kpis, action_plans, achieved or missed", f"stated:{I}:Count the document states",
            f"counted:{I}:Count read (or, for achieved/missed, computed from kpi_history)", f"ok:{B}:stated = counted",
        ),
        ("document", "theme_code", "scope", "item"),
    ),
    Published(
        "scores", "A briefing deck's scores of each KPI for a year.",
        "(SELECT d.source_file, s.* FROM scores AS s JOIN documents AS d USING (document_id))",
        f"source_file, {natural_key('kpi_code')}, roc_year",
        _fields(
            f"source_file:{S}:Deck", f"kpi_code:{S}:KPI code", f"roc_year:{I}:Year scored",
            f"achievement_raw:{S}:目標達成度 as printed", f"achievement:{N}:目標達成度 %", f"innovation:{N}:創新度",
            f"challenge:{N}:挑戰度", f"contribution:{N}:貢獻度", f"page:{I}:PDF page",
        ),
        ("source_file", "kpi_code", "roc_year"),
    ),
)


EXPORT_THREADS = 2  # tables written at once


def export_csv(con: duckdb.DuckDBPyConnection, csv_dir: Path, parquet: bool = True) -> list[Path]:
    """Write every published table as CSV (and Parquet), then datapackage.json; return the paths.

    CSV: UTF-8, one header row, booleans true/false, NULL as an empty field. Each file is written
    beside its target and renamed into place.
    """
    csv_dir = Path(csv_dir)
    csv_dir.mkdir(parents=True, exist_ok=True)

    def publish(table: Published) -> list[Path]:
        """One table's files from one run of its query (the views behind it are the cost)."""
        cursor = con.cursor()  # DuckDB connections are not shared between threads; a cursor is one
        try:
            cursor.execute(f"CREATE TEMP TABLE _published AS {table.sql()}")  # keeps the query's row order
            files = [_copy(cursor, "FROM _published", csv_dir / f"{table.name}.csv", "FORMAT csv, HEADER")]
            if parquet:
                files.append(_copy(cursor, "FROM _published", csv_dir / f"{table.name}.parquet", "FORMAT parquet"))
            return files
        finally:
            cursor.close()  # drops its temporary table

    with ThreadPoolExecutor(EXPORT_THREADS) as pool:  # DuckDB runs queries without the GIL
        written = [path for files in pool.map(publish, TABLES) for path in files]
    package = csv_dir / "datapackage.json"
    _write_atomic(package, json.dumps(datapackage(), ensure_ascii=False, indent=2) + "\n")
    return written + [package]


def datapackage() -> dict:
    """The Frictionless Data Package describing the CSV files."""
    return {
        "name": "kpi-scorecard",
        "title": "Taipei City Government KPI scorecards, year over year",
        "description": "KPI targets and actuals read from annual reports (施政報告) and briefing decks, "
        "each value with its printed text, source file and page.",
        "resources": [
            {
                "name": table.name.replace("_", "-"),
                "path": f"{table.name}.csv",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "description": table.description,
                "schema": {
                    "fields": [{"name": f.name, "type": f.type, "description": f.description} for f in table.fields],
                    "primaryKey": list(table.primary_key),
                    "foreignKeys": [
                        {"fields": [own], "reference": {"resource": other.replace("_", "-"), "fields": [theirs]}}
                        for own, other, theirs in table.foreign_keys
                    ],
                },
            }
            for table in TABLES
        ],
    }


def _copy(con: duckdb.DuckDBPyConnection, query: str, path: Path, options: str) -> Path:
    """COPY query to path atomically (temporary file, then rename)."""
    tmp = path.with_name(f".{path.name}.tmp")
    target = str(tmp).replace("'", "''")
    try:
        con.execute(f"COPY ({query}) TO '{target}' ({options})")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def summary(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Counts for the CLI summary line.

    problems = all rows of repairs; repairs / warnings split them by kind;
    mismatches = reconciliation rows whose stated count differs from the found one.
    """
    row = con.execute(
        """
        SELECT
            (SELECT count(*) FROM documents),
            (SELECT count(*) FROM kpis),
            (SELECT count(*) FROM measures),
            (SELECT count(*) FROM repairs),
            (SELECT count(*) FROM repairs WHERE kind = 'repair'),
            (SELECT count(*) FROM repairs WHERE kind = 'warning'),
            (SELECT count(*) FROM reconciliation WHERE NOT ok),
            (SELECT count(DISTINCT (kpi_id, measure_no, roc_year, kind)) FROM conflicts),
            (SELECT count(DISTINCT kpi_id) FROM kpi_links)
        """
    ).fetchone()
    keys = ("documents", "kpis", "measures", "problems", "repairs", "warnings", "mismatches", "conflicts", "identities")
    return dict(zip(keys, row))


ITEM_WORDS = {"kpis": "KPIs", "action_plans": "action plans"}


def count_warnings(con: duckdb.DuckDBPyConnection, source_files: list[str]) -> list[str]:
    """One line per stated count the documents' contents do not bear out (reconciliation)."""
    rows = con.execute(
        """
        SELECT d.source_file, r.theme_code, r.theme_name, r.scope, r.item, r.stated, r.counted
        FROM reconciliation AS r JOIN documents AS d USING (document_id)
        WHERE NOT r.ok AND list_contains(?, d.source_file)
        ORDER BY list_position(?, d.source_file), r.rowid  -- as the document prints them
        """,
        [source_files, source_files],
    ).fetchall()
    lines = []
    for source, theme, name, scope, item, stated, counted in rows:
        if item == "theme":
            lines.append(f"Warning: {source}: theme {theme} ({name}) is in the contents but was not found")
        elif scope == "theme":
            lines.append(f"Warning: {source}: theme {theme} states {stated} {ITEM_WORDS.get(item, item)}, found {counted}")
        else:
            lines.append(f"Warning: {source}: {scope} states {stated} {item}, the warehouse computes {counted}")
    return lines
