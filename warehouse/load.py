"""Load normalized Scorecards into the DuckDB KPI warehouse."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path, PureWindowsPath

import duckdb

from kpi_scorecard.normalize.records import ACHIEVED_AT, Kpi, Measure, Observation, Score, Scorecard, ThemeCount
from kpi_scorecard.warehouse.identity import Link, Override
from kpi_scorecard.warehouse.links import link_all, link_loaded_document
from kpi_scorecard.warehouse.recognised import check_against_history
from kpi_scorecard.warehouse.rows import Row, insert_rows, one_row, select_rows
from kpi_scorecard.warehouse.schema import connect

# Insert order (parents first); deletes run in reverse.
TABLE_COLUMNS: dict[str, tuple[str, ...]] = {
    "documents": (
        "document_id", "source_file", "sha256", "roc_year", "pages", "loaded_at", "kind",
        "tool_version", "source_path", "read_pages",
    ),
    "themes": ("document_id", "theme_code", "theme_name"),
    "objectives": ("document_id", "objective_code", "objective_name", "theme_code"),
    "kpis": ("document_id", "kpi_code", "kpi_name", "objective_code"),
    "measures": (
        "document_id", "kpi_code", "measure_no", "formula", "unit", "direction",
        "action_plans", "agency", "roc_year",
        "target_raw", "target_value", "target_op", "target_note", "target_kind",
        "actual_raw", "actual_value", "actual_op", "actual_note", "actual_kind",
        "page", "table_no", "row_no", "target_confidence", "actual_confidence",
    ),
    "action_plans": ("document_id", "kpi_code", "measure_no", "plan_no", "plan_code", "plan_name"),
    "extra_columns": ("document_id", "kpi_code", "measure_no", "roc_year", "header", "text"),
    "repairs": (
        "document_id", "problem_no", "document", "kind", "what",
        "page", "row", "column", "raw", "fixed", "occurrences",
    ),
    "reconciliation": (
        "document_id", "theme_code", "theme_name", "scope", "item", "stated", "counted", "ok", "by_values",
    ),
    "observations": (
        "document_id", "obs_no", "kpi_code", "measure_no", "roc_year", "kind", "raw", "value", "op",
        "value_kind", "page", "source", "note", "table_no", "row_no",
    ),
    "scores": (
        "document_id", "kpi_code", "roc_year", "achievement_raw", "achievement", "innovation",
        "challenge", "contribution", "page",
    ),
}
# A document's own tables (kpi_links and kpi_identities span all documents: warehouse/links.py).
TABLES: tuple[str, ...] = tuple(TABLE_COLUMNS)

@dataclass(frozen=True)
class ReadDocument:
    """A scorecard and what it was read from."""

    scorecard: Scorecard
    sha256: str | None = None  # of the file's bytes
    path: Path | None = None  # the file (recorded absolute: what --rebuild reads again)
    pages: Sequence[int] | None = None  # the pages asked for; None: all


@cache
def tool_version() -> str | None:
    """This kpi-scorecard's version, from its package metadata; None when it was never installed."""
    try:
        return version("kpi-scorecard")
    except PackageNotFoundError:
        return None


def achieved_values(measures: list[Measure]) -> list[bool | None]:
    """kpi_history's `achieved` for measures not in a warehouse (yet): the one rule, the
    achieved() macro of schema.sql, run in an in-memory warehouse."""
    con = connect(":memory:")
    try:
        columns = ([m.actual.value for m in measures], [m.target.value for m in measures],
                   [m.target.op for m in measures], [m.direction for m in measures])
        rows = con.execute(
            "SELECT achieved(a::DOUBLE, t::DOUBLE, o, d) FROM (SELECT unnest(?) AS a, unnest(?) AS t, unnest(?) AS o, "
            "unnest(?) AS d, unnest(range(?)) AS i) ORDER BY i",
            [*columns, len(measures)],
        ).fetchall()
    finally:
        con.close()
    return [value for (value,) in rows]


def document_id(source_file: str) -> str:
    """Stable key of a document: its file name (either path separator)."""
    return PureWindowsPath(source_file).name


def load_scorecard(
    con: duckdb.DuckDBPyConnection,
    scorecard: Scorecard,
    sha256: str | None = None,
    overrides: Sequence[Override] = (),
    path: Path | None = None,
    pages: Sequence[int] | None = None,
) -> dict[str, int]:
    """Replace the document's rows with scorecard's in one transaction and link its KPIs to their
    identities (honouring `overrides`; documents after it are linked again, see warehouse/links.py).

    Returns rows inserted per table. On any error the transaction is rolled
    back (the warehouse is left as it was) and the error re-raised.
    """
    return load_scorecards(con, [ReadDocument(scorecard, sha256, path, pages)], overrides)[0]


