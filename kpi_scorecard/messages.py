"""Every label of the HTML reports (review/, trends/), in 繁體中文 (zh-TW) and English: one table,
so that the two languages cannot drift apart (a test checks both have every key and the same
placeholders). What the documents print (names, values, agencies) and data codes (decision,
kind) are shown as they are in either language.
"""
from __future__ import annotations

import locale
import os

LANGUAGES = ("zh-TW", "en")
HTML_LANG = {"zh-TW": "zh-Hant-TW", "en": "en"}

# key: (English, 繁體中文)
MESSAGES: dict[str, tuple[str, str]] = {
    # shared by both reports
    "achieved": ("achieved", "達成"),
    "missed": ("missed", "未達成"),
    "no number": ("no number", "無數值"),
    "no number to compare": ("no number to compare", "無數值可比較"),
    "KPI": ("KPI", "指標"),
    "name": ("name", "名稱"),
    "#": ("#", "項次"),
    "year": ("year", "年度"),
    "target": ("target", "目標值"),
    "actual": ("actual", "實際值"),
    "page": ("page", "頁碼"),
    "p. {page}": ("p. {page}", "第 {page} 頁"),
    "where": ("where", "位置"),
    "cell as scanned": ("cell as scanned", "掃描的儲存格"),
    "table {table}, row {row}": ("table {table}, row {row}", "第 {table} 表第 {row} 列"),
    "slide {slide}, {where}": ("slide {slide}, {where}", "第 {slide} 張投影片，{where}"),
    "ROC {year}": ("ROC {year}", "民國 {year} 年"),
    "yes": ("yes", "是"),
    "no": ("no", "否"),
    "lower": ("lower", "越低"),
    "higher": ("higher", "越高"),
    "nearer zero": ("nearer zero", "越接近零"),
    "{better} is better": ("{better} is better", "{better}越好"),
    # review report
    "Review: {file}": ("Review: {file}", "檢核報告：{file}"),
    "{n} themes": ("{n} themes", "{n} 個策略主題"),
    " ({codes} missing)": (" ({codes} missing)", "（缺 {codes}）"),
    "review summary": (
        "ROC {year} · {themes} · {kpis} KPIs · {measures} measures · {repairs} repairs · {warnings} warnings · {stitched} rows stitched",
        "民國 {year} 年 · {themes} · {kpis} 項指標 · {measures} 個衡量項目 · {repairs} 項修正 · {warnings} 項警示 · {stitched} 列跨頁接合",
    ),
    " · {n} pages": (" · {n} pages", " · {n} 頁"),
    "Themes:": ("Themes:", "策略主題："),
    "KPI identity": ("KPI identity", "指標識別"),
    "Repairs and review items": ("Repairs and review items", "修正與待檢核項目"),
    "Pages": ("Pages", "頁面"),
    "theme not found": ("Listed in the table of contents, but nothing of theme {code} was found.",
                        "目錄列有此策略主題，但未讀到 {code} 的任何內容。"),
    "No counts stated for this theme.": ("No counts stated for this theme.", "此策略主題未載明項數。"),
    "theme tally": ("ROC {year}: {achieved} achieved, {missed} missed, {none} without a number to compare",
                    "民國 {year} 年：達成 {achieved} 項，未達成 {missed} 項，{none} 項無數值可比較"),
    "achieved against missed": ("achieved against missed", "達成與未達成"),
    "objectives": ("objectives", "策略目標"),
    "KPIs": ("KPIs", "關鍵績效指標"),
    "action plans": ("action plans", "行動計畫"),
    "stated": ("stated", "文件所載"),
    "counted": ("counted", "讀取"),
    "agency": ("agency", "主責機關"),
    "kind": ("kind", "類別"),
    "what": ("what", "項目"),
    "column": ("column", "欄位"),
    "printed": ("printed", "原文"),
    "read as": ("read as", "修正後"),
    "Repairs and review items ({n})": ("Repairs and review items ({n})", "修正與待檢核項目（{n}）"),
    "name printed": ("name printed", "刊載名稱"),
    "decision": ("decision", "判定"),
    "identity": ("identity", "識別碼"),
    "before: file": ("before: file", "前次刊載：檔案"),
    "code": ("code", "代碼"),
    "similarity": ("similarity", "相似度"),
    "why": ("why", "理由"),
    "command that pins it": ("command that pins it (links split keeps it apart)", "確認連結的指令（links split 則分開）"),
    "KPI identity ({n} to confirm)": ("KPI identity ({n} to confirm)", "指標識別（{n} 項待確認）"),
    "Not linked (no warehouse)": ("Not linked (no warehouse)", "未連結（無資料倉儲）"),
    "the rest below": ("; the rest below: confirm each, or pin or split it.", "；以下各項請確認，或以指令固定或分開。"),
    "Page {page}:": ("Page {page}:", "第 {page} 頁："),
    "page {page}": ("page {page}", "第 {page} 頁"),
    "Pages ({n})": ("Pages ({n})", "頁面（{n}）"),
    # trend report
    "KPI trends": ("KPI trends", "關鍵績效指標趨勢"),
    "ROC {first}–{last} ({first_ad}–{last_ad})": ("ROC {first}–{last} ({first_ad}–{last_ad})", "民國 {first}–{last} 年（{first_ad}–{last_ad}）"),
    "no years": ("no years", "無年度資料"),
    "Per theme and year": ("Per theme and year", "各策略主題逐年"),
    "Missed two years running ({n})": ("Missed two years running ({n})", "連續兩年以上未達成（{n}）"),
    "Biggest movers ({n})": ("Biggest movers ({n})", "變動最大（{n}）"),
    "Renamed ({n})": ("Renamed ({n})", "更名（{n}）"),
    "New ({n})": ("New ({n})", "新增（{n}）"),
    "Dropped ({n})": ("Dropped ({n})", "停用（{n}）"),
    "Values left for review ({n})": ("Values left for review ({n})", "待檢核數值（{n}）"),
    "KPIs ({n})": ("KPIs ({n})", "關鍵績效指標（{n}）"),
    "deck": ("deck", "簡報"),
    "report": ("report", "施政報告"),
    "trend summary": (
        "{span} · {kpis} KPIs · {conflicts} values printed differently by different prints (ringed in {orange}) · {documents} documents: {list}",
        "{span} · {kpis} 項指標 · {conflicts} 個數值各處刊載不一（以{orange}圈示） · {documents} 份文件：{list}",
    ),
    "orange": ("orange", "橘色"),
    "charts legend": ("Charts: actual — solid, target — dashed; each point links to the page it was printed on.",
                      "圖表：實線為實際值，虛線為目標值；每個點連結至其刊載頁面。"),
    "theme chart label": ("theme {code}: achieved, missed, no number per year", "策略主題 {code}：逐年達成、未達成、無數值"),
    "KPIs stated / read": ("KPIs stated / read", "指標數 所載／讀取"),
    "themes note": ("Bars count KPI measures by the values the warehouse chose for each year (kpi_trend); "
                    "beside them, each document's stated KPI count against the KPIs read from it.",
                    "長條依資料倉儲各年採用之數值（kpi_trend）計算衡量項目數；旁列各文件所載指標數與實際讀取數。"),
    "years missed": ("years missed", "未達成年度"),
    "actual / target": ("actual / target", "實際值／目標值"),
    "years": ("years", "年度"),
    "change": ("change", "變動"),
    "direction": ("direction", "方向"),
    "better": ("better", "進步"),
    "worse": ("worse", "退步"),
    "printed as": ("printed as", "刊載為"),
    "first printed": ("first printed", "首次刊載"),
    "last printed": ("last printed", "最後刊載"),
    "changes note": ("Compared across annual reports that cover the KPI's theme (briefing decks show part of a theme only).",
                     "僅比較涵蓋該策略主題之施政報告（簡報只呈現主題的一部分）。"),
    "review note": ("Printed targets and actuals with no single number to compare: stored without one, with their text.",
                    "刊載之目標值與實際值無單一數值可比較者：不存數值，保留原文。"),
    "printed in": ("printed in", "刊載於"),
    "as printed": ("as printed", "原文"),
    "Theme {code}": ("Theme {code}", "策略主題 {code}"),
    "負向指標: ": ("負向指標: ", "負向指標："),
    "better: per measure": ("better: per measure", "方向：依衡量項目"),
    "unit {unit}": ("unit {unit}", "單位 {unit}"),
    "kpi meta": ("theme {theme} · objective {objective} · ROC {first}–{last} · {direction}",
                 "策略主題 {theme} · 策略目標 {objective} · 民國 {first}–{last} 年 · {direction}"),
    "Renamed — printed as:": ("Renamed — printed as:", "曾更名，刊載為："),
    "kpi chart label": ("{kpi}: target and actual per year", "{kpi}：逐年目標值與實際值"),
    "also printed": ("also printed: {prints}", "另刊載：{prints}"),
    "{raw} in {where} ({source})": ("{raw} in {where} ({source})", "{raw}（刊載於 {where}，{source}）"),
    "None.": ("None.", "無。"),
}


def default_language() -> str:
    """zh-TW when the user's locale is Chinese (LC_ALL, LC_MESSAGES, LANG, or the system's), else en."""
    name = next((os.environ[v] for v in ("LC_ALL", "LC_MESSAGES", "LANG") if os.environ.get(v)), None)
    if name is None:
        name = locale.getlocale()[0] or ""
    return "zh-TW" if name.lower().startswith("zh") else "en"


class Messages:
    """The labels of one language: messages("key", name=value) → the text."""

    def __init__(self, language: str | None = None) -> None:
        self.language = language or default_language()
        if self.language not in LANGUAGES:
            raise ValueError(f"{self.language!r}: the reports speak {' or '.join(LANGUAGES)}")
        self._column = 1 if self.language == "zh-TW" else 0  # MESSAGES' columns: (English, 繁體中文)

    @property
    def html_lang(self) -> str:
        return HTML_LANG[self.language]

    def __call__(self, key: str, **values: object) -> str:
        return MESSAGES[key][self._column].format(**values)
