"""A recognised KPI checked against what the warehouse holds for its code (warehouse/recognised.py):
its name and a plan name with spaces in it take the earlier spelling when at least SNAP_SCORE (85)
alike, recorded with the column they are in."""
from __future__ import annotations

from kpi_scorecard.normalize.records import ActionPlan, Kpi, Measure, Problem, Value
from kpi_scorecard.warehouse.recognised import _checked


def test_a_recognised_name_and_a_plan_with_spaces_take_the_earlier_spelling():
    """細懸浮微粒年平均濃渡: 1 of 10 characters wrong (ratio 90); the plan AC1.1.1 推動 Open Data 計晝:
    1 of 23 (ratio 96), its code and its name (spaces and all) told apart at the first space."""
    read = Measure(1, "三年移動平均監測值濃度", "μg/m3", "negative", [ActionPlan("AC1.1.1", "推動 Open Data 計晝")], "環保局",
                   Value("12.9", 12.9, kind="number"), Value("12.3", 12.3, kind="number"), 7)
    kpi = Kpi("AC1.1", "細懸浮微粒年平均濃渡", "AC1", "提升環境品質", "A", None, [read])
    earlier = {"name": "細懸浮微粒年平均濃度", "numbers": [12.9, 12.3],
               "measures": {1: {"formula": "三年移動平均監測值濃度", "agency": "環保局", "plans": "AC1.1.1 推動 Open Data 計畫"}}}
    problems: list[Problem] = []
    checked = _checked(kpi, earlier, problems)
    assert (checked.name, checked.measures[0].action_plans) == ("細懸浮微粒年平均濃度", [ActionPlan("AC1.1.1", "推動 Open Data 計畫")])
    assert problems == [
        Problem("repair", "ocr_earlier_spelling (score 90)", "細懸浮微粒年平均濃渡", "細懸浮微粒年平均濃度", 7, "AC1.1", "name"),
        Problem("repair", "ocr_earlier_spelling (score 96)", "AC1.1.1 推動 Open Data 計晝", "AC1.1.1 推動 Open Data 計畫", 7, "AC1.1", "plans"),
    ]
