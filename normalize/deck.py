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

from kpi_scorecard.extract.blocks import Block, Table
from kpi_scorecard.normalize.codes import split_kpi_code
from kpi_scorecard.normalize.layout import DECK_TABLES, squeeze, table_kind
from kpi_scorecard.normalize.recognised import uncertain
from kpi_scorecard.normalize.records import Kpi, Measure, Observation, PerspectiveCount, Problem, Score, Value
from kpi_scorecard.normalize.text import clean_cell
from kpi_scorecard.normalize.values import parse_value

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
        block = block.from_row(header_at)
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
    for r, row in enumerate(table.rows[1:], start=1):
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
        confidence, box = _recognised(table, r, cols.get("value"))
        for kind, text in (("actual", actual_text), ("target", target_text)):
            if text:
                value, problem = uncertain(parse_value(text), confidence, box)
                if problem:
                    reading.problems.append(replace(problem, page=table.page, row=kpi.code, column=kind))
                reading.observations.append(Observation(kpi.code, 1, year, kind, value, table.page, "results table"))
        if agency:
            kpi.measures[:] = [m if m.agency else replace(m, agency=agency) for m in kpi.measures]
        achievement, innovation, challenge, contribution = (parse_value(clean_cell(_cell(row, cols, r))) for r in (
            "achievement", "innovation", "challenge", "contribution"))
        reading.scores.append(Score(kpi.code, year, achievement, innovation, challenge, contribution, table.page))
    return objective


def _recognised(table: Table, row: int, column: int | None) -> tuple[float | None, tuple | None]:
    """A recognised cell's confidence and box (None, None: a text layer's, or no such cell)."""
    if table.confidence is None or column is None or column >= len(table.confidence[row]):
        return None, None
    return table.confidence[row][column], table.boxes[row][column] if table.boxes and column < len(table.boxes[row]) else None


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


@dataclass
class Task:
    """A tasks table row: its text, its 量化目標 and the values it prints per year."""

    text: str
    goal: str
    cells: dict[int, str]

    @property
    def unit(self) -> str | None:
        """'%' or a count word (場次, 件數 …) as the values or the goal print it; None: not said."""
        for text in self.cells.values():
            if "%" in text or "％" in text:
                return "%"
            if m := COUNTED.search(text):
                return m.group(1)
        if RATE.search(self.goal):
            return "%"
        m = COUNT_GOAL.search(self.goal)
        return m.group(1) if m else None


# A tasks row is tied to a KPI of its slide by the first of these that holds, and never to a KPI
# whose unit it does not share (場次 against %):
# - its 量化目標 matches the KPI's name, formula or a plan clearly (TASK_MATCH);
# - the slide prints as many KPI-like tasks as KPIs, the ties made so far keep the slide's order,
#   and the value of a year the KPI's own table prints does not contradict it: the KPI at its place;
# - the value of a year the KPI's own table prints is the same, for this KPI only.
COUNTED = re.compile(r"\d\s*([場次案件人家處個]+)")
RATE = re.compile(r"率|比例|百分比|%|％")
COUNT_GOAL = re.compile(r"(件數|場次|次數|人數|家數|場數|數量|數)$")


def _read_tasks(table: Table, reading: DeckReading) -> None:
    years = {i: int(m.group(1)) for i, cell in enumerate(table.rows[0]) if (m := YEAR_COLUMN.match(squeeze(cell)))}
    on_page = [k for k in reading.kpis if any(m.page == table.page for m in k.measures)]
    tasks = []
    for row in table.rows[1:]:
        text = clean_cell(row[1] if len(row) > 1 else None)
        cells = {year: clean_cell(row[i]) for i, year in years.items() if i < len(row) and row[i]}
        labelled = {year: LABELLED.findall(cell) for year, cell in cells.items()}
        if labelled and all(len(pairs) > 1 for pairs in labelled.values()):
            # "各機關：82.6% 各基金：80.2%": one target per labelled KPI
            tied: dict[str, Kpi | None] = {}
            for year, pairs in labelled.items():
                for label, value in pairs:
                    kpi = tied.setdefault(label, _best_match(label, on_page, lambda k: [k.name], TASK_MATCH))
                    _task_target(kpi, year, value, table.page, text, f"label {label} matches its name", reading)
            reading.problems += [Problem("tie", "task_tied" if kpi else "task_not_tied", text,
                                         f"{kpi.code}: label {label} matches its name" if kpi else f"label {label} matches no KPI's name",
                                         table.page, kpi.code if kpi else None, "tasks") for label, kpi in tied.items()]
            continue
        tasks.append(Task(text, re.split(r"量化目標\s*[:：]", text)[-1], cells))
    ties = _tie_tasks(tasks, on_page)
    for task in tasks:
        kpi, reason = ties.get(id(task), (None, _why_not(task, on_page)))
        reading.problems.append(Problem("tie", "task_tied" if kpi else "task_not_tied", task.text,
                                        f"{kpi.code}: {reason}" if kpi else reason, table.page, kpi.code if kpi else None, "tasks"))
        for year, value in task.cells.items():
            _task_target(kpi, year, value, table.page, task.text, reason, reading)


