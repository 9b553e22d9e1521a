"""Publish the warehouse as CSV open data and summarize its contents."""
from __future__ import annotations

import os
from pathlib import Path

import duckdb

# Contract: the leading columns of the kpi_history view and the exact CSV header.
KPI_HISTORY_COLUMNS: tuple[str, ...] = (
    "roc_year", "theme_code", "theme_name", "objective_code", "objective_name",
    "kpi_code", "kpi_name", "measure_no", "formula", "unit", "direction",
    "action_plans", "agency", "target_raw", "target_value", "target_op",
    "actual_raw", "actual_value", "actual_op", "achieved", "source_file", "page",
)
REPAIRS_COLUMNS: tuple[str, ...] = (
    "document", "kind", "what", "page", "row", "column", "raw", "fixed",
)
RECONCILIATION_COLUMNS: tuple[str, ...] = (
    "document", "theme_code", "theme_name", "item", "stated", "counted", "ok",
)


def natural_key(column: str) -> str:
    """SQL ORDER BY terms sorting codes naturally (AC1.9 before AC1.10)."""
    return (
        f"regexp_extract({column}, '^[^0-9]*'), "
        f"CAST(regexp_extract_all({column}, '[0-9]+') AS DOUBLE[]), {column}"
    )


def _select(columns: tuple[str, ...]) -> str:
    return ", ".join(f'"{c}"' for c in columns)


def kpi_history_query() -> str:
    """The published kpi_history rows, in a deterministic order."""
    order = ", ".join([
        "source_file",
        natural_key("theme_code"),
        natural_key("objective_code"),
        natural_key("kpi_code"),
        "measure_no",
    ])
    return f"SELECT {_select(KPI_HISTORY_COLUMNS)} FROM kpi_history ORDER BY {order}"


def repairs_query() -> str:
    """Every repair and warning, in document then discovery order."""
    return f"SELECT {_select(REPAIRS_COLUMNS)} FROM repairs ORDER BY document, problem_no"


def reconciliation_query() -> str:
    """Stated versus counted items per theme, in a deterministic order."""
    columns = ", ".join(
        "d.source_file AS document" if c == "document" else f'r."{c}"'
        for c in RECONCILIATION_COLUMNS
    )
    order = ", ".join([
        "d.source_file",
        natural_key("r.theme_code"),
        "list_position(['objectives', 'kpis', 'action_plans'], r.item)",
    ])
    return (
        f"SELECT {columns} FROM reconciliation AS r "
        f"JOIN documents AS d ON d.document_id = r.document_id ORDER BY {order}"
    )


def export_csv(con: duckdb.DuckDBPyConnection, csv_dir: Path) -> list[Path]:
    """Write kpi_history.csv, repairs.csv and reconciliation.csv; return their paths.

    UTF-8, one header row, booleans as true/false, NULL as an empty field.
    Each file is written beside its target and renamed into place.
    """
    csv_dir = Path(csv_dir)
    csv_dir.mkdir(parents=True, exist_ok=True)
    queries = {
        "kpi_history.csv": kpi_history_query(),
        "repairs.csv": repairs_query(),
        "reconciliation.csv": reconciliation_query(),
    }
    return [_copy_csv(con, query, csv_dir / name) for name, query in queries.items()]


def _copy_csv(con: duckdb.DuckDBPyConnection, query: str, path: Path) -> Path:
    """COPY query to path atomically (temporary file, then rename)."""
    tmp = path.with_name(f".{path.name}.tmp")
    target = str(tmp).replace("'", "''")
    try:
        con.execute(f"COPY ({query}) TO '{target}' (FORMAT csv, HEADER)")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


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
            (SELECT count(*) FROM reconciliation WHERE NOT ok)
        """
    ).fetchone()
    keys = ("documents", "kpis", "measures", "problems", "repairs", "warnings", "mismatches")
    return dict(zip(keys, row))
