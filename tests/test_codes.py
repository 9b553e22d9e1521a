"""Code repair (normalize/codes.py) on its own: every kind of repair the repair log records, and the
near misses that must be left as printed. Cells are as report-110 prints them where it has one."""
from __future__ import annotations

from dataclasses import replace

import pytest

from kpi_scorecard.normalize.codes import _family, repair_plan_code, split_kpi_code, split_plans
from kpi_scorecard.normalize.records import Problem


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("AC1.1 細懸浮微粒(PM2.5) 年平均濃度", ("AC1.1", "細懸浮微粒(PM2.5) 年平均濃度")),
        ("AC4.2 平均年節電率", ("AC4.2", "平均年節電率")),  # report-110.txt line 94
        ("  HP3.2臺北通會員數 ", ("HP3.2", "臺北通會員數")),
        ("EC10.12 就業", ("EC10.12", "就業")),  # numbers of any length, never cut at AC1.1
        ("AC1.1", ("AC1.1", "")),
        ("AC1.1\n(負向指標)", ("AC1.1", "(負向指標)")),
        # near misses: no KPI code
        ("F1.1 運動場館", None),  # one letter: a truncated code, not a KPI
        ("ABC1.1 名稱", None),  # three letters
        ("ac1.1 名稱", None),
        ("AC1 提升環境品質", None),  # an objective
        ("AC1.1.1 推動計畫", None),  # an action plan
        ("AC1.1. 名稱", None),
        ("AC.1 名稱", None),
        ("說明 AC1.1", None),  # a code inside the text
        ("", None),
    ],
)
def test_split_kpi_code(cell, expected):
    assert split_kpi_code(cell) == expected


@pytest.mark.parametrize(
    ("cell", "kpi", "expected"),
    [
        ("AC1.1.1 空品淨化區 AC1.1.2 低碳運輸", "AC1.1", [("AC1.1.1", "空品淨化區"), ("AC1.1.2", "低碳運輸")]),
        ("AC1.1.1：空品淨化區、 AC1.1.2. 低碳運輸", "AC1.1", [("AC1.1.1", "空品淨化區、"), ("AC1.1.2", "低碳運輸")]),
        # a code of another family inside a plan's name is a reference, not a plan
        ("CC1.1.1 活動 針對 DD1.1.2 所列活動", "CC1.1", [("CC1.1.1", "活動 針對 DD1.1.2 所列活動")]),
        # the first code starts a plan whatever its family; later ones of its family too
        ("EC1.2.1 就業輔導計畫 EC1.2.2 媒合", "EC1.1", [("EC1.2.1", "就業輔導計畫"), ("EC1.2.2", "媒合")]),
        # a truncated code is its KPI's family (FF1.1 ends with F1.1)
        ("FF1.1.1 維護 F1.1.2 辦理自營河濱 運動場區", "FF1.1", [("FF1.1.1", "維護"), ("F1.1.2", "辦理自營河濱 運動場區")]),
        ("AC4.2.節電行動方案", "AC4.2", [("AC4.2", "節電行動方案")]),  # report-110.txt line 94
        ("說明 AC1.1.1 計畫", "AC1.1", [(None, "說明"), ("AC1.1.1", "計畫")]),
        ("節能計畫", "AC1.1", [(None, "節能計畫")]),
        ("aAC1.1.1 計畫", "AC1.1", [(None, "aAC1.1.1 計畫")]),
        ("", "AC1.1", []),
    ],
)
def test_split_plans(cell, kpi, expected):
    assert split_plans(cell, kpi) == expected


