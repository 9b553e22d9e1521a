"""Scorecard rows → KPIs with their measures; code repairs and review items collected as problems."""
from __future__ import annotations

from dataclasses import replace

from kpi_scorecard.normalize.codes import repair_plan_code, split_kpi_code, split_plans
from kpi_scorecard.normalize.formula import split_formula, split_name
from kpi_scorecard.normalize.layout import EXTRA, split_value_role, value_role
from kpi_scorecard.normalize.records import ActionPlan, Kpi, Measure, Problem, Value
from kpi_scorecard.normalize.stitch import SourceRow
from kpi_scorecard.normalize.text import clean_cell
from kpi_scorecard.normalize.values import parse_value


# Value kinds without a single number, and what their review row says.
REVIEW_KINDS = {
    "compound": "compound_value", "qualitative": "qualitative_value", "none": "no_number_printed",
    "unparsed": "unparsed_number",
}


def rows_to_kpis(rows: list[SourceRow]) -> tuple[list[Kpi], list[Problem]]:
    """One KPI per coded row; an uncoded row is a further measure of the KPI above it.

    A measure's empty formula, plan or agency cell is the merged cell above it, so it inherits them;
    a target or actual is inherited only where the extractor saw a merged cell (None), never from a
    blank one. A row gives one Measure per year its value columns print (a deck prints 109 actuals
    beside 110 targets); they share the measure number.
    """
    kpis: list[Kpi] = []
    problems: list[Problem] = []
    for row in rows:
        kpi_cell = clean_cell(row.cells.get("kpi"))
        if coded := split_kpi_code(kpi_cell):
            code, name = coded
            name, negative_in_name = split_name(name)
            if any(k.code == code for k in kpis):  # printed on two rows: both kept, the second marked
                taken = {k.code for k in kpis}
                fixed = next(f"{code}#{n}" for n in range(2, len(kpis) + 2) if f"{code}#{n}" not in taken)
                problems.append(Problem("repair", "kpi_code_printed_twice", code, fixed, row.page, fixed, "kpi"))
                code = fixed
            kpis.append(Kpi(code, name, row.objective_code, row.objective_name, row.theme.code, row.theme.name))
            if not code.startswith(row.objective_code + "."):
                problems.append(Problem("warning", "kpi_code_outside_objective", code, None, row.page, code, "kpi"))
            previous = []
            kpi_negative = negative_in_name
        elif kpis and kpis[-1].objective_code == row.objective_code:
            last = kpis[-1].measures[-1].measure_no
            previous = [m for m in kpis[-1].measures if m.measure_no == last]
            if kpi_cell:
                problems.append(Problem("warning", "uncoded_kpi_text", kpi_cell, None, row.page, kpis[-1].code, "kpi"))
        else:
            problems.append(Problem("warning", "row_without_kpi", " | ".join(clean_cell(c) for c in row.cells.values()), None, row.page, None, "kpi"))
            continue
        kpi = kpis[-1]
        measures, found = _row_to_measures(row, kpi, previous)
        if kpi_negative:  # the marker printed in the name cell applies to every measure
            measures = [replace(m, direction="negative") for m in measures]
        kpi.measures.extend(measures)
        problems.extend(found)
    return kpis, problems


def _row_to_measures(row: SourceRow, kpi: Kpi, above: list[Measure]) -> tuple[list[Measure], list[Problem]]:
    problems: list[Problem] = []
    previous = above[0] if above else None
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
    extras = {  # a merged cell (None) is the measure above's
        role.removeprefix(EXTRA): clean_cell(text) if text is not None or previous is None else previous.extras.get(role.removeprefix(EXTRA), "")
        for role, text in row.cells.items() if role.startswith(EXTRA)
    }
    number = len({m.measure_no for m in kpi.measures}) + 1
    years = sorted({value[1] for role in row.cells if (value := split_value_role(role))}, key=lambda y: y or 0)
    measures = []
    for year in years:
        same_year = next((m for m in above if m.roc_year == year), None)
        target = _value(row, "target", year, same_year.target if same_year else None, kpi.code, problems)
        actual = _value(row, "actual", year, same_year.actual if same_year else None, kpi.code, problems)
        measures.append(Measure(number, formula, unit, direction, plans, agency, target, actual, row.page, year, row.table, row.row, extras))
    return measures, problems


def _value(row: SourceRow, kind: str, year: int | None, above: Value | None, kpi_code: str, problems: list[Problem]) -> Value:
    role = value_role(kind, year)
    if role not in row.cells:
        return Value("")  # this table prints no such column for the year
    raw = row.cells[role]
    if raw is None and above is not None:
        return above
    value = parse_value(clean_cell(raw))
    if value.kind in REVIEW_KINDS:
        what = REVIEW_KINDS[value.kind]
        problems.append(Problem("warning", what, value.raw, None, row.page, kpi_code, kind))
    return value
