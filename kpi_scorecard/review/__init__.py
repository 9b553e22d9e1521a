"""Review reports: what was read, next to images of the pages it was read from."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from kpi_scorecard.extract.document import is_pdf
from kpi_scorecard.extract.settings import PdfSettings
from kpi_scorecard.normalize.records import Scorecard
from kpi_scorecard.review.pages import cell_images, pdf_pages_to_images
from kpi_scorecard.review.report import scorecard_to_html
from kpi_scorecard.warehouse.identity import Link

__all__ = ["kpi_pages", "scorecard_to_html", "write_review"]


def kpi_pages(scorecard: Scorecard) -> list[int]:
    """Pages where a KPI row starts: the pages worth an image."""
    return sorted({m.page for k in scorecard.kpis for m in k.measures if m.page is not None})


def write_review(
    path: Path,
    scorecard: Scorecard,
    out_dir: Path,
    settings: PdfSettings = PdfSettings(),
    on_page: Callable[[int], None] | None = None,
    links: Sequence[Link] = (),
    language: str | None = None,
) -> Path:
    """Write out_dir/<file>.html (images embedded) for the document at path, with its KPIs'
    identity links, in zh-TW or en (None: the locale's); returns its path."""
    images = pdf_pages_to_images(path, kpi_pages(scorecard), settings, on_page) if is_pdf(path) else {}
    recognised = [(m.page, v.box) for k in scorecard.kpis for m in k.measures for v in (m.target, m.actual)
                  if v.box is not None and m.page is not None]
    cells = cell_images(path, recognised, settings.password) if recognised else {}
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"{path.name}.html"
    target.write_text(scorecard_to_html(scorecard, images, links, cells, language), encoding="utf-8")
    return target
