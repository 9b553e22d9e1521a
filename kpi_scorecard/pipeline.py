"""The stages chained for one run, shared by the CLI (run_pipeline.py) and the Python API
(kpi_scorecard): document_to_blocks → blocks_to_scorecard (or the cache) → load_scorecard; and
rebuild_documents, every document a warehouse lists read again.

Nothing here prints: the CLI draws progress bars through `page_bar` and prints the RunSummary, the
API returns it. Neither DuckDB nor a PDF library is imported before a document needs it.
"""
from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from kpi_scorecard.cache.scorecards import has_cached, read_cached, scorecard_key, source_version, write_cached
from kpi_scorecard.extract.document import FOLDER_SUFFIXES, document_to_blocks, is_pdf
from kpi_scorecard.extract.errors import InputError
from kpi_scorecard.extract.settings import PdfSettings
from kpi_scorecard.normalize.records import Scorecard

if TYPE_CHECKING:
    import duckdb

    from kpi_scorecard.warehouse.identity import Override
    from kpi_scorecard.warehouse.rebuild import DocumentChanges

log = logging.getLogger(__name__)

OnPage = Callable[[int], None]
PageBar = Callable[[int], AbstractContextManager[OnPage | None]]
"""Called with the number of pages a PDF will be read for; its context's value is called per page."""


@dataclass(frozen=True)
class ReadSettings:
    """How documents are read: PDF settings, the pages to read (None: all), and where scorecards
    already read are kept (None: no cache)."""

    pdf: PdfSettings = field(default_factory=PdfSettings)
    pages: list[int] | None = None
    cache_dir: Path | None = None


def input_files(paths: list[Path]) -> list[Path]:
    """Files as given; folders → their .pdf, .txt and office files (legacy .doc/.ppt too) in name order."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.iterdir() if p.suffix.lower() in FOLDER_SUFFIXES and p.is_file()))
        else:
            files.append(path)
    return files


def start_reading(paths: list[Path], settings: ReadSettings) -> None:
    """Start the processes that help read PDF pages (settings.pdf.workers) now, when an input is a
    PDF the cache lacks with pages enough to share (a helper costs 0.12 CPU s to start; a shorter
    one is read alone), and hand them the first such PDF's pages: they import the PDF libraries
    and read pages while the warehouse opens."""
    if settings.pdf.workers > 1 and (first := next((path for path in paths if _to_read(path, settings)), None)):
        from kpi_scorecard.extract.pdf import read_early

        read_early(first, settings.pdf, settings.pages)


def _to_read(path: Path, settings: ReadSettings) -> bool:
    from kpi_scorecard.extract.parallel import MIN_PAGES

    try:
        return is_pdf(path) and not (settings.cache_dir and has_cached(settings.cache_dir, document_key(path, settings))) \
            and _pages_to_read(path, settings) >= MIN_PAGES
    except (OSError, InputError):
        return False  # its error is for the run to report


def _pages_to_read(path: Path, settings: ReadSettings) -> int:
    from kpi_scorecard.extract.pdf import page_count

    return _selected(page_count(path, settings.pdf.password), settings.pages)


def _selected(total: int, pages: list[int] | None) -> int:
    """How many of a document's `total` pages are read: those of `pages` it has, else all."""
    return len([p for p in pages if 1 <= p <= total]) if pages else total


def read_document(path: Path, settings: PdfSettings, pages: list[int] | None, page_bar: PageBar | None = None) -> Scorecard:
    """One input through extract and normalize."""
    from kpi_scorecard.normalize.scorecard import blocks_to_scorecard  # not needed when the cache has it

    if not path.is_file():
        raise InputError(path, "no such file")
    if not is_pdf(path):
        return blocks_to_scorecard(document_to_blocks(path, settings), path.name)
    from kpi_scorecard.extract.pdf import page_count  # PDF libraries only when a PDF is read

    total = page_count(path, settings.password)
    length = _selected(total, pages)
    with page_bar(length) if page_bar else nullcontext() as on_page:
        blocks = document_to_blocks(path, settings, pages, on_page=on_page)
    return blocks_to_scorecard(blocks, path.name, pages=total)


def document_key(path: Path, settings: ReadSettings) -> str:
    """The cache key of the document at path read with these settings."""
    if not path.is_file():
        raise InputError(path, "no such file")
    table_settings = settings.pdf.table_settings
    if settings.pdf.ocr != "auto":  # the pages recognised, or not, from their images
        table_settings = {**table_settings, "ocr": settings.pdf.ocr, "ocr_dpi": settings.pdf.ocr_dpi}
    return scorecard_key(file_sha256(path), path.name, settings.pages, table_settings, source_version())


