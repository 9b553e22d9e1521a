#!/usr/bin/env python
"""kpi-scorecard: annual-report PDFs or text dumps → DuckDB KPI warehouse (+ CSV open data).

Chains the stages: document_to_blocks → blocks_to_scorecard → load_scorecard → export_csv.
"""
from __future__ import annotations

import hashlib
import sys
import time
from pathlib import Path

import click

from extract.document import SUFFIXES, document_to_blocks, is_pdf
from extract.errors import InputError
from extract.pdf import PdfSettings, page_count
from normalize.records import Scorecard
from normalize.scorecard import blocks_to_scorecard
from warehouse import WarehouseError, connect, export_csv, load_scorecard, summary

SAMPLES = Path(__file__).parent / "samples"


def parse_pages(spec: str | None) -> list[int] | None:
    """"1-3,7" → [1, 2, 3, 7]."""
    if not spec:
        return None
    pages: list[int] = []
    for part in spec.split(","):
        first, _, last = part.strip().partition("-")
        if not (first.isdigit() and (not last or last.isdigit())):
            raise click.BadParameter(f"{spec!r}: use page numbers and ranges like 1-3,7", param_hint="--pages")
        pages.extend(range(int(first), int(last or first) + 1))
    return pages


def expand_inputs(inputs: tuple[Path, ...]) -> list[Path]:
    """Files as given; folders → their .pdf/.txt files in name order."""
    paths: list[Path] = []
    for path in inputs or (SAMPLES,):
        if path.is_dir():
            paths.extend(sorted(p for p in path.iterdir() if p.suffix.lower() in SUFFIXES and p.is_file()))
        else:
            paths.append(path)
    return paths


def read_document(path: Path, settings: PdfSettings, pages: list[int] | None) -> Scorecard:
    """One input through extract and normalize, with a page progress bar for PDFs."""
    if not path.is_file():
        raise InputError(path, "no such file")
    if not is_pdf(path):
        return blocks_to_scorecard(document_to_blocks(path, settings), path.name)
    total = page_count(path, settings.password)
    length = len([p for p in pages if 1 <= p <= total]) if pages else total
    with click.progressbar(length=length, label=f"{path.name:<24}", file=sys.stderr) as bar:
        blocks = document_to_blocks(path, settings, pages, on_page=lambda _: bar.update(1))
    return blocks_to_scorecard(blocks, path.name, pages=total)


def describe(scorecard: Scorecard, seconds: float) -> str:
    measures = sum(len(k.measures) for k in scorecard.kpis)
    kinds = [p.kind for p in scorecard.problems]
    return (
        f"  {scorecard.source_file:<24} ROC {scorecard.roc_year}  {len(scorecard.counts)} themes  "
        f"{len(scorecard.kpis)} KPIs  {measures} measures  {kinds.count('repair')} repairs  "
        f"{kinds.count('warning')} warnings  {kinds.count('stitch')} rows stitched  {seconds:.1f} s"
    )


def mismatches(scorecard: Scorecard) -> list[str]:
    lines = []
    for c in scorecard.counts:
        for item, stated, counted in (
            ("objectives", c.stated_objectives, c.counted_objectives),
            ("KPIs", c.stated_kpis, c.counted_kpis),
            ("action plans", c.stated_plans, c.counted_plans),
        ):
            if stated is not None and stated != counted:
                lines.append(f"Warning: {scorecard.source_file}: theme {c.theme_code} states {stated} {item}, found {counted}")
    return lines


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("inputs", nargs=-1, type=click.Path(path_type=Path))
@click.option("--db", type=click.Path(dir_okay=False, path_type=Path), default=Path("warehouse.duckdb"), show_default=True, help="DuckDB warehouse file (created if missing).")
@click.option("--csv-dir", type=click.Path(file_okay=False, path_type=Path), default=Path("open-data"), show_default=True, help="Where to write the CSV open data.")
@click.option("--no-csv", is_flag=True, help="Do not write CSV files.")
@click.option("--pages", help="PDF pages to read, e.g. 1-10,12 (default: all).")
@click.option("--password", help="Password of encrypted PDFs.")
def main(inputs: tuple[Path, ...], db: Path, csv_dir: Path, no_csv: bool, pages: str | None, password: str | None) -> None:
    """Load annual-report PDFs or text dumps (files or folders; default: the bundled samples/)."""
    started = time.perf_counter()
    page_list = parse_pages(pages)
    settings = PdfSettings(password=password)
    paths = expand_inputs(inputs)
    try:
        con = connect(db)
    except WarehouseError as e:
        raise click.ClickException(str(e)) from None
    done, failed, warnings = [], [], []
    with con:
        for path in paths:
            t0 = time.perf_counter()
            try:
                scorecard = read_document(path, settings, page_list)
                load_scorecard(con, scorecard, sha256=hashlib.sha256(path.read_bytes()).hexdigest())
            except (InputError, WarehouseError) as e:
                click.echo(f"Error: {e}", err=True)
                failed.append(path)
                continue
            done.append(describe(scorecard, time.perf_counter() - t0))
            warnings.extend(mismatches(scorecard))
        written = [] if no_csv else export_csv(con, csv_dir)
        totals = summary(con)
    click.echo(f"Loaded {len(done)} of {len(paths)} documents into {db} in {time.perf_counter() - started:.1f} s")
    for line in done + warnings:
        click.echo(line)
    click.echo(
        f"Warehouse: {totals['documents']} documents, {totals['kpis']} KPIs, {totals['measures']} measures, "
        f"{totals['repairs']} repairs, {totals['warnings']} warnings, {totals['mismatches']} count mismatches"
    )
    if written:
        click.echo(f"CSV: {', '.join(str(p) for p in written)}")
    if failed:
        sys.exit(1)


if __name__ == "__main__":
    main()
