"""The published tables as one Excel workbook (--xlsx): a sheet per table, in export.TABLES order,
the same rows and columns as its CSV, for users who open the open data in Excel.

Headers are the field names or their zh-TW titles (as --csv-headers), the header row frozen, each
column as wide as its header or first values need. Numbers are numbers (an Excel cell you can sum),
booleans TRUE/FALSE, a value not printed an empty cell; the text each number was read from is in
its own column beside it (target_raw beside target_value), as in the CSV. Written by XlsxWriter
(measured against openpyxl: benchmarks/xlsx_writers.py), to a temporary file renamed into place.
"""
from __future__ import annotations

import os
from pathlib import Path

import duckdb

from kpi_scorecard.warehouse.export import TABLES, Published

WIDEST = 60  # characters: a column of long text (formulas, plans) wraps in Excel rather than this
SAMPLED = 50  # rows whose text sets a column's width


def export_xlsx(con: duckdb.DuckDBPyConnection, path: Path, headers: str = "en") -> Path:
    """Write every published table as a sheet of one workbook at path; the path."""
    import xlsxwriter  # only a run that writes a workbook needs it

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        with xlsxwriter.Workbook(str(tmp), {"constant_memory": True, "strings_to_numbers": False,
                                            "strings_to_formulas": False, "strings_to_urls": False}) as book:
            bold = book.add_format({"bold": True})
            for table in TABLES:
                _write_sheet(book, table, con.execute(table.sql()).fetchall(), headers, bold)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


def sheet_name(table: Published, headers: str) -> str:
    """The table's name, or its zh-TW title with headers 'zh' (Excel allows 31 characters)."""
    return (table.title if headers == "zh" else table.name)[:31]


def _write_sheet(book, table: Published, rows: list[tuple], headers: str, bold) -> None:
    sheet = book.add_worksheet(sheet_name(table, headers))
    names = [f.header(headers) for f in table.fields]
    for column, name in enumerate(names):
        width = max([_width(name)] + [_width(row[column]) for row in rows[:SAMPLED]])
        sheet.set_column(column, column, min(width + 2, WIDEST))
    sheet.write_row(0, 0, names, bold)
    sheet.freeze_panes(1, 0)
    for number, row in enumerate(rows, start=1):
        for column, value in enumerate(row):
            if value is not None:  # NULL: an empty cell
                sheet.write(number, column, value if isinstance(value, (int, float, bool)) else str(value))


def _width(value: object) -> int:
    """Columns a value takes: a CJK character is two wide."""
    text = "" if value is None else str(value).split("\n", 1)[0]
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)
