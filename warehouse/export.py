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

from kpi_scorecard.warehouse.rows import one_row

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
    title: str  # zh-TW, as data.taipei and data.gov.tw name their columns
    description: str

    def header(self, headers: str) -> str:
        """The field's column name in a CSV written with headers 'en' (its name) or 'zh' (its title)."""
        return self.title if headers == "zh" else self.name


@dataclass(frozen=True)
class Published:
    name: str
    title: str  # zh-TW
    description: str
    source: str  # the view or table, or a query in parentheses, that has the fields as columns
    order_by: str
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[tuple[str, str, str], ...] = field(default=())  # (field, table, field)

    def sql(self, where: str = "TRUE") -> str:
        """The published rows (those where `where` holds): exactly the fields, in their order (the
        CSV header is the schema)."""
        columns = ", ".join(f'"{f.name}"' for f in self.fields)
        return f"SELECT {columns} FROM {self.source} WHERE {where} ORDER BY {self.order_by}"

    def header(self, name: str, headers: str) -> str:
        """A field's column name in a CSV written with these headers."""
        return next(f for f in self.fields if f.name == name).header(headers)


def _fields(*specs: str) -> tuple[Field, ...]:
    """"name:type:title:description" strings → Fields."""
    return tuple(Field(*spec.split(":", 3)) for spec in specs)


S, INT, N, B = "string", "integer", "number", "boolean"
VALUE_KIND = (
    "number, none (no number printed), qualitative, compound (several numbers), "
    "unparsed (a number that cannot be read with certainty), empty"
)

