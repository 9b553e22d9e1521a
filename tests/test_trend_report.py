"""The trend report of a five-year warehouse (the 109 briefing deck, the 110 report and its
111–113 editions from tests/years.py), checked against the warehouse and in headless Chromium."""
from __future__ import annotations

import re
import subprocess
from collections import Counter
from pathlib import Path
from urllib.parse import quote

import duckdb
import pytest
from click.testing import CliRunner
from conftest import REPORT_PDF, SAMPLES, require
from PIL import Image
from test_review import HAND_CHECKED, Elements
from years import DROPPED, NEW, RENAMED, RENUMBERED, REUSED, write_editions

import kpi_scorecard as ks
from kpi_scorecard.cli import main
from kpi_scorecard.trends import warehouse_to_report

DECK = SAMPLES / "h-109-deck.pdf"


@pytest.fixture(scope="module")
def five_years(txt_report, tmp_path_factory) -> tuple[ks.Warehouse, Path]:
    """The warehouse, loaded and reported on through the Python API."""
    root = tmp_path_factory.mktemp("trend")
    warehouse = ks.Warehouse(root / "kpi.duckdb", read_only=False)
    warehouse.load([DECK, REPORT_PDF, *write_editions(txt_report, range(111, 114), root)])
    return ks.Warehouse(root / "kpi.duckdb"), warehouse.trend_report(root / "trends.html", language="en")


@pytest.fixture(scope="module")
def page(five_years) -> str:
    return five_years[1].read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def report(five_years):
    with five_years[0].connection() as con:
        return warehouse_to_report(con)


def cards(html: str) -> dict[str, list[tuple[str, dict]]]:
    """Each KPI card's elements (tag, attributes), by the card's id."""
    found: dict[str, list] = {}
    current = None
    for tag, attrs in Elements(html).found:
        if tag == "article":
            current = found.setdefault(attrs["id"], [])
        elif current is not None:
            current.append((tag, attrs))
    return found


def link(source: str | None, page: int | None) -> str:
    return quote(source) + (f"#page={page}" if page else "")


def test_every_kpi_has_its_card_and_one_chart(five_years, page):
    warehouse, _ = five_years
    identities = set(warehouse.sql("SELECT DISTINCT kpi_id FROM kpi_trend").kpi_id)
    assert len(identities) == 166 and {"HC2.1", "HC2.1#2", NEW[0], DROPPED[0]} <= identities
    found = cards(page)
    assert set(found) == {f"kpi-{i}" for i in identities}
    assert all(sum(tag == "svg" for tag, _ in elements) == 1 for elements in found.values())
    themes = set(warehouse.sql("SELECT DISTINCT theme_code FROM kpi_trend").theme_code)
    assert len(Elements(page).with_class("theme-chart")) == len(themes) == 8
    ids = Counter(a["id"] for _, a in Elements(page).found if "id" in a)
    assert not [i for i, n in ids.items() if n > 1]  # many charts on one page, no id twice


def test_each_point_links_to_the_page_it_was_printed_on(five_years, page):
    warehouse, _ = five_years
    with warehouse.connection() as con:
        points = con.execute("""
            SELECT kpi_id, target_source, target_page FROM kpi_trend WHERE target_value IS NOT NULL
            UNION ALL SELECT kpi_id, actual_source, actual_page FROM kpi_trend WHERE actual_value IS NOT NULL""").fetchall()
    expected: dict[str, set[str]] = {}
    for kpi_id, source, page_no in points:
        expected.setdefault(kpi_id, set()).add(link(source, page_no))
    found = cards(page)
    for kpi_id, links in expected.items():
        charted = {a["xlink:href"] for tag, a in found[f"kpi-{kpi_id}"] if tag == "a" and "xlink:href" in a}
        assert charted == links, kpi_id
    hp32 = {a.get("href") for tag, a in found["kpi-HP3.2"] if tag == "a"}
    assert {"h-109-deck.pdf#page=15", "report-110.pdf#page=50", "report-112.txt"} <= hp32


