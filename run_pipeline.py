#!/usr/bin/env python
"""kpi-scorecard: annual-report PDFs or text dumps → DuckDB KPI warehouse (+ CSV open data).

Chains the stages: document_to_blocks → blocks_to_scorecard → load_scorecard → export_csv.
A document read before comes from the cache (cache/scorecards.py); a run that would only repeat
the last one over the same warehouse reports it instead (cache/runs.py). Neither imports a PDF
library, and the second does not open the warehouse. `--rebuild` reads every document the
warehouse lists again; `kpi-scorecard links …` keeps the warehouse's KPI link overrides.
"""
from __future__ import annotations

import hashlib
import sys
import time
from collections.abc import Callable
from importlib.resources import as_file, files
from pathlib import Path
from typing import TYPE_CHECKING

import click

from extract.document import SUFFIXES, document_to_blocks, is_pdf
from extract.errors import InputError
from extract.settings import PdfSettings
from cache.runs import RunRecord, record_run, repeated_run, run_key
from cache.scorecards import default_cache_dir, read_cached, scorecard_key, source_version, write_cached
from normalize.records import Scorecard

if TYPE_CHECKING:  # DuckDB and the link code load only when a run needs them
    import duckdb

    from warehouse.identity import Override


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
    entries = sorted((e for e in files("samples").iterdir() if e.name.lower().endswith(SUFFIXES)), key=lambda e: e.name)
    return [click.get_current_context().with_resource(as_file(entry)) for entry in entries]


def expand_inputs(inputs: tuple[Path, ...]) -> list[Path]:
    """Files as given; folders → their .pdf/.txt files in name order; none → the bundled samples."""
    paths: list[Path] = []
    for path in inputs or bundled_samples():
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
    paths: list[Path], settings: PdfSettings, pages: list[int] | None, db: Path, csv_dir: Path | None,
    links: Path | None, cache_dir: Path,
) -> tuple[list[Scorecard], RunRecord] | None:
    """The inputs' cached scorecards and the last run's record, when this run would repeat it."""
    try:
        keys = [document_key(path, settings, pages) for path in paths]
    except InputError:
        return None
    record = repeated_run(cache_dir, db, run_key(keys, csv_dir, links))
    scorecards = [read_cached(cache_dir, key) for key in keys] if record else []
    return (scorecards, record) if record and all(scorecards) else None


def review_document(path: Path, scorecard: Scorecard, settings: PdfSettings, review_dir: Path, label: str) -> Path:
    """The document's review report, with a progress bar over the page images it draws."""
    from review import kpi_pages, write_review  # draws pages: PDF and image libraries

    if not kpi_pages(scorecard):  # a text dump: no pages to draw
        return write_review(path, scorecard, review_dir, settings)
    with click.progressbar(length=len(kpi_pages(scorecard)), label=f"{label} review", file=sys.stderr) as bar:
        return write_review(path, scorecard, review_dir, settings, on_page=lambda _: bar.update(1))


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


class JobOrLinks(click.Command):
    """The default job; `links …` as the first arguments runs the link override commands instead."""

    def main(self, args=None, prog_name=None, **extra):
        argv = sys.argv[1:] if args is None else list(args)
        if argv[:1] == ["links"]:
            return links.main(argv[1:], prog_name=f"{prog_name or 'kpi-scorecard'} links", **extra)
        return super().main(args, prog_name, **extra)


CONTEXT = {"help_option_names": ["-h", "--help"]}
DB_HELP = "DuckDB warehouse file"
CSV_DIR = click.option("--csv-dir", type=click.Path(file_okay=False, path_type=Path), default=Path("open-data"), show_default=True, help="Where to write the CSV open data.")
NO_CSV = click.option("--no-csv", is_flag=True, help="Do not write CSV files.")


