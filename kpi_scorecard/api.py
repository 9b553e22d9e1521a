"""A KPI warehouse file, queried into DataFrames and loaded as the CLI loads it."""
from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pandas as pd

from kpi_scorecard.cache.scorecards import default_cache_dir
from kpi_scorecard.extract.settings import PdfSettings
from kpi_scorecard.pipeline import ReadSettings, Rebuild, RunSummary, input_files, load_documents, rebuild_documents, run_summary
from kpi_scorecard.warehouse import WarehouseError, connect, connect_read_only, export_csv
from kpi_scorecard.warehouse.errors import UnknownKpi
from kpi_scorecard.warehouse.export import published
from kpi_scorecard.warehouse.overrides import import_overrides, stored_overrides

ROC_OFFSET = 1911  # ROC year + 1911 = Gregorian year


class ReadOnlyWarehouse(WarehouseError):
    """A load was asked of a warehouse opened read-only."""


class Warehouse:
    """The warehouse at path. Each call opens the file and closes it again: between calls a
    notebook holds no lock, and the CLI can load into the same file.

    read_only (the default) never writes and never creates the file; read_only=False creates it
    when missing and allows load().
    """

    def __init__(self, path: str | Path, read_only: bool = True):
        self.path = Path(path)
        self.read_only = read_only

    def __repr__(self) -> str:
        return f"Warehouse({str(self.path)!r}, read_only={self.read_only})"

    @contextmanager
    def connection(self, cache_dir: Path | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
        """A DuckDB connection to the warehouse, closed on leaving (for SQL beyond the methods); a
        new file is copied from the empty warehouse kept in cache_dir, if given."""
        con = connect_read_only(self.path) if self.read_only else connect(self.path, cache_dir=cache_dir)
        try:
            yield con
        finally:
            con.close()

    def load(
        self, paths: str | Path | Iterable[str | Path], *, pages: Sequence[int] | None = None,
        password: str | None = None, links: str | Path | None = None, cache: bool = True, jobs: int = 1,
        ocr: bool = False,
    ) -> RunSummary:
        """Load documents (files, or folders of .pdf/.txt files) as the CLI does: each in its own
        transaction, replacing its earlier rows, KPI links renewed with the warehouse's link
        overrides (links: a CSV of overrides to save in the warehouse first, as --links does; jobs: as --jobs;
        ocr: every PDF page recognised from its image, as --ocr; without it, only pages without a text layer).

        The first document that cannot be loaded raises its named error (InputError, WarehouseError
        …); it leaves nothing behind, and the documents before it stay loaded.
        """
        self._writable("loads into it")
        files = input_files([Path(p) for p in ([paths] if isinstance(paths, (str, Path)) else paths)])
        pdf = PdfSettings(password=password, workers=jobs, ocr="always" if ocr else "auto")
        settings = ReadSettings(pdf, list(pages) if pages else None, default_cache_dir() if cache else None)
        with self.connection(settings.cache_dir) as con:
            if links:
                import_overrides(con, Path(links))
            loaded = []
            for item in load_documents(con, files, settings, stored_overrides(con)):
                if item.error:
                    raise item.error
                loaded.append(item)
            return run_summary(con, loaded)

    def rebuild(self, found_in: Iterable[str | Path] = (), *, password: str | None = None, cache: bool = True) -> Rebuild:
        """Read every document the warehouse lists again and reload them all in one transaction, as
        the CLI's --rebuild does: from the file each was loaded from, or the file of its name among
        found_in (files or folders), with the pages it was loaded with. Rebuild.documents say what
        changed in each; when any document cannot be read, Rebuild.errors say why and nothing is
        reloaded."""
        self._writable("rebuilds it")
        settings = ReadSettings(PdfSettings(password=password), None, default_cache_dir() if cache else None)
        with self.connection() as con:
            return rebuild_documents(con, settings, [Path(p) for p in found_in])

    def _writable(self, what: str) -> None:
        if self.read_only:
            raise ReadOnlyWarehouse(f"{self.path}: opened read-only; Warehouse(path, read_only=False) {what}")

    def history(self, theme: str | None = None, year: int | None = None) -> pd.DataFrame:
        """kpi_history rows (one per KPI measure, year and source document; the CSV's columns and
        order), of one theme and one year if given. year: ROC (110) or Gregorian (2021)."""
        conditions, params = ["TRUE"], list[str | int]()
        if theme is not None:
            conditions.append("theme_code = ?")
            params.append(theme)
        if year is not None:
            conditions.append("roc_year = ?")
            params.append(year - ROC_OFFSET if year > ROC_OFFSET else year)
        return self.sql(published("kpi_history").sql(" AND ".join(conditions)), params)

    def trend(self, kpi: str) -> pd.DataFrame:
        """kpi_trend rows of a KPI over the years: every identity that is `kpi` or was ever printed
        with the code `kpi` (a reused code gives several; kpi_id tells them apart)."""
        where = "kpi_id IN (SELECT kpi_id FROM kpi_links WHERE kpi_id = $kpi OR kpi_code = $kpi)"
        frame = self.sql(published("kpi_trend").sql(where), {"kpi": kpi})
        if frame.empty:
            raise UnknownKpi(f"{self.path}: no KPI {kpi!r} (neither an identity nor a code printed in any document)")
        return frame

    def table(self, name: str) -> pd.DataFrame:
        """A published table, as its CSV has it: kpi_history, kpi_trend, kpis, kpi_links, themes,
        objectives, repairs, conflicts, reconciliation or scores."""
        return self.sql(published(name).sql())

    def sql(self, query: str, params: Sequence | dict | None = None) -> pd.DataFrame:
        """Any query over the warehouse's tables and views, as a DataFrame."""
        with self.connection() as con:
            return con.execute(query, params).df()

    def export(self, csv_dir: str | Path, *, bom: bool = False, headers: str = "en") -> list[Path]:
        """Write the open data (CSV, Parquet, datapackage.json) as the CLI's --csv-dir,
        --csv-bom and --csv-headers do; returns the files written."""
        with self.connection() as con:
            return export_csv(con, Path(csv_dir), bom=bom, headers=headers)

    def trend_report(self, path: str | Path, language: str | None = None) -> Path:
        """Write the year-over-year report of the whole warehouse (one offline HTML file), as the
        CLI's --trend-report does, in zh-TW or en (None: the locale's, as --lang); returns its path."""
        from kpi_scorecard.trends import write_trend_report  # the plotting library only when asked for

        with self.connection() as con:
            return write_trend_report(con, Path(path), language=language)
