"""parse_value / parse_number on real target/actual cells of the seed documents."""
from __future__ import annotations

import pytest

from kpi_scorecard.normalize.values import parse_number, parse_value

NUMBERS = [
    # raw, value, op, note
    ("44,000", 44000, None, None),
    # a ")" that closes nothing ends a note begun before: the note first, then the bracketed ones
    ("目標(含)跨年)12.5", 12.5, None, "目標 跨年; 含"),  # the bracketed note taken out leaves a space
    ("說明)另計)12.5", 12.5, None, "說明 另計"),  # each unmatched ")" a space
    ("12,345,", 12345, None, None),  # a comma after the number (a list's) is no part of it
    ("12.9", 12.9, None, None),
    ("96.90", 96.9, None, None),
    ("0.4", 0.4, None, None),
    ("0.758", 0.758, None, None),
    ("-3.5", -3.5, None, None),
    ("-1.5", -1.5, None, None),
    ("16600", 16600, None, None),
    ("27,537,119", 27537119, None, None),
    ("226,157", 226157, None, None),
    ("累積啟動 19,661 戶", 19661, None, "累積啟動 戶"),
    ("累積啟動19,661 戶", 19661, None, "累積啟動 戶"),
    ("≤266", 266, "<=", None),
    ("≥99.65", 99.65, ">=", None),
    ("≧80%", 80, ">=", None),
    ("(≧80%)", 80, ">=", None),
    ("≦3", 3, "<=", None),
    ("<5", 5, "<", None),
    (">3", 3, ">", None),
    ("±10", 10, "±", None),
    ("80%以上", 80, ">=", None),
    ("5 以下", 5, "<=", None),
    ("57.25%", 57.25, None, None),
    ("35.33%", 35.33, None, None),
    ("57.25%①", 57.25, None, "註①"),
    ("９２％", 92, None, None),
    ("46 億元", 4_600_000_000, None, "元"),
    ("57.9 億元", 5_790_000_000, None, "元"),
    ("300 萬", 3_000_000, None, None),
    ("308 萬", 3_080_000, None, None),
    ("1,000 萬", 10_000_000, None, None),
    ("66 萬人次", 660_000, None, "人次"),
    ("6億5,202萬次", 652_020_000, None, "次"),
    ("6億7,000萬次", 670_000_000, None, "次"),
    ("9萬4,000", 94_000, None, None),
    ("169,517,356千元", 169_517_356_000, None, "元"),
    ("84.12 (109 年度)", 84.12, None, "109 年度"),
    ("5.75(13人)", 5.75, None, "13人"),
    ("0.41(1人)", 0.41, None, "1人"),
    ("80（滿意度）", 80, None, "滿意度"),
    ("80（滿意 度）", 80, None, "滿意度"),
    ("2,500,000(因應疫情修改之 KPI，只限於 110 年)", 2_500_000, None,
     "因應疫情修改之 KPI，只限於 110 年"),
    ("2,500,000(因 應疫情修改 之 KPI，只 限於 110 年)", 2_500_000, None,
     "因應疫情修改之 KPI，只限於 110 年"),
    ("2,350,000 (因應 110 年 5 至 7 月 全國三級警 戒，各場域 文化場館進 館預估人次 滾動式調 整)",
     2_350_000, None, "因應 110 年 5 至 7 月全國三級警戒，各場域文化場館進館預估人次滾動式調整"),
    ("12.6 (109 年度, 以 108 年實際值 12.8 為計算基準)", 12.6, None,
     "109 年度, 以 108 年實際值 12.8 為計算基準"),
    ("20,190 (因疫情影響調整活動辦理方式，線上畫廊展出 2 個月，共有 7,200 人次瀏覽。)",
     20190, None, "因疫情影響調整活動辦理方式，線上畫廊展出 2 個月，共有 7,200 人次瀏覽。"),
    ("11,411(線上)(因疫情影響調整為線上展覽及線上活動，共計11,411人次參與)", 11411, None,
     "線上; 因疫情影響調整為線上展覽及線上活動，共計11,411人次參與"),
    ("103,909 (實體9,909人次，直播9萬4,000人次)", 103909, None,
     "實體9,909人次，直播9萬4,000人次"),
    ("88% (≧80%)", 88, None, "≧80%"),
    ("累計:360", 360, None, "累計"),
    ("累積啟動 20,160 戶", 20160, None, "累積啟動 戶"),
    ("0", 0, None, None),  # zero is a number, not a missing one
    ("12.30", 12.3, None, None),
    ("≦３", 3, "<=", None),
    ("≧ 80 %", 80, ">=", None),
    (">=90", 90, ">=", None),
    ("<=5", 5, "<=", None),
    ("10.5%以下", 10.5, "<=", None),
    ("3千人", 3000, None, "人"),
    ("110年 95", 95, None, "110年"),  # a year beside the value is a label
    ("第2季 40", 40, None, "第2季"),
]


