#!/usr/bin/env python
"""kpi-scorecard: annual-report PDFs or text dumps → DuckDB KPI warehouse (+ CSV open data).

Chains the stages: document_to_blocks → blocks_to_scorecard → load_scorecard → export_csv.
A document read before comes from the cache (cache/scorecards.py); a run that would only repeat
the last one over the same warehouse reports it instead (cache/runs.py). Neither imports a PDF
library, and the second does not open the warehouse.
"""
from __future__ import annotations

import hashlib
import sys
import time
from pathlib import Path

import click

from extract.document import SUFFIXES, document_to_blocks, is_pdf
from extract.errors import InputError
from extract.settings import PdfSettings
from cache.runs import RunRecord, record_run, repeated_run, run_key
from cache.scorecards import default_cache_dir, read_cached, scorecard_key, source_version, write_cached
from normalize.records import Scorecard

SAMPLES = Path(__file__).parent / "samples"
LINKS = Path(__file__).parent / "overrides" / "kpi_links.csv"


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


def read_document(path: Path, settings: PdfSettings, pages: list[int] | None, label: str) -> Scorecard:
    """One input through extract and normalize, with a page progress bar for PDFs."""
    from normalize.scorecard import blocks_to_scorecard  # not needed when the cache has it

    if not path.is_file():
        raise InputError(path, "no such file")
    if not is_pdf(path):
        return blocks_to_scorecard(document_to_blocks(path, settings), path.name)
    from extract.pdf import page_count  # PDF libraries only when a PDF is read

    total = page_count(path, settings.password)
    length = len([p for p in pages if 1 <= p <= total]) if pages else total
    with click.progressbar(length=length, label=label, file=sys.stderr) as bar:
        blocks = document_to_blocks(path, settings, pages, on_page=lambda _: bar.update(1))
    return blocks_to_scorecard(blocks, path.name, pages=total)


def document_key(path: Path, settings: PdfSettings, pages: list[int] | None) -> str:
    """The cache key of the document at path read with these settings."""
    if not path.is_file():
        raise InputError(path, "no such file")
    return scorecard_key(file_sha256(path), path.name, pages, settings.table_settings, source_version())


def read_through_cache(
    path: Path, key: str, settings: PdfSettings, pages: list[int] | None, label: str, cache_dir: Path | None
) -> tuple[Scorecard, bool]:
    """read_document, or what it gave in an earlier run, and whether it came from the cache.
    Nothing read with a password is cached (it would sit there decrypted)."""
    cached = read_cached(cache_dir, key) if cache_dir and not settings.password else None
    if cached:
        return cached, True
    scorecard = read_document(path, settings, pages, label)
    if cache_dir and not settings.password:
        write_cached(cache_dir, key, scorecard)
    return scorecard, False


def file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def last_run_if_repeated(
    paths: list[Path], settings: PdfSettings, pages: list[int] | None, db: Path, csv_dir: Path | None, links: Path,
    cache_dir: Path,
) -> tuple[list[Scorecard], RunRecord] | None:
    """The inputs' cached scorecards and the last run's record, when this run would repeat it."""
    try:
        keys = [document_key(path, settings, pages) for path in paths]
    except InputError:
        return None
    record = repeated_run(cache_dir, db, run_key(keys, csv_dir, links))
    scorecards = [read_cached(cache_dir, key) for key in keys] if record else []
    return (scorecards, record) if record and all(scorecards) else None


def review_document(path: Path, scorecard: Scorecard, settings: PdfSettings, review_dir: Path, label: str, links: list) -> Path:
    """The document's review report, with a progress bar over the page images it draws."""
    from review import kpi_pages, write_review  # draws pages: PDF and image libraries

    if not kpi_pages(scorecard):  # a text dump: no pages to draw
        return write_review(path, scorecard, review_dir, settings, links=links)
    with click.progressbar(length=len(kpi_pages(scorecard)), label=f"{label} review", file=sys.stderr) as bar:
        return write_review(path, scorecard, review_dir, settings, on_page=lambda _: bar.update(1), links=links)


def error_line(path: Path, error: Exception) -> str:
    """One line for a document that failed: named errors say what is wrong, others their type."""
    from warehouse import WarehouseError

    if isinstance(error, InputError):
        return str(error)
    if isinstance(error, WarehouseError):
        return f"{path.name}: {error}"
    return f"{path.name}: unexpected error ({type(error).__name__}: {' '.join(str(error).split())[:200]})"