@click.command(cls=JobOrLinks, context_settings=CONTEXT, epilog="KPI link overrides: kpi-scorecard links --help")
@click.argument("inputs", nargs=-1, type=click.Path(path_type=Path))
@click.option("--db", type=click.Path(dir_okay=False, path_type=Path), default=Path("warehouse.duckdb"), show_default=True, help=f"{DB_HELP} (created if missing; one an earlier version wrote is upgraded).")
@CSV_DIR
@NO_CSV
@click.option("--pages", help="PDF pages to read, e.g. 1-10,12 (default: all).")
@click.option("--password", help="Password of encrypted PDFs.")
@click.option("--links", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="Import KPI link overrides from a CSV file (document, kpi_code, action pin|split, kpi_id, note) into the warehouse, where they stay.")
@click.option("--review", "review_dir", type=click.Path(file_okay=False, path_type=Path), help="Write an HTML review report per document into this folder.")
@click.option("--rebuild", is_flag=True, help="Read every document the warehouse lists again (from the file it was loaded from, or one of that name among INPUTS) and reload them all in one transaction, reporting what changed.")
@click.option("--cache-dir", type=click.Path(file_okay=False, path_type=Path), help="Where documents already read are kept (default: $XDG_CACHE_HOME or ~/.cache, /kpi-scorecard).")
@click.option("--no-cache", is_flag=True, help="Read, load and export everything again; keep nothing.")
@click.version_option(package_name="kpi-scorecard", prog_name="kpi-scorecard", message="%(prog)s %(version)s")
def main(
    inputs: tuple[Path, ...], db: Path, csv_dir: Path, no_csv: bool, pages: str | None, password: str | None,
    review_dir: Path | None, links: Path | None, rebuild: bool, cache_dir: Path | None, no_cache: bool,
) -> None:
    """Load annual-report PDFs or text dumps (files or folders; default: the bundled samples)."""
    started = time.perf_counter()
    page_list = parse_pages(pages)
    settings = PdfSettings(password=password)
    cache = None if no_cache else cache_dir or default_cache_dir()
    out_dir = None if no_csv else csv_dir
    if rebuild:
        if pages or review_dir:
            raise click.UsageError("--rebuild reads each document with the pages it was loaded with; --pages and --review do not apply")
        return rebuild_warehouse(inputs, db, out_dir, settings, links, cache, started)
    paths = expand_inputs(inputs)
    if cache and not review_dir and (repeat := last_run_if_repeated(paths, settings, page_list, db, out_dir, links, cache)):
        scorecards, record = repeat
        done = [describe(s, 0) + "  (cached)" for s in scorecards]
        report(db, time.perf_counter() - started, len(paths), done, record.warnings, record.totals, [Path(p) for p in record.files], [])
        return
    # DuckDB and the link matching load only for a run with something to do
    from warehouse import count_warnings, export_csv, load_scorecard, summary
    from warehouse.overrides import stored_overrides

    done, failed, loaded, reviews, keys = [], [], [], [], []
    with open_warehouse(db) as con:
        if links:
            import_links(con, links)
        overrides = stored_overrides(con)
        for number, path in enumerate(paths, start=1):
            t0 = time.perf_counter()
            label = f"[{number}/{len(paths)}] {path.name:<24}" if len(paths) > 1 else f"{path.name:<24}"
            try:
                key = document_key(path, settings, page_list)
                scorecard, cached = read_through_cache(path, key, settings, page_list, label, cache)
                if review_dir:  # before the load: a document that fails leaves nothing behind
                    reviews.append(review_document(path, scorecard, settings, review_dir, label))
                load_scorecard(con, scorecard, sha256=file_sha256(path), overrides=overrides, path=path, pages=page_list)
            except Exception as e:  # whatever goes wrong with one document, the others still load
                click.echo(f"Error: {error_line(path, e)}", err=True)
                failed.append(path)
                continue
            keys.append(key)
            done.append(describe(scorecard, time.perf_counter() - t0) + ("  (cached)" if cached else ""))
            loaded.append(scorecard.source_file)
        written = [] if no_csv else export_csv(con, csv_dir)
        totals, warnings = summary(con), count_warnings(con, loaded)
    if cache and not failed and not review_dir:  # the warehouse is closed: its file is as the next run will find it
        record_run(cache, db, run_key(keys, out_dir, links), written, totals, warnings)
    report(db, time.perf_counter() - started, len(paths), done, warnings, totals, written, reviews)
    if failed:
        sys.exit(1)


def open_warehouse(db: Path) -> duckdb.DuckDBPyConnection:
    """The warehouse, upgraded if an earlier version wrote it (said in one line on stderr); its
    errors as one line."""
    from warehouse import WarehouseError, connect

    try:
        return connect(db, on_upgrade=lambda line: click.echo(line, err=True))
    except WarehouseError as e:
        raise click.ClickException(str(e)) from None