def load_scorecards(
    con: duckdb.DuckDBPyConnection, documents: list[ReadDocument], overrides: Sequence[Override] = ()
) -> list[dict[str, int]]:
    """load_scorecard for several documents in one transaction: all of them are replaced, or none."""
    con.begin()
    try:
        counts = [_replace_document(con, document, overrides) for document in documents]
        con.commit()
    except BaseException:
        con.rollback()
        raise
    return counts


def preview_links(con: duckdb.DuckDBPyConnection, scorecard: Scorecard, overrides: Sequence[Override] = ()) -> list[Link]:
    """The identity links scorecard's KPIs get when it is loaded; the warehouse is left as it was."""
    con.begin()
    try:
        _replace_document(con, ReadDocument(scorecard), overrides)
        rows = select_rows(con, "SELECT * FROM kpi_links WHERE document_id = ? ORDER BY kpi_code", [document_id(scorecard.source_file)])
    finally:
        con.rollback()
    return [Link(**row) for row in rows]


def relink(con: duckdb.DuckDBPyConnection, overrides: Sequence[Override] = ()) -> None:
    """Link every document's KPIs to their identities again, in one transaction."""
    con.begin()
    try:
        link_all(con, overrides)
        con.commit()
    except BaseException:
        con.rollback()
        raise


def _replace_document(con: duckdb.DuckDBPyConnection, document: ReadDocument, overrides: Sequence[Override]) -> dict[str, int]:
    doc_id = document_id(document.scorecard.source_file)
    scorecard = check_against_history(con, document.scorecard, doc_id)  # only for a document read by OCR
    rows = scorecard_rows(scorecard, doc_id, document.sha256, document.path, document.pages)
    delete_document(con, doc_id)
    later = ("repairs", "reconciliation")  # the deck's counts need the rest loaded; the repairs, every duplicate
    keys = _primary_keys(con)
    duplicates: list[str] = []
    counts = {table: _insert_rows(con, table, _unique_rows(keys[table], table, rows[table], duplicates))
              for table in TABLES if table not in later}
    reconciliation = rows["reconciliation"] + _perspective_rows(con, scorecard, doc_id)
    counts["reconciliation"] = _insert_rows(con, "reconciliation", _unique_rows(keys["reconciliation"], "reconciliation", reconciliation, duplicates))
    counts["repairs"] = _insert_rows(con, "repairs", rows["repairs"] + _duplicate_rows(scorecard, doc_id, duplicates))
    link_loaded_document(con, doc_id, overrides)
    return counts


def scorecard_rows(
    scorecard: Scorecard, doc_id: str, sha256: str | None = None, path: Path | None = None,
    pages: Sequence[int] | None = None,
) -> dict[str, list[Row]]:
    """All warehouse rows of one scorecard, per table."""
    return {
        "documents": [_document_row(scorecard, doc_id, sha256, path, pages)],
        "themes": _theme_rows(scorecard, doc_id),
        "objectives": _objective_rows(scorecard, doc_id),
        "kpis": [_kpi_row(kpi, doc_id) for kpi in scorecard.kpis],
        "measures": [
            _measure_row(kpi, m, doc_id, m.roc_year or scorecard.roc_year)
            for kpi in scorecard.kpis for m in kpi.measures
        ],
        "action_plans": [  # once per measure, however many years it reports
            row for kpi in scorecard.kpis
            for m in {m.measure_no: m for m in reversed(kpi.measures)}.values()
            for row in _action_plan_rows(kpi, m, doc_id)
        ],
        "extra_columns": [
            {"document_id": doc_id, "kpi_code": kpi.code, "measure_no": m.measure_no,
             "roc_year": m.roc_year or scorecard.roc_year, "header": header, "text": text}
            for kpi in scorecard.kpis for m in kpi.measures for header, text in m.extras.items()
        ],
        "repairs": _repair_rows(scorecard, doc_id),
        "reconciliation": [
            row for count in scorecard.counts for row in _reconciliation_rows(count, doc_id)
        ],
        "observations": [_observation_row(o, n, doc_id) for n, o in enumerate(scorecard.observations, start=1)],
        "scores": [_score_row(s, doc_id) for s in scorecard.scores],
    }


def _unique_rows(key: tuple[str, ...], table: str, rows: list[Row], duplicates: list[str]) -> list[Row]:
    """rows without those repeating an earlier one's primary key (each named in `duplicates`): an
    inconsistency in one table of a document is a warning, not a failed load of all of it."""
    seen: set[tuple] = set()
    unique = []
    for row in rows:
        value = tuple(row.get(column) for column in key)
        if value in seen:
            duplicates.append(f"{table} {dict(zip(key[1:], value[1:], strict=True))}")
            continue
        seen.add(value)
        unique.append(row)
    return unique