def read_through_cache(path: Path, key: str, settings: ReadSettings, page_bar: PageBar | None = None) -> tuple[Scorecard, bool]:
    """read_document, or what it gave in an earlier run, and whether it came from the cache.
    Nothing read with a password is cached (it would sit there decrypted)."""
    cache_dir = settings.cache_dir if not settings.pdf.password else None
    if cache_dir and (cached := read_cached(cache_dir, key)):
        return cached, True
    scorecard = read_document(path, settings.pdf, settings.pages, page_bar)
    if cache_dir:
        write_cached(cache_dir, key, scorecard)
    return scorecard, False


def file_sha256(path: Path) -> str:
    """SHA-256 of the file's bytes, read once per run however many steps ask (the cache key, the
    repeated-run check, the load): remembered while the file's size and times stay the same."""
    stat = path.stat()
    return _sha256(str(path.resolve()), stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino)


@lru_cache(maxsize=1024)
def _sha256(path: str, *stat: int) -> str:
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


@dataclass(frozen=True)
class DocumentSummary:
    """What one document brought: the CLI prints it as one line."""

    source_file: str
    roc_year: int
    kind: str
    themes: int
    kpis: int
    measures: int
    repairs: int
    warnings: int
    stitched: int
    seconds: float
    cached: bool = False

    @classmethod
    def of(cls, scorecard: Scorecard, seconds: float, cached: bool) -> DocumentSummary:
        kinds = [p.kind for p in scorecard.problems]
        return cls(
            scorecard.source_file, scorecard.roc_year, scorecard.kind, sum(c.found for c in scorecard.counts),
            len(scorecard.kpis), sum(len(k.measures) for k in scorecard.kpis), kinds.count("repair"),
            kinds.count("warning"), kinds.count("stitch"), seconds, cached,
        )

    def __str__(self) -> str:
        return (
            f"  {self.source_file:<24} ROC {self.roc_year}  {self.themes} themes  {self.kpis} KPIs  "
            f"{self.measures} measures  {self.repairs} repairs  {self.warnings} warnings  "
            f"{self.stitched} rows stitched  {self.seconds:.1f} s" + ("  (cached)" if self.cached else "")
        )


@dataclass(frozen=True)
class RunSummary:
    """A run over a warehouse: each document loaded, each that failed (its one-line error), the
    stated counts the loaded documents do not bear out, and the warehouse's totals."""

    documents: list[DocumentSummary]
    failed: list[str]
    warnings: list[str]
    totals: dict[str, int]

    def lines(self) -> list[str]:
        """The documents, the count warnings and the warehouse totals, as the CLI prints them."""
        t = self.totals
        return [
            *map(str, self.documents), *self.warnings,
            f"Warehouse: {t['documents']} documents, {t['kpis']} KPIs, {t['measures']} measures, "
            f"{t['repairs']} repairs, {t['warnings']} warnings, {t['mismatches']} count mismatches, "
            f"{t['identities']} KPI identities, {t['conflicts']} conflicting values",
        ]

    def __str__(self) -> str:
        return "\n".join([*(f"Error: {line}" for line in self.failed), *self.lines()])


@dataclass(frozen=True)
class Loaded:
    """One input of a run: loaded (scorecard set) or failed (error set)."""

    path: Path
    key: str | None
    scorecard: Scorecard | None
    summary: DocumentSummary | None
    error: Exception | None = None


def load_documents(
    con: duckdb.DuckDBPyConnection | Callable[[], tuple[duckdb.DuckDBPyConnection, Sequence[Override]]],
    paths: list[Path],
    settings: ReadSettings = ReadSettings(),
    overrides: Sequence[Override] = (),
    page_bar: Callable[[int, Path], PageBar] | None = None,
    before_load: Callable[[int, Path, Scorecard], object] | None = None,
) -> Iterator[Loaded]:
    """Read each input (through the cache) and load it in its own transaction, in order.

    A document that fails, whatever the reason, leaves nothing behind and the others still load: its
    Loaded carries the error. page_bar(number, path) gives the page bar of the number-th input;
    before_load(number, path, scorecard) runs before its load (an error there fails the document).
    con may be a wait for the warehouse and its overrides (opening on a thread while the first
    document is read): called once a document is read; its error is the run's, not the document's.
    """
    from kpi_scorecard.warehouse import load_scorecard

    warehouse = con if callable(con) else lambda: (con, overrides)
    for number, path in enumerate(paths, start=1):
        started = time.perf_counter()
        try:
            key = document_key(path, settings)
            scorecard, cached = read_through_cache(path, key, settings, page_bar(number, path) if page_bar else None)
        except Exception as e:  # whatever goes wrong with one document, the others still load
            yield Loaded(path, None, None, None, e)
            continue
        opened, known = warehouse()
        try:
            if before_load:
                before_load(number, path, scorecard)
            log.debug("%s: read%s in %.2f s", path.name, " (from the cache)" if cached else "", time.perf_counter() - started)
            rows = load_scorecard(opened, scorecard, sha256=file_sha256(path), overrides=known, path=path, pages=settings.pages)
            log.debug("%s: loaded, %d rows, in %.2f s", path.name, sum(rows.values()), time.perf_counter() - started)
        except Exception as e:
            yield Loaded(path, None, None, None, e)
            continue
        yield Loaded(path, key, scorecard, DocumentSummary.of(scorecard, time.perf_counter() - started, cached))