def _tie_tasks(tasks: list[Task], kpis: list[Kpi]) -> dict[int, tuple[Kpi, str]]:
    """id(task) → (KPI, why) for the tasks tied to a KPI of the slide."""
    ties: dict[int, tuple[Kpi, str]] = {}
    for task in tasks:
        kpi = _best_match(task.goal, kpis, lambda k: [text for _, text in _described_by(k)], TASK_MATCH)
        if kpi and _same_unit(task, kpi):
            score, field = max((TASK_MATCH[0](squeeze(task.goal), squeeze(text)), field) for field, text in _described_by(kpi) if text)
            ties[id(task)] = (kpi, f"its 量化目標 matches the KPI's {field} ({score:.0f})")
    kpi_like = [t for t in tasks if id(t) in ties or any(_same_unit(t, k) for k in kpis)]
    in_order = len(kpi_like) == len(kpis) and all(kpis.index(ties[id(t)][0]) == n for n, t in enumerate(kpi_like) if id(t) in ties)
    taken = {id(kpi) for kpi, _ in ties.values()}
    for n, task in enumerate(kpi_like):
        if id(task) in ties:
            continue
        agreeing = [k for k in kpis if id(k) not in taken and _same_unit(task, k) and _agrees(task, k)]
        if in_order and id(kpis[n]) not in taken and _same_unit(task, kpis[n]) and _agrees(task, kpis[n]) is not False:
            kpi, reason = kpis[n], f"the slide's order: task {n + 1} of {len(kpi_like)}, KPI {n + 1} of {len(kpis)}"
        elif len(agreeing) == 1 and [t for t in kpi_like if id(t) not in ties and _agrees(t, agreeing[0])] == [task]:
            kpi, reason = agreeing[0], "no other KPI of the slide"
        else:
            continue
        if _agrees(task, kpi):
            reason += f"; its {', '.join(map(str, _overlap(task, kpi)))} target is the KPI table's"
        ties[id(task)] = (kpi, reason)
        taken.add(id(kpi))
    return ties


def _described_by(kpi: Kpi) -> list[tuple[str, str]]:
    m = kpi.measures[0]
    return [("name", kpi.name), ("formula", m.formula)] + [("plan", p.name) for p in m.action_plans]


def _kpi_unit(kpi: Kpi) -> str | None:
    m = kpi.measures[0]
    if "%" in (m.unit or "") or "%" in m.formula or "百分比" in (m.unit or "") or RATE.search(kpi.name):
        return "%"
    for measure in kpi.measures:
        for value in (measure.target, measure.actual):
            if "%" in value.raw:
                return "%"
            if counted := COUNTED.search(value.raw):
                return counted.group(1)
    return m.unit or None


def _same_unit(task: Task, kpi: Kpi) -> bool:
    """Both in %, both counted (場次, 萬次 …), or one of them unsaid."""
    a, b = task.unit, _kpi_unit(kpi)
    return a is None or b is None or (a == "%") == (b == "%")


def _kpi_targets(kpi: Kpi) -> dict[int, float]:
    """The targets the KPI's own table prints, per year."""
    return {m.roc_year: m.target.value for m in kpi.measures if m.roc_year and m.target.value is not None}


def _overlap(task: Task, kpi: Kpi) -> dict[int, float]:
    """The task's numbers for the years the KPI's own table prints a target for."""
    targets = _kpi_targets(kpi)
    values = {y: parse_value(text).value for y, text in task.cells.items() if y in targets}
    return {y: v for y, v in values.items() if v is not None}


def _agrees(task: Task, kpi: Kpi) -> bool | None:
    """Whether the task's values are those the KPI's own table prints for the same years;
    None when no year is printed by both."""
    values = _overlap(task, kpi)
    if not values:
        return None
    targets = _kpi_targets(kpi)
    return all(abs(value - targets[y]) < 1e-9 for y, value in values.items())


def _why_not(task: Task, kpis: list[Kpi]) -> str:
    if not task.cells:
        return "no value printed"
    units = {k.code: _kpi_unit(k) for k in kpis}
    if kpis and not any(_same_unit(task, k) for k in kpis):
        return f"its unit ({task.unit}) is none of the slide's KPIs' ({', '.join(f'{c} {u}' for c, u in units.items())})"
    return "its 量化目標 matches no KPI of the slide, and neither its place nor its values tie it to one"


def _task_target(kpi: Kpi | None, year: int, text: str, page: int | None, task: str, reason: str, reading: DeckReading) -> None:
    if kpi is None:
        return  # a task whose 量化目標 is not one of the KPIs (場次, 案件數 …): recorded as a tie problem
    reading.observations.append(Observation(kpi.code, 1, year, "target", parse_value(text), page, "tasks table",
                                            f"tied: {reason}; task: {task[:60]}"))


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
            kpi.measures[index] = replace(measure, target=obs.value) if obs.kind == "target" else replace(measure, actual=obs.value)
