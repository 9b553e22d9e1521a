#!/usr/bin/env python
"""kpi-scorecard: annual-report PDFs or text dumps → DuckDB KPI warehouse (+ CSV open data).

Chains the stages through pipeline.py (shared with the Python API, kpi_scorecard): document →
Scorecard (or the cache, cache/scorecards.py) → warehouse → open data, trend report. A run that
would only repeat the last one over the same warehouse reports it instead (cache/runs.py). Neither
imports a PDF library, and the second does not open the warehouse.
"""
from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import click

from cache.runs import RunRecord, record_run, repeated_run, run_key
from cache.scorecards import default_cache_dir, read_cached
from extract.errors import InputError
from extract.settings import PdfSettings
from normalize.records import Scorecard
from pipeline import (
    LINKS, DocumentSummary, Loaded, OnPage, PageBar, ReadSettings, RunSummary, document_key, error_line, input_files,
    load_documents, run_summary,
)

if TYPE_CHECKING:
    import duckdb

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


def last_run_if_repeated(
    paths: list[Path], settings: ReadSettings, db: Path, csv_dir: Path | None, csv_options: tuple, links: Path,
) -> tuple[list[Scorecard], RunRecord] | None:
    """The inputs' cached scorecards and the last run's record, when this run would repeat it."""
    try:
        keys = [document_key(path, settings) for path in paths]
    except InputError:
        return None
    record = repeated_run(settings.cache_dir, db, run_key(keys, csv_dir, links, csv_options))
    scorecards = [read_cached(settings.cache_dir, key) for key in keys] if record else []
    return (scorecards, record) if record and all(scorecards) else None


@contextmanager
def progress_bar(length: int, label: str) -> Iterator[OnPage]:
    """A progress bar on stderr; its value is called once per step done."""
    with click.progressbar(length=length, label=label, file=sys.stderr) as bar:
        yield lambda _: bar.update(1)


def page_bars(total: int) -> tuple:
    """The labels of a run's inputs, and their page progress bars."""

    def label(number: int, path: Path) -> str:
        return f"[{number}/{total}] {path.name:<24}" if total > 1 else f"{path.name:<24}"

    def page_bar(number: int, path: Path) -> PageBar:
        return lambda length: progress_bar(length, label(number, path))

    return label, page_bar


