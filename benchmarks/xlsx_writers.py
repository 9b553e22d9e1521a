#!/usr/bin/env python
"""XlsxWriter against openpyxl for the --xlsx workbook: seconds to write, peak memory, file size.

    .venv/bin/pip install -q openpyxl xlsxwriter && .venv/bin/python benchmarks/xlsx_writers.py [--runs 5] [--copies 5]

The warehouse: the bundled deck and the 110 report's text dump loaded under `--copies` names each
(so the tables are that many times the samples'). Each writer writes the same rows (every
published table, numbers as numbers), in a fresh process per run; medians are printed.
"""
from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

WRITE = """
import json, resource, sys, time
import duckdb
from kpi_scorecard.warehouse.export import TABLES
con = duckdb.connect(sys.argv[1], read_only=True)
tables = [(t, con.execute(t.sql()).fetchall()) for t in TABLES]
started = time.perf_counter()
if sys.argv[3] == "xlsxwriter":
    import xlsxwriter
    with xlsxwriter.Workbook(sys.argv[2], {"constant_memory": True}) as book:
        for table, rows in tables:
            sheet = book.add_worksheet(table.name)
            sheet.write_row(0, 0, [f.name for f in table.fields])
            for n, row in enumerate(rows, start=1):
                for c, value in enumerate(row):
                    if value is not None:
                        sheet.write(n, c, value if isinstance(value, (int, float, bool)) else str(value))
else:
    import openpyxl
    book = openpyxl.Workbook(write_only=True)
    for table, rows in tables:
        sheet = book.create_sheet(table.name)
        sheet.append([f.name for f in table.fields])
        for row in rows:
            sheet.append([v if v is None or isinstance(v, (int, float, bool)) else str(v) for v in row])
    book.save(sys.argv[2])
print(json.dumps({"seconds": time.perf_counter() - started, "rows": sum(len(r) for _, r in tables),
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--copies", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "inputs"
        folder.mkdir()
        for n in range(args.copies):
            for sample in ("h-109-deck.pdf", "report-110.txt"):
                shutil.copy(ROOT / "samples" / sample, folder / f"{n}-{sample}")
        db = Path(tmp) / "kpi.duckdb"
        subprocess.run([sys.executable, str(ROOT / "run_pipeline.py"), str(folder), "--db", str(db), "--no-csv",
                        "--cache-dir", str(Path(tmp) / "cache")], check=True, capture_output=True)
        for writer in ("xlsxwriter", "openpyxl"):
            runs = [json.loads(subprocess.run([sys.executable, "-c", WRITE, str(db), str(Path(tmp) / f"{writer}.xlsx"), writer],
                                              check=True, capture_output=True, text=True, cwd=ROOT).stdout)
                    for _ in range(args.runs)]
            size = (Path(tmp) / f"{writer}.xlsx").stat().st_size
            print(f"{writer:<10} {runs[0]['rows']} rows: {statistics.median(r['seconds'] for r in runs):.2f} s, "
                  f"peak {statistics.median(r['peak_mb'] for r in runs):.0f} MB, {size / 1e6:.2f} MB file")


if __name__ == "__main__":
    main()