def rebuild_warehouse(
    inputs: tuple[Path, ...], db: Path, out_dir: Path | None, settings: PdfSettings, links: Path | None,
    cache: Path | None, started: float,
) -> None:
    """Every document the warehouse lists read again (from the file it was loaded from, or the
    file of its name among inputs) and reloaded in one transaction; what changed, per document."""
    from warehouse import ReadDocument, export_csv, load_scorecards, summary
    from warehouse.overrides import stored_overrides
    from warehouse.rebuild import document_state, listed_documents, state_changes

    given = {path.name: path for path in expand_inputs(inputs)} if inputs else {}
    with open_warehouse(db) as con:
        if links:
            import_links(con, links)
        listed = listed_documents(con)
        if not listed:
            raise click.ClickException(f"{db}: the warehouse lists no documents to rebuild")
        read, notes, failed = [], {}, 0
        for number, doc in enumerate(listed, start=1):
            path = given.get(doc.document_id, doc.path)
            try:
                if path is None:
                    raise InputError(doc.document_id, "the warehouse has no path for it (loaded by an earlier version); give its folder: --rebuild FOLDER")
                if not path.is_file():
                    raise InputError(doc.document_id, f"not found at {path}; give the folder it is in now: --rebuild FOLDER")
                label = f"[{number}/{len(listed)}] {doc.document_id:<24}"
                scorecard, _ = read_through_cache(path, document_key(path, settings, doc.pages), settings, doc.pages, label, cache)
            except Exception as e:  # every document is tried, so that one run names every problem
                click.echo(f"Error: {error_line(Path(doc.document_id), e)}", err=True)
                failed += 1
                continue
            sha256 = file_sha256(path)
            notes[doc.document_id] = "  (the file changed since it was loaded)" if doc.sha256 and doc.sha256 != sha256 else ""
            read.append(ReadDocument(scorecard, sha256, path, doc.pages))
        if failed:
            raise click.ClickException(f"{failed} of {len(listed)} documents could not be read again; nothing was rebuilt")
        before = {doc.document_id: document_state(con, doc.document_id) for doc in listed}
        load_scorecards(con, read, stored_overrides(con))
        changes = {doc.document_id: state_changes(before[doc.document_id], document_state(con, doc.document_id)) for doc in listed}
        written = export_csv(con, out_dir) if out_dir else []
        totals = summary(con)
    click.echo(f"Rebuilt {len(listed)} documents in {db} in {time.perf_counter() - started:.1f} s, in one transaction")
    for doc_id, change in changes.items():
        click.echo(f"  {doc_id:<24} {change.summary()}{notes[doc_id]}")
        for line in change.lines():
            click.echo(f"      {line}")
    if unknown := sorted(set(given) - set(changes)):
        click.echo(f"Not in the warehouse, so not read (load them without --rebuild): {', '.join(unknown)}")
    report_warehouse(totals, written)