def describe(scorecard: Scorecard, seconds: float) -> str:
    measures = sum(len(k.measures) for k in scorecard.kpis)
    kinds = [p.kind for p in scorecard.problems]
    return (
        f"  {scorecard.source_file:<24} ROC {scorecard.roc_year}  {sum(c.found for c in scorecard.counts)} themes  "
        f"{len(scorecard.kpis)} KPIs  {measures} measures  {kinds.count('repair')} repairs  "
        f"{kinds.count('warning')} warnings  {kinds.count('stitch')} rows stitched  {seconds:.1f} s"
    )


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("inputs", nargs=-1, type=click.Path(path_type=Path))
@click.option("--db", type=click.Path(dir_okay=False, path_type=Path), default=Path("warehouse.duckdb"), show_default=True, help="DuckDB warehouse file (created if missing).")
@click.option("--csv-dir", type=click.Path(file_okay=False, path_type=Path), default=Path("open-data"), show_default=True, help="Where to write the CSV open data.")
@click.option("--no-csv", is_flag=True, help="Do not write CSV files.")
@click.option("--pages", help="PDF pages to read, e.g. 1-10,12 (default: all).")
@click.option("--password", help="Password of encrypted PDFs.")
@click.option("--links", type=click.Path(dir_okay=False, path_type=Path), default=LINKS, show_default=True, help="KPI link overrides (CSV: document, kpi_code, action pin|split, kpi_id).")
@click.option("--relink", is_flag=True, help="Link every document's KPIs to their identities again (else a load links only what it changes); alone, loads nothing.")
@click.option("--review", "review_dir", type=click.Path(file_okay=False, path_type=Path), help="Write an HTML review report per document into this folder.")
@click.option("--cache-dir", type=click.Path(file_okay=False, path_type=Path), help="Where documents already read are kept (default: $XDG_CACHE_HOME or ~/.cache, /kpi-scorecard).")
@click.option("--no-cache", is_flag=True, help="Read, load and export everything again; keep nothing.")
def main(
    inputs: tuple[Path, ...], db: Path, csv_dir: Path, no_csv: bool, pages: str | None, password: str | None,
    review_dir: Path | None, links: Path, relink: bool, cache_dir: Path | None, no_cache: bool,
) -> None:
    """Load annual-report PDFs or text dumps (files or folders; default: the bundled samples/)."""
    started = time.perf_counter()
    page_list = parse_pages(pages)
    settings = PdfSettings(password=password)
    cache = None if no_cache else cache_dir or default_cache_dir()
    paths = [] if relink and not inputs else expand_inputs(inputs)  # --relink alone: the warehouse as it is
    out_dir = None if no_csv else csv_dir
    if cache and not (review_dir or relink) and (repeat := last_run_if_repeated(paths, settings, page_list, db, out_dir, links, cache)):
        scorecards, record = repeat
        done = [describe(s, 0) + "  (cached)" for s in scorecards]
        report(db, time.perf_counter() - started, len(paths), done, record.warnings, record.totals, [Path(p) for p in record.files], [])
        return
    # DuckDB and the link matching load only for a run with something to do
    from warehouse import WarehouseError, connect, count_warnings, export_csv, load_scorecard, preview_links, summary
    from warehouse import relink as relink_all
    from warehouse.identity import OverrideError, read_overrides

    try:
        overrides = read_overrides(links)
        con = connect(db)
    except (WarehouseError, OverrideError) as e:
        raise click.ClickException(str(e)) from None
    done, failed, loaded, reviews, keys = [], [], [], [], []
    with con:
        for number, path in enumerate(paths, start=1):
            t0 = time.perf_counter()
            label = f"[{number}/{len(paths)}] {path.name:<24}" if len(paths) > 1 else f"{path.name:<24}"
            try:
                key = document_key(path, settings, page_list)
                scorecard, cached = read_through_cache(path, key, settings, page_list, label, cache)
                if review_dir:  # before the load: a document that fails leaves nothing behind
                    links_made = preview_links(con, scorecard, overrides)
                    reviews.append(review_document(path, scorecard, settings, review_dir, label, links_made))
                load_scorecard(con, scorecard, sha256=file_sha256(path), overrides=overrides)
            except Exception as e:  # whatever goes wrong with one document, the others still load
                click.echo(f"Error: {error_line(path, e)}", err=True)
                failed.append(path)
                continue
            keys.append(key)
            done.append(describe(scorecard, time.perf_counter() - t0) + ("  (cached)" if cached else ""))
            loaded.append(scorecard.source_file)
        if relink:
            relink_all(con, overrides)  # in its own transaction
        written = [] if no_csv else export_csv(con, csv_dir)
        totals, warnings = summary(con), count_warnings(con, loaded)
    if cache and not failed and not (review_dir or relink):  # the warehouse is closed: its file is as the next run will find it
        record_run(cache, db, run_key(keys, out_dir, links), written, totals, warnings)
    report(db, time.perf_counter() - started, len(paths), done, warnings, totals, written, reviews)
    if failed:
        sys.exit(1)


def report(
    db: Path, seconds: float, inputs: int, done: list[str], warnings: list[str], totals: dict[str, int],
    written: list[Path], reviews: list[Path],
) -> None:
    click.echo(f"Loaded {len(done)} of {inputs} documents into {db} in {seconds:.1f} s")
    for line in done + warnings:
        click.echo(line)
    click.echo(
        f"Warehouse: {totals['documents']} documents, {totals['kpis']} KPIs, {totals['measures']} measures, "
        f"{totals['repairs']} repairs, {totals['warnings']} warnings, {totals['mismatches']} count mismatches, "
        f"{totals['identities']} KPI identities, {totals['conflicts']} conflicting values"
    )
    if written:
        tables = sum(p.suffix == ".csv" for p in written)
        click.echo(f"Open data: {tables} tables as CSV and Parquet, with datapackage.json, in {written[0].parent}")
    if reviews:
        click.echo(f"Review: {', '.join(str(p) for p in reviews)}")


if __name__ == "__main__":
    main()
