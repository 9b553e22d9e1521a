"""Make the empty warehouse shipped in the package (warehouse/empty-*.duckdb.gz) again, with the
installed DuckDB: after a change to schema.sql, the catalog's comments or the migrations, or to
ship it for another DuckDB version (.venv/bin/python .ci/empty_warehouse.py)."""
from pathlib import Path

from kpi_scorecard.warehouse.schema import write_shipped_template

print(write_shipped_template(Path(__file__).resolve().parent.parent / "warehouse"))
