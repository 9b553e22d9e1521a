"""Five report years, 110–114, made from the bundled 110 report with chained changes chosen at
random from a seed, so that no matcher can be tuned to one list:

- each year a few KPIs are renamed slightly (a word swapped for a near-synonym, a qualifier added
  or dropped), and one KPI is renamed in two different years;
- a KPI is added one year and renamed the next;
- KPIs are dropped and the objective's later KPIs renumbered to close the gap (two dropped at once,
  so that the old AP5.5 is printed as AP5.3 while AP5.3 named another KPI), their plans with them;
- an agency gets its full name.

Every KPI printed carries the key of the KPI it is (its 110 code, or 'added'): the truth linking
must find.
"""
from __future__ import annotations

import copy
import random
from dataclasses import dataclass, field, replace

from kpi_scorecard.normalize.reconcile import plan_keys
from kpi_scorecard.normalize.records import ActionPlan, Kpi, Measure, Scorecard, ThemeCount, Value
from kpi_scorecard.normalize.scorecard import kpi_table_observations

SWAPS = [  # near-synonyms, either way
    ("使用率", "利用率"), ("件數", "總件數"), ("比率", "比例"), ("完成率", "達成率"), ("人次", "人數"),
    ("滿意度", "滿意程度"), ("執行率", "執行比率"), ("成長率", "增長率"), ("家數", "單位數"), ("提升", "提高"),
    ("進度", "執行進度"), ("服務", "服務提供"), ("面積", "總面積"), ("金額", "總金額"), ("涵蓋率", "覆蓋率"),
    ("臺北市", "本市"), ("年度", "年"), ("數", "數量"),
]
PREFIXES = ("本市", "臺北市", "全市", "年度")
SUFFIXES = ("(年度)", "(累計)", "總計")
AGENCIES = [("研考會", "研究發展考核委員會"), ("環保局", "環境保護局"), ("產業局", "產業發展局"),
            ("觀傳局", "觀光傳播局"), ("都發局", "都市發展局"), ("北水處", "自來水事業處")]
ADDED = [  # a KPI a later report adds: name, formula, unit, plan
    ("廚餘回收率", "廚餘回收量/垃圾產生量*100%", "%", "家戶廚餘回收推廣計畫"),
    ("電動機車充電站設置數", "累計設置充電站數", "站", "電動機車充電環境建置計畫"),
    ("市民服務熱線滿意度", "(非常滿意+滿意)/有效問卷數*100%", "%", "1999 服務品質精進計畫"),
    ("老舊建物耐震評估件數", "當年度完成耐震評估件數", "件", "老舊建物耐震安檢補助計畫"),
]
YEARS = (111, 112, 113, 114)


@dataclass
class Year:
    scorecard: Scorecard
    keys: dict[str, str]  # printed code → key of the KPI it is
    events: list[str] = field(default_factory=list)
    renamed: list[str] = field(default_factory=list)  # keys of the KPIs renamed this year


def rename(name: str, rng: random.Random) -> str:
    """The name with one near-synonym swapped, or one qualifier added or dropped."""
    kinds = [
        [name.replace(a, b, 1) for pair in SWAPS for a, b in (pair, pair[::-1]) if a in name and b not in name],
        [name[len(p):] for p in PREFIXES if name.startswith(p) and len(name) > len(p) + 2]
        + [name[:-len(s)] for s in SUFFIXES if name.endswith(s)],
        ([p + name for p in PREFIXES] if not name.startswith(PREFIXES) else [])
        + ([name + s for s in SUFFIXES] if not name.endswith(SUFFIXES) else []),
    ]
    return rng.choice(rng.choice([[o for o in kind if o != name] for kind in kinds if any(o != name for o in kind)]))