@pytest.mark.parametrize(("raw", "value", "op", "note"), NUMBERS)
def test_numbers(raw: str, value: float, op: str | None, note: str | None) -> None:
    v = parse_value(raw)
    assert (v.kind, v.value, v.op, v.note) == ("number", pytest.approx(value), op, note)
    assert v.raw == raw


@pytest.mark.parametrize(
    ("raw", "kind", "note"),
    [
        ("", "empty", None),
        ("  \n", "empty", None),
        ("110年尚未調查完成，故無數據提供", "none", "110年尚未調查完成，故無數據提供"),
        ("110年尚未調查完 成，故無數據提供", "none", "110年尚未調查完成，故無數據提供"),
        ("110年尚未調查完", "none", "110年尚未調查完"),
        ("成，故無數據提供", "none", "成，故無數據提供"),
        ("數據由勞保局於每年3月間提供", "none", "數據由勞保局於每年3月間提供"),
        ("公式調整，不適用", "none", "公式調整，不適用"),
        ("-", "none", "-"),
        ("—", "none", "—"),
        ("N/A", "none", "N/A"),
        ("110 年目標值", "none", "110 年目標值"),
        ("高於6都 平均值", "qualitative", "高於6都平均值"),
        ("未高於6 都平均值", "qualitative", "未高於6 都平均值"),
        ("優於全國平均", "qualitative", "優於全國平均"),
        ("27,000,00", "unparsed", "27,000,00"),  # the rest of the number wrapped away: never 27000 or 0
        ("27,000,00 0", "unparsed", "27,000,00 0"),
        ("1.2.3", "unparsed", "1.2.3"),
        ("12.\ufffd", "unparsed", "12.\ufffd"),  # a glyph the text layer could not name
        ("度,以108年實際值12.8為計算基準)", "none", "度,以108年實際值12.8為計算基準)"),  # a note's end: 12.8 is not the value
        ("公務 82 公彩 82", "compound", "公務 82 公彩 82"),
        ("300萬308萬", "compound", "300萬308萬"),  # two amounts run together: magnitudes do not fall
        ("12 15", "compound", "12 15"),
        # near misses: digits that are no value
        ("110年", "none", "110年"),
        ("第2季", "none", "第2季"),
        ("3月", "none", "3月"),
        ("PM2.5", "none", "PM2.5"),  # digits run into letters
        ("1,0000", "unparsed", "1,0000"),
        ("12.5.1", "unparsed", "12.5.1"),
        ("公務 78.39 公彩 100", "compound", "公務 78.39 公彩 100"),
        ("累計:268 144 (衛生局:100床 社會局:44床)", "compound",
         "累計:268 144 (衛生局:100床社會局:44床)"),
        ("累計:360 280 (衛生局:237床 社會局:43床)", "compound",
         "累計:360 280 (衛生局:237床社會局:43床)"),
    ],
)
def test_without_single_value(raw: str, kind: str, note: str | None) -> None:
    v = parse_value(raw)
    assert (v.kind, v.value, v.op, v.note) == (kind, None, None, note)
    assert v.raw == raw


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("44,000", 44000.0),
        (" 12.9 ", 12.9),
        ("57.9億", 5_790_000_000.0),
        ("6億5,202萬", 652_020_000.0),
        ("9萬4,000", 94_000.0),
        ("-3.5", -3.5),
        ("12.9%", None),
        ("公務 82", None),
        ("1,0000", None),
        ("", None),
    ],
)
def test_parse_number(text: str, number: float | None) -> None:
    assert parse_number(text) == number
