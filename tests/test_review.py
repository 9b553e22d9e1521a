"""--review: one self-contained HTML page per document, checked in headless Chromium."""
from __future__ import annotations

import re
import subprocess
from html import escape
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import REPORT_PDF, REPORT_TXT, require
from PIL import Image

from kpi_scorecard.cli import main
from kpi_scorecard.review import kpi_pages, write_review
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
    return write_review(REPORT_PDF, pdf_report, tmp_path_factory.mktemp("review"), language="en")


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


# Verdicts checked by hand on report-110.txt's rows (target, actual, 負向指標 in the formula cell).
HAND_CHECKED = {
    "AC1.1": True,  # 12.9 / 12.3, negative: lower is better
    "AC2.1": False,  # 44,000 / 41,248
    "AP5.3": True,  # 11,948,000 / 11,203,345, negative
    "AP5.4": True,  # ±10 / 7.14: |7.14| <= 10
    "BP3.1": True,  # 11.4 / 11.38, negative
    "BP3.3": True,  # ≥99.65 / 99.68
    "BP2.2": False,  # 85 / 75
    "CP2.1": True,  # 2,350,000 (note) / 2,835,104
    "DC1.2": False,  # 8.1 / 8.2, negative
    "DP2.2": False,  # 16600 / 16,143
    "CC2.1": None,  # 80 / 110年尚未調查完成，故無數據提供
    "EP1.2": None,  # 高於6都 平均值 / 未高於6 都平均值
    "EF1.1": None,  # 公務 82 公彩 82 / 公務 78.39 公彩 100
}


def test_achieved_as_checked_by_hand(report, review_html):
    """kpi_history's achieved and the review page's column, against verdicts read off the page."""
    con = connect(":memory:")
    load_scorecard(con, report)
    view = dict(con.execute("SELECT kpi_code, achieved FROM kpi_history WHERE measure_no = 1").fetchall())
    assert {code: view[code] for code in HAND_CHECKED} == HAND_CHECKED
    measures = [next(k for k in report.kpis if k.code == code).measures[0] for code in HAND_CHECKED]
    assert dict(zip(HAND_CHECKED, achieved_values(measures), strict=True)) == HAND_CHECKED
    html = review_html.read_text(encoding="utf-8")
    shown = {"ok": True, "bad": False, "": None}
    for code, verdict in HAND_CHECKED.items():
        row = html[html.index(f'id="kpi-{code}"'):]
        row = row[:row.index("</tr>")]
        assert shown[re.findall(r'<td class="(ok|bad|)">(?:yes|no|–)</td>', row)[0]] is verdict, code


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
