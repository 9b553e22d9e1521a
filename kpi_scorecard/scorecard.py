"""One document read, without a warehouse: its rows as DataFrames."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from kpi_scorecard.cache.scorecards import default_cache_dir
from kpi_scorecard.extract.settings import PdfSettings
from kpi_scorecard.normalize import records
from kpi_scorecard.pipeline import ReadSettings, document_key, read_through_cache
from kpi_scorecard.warehouse import connect, load_scorecard
from kpi_scorecard.warehouse.export import published


@dataclass(frozen=True)
class Scorecard:
    """What one report or briefing deck holds, as the warehouse would hold it.

    kpis: one row per KPI measure and year, the columns of kpi_history (its CSV's, contract first);
    repairs: every repair, stitch and value left for review, with its page; reconciliation: each
    count the document states against what was read. record: what normalize/ produced.
    """

    source_file: str
    roc_year: int
    kind: str  # 'annual_report' or 'briefing_deck'
    kpis: pd.DataFrame
    repairs: pd.DataFrame
    reconciliation: pd.DataFrame
    record: records.Scorecard

    @classmethod
    def of(cls, scorecard: records.Scorecard) -> Scorecard:
        """The frames of a scorecard: loaded into an in-memory warehouse, read back as published."""
        con = connect(":memory:")
        try:
            load_scorecard(con, scorecard)
            kpis, repairs, reconciliation = (con.execute(published(name).sql()).df() for name in ("kpi_history", "repairs", "reconciliation"))
        finally:
            con.close()
        return cls(scorecard.source_file, scorecard.roc_year, scorecard.kind, kpis, repairs, reconciliation, scorecard)

    def __repr__(self) -> str:
        return (f"<Scorecard {self.source_file}: ROC {self.roc_year} {self.kind}, {len(self.record.kpis)} KPIs, "
                f"{len(self.kpis)} rows, {len(self.repairs)} repairs>")


def read_pdf(
    path: str | Path, *, pages: Sequence[int] | None = None, password: str | None = None, cache: bool = True,
    jobs: int = 1,
) -> Scorecard:
    """Read one annual report or briefing deck (a PDF, or a text dump of one) as the CLI does.

    pages: 1-based page numbers to read (default all); cache: keep what was read in the CLI's cache
    and take it from there next time (never for an encrypted PDF); jobs: processes reading a PDF's
    pages at once (the CLI's --jobs; helper processes stay until Python exits). Raises the CLI's named errors:
    NotAPdf, DamagedPdf, EncryptedPdf, NoTextLayer, UnreadableText, NoScorecardTables (InputErrors).
    """
    path = Path(path)
    settings = ReadSettings(PdfSettings(password=password, workers=jobs), list(pages) if pages else None, default_cache_dir() if cache else None)
    scorecard, _ = read_through_cache(path, document_key(path, settings), settings)
    return Scorecard.of(scorecard)