TABLES: tuple[Published, ...] = (
    Published(
        "kpi_history", "關鍵績效指標歷年資料(各來源文件)", "One row per KPI measure per reported year per source document.",
        "kpi_history",
        f"source_file, {natural_key('kpi_code')}, measure_no, roc_year",
        _fields(
            f"roc_year:{INT}:年度:Reported year, ROC calendar (110 = 2021)",
            f"theme_code:{S}:策略主題代碼:Strategic theme letter (A–H)", f"theme_name:{S}:策略主題名稱:Strategic theme",
            f"objective_code:{S}:策略目標代碼:Strategic objective code, e.g. AC1",
            f"objective_name:{S}:策略目標名稱:Strategic objective",
            f"kpi_code:{S}:關鍵績效指標代碼:KPI code as printed (repaired where misprinted)",
            f"kpi_name:{S}:關鍵績效指標名稱:KPI name",
            f"measure_no:{INT}:衡量項次:1..n: a KPI printed with several target rows has several measures",
            f"formula:{S}:衡量公式:Formula text", f"unit:{S}:單位:Unit printed after 單位：",
            f"direction:{S}:指標方向:negative when lower is better (負向指標), else positive",
            f"action_plans:{S}:行動計畫:Action plans, one 'CODE name' per line",
            f"agency:{S}:主責機關:Responsible agency (主責機關)",
            f"target_raw:{S}:目標值(原文):Target as printed",
            f"target_value:{N}:目標值(數值):Target number; empty when none is printed",
            f"target_op:{S}:目標值比較符號:<=, >=, <, >, ± printed with the target",
            f"actual_raw:{S}:實際值(原文):Actual as printed",
            f"actual_value:{N}:實際值(數值):Actual number; empty when none is printed",
            f"actual_op:{S}:實際值比較符號:Operator printed with the actual",
            f"achieved:{B}:是否達成目標:Actual meets target (honours target_op and direction); empty when a side has no number",
            f"source_file:{S}:來源檔案:File name of the source document",
            f"page:{INT}:頁碼:PDF page where the row starts (a deck file's slide); empty for text dumps and office text documents",
            f"kpi_id:{S}:指標識別碼:KPI identity across documents and years (see kpis)",
            f"target_kind:{S}:目標值類型:{VALUE_KIND}",
            f"target_note:{S}:目標值附註:Text printed beside the target number, or why there is none",
            f"actual_kind:{S}:實際值類型:{VALUE_KIND}",
            f"actual_note:{S}:實際值附註:Text printed beside the actual number, or why there is none",
            f"table_no:{INT}:表格序號:Office files: the table's number in the document (on its slide, for a deck; page is the slide)",
            f"row_no:{INT}:表格列號:Office files: the row's number in that table, from 1",
            f"year:{INT}:西元年:Reported year, Gregorian calendar (roc_year + 1911)",
        ),
        ("source_file", "kpi_code", "measure_no", "roc_year"),
        (("kpi_id", "kpis", "kpi_id"),),
    ),
    Published(
        "kpi_trend", "關鍵績效指標歷年趨勢",
        "One row per KPI identity, measure and year: target and actual chosen by precedence "
        "(annual report over briefing deck, later document over earlier, KPI table over results over tasks table).",
        "kpi_trend",
        f"{natural_key('kpi_id')}, measure_no, roc_year",
        _fields(
            f"kpi_id:{S}:指標識別碼:KPI identity", f"measure_no:{INT}:衡量項次:Measure of the KPI",
            f"roc_year:{INT}:年度:Year (ROC calendar)", f"year:{INT}:西元年:Year (Gregorian calendar, roc_year + 1911)",
            f"kpi_code:{S}:關鍵績效指標代碼(當年):Code printed that year",
            f"kpi_name:{S}:關鍵績效指標名稱(當年):Name printed that year (by that year's own documents first)",
            f"theme_code:{S}:策略主題代碼:Strategic theme letter", f"objective_code:{S}:策略目標代碼(當年):Strategic objective code printed that year",
            f"direction:{S}:指標方向:negative when lower is better",
            f"target_raw:{S}:目標值(原文):Chosen target as printed", f"target_value:{N}:目標值(數值):Chosen target number",
            f"target_op:{S}:目標值比較符號:Operator printed with the target",
            f"target_source:{S}:目標值來源檔案:File the target was taken from",
            f"target_page:{INT}:目標值頁碼:PDF page the target was taken from",
            f"actual_raw:{S}:實際值(原文):Chosen actual as printed", f"actual_value:{N}:實際值(數值):Chosen actual number",
            f"actual_source:{S}:實際值來源檔案:File the actual was taken from",
            f"actual_page:{INT}:實際值頁碼:PDF page the actual was taken from",
            f"achieved:{B}:是否達成目標:Actual meets target",
            f"previous_year:{INT}:前一資料年度:The identity's previous year with data",
            f"actual_change:{N}:實際值較前一年度增減:Actual minus the previous year's actual",
            f"sources:{S}:刊載來源檔案:Every file that prints a value for this year, '; '-separated",
        ),
        ("kpi_id", "measure_no", "roc_year"),
        (("kpi_id", "kpis", "kpi_id"),),
    ),
    Published(
        "kpis", "關鍵績效指標", "KPI identities: what each is called now and where it appears.",
        "(SELECT l.kpi_id, any_value(t.kpi_code) AS kpi_code, any_value(t.kpi_name) AS kpi_name, "
        "any_value(t.theme_code) AS theme_code, any_value(t.objective_code) AS objective_code, "
        "min(d.roc_year) AS first_year, max(t.roc_year) AS last_year, "
        "string_agg(DISTINCT d.source_file, '; ' ORDER BY d.source_file) AS documents "
        "FROM kpi_links AS l JOIN documents AS d USING (document_id) "
        "JOIN (SELECT DISTINCT ON (kpi_id) * FROM kpi_trend ORDER BY kpi_id, roc_year DESC, measure_no) AS t USING (kpi_id) "
        "GROUP BY l.kpi_id)",
        natural_key("kpi_id"),
        _fields(
            f"kpi_id:{S}:指標識別碼:KPI identity: its first code, with #2, #3 when a code was reused for another KPI",
            f"kpi_code:{S}:關鍵績效指標代碼(最新):Current code", f"kpi_name:{S}:關鍵績效指標名稱(最新):Current name",
            f"theme_code:{S}:策略主題代碼:Strategic theme letter", f"objective_code:{S}:策略目標代碼:Strategic objective code",
            f"first_year:{INT}:首次刊載年度:Year (ROC) of the earliest document printing it",
            f"last_year:{INT}:最近資料年度:Latest year (ROC) with a value",
            f"documents:{S}:刊載來源檔案:Files printing it, '; '-separated",
        ),
        ("kpi_id",),
        (("theme_code", "themes", "theme_code"),),
    ),
    Published(
        "kpi_links", "指標跨年度連結", "How each document's KPI was tied to its identity, with the similarity that decided it.",
        "(SELECT d.source_file, l.* FROM kpi_links AS l JOIN documents AS d USING (document_id))",
        f"source_file, {natural_key('kpi_code')}",
        _fields(
            f"source_file:{S}:來源檔案:Document", f"kpi_code:{S}:關鍵績效指標代碼:Code printed in the document",
            f"kpi_name:{S}:關鍵績效指標名稱:Name printed", f"kpi_id:{S}:指標識別碼:Identity linked to",
            f"decision:{S}:連結判定:matched (same code and name), renamed, renumbered (another code), new, "
            "ambiguous (a new identity: two candidates too close), pinned or split (overrides)",
            f"score:{N}:名稱相似度:Name similarity 0–100 to the identity matched or compared to",
            f"compared_to:{S}:比對之候選識別碼:Nearest identity when it was not taken", f"reason:{S}:判定理由:Why",
            f"previous_document:{S}:前次刊載檔案:The identity's print before this document: its file",
            f"previous_code:{S}:前次代碼:… its code", f"previous_name:{S}:前次名稱:… its name",
        ),
        ("source_file", "kpi_code"),
        (("kpi_id", "kpis", "kpi_id"),),
    ),
    Published(
        "themes", "策略主題", "Strategic themes.",
        "(SELECT theme_code, max(theme_name) AS theme_name FROM themes GROUP BY theme_code)",
        "theme_code",
        _fields(f"theme_code:{S}:策略主題代碼:Theme letter", f"theme_name:{S}:策略主題名稱:Theme name"),
        ("theme_code",),
    ),
    Published(
        "objectives", "策略目標", "Strategic objectives.",
        "(SELECT objective_code, max(objective_name) AS objective_name, max(theme_code) AS theme_code "
        "FROM objectives GROUP BY objective_code)",
        natural_key("objective_code"),
        _fields(
            f"objective_code:{S}:策略目標代碼:Objective code", f"objective_name:{S}:策略目標名稱:Objective",
            f"theme_code:{S}:策略主題代碼:Theme letter",
        ),
        ("objective_code",),
        (("theme_code", "themes", "theme_code"),),
    ),
    Published(
        "extra_columns", "關鍵績效指標表其他欄位",
        "Columns a KPI table prints beside its own (達成率, 達成情形, 備註, 差異說明, 權重 …): each measure's "
        "text under the column's header, as printed; never read as a target or actual.",
        "(SELECT d.source_file, e.* EXCLUDE (document_id) FROM extra_columns AS e JOIN documents AS d USING (document_id))",
        f"source_file, {natural_key('kpi_code')}, measure_no, roc_year, header",
        _fields(
            f"source_file:{S}:來源檔案:Source document", f"kpi_code:{S}:關鍵績效指標代碼:KPI code",
            f"measure_no:{INT}:衡量項次:Measure of the KPI", f"roc_year:{INT}:年度:Reported year (ROC calendar)",
            f"header:{S}:欄位名稱:The column's header text as printed (whitespace removed)",
            f"text:{S}:內容:The measure's cell text as printed (empty where blank)",
        ),
        ("source_file", "kpi_code", "measure_no", "roc_year", "header"),
    ),
    Published(
        "repairs", "讀取修正與待檢核項目", "Every repair made, row stitched and value left for review while reading, with its page.",
        "repairs",
        "document, problem_no",
        _fields(
            f"document:{S}:來源檔案:Source file", f"problem_no:{INT}:序號:Order found",
            f"kind:{S}:類別:repair, warning, stitch, skipped_table or tie (a deck's tasks row tied to a KPI, or not)",
            f"what:{S}:項目:What was found, e.g. plan_code_truncated, compound_value", f"page:{INT}:頁碼:PDF page",
            f"row:{S}:關鍵績效指標代碼:KPI code of the row", f"column:{S}:欄位:Column",
            f"raw:{S}:原文:Text as printed", f"fixed:{S}:修正後:Text as repaired",
            f"occurrences:{INT}:出現次數:How many times it was found (text-layer repairs count characters)",
        ),
        ("document", "problem_no"),
    ),
    Published(
        "conflicts", "數值不一致之刊載", "Prints of one KPI identity, measure, year and kind that disagree on the number; "
        "chosen marks the one kpi_trend uses.",
        "conflicts",
        f"{natural_key('kpi_id')}, measure_no, roc_year, kind, NOT chosen, source_file, obs_no",
        _fields(
            f"kpi_id:{S}:指標識別碼:KPI identity", f"measure_no:{INT}:衡量項次:Measure", f"roc_year:{INT}:年度:Year",
            f"kind:{S}:數值種類:target or actual",
            f"scope:{S}:不一致範圍:within_document when one document prints two numbers, else across_documents",
            f"source_file:{S}:來源檔案:Document", f"obs_no:{INT}:刊載序號:Print number within the document",
            f"page:{INT}:頁碼:PDF page (a deck file's slide)",
            f"table_no:{INT}:表格序號:Office files: the KPI table's number (as in kpi_history)",
            f"row_no:{INT}:表格列號:Office files: the row's number in that table",
            f"source:{S}:來源表格:kpi table, results table or tasks table",
            f"kpi_code:{S}:關鍵績效指標代碼:Code printed", f"raw:{S}:原文:As printed", f"value:{N}:數值:Number read",
            f"chosen:{B}:是否採用:The print kpi_trend uses",
        ),
        ("source_file", "obs_no"),
        (("kpi_id", "kpis", "kpi_id"),),
    ),
    Published(
        "reconciliation", "項數核對", "What each document states it contains against what was read and computed.",
        "(SELECT d.source_file AS document, r.* FROM reconciliation AS r JOIN documents AS d USING (document_id))",
        f"document, {natural_key('theme_code')}, scope = 'theme' DESC, scope, "
        "list_position(['theme', 'objectives', 'kpis', 'action_plans', 'achieved', 'missed'], item)",
        _fields(
            f"document:{S}:來源檔案:Source file", f"theme_code:{S}:策略主題代碼:Theme letter",
            f"theme_name:{S}:策略主題名稱:Theme",
            f"scope:{S}:範圍:theme, or a briefing deck's perspective (顧客構面 …, 合計)",
            f"item:{S}:項目:objectives, kpis, action_plans, achieved or missed",
            f"stated:{INT}:文件所載項數:Count the document states",
            f"counted:{INT}:讀取項數:Count read (for a deck's achieved/missed: KPIs whose 目標達成度 is 100 % or more, or below, as the deck counts them)",
            f"ok:{B}:是否相符:stated = counted",
            f"by_values:{INT}:依數值判定項數:A deck's achieved/missed as kpi_history's achieved (actual against target) counts them",
        ),
        ("document", "theme_code", "scope", "item"),
    ),
    Published(
        "scores", "簡報評分", "A briefing deck's scores of each KPI for a year.",
        "(SELECT d.source_file, s.* FROM scores AS s JOIN documents AS d USING (document_id))",
        f"source_file, {natural_key('kpi_code')}, roc_year",
        _fields(
            f"source_file:{S}:來源檔案:Deck", f"kpi_code:{S}:關鍵績效指標代碼:KPI code", f"roc_year:{INT}:年度:Year scored",
            f"achievement_raw:{S}:目標達成度(原文):目標達成度 as printed", f"achievement:{N}:目標達成度(%):目標達成度 %",
            f"innovation:{N}:創新度:創新度", f"challenge:{N}:挑戰度:挑戰度", f"contribution:{N}:貢獻度:貢獻度",
            f"page:{INT}:頁碼:PDF page",
        ),
        ("source_file", "kpi_code", "roc_year"),
    ),
)


