"""kpi-scorecard in Python: read a report, load a warehouse, get pandas DataFrames.

    import kpi_scorecard as ks
    card = ks.read_pdf("report-110.pdf")             # one document, no warehouse
    wh = ks.Warehouse("kpi.duckdb", read_only=False)
    wh.load(["report-111.pdf"])                       # the CLI's load: a RunSummary
    wh.history(theme="A", year=110), wh.trend("HP3.2")

Built on the stages the CLI chains (pipeline.py); errors are the CLI's named exceptions.
"""
from __future__ import annotations

from extract.errors import DamagedPdf, EncryptedPdf, InputError, NoTextLayer, NotAPdf, UnreadableText
from kpi_scorecard.scorecard import Scorecard, read_pdf
from kpi_scorecard.warehouse import ReadOnlyWarehouse, UnknownKpi, Warehouse
from normalize.scorecard import NoScorecardTables
from pipeline import DocumentSummary, RunSummary
from warehouse import WarehouseError, WarehouseLocked, WarehouseNotFound, WarehouseOutdated
from warehouse.identity import OverrideError

__all__ = [
    "DamagedPdf",
    "DocumentSummary",
    "EncryptedPdf",
    "InputError",
    "NoScorecardTables",
    "NoTextLayer",
    "NotAPdf",
    "OverrideError",
    "ReadOnlyWarehouse",
    "RunSummary",
    "Scorecard",
    "UnknownKpi",
    "UnreadableText",
    "Warehouse",
    "WarehouseError",
    "WarehouseLocked",
    "WarehouseNotFound",
    "WarehouseOutdated",
    "read_pdf",
]
