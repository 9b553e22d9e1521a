"""DuckDB KPI warehouse: load Scorecards, publish CSV open data."""
from __future__ import annotations

from kpi_scorecard.warehouse.errors import UnknownKpi, WarehouseError, WarehouseLocked, WarehouseNotFound, WarehouseTooNew
from kpi_scorecard.warehouse.export import KPI_HISTORY_COLUMNS, count_warnings, export_csv, summary
from kpi_scorecard.warehouse.load import ReadDocument, achieved_values, document_id, load_scorecard, load_scorecards, preview_links, relink, tool_version
from kpi_scorecard.warehouse.schema import connect, connect_read_only

__all__ = [
    "KPI_HISTORY_COLUMNS",
    "ReadDocument",
    "UnknownKpi",
    "WarehouseError",
    "WarehouseLocked",
    "WarehouseNotFound",
    "WarehouseTooNew",
    "achieved_values",
    "connect",
    "connect_read_only",
    "count_warnings",
    "document_id",
    "export_csv",
    "load_scorecard",
    "load_scorecards",
    "preview_links",
    "relink",
    "summary",
    "tool_version",
]
