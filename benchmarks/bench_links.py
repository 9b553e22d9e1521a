#!/usr/bin/env python
"""What loading one more document costs as the warehouse grows.

    .venv/bin/python benchmarks/bench_links.py [--sizes 10,100,500] [--runs 5] [--txt samples/report-110.txt]

For each size N: a warehouse file of N synthetic documents (the report, read once, under N names
and years: report-0001 … as ROC 110, 111 …), then, each --runs times on a copy of it:
  add newest   load_scorecard of one more document, a year after all others (the usual case)
  add oldest   one more document a year before all others: every document after it is relinked
  reload       the newest document loaded again (it and nothing else is relinked)
  relink all   every document's KPIs linked again, as --relink (and, before, every load) did
Times are medians, in milliseconds, of the whole call: delete, inserts, linking, commit.
"""
from __future__ import annotations

import argparse
import copy
import platform
import shutil
import statistics
import sys
import tempfile
import time
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kpi_scorecard.extract.document import document_to_blocks  # noqa: E402
from kpi_scorecard.normalize.records import Scorecard  # noqa: E402
from kpi_scorecard.normalize.scorecard import blocks_to_scorecard  # noqa: E402
from kpi_scorecard.warehouse import connect, load_scorecard, relink  # noqa: E402


def as_document(base: Scorecard, n: int, year: int) -> Scorecard:
    doc = copy.copy(base)
    doc.source_file, doc.roc_year = f"report-{n:04d}.txt", year
    return doc


def timed(call) -> float:
    start = time.perf_counter()
    call()
    return (time.perf_counter() - start) * 1000


def measure(base: Scorecard, size: int, runs: int, root: Path) -> dict[str, float]:
    built = root / f"n{size}.duckdb"
    con = connect(built)
    start = time.perf_counter()
    for n in range(size):
        load_scorecard(con, as_document(base, n, 110 + n))
    con.close()
    print(f"  N = {size}: built in {time.perf_counter() - start:.1f} s", file=sys.stderr)
    times: dict[str, list[float]] = {"add newest": [], "add oldest": [], "reload": [], "relink all": []}
    for _ in range(runs):
        db = root / "run.duckdb"
        shutil.copy(built, db)
        con = connect(db)
        newest = as_document(base, size, 110 + size)
        times["add newest"].append(timed(partial(load_scorecard, con, newest)))
        times["reload"].append(timed(partial(load_scorecard, con, newest)))
        times["add oldest"].append(timed(lambda con=con: load_scorecard(con, as_document(base, size + 1, 109))))
        times["relink all"].append(timed(partial(relink, con)))
        con.close()
    return {name: statistics.median(values) for name, values in times.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10,100,500")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--txt", type=Path, default=ROOT / "samples" / "report-110.txt")
    args = parser.parse_args()
    base = blocks_to_scorecard(document_to_blocks(args.txt), args.txt.name)
    sizes = [int(s) for s in args.sizes.split(",")]
    print(f"{platform.python_implementation()} {platform.python_version()}, {args.txt.name} ({len(base.kpis)} KPIs) "
          f"as N documents; median of {args.runs} runs, ms")
    with tempfile.TemporaryDirectory() as tmp:
        results = {size: measure(base, size, args.runs, Path(tmp)) for size in sizes}
    names = list(next(iter(results.values())))
    print("| N documents | " + " | ".join(names) + " |")
    print("|---:|" + "---:|" * len(names))
    for size, row in results.items():
        print(f"| {size} | " + " | ".join(f"{row[name]:.0f}" for name in names) + " |")
    first, last = results[sizes[0]]["add newest"], results[sizes[-1]]["add newest"]
    print(f"add newest, N = {sizes[-1]} against N = {sizes[0]}: × {last / first:.2f}")


if __name__ == "__main__":
    main()
