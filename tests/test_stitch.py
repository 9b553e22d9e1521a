"""Page-break cases, each a small text dump named after the problem it catches (tests/samples/)."""
from __future__ import annotations

from pathlib import Path

from conftest import kpi, read

SAMPLES = Path(__file__).parent / "samples"


def test_measure_row_at_page_top_is_not_joined_to_the_row_above():
    scorecard = read(SAMPLES / "measure-row-at-page-top.txt")
    (ac11,) = scorecard.kpis
    assert [(m.measure_no, m.agency, m.target.value, m.actual.value) for m in ac11.measures] == [
        (1, "民政局", 20000, 20190), (2, "文化局", 753750, 1694575), (3, "客委會", 10170, 103909)]
    assert [m.action_plans[0].code for m in ac11.measures] == ["AC1.1.1", "AC1.1.2", "AC1.1.3"]
    assert not [p for p in scorecard.problems if p.kind == "stitch"]


def test_row_cut_with_its_target_text_on_the_next_page_is_joined():
    scorecard = read(SAMPLES / "row-cut-with-target-text-on-next-page.txt")
    ac21 = kpi(scorecard, "AC2.1")
    (m,) = ac21.measures
    assert ac21.name == "文化空間活化再利用相關計畫之參與人次"
    assert m.unit == "人次" and m.formula.endswith("+臺北眷村文化節)")
    assert [p.code for p in m.action_plans] == ["AC2.1.1", "AC2.1.2"]
    assert m.target.value == 2350000 and m.target.note.endswith("滾動式調整")
    assert (m.actual.value, kpi(scorecard, "AC2.2").measures[0].target.value) == (2835104, 12)
    assert [p.row for p in scorecard.problems if p.kind == "stitch"] == ["AC2.1"]
    assert all((c.counted_kpis, c.counted_plans) == (c.stated_kpis, c.stated_plans) for c in scorecard.counts)
