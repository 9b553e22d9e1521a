"""KPI identity decisions on small made-up documents: what each signal does."""
from __future__ import annotations

from dataclasses import replace

from kpi_scorecard.warehouse.identity import KpiRef, Override, Score, link_documents


def ref(doc: str, year: int, code: str, name: str, formula: str = "", objective: str | None = None) -> KpiRef:
    return KpiRef(doc, year, "annual_report", code, name, code[0], objective or code.rsplit(".", 1)[0], formula)


def decisions(*refs: KpiRef, overrides=()) -> dict[tuple[str, str], tuple[str, str]]:
    links, _ = link_documents(refs, overrides)
    return {(link.document_id, link.kpi_code): (link.kpi_id, link.decision) for link in links}


def test_a_name_between_two_identities_is_ambiguous_not_merged():
    got = decisions(ref("a", 110, "XP1.1", "各機關資本支出達成率"), ref("a", 110, "XP1.2", "各基金資本支出達成率"),
                    ref("b", 111, "XP1.3", "各機關基金資本支出達成率"))
    assert got[("b", "XP1.3")] == ("XP1.3", "ambiguous")


def test_renumbering_follows_the_name_not_the_code():
    got = decisions(ref("a", 110, "AP5.3", "礫間現地處理量", "全年累計處理量"), ref("a", 110, "AP5.4", "河川生態熱點指標類群物種數變化率"),
                    ref("a", 110, "AP5.5", "公園生態化", "累計推動公園生態化分區管理"),
                    ref("b", 111, "AP5.3", "公園生態化", "累計推動公園生態化分區管理"))
    assert got[("b", "AP5.3")] == ("AP5.5", "renumbered")


def test_a_reused_code_starts_an_identity_even_with_the_same_formula():
    got = decisions(ref("a", 110, "HC2.1", "提升市民政策知曉度", "政策民調知曉度總和/政策項數*100%"),
                    ref("b", 111, "HC2.1", "市民陳情案件結案率", "政策民調知曉度總和/政策項數*100%"))
    assert got[("b", "HC2.1")] == ("HC2.1#2", "new")


def test_renamed_twice_keeps_its_identity_and_overrides_win():
    refs = (ref("a", 110, "GP5.1", "成功攔阻詐騙件數", "年度成功攔阻詐騙件數"),
            ref("b", 111, "GP5.1", "成功攔阻詐騙總件數", "年度成功攔阻詐騙件數"),
            ref("c", 112, "GP5.1", "臺北市成功攔阻詐騙總件數", "年度成功攔阻詐騙件數"))
    got = decisions(*refs)
    assert [got[(d, "GP5.1")] for d in "abc"] == [("GP5.1", "new"), ("GP5.1", "renamed"), ("GP5.1", "renamed")]
    got = decisions(*refs, overrides=[Override("c", "GP5.1", "split", None)])
    assert got[("c", "GP5.1")] == ("GP5.1#2", "split")


def test_score_of_a_kpi_against_an_identity():
    """0.7 × name + 0.3 × formula similarity, +8 for the code the identity was last printed with,
    +4 for its objective, +0.5 for the same unit: each part on its own."""
    from kpi_scorecard.warehouse.identity import Identity, _score

    last = KpiRef("report-110.pdf", 110, "annual_report", "AC1.1", "細懸浮微粒年平均濃度", "A", "AC1", "三年移動平均", "μg/m3")
    identity = Identity("AC1.1", last, (last.kpi_name,), (last.formula,))
    same = KpiRef("report-111.pdf", 111, "annual_report", "AC1.1", "細懸浮微粒年平均濃度", "A", "AC1", "三年移動平均", "μg/m3")
    assert _score(same, identity, 100.0) == Score(112.5, 100.0, 100.0)
    assert _score(replace(same, kpi_code="AC1.2"), identity, 100.0) == Score(104.5, 100.0, 100.0)
    assert _score(replace(same, objective_code="AC2"), identity, 100.0) == Score(108.5, 100.0, 100.0)
    assert _score(replace(same, unit="%"), identity, 100.0) == Score(112.0, 100.0, 100.0)
    assert _score(replace(same, formula=""), identity, 60.0) == Score(72.5, 60.0, None)  # the name stands for the formula


def test_the_reasons_a_kpi_starts_an_identity():
    """The reason a link records, in full: what kpi_links tells a reader about a new identity."""
    links, _ = link_documents((ref("a", 110, "XP1.1", "各機關資本支出達成率"),
                               ref("b", 111, "XP1.1", "市民陳情案件結案率")), ())
    reasons = {(link.document_id, link.kpi_code): (link.decision, link.reason) for link in links}
    assert reasons[("a", "XP1.1")] == ("new", "no earlier KPI in its theme")
    assert reasons[("b", "XP1.1")][0] == "new"
    assert reasons[("b", "XP1.1")][1].startswith("code XP1.1 reused for a different KPI (name ")
