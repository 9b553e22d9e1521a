#!/usr/bin/env python
"""How fast the pipeline reads a report, next to pdfplumber and camelot alone on the same file.

    .venv/bin/python benchmarks/bench.py [--runs 3] [--pdf samples/report-110.pdf] [--batch 10]
                                         [--repeat 10] [--skip camelot,pdfminer]

--repeat N measures a report of N times the file's pages instead (the bundled report × 10: 520
pages), built with pypdfium2 before measuring: what grows with a document's length. --skip leaves
measures out (camelot, pdfminer, batch).

Every measure runs in a fresh process, --runs times, and the medians are printed:
  PDFium floor every char of every page with its box, and the bounds of every path object, by
               pypdfium2: the least any reader does
  pdfplumber   extract_tables() on every page
  camelot      camelot.read_pdf(pages='all', flavor='lattice')
  pdfminer     the pipeline's extract and normalize stages with PdfSettings(reader="pdfminer"):
               pages read by pdfminer through pdfplumber, the reader PDFium replaced
  pipeline     the run_pipeline.py command, FILE --db … --csv-dir … with an empty cache: PDF →
               warehouse + CSV, with its default --jobs
  re-run       the same command again, the file unchanged
  batch        the command on a folder of --batch copies of the file under distinct names
Each is timed on two clocks: `process`, from the process's start to its exit (what a user waits),
and `work`, inside the process from after its imports to the end of its work: the floor's clock
starts after pypdfium2 is imported, pdfplumber's after pdfplumber is, the pipeline's after the
modules a run loads (run_pipeline, DuckDB, the PDF libraries). The pipeline's helper processes
start inside its work clock.
CPU is the user + system time of the process and of the helper processes it waited for, imports
included; peak memory the largest resident set of any one of them (both from wait4's rusage). The
load average before and after shows whether other work shared the machine. Before measuring, the
project's modules are compiled to bytecode, as an installed package's are: a process start then
costs what it costs a user.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from importlib.util import find_spec
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable

PDFPLUMBER = """
import json, sys, time
import pdfplumber
start = time.perf_counter()
with pdfplumber.open(sys.argv[1]) as pdf:
    for page in pdf.pages:
        page.extract_tables()
        page.close()
print(json.dumps({"seconds": time.perf_counter() - start}))
"""

PDFIUM_FLOOR = """
import ctypes, json, sys, time
import pypdfium2 as pdfium, pypdfium2.raw as raw
start = time.perf_counter()
document = pdfium.PdfDocument(sys.argv[1])
chars = paths = 0
box = raw.FS_RECTF()
left, right, bottom, top = (ctypes.c_float() for _ in range(4))
for number in range(len(document)):
    page = document[number]
    textpage = page.get_textpage()
    for index in range(raw.FPDFText_CountChars(textpage.raw)):
        raw.FPDFText_GetUnicode(textpage.raw, index)
        raw.FPDFText_GetLooseCharBox(textpage.raw, index, box)
        chars += 1
    for obj in page.get_objects(filter=(raw.FPDF_PAGEOBJ_PATH,), max_depth=8):
        raw.FPDFPageObj_GetBounds(obj.raw, left, bottom, right, top)
        paths += 1
    textpage.close()
    page.close()
print(json.dumps({"seconds": time.perf_counter() - start, "chars": chars, "paths": paths}))
"""

PDFMINER_READER = """
import json, sys, time
from pathlib import Path
from kpi_scorecard.extract.document import document_to_blocks
from kpi_scorecard.extract.settings import PdfSettings
from kpi_scorecard.normalize.scorecard import blocks_to_scorecard
start = time.perf_counter()
scorecard = blocks_to_scorecard(document_to_blocks(Path(sys.argv[1]), PdfSettings(reader="pdfminer")), Path(sys.argv[1]).name)
print(json.dumps({"seconds": time.perf_counter() - start, "kpis": len(scorecard.kpis)}))
"""

PIPELINE = """
import json, sys, time
from kpi_scorecard import cli as run_pipeline
import kpi_scorecard.extract.pdf, kpi_scorecard.normalize.scorecard, kpi_scorecard.warehouse  # what a run imports on its way: DuckDB, the PDF libraries
start = time.perf_counter()
run_pipeline.main.main(sys.argv[1:], prog_name="kpi-scorecard", standalone_mode=False)
print(json.dumps({"seconds": time.perf_counter() - start}))
"""

CAMELOT = """
import json, sys, time
import camelot
start = time.perf_counter()
try:
    tables = camelot.read_pdf(sys.argv[1], pages="all", flavor="lattice")
