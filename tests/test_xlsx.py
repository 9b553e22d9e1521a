"""--xlsx: the published tables as one workbook, read back with openpyxl and compared, cell by cell,
with the CSV files the same run wrote."""
from __future__ import annotations

import csv
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import REPORT_TXT, SAMPLES

from kpi_scorecard.cli import main
from kpi_scorecard.warehouse.export import TABLES

openpyxl = pytest.importorskip("openpyxl", reason="openpyxl (the test extra) reads the workbook back")
NUMERIC = {"integer", "number"}


@pytest.fixture(scope="module", params=["en", "zh"])
def written(request, tmp_path_factory) -> tuple[str, Path, object]:
    out = tmp_path_factory.mktemp(f"xlsx-{request.param}")
    result = CliRunner().invoke(main, [str(SAMPLES / "h-109-deck.pdf"), str(REPORT_TXT), "--db", str(out / "kpi.duckdb"),
                                       "--csv-dir", str(out / "open-data"), "--csv-headers", request.param,
                                       "--xlsx", str(out / "kpi.xlsx"), "--no-cache", "--jobs", "1"])
    assert result.exit_code == 0, result.output
    assert f"Workbook: {out / 'kpi.xlsx'}" in result.output
    return request.param, out, openpyxl.load_workbook(out / "kpi.xlsx", read_only=False)


def test_a_sheet_per_table_with_its_header_frozen(written):
    headers, _, book = written
    expected = [t.title if headers == "zh" else t.name for t in TABLES]
    assert book.sheetnames == expected
    history = book[expected[0]]
    assert history.freeze_panes == "A2"
    assert [c.value for c in history[1]][:3] == (["年度", "策略主題代碼", "策略主題名稱"] if headers == "zh" else ["roc_year", "theme_code", "theme_name"])


def test_every_cell_is_the_csv_value_numbers_as_numbers(written):
    headers, out, book = written
    cells = 0
    for table, sheet in zip(TABLES, book.worksheets, strict=True):
        with open(out / "open-data" / f"{table.name}.csv", encoding="utf-8", newline="") as f:
            expected = list(csv.reader(f))
        got = [list(row) for row in sheet.iter_rows(values_only=True)]
        assert got[0] == expected[0], table.name
        assert len(got) == len(expected), table.name
        for row, want in zip(got[1:], expected[1:], strict=True):
            for field, cell, text in zip(table.fields, row, want, strict=True):
                cells += 1
                if text == "":
                    assert cell is None, (table.name, field.name, cell)
                elif field.type in NUMERIC:
                    # Excel keeps 15 significant digits: 10.299999999999997 (an actual_change) is 10.3 there
                    assert isinstance(cell, (int, float)) and not isinstance(cell, bool), (table.name, field.name)
                    assert f"{cell:.15g}" == f"{float(text):.15g}", (table.name, field.name)
                elif field.type == "boolean":
                    assert cell is (text == "true"), (table.name, field.name)
                else:
                    assert cell == text, (table.name, field.name)
    assert cells > 10000


def test_raw_text_beside_its_number(written):
    headers, _, book = written
    sheet = book.worksheets[0]
    names = [c.value for c in sheet[1]]
    raw, value = names.index("目標值(原文)" if headers == "zh" else "target_raw"), names.index("目標值(數值)" if headers == "zh" else "target_value")
    code, source = names.index("關鍵績效指標代碼" if headers == "zh" else "kpi_code"), names.index("來源檔案" if headers == "zh" else "source_file")
    rows = {(r[source], r[code]): r for r in sheet.iter_rows(min_row=2, values_only=True)}
    # the deck's 參與人數: printed "115,000", read as the number 115000
    assert (rows[("h-109-deck.pdf", "HC1")][raw], rows[("h-109-deck.pdf", "HC1")][value]) == ("115,000", 115000)
    assert value == raw + 1