def _primary_keys(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[str, ...]]:
    """Every warehouse table's primary key columns, in one catalog query."""
    return {table: tuple(columns) for table, columns in con.execute(
        "SELECT table_name, constraint_column_names FROM duckdb_constraints() "
        "WHERE database_name = current_database() AND constraint_type = 'PRIMARY KEY'"
    ).fetchall()}


def _duplicate_rows(scorecard: Scorecard, doc_id: str, duplicates: list[str]) -> list[Row]:
    """A warning row in repairs for each row left out as a duplicate."""
    first = len(scorecard.problems) + 1
    return [
        {"document_id": doc_id, "problem_no": number, "document": scorecard.source_file, "kind": "warning",
         "what": "duplicate_row_left_out", "raw": duplicate, "occurrences": 1}
        for number, duplicate in enumerate(duplicates, start=first)
    ]


def delete_document(con: duckdb.DuckDBPyConnection, doc_id: str) -> int:
    """Delete every row of a document (children first; no transaction of its own); how many. A
    document not in documents has none: its tables are written, and deleted, in one transaction."""
    if not one_row(con, "SELECT count(*) FROM documents WHERE document_id = ?", [doc_id])[0]:
        return 0
    return sum(one_row(con, f"DELETE FROM {table} WHERE document_id = ?", [doc_id])[0]
               for table in ("kpi_links", *reversed(TABLES)))


def _insert_rows(con: duckdb.DuckDBPyConnection, table: str, rows: list[Row]) -> int:
    return insert_rows(con, table, TABLE_COLUMNS[table], rows)


def _document_row(
    scorecard: Scorecard, doc_id: str, sha256: str | None, path: Path | None, pages: Sequence[int] | None
) -> Row:
    return {
        "document_id": doc_id,
        "source_file": scorecard.source_file,
        "sha256": sha256,
        "roc_year": scorecard.roc_year,
        "pages": scorecard.pages,
        "loaded_at": datetime.now(UTC).replace(tzinfo=None),
        "kind": scorecard.kind,
        "tool_version": tool_version(),
        "source_path": str(Path(path).resolve()) if path else None,
        "read_pages": list(pages) if pages is not None else None,
    }


def _theme_rows(scorecard: Scorecard, doc_id: str) -> list[Row]:
    """Themes of the KPIs and of the stated counts; first non-empty name wins."""
    names: dict[str, str | None] = {}
    pairs = [(k.theme_code, k.theme_name) for k in scorecard.kpis]
    pairs += [(c.theme_code, c.theme_name) for c in scorecard.counts]
    for code, name in pairs:
        if not names.get(code):
            names[code] = name or None
    return [{"document_id": doc_id, "theme_code": c, "theme_name": n} for c, n in names.items()]


def _objective_rows(scorecard: Scorecard, doc_id: str) -> list[Row]:
    """One row per objective code; the first KPI naming it wins."""
    rows: dict[str, Row] = {}
    for kpi in scorecard.kpis:
        rows.setdefault(kpi.objective_code, {
            "document_id": doc_id,
            "objective_code": kpi.objective_code,
            "objective_name": kpi.objective_name,
            "theme_code": kpi.theme_code,
        })
    return list(rows.values())


def _kpi_row(kpi: Kpi, doc_id: str) -> Row:
    return {
        "document_id": doc_id,
        "kpi_code": kpi.code,
        "kpi_name": kpi.name,
        "objective_code": kpi.objective_code,
    }


def _measure_row(kpi: Kpi, m: Measure, doc_id: str, roc_year: int) -> Row:
    row: Row = {
        "document_id": doc_id,
        "kpi_code": kpi.code,
        "measure_no": m.measure_no,
        "formula": m.formula,
        "unit": m.unit,
        "direction": m.direction,
        "action_plans": "\n".join(map(str, m.action_plans)) or None,
        "agency": m.agency,
        "roc_year": roc_year,
        "page": m.page,
        "table_no": m.table,
        "row_no": m.row,
    }
    for prefix, value in (("target", m.target), ("actual", m.actual)):
        row[f"{prefix}_raw"] = value.raw
        row[f"{prefix}_value"] = value.value
        row[f"{prefix}_op"] = value.op
        row[f"{prefix}_note"] = value.note
        row[f"{prefix}_kind"] = value.kind
        row[f"{prefix}_confidence"] = value.confidence
    return row


