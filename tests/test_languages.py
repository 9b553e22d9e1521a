"""繁體中文 reports: the review and trend HTML speak zh-TW or English (--lang; default from the
locale), every label from one message table; both languages opened in headless Chromium."""
from __future__ import annotations

import re
import string
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import REPORT_TXT, SAMPLES, require
from PIL import Image
from test_review import Elements

from kpi_scorecard.cli import main
from kpi_scorecard.messages import MESSAGES, Messages, default_language

DECK = SAMPLES / "h-109-deck.pdf"


def needs_chromium() -> str:
    """Chromium's path; without it the test fails under CI (which installs it) and skips elsewhere."""
    return str(require("chromium", "both languages' reports are screenshotted in Chromium"))


def test_every_message_has_both_languages_with_the_same_placeholders():
    def fields(text: str) -> set[str]:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name}

    assert len(MESSAGES) > 100
    assert [key for key, (en, zh) in MESSAGES.items() if not en or not zh or fields(en) != fields(zh)] == []
    # the zh-TW column is Chinese: every label has a CJK character (but the "#" column head)
    assert [key for key, (_, zh) in MESSAGES.items() if key != "#" and not re.search(r"[\u4e00-\u9fff]", zh)] == []


@pytest.mark.parametrize(("variables", "language"), [
    ({"LANG": "zh_TW.UTF-8"}, "zh-TW"), ({"LANG": "zh_CN.UTF-8"}, "zh-TW"), ({"LANG": "en_US.UTF-8"}, "en"),
    ({"LC_ALL": "C.UTF-8", "LANG": "zh_TW.UTF-8"}, "en"), ({"LC_MESSAGES": "zh_HK.UTF-8"}, "zh-TW"),
])
def test_the_default_language_is_the_locale_s(monkeypatch, variables, language):
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    assert default_language() == language
    assert Messages().language == language


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> dict[str, tuple[Path, Path]]:
    """The review of the deck and the trend report of deck + report text dump, in each language."""
    out = tmp_path_factory.mktemp("languages")
    made = {}
    for language in ("zh-TW", "en"):
        result = CliRunner().invoke(main, [
            str(DECK), str(REPORT_TXT), "--db", str(out / f"{language}.duckdb"), "--no-csv", "--no-cache", "--jobs", "1",
            "--review", str(out / f"review-{language}"), "--trend-report", str(out / f"trends-{language}.html"), "--lang", language,
        ])
        assert result.exit_code == 0, result.output
        made[language] = (out / f"review-{language}" / "h-109-deck.pdf.html", out / f"trends-{language}.html")
    return made


def headings(html: str) -> list[str]:
    return re.findall(r"<h2>(.*?)</h2>", html)


def test_review_speaks_each_language(reports):
    zh = reports["zh-TW"][0].read_text(encoding="utf-8")
    en = reports["en"][0].read_text(encoding="utf-8")
    assert '<html lang="zh-Hant-TW">' in zh and '<html lang="en">' in en
    assert "<title>檢核報告：h-109-deck.pdf</title>" in zh and "<title>Review: h-109-deck.pdf</title>" in en
    assert "民國 109 年：達成 8 項，未達成 4 項，4 項無數值可比較" in zh
    assert "ROC 109: 8 achieved, 4 missed, 4 without a number to compare" in en
    links, problems, pages = (int(re.search(r"\d+", h)[0]) for h in headings(en)[-3:])
    assert headings(en)[-3:] == [f"KPI identity ({links} to confirm)", f"Repairs and review items ({problems})", f"Pages ({pages})"]
    assert headings(zh)[-3:] == [f"指標識別（{links} 項待確認）", f"修正與待檢核項目（{problems}）", f"頁面（{pages}）"]
    assert pages == en.count("<img") > 0
    heads = re.findall(r"<th>(.*?)</th>", zh[zh.index('class="kpis"'):])[:10]
    assert heads == ["指標", "名稱", "項次", "年度", "主責機關", "目標值", "實際值", "達成", "位置", "類別"]
    # the page is the same but for its words: as many rows, links and page images
    for tag in ("<tr", "<a ", "<img", "<figure"):
        assert zh.count(tag) == en.count(tag), tag


def test_trend_report_speaks_each_language(reports):
    zh = reports["zh-TW"][1].read_text(encoding="utf-8")
    en = reports["en"][1].read_text(encoding="utf-8")
    assert "<h1>關鍵績效指標趨勢</h1>" in zh and "<h1>KPI trends</h1>" in en
    counts = [re.findall(r"\d+", h) for h in headings(en)]
    assert headings(en) == ["Per theme and year", *(f"{name} ({n})" for name, (n,) in zip(
        ("Missed two years running", "Biggest movers", "Renamed", "New", "Dropped", "Values left for review", "KPIs"), counts[1:], strict=True))]
    assert headings(zh) == ["各策略主題逐年", *(f"{name}（{n}）" for name, (n,) in zip(
        ("連續兩年以上未達成", "變動最大", "更名", "新增", "停用", "待檢核數值", "關鍵績效指標"), counts[1:], strict=True))]
    assert counts[-1] == ["164"]  # the identities of the deck and the report
    # AC1.1 PM2.5, a 負向指標: its direction in words and on its chart's axis
    card = zh[zh.index('id="kpi-AC1.1"'):zh.index('id="kpi-AC2.1"')]
    assert "負向指標：越低越好" in card and "越低越好 ↓" in card
    assert "越接近零越好" in zh[zh.index('id="kpi-AP5.4"'):zh.index('id="kpi-AP5.5"')]  # a target printed with ±
    assert zh.count("<article") == en.count("<article") == 164


@pytest.mark.parametrize("language", ["zh-TW", "en"])
def test_both_languages_render_in_chromium(reports, language, tmp_path):
    chromium = needs_chromium()
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", f"--user-data-dir={tmp_path / 'profile'}"]
    review, trends = reports[language]
    for page, shot in ((review, tmp_path / f"review-{language}.png"), (trends, tmp_path / f"trends-{language}.png")):
        dom = subprocess.run([chromium, *flags, "--dump-dom", page.as_uri()], capture_output=True, text=True, timeout=180, check=True).stdout
        shown = Elements(dom)
        assert shown.tags("html")[0]["lang"] == Messages(language).html_lang
        assert headings(dom) == headings(page.read_text(encoding="utf-8"))  # the browser shows the page's words
        subprocess.run([chromium, *flags, f"--screenshot={shot}", "--window-size=1280,1600", page.as_uri()],
                       capture_output=True, timeout=180, check=True)
        with Image.open(shot) as image:
            assert image.size == (1280, 1600)
            colours = image.convert("RGB").getcolors(maxcolors=1 << 16)
        assert colours is None or len(colours) > 50  # drawn, not a blank page