except Exception as e:
    print(json.dumps({"error": f"{type(e).__name__}: {e}"}))
else:
    print(json.dumps({"seconds": time.perf_counter() - start, "tables": len(tables)}))
"""


@dataclass(frozen=True)
class Run:
    process: float  # wall seconds from the process's start to its exit
    work: float  # wall seconds inside the process, after its imports
    cpu: float  # user + system seconds of the process (and helpers it waited for), imports included
    peak_mb: float
    output: str


def measure(args: list[str]) -> Run | str:
    """Run a process to its end: its wall time, from start to exit, and its peak memory. A script
    prints {"seconds": …} (its work clock) or {"error": …} last."""
    with tempfile.TemporaryFile("w+") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        output = out.read()
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(args[:3])} … failed ({proc.returncode}):\n{output}")
    try:
        result = json.loads(output.splitlines()[-1])
    except ValueError:  # a command that does not time itself: its work is its process
        result = {"seconds": wall}
    if "error" in result:
        return result["error"]
    return Run(wall, result["seconds"], usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, output)


def measure_script(script: str, *args: str) -> Run | str:
    return measure([PYTHON, "-c", script, *args])


def pipeline_runs(inputs: Path, work: Path, runs: int) -> list[Run]:
    """A first run and (runs=2) a re-run: the process clock, CPU and memory of the command as a user
    runs it (python run_pipeline.py …); the work clock of the same runs made in a script, in a
    folder of their own."""
    def args(folder: Path) -> list[str]:
        return [str(inputs), "--db", str(folder / "kpi.duckdb"), "--csv-dir", str(folder / "open-data"),
                "--cache-dir", str(folder / "cache")]

    command = [measure([PYTHON, "run_pipeline.py", *args(work / "command")]) for _ in range(runs)]
    script = [measure_script(PIPELINE, *args(work / "script")) for _ in range(runs)]
    return [Run(c.process, s.work, c.cpu, c.peak_mb, c.output) for c, s in zip(command, script, strict=True)]


def page_total(pdf: Path) -> int:
    script = "import sys, pdfplumber; print(len(pdfplumber.open(sys.argv[1]).pages))"
    out = subprocess.run([PYTHON, "-c", script, str(pdf)], capture_output=True, text=True, check=True)
    return int(out.stdout)


def machine() -> str:
    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), platform.processor() or "unknown CPU")
    return f"{os.cpu_count()} CPUs ({model}), Python {platform.python_version()}, {platform.system()} {platform.release()}"


def repeated(pdf: Path, times: int, out: Path) -> Path:
    """A PDF of the file's pages `times` over (a long report with the file's own pages)."""
    import pypdfium2 as pdfium

    source, document = pdfium.PdfDocument(str(pdf)), pdfium.PdfDocument.new()
    for _ in range(times):
        document.import_pages(source)
    document.save(str(out))
    return out


def one_round(pdf: Path, batch: int, tmp: Path, n: int, skip: set[str]) -> dict[str, Run | str]:
    """Every measure once, in a fresh working folder."""
    work = tmp / f"round-{n}"
    folder = work / "batch"
    folder.mkdir(parents=True)
    for i in range(1, 0 if "batch" in skip else batch + 1):
        shutil.copyfile(pdf, folder / f"{pdf.stem}-{i:02}.pdf")
    skipped = "not measured (--skip)"
    results: dict[str, Run | str] = {
        "floor": measure_script(PDFIUM_FLOOR, str(pdf)),
        "pdfplumber": measure_script(PDFPLUMBER, str(pdf)),
        "camelot": skipped if "camelot" in skip else measure_script(CAMELOT, str(pdf)) if find_spec("camelot")
        else "camelot-py is not installed (.[bench])",
        "pdfminer": skipped if "pdfminer" in skip else measure_script(PDFMINER_READER, str(pdf)),
    }
    results["pipeline"], results["re-run"] = pipeline_runs(pdf, work / "one", runs=2)
    if "(cached)" not in results["re-run"].output:
        raise SystemExit(f"the re-run read the document again:\n{results['re-run'].output}")
    results["batch"] = skipped if "batch" in skip else pipeline_runs(folder, work / "many", runs=1)[0]
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs of every measure (medians are printed)")
    parser.add_argument("--pdf", type=Path, default=ROOT / "samples" / "report-110.pdf")
    parser.add_argument("--batch", type=int, default=10, help="copies of the PDF in the batch")
    parser.add_argument("--repeat", type=int, default=1, help="measure a report of the file's pages this many times over")
    parser.add_argument("--skip", default="", help="measures left out, comma-separated: camelot, pdfminer, batch")
    args = parser.parse_args()
    skip = set(filter(None, args.skip.split(",")))
    subprocess.run([PYTHON, "-m", "compileall", "-q", "extract", "normalize", "warehouse", "kpi_scorecard", "run_pipeline.py"],
                   cwd=ROOT, check=True, env={k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"})
    load_before = f"{os.getloadavg()[0]:.2f}"
    with tempfile.TemporaryDirectory(prefix="kpi-bench-") as tmp:
        pdf = args.pdf.resolve()
        if args.repeat > 1:
            pdf = repeated(pdf, args.repeat, Path(tmp) / f"{pdf.stem}-x{args.repeat}.pdf")
        pages = page_total(pdf)
        rounds = [one_round(pdf, args.batch, Path(tmp), n, skip) for n in range(args.runs)]

    def median(name: str, field: str) -> float:
        return statistics.median(getattr(r[name], field) for r in rounds)

    print(f"machine: {machine()}; load average before {load_before}, after {os.getloadavg()[0]:.2f}")
    print(f"file: {pdf.relative_to(ROOT) if pdf.is_relative_to(ROOT) else pdf.name}, {pages} pages; "
          f"batch: {'not measured' if 'batch' in skip else f'{args.batch} copies'}; median of {args.runs} runs")
    print(f"{'measure':<46}{'process s':>10}{'work s':>8}{'pages/s':>9}{'CPU s':>7}{'peak MB':>8}")
    rows = [
        ("PDFium floor (chars with boxes, path bounds)", "floor", pages),
        ("pdfplumber alone (extract_tables, every page)", "pdfplumber", pages),
        ("camelot lattice alone (pages='all')", "camelot", pages),
        ("pdfminer reader (extract + normalize)", "pdfminer", pages),
        ("pipeline, PDF → warehouse + CSV", "pipeline", pages),
        ("pipeline re-run, file unchanged", "re-run", pages),
        (f"pipeline, batch of {args.batch}", "batch", pages * args.batch),
    ]
    for label, name, count in rows:
        if isinstance(rounds[0][name], str):
            print(f"{label:<46}  not measured: {rounds[0][name]}")
            continue
        work = median(name, "work")
        print(f"{label:<46}{median(name, 'process'):>10.2f}{work:>8.2f}{count / work:>9.1f}"
              f"{median(name, 'cpu'):>7.2f}{median(name, 'peak_mb'):>8.0f}")
    print(f"{'ratio':<46}{'process':>10}{'work':>8}{'CPU':>7}")
    for label, (a, b), target in [
        ("pipeline / pdfplumber", ("pipeline", "pdfplumber"), "≤ 0.20"),
        ("pipeline / PDFium floor", ("pipeline", "floor"), "≤ 3"),
        ("re-run / pipeline", ("re-run", "pipeline"), "≤ 0.05"),
        (f"batch / ({args.batch} × pipeline)", ("batch", "pipeline"), "≤ 1: linear or better"),
    ]:
        if isinstance(rounds[0][a], str):
            continue
        times = args.batch if a == "batch" else 1
        ratios = [median(a, clock) / (times * median(b, clock)) for clock in ("process", "work", "cpu")]
        print(f"{label:<46}{ratios[0]:>10.2f}{ratios[1]:>8.2f}{ratios[2]:>7.2f}   (target {target})")
    peak = max(median(name, "peak_mb") for name in ("pipeline", "re-run", "batch") if not isinstance(rounds[0][name], str))
    print(f"pipeline peak memory         {peak:.0f} MB (target < 300 MB)")


if __name__ == "__main__":
    main()
