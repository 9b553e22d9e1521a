"""What each theme states against what was read (normalize/reconcile.py), on made-up themes and
KPIs: counts per theme, a plan under two KPIs counted once, a repeated heading merged into the
first, and themes the contents list but nothing was read of."""
from __future__ import annotations

from kpi_scorecard.normalize.reconcile import merge_repeated, plan_keys, reconcile
from kpi_scorecard.normalize.records import ActionPlan, Kpi, Measure, ThemeCount, Value
from kpi_scorecard.normalize.stitch import Theme


def kpi(code: str, theme: str, *plans: list[ActionPlan]) -> Kpi:
    measures = [Measure(n, "公式", None, "positive", list(p), "環保局", Value(""), Value(""), 3) for n, p in enumerate(plans, 1)]
    return Kpi(code, "名稱", code.split(".")[0], "目標", theme, None, measures)


CLEAN = ActionPlan("AC1.1.1", "清新 空氣計畫")
KPIS = [
    kpi("AC1.1", "A", [CLEAN], [ActionPlan("AC1.1.2", "節能計畫")]),
    kpi("AC1.2", "A", [ActionPlan("AC1.1.1", "清新空氣計畫")]),  # the same plan again, printed without the space
    kpi("AC2.1", "A", [ActionPlan("AC1.1.1", "另一計畫")]),  # another plan with that code: counted too
    kpi("BC1.1", "B"),
]


def test_plan_keys():
    assert plan_keys(KPIS[0]) == {"AC1.1.1清新空氣計畫", "AC1.1.2節能計畫"}
    assert plan_keys(kpi("AC9.9", "A", [ActionPlan(None, "無代碼 計畫")])) == {"無代碼計畫"}
    assert plan_keys(KPIS[3]) == set()


def test_counts_per_theme_in_the_contents_order():
    themes = [Theme("A", "永續", {"objectives": 2, "kpis": 3, "action_plans": 4}), Theme("C", "無"),
              Theme("B", None, {"kpis": 2}), Theme("A", "永續", {"kpis": 9, "objectives": 9})]
    contents = {"B": "乙", "D": "丁", "A": "永續"}
    assert reconcile(themes, KPIS, contents) == [
        ThemeCount("B", None, None, 2, None, 1, 1, 0, listed=True),
        ThemeCount("D", "丁", None, None, None, 0, 0, 0, listed=True, found=False),  # listed, nothing read
        ThemeCount("A", "永續", 2, 3, 4, 2, 3, 3, listed=True),  # the repeated heading's 9s not taken
        # C states nothing and has no KPI: no count
    ]
    assert reconcile(themes, KPIS) == [  # without contents: in the order read, none listed or missing
        ThemeCount("A", "永續", 2, 3, 4, 2, 3, 3, listed=None),
        ThemeCount("B", None, None, 2, None, 1, 1, 0, listed=None),
    ]
    assert reconcile([Theme("E", "戊", {"kpis": 1})], [], {"A": "永續"}) == [
        ThemeCount("A", "永續", None, None, None, 0, 0, 0, listed=True, found=False),
        ThemeCount("E", "戊", None, 1, None, 0, 0, 0, listed=False),  # not in the contents: last
    ]


def test_merge_repeated():
    merged = merge_repeated([Theme("A", None, {"kpis": 3}), Theme("B", "乙"), Theme("A", "永續", {"kpis": 5, "objectives": 2})])
    assert merged == [Theme("A", "永續", {"kpis": 3, "objectives": 2}), Theme("B", "乙", {})]
