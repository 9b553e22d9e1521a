"""OCR of scanned reports: accuracy and seconds per page, and the two Tesseract bindings compared.

    python benchmarks/ocr.py [--pages 6-8] [--jobs 2]   # scans × (KPIs, values exact, flagged, silent wrong, fields, s/page)
    python benchmarks/ocr.py --pdf other.pdf --pages 3-12 # … of another PDF (a rendering of tests/styles.py, another year)
    python benchmarks/ocr.py --engines                   # tesserocr against pytesseract on one page's cells

Scans are made from the bundled report as the tests make them (tests/scans.py): clean at 200 dpi,
and blurred, turned by 0.7°, speckled and JPEG-compressed. Each is read with OCR and compared with
the report's text layer (tests/ocr_compare.py). --engines needs pytesseract (the [bench] extra).
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from ocr_compare import compare  # noqa: E402
from scans import make_scan  # noqa: E402

from kpi_scorecard.extract.settings import PdfSettings  # noqa: E402
from kpi_scorecard.pipeline import read_document  # noqa: E402

REPORT = ROOT / "samples" / "report-110.pdf"
SCANS = {"clean 200 dpi": {}, "blurred, 0.7°, noise, JPEG 60": dict(blur=0.6, rotate=0.7, noise=12, jpeg=60)}


def accuracy(pages: list[int] | None, jobs: int, pdf: Path = REPORT) -> None:
    reference = read_document(pdf, PdfSettings(), pages)
    print("| scan | KPIs | values exact | wrong values flagged | silent wrong | fields exact | s/page |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as folder:
        for name, variant in SCANS.items():
            scan = make_scan(pdf, Path(folder) / "scan.pdf", pages, **variant)
            started = time.perf_counter()
            card = read_document(scan, PdfSettings(workers=jobs), None)
            seconds = (time.perf_counter() - started) / (len(pages) if pages else card.pages or 1)
            r = compare(card, reference)
            print(f"| {name} | {r.codes_found}/{r.kpis} | {r.values_exact}/{r.values} ({r.values_exact / r.values:.1%}) | "
                  f"{r.values_flagged} | {len(r.silent_wrong)} | {r.fields_exact}/{r.fields} ({r.fields_exact / r.fields:.1%}) | "
                  f"{seconds:.1f} |")
            for wrong in r.silent_wrong:
                print("  silent wrong:", wrong, file=sys.stderr)


def engines(page: int = 7) -> None:
    """Every cell of a scanned page recognised by tesserocr (one engine kept loaded) and by
    pytesseract (a Tesseract process per call), with the same language and mode."""
    import pypdfium2 as pdfium
    import pytesseract
    import tesserocr
    from PIL import Image

    from kpi_scorecard.extract.ocr import tessdata, text_languages
    from kpi_scorecard.extract.page import find_tables
    from kpi_scorecard.extract.scan import crop, page_rules, render_page

    with tempfile.TemporaryDirectory() as folder:
        scan = make_scan(REPORT, Path(folder) / "scan.pdf", [page])
        document = pdfium.PdfDocument(str(scan))
        image = render_page(document, 1, 200)
        tables = find_tables(page_rules(image), {"vertical_strategy": "lines", "horizontal_strategy": "lines"})
        cells = [Image.fromarray(crop(image, box)) for t in tables for row in t.rows for box in row.cells if box]
        document.close()
    started = time.perf_counter()
    with tesserocr.PyTessBaseAPI(path=tessdata().rstrip("/") + "/", lang=text_languages(), psm=tesserocr.PSM.SINGLE_BLOCK) as api:
        loaded = time.perf_counter() - started
        for cell in cells:
            api.SetImage(cell)
            api.GetUTF8Text()
    tesserocr_s = time.perf_counter() - started
    started = time.perf_counter()
    for cell in cells:
        pytesseract.image_to_string(cell, lang=text_languages(), config="--psm 6")
    pytesseract_s = time.perf_counter() - started
    print(f"{len(cells)} cells of page {page}: tesserocr {tesserocr_s:.2f} s ({loaded:.2f} s of it loading the engine), "
          f"pytesseract {pytesseract_s:.2f} s ({pytesseract_s / tesserocr_s:.1f}× as long)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", help="e.g. 6-8 (default: all)")
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--engines", action="store_true")
    parser.add_argument("--pdf", type=Path, default=REPORT, help="the PDF scanned (default: the bundled report)")
    args = parser.parse_args()
    if args.engines:
        engines()
        return
    pages = None
    if args.pages:
        first, _, last = args.pages.partition("-")
        pages = list(range(int(first), int(last or first) + 1))
    accuracy(pages, args.jobs, args.pdf)


if __name__ == "__main__":
    main()