def review_document(path: Path, scorecard: Scorecard, settings: PdfSettings, review_dir: Path, label: str, links: list) -> Path:
    """The document's review report, with its KPIs' identity links and a progress bar over the
    page images it draws."""
    from review import kpi_pages, write_review  # draws pages: PDF and image libraries

    if not kpi_pages(scorecard):  # a text dump: no pages to draw
        return write_review(path, scorecard, review_dir, settings, links=links)
    with progress_bar(len(kpi_pages(scorecard)), f"{label} review") as on_page:
        return write_review(path, scorecard, review_dir, settings, on_page=on_page, links=links)


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("inputs", nargs=-1, type=click.Path(path_type=Path))
@click.option("--db", type=click.Path(dir_okay=False, path_type=Path), default=Path("warehouse.duckdb"), show_default=True, help="DuckDB warehouse file (created if missing).")
@click.option("--csv-dir", type=click.Path(file_okay=False, path_type=Path), default=Path("open-data"), show_default=True, help="Where to write the CSV open data.")
@click.option("--no-csv", is_flag=True, help="Do not write CSV files.")
@click.option("--csv-bom", is_flag=True, help="Start each CSV with a UTF-8 byte order mark (Excel then shows Chinese text correctly).")
@click.option("--csv-headers", type=click.Choice(["en", "zh"]), default="en", show_default=True, help="CSV header row: field names (en) or their zh-TW titles (zh, e.g. 年度, 關鍵績效指標名稱).")
@click.option("--pages", help="PDF pages to read, e.g. 1-10,12 (default: all).")
@click.option("--password", help="Password of encrypted PDFs.")
@click.option("--links", type=click.Path(dir_okay=False, path_type=Path), default=LINKS, show_default=True, help="KPI link overrides (CSV: document, kpi_code, action pin|split, kpi_id).")
@click.option("--relink", is_flag=True, help="Link every document's KPIs to their identities again (else a load links only what it changes); alone, loads nothing.")
@click.option("--review", "review_dir", type=click.Path(file_okay=False, path_type=Path), help="Write an HTML review report per document into this folder.")
@click.option("--trend-report", type=click.Path(dir_okay=False, path_type=Path), help="Write the year-over-year report of the whole warehouse to this HTML file.")
@click.option("--cache-dir", type=click.Path(file_okay=False, path_type=Path), help="Where documents already read are kept (default: $XDG_CACHE_HOME or ~/.cache, /kpi-scorecard).")
@click.option("--no-cache", is_flag=True, help="Read, load and export everything again; keep nothing.")
def main(
    inputs: tuple[Path, ...], db: Path, csv_dir: Path, no_csv: bool, csv_bom: bool, csv_headers: str,
    pages: str | None, password: str | None, relink: bool, review_dir: Path | None, trend_report: Path | None, links: Path,
    cache_dir: Path | None, no_cache: bool,
) -> None:
    """Load annual-report PDFs or text dumps (files or folders; default: the bundled samples/)."""
    started = time.perf_counter()
    settings = ReadSettings(PdfSettings(password=password), parse_pages(pages), None if no_cache else cache_dir or default_cache_dir())
    paths = [] if relink and not inputs else input_files(list(inputs or (SAMPLES,)))  # --relink alone: the warehouse as it is
    out_dir = None if no_csv else csv_dir
    csv_options = (csv_bom, csv_headers)
    if settings.cache_dir and not (review_dir or trend_report or relink) and (
        repeat := last_run_if_repeated(paths, settings, db, out_dir, csv_options, links)
    ):
        scorecards, record = repeat
        done = RunSummary([DocumentSummary.of(s, 0, cached=True) for s in scorecards], [], record.warnings, record.totals)
        report(db, time.perf_counter() - started, len(paths), done, [Path(p) for p in record.files], [], None)
        return
    # DuckDB and the link matching load only for a run with something to do
    from warehouse import WarehouseError, connect, export_csv, preview_links
    from warehouse import relink as relink_all
    from warehouse.identity import OverrideError, read_overrides

    try:
        overrides = read_overrides(links)
        con = connect(db)
    except (WarehouseError, OverrideError) as e:
        raise click.ClickException(str(e)) from None
    label, page_bar = page_bars(len(paths))
    reviews: list[Path] = []

    def review(number: int, path: Path, scorecard: Scorecard) -> None:  # before the load: a failure leaves nothing
        links_made = preview_links(con, scorecard, overrides)
        reviews.append(review_document(path, scorecard, settings.pdf, review_dir, label(number, path), links_made))

    loaded: list[Loaded] = []
    with con:
        for item in load_documents(con, paths, settings, overrides, page_bar, review if review_dir else None):
            if item.error:
                click.echo(f"Error: {error_line(item.path, item.error)}", err=True)
            loaded.append(item)
        if relink:
            relink_all(con, overrides)  # in its own transaction
        written = [] if no_csv else export_csv(con, csv_dir, bom=csv_bom, headers=csv_headers)
        summary = run_summary(con, loaded)
        unwritten = trend_report and not write_report(con, trend_report)
    if settings.cache_dir and not summary.failed and not (review_dir or relink):  # the warehouse is closed: its file is as the next run will find it
        keys = [item.key for item in loaded]
        record_run(settings.cache_dir, db, run_key(keys, out_dir, links, csv_options), written, summary.totals, summary.warnings)
    report(db, time.perf_counter() - started, len(paths), summary, written, reviews, None if unwritten else trend_report)
    if summary.failed or unwritten:
        sys.exit(1)


def write_report(con: duckdb.DuckDBPyConnection, path: Path) -> bool:
    """The trend report of the warehouse, written to path; an error line when it cannot be."""
    from trends import write_trend_report  # the plotting library only when asked for

    try:
        write_trend_report(con, path, progress=lambda length: progress_bar(length, f"{'trend report':<24}"))
    except OSError as e:
        click.echo(f"Error: {path}: cannot write the trend report ({e.strerror or e})", err=True)
        return False
    return True


def report(
    db: Path, seconds: float, inputs: int, summary: RunSummary, written: list[Path], reviews: list[Path],
    trend_report: Path | None,
) -> None:
    click.echo(f"Loaded {len(summary.documents)} of {inputs} documents into {db} in {seconds:.1f} s")
    for line in summary.lines():
        click.echo(line)
    if written:
        tables = sum(p.suffix == ".csv" for p in written)
        click.echo(f"Open data: {tables} tables as CSV and Parquet, with datapackage.json, in {written[0].parent}")
    if reviews:
        click.echo(f"Review: {', '.join(str(p) for p in reviews)}")
    if trend_report:
        click.echo(f"Trend report: {trend_report}")


if __name__ == "__main__":
    main()