def test_verdicts_as_checked_by_hand(page):
    """Each hand-checked KPI's 110 row says what report-110 prints: achieved, missed or no number."""
    shown = {("yes", "achieved"): True, ("no", "missed"): False, ("", "–"): None}
    for code, verdict in HAND_CHECKED.items():
        card = page[page.index(f'id="kpi-{code}"><h4>'):]
        card = card[:card.index("</article>")]
        row = re.search(r'<tr><td class="num">1</td><td>110</td>.*?<td class="(yes|no|)">(achieved|missed|–)</td></tr>', card)
        assert shown[row.groups()] is verdict, code


def test_direction_conflicts_and_names_per_year(page, report):
    pm25 = next(k for k in report.kpis if k.kpi_id == "AC1.1")
    assert pm25.series[0].direction == "negative" and pm25.series[0].points[0].achieved is True  # 12.3 ≤ 12.9
    card = page[page.index('id="kpi-AC1.1"'):page.index('id="kpi-AC2.1"')]
    assert "負向指標: lower is better" in card and "lower is better ↓" in card
    within = next(k for k in report.kpis if k.kpi_id == "AP5.4").series[0]  # a target printed as ±, as achieved() reads it
    assert within.points[0].target_op == "±" and within.better == "nearer zero"
    assert "nearer zero is better" in page[page.index('id="kpi-AP5.4"'):page.index('id="kpi-AP5.5"')]
    hp32 = next(k for k in report.kpis if k.kpi_id == "HP3.2")
    assert hp32.renamed and [(n.roc_year, n.kpi_name) for n in hp32.names][-2:] == [(112, RENAMED["HP3.2"][1]), (113, RENAMED["HP3.2"][1])]
    disputed = hp32.series[0].points[0]
    assert disputed.roc_year == 109 and [(c.raw, c.chosen) for c in disputed.actual_conflict] == [("65.77%", True), ("35.33%", False)]
    card = page[page.index('id="kpi-HP3.2"'):page.index('id="kpi-HP3.3"')]
    assert "also printed: 35.33% in" in card and "#f0a020" in card  # listed, and ringed in the chart
    assert "113: HP3.2 " + RENAMED["HP3.2"][1] in card


def test_lists(five_years, report, page):
    warehouse, _ = five_years
    runs = warehouse.sql("""
        SELECT DISTINCT kpi_id, measure_no FROM (
            SELECT *, lag(achieved) OVER w AS before, lag(roc_year) OVER w AS year_before FROM kpi_trend
            WINDOW w AS (PARTITION BY kpi_id, measure_no ORDER BY roc_year))
        WHERE NOT achieved AND NOT before AND year_before = roc_year - 1""")
    assert {(r.kpi.kpi_id, r.series.measure_no) for r in report.missed_running} == set(runs.itertuples(index=False, name=None))
    assert all(len(r.years) >= 2 and list(r.years) == list(range(r.years[0], r.years[-1] + 1)) for r in report.missed_running)
    changes = [abs(m.change) for m in report.movers]
    assert len(changes) == 15 and changes == sorted(changes, reverse=True)
    assert {k.kpi_id for k in report.renamed} == {*RENAMED, "HP2.1", "HP3.1", RENUMBERED[0]}  # two deck wordings, a new code
    assert [(c.kpi.kpi_id, c.roc_year) for c in report.new] == [(NEW[0], NEW[1]), (f"{REUSED[0]}#2", REUSED[1])]
    assert [(c.kpi.kpi_id, c.roc_year) for c in report.dropped] == [(DROPPED[0], DROPPED[1] - 1), (REUSED[0], REUSED[1] - 1)]
    review = warehouse.sql("SELECT count(*) AS n FROM repairs WHERE kind = 'warning' AND \"column\" IN ('target', 'actual')").n[0]
    assert len(report.review) == review > 0
    for key, items in (("missed", report.missed_running), ("renamed", report.renamed), ("review", report.review)):
        section = page[page.index(f'<section id="{key}">'):].split("</section>", 1)[0]
        assert section.count("<tr>") == len(items) + 1, key


