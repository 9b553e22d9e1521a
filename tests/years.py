"""Later editions of a report made from its data, as test_next_year.py makes its 111 report: for
a warehouse of several years (tests of the trend report, benchmarks/trend_report.py).

Each edition moves every value by a factor fixed by code and year (some KPIs then miss their
target, some move a lot), and changes the KPI list as years do: one KPI renamed from 111 on,
another from 112 on, one dropped and one new from 111 on, a code reused for another KPI from 112
on, a KPI renumbered from 113 on.
"""
from __future__ import annotations

import copy
import zlib
from dataclasses import replace
from pathlib import Path

from render import scorecard_to_text

from kpi_scorecard.normalize.records import ActionPlan, Kpi, Measure, Scorecard, Value

RENAMED = {"AC3.2": (111, "公共自行車(YouBike)服務使用量"), "HP3.2": (112, "紙本來文線上簽核比率")}
DROPPED = ("AC4.3", 111)
NEW = ("AC4.5", 111, "廚餘回收率")  # printed after AC4.4
REUSED = ("HC2.1", 112, "市民陳情案件結案率")
RENUMBERED = ("AC2.1", 113, "AC2.2")


def edition(scorecard: Scorecard, year: int) -> Scorecard:
    """The scorecard as its `year` edition would print it (year after the scorecard's own)."""
    doc = copy.deepcopy(scorecard)
    doc.roc_year, doc.source_file = year, f"report-{year}.txt"
    kpis = []
    for k in doc.kpis:
        if k.code == DROPPED[0] and year >= DROPPED[1]:
            continue
        since, renamed = RENAMED.get(k.code, REUSED[1:] if k.code == REUSED[0] else (year + 1, k.name))
        code = RENUMBERED[2] if k.code == RENUMBERED[0] and year >= RENUMBERED[1] else k.code
        measures = [replace(m, roc_year=year, target=_scaled(m.target, 1 + 0.02 * (year - scorecard.roc_year)),
                            actual=_scaled(m.actual, _factor(k.code, m.measure_no, year)),
                            action_plans=[replace(p, code=p.code.replace(k.code, code, 1)) if p.code else p for p in m.action_plans])
                    for m in k.measures]
        kpis.append(replace(k, code=code, name=renamed if year >= since else k.name, measures=measures))
        if k.code == "AC4.4" and year >= NEW[1]:  # the new KPI takes the dropped one's place in the count
            plan = ActionPlan(f"{NEW[0]}.1", "家戶廚餘回收推廣計畫")
            kpis.append(Kpi(NEW[0], NEW[2], k.objective_code, k.objective_name, k.theme_code, k.theme_name, [
                Measure(1, "廚餘回收量/垃圾產生量*100%", "%", "positive", [plan], "環保局",
                        Value(f"{30 + year - NEW[1]}"), Value(f"{31.5 + 0.5 * (year - NEW[1]):.1f}"), None)]))
    doc.kpis = kpis
    return doc


def _factor(code: str, measure_no: int, year: int) -> float:
    """0.85 … 1.20, fixed by the KPI, measure and year."""
    return 0.85 + 0.35 * (zlib.crc32(f"{code}#{measure_no}@{year}".encode()) % 1000) / 1000


OPS = {"<=": "≤", ">=": "≥", "<": "<", ">": ">", "±": "±", None: ""}


def _scaled(value: Value, factor: float) -> Value:
    """The value times factor, printed with its operator; text without a number as it was."""
    return Value(f"{OPS[value.op]}{value.value * factor:,.2f}") if value.value is not None else value


def write_editions(scorecard: Scorecard, years: range, folder: Path) -> list[Path]:
    """Text dumps of the scorecard's editions for these years, written into folder."""
    paths = []
    for year in years:
        path = folder / f"report-{year}.txt"
        path.write_text(scorecard_to_text(edition(scorecard, year)), encoding="utf-8")
        paths.append(path)
    return paths