EXPORT_THREADS = 2  # cursors writing tables at once
# Views that several published tables read (kpi_trend and conflicts rank the prints of
# observations_ranked; kpis reads kpi_trend): computed once, in this order, into temporary tables of
# their names on the cursor that publishes those tables, where they shadow the views (inside other
# views too).
SHARED_VIEWS = ("observations_ranked", "kpi_trend")
SHARED_VIEW_READERS = ("kpi_trend", "kpis", "conflicts")


def export_csv(
    con: duckdb.DuckDBPyConnection, csv_dir: Path, parquet: bool = True, bom: bool = False, headers: str = "en",
) -> list[Path]:
    """Write every published table as CSV (and Parquet), then datapackage.json; return the paths.

    CSV: UTF-8 (with a byte order mark when bom, for Excel), one header row of the field names
    (headers 'en') or of their zh-TW titles ('zh'; datapackage.json then names the fields so),
    booleans true/false, NULL as an empty field. Parquet files always carry the field names.
    Each file is written beside its target and renamed into place.
    """
    csv_dir = Path(csv_dir)
    csv_dir.mkdir(parents=True, exist_ok=True)

    def publish(group: tuple[tuple[Published, ...], tuple[str, ...]]) -> dict[str, list[Path]]:
        """Tables written on one cursor, after the views they share are computed there."""
        tables, views = group
        cursor = con.cursor()  # DuckDB connections are not shared between threads; a cursor is one
        try:
            for view in views:
                cursor.execute(f"CREATE TEMP TABLE {view} AS FROM {view}")
            return {table.name: _publish(cursor, table, csv_dir, parquet, bom, headers) for table in tables}
        finally:
            cursor.close()  # drops its temporary tables

    with ThreadPoolExecutor(EXPORT_THREADS) as pool:  # DuckDB runs queries without the GIL
        files = {name: paths for written in pool.map(publish, _publishing_groups()) for name, paths in written.items()}
    package = csv_dir / "datapackage.json"
    _write_atomic(package, json.dumps(datapackage(headers), ensure_ascii=False, indent=2) + "\n")
    return [path for table in TABLES for path in files[table.name]] + [package]