def import_links(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    """The overrides of a CSV file saved in the warehouse, the links they move shown."""
    from warehouse.identity import OverrideError, read_overrides
    from warehouse.overrides import change_overrides, save_overrides

    try:
        imported = read_overrides(path)
    except OverrideError as e:
        raise click.ClickException(str(e)) from None
    moved = change_overrides(con, lambda: save_overrides(con, imported))
    click.echo(f"Links: {plural(len(imported), 'override')} from {path.name} saved in the warehouse; {plural(len(moved), 'link')} changed")
    for change in moved:
        click.echo(f"  {change}")


# ---- kpi-scorecard links …: the warehouse's KPI link overrides ------------------------------------

LINKS_DB = click.option("--db", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=Path("warehouse.duckdb"), show_default=True, help=DB_HELP)
NOTE = click.option("--note", help="Why, in your words (kept with the override).")


@click.group(context_settings=CONTEXT)
def links() -> None:
    """KPI link overrides, kept in the warehouse: pin a document's KPI to a KPI identity, or split
    it off into one of its own. Every change relinks at once and shows the links it moved."""


@links.command("show")
@LINKS_DB
@click.option("--all", "show_all", is_flag=True, help="Also every link to check: new ones that had a candidate, ambiguous ones.")
def links_show(db: Path, show_all: bool) -> None:
    """The overrides and the links they make."""
    with open_warehouse(db) as con:
        overrides = con.execute("""
            SELECT o.document_id, o.kpi_code, o.action, o.kpi_id, o.note, l.kpi_id, l.decision
            FROM link_overrides AS o LEFT JOIN kpi_links AS l USING (document_id, kpi_code)
            ORDER BY o.document_id, o.kpi_code
        """).fetchall()
        to_check = con.execute("""
            SELECT document_id, kpi_code, kpi_name, kpi_id, decision, score, compared_to, reason FROM kpi_links
            WHERE decision = 'ambiguous' OR (decision = 'new' AND compared_to IS NOT NULL)
            ORDER BY document_id, kpi_code
        """).fetchall() if show_all else []
    click.echo(f"{plural(len(overrides), 'link override')} in {db}")
    for doc, code, action, kpi_id, note, linked, decision in overrides:
        what = f"pin to {kpi_id}" if action == "pin" else "split"
        now = f"linked to {linked} ({decision})" if linked else "not in the warehouse yet"
        click.echo(f"  {doc} {code}: {what}; {now}" + (f"  — {note}" if note else ""))
    if show_all:
        click.echo(f"{plural(len(to_check), 'link')} to check")
        for doc, code, name, kpi_id, decision, score, compared_to, reason in to_check:
            click.echo(f"  {doc} {code} {name}: {kpi_id} ({decision}, score {score:.0f} against {compared_to}; {reason})")


@links.command("pin")
@click.argument("document")
@click.argument("kpi_code")
@click.argument("kpi_id")
@NOTE
@LINKS_DB
@CSV_DIR
@NO_CSV
def links_pin(document: str, kpi_code: str, kpi_id: str, note: str | None, db: Path, csv_dir: Path, no_csv: bool) -> None:
    """Link DOCUMENT's KPI_CODE to the identity KPI_ID, whatever the names say."""
    from warehouse.identity import Override

    set_override(db, None if no_csv else csv_dir, Override(document, kpi_code, "pin", kpi_id, note))


@links.command("split")
@click.argument("document")
@click.argument("kpi_code")
@NOTE
@LINKS_DB
@CSV_DIR
@NO_CSV
def links_split(document: str, kpi_code: str, note: str | None, db: Path, csv_dir: Path, no_csv: bool) -> None:
    """Give DOCUMENT's KPI_CODE an identity of its own (never matched to an earlier KPI)."""
    from warehouse.identity import Override

    set_override(db, None if no_csv else csv_dir, Override(document, kpi_code, "split", None, note))


@links.command("remove")
@click.argument("document")
@click.argument("kpi_code")
@LINKS_DB
@CSV_DIR
@NO_CSV
def links_remove(document: str, kpi_code: str, db: Path, csv_dir: Path, no_csv: bool) -> None:
    """Drop the override of DOCUMENT's KPI_CODE: it is linked by code and name again."""
    from warehouse.overrides import remove_override

    change_links(db, None if no_csv else csv_dir, lambda con: remove_override(con, document, kpi_code))


@links.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@LINKS_DB
@CSV_DIR
@NO_CSV
def links_import(file: Path, db: Path, csv_dir: Path, no_csv: bool) -> None:
    """Save the overrides of a CSV FILE (document, kpi_code, action pin|split, kpi_id, note), e.g.
    the overrides/kpi_links.csv of earlier versions, in the warehouse."""
    from warehouse import export_csv

    with open_warehouse(db) as con:
        import_links(con, file)
        written = export_csv(con, csv_dir) if not no_csv else []
    report_open_data(written)


def set_override(db: Path, out_dir: Path | None, override: Override) -> None:
    from warehouse.overrides import check_applies, save_overrides

    def change(con: duckdb.DuckDBPyConnection) -> None:
        check_applies(con, override)
        save_overrides(con, [override])

    change_links(db, out_dir, change)


def change_links(db: Path, out_dir: Path | None, change: Callable[[duckdb.DuckDBPyConnection], None]) -> None:
    """change(con) on the overrides, relinked in one transaction; the links it moved; open data again."""
    from warehouse import WarehouseError, export_csv
    from warehouse.overrides import change_overrides

    with open_warehouse(db) as con:
        try:
            moved = change_overrides(con, lambda: change(con))
        except WarehouseError as e:
            raise click.ClickException(str(e)) from None
        written = export_csv(con, out_dir) if out_dir else []
    click.echo(f"{plural(len(moved), 'link')} changed" + (":" if moved else " (the KPI was linked so already)"))
    for line in moved:
        click.echo(f"  {line}")
    report_open_data(written)


def report(
    db: Path, seconds: float, inputs: int, done: list[str], warnings: list[str], totals: dict[str, int],
    written: list[Path], reviews: list[Path],
) -> None:
    click.echo(f"Loaded {len(done)} of {inputs} documents into {db} in {seconds:.1f} s")
    for line in done + warnings:
        click.echo(line)
    report_warehouse(totals, written)
    if reviews:
        click.echo(f"Review: {', '.join(str(p) for p in reviews)}")


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def report_warehouse(totals: dict[str, int], written: list[Path]) -> None:
    click.echo(
        f"Warehouse: {totals['documents']} documents, {totals['kpis']} KPIs, {totals['measures']} measures, "
        f"{totals['repairs']} repairs, {totals['warnings']} warnings, {totals['mismatches']} count mismatches, "
        f"{totals['identities']} KPI identities, {totals['conflicts']} conflicting values"
    )
    report_open_data(written)


def report_open_data(written: list[Path]) -> None:
    if written:
        tables = sum(p.suffix == ".csv" for p in written)
        click.echo(f"Open data: {tables} tables as CSV and Parquet, with datapackage.json, in {written[0].parent}")


if __name__ == "__main__":
    main()
