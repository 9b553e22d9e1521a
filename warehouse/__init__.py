"""DuckDB KPI warehouse: load Scorecards, publish CSV open data."""
from __future__ import annotations

from warehouse.export import KPI_HISTORY_COLUMNS, count_warnings, export_csv, summary
from warehouse.load import (
    WarehouseError,
    achieved_values,
    WarehouseLocked,
    WarehouseNotFound,
    WarehouseOutdated,
    connect,
    connect_read_only,
    document_id,
    load_scorecard,
    preview_links,
    relink,
)

__all__ = [
    "KPI_HISTORY_COLUMNS",
    "WarehouseError",
    "WarehouseLocked",
    "WarehouseNotFound",
    "WarehouseOutdated",
    "achieved_values",
    "connect",
    "connect_read_only",
    "count_warnings",
    "document_id",
    "export_csv",
    "load_scorecard",
    "preview_links",
    "relink",
    "summary",
]