def _action_plan_rows(kpi: Kpi, m: Measure, doc_id: str) -> list[Row]:
    return [
        {
            "document_id": doc_id,
            "kpi_code": kpi.code,
            "measure_no": m.measure_no,
            "plan_no": plan_no,
            "plan_code": plan.code,
            "plan_name": plan.name,
        }
        for plan_no, plan in enumerate(m.action_plans, start=1)
    ]


def _repair_rows(scorecard: Scorecard, doc_id: str) -> list[Row]:
    return [
        {
            "document_id": doc_id,
            "problem_no": problem_no,
            "document": scorecard.source_file,
            "kind": p.kind,
            "what": p.what,
            "page": p.page,
            "row": p.row,
            "column": p.column,
            "raw": p.raw,
            "fixed": p.fixed,
            "occurrences": p.occurrences,
        }
        for problem_no, p in enumerate(scorecard.problems, start=1)
    ]


def _observation_row(o: Observation, obs_no: int, doc_id: str) -> Row:
    return {
        "document_id": doc_id, "obs_no": obs_no, "kpi_code": o.kpi_code, "measure_no": o.measure_no,
        "roc_year": o.roc_year, "kind": o.kind, "raw": o.value.raw, "value": o.value.value, "op": o.value.op,
        "value_kind": o.value.kind, "page": o.page, "source": o.source, "note": o.note,
        "table_no": o.table, "row_no": o.row,
    }


def _score_row(s: Score, doc_id: str) -> Row:
    return {
        "document_id": doc_id, "kpi_code": s.kpi_code, "roc_year": s.roc_year,
        "achievement_raw": s.achievement.raw, "achievement": s.achievement.value,
        "innovation": s.innovation.value, "challenge": s.challenge.value,
        "contribution": s.contribution.value, "page": s.page,
    }


def _perspective_rows(con: duckdb.DuckDBPyConnection, scorecard: Scorecard, doc_id: str) -> list[Row]:
    """A deck's stated counts per perspective against the KPIs it scored: objectives, KPIs, and
    how many achieved or missed their target by the deck's own rule (its 目標達成度, see
    ACHIEVED_AT), with what kpi_history's value rule computes beside them (`by_values`)."""
    if not scorecard.perspectives:
        return []
    scored = con.execute("""
        SELECT k.objective_code, s.achievement >= ? AS by_deck, h.achieved
        FROM scores AS s
        JOIN kpis AS k USING (document_id, kpi_code)
        LEFT JOIN kpi_history AS h
            ON h.document_id = s.document_id AND h.kpi_code = s.kpi_code
           AND h.roc_year = s.roc_year AND h.measure_no = 1
        WHERE s.document_id = ?
    """, [ACHIEVED_AT, doc_id]).fetchall()
    rows = []
    for p in scorecard.perspectives:
        mine = [row for row in scored if p.letter is None or row[0][1:2] == p.letter]
        counted = {"objectives": len({code for code, _, _ in mine}), "kpis": len(mine)}
        by_values: dict[str, int | None] = {"objectives": None, "kpis": None}
        for item, outcome in (("achieved", True), ("missed", False)):
            counted[item] = sum(by_deck is outcome for _, by_deck, _ in mine)
            by_values[item] = sum(achieved is outcome for _, _, achieved in mine)
        stated = {"objectives": p.stated_objectives, "kpis": p.stated_kpis,
                  "achieved": p.stated_achieved, "missed": p.stated_missed}
        rows += [{
            "document_id": doc_id, "theme_code": p.theme_code, "theme_name": None, "scope": p.perspective,
            "item": item, "stated": stated[item], "counted": counted[item], "by_values": by_values[item],
            "ok": None if stated[item] is None else stated[item] == counted[item],
        } for item in counted]
    return rows


def _reconciliation_rows(count: ThemeCount, doc_id: str) -> list[Row]:
    items: tuple[tuple[str, int | None, int], ...] = (
        ("objectives", count.stated_objectives, count.counted_objectives),
        ("kpis", count.stated_kpis, count.counted_kpis),
        ("action_plans", count.stated_plans, count.counted_plans),
    ) if count.found else ()  # a theme not found states nothing: its own row says it is missing
    if count.listed is not None:  # the contents were read: 1 if they list the theme, 1 if it was found
        items += (("theme", int(count.listed), int(count.found)),)
    return [
        {
            "document_id": doc_id,
            "theme_code": count.theme_code,
            "theme_name": count.theme_name,
            "scope": "theme",
            "item": item,
            "stated": stated,
            "counted": counted,
            "ok": None if stated is None else stated == counted,
        }
        for item, stated, counted in items
    ]
