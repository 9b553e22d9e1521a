"""kpi-scorecard in Python: read a report, load a warehouse, get pandas DataFrames.

    import kpi_scorecard as ks
    card = ks.read_pdf("report-110.pdf")             # one document, no warehouse
    wh = ks.Warehouse("kpi.duckdb", read_only=False)
    wh.load(["report-111.pdf"])                       # the CLI's load: a RunSummary
    wh.rebuild()                                      # the CLI's --rebuild: a Rebuild
    wh.history(theme="A", year=110), wh.trend("HP3.2")

Built on the stages the CLI chains (kpi_scorecard.pipeline); errors are the CLI's named exceptions.

The stages are the subpackages kpi_scorecard.extract, .normalize, .warehouse and .samples. A wheel
holds them inside this package (pyproject.toml maps them there); a checkout keeps them at the top
of the repository, as the design card lays it out, and this package finds them there. The API's
names load on first use, so that importing a stage does not import pandas or DuckDB.
"""
from __future__ import annotations

from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING

_here = Path(__file__).resolve().parent
if not (_here / "extract").is_dir() and (_here.parent / "extract" / "__init__.py").is_file():  # a checkout
    __path__.append(str(_here.parent))

_API = {
    "DamagedPdf": "extract.errors", "EncryptedPdf": "extract.errors", "InputError": "extract.errors",
    "NoTextLayer": "extract.errors", "NotAPdf": "extract.errors", "UnreadableText": "extract.errors",
    "DamagedOffice": "extract.errors", "EncryptedOffice": "extract.errors", "LegacyOffice": "extract.errors",
    "Scorecard": "scorecard", "read_pdf": "scorecard",
    "ReadOnlyWarehouse": "api", "UnknownKpi": "api", "Warehouse": "api",
    "NoScorecardTables": "normalize.scorecard",
    "DocumentSummary": "pipeline", "Rebuild": "pipeline", "Rebuilt": "pipeline", "RunSummary": "pipeline",
    "WarehouseError": "warehouse", "WarehouseLocked": "warehouse", "WarehouseNotFound": "warehouse",
    "WarehouseTooNew": "warehouse",
    "OverrideError": "warehouse.identity",
}
__all__ = sorted(_API)


def __getattr__(name: str) -> object:
    if name not in _API:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{_API[name]}"), name)
    globals()[name] = value
    return value


if TYPE_CHECKING:  # the names __getattr__ loads, re-exported for type checkers (`import X as X`)
    from kpi_scorecard.api import ReadOnlyWarehouse as ReadOnlyWarehouse, UnknownKpi as UnknownKpi, Warehouse as Warehouse
    from kpi_scorecard.extract.errors import (
        DamagedOffice as DamagedOffice,
        DamagedPdf as DamagedPdf,
        EncryptedOffice as EncryptedOffice,
        EncryptedPdf as EncryptedPdf,
        InputError as InputError,
        LegacyOffice as LegacyOffice,
        NotAPdf as NotAPdf,
        NoTextLayer as NoTextLayer,
        UnreadableText as UnreadableText,
    )
    from kpi_scorecard.normalize.scorecard import NoScorecardTables as NoScorecardTables
    from kpi_scorecard.pipeline import DocumentSummary as DocumentSummary, Rebuild as Rebuild, Rebuilt as Rebuilt, RunSummary as RunSummary
    from kpi_scorecard.scorecard import Scorecard as Scorecard, read_pdf as read_pdf
    from kpi_scorecard.warehouse import (
        WarehouseError as WarehouseError,
        WarehouseLocked as WarehouseLocked,
        WarehouseNotFound as WarehouseNotFound,
        WarehouseTooNew as WarehouseTooNew,
    )
    from kpi_scorecard.warehouse.identity import OverrideError as OverrideError