def five_years(base: Scorecard, seed: int) -> list[Year]:
    rng = random.Random(seed)
    kpis = [(k.code, k) for k in base.kpis]  # (key, KPI as last printed)
    codes = [k.code for k in base.kpis if "#" not in k.code]
    objectives: dict[str, list[str]] = {}
    for code in codes:
        objectives.setdefault(code.rsplit(".", 1)[0], []).append(code)
    double_year, single_year, agency_year = rng.choice(YEARS), rng.choice(YEARS), rng.choice(YEARS)
    double = rng.choice(sorted(o for o, members in objectives.items() if len(members) >= 4))
    single = rng.choice(sorted(o for o, members in objectives.items() if len(members) >= 3 and o != double))
    twice = rng.choice([c for c in codes if c.rsplit(".", 1)[0] not in (double, single)])  # never dropped
    renamed = rng.sample([c for c in codes if c != twice], 12)  # three a year
    twice_years = rng.sample(YEARS, 2)
    added_year = rng.choice(YEARS[:-1])
    added_objective = rng.choice(sorted(objectives))
    agency = rng.choice([a for a in AGENCIES if any(m.agency == a[0] for k in base.kpis for m in k.measures)])
    added = rng.choice(ADDED)
    years = [Year(base, {k.code: k.code for k in base.kpis}, ["the bundled 110 report"])]
    for year in YEARS:
        events: list[str] = []
        renames: list[str] = []
        for victim_objective, count in ((double, 2) if year == double_year else (None, 0), (single, 1) if year == single_year else (None, 0)):
            if victim_objective:
                members = [i for i, (_, k) in enumerate(kpis) if k.objective_code == victim_objective]
                if len(members) > count:
                    start = rng.randrange(len(members) - count)  # never the last: later KPIs move up
                    gone = members[start:start + count]
                    events.append(f"dropped {[kpis[i][1].code for i in gone]}")
                    kpis = [pair for i, pair in enumerate(kpis) if i not in gone]
                    kpis = _renumbered(kpis, victim_objective, events)
        for i, (key, k) in enumerate(kpis):
            if (key == twice and year in twice_years) or (key in renamed[(year - 111) * 3:(year - 111) * 3 + 3]) \
                    or (key == "added" and year == added_year + 1):
                new = rename(k.name, rng)
                events.append(f"renamed {k.code} {k.name} → {new}")
                renames.append(key)
                kpis[i] = (key, replace(k, name=new))
        if year == added_year:
            kpis = _with_added(kpis, added_objective, added, events)
        if year == agency_year:
            events.append(f"agency {agency[0]} → {agency[1]}")
            kpis = [(key, replace(k, measures=[replace(m, agency=agency[1]) if m.agency == agency[0] else m for m in k.measures]))
                    for key, k in kpis]
        kpis = [(key, replace(k, measures=[_next_year(m, year) for m in k.measures])) for key, k in kpis]
        printed = [k for _, k in kpis]
        scorecard = replace(copy.copy(base), source_file=f"report-{year}.txt", roc_year=year, kpis=printed,
                            counts=_counts(base.counts, printed), problems=[], observations=kpi_table_observations(printed, year))
        years.append(Year(scorecard, {k.code: key for key, k in kpis}, events, renames))
    return years


def _renumbered(kpis: list[tuple[str, Kpi]], objective: str, events: list[str]) -> list[tuple[str, Kpi]]:
    """The objective's KPIs numbered 1..n again, their plan codes with them."""
    out, n = [], 0
    for key, k in kpis:
        if k.objective_code == objective:
            n += 1
            code = f"{objective}.{n}"
            if code != k.code:
                events.append(f"renumbered {k.code} → {code}")
                k = replace(k, code=code, measures=[replace(m, action_plans=[
                    ActionPlan(code + p.code[len(k.code):] if p.code and p.code.startswith(k.code + ".") else p.code, p.name)
                    for p in m.action_plans]) for m in k.measures])
        out.append((key, k))
    return out


def _with_added(kpis: list[tuple[str, Kpi]], objective: str, added: tuple[str, str, str, str], events: list[str]) -> list[tuple[str, Kpi]]:
    last = max(i for i, (_, k) in enumerate(kpis) if k.objective_code == objective)
    template = kpis[last][1]
    code = f"{objective}.{sum(k.objective_code == objective for _, k in kpis) + 1}"
    name, formula, unit, plan = added
    kpi = Kpi(code, name, objective, template.objective_name, template.theme_code, template.theme_name, [
        Measure(1, formula, unit, "positive", [ActionPlan(f"{code}.1", plan)], template.measures[0].agency,
                Value("30", 30.0, kind="number"), Value("31.5", 31.5, kind="number"), None)])
    events.append(f"added {code} {name}")
    return kpis[:last + 1] + [("added", kpi)] + kpis[last + 1:]


def _next_year(m: Measure, year: int) -> Measure:
    return replace(m, roc_year=year, target=_bumped(m.target, 1.02), actual=_bumped(m.actual, 1.05))


def _bumped(value: Value, factor: float) -> Value:
    if value.value is None:
        return value
    number = round(value.value * factor, 2)
    return Value(f"{number:,.2f}", number, value.op, None, "number")


def _counts(counts: list[ThemeCount], kpis: list[Kpi]) -> list[ThemeCount]:
    """Each theme's counts as the year's report states them (all read)."""
    out = []
    for c in counts:
        mine = [k for k in kpis if k.theme_code == c.theme_code]
        objectives, plans = len({k.objective_code for k in mine}), len(set().union(*(plan_keys(k) for k in mine)) if mine else set())
        out.append(replace(c, stated_objectives=objectives, stated_kpis=len(mine), stated_plans=plans,
                           counted_objectives=objectives, counted_kpis=len(mine), counted_plans=plans))
    return out
