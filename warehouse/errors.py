"""Named warehouse errors; the CLI prints them as one line."""
from __future__ import annotations


class WarehouseError(Exception):
    """Something went wrong in the KPI warehouse."""


class WarehouseLocked(WarehouseError):
    """The warehouse file is in use by another process."""


class WarehouseTooNew(WarehouseError):
    """The warehouse file was written by a newer kpi-scorecard than this one."""


class WarehouseNotFound(WarehouseError):
    """No warehouse file where one was to be read (reading never creates one)."""


class UnknownKpi(WarehouseError):
    """The warehouse has no such KPI: no identity, printed code or document KPI of that name."""