def _publishing_groups() -> list[tuple[tuple[Published, ...], tuple[str, ...]]]:
    """The published tables in groups, each written on a cursor of its own, with the views to
    compute there first: the readers of the shared views together, every other table alone."""
    readers = tuple(t for t in TABLES if t.name in SHARED_VIEW_READERS)
    return [(readers, SHARED_VIEWS), *(((t,), ()) for t in TABLES if t not in readers)]


def _publish(cursor: duckdb.DuckDBPyConnection, table: Published, csv_dir: Path, parquet: bool, bom: bool, headers: str) -> list[Path]:
    """One table's files from one run of its query (the views behind it are the cost)."""
    cursor.execute(f"CREATE OR REPLACE TEMP TABLE _published AS {table.sql()}")  # keeps the query's row order
    columns = ", ".join(f'"{f.name}" AS "{f.header(headers)}"' for f in table.fields)
    files = [_copy(cursor, f"SELECT {columns} FROM _published", csv_dir / f"{table.name}.csv", "FORMAT csv, HEADER", bom)]
    if parquet:
        files.append(_copy(cursor, "FROM _published", csv_dir / f"{table.name}.parquet", "FORMAT parquet"))
    return files


def datapackage(headers: str = "en") -> dict:
    """The Frictionless Data Package describing the CSV files written with these headers: each
    field's name is its CSV column, beside its zh-TW title and English description."""
    return {
        "name": "kpi-scorecard",
        "title": "Taipei City Government KPI scorecards, year over year",
        "description": "KPI targets and actuals read from annual reports (施政報告) and briefing decks, "
        "each value with its printed text, source file and page.",
        "resources": [
            {
                "name": table.name.replace("_", "-"),
                "title": table.title,
                "path": f"{table.name}.csv",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "description": table.description,
                "schema": {
                    "fields": [
                        {"name": f.header(headers), "title": f.title, "type": f.type, "description": f.description}
                        for f in table.fields
                    ],
                    "primaryKey": [table.header(name, headers) for name in table.primary_key],
                    "foreignKeys": [
                        {
                            "fields": [table.header(own, headers)],
                            "reference": {"resource": other.replace("_", "-"), "fields": [published(other).header(theirs, headers)]},
                        }
                        for own, other, theirs in table.foreign_keys
                    ],
                },
            }
            for table in TABLES
        ],
    }


