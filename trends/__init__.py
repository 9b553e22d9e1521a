"""The year-over-year trend report of a whole warehouse: one offline HTML file (charts by
matplotlib, inline SVG) an analyst opens instead of writing SQL."""
from __future__ import annotations

import os
from pathlib import Path

import duckdb

from trends.data import Report, warehouse_to_report
from trends.page import report_to_html

__all__ = ["Report", "trend_report_html", "warehouse_to_report", "write_trend_report"]


def trend_report_html(con: duckdb.DuckDBPyConnection, title: str = "KPI trends") -> str:
    return report_to_html(warehouse_to_report(con), title)


def write_trend_report(con: duckdb.DuckDBPyConnection, path: Path) -> Path:
    """Write the report to path (whole: a temporary file beside it, then renamed); returns path."""
    path = Path(path)
    html = trend_report_html(con)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(html, encoding="utf-8")
    os.replace(tmp, path)
    return path
