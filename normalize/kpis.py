"""Scorecard rows → KPIs with their measures; code repairs and review items collected as problems."""
from __future__ import annotations

from dataclasses import replace

from normalize.codes import repair_plan_code, split_kpi_code, split_plans
from normalize.formula import split_formula, split_name
from normalize.records import ActionPlan, Kpi, Measure, Problem, Value
from normalize.stitch import SourceRow
from normalize.text import clean_cell
from normalize.values import parse_value


def rows_to_kpis(rows: list[SourceRow]) -> tuple[list[Kpi], list[Problem]]:
    """One KPI per coded row; an uncoded row is a further measure of the KPI above it.

    A measure's empty formula, plan or agency cell is the merged cell above it, so it inherits them;
    a target or actual is inherited only where the extractor saw a merged cell (None), never from a
    blank one.
    """
    kpis: list[Kpi] = []
    problems: list[Problem] = []
    for row in rows:
        kpi_cell = clean_cell(row.cells.get("kpi"))
        if coded := split_kpi_code(kpi_cell):
            code, name = coded
            name, negative_in_name = split_name(name)
            kpis.append(Kpi(code, name, row.objective_code, row.objective_name, row.theme.code, row.theme.name))
            if not code.startswith(row.objective_code + "."):
                problems.append(Problem("warning", "kpi_code_outside_objective", code, None, row.page, code, "kpi"))
            previous = None
            kpi_negative = negative_in_name
        elif kpis and kpis[-1].objective_code == row.objective_code:
            previous = kpis[-1].measures[-1]
            if kpi_cell:
                problems.append(Problem("warning", "uncoded_kpi_text", kpi_cell, None, row.page, kpis[-1].code, "kpi"))
        else:
            problems.append(Problem("warning", "row_without_kpi", " | ".join(clean_cell(c) for c in row.cells.values()), None, row.page, None, "kpi"))
            continue
        kpi = kpis[-1]
        measure, found = _row_to_measure(row, kpi, previous)
        if kpi_negative:  # the marker printed in the name cell applies to every measure
            measure = replace(measure, direction="negative")
        kpi.measures.append(measure)
        problems.extend(found)
    return kpis, problems


def _row_to_measure(row: SourceRow, kpi: Kpi, previous: Measure | None) -> tuple[Measure, list[Problem]]:
    problems: list[Problem] = []
    raw_formula = row.cells.get("formula") or ""
    if raw_formula.strip() or previous is None:
        formula, unit, direction = split_formula(raw_formula)
        formula, unit = clean_cell(formula), clean_cell(unit) or None
    else:
        formula, unit, direction = previous.formula, previous.unit, previous.direction

    plans_text = clean_cell(row.cells.get("plans"))
    taken = {p.code for m in kpi.measures for p in m.action_plans if p.code}
    if plans_text or previous is None:
        plans = []
        for printed, name in split_plans(plans_text, kpi.code):
            if printed is None:
                problems.append(Problem("warning", "plan_without_code", name, None, row.page, kpi.code, "plans"))
                plans.append(ActionPlan(None, name))
                continue
            code, problem = repair_plan_code(printed, kpi.code, taken)
            if problem:
                problems.append(replace(problem, page=row.page, row=kpi.code))
            taken.add(code)
            plans.append(ActionPlan(code, name))
    else:
        plans = list(previous.action_plans)

    agency = clean_cell(row.cells.get("agency")) or (previous.agency if previous else "")
    target = _value(row, "target", previous.target if previous else None, kpi.code, problems)
    actual = _value(row, "actual", previous.actual if previous else None, kpi.code, problems)
    number = len(kpi.measures) + 1
    return Measure(number, formula, unit, direction, plans, agency, target, actual, row.page), problems


def _value(row: SourceRow, role: str, above: Value | None, kpi_code: str, problems: list[Problem]) -> Value:
    raw = row.cells.get(role)
    if raw is None and above is not None:
        return above
    value = parse_value(clean_cell(raw))
    if value.kind in ("compound", "qualitative", "none"):
        what = {"compound": "compound_value", "qualitative": "qualitative_value", "none": "no_number_printed"}[value.kind]
        problems.append(Problem("warning", what, value.raw, None, row.page, kpi_code, role))
    return value
