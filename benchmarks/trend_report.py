#!/usr/bin/env python
"""How long the trend report takes, and how large it is, for a five-year warehouse.

    .venv/bin/python benchmarks/trend_report.py [--runs 3] [--years 5]

The warehouse: the bundled 109 briefing deck and 110 report (PDF), and the 110 report's later
editions 111… as text dumps (tests/years.py: values moved, KPIs renamed, dropped, added), loaded
by the CLI. Then, --runs times in a fresh process each: the report written through the Python API
(kpi_scorecard.Warehouse.trend_report), timed inside the process (after imports) and from process
start to exit. Prints the medians, the file's size, its KPIs and charts.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from years import write_editions  # noqa: E402

from kpi_scorecard.extract.document import document_to_blocks  # noqa: E402
from kpi_scorecard.normalize.scorecard import blocks_to_scorecard  # noqa: E402

REPORT = """
import json, sys, time
started = time.perf_counter()
import kpi_scorecard as ks
imported, cpu = time.perf_counter(), time.process_time()
ks.Warehouse(sys.argv[1]).trend_report(sys.argv[2])
print(json.dumps({"imports": imported - started, "report": time.perf_counter() - imported, "cpu": time.process_time() - cpu}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--years", type=int, default=5, help="annual reports, from 110 on")
    args = parser.parse_args()
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        base = blocks_to_scorecard(document_to_blocks(ROOT / "samples" / "report-110.txt"), "report-110.txt")
        editions = write_editions(base, range(111, 110 + args.years), work)
        db, html = work / "kpi.duckdb", work / "trends.html"
        started = time.perf_counter()
        subprocess.run([sys.executable, "run_pipeline.py", "samples/h-109-deck.pdf", "samples/report-110.pdf", *map(str, editions),
                        "--db", str(db), "--no-csv", "--cache-dir", str(work / "cache")], cwd=ROOT, check=True, capture_output=True)
        load = time.perf_counter() - started
        runs = []
        for _ in range(args.runs):
            started = time.perf_counter()
            out = subprocess.run([sys.executable, "-c", REPORT, str(db), str(html)], cwd=ROOT, check=True, capture_output=True, text=True)
            runs.append({**json.loads(out.stdout.splitlines()[-1]), "process": time.perf_counter() - started})
        page = html.read_text(encoding="utf-8")
    median = {key: statistics.median(r[key] for r in runs) for key in runs[0]}
    print(f"load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after ({os.cpu_count()} CPUs): "
          "other work on the machine shows in the seconds, less in the CPU time")
    print(f"warehouse: deck 109 + reports 110–{109 + args.years} ({args.years + 1} documents), loaded by the CLI in {load:.1f} s (empty cache)")
    print(f"trend report, median of {args.runs}: {median['report']:.2f} s to write ({median['cpu']:.2f} s CPU), "
          f"{median['imports']:.2f} s imports, {median['process']:.2f} s process start to exit")
    kpis, charts, svgs = (len(re.findall(pattern, page)) for pattern in ('<article class="kpi', '<figure class="chart', "<svg"))
    print(f"size: {len(page.encode()) / 1e6:.2f} MB; KPIs: {kpis}; charts: {charts} ({svgs} SVG)")


if __name__ == "__main__":
    main()
