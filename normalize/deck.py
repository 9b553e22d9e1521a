"""A briefing deck's other tables, tied to the KPIs its KPI tables define.

- results tables (策略目標 | 主責局處 | KPI | 實際值(目標值) | 目標達成度 | 創新度 | 挑戰度 | 貢獻度):
  the year's actual and target of each KPI, its agency and its scores;
- tasks tables (主要施政重點 | 主要任務 | 110 | 111 …): targets of the coming years, tied to the
  KPI of the same slide whose name, formula or plan the task's 量化目標 matches;
- summary tables (構面 | 策略目標數 | KPI個數 | 達成數 | 未達成數 | 達成率): stated counts.

A results row names its KPI without a code; it is matched by name to the KPIs of its objective.
One that matches none is a KPI of its own, coded with its objective's code (the deck's 109 "HC1
參與人數" is not the 110 "HC1.1 參與式預算民眾參與率"), and that assumption is recorded.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from rapidfuzz import fuzz

from extract.blocks import Block, Table
from normalize.codes import split_kpi_code
from normalize.layout import DECK_TABLES, squeeze, table_kind
from normalize.records import Kpi, Measure, Observation, PerspectiveCount, Problem, Score, Value
from normalize.text import clean_cell
from normalize.values import parse_value

# How a results row's KPI name must match a KPI's name (whole-string similarity), and how a
# task's 量化目標 must match a KPI's name, formula or plan (best substring similarity): a rapidfuzz
# score of at least `score`, `margin` ahead of the runner-up; otherwise nothing is tied.
NAME_MATCH = (fuzz.ratio, 60, 10)
TASK_MATCH = (fuzz.partial_ratio, 75, 10)
OBJECTIVE_CODE = re.compile(r"^\s*([A-Z]{2}\d+)(?![.\d])")
YEAR_COLUMN = re.compile(r"^(\d{2,3})年?(?:度)?(?:目標值)?$")
LABELLED = re.compile(r"([^\s：:\d]+?)\s*[：:]\s*(-?[\d.,]+\s*%?)")
RESULT_COLUMNS = {
    "objective": "策略目標", "agency": "主責", "kpi": "KPI", "value": "實際值",
    "achievement": "達成度", "innovation": "創新", "challenge": "挑戰", "contribution": "貢獻",
}
# The balanced-scorecard perspectives and their letter in objective codes (HC1, HP2, HL1, HF3).
PERSPECTIVES = {"顧客": "C", "內部": "P", "學習": "L", "財務": "F"}
SUMMARY_COLUMNS = {"objectives": "策略目標數", "kpis": "KPI個數", "achieved": "達成數", "missed": "未達成數"}


@dataclass
class DeckReading:
    kpis: list[Kpi]  # the KPI tables' KPIs, completed, plus results-only KPIs
    observations: list[Observation] = field(default_factory=list)
    scores: list[Score] = field(default_factory=list)
    perspectives: list[PerspectiveCount] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def is_deck(blocks: list[Block]) -> bool:
    return any(isinstance(b, Table) and table_kind(b.rows)[0] in DECK_TABLES for b in blocks)


def read_deck_tables(blocks: list[Block], kpis: list[Kpi], roc_year: int) -> DeckReading:
    """Results, tasks and summary tables → observations, scores, counts; measures completed."""
    reading = DeckReading(kpis=list(kpis))
    objective = None
    for block in blocks:
        if not isinstance(block, Table):
            continue
        kind, header_at = table_kind(block.rows)
        block = replace(block, rows=block.rows[header_at:])
        if kind == "results":
            objective = _read_results(block, roc_year, objective, reading)
        elif kind == "tasks":
            _read_tasks(block, reading)
        elif kind == "summary":
            _read_summary(block, reading)
    _fill_measures(reading)
    return reading


def _columns(header: list[str | None], wanted: dict[str, str]) -> dict[str, int]:
    cols: dict[str, int] = {}
    for index, cell in enumerate(header):
        role = next((r for r, keyword in wanted.items() if keyword in squeeze(cell) and r not in cols), None)
        if role:
            cols[role] = index
    return cols


def _cell(row: list[str | None], cols: dict[str, int], role: str) -> str | None:
    index = cols.get(role)
    return row[index] if index is not None and index < len(row) else None


def _read_results(table: Table, year: int, objective: tuple[str, str] | None, reading: DeckReading) -> tuple[str, str] | None:
    """One results table; `objective` is carried over from the table before (merged cells)."""
    cols = _columns(table.rows[0], RESULT_COLUMNS)
    agency = ""
    for row in table.rows[1:]:
        if _cell(row, cols, "agency") is not None:  # None: under the merged cell above
            agency = clean_cell(_cell(row, cols, "agency"))
        printed = clean_cell(_cell(row, cols, "objective"))
        if m := OBJECTIVE_CODE.match(printed):
            objective = (m.group(1), printed[m.end():].strip())
        name = clean_cell(_cell(row, cols, "kpi"))
        if not (objective and name):
            continue
        kpi = _results_kpi(name, objective, table.page, year, reading)
        actual_text, target_text = _actual_and_target(_cell(row, cols, "value") or "")
        for kind, text in (("actual", actual_text), ("target", target_text)):
            if text:
                reading.observations.append(Observation(kpi.code, 1, year, kind, parse_value(text), table.page, "results table"))
        if agency:
            kpi.measures[:] = [m if m.agency else replace(m, agency=agency) for m in kpi.measures]
        reading.scores.append(Score(kpi.code, year, *(parse_value(clean_cell(_cell(row, cols, r))) for r in (
            "achievement", "innovation", "challenge", "contribution")), table.page))
    return objective


def _actual_and_target(cell: str) -> tuple[str, str]:
    """"226,157\\n(115,000)" → ("226,157", "115,000"): the target is the bracketed last line."""
    lines = [line.strip() for line in cell.splitlines() if line.strip()]
    if len(lines) > 1 and re.fullmatch(r"[(（].*[)）]", lines[-1]):
        return clean_cell("\n".join(lines[:-1])), lines[-1][1:-1].strip()
    return clean_cell(cell), ""


def _results_kpi(name: str, objective_heading: tuple[str, str], page: int | None, year: int, reading: DeckReading) -> Kpi:
    """The KPI a results row names: by its printed code, else by name within its objective."""
    objective, objective_name = objective_heading
    if coded := split_kpi_code(name):
        code, name = coded
        found = next((k for k in reading.kpis if k.code == code), None)
        if found:
            return found
    else:
        candidates = [k for k in reading.kpis if k.objective_code == objective and k.measures]
        found = _best_match(name, candidates, lambda k: [k.name], NAME_MATCH)
        if found:
            return found
        code = objective if all(k.code != objective for k in reading.kpis) else f"{objective}.?{len(reading.kpis)}"
        reading.problems.append(Problem("warning", "kpi_code_assumed", name, code, page, code, "kpi"))
    kpi = Kpi(code, name, objective, objective_name, objective[0], None, [
        Measure(1, "", None, "positive", [], "", Value(""), Value(""), page, year)])
    reading.kpis.append(kpi)
    return kpi


def _best_match(text: str, kpis: list[Kpi], fields, match: tuple) -> Kpi | None:
    """The one KPI one of whose `fields` `text` matches clearly, by `match` (scorer, score, margin)."""
    scorer, least, margin = match
    scored = sorted(((max(scorer(squeeze(text), squeeze(f)) for f in fields(k) if f), k) for k in kpis),
                    key=lambda pair: -pair[0])
    if scored and scored[0][0] >= least and (len(scored) == 1 or scored[0][0] - scored[1][0] >= margin):
        return scored[0][1]
    return None


def _read_tasks(table: Table, reading: DeckReading) -> None:
    years = {i: int(m.group(1)) for i, cell in enumerate(table.rows[0]) if (m := YEAR_COLUMN.match(squeeze(cell)))}
    on_page = [k for k in reading.kpis if any(m.page == table.page for m in k.measures)]

    def fields(k: Kpi) -> list[str]:
        m = k.measures[0]
        return [k.name, m.formula] + [p.name for p in m.action_plans]

    for row in table.rows[1:]:
        task = clean_cell(row[1] if len(row) > 1 else None)
        goal = re.split(r"量化目標\s*[:：]", task)[-1]
        cells = {year: clean_cell(row[i]) for i, year in years.items() if i < len(row) and row[i]}
        labelled = {year: LABELLED.findall(text) for year, text in cells.items()}
        if all(len(pairs) > 1 for pairs in labelled.values()) and labelled:
            # "各機關：82.6% 各基金：80.2%": one target per labelled KPI
            for year, pairs in labelled.items():
                for label, text in pairs:
                    kpi = _best_match(label, on_page, lambda k: [k.name], TASK_MATCH)
                    _task_target(kpi, year, text, table.page, task, reading)
            continue
        kpi = _best_match(goal, on_page, fields, TASK_MATCH)
        for year, text in cells.items():
            _task_target(kpi, year, text, table.page, task, reading)


def _task_target(kpi: Kpi | None, year: int, text: str, page: int | None, task: str, reading: DeckReading) -> None:
    if kpi is None:
        return  # a task whose 量化目標 is not one of the KPIs (場次, 案件數 …)
    reading.observations.append(Observation(kpi.code, 1, year, "target", parse_value(text), page, "tasks table", f"task: {task[:60]}"))


def _read_summary(table: Table, reading: DeckReading) -> None:
    cols = _columns(table.rows[0], SUMMARY_COLUMNS)
    themes = [k.theme_code for k in reading.kpis]
    theme = max(set(themes), key=themes.count) if themes else ""

    def number(row, role) -> int | None:
        m = re.match(r"\s*(\d+)", _cell(row, cols, role) or "")
        return int(m.group(1)) if m else None

    for row in table.rows[1:]:
        perspective = squeeze(row[0])
        if perspective:
            letter = next((v for k, v in PERSPECTIVES.items() if perspective.startswith(k)), None)
            reading.perspectives.append(PerspectiveCount(theme, perspective, letter, number(row, "objectives"), number(row, "kpis"),
                                                         number(row, "achieved"), number(row, "missed"), table.page))


def _fill_measures(reading: DeckReading) -> None:
    """Give each KPI a measure for every year printed anywhere; a value the KPI's own table left
    empty is taken from the other tables (the KPI table's own print wins where both print)."""
    by_code = {k.code: k for k in reading.kpis}
    for obs in reading.observations:
        kpi = by_code[obs.kpi_code]
        measure = next((m for m in kpi.measures if m.measure_no == obs.measure_no and m.roc_year == obs.roc_year), None)
        if measure is None:
            template = next(m for m in kpi.measures if m.measure_no == obs.measure_no)
            measure = replace(template, target=Value(""), actual=Value(""), page=obs.page, roc_year=obs.roc_year)
            kpi.measures.append(measure)
            kpi.measures.sort(key=lambda m: (m.measure_no, m.roc_year or 0))
        if getattr(measure, obs.kind).kind == "empty":
            index = kpi.measures.index(measure)
            kpi.measures[index] = replace(measure, **{obs.kind: obs.value})
