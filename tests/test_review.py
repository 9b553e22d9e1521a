"""--review: one self-contained HTML page per document, checked in headless Chromium."""
from __future__ import annotations

import subprocess
from html import escape
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image

from conftest import REPORT_PDF, REPORT_TXT, require
from kpi_scorecard.review import kpi_pages, write_review
from kpi_scorecard.cli import main
from kpi_scorecard.warehouse import achieved_values, connect, load_scorecard


class Elements(HTMLParser):
    """Tags with their attributes, in document order."""

    def __init__(self, html: str):
        super().__init__()
        self.found: list[tuple[str, dict[str, str | None]]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))

    def with_class(self, name: str) -> list[dict[str, str | None]]:
        return [a for _, a in self.found if name in (a.get("class") or "").split()]

    def tags(self, tag: str) -> list[dict[str, str | None]]:
        return [a for t, a in self.found if t == tag]


@pytest.fixture(scope="module")
def review_html(pdf_report, tmp_path_factory) -> Path:
    return write_review(REPORT_PDF, pdf_report, tmp_path_factory.mktemp("review"))


def test_report_names_every_kpi_and_links_rows_to_page_images(review_html, pdf_report):
    page = Elements(review_html.read_text(encoding="utf-8"))
    assert {a["id"] for a in page.with_class("kpi-code")} == {f"kpi-{k.code}" for k in pdf_report.kpis}
    images = {a["id"] for t, a in page.found if t == "figure"}
    assert images == {f"page-{n}" for n in kpi_pages(pdf_report)}
    links = {a["href"] for a in page.tags("a") if (a.get("href") or "").startswith("#page-")}
    assert links and {link[1:] for link in links} <= images
    assert all(a["src"].startswith("data:image/png;base64,") for a in page.tags("img"))  # nothing to fetch


def test_report_lists_every_repair_and_review_item(review_html, pdf_report):
    html = review_html.read_text(encoding="utf-8")
    assert len(Elements(html).with_class("problems")) == 1
    assert f"Repairs and review items ({len(pdf_report.problems)})" in html
    compound = [p for p in pdf_report.problems if p.what == "compound_value"]
    assert compound and all(escape(p.raw) in html and f'href="#page-{p.page}"' in html for p in compound)


def test_achieved_is_the_warehouse_s(report):
    """The report's achieved/missed is what kpi_history says, measure by measure."""
    con = connect(":memory:")
    load_scorecard(con, report)
    view = {(c, n, y): a for c, n, y, a in con.execute("SELECT kpi_code, measure_no, roc_year, achieved FROM kpi_history").fetchall()}
    measures = [(k.code, m) for k in report.kpis for m in k.measures]
    verdicts = achieved_values([m for _, m in measures])
    mine = {(code, m.measure_no, m.roc_year or report.roc_year): v for (code, m), v in zip(measures, verdicts)}
    assert mine == view


def test_cli_writes_one_report_per_document(tmp_path):
    result = CliRunner().invoke(main, [
        str(REPORT_TXT), "--db", str(tmp_path / "kpi.duckdb"), "--no-csv", "--no-cache", "--review", str(tmp_path / "review"),
    ])
    assert result.exit_code == 0, result.output
    assert f"Review: {tmp_path / 'review' / 'report-110.txt.html'}" in result.output
    page = Elements((tmp_path / "review" / "report-110.txt.html").read_text(encoding="utf-8"))
    assert len(page.with_class("kpi-code")) == 162 and not page.tags("img")  # a text dump has no pages


def test_report_opens_in_chromium(review_html, pdf_report, tmp_path):
    """What a browser shows: every KPI code, one image per page with KPI rows, and a screenshot."""
    chromium = require("chromium", "opens the review report as a reader's browser does (Debian: chromium)")
    flags = [
        "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", f"--user-data-dir={tmp_path / 'profile'}",
    ]
    url = review_html.as_uri()
    dom = subprocess.run([chromium, *flags, "--dump-dom", url], capture_output=True, text=True, timeout=120, check=True).stdout
    page = Elements(dom)
    assert sorted(a["id"].removeprefix("kpi-") for a in page.with_class("kpi-code")) == sorted(k.code for k in pdf_report.kpis)
    assert len(pdf_report.kpis) == 162
    assert len(page.tags("img")) == len(kpi_pages(pdf_report))
    assert len(page.with_class("chart")) == len(pdf_report.counts)

    shot = tmp_path / "review.png"
    subprocess.run([chromium, *flags, f"--screenshot={shot}", "--window-size=1280,2000", url],
                   capture_output=True, timeout=120, check=True)
    with Image.open(shot) as image:
        assert image.size == (1280, 2000)
        colours = image.convert("RGB").getcolors(maxcolors=1 << 16)
    assert colours is None or len(colours) > 50  # drawn, not a blank page