def published(name: str) -> Published:
    """The published table of this name."""
    try:
        return next(t for t in TABLES if t.name == name)
    except StopIteration:
        raise KeyError(f"{name!r}: the published tables are {', '.join(t.name for t in TABLES)}") from None


UTF8_BOM = b"\xef\xbb\xbf"


def _copy(con: duckdb.DuckDBPyConnection, query: str, path: Path, options: str, bom: bool = False) -> Path:
    """COPY query to path atomically (temporary file, then rename); a CSV with a byte order mark
    when bom (DuckDB writes none)."""
    tmp = path.with_name(f".{path.name}.tmp")
    target = str(tmp).replace("'", "''")
    try:
        con.execute(f"COPY ({query}) TO '{target}' ({options})")
        if bom:
            tmp.write_bytes(UTF8_BOM + tmp.read_bytes())
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
    # One-row aggregates side by side: DuckDB plans nine scalar subqueries several times slower
    row = one_row(
        con,
        """
        SELECT * FROM
            (SELECT count(*) FROM documents),
            (SELECT count(*) FROM kpis),
            (SELECT count(*) FROM measures),
            (SELECT count(*), count(*) FILTER (kind = 'repair'), count(*) FILTER (kind = 'warning') FROM repairs),
            (SELECT count(*) FILTER (NOT ok) FROM reconciliation),
            (SELECT count(DISTINCT (kpi_id, measure_no, roc_year, kind)) FROM conflicts),
            (SELECT count(DISTINCT kpi_id) FROM kpi_links)
        """,
    )
    keys = ("documents", "kpis", "measures", "problems", "repairs", "warnings", "mismatches", "conflicts", "identities")
    return dict(zip(keys, row, strict=True))


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
            lines.append(f"Warning: {source}: {scope} states {stated} {ITEM_WORDS.get(item, item)}, its 目標達成度 column gives {counted}")
    skipped = con.execute(
        """
        SELECT d.source_file, r.page, r.what, r.raw FROM repairs AS r JOIN documents AS d USING (document_id)
        WHERE r.kind = 'skipped_table' AND r.what LIKE 'kpi_header_%' AND list_contains(?, d.source_file)
        ORDER BY list_position(?, d.source_file), r.problem_no
        """,
        [source_files, source_files],
    ).fetchall()
    lines += [f"Warning: {source}: page {page}: KPI table skipped ({what.removeprefix('kpi_header_').replace('_', ' ')}): {raw}"
              for source, page, what, raw in skipped]
    return lines