@dataclass(frozen=True)
class Rebuilt:
    """One document read again: what changed in the warehouse, and whether its file did."""

    document_id: str
    changes: DocumentChanges
    file_changed: bool


@dataclass(frozen=True)
class Rebuild:
    """A rebuild: the documents reloaded, or, when any could not be read (and so none was
    reloaded), the one-line errors; and the files given that the warehouse does not list."""

    documents: list[Rebuilt]
    errors: list[str]
    not_listed: list[str]


def rebuild_documents(
    con: duckdb.DuckDBPyConnection,
    settings: ReadSettings = ReadSettings(),
    found_in: Sequence[Path] = (),
    page_bar: Callable[[int, Path], PageBar] | None = None,
) -> Rebuild:
    """Every document the warehouse lists read again (through the cache, which is keyed by the
    reading code) with the pages it was loaded with, from the file of its name among found_in's
    files, else from the file it was loaded from; then all reloaded in one transaction, linked with
    the warehouse's overrides. settings.pages is not used: each document has its own."""
    from kpi_scorecard.warehouse import ReadDocument, load_scorecards
    from kpi_scorecard.warehouse.overrides import stored_overrides
    from kpi_scorecard.warehouse.rebuild import document_state, listed_documents, state_changes

    given = {path.name: path for path in input_files(list(found_in))}
    listed = listed_documents(con)
    read: list[ReadDocument] = []
    errors: list[str] = []
    for number, doc in enumerate(listed, start=1):
        path = given.get(doc.document_id, doc.path)
        own = replace(settings, pages=doc.pages)
        try:
            if path is None:
                raise InputError(doc.document_id, "the warehouse has no path for it (loaded by an earlier version); give its folder: --rebuild FOLDER")
            if not path.is_file():
                raise InputError(doc.document_id, f"not found at {path}; give the folder it is in now: --rebuild FOLDER")
            scorecard, _ = read_through_cache(path, document_key(path, own), own, page_bar(number, path) if page_bar else None)
        except Exception as e:  # every document is tried, so that one run names every problem
            errors.append(error_line(Path(doc.document_id), e))
            continue
        read.append(ReadDocument(scorecard, file_sha256(path), path, doc.pages))
    not_listed = sorted(set(given) - {doc.document_id for doc in listed})
    if errors:
        return Rebuild([], errors, not_listed)
    before = {doc.document_id: document_state(con, doc.document_id) for doc in listed}
    load_scorecards(con, read, stored_overrides(con))
    return Rebuild([
        Rebuilt(doc.document_id, state_changes(before[doc.document_id], document_state(con, doc.document_id)),
                bool(doc.sha256) and doc.sha256 != new.sha256)
        for doc, new in zip(listed, read, strict=True)
    ], [], not_listed)


def error_line(path: Path, error: Exception) -> str:
    """One line for a document that failed: named errors say what is wrong, others their type."""
    from kpi_scorecard.warehouse import WarehouseError

    if isinstance(error, InputError):
        return str(error)
    if isinstance(error, WarehouseError):
        return f"{path.name}: {error}"
    return f"{path.name}: unexpected error ({type(error).__name__}: {' '.join(str(error).split())[:200]})"


def run_summary(con: duckdb.DuckDBPyConnection, loaded: list[Loaded]) -> RunSummary:
    """The summary of a run from what it loaded and the warehouse it loaded into."""
    from kpi_scorecard.warehouse import count_warnings, summary

    return RunSummary(
        [item.summary for item in loaded if item.summary],
        [error_line(item.path, item.error) for item in loaded if item.error],
        count_warnings(con, [item.scorecard.source_file for item in loaded if item.scorecard]),
        summary(con),
    )