@pytest.mark.parametrize(
    ("printed", "kpi", "taken", "code", "problem"),
    [
        ("AC1.1.1", "AC1.1", set(), "AC1.1.1", None),
        ("AC1.1.12", "AC1.1", set(), "AC1.1.12", None),
        # the plan number missing ("AC4.2.節電行動方案"): the next free number
        ("AC4.2", "AC4.2", set(), "AC4.2.1", Problem("repair", "plan_code_number_missing", "AC4.2.", "AC4.2.1", column="plans")),
        ("AC4.2", "AC4.2", {"AC4.2.1"}, "AC4.2.2", Problem("repair", "plan_code_number_missing", "AC4.2.", "AC4.2.2", column="plans")),
        ("AC4.2", "AC4.2", {"AC4.2.2"}, "AC4.2.1", Problem("repair", "plan_code_number_missing", "AC4.2.", "AC4.2.1", column="plans")),
        ("AC4.2", "AC4.2", {"AC4.2.1", "AC4.2.2"}, "AC4.2.3", Problem("repair", "plan_code_number_missing", "AC4.2.", "AC4.2.3", column="plans")),
        # leading letter lost (report-110.txt line 661)
        ("F1.1.2", "FF1.1", set(), "FF1.1.2", Problem("repair", "plan_code_truncated", "F1.1.2", "FF1.1.2", column="plans")),
        ("1.1.2", "FF1.1", set(), "FF1.1.2", Problem("repair", "plan_code_truncated", "1.1.2", "FF1.1.2", column="plans")),
        # well formed, another KPI's (report-110.txt line 504): kept as printed, logged
        ("EC1.2.1", "EC1.1", set(), "EC1.2.1", Problem("warning", "plan_code_under_other_kpi", "EC1.2.1", None, column="plans")),
        ("AC1.11.1", "AC1.1", set(), "AC1.11.1", Problem("warning", "plan_code_under_other_kpi", "AC1.11.1", None, column="plans")),
        ("AC1.1.1", "AC1.11", set(), "AC1.1.1", Problem("warning", "plan_code_under_other_kpi", "AC1.1.1", None, column="plans")),
        # near misses of a truncation: not this KPI's code with letters lost, so never rewritten
        ("C1.1.2", "FF1.1", set(), "C1.1.2", Problem("warning", "plan_code_unrecognised", "C1.1.2", None, column="plans")),
        ("F1.2.2", "FF1.1", set(), "F1.2.2", Problem("warning", "plan_code_unrecognised", "F1.2.2", None, column="plans")),
        ("F1.1", "FF1.1", set(), "F1.1", Problem("warning", "plan_code_unrecognised", "F1.1", None, column="plans")),
        ("A1.1", "AC1.1", set(), "A1.1", Problem("warning", "plan_code_unrecognised", "A1.1", None, column="plans")),
        ("ABC1.1.1", "AC1.1", set(), "ABC1.1.1", Problem("warning", "plan_code_unrecognised", "ABC1.1.1", None, column="plans")),
        ("計畫", "AC1.1", set(), "計畫", Problem("warning", "plan_code_unrecognised", "計畫", None, column="plans")),  # no dot at all
    ],
)
def test_repair_plan_code(printed, kpi, taken, code, problem):
    before = set(taken)
    assert repair_plan_code(printed, kpi, taken) == (code, problem)
    assert taken == before  # the caller records the code it stores


def test_the_report_s_plan_code_log(pdf_report, txt_report):
    """The report's plan-code problems as printed: the text dump keeps two misprints the PDF does not
    (report-110.txt lines 94 and 661); both print CC1.1.1, CC1.1.2 under CL1.1 (line 361), EC1.2.1
    under EC1.1 (line 504) and FC1.1.1 under FC1.2 (line 601), on PDF pages 23, 31 and 37."""
    other = [("CC1.1.1", 23, "CL1.1"), ("CC1.1.2", 23, "CL1.1"), ("EC1.2.1", 31, "EC1.1"), ("FC1.1.1", 37, "FC1.2")]
    under_other = [Problem("warning", "plan_code_under_other_kpi", code, None, page, kpi, "plans") for code, page, kpi in other]
    assert [p for p in pdf_report.problems if p.what.startswith("plan_code")] == under_other
    assert [p for p in txt_report.problems if p.what.startswith("plan_code")] == [
        Problem("repair", "plan_code_number_missing", "AC4.2.", "AC4.2.1", None, "AC4.2", "plans"),
        *[replace(p, page=None) for p in under_other],
        Problem("repair", "plan_code_truncated", "F1.1.2", "FF1.1.2", None, "FF1.1", "plans"),
    ]
    fixed = {p.code: p.name for k in txt_report.kpis if k.code in ("AC4.2", "FF1.1") for m in k.measures for p in m.action_plans}
    assert fixed["AC4.2.1"] == "節電行動方案" and fixed["FF1.1.2"] == "辦理自營河濱運動場區及運動場館維護整建工程計畫"


@pytest.mark.parametrize(
    ("printed", "family"),
    [("AC2.1.3", "AC2.1"), ("AC2.1.3.", "AC2.1"), ("AC2.1.", "AC2"), ("AC2.1", "AC2.1"), ("AC2.", "AC2"), ("AC2", "AC2")],
)
def test_family(printed, family):
    """The KPI a plan code names: its last number dropped (a trailing dot is none), where it has two dots."""
    assert _family(printed) == family
