"""kpi-scorecard: annual-report PDFs or text dumps → DuckDB KPI warehouse (+ CSV open data).

The console script `kpi-scorecard` (and `python run_pipeline.py` in a checkout). Chains the stages
through pipeline.py (shared with the Python API, kpi_scorecard): document →
Scorecard (or the cache, cache/scorecards.py) → warehouse → open data, trend report. A run that
would only repeat the last one over the same warehouse reports it instead (cache/runs.py). Neither
imports a PDF library, and the second does not open the warehouse. `--rebuild` reads every
document the warehouse lists again; `kpi-scorecard links …` keeps the warehouse's KPI link
overrides.
"""
from __future__ import annotations

import io
import logging
import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, redirect_stdout
from dataclasses import replace
from functools import partial
from importlib.resources import as_file, files
from pathlib import Path
from typing import TYPE_CHECKING

import click

from kpi_scorecard.cache.runs import RunRecord, record_run, repeated_run, run_key
from kpi_scorecard.cache.scorecards import default_cache_dir, read_cached
from kpi_scorecard.extract.document import SUFFIXES
from kpi_scorecard.extract.errors import InputError
from kpi_scorecard.extract.settings import PdfSettings
from kpi_scorecard.messages import LANGUAGES
from kpi_scorecard.normalize.records import Scorecard
from kpi_scorecard.pipeline import (
    DocumentSummary,
    Loaded,
    OnPage,
    PageBar,
    ReadSettings,
    RunSummary,
    document_key,
    error_line,
    input_files,
    load_documents,
    rebuild_documents,
    run_summary,
    start_reading,
)

if TYPE_CHECKING:  # DuckDB and the link code load only when a run needs them
    import duckdb

    from kpi_scorecard.warehouse.identity import Override

log = logging.getLogger("kpi_scorecard")


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


def bundled_samples() -> list[Path]:
    """The sample documents shipped in the package, as files for as long as the command runs
    (importlib.resources: found wherever and however the package is installed)."""
    entries = sorted((e for e in files("kpi_scorecard.samples").iterdir() if e.name.lower().endswith(SUFFIXES)), key=lambda e: e.name)
    return [click.get_current_context().with_resource(as_file(entry)) for entry in entries]


def last_run_if_repeated(
    paths: list[Path], settings: ReadSettings, db: Path, csv_dir: Path | None, csv_options: tuple, links: Path | None,
) -> tuple[list[Scorecard], RunRecord] | None:
    """The inputs' cached scorecards and the last run's record, when this run would repeat it."""
    if settings.cache_dir is None:
        return None
    try:
        keys = [document_key(path, settings) for path in paths]
    except InputError:
        return None
    record = repeated_run(settings.cache_dir, db, run_key(keys, csv_dir, links, csv_options))
    cached = [read_cached(settings.cache_dir, key) for key in keys] if record else []
    scorecards = [s for s in cached if s is not None]
    return (scorecards, record) if record and len(scorecards) == len(keys) else None


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


def review_document(
    path: Path, scorecard: Scorecard, settings: PdfSettings, review_dir: Path, label: str, links: list, language: str | None,
) -> Path:
    """The document's review report, with its KPIs' identity links and a progress bar over the
    page images it draws."""
    from kpi_scorecard.review import kpi_pages, write_review  # draws pages: PDF and image libraries

    if not kpi_pages(scorecard):  # a text dump: no pages to draw
        return write_review(path, scorecard, review_dir, settings, links=links, language=language)
    with progress_bar(len(kpi_pages(scorecard)), f"{label} review") as on_page:
        return write_review(path, scorecard, review_dir, settings, on_page=on_page, links=links, language=language)


class ClickHandler(logging.Handler):
    """Log records as lines on stderr, through click (which a test's runner captures)."""

    def emit(self, record: logging.LogRecord) -> None:
        click.echo(self.format(record), err=True)


def start_logging(ctx: click.Context, _param: click.Parameter, debug: bool) -> None:
    """--debug: the package's debug records and every error's traceback on stderr; else warnings."""
    ctx.meta["debug"] = debug
    handler = ClickHandler()
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s" if debug else "%(levelname)s: %(message)s"))
    log.addHandler(handler)
    log.setLevel(logging.DEBUG if debug else logging.WARNING)
    ctx.call_on_close(lambda: log.removeHandler(handler))


