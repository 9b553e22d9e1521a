"""DuckDB KPI warehouse: load Scorecards, publish CSV open data."""
from __future__ import annotations

from warehouse.errors import WarehouseError, WarehouseLocked, WarehouseTooNew
from warehouse.export import KPI_HISTORY_COLUMNS, count_warnings, export_csv, summary
from warehouse.load import (
    ReadDocument,
    achieved_values,
    document_id,
    load_scorecard,
    load_scorecards,
    tool_version,
)
from warehouse.schema import connect

__all__ = [
    "KPI_HISTORY_COLUMNS",
    "ReadDocument",
    "WarehouseError",
    "WarehouseLocked",
    "WarehouseTooNew",
    "achieved_values",
    "connect",
    "count_warnings",
    "document_id",
    "export_csv",
    "load_scorecard",
    "load_scorecards",
    "summary",
    "tool_version",
]