def test_trend_by_any_code_it_had(five_years):
    warehouse, _ = five_years
    renumbered = warehouse.trend(RENUMBERED[2])
    assert set(renumbered.kpi_id) == {RENUMBERED[0]} and list(renumbered.roc_year) == [110, 111, 112, 113]
    assert list(warehouse.trend(REUSED[0]).drop_duplicates("kpi_id").kpi_id) == ["HC2.1", "HC2.1#2"]


def test_cli_writes_the_report(tmp_path):
    sample = Path(__file__).parent / "samples" / "measure-row-at-page-top.txt"
    result = CliRunner().invoke(main, [str(sample), "--db", str(tmp_path / "k.duckdb"), "--no-csv", "--trend-report", str(tmp_path / "t.html")])
    assert result.exit_code == 0, result.output
    assert f"Trend report: {tmp_path / 't.html'}" in result.output
    with duckdb.connect(str(tmp_path / "k.duckdb"), read_only=True) as con:
        identities = {i for (i,) in con.execute("SELECT kpi_id FROM kpi_links").fetchall()}
    assert set(cards((tmp_path / "t.html").read_text(encoding="utf-8"))) == {f"kpi-{i}" for i in identities}
    (tmp_path / "file").write_text("")
    result = CliRunner().invoke(main, [str(sample), "--db", str(tmp_path / "k.duckdb"), "--no-csv", "--trend-report", str(tmp_path / "file" / "t.html")])
    assert result.exit_code == 1 and "Traceback" not in result.output
    errors = [line for line in result.output.splitlines() if line.startswith("Error")]
    assert len(errors) == 1 and errors[0].startswith(f"Error: {tmp_path / 'file' / 't.html'}: cannot write the trend report (")


PROBE = """<script>
// Test only: marks each chart the browser drew (an SVG with a size and marks that have one).
let drawn = 0;
for (const figure of document.querySelectorAll("figure.chart")) {
  const svg = figure.querySelector("svg");
  const box = svg ? svg.getBoundingClientRect() : {width: 0, height: 0};
  const marks = svg ? [...svg.querySelectorAll("path, use")].filter(e => { const b = e.getBBox(); return b.width || b.height; }).length : 0;
  if (box.width > 50 && box.height > 50 && marks > 3) { figure.dataset.rendered = "yes"; drawn++; }
}
document.body.dataset.drawn = drawn;
</script>"""


def test_report_in_chromium(five_years, page, tmp_path):
    """One browser run: the DOM after the page was drawn (every KPI card, every chart drawn) and a
    screenshot, left in the test's tmp_path as trend-report.png."""
    chromium = require("chromium", "draws the trend report as a reader's browser does (Debian: chromium)")
    probe = tmp_path / "trends.html"  # beside nothing: the report needs no other file
    probe.write_text(page.replace("</body>", PROBE + "</body>"), encoding="utf-8")
    shot = tmp_path / "trend-report.png"
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", f"--user-data-dir={tmp_path / 'profile'}"]
    dom = subprocess.run([chromium, *flags, f"--screenshot={shot}", "--window-size=1280,2400", "--dump-dom", probe.as_uri()],
                         capture_output=True, text=True, timeout=180, check=True).stdout
    shown = Elements(dom)
    charts = shown.with_class("chart")
    kpi_ids = set(five_years[0].sql("SELECT DISTINCT kpi_id FROM kpi_trend").kpi_id)
    assert {a["id"] for a in shown.tags("article")} == {f"kpi-{i}" for i in kpi_ids}
    assert len(charts) == len(kpi_ids) + 8
    assert [a for a in charts if a.get("data-rendered") != "yes"] == []
    assert re.search(rf'data-drawn="{len(charts)}"', dom)
    with Image.open(shot) as image:
        assert image.size == (1280, 2400)
        colours = image.convert("RGB").getcolors(maxcolors=1 << 16)
    assert colours is None or len(colours) > 50  # drawn, not a blank page
