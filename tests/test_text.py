"""Text repair of wrapped table cells (examples from the seed documents)."""
from __future__ import annotations

import pytest

from kpi_scorecard.normalize.text import clean_cell, fix_scripts, join_lines, repair_spaces


@pytest.mark.parametrize(
    ("lines", "joined"),
    [
        (["臺北市政", "府環境保"], "臺北市政府環境保"),
        (["Google", "Analytics"], "Google Analytics"),
        (["以 Google", "Analytics 統計當"], "以 Google Analytics 統計當"),
        (["12", "9"], "12 9"),
        (["累積啟動", "19,661 戶"], "累積啟動19,661 戶"),
        (["累計:268 144", "(衛生局:100", "床 社會局:44", "床)"], "累計:268 144 (衛生局:100床 社會局:44床)"),
        (["會議、", "展覽"], "會議、展覽"),
        (["  e-", "mail  "], "e-mail"),
        (["27,537,", "119"], "27,537,119"),
        (["27,000,00", "0"], "27,000,000"),  # a value cell too narrow for the number breaks it anywhere
        (["11,948,00", "0"], "11,948,000"),
        (["27,0", "00,000"], "27,000,000"),
        (["12", ".5"], "12.5"),
        (["1,000", " 萬"], "1,000萬"),
        (["27,000", "5"], "27,000 5"),  # nothing shows these were one number: two stay two
        (["a", "", "  ", "b"], "a b"),
        ([], ""),
    ],
)
def test_join_lines(lines: list[str], joined: str) -> None:
    assert join_lines(lines) == joined


@pytest.mark.parametrize(
    ("text", "repaired"),
    [
        ("臺北市政 府環境保 護局", "臺北市政府環境保護局"),
        ("文化空間 活化再利用相 關計畫之參與 人次", "文化空間活化再利用相關計畫之參與人次"),
        ("國內外會 議、展覽及獎勵 旅遊於本市舉辦 參與人次", "國內外會議、展覽及獎勵旅遊於本市舉辦參與人次"),
        ("展 覽及獎勵", "展覽及獎勵"),
        ("會議、 展覽", "會議、展覽"),
        ("80（滿意 度）", "80（滿意度）"),
        ("以 Google Analytics 統計當 年度", "以 Google Analytics 統計當年度"),
        ("每 10 萬人", "每 10 萬人"),
        ("PM 2.5  濃度", "PM 2.5 濃度"),
        ("  a \t b\n c ", "a b c"),
        ("<p>會審議通過 5 分(P 審議)</p> <p>二、防洪計畫： 25 分</p>",
         "會審議通過 5 分(P 審議) 二、防洪計畫：25 分"),
        ("單位：%</p><p>2.附屬單位", "單位：% 2.附屬單位"),
    ],
)
def test_repair_spaces(text: str, repaired: str) -> None:
    assert repair_spaces(text) == repaired


@pytest.mark.parametrize(
    ("text", "fixed"),
    [
        ("AC1.1 細懸浮微粒 (PM _{2.5}) 年平均濃度", "AC1.1 細懸浮微粒 (PM2.5) 年平均濃度"),
        ("單位：μg/m ³ (負向指標)", "單位：μg/m3 (負向指標)"),
        ("m ^{3}", "m3"),
        ("單位: M ²", "單位: M2"),
        ("單位：M ³ (負向指標)", "單位：M3 (負向指標)"),
        ("CO₂", "CO2"),
        ("10^{6}", "10^6"),
        ("勞工投保人數)*10 ⁶ 單位：百萬人率", "勞工投保人數)*10^6 單位：百萬人率"),
        ("10⁻³", "10^-3"),
        ("*10^6 單位", "*10^6 單位"),
        ("沒有上下標", "沒有上下標"),
    ],
)
def test_fix_scripts(text: str, fixed: str) -> None:
    assert fix_scripts(text) == fixed


@pytest.mark.parametrize(
    ("cell", "clean"),
    [
        (None, ""),
        ("", ""),
        ("110年尚未調\n查完 成，故\n無數據提供", "110年尚未調查完成，故無數據提供"),
        ("高於6都 平\n均值", "高於6都平均值"),
        ("80（滿意\n度）", "80（滿意度）"),
        ("2,500,000(因\n應疫情修改\n之 KPI，只\n限於 110 年)", "2,500,000(因應疫情修改之 KPI，只限於 110 年)"),
        ("三年移動平均監測\n值濃度\n單位：μg/m ³\n(負向指標)", "三年移動平均監測值濃度單位：μg/m3 (負向指標)"),
        ("AC1.1 細懸浮微粒\n(PM _{2.5}) 年平均濃\n度", "AC1.1 細懸浮微粒(PM2.5) 年平均濃度"),
        ("以 Google\nAnalytics 統計當\n年度 1/1-12/31 之累\n計瀏覽人次",
         "以 Google Analytics 統計當年度 1/1-12/31 之累計瀏覽人次"),
    ],
)
def test_clean_cell(cell: str | None, clean: str) -> None:
    assert clean_cell(cell) == clean