def keep_wait(ctx: click.Context, _param: click.Parameter, seconds: float) -> None:
    ctx.meta["wait"] = seconds


DEBUG = click.option("--debug", is_flag=True, expose_value=False, is_eager=True, callback=start_logging,
                     help="Show the traceback behind any error, and what the run does step by step.")
WAIT = click.option("--wait", type=click.FloatRange(min=0), default=0, show_default=True, metavar="SECONDS", expose_value=False,
                    callback=keep_wait, help="Wait this long for a warehouse another process has open, instead of failing at once.")


class ErrorsAsLines(click.Command):
    """An error is one line, `Error: …`, and exit 1; with --debug its traceback comes first."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except click.ClickException as e:
            if cause := e.__cause__ or e.__context__:
                log.debug("the error's traceback:", exc_info=cause)
            raise
        except (click.exceptions.Exit, click.exceptions.Abort):  # RuntimeErrors click handles itself
            raise
        except Exception as e:
            log.debug("the error's traceback:", exc_info=e)
            hint = "" if ctx.meta.get("debug") else "; --debug shows its traceback"
            raise click.ClickException(f"unexpected error ({type(e).__name__}: {' '.join(str(e).split())[:200]}){hint}") from e


class JobOrLinks(ErrorsAsLines):
    """The default job; `links …` or `remove …` as the first arguments runs that command instead."""

    def main(self, args=None, prog_name=None, **extra):
        argv = sys.argv[1:] if args is None else list(args)
        if argv[:1] in (["links"], ["remove"]):
            command = links if argv[0] == "links" else remove
            return command.main(argv[1:], prog_name=f"{prog_name or 'kpi-scorecard'} {argv[0]}", **extra)
        return super().main(args, prog_name, **extra)

    def make_context(self, info_name, args, parent=None, **extra):
        argv = list(args)  # as given, for the quick stamp (remember_run)
        ctx = super().make_context(info_name, args, parent, **extra)
        ctx.meta["argv"] = argv
        return ctx


CONTEXT = {"help_option_names": ["-h", "--help"]}
DB_HELP = "DuckDB warehouse file"
CSV_DIR = click.option("--csv-dir", type=click.Path(file_okay=False, path_type=Path), default=Path("open-data"), show_default=True,
                       help="Where to write the CSV open data.")
NO_CSV = click.option("--no-csv", is_flag=True, help="Do not write CSV files.")
CSV_BOM = click.option("--csv-bom", is_flag=True, help="Start each CSV with a UTF-8 byte order mark (Excel then shows Chinese text correctly).")
XLSX = click.option("--xlsx", type=click.Path(dir_okay=False, path_type=Path),
                    help="Also write the published tables as one Excel workbook (a sheet per table, headers as --csv-headers).")
CSV_HEADERS = click.option("--csv-headers", type=click.Choice(["en", "zh"]), default="en", show_default=True,
                           help="CSV header row: field names (en) or their zh-TW titles (zh, e.g. 年度, 關鍵績效指標名稱).")


def open_data_options(command: Callable) -> Callable:
    """--csv-dir, --no-csv, --csv-bom, --csv-headers, --xlsx."""
    for option in (XLSX, CSV_HEADERS, CSV_BOM, NO_CSV, CSV_DIR):
        command = option(command)
    return command


def export_open_data(
    con: duckdb.DuckDBPyConnection, csv_dir: Path, no_csv: bool, csv_bom: bool, csv_headers: str, xlsx: Path | None = None,
) -> list[Path]:
    from kpi_scorecard.warehouse import export_csv

    written = [] if no_csv else export_csv(con, csv_dir, bom=csv_bom, headers=csv_headers)
    if xlsx:
        from kpi_scorecard.warehouse.xlsx import export_xlsx

        written.append(export_xlsx(con, xlsx, headers=csv_headers))
    return written


def idle_cpus(most: int = 4) -> int:
    """--jobs where none is given: this process and a helper for each CPU other work leaves idle
    (the CPUs less the load average of the last minute beyond one, as runs one after another keep it
    near 1; where the system keeps one), at most `most`. On a busy machine a helper only waits for a
    CPU: the 52-page report at load 7.5 on 2 CPUs took 4.12 s and 1.62 CPU s with a helper, 3.50 s
    and 1.37 CPU s without (medians of 3 alternated runs; 4 to 24 of its pages alike)."""
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0  # Windows keeps none
    return max(1, min(most, round((os.cpu_count() or 1) + 1 - max(load, 1.0))))


@click.command(cls=JobOrLinks, context_settings=CONTEXT,
               epilog="KPI link overrides: kpi-scorecard links --help. Take a document out: kpi-scorecard remove --help")
@click.argument("inputs", nargs=-1, type=click.Path(path_type=Path))
@click.option("--db", type=click.Path(dir_okay=False, path_type=Path), default=Path("warehouse.duckdb"), show_default=True,
              help=f"{DB_HELP} (created if missing; one an earlier version wrote is upgraded).")
@open_data_options
@click.option("--pages", help="PDF pages to read, e.g. 1-10,12 (default: all).")
@click.option("--password", help="Password of encrypted PDFs.")
@click.option("--ocr", is_flag=True, help="Recognise every PDF page from its image (Tesseract; the [ocr] extra), not only the pages without a text layer.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=idle_cpus, show_default="idle CPUs, at most 4",
              help="Processes reading a PDF's pages at once.")
@click.option("--links", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Import KPI link overrides from a CSV file (document, kpi_code, action pin|split, kpi_id, note) into the warehouse, where they stay.")
@click.option("--relink", is_flag=True,
              help="Link every document's KPIs to their identities again (else a load links only what it changes); alone, loads nothing.")
@click.option("--review", "review_dir", type=click.Path(file_okay=False, path_type=Path), help="Write an HTML review report per document into this folder.")
@click.option("--trend-report", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the year-over-year report of the whole warehouse to this HTML file.")
@click.option("--lang", "language", type=click.Choice(LANGUAGES),
              help="Language of the review and trend reports: 繁體中文 (zh-TW) or English (en). "
                   "Default: zh-TW when the locale is Chinese (LANG=zh_TW.UTF-8 …), else en.")
@click.option("--rebuild", is_flag=True,
              help="Read every document the warehouse lists again (from the file it was loaded from, or one of that name among INPUTS) and reload them all in "
                   "one transaction, reporting what changed.")
@click.option("--cache-dir", type=click.Path(file_okay=False, path_type=Path),
              help="Where documents already read are kept (default: $XDG_CACHE_HOME or ~/.cache, /kpi-scorecard).")
@click.option("--no-cache", is_flag=True, help="Read, load and export everything again; keep nothing.")
@WAIT
@DEBUG
@click.version_option(package_name="kpi-scorecard", prog_name="kpi-scorecard", message="%(prog)s %(version)s")
def main(
    inputs: tuple[Path, ...], db: Path, csv_dir: Path, no_csv: bool, csv_bom: bool, csv_headers: str, xlsx: Path | None,
    pages: str | None, password: str | None, ocr: bool, jobs: int, links: Path | None, relink: bool, review_dir: Path | None,
    trend_report: Path | None, language: str | None, rebuild: bool, cache_dir: Path | None, no_cache: bool,
) -> None:
    """Load annual-report PDFs or text dumps (files or folders; default: the bundled samples)."""
    started = time.perf_counter()
    pdf_settings = PdfSettings(password=password, workers=jobs, ocr="always" if ocr else "auto")
    settings = ReadSettings(pdf_settings, parse_pages(pages), None if no_cache else cache_dir or default_cache_dir())
    out_dir = None if no_csv else csv_dir
    csv_options = (csv_bom, csv_headers, str(xlsx.resolve()) if xlsx else None)
    if rebuild:
        if pages or review_dir:
            raise click.UsageError("--rebuild reads each document with the pages it was loaded with; --pages and --review do not apply")
        open_data = {"csv_dir": csv_dir, "no_csv": no_csv, "csv_bom": csv_bom, "csv_headers": csv_headers, "xlsx": xlsx}
        return rebuild_warehouse(db, list(inputs), settings, links, open_data, (trend_report, language), started)
    paths = [] if relink and not inputs else input_files(list(inputs) or bundled_samples())  # --relink alone: the warehouse as it is
    if settings.cache_dir and not (review_dir or trend_report or relink) and (
        repeat := last_run_if_repeated(paths, settings, db, out_dir, csv_options, links)
    ):
        scorecards, record = repeat
        done = RunSummary([DocumentSummary.of(s, 0, cached=True) for s in scorecards], [], record.warnings, record.totals)
        report(db, time.perf_counter() - started, len(paths), done, [Path(p) for p in record.files], [], None)
        remember_run(inputs, paths, links, db, [Path(p) for p in record.files], done)
        return
    start_reading(paths, settings)  # helpers start while DuckDB loads and the warehouse opens
    # DuckDB and the link matching load only for a run with something to do
    from kpi_scorecard.warehouse import preview_links, relink as relink_all

    label, page_bar = page_bars(len(paths))
    reviews: list[Path] = []

    def review(folder: Path, number: int, path: Path, scorecard: Scorecard) -> None:  # before the load: a failure leaves nothing
        con, overrides = warehouse()
        links_made = preview_links(con, scorecard, overrides)
        reviews.append(review_document(path, scorecard, settings.pdf, folder, label(number, path), links_made, language))

    loaded: list[Loaded] = []
    with warehouse_opening(db, links, settings.cache_dir) as warehouse:
        for item in load_documents(warehouse, paths, settings, (), page_bar, partial(review, review_dir) if review_dir else None):
            if item.error:
                log.debug("%s: the error's traceback:", item.path.name, exc_info=item.error)
                click.echo(f"Error: {error_line(item.path, item.error)}", err=True)
            loaded.append(item)
        con, overrides = warehouse()
        if relink:
            relink_all(con, overrides)  # in its own transaction
        written = export_open_data(con, csv_dir, no_csv, csv_bom, csv_headers, xlsx)
        summary = run_summary(con, loaded)
        unwritten = trend_report and not write_report(con, trend_report, language)
    if settings.cache_dir and not summary.failed and not (review_dir or relink):  # the warehouse is closed: its file is as the next run will find it
        keys = [item.key for item in loaded if item.key]  # each one: no input failed
        record_run(settings.cache_dir, db, run_key(keys, out_dir, links, csv_options), written, summary.totals, summary.warnings)
        if not (trend_report or unwritten):
            remember_run(inputs, paths, links, db, written, summary)
    report(db, time.perf_counter() - started, len(paths), summary, written, reviews, None if unwritten else trend_report)
    if summary.failed or unwritten:
        sys.exit(1)


def remember_run(inputs: tuple[Path, ...], paths: list[Path], links: Path | None, db: Path, written: list[Path], summary: RunSummary) -> None:
    """The quick stamp of a run runs.py recorded (cache/quick.py), with what a repeat prints; only
    for inputs that are files (a folder may gain one) and without --debug (a repeat logs more)."""
    if not inputs or not all(p.is_file() for p in inputs) or log.isEnabledFor(logging.DEBUG):
        return
    argv = click.get_current_context().meta.get("argv")
    if argv is None:
        return
    from kpi_scorecard.cache.quick import remember

    repeat = RunSummary([replace(d, seconds=0.0, cached=True) for d in summary.documents], [], summary.warnings, summary.totals)
    with redirect_stdout(io.StringIO()) as out:
        report(db, 0.0, len(paths), repeat, written, [], None)
    remember(argv, [str(p) for p in [*paths, *([links] if links else [])]], str(db), [str(p) for p in written], out.getvalue())


def open_warehouse(db: Path, wait: float | None = None, cache_dir: Path | None = None) -> duckdb.DuckDBPyConnection:
    """The warehouse, upgraded if an earlier version wrote it (said in one line on stderr), waited
    for (--wait; `wait` seconds off click's thread) while another process has it open; its errors
    as one line. A new one is copied from the empty warehouse kept in cache_dir, if given."""
    from kpi_scorecard.warehouse import WarehouseError, connect

    try:
        return connect(db, on_upgrade=lambda line: click.echo(line, err=True),
                       wait=click.get_current_context().meta.get("wait", 0) if wait is None else wait, cache_dir=cache_dir)
    except WarehouseError as e:
        raise click.ClickException(str(e)) from e


@contextmanager
def warehouse_opening(
    db: Path, links: Path | None, cache_dir: Path | None,
) -> Iterator[Callable[[], tuple[duckdb.DuckDBPyConnection, list[Override]]]]:
    """The warehouse opened, its --links imported and overrides read: yields the wait for them; the
    warehouse is closed at the end. A new one is made on a thread while the first document is read
    (DuckDB makes its schema without the GIL; its errors come then); an existing one at once, so
    that a locked or newer file is refused before anything is read."""
    from concurrent.futures import ThreadPoolExecutor

    wait = click.get_current_context().meta.get("wait", 0)

    def opened() -> tuple[duckdb.DuckDBPyConnection, list[Override]]:
        from kpi_scorecard.warehouse.overrides import stored_overrides

        con = open_warehouse(db, wait, cache_dir)
        try:
            if links:
                import_links(con, links)
            return con, stored_overrides(con)
        except BaseException:
            con.close()
            raise

    with ThreadPoolExecutor(1) as pool:
        opening = pool.submit(opened) if not db.exists() else None
        ready = opening.result if opening else (lambda result: lambda: result)(opened())
        try:
            yield ready
        finally:
            if not (opening and (opening.cancel() or opening.exception())):
                ready()[0].close()


def rebuild_warehouse(
    db: Path, found_in: list[Path], settings: ReadSettings, links: Path | None, open_data: dict,
    trend: tuple[Path | None, str | None], started: float,
) -> None:
    """--rebuild: pipeline.rebuild_documents, then the open data (and the trend report, in its
    language), and what changed per document."""
    from kpi_scorecard.warehouse.rows import one_row

    trend_report, language = trend
    with open_warehouse(db) as con:
        if links:
            import_links(con, links)
        (listed,) = one_row(con, "SELECT count(*) FROM documents")
        if not listed:
            raise click.ClickException(f"{db}: the warehouse lists no documents to rebuild")
        rebuild = rebuild_documents(con, settings, found_in, page_bars(listed)[1])
        for line in rebuild.errors:
            click.echo(f"Error: {line}", err=True)
        if rebuild.errors:
            raise click.ClickException(f"{len(rebuild.errors)} of {plural(listed, 'document')} could not be read again; nothing was rebuilt")
        written = export_open_data(con, **open_data)
        summary = run_summary(con, [])
        unwritten = trend_report and not write_report(con, trend_report, language)
    click.echo(f"Rebuilt {plural(len(rebuild.documents), 'document')} in {db} in {time.perf_counter() - started:.1f} s, in one transaction")
    for document in rebuild.documents:
        note = "  (the file changed since it was loaded)" if document.file_changed else ""
        click.echo(f"  {document.document_id:<24} {document.changes.summary()}{note}")
        for line in document.changes.lines():
            click.echo(f"      {line}")
    if rebuild.not_listed:
        click.echo(f"Not in the warehouse, so not read (load them without --rebuild): {', '.join(rebuild.not_listed)}")
    for line in summary.lines():
        click.echo(line)
    report_files(written, [], None if unwritten else trend_report)
    if unwritten:
        sys.exit(1)


def import_links(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    """The overrides of a CSV file saved in the warehouse, the links they move shown."""
    from kpi_scorecard.warehouse.identity import OverrideError
    from kpi_scorecard.warehouse.overrides import import_overrides

    try:
        imported, moved = import_overrides(con, path)
    except OverrideError as e:
        raise click.ClickException(str(e)) from None
    click.echo(f"Links: {plural(imported, 'override')} from {path.name} saved in the warehouse; {plural(len(moved), 'link')} changed")
    for change in moved:
        click.echo(f"  {change}")


def write_report(con: duckdb.DuckDBPyConnection, path: Path, language: str | None) -> bool:
    """The trend report of the warehouse, written to path; an error line when it cannot be."""
    from kpi_scorecard.trends import write_trend_report  # the plotting library only when asked for

    try:
        write_trend_report(con, path, progress=lambda length: progress_bar(length, f"{'trend report':<24}"), language=language)
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
    report_files(written, reviews, trend_report)


def report_files(written: list[Path], reviews: list[Path], trend_report: Path | None) -> None:
    if tables := sum(p.suffix == ".csv" for p in written):
        click.echo(f"Open data: {tables} tables as CSV and Parquet, with datapackage.json, in {written[0].parent}")
    for workbook in (p for p in written if p.suffix.lower() == ".xlsx"):
        click.echo(f"Workbook: {workbook}")
    if reviews:
        click.echo(f"Review: {', '.join(str(p) for p in reviews)}")
    if trend_report:
        click.echo(f"Trend report: {trend_report}")


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


# ---- kpi-scorecard links …: the warehouse's KPI link overrides ------------------------------------

LINKS_DB_OPTION = click.option("--db", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=Path("warehouse.duckdb"), show_default=True,
                               help=DB_HELP)


def LINKS_DB(command: Callable) -> Callable:  # noqa: N802 (a decorator, as the options beside it)
    """--db of an existing warehouse, --wait, --debug."""
    return LINKS_DB_OPTION(WAIT(DEBUG(command)))
NOTE = click.option("--note", help="Why, in your words (kept with the override).")


class LinksGroup(ErrorsAsLines, click.Group):
    """The links commands, their errors as one line."""

    command_class = ErrorsAsLines


@click.group(cls=LinksGroup, context_settings=CONTEXT)
def links() -> None:
    """KPI link overrides, kept in the warehouse: pin a document's KPI to a KPI identity, or split
    it off into one of its own. Every change relinks at once and shows the links it moved."""


@links.command("show")
@LINKS_DB
@click.option("--all", "show_all", is_flag=True, help="Also every link to check: renamed, renumbered and ambiguous ones, new ones that had a candidate.")
def links_show(db: Path, show_all: bool) -> None:
    """The overrides and the links they make."""
    from kpi_scorecard.warehouse.identity import REVIEWED

    with open_warehouse(db) as con:
        overrides = con.execute("""
            SELECT o.document_id, o.kpi_code, o.action, o.kpi_id, o.note, l.kpi_id, l.decision
            FROM link_overrides AS o LEFT JOIN kpi_links AS l USING (document_id, kpi_code)
            ORDER BY o.document_id, o.kpi_code
        """).fetchall()
        to_check = con.execute("""
            SELECT document_id, kpi_code, kpi_name, kpi_id, decision, score, compared_to, reason FROM kpi_links
            WHERE list_contains(?, decision) OR (decision = 'new' AND compared_to IS NOT NULL)
            ORDER BY document_id, kpi_code
        """, [list(REVIEWED)]).fetchall() if show_all else []
    click.echo(f"{plural(len(overrides), 'link override')} in {db}")
    for doc, code, action, kpi_id, note, linked, decision in overrides:
        what = f"pin to {kpi_id}" if action == "pin" else "split"
        now = f"linked to {linked} ({decision})" if linked else "not in the warehouse yet"
        click.echo(f"  {doc} {code}: {what}; {now}" + (f"  — {note}" if note else ""))
    if show_all:
        click.echo(f"{plural(len(to_check), 'link')} to check")
        for doc, code, name, kpi_id, decision, score, compared_to, reason in to_check:
            against = f" against {compared_to}" if compared_to else ""
            click.echo(f"  {doc} {code} {name}: {kpi_id} ({decision}, score {score:.0f}{against}; {reason})")


@links.command("pin")
@click.argument("document")
@click.argument("kpi_code")
@click.argument("kpi_id")
@NOTE
@LINKS_DB
@open_data_options
def links_pin(document: str, kpi_code: str, kpi_id: str, note: str | None, db: Path, **open_data) -> None:
    """Link DOCUMENT's KPI_CODE to the identity KPI_ID, whatever the names say."""
    from kpi_scorecard.warehouse.identity import Override

    set_override(db, open_data, Override(document, kpi_code, "pin", kpi_id, note))


@links.command("split")
@click.argument("document")
@click.argument("kpi_code")
@NOTE
@LINKS_DB
@open_data_options
def links_split(document: str, kpi_code: str, note: str | None, db: Path, **open_data) -> None:
    """Give DOCUMENT's KPI_CODE an identity of its own (never matched to an earlier KPI)."""
    from kpi_scorecard.warehouse.identity import Override

    set_override(db, open_data, Override(document, kpi_code, "split", None, note))


@links.command("remove")
@click.argument("document")
@click.argument("kpi_code")
@LINKS_DB
@open_data_options
def links_remove(document: str, kpi_code: str, db: Path, **open_data) -> None:
    """Drop the override of DOCUMENT's KPI_CODE: it is linked by code and name again."""
    from kpi_scorecard.warehouse.overrides import remove_override

    change_links(db, open_data, lambda con: remove_override(con, document, kpi_code))


@links.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@LINKS_DB
@open_data_options
def links_import(file: Path, db: Path, **open_data) -> None:
    """Save the overrides of a CSV FILE (document, kpi_code, action pin|split, kpi_id, note), e.g.
    the overrides/kpi_links.csv of earlier versions, in the warehouse."""
    with open_warehouse(db) as con:
        import_links(con, file)
        written = export_open_data(con, **open_data)
    report_files(written, [], None)


def set_override(db: Path, open_data: dict, override: Override) -> None:
    from kpi_scorecard.warehouse.overrides import check_applies, save_overrides

    def change(con: duckdb.DuckDBPyConnection) -> None:
        check_applies(con, override)
        save_overrides(con, [override])

    change_links(db, open_data, change)


def change_links(db: Path, open_data: dict, change: Callable[[duckdb.DuckDBPyConnection], None]) -> None:
    """change(con) on the overrides, relinked in one transaction; the links it moved; open data again."""
    from kpi_scorecard.warehouse import WarehouseError
    from kpi_scorecard.warehouse.overrides import change_overrides

    with open_warehouse(db) as con:
        try:
            moved = change_overrides(con, lambda: change(con))
        except WarehouseError as e:
            raise click.ClickException(str(e)) from None
        written = export_open_data(con, **open_data)
    click.echo(f"{plural(len(moved), 'link')} changed" + (":" if moved else " (the KPI was linked so already)"))
    for line in moved:
        click.echo(f"  {line}")
    report_files(written, [], None)


# ---- kpi-scorecard remove …: take a document out ------------------------------------------------


@click.command(cls=ErrorsAsLines, context_settings=CONTEXT)
@click.argument("document")
@click.option("--drop-overrides", is_flag=True, help="Also delete the document's KPI link overrides (else they are kept, to apply if it is loaded again).")
@LINKS_DB
@open_data_options
def remove(document: str, drop_overrides: bool, db: Path, **open_data) -> None:
    """Take DOCUMENT (its file name) out of the warehouse in one transaction: its rows, the links of
    the documents after it made again without it; then the open data is written again."""
    from kpi_scorecard.warehouse import WarehouseError
    from kpi_scorecard.warehouse.remove import remove_document

    with open_warehouse(db) as con:
        try:
            removed = remove_document(con, document, drop_overrides)
        except WarehouseError as e:
            raise click.ClickException(str(e)) from e
        written = export_open_data(con, **open_data)
        summary = run_summary(con, [])
    click.echo(f"Removed {removed.document_id} from {db}: {plural(removed.rows, 'row')}, in one transaction")
    if removed.overrides:
        what = "deleted" if removed.overrides_dropped else "kept, to apply if it is loaded again (--drop-overrides deletes them)"
        click.echo(f"Its {plural(len(removed.overrides), 'link override')} {what}:")
        for o in removed.overrides:
            click.echo(f"  {o.kpi_code}: {f'pin to {o.kpi_id}' if o.action == 'pin' else 'split'}" + (f"  — {o.note}" if o.note else ""))
    click.echo(f"{plural(len(removed.moved), 'link')} of other documents changed" + (":" if removed.moved else ""))
    for change in removed.moved:
        click.echo(f"  {change}")
    for line in summary.lines():
        click.echo(line)
    report_files(written, [], None)
