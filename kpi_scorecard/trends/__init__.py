"""The year-over-year trend report of a whole warehouse: one offline HTML file (charts by
matplotlib, inline SVG) an analyst opens instead of writing SQL."""
from __future__ import annotations

import os
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path

import duckdb

from kpi_scorecard.trends.data import Report, warehouse_to_report
from kpi_scorecard.trends.page import report_to_html

__all__ = ["Report", "trend_report_html", "warehouse_to_report", "write_trend_report"]


Progress = Callable[[int], AbstractContextManager[Callable[[int], None] | None]]
"""Called with the number of KPI charts to draw; its context's value is called after each."""


def trend_report_html(
    con: duckdb.DuckDBPyConnection, title: str | None = None, progress: Progress | None = None, language: str | None = None,
) -> str:
    """The report's page, in zh-TW or en (None: the locale's)."""
    report = warehouse_to_report(con)
    with progress(len(report.kpis)) if progress else nullcontext() as on_chart:
        return report_to_html(report, title, on_chart, language)


def write_trend_report(
    con: duckdb.DuckDBPyConnection, path: Path, progress: Progress | None = None, language: str | None = None,
) -> Path:
    """Write the report to path (whole: a temporary file beside it, then renamed); returns path."""
    path = Path(path)
    html = trend_report_html(con, progress=progress, language=language)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(html, encoding="utf-8")
    os.replace(tmp, path)
    return path
