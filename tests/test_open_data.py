"""Open data as data.taipei / data.gov.tw users expect it: zh-TW titles, UTF-8 with BOM for
Excel, zh-TW header rows, a Gregorian year; every variant a valid Frictionless package."""
from __future__ import annotations

import csv
import json
import re

import duckdb
import pandas as pd
import pytest
from click.testing import CliRunner
from conftest import REPORT_TXT, SAMPLES, require

import kpi_scorecard as ks
from kpi_scorecard.cli import main
from kpi_scorecard.warehouse import KPI_HISTORY_COLUMNS
from kpi_scorecard.warehouse.export import TABLES, published

BOM = b"\xef\xbb\xbf"
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory) -> ks.Warehouse:
    db = tmp_path_factory.mktemp("open") / "kpi.duckdb"
    ks.Warehouse(db, read_only=False).load([SAMPLES / "h-109-deck.pdf", REPORT_TXT])
    return ks.Warehouse(db)


@pytest.fixture(scope="module")
def variants(warehouse, tmp_path_factory) -> dict[tuple[bool, str], object]:
    root = tmp_path_factory.mktemp("variants")
    for bom in (False, True):
        for headers in ("en", "zh"):
            warehouse.export(root / f"{headers}{'-bom' * bom}", bom=bom, headers=headers)
    return {(bom, headers): root / f"{headers}{'-bom' * bom}" for bom in (False, True) for headers in ("en", "zh")}


def test_every_field_and_resource_has_a_zh_title(variants):
    package = json.loads((variants[False, "en"] / "datapackage.json").read_text(encoding="utf-8"))
    for resource in package["resources"]:
        assert CJK.search(resource["title"]), resource["name"]
        titles = [f["title"] for f in resource["schema"]["fields"]]
        assert all(CJK.search(t) for t in titles) and len(set(titles)) == len(titles), resource["name"]
        assert all(f["description"] and f["name"].isascii() for f in resource["schema"]["fields"])
    history = {f["name"]: f["title"] for f in package["resources"][0]["schema"]["fields"]}
    assert (history["roc_year"], history["year"], history["theme_code"], history["kpi_name"], history["target_raw"]) == (
        "年度", "西元年", "策略主題代碼", "關鍵績效指標名稱", "目標值(原文)")


def test_gregorian_year_beside_roc_year(variants):
    with open(variants[False, "en"] / "kpi_history.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    header = list(rows[0])
    assert header[: len(KPI_HISTORY_COLUMNS)] == list(KPI_HISTORY_COLUMNS) and header[-1] == "year"  # the contract stays first
    assert {(r["roc_year"], r["year"]) for r in rows} == {("109", "2020"), ("110", "2021"), ("111", "2022"), ("112", "2023")}
    with open(variants[False, "en"] / "kpi_trend.csv", encoding="utf-8", newline="") as f:
        trend = next(csv.reader(f))
    assert trend[trend.index("roc_year") + 1] == "year"


@pytest.mark.parametrize("bom", [False, True])
@pytest.mark.parametrize("headers", ["en", "zh"])
def test_every_variant_validates(variants, bom, headers):
    frictionless = require("frictionless", "validates the open data (the test extra)")
    folder = variants[bom, headers]
    report = frictionless.validate(folder / "datapackage.json")
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:5]
    assert report.stats["tasks"] == len(TABLES)
    for table in TABLES:
        data = (folder / f"{table.name}.csv").read_bytes()
        assert data.startswith(BOM) == bom
        first = data.removeprefix(BOM).decode("utf-8").split("\n", 1)[0]
        assert first.split(",") == [f.header(headers) for f in table.fields]


def test_bom_csv_reads_the_same_in_pandas_and_duckdb(variants):
    path = variants[True, "zh"] / "kpi_history.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    with duckdb.connect() as con:
        result = con.execute("SELECT * FROM read_csv(?, all_varchar = true, header = true)", [str(path)])
        names = [d[0] for d in result.description]
        rows = [tuple("" if v is None else v for v in row) for row in result.fetchall()]
    titles = [f.title for f in published("kpi_history").fields]
    assert list(frame.columns) == names == titles  # no BOM left in the first name
    assert list(frame.itertuples(index=False, name=None)) == rows
    assert len(rows) == 172 + 45
    with open(variants[False, "en"] / "kpi_history.csv", encoding="utf-8", newline="") as f:
        assert [tuple(r) for r in list(csv.reader(f))[1:]] == rows  # the same cells as the plain CSV


def test_cli_options(tmp_path):
    out = tmp_path / "open-data"

    def run(*options):
        result = CliRunner().invoke(main, [str(REPORT_TXT), "--db", str(tmp_path / "kpi.duckdb"), "--csv-dir", str(out), *options])
        assert result.exit_code == 0, result.output
        return (out / "reconciliation.csv").read_bytes()

    assert run().startswith(b"document,theme_code")
    assert run("--csv-bom", "--csv-headers", "zh").startswith(BOM + "來源檔案,策略主題代碼".encode())  # not taken for a repeat
    package = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    assert package["resources"][0]["schema"]["primaryKey"] == ["來源檔案", "關鍵績效指標代碼", "衡量項次", "年度"]
