"""Every published file read back: each CSV, Parquet file and datapackage.json against the warehouse
it was written from, value by value, for the default job (all bundled samples) and the Excel variant."""
from __future__ import annotations

import pytest
from click.testing import CliRunner
from conftest import SAMPLES
from snapshots import check_published_files

from kpi_scorecard.cli import main

# Rows per published table for the bundled samples: kpi_history 344 + 45 (two readings of the
# report's 172 measures, the deck's 45); reconciliation: 8 themes × 4 items per report, the deck's
# theme H (3 items) and 5 perspectives × 4.
ROWS = {"kpi_history": 389, "reconciliation": 2 * 8 * 4 + 3 + 5 * 4, "themes": 8}


@pytest.mark.parametrize("options", [(), ("--csv-bom", "--csv-headers", "zh")], ids=["en", "bom-zh"])
def test_published_files_hold_the_warehouse(tmp_path, options):
    db, folder = tmp_path / "kpi.duckdb", tmp_path / "open-data"
    result = CliRunner().invoke(main, [str(SAMPLES), "--db", str(db), "--csv-dir", str(folder), "--no-cache", *options])
    assert result.exit_code == 0, result.output
    rows = check_published_files(db, folder, bom="--csv-bom" in options, headers="zh" if options else "en")
    assert {t: rows[t] for t in ROWS} == ROWS
    assert all(rows.values()), rows  # no table published empty
