"""Scorecard rows → KPIs with their measures; code repairs and review items collected as problems."""
from __future__ import annotations

import re
from dataclasses import replace

from kpi_scorecard.normalize.codes import PLAN_CODE, repair_plan_code, split_kpi_code, split_plans
from kpi_scorecard.normalize.formula import split_formula, split_name
from kpi_scorecard.normalize.layout import EXTRA, split_value_role, value_role
from kpi_scorecard.normalize.records import ActionPlan, Kpi, Measure, Problem, Value
from kpi_scorecard.normalize.stitch import SourceRow, bracket_balance, open_bracket
from kpi_scorecard.normalize.text import clean_cell
from kpi_scorecard.normalize.values import parse_value

# Value kinds without a single number, and what their review row says.
REVIEW_KINDS = {
    "compound": "compound_value", "qualitative": "qualitative_value", "none": "no_number_printed",
    "unparsed": "unparsed_number",
}
# A line of a value cell that is a whole number of its own ("15,000", "2,350,000 (因"), not a
# wrapped note's next line ("7,200 人次瀏") nor a piece of a number broken in a narrow cell
# ("2,350,", "000"): two such lines in one cell are two rows' values.
NUMBER_LINE = re.compile(r"^[<>≦≧≤≥±+\-−]?\s*(?:[1-9]\d{0,2}(?:,\d{3})+|[1-9]\d*|0)(?:\.\d+)?\s*%?\s*(?:[(（].*)?$")
# A whole number a cell begins with, text of its own after it ("3 工務局", "±10 7.14"): where a
# value cell beside it is blank, its number may have been read into this one.
NUMBER_BESIDE = re.compile(r"^[<>≦≧≤≥±+\-−]?\s*(?:[1-9]\d{0,2}(?:,\d{3})+|[1-9]\d*|0)(?:\.\d+)?\s*%?(?=\s+\S)")
# …or ends with, right after a word (a value read into the text column on its left: "衛生局66")
NUMBER_AFTER = re.compile(r"(?<=[\u4e00-\u9fff\s])(?:[1-9]\d{0,2}(?:,\d{3})+|[1-9]\d*|0)(?:\.\d+)?\s*%?$")


def rows_to_kpis(rows: list[SourceRow]) -> tuple[list[Kpi], list[Problem]]:
    """One KPI per coded row; an uncoded row is a further measure of the KPI above it.

    A measure's empty formula, plan or agency cell is the merged cell above it, so it inherits them;
    a target or actual is inherited only where the extractor saw a merged cell (None), never from a
    blank one. A row gives one Measure per year its value columns print (a deck prints 109 actuals
    beside 110 targets); they share the measure number.
    """
    kpis: list[Kpi] = []
    codes: set[str] = set()  # theirs: a code printed twice is found by a look-up, not a walk through every KPI (quadratic on a long report)
    problems: list[Problem] = []
    uncertain = False  # rows of the current KPI were read as one: its later measures' numbers are unsure
    read_as_one: Measure | None = None  # the measure of those rows, whose value cells hold the later rows' numbers
    ordered, joined = _code_rows_with_values(_to_their_kpi(rows))  # id of a row joined → why
    for row in ordered:
        kpi_cell = clean_cell(row.cells.get("kpi"))
        if coded := split_kpi_code(kpi_cell):
            code, printed_name = coded
            name, negative_in_name = split_name(printed_name)
            if code in codes:  # printed on two rows: both kept, the second marked
                fixed = next(f"{code}#{n}" for n in range(2, len(kpis) + 2) if f"{code}#{n}" not in codes)
                problems.append(Problem("repair", "kpi_code_printed_twice", code, fixed, row.page, fixed, "kpi"))
                code = fixed
            codes.add(code)
            kpis.append(Kpi(code, name, row.objective_code, row.objective_name, row.theme.code, row.theme.name))
            if not code.startswith(row.objective_code + "."):
                problems.append(Problem("warning", "kpi_code_outside_objective", code, None, row.page, code, "kpi"))
            previous = []
            kpi_negative = negative_in_name
            # a code printing no value of its own below rows read as one: its values are in theirs
            uncertain = uncertain and not _has_values(row)
        elif kpis and kpis[-1].objective_code == row.objective_code:
            last = kpis[-1].measures[-1].measure_no
            previous = [m for m in kpis[-1].measures if m.measure_no == last]
            if kpi_cell and row.page is not None and kpis[-1].page is not None and row.page > kpis[-1].page:
                # the KPI's cell is merged over its measures: text in it on a later page is its name's
                # rest, printed where the cell goes on (at its foot, cells aligned to the bottom: seed 199)
                printed_name = clean_cell(f"{printed_name}\n{row.cells.get('kpi')}")
                name, negative_in_name = split_name(printed_name)
                kpis[-1].name = name
                if negative_in_name and not kpi_negative:
                    kpi_negative = True
                    kpis[-1].measures[:] = [replace(m, direction="negative") for m in kpis[-1].measures]
                problems.append(Problem("stitch", "kpi_name_rest_below", kpi_cell, None, row.page, kpis[-1].code, "kpi"))
            elif kpi_cell:
                problems.append(Problem("warning", "uncoded_kpi_text", kpi_cell, None, row.page, kpis[-1].code, "kpi"))
        else:
            problems.append(Problem("warning", "row_without_kpi", " | ".join(clean_cell(c) for c in row.cells.values()), None, row.page, None, "kpi"))
            continue
        kpi = kpis[-1]
        several = _several_rows(row)
        measures, found = _row_to_measures(row, kpi, previous)
        if several or uncertain or id(row) in joined:
            # which printed row a value belongs to, and so its measure number, is not certain: no number stored
            what = "rows_read_as_one" if several else "measure_after_rows_read_as_one" if uncertain else joined[id(row)]
            measures = [replace(m, target=_unsure(m.target, read_as_one.target if read_as_one else None),
                                actual=_unsure(m.actual, read_as_one.actual if read_as_one else None)) for m in measures]
            if several:
                read_as_one = measures[0] if measures else None
            found.append(Problem("warning", what, " | ".join(clean_cell(c) for c in row.cells.values() if c), None, row.page, kpi.code, "kpi"))
            uncertain = True
        if kpi_negative:  # the marker printed in the name cell applies to every measure
            measures = [replace(m, direction="negative") for m in measures]
        kpi.measures.extend(measures)
        problems.extend(found)
    for kpi in kpis:
        kpi.measures[:] = _formula_closed_below(_merged_at_foot(kpi.measures))
    return kpis, problems


def _merged_at_foot(measures: list[Measure]) -> list[Measure]:
    """The measures, those before the first to print a formula, plans or agency given that
    measure's: a merged cell printed at its foot (cells aligned to the bottom) leaves the rows
    above it blank. Text only: a value is never moved."""
    fields = (("formula", "unit", "direction"), ("action_plans",), ("agency",))
    out = list(measures)
    for names in fields:
        printed = next((m for m in out if getattr(m, names[0])), None)
        if printed is not None and not getattr(out[0], names[0]):
            out = [replace(m, **{n: getattr(printed, n) for n in names}) if not getattr(m, names[0]) else m for m in out]
    return out


def _formula_closed_below(measures: list[Measure]) -> list[Measure]:
    """The measures, a formula cell merged over them whose text a page break parted joined again:
    the first measures' formula leaves a bracket open, a later measure's (printed beside the rows
    at the next page's foot, cells aligned to the bottom, no rule to tell) closes it (seed 179), or
    a measure on that later page, above it, printed no formula of its own (the first part is its
    merged cell's, seed 199); every measure holds one of the two. Text only: a value is never moved."""
    formulas = [m.formula for m in measures]
    parts = list(dict.fromkeys(formulas))
    if len(parts) != 2 or formulas != sorted(formulas, key=parts.index):
        return measures
    upper, lower = (next(m for m in measures if m.formula == f) for f in parts)
    merged_on = upper.page is not None and lower.page is not None and upper.page < lower.page and any(
        m.formula == upper.formula and m.page == lower.page for m in measures)
    if not (open_bracket(parts[0]) and bracket_balance(parts[1]) < 0 or merged_on):
        return measures
    formula = clean_cell(f"{upper.formula}\n{lower.formula}")
    direction = "negative" if "negative" in (upper.direction, lower.direction) else lower.direction
    return [replace(m, formula=formula, unit=lower.unit or upper.unit, direction=direction) for m in measures]


def _code_rows_with_values(rows: list[SourceRow]) -> tuple[list[SourceRow], dict[int, str]]:
    """The rows, a KPI's coded row that prints no value joined with the uncoded row below it that
    does (the code's row parted at a line inside it, or a first measure printing no value: which,
    the page does not tell), and the ids of the rows so joined, each with why. So is an uncoded row
    without values above one printing values and no formula or plans of its own (a centred row
    parted: its formula and plans at the top, its agency and values at its middle), and a coded row
    whose values the uncoded row below it complements (_parted_values)."""
    out: list[SourceRow] = []
    joined: dict[int, str] = {}
    for row in rows:
        upper = out[-1] if out else None
        if (upper is not None and (not _has_values(upper) or _parted_values(upper, row)) and not clean_cell(row.cells.get("kpi"))
                and _has_values(row) and upper.objective_code == row.objective_code
                and ((coded := split_kpi_code(clean_cell(upper.cells.get("kpi")))) or _only_values(row))):
            out[-1] = replace(row, cells={role: _joined(upper.cells.get(role), text) for role, text in row.cells.items()})
            joined[id(out[-1])] = ("values_parted_over_rows" if _has_values(upper) else "code_row_without_values" if coded
                                   else "row_without_values_above_its_values")
        else:
            out.append(row)
    return out, joined


def _parted_values(upper: SourceRow, lower: SourceRow) -> bool:
    """Whether a coded row prints some value cells and the row below it exactly the others: one
    row's values parted (cells printed at its top beside others at its foot, seed 201), not two
    measures each leaving one blank."""
    roles = [role for role in lower.cells if split_value_role(role)]
    above = {role for role in roles if clean_cell(upper.cells.get(role))}
    below = {role for role in roles if clean_cell(lower.cells.get(role))}
    return bool(split_kpi_code(clean_cell(upper.cells.get("kpi")))) and not above & below and above | below == set(roles)


def _only_values(row: SourceRow) -> bool:
    """Whether a row prints no formula and no plans of its own."""
    return not clean_cell(row.cells.get("formula")) and not clean_cell(row.cells.get("plans"))


def _several_rows(row: SourceRow) -> bool:
    """Whether a row's value cells print two or more rows' values (rows without a rule between
    them read as one): a cell with two values of their own (_values_begun)."""
    return any(_values_begun(text or "") > 1 for role, text in row.cells.items() if split_value_role(role))


def _values_begun(text: str) -> int:
    """How many lines of a value cell begin a value of their own: a whole number (NUMBER_LINE) on
    the cell's first line or right after a value ended (a number's line, a closed note), outside any
    bracket (not "7,200" inside a note a narrow cell wraps, nor "100" under its label "公彩")."""
    count, depth, ended = 0, 0, True
    for line in (line.strip() for line in text.split("\n")):
        if not line:
            continue
        number = bool(NUMBER_LINE.match(line))
        count += number and depth == 0 and ended
        depth = max(0, depth + line.count("(") + line.count("（") - line.count(")") - line.count("）"))
        ended = depth == 0 and (number or line.endswith((")", "）")))
    return count


def _unsure(value: Value, holder: Value | None = None) -> Value:
    """A value whose row is uncertain: its raw text kept, no number; a blank one takes the raw text
    of the cell its number was read into (`holder`, rows read as one)."""
    if not value.raw.strip() and holder is not None and holder.raw.strip():
        return replace(value, raw=holder.raw, value=None, op=None, kind="unparsed")
    return value if value.value is None else replace(value, value=None, op=None, kind="unparsed")


def _to_their_kpi(rows: list[SourceRow]) -> list[SourceRow]:
    """The rows, with the uncoded rows right above a coded one put under its KPI where the first
    of them prints only plan codes of that KPI and the others print those or share its merged plan
    cell (a code centred in its merged cell sits beside a later line). A row without values of its
    own, or whose plan's name runs on below it, is the upper part of the row below it, whose cells
    it begins; the others are measures of their own, the first the KPI's first, so the code moves up to it."""
    out: list[SourceRow] = []
    for row in rows:
        coded = split_kpi_code(clean_cell(row.cells.get("kpi")))
        first = len(out)
        while coded and first > 0 and not clean_cell(out[first - 1].cells.get("kpi")) and out[first - 1].objective_code == row.objective_code and (
                out[first - 1].cells.get("plans") is None or _plan_kpis(out[first - 1]) == {coded[0]}):
            first -= 1
        while first < len(out) and _plan_kpis(out[first]) != {coded[0] if coded else ""}:
            first += 1  # the chain begins at a row printing the KPI's plan codes
        pieces, out[first:], upper = [*out[first:], row], [], None
        for n, printed in enumerate(pieces):  # runs on: judged by the cells each piece printed itself
            piece = printed if upper is None else replace(
                printed, cells={role: _joined(upper.cells.get(role), text) for role, text in printed.cells.items()})
            upper = piece if n + 1 < len(pieces) and _runs_on(printed, pieces[n + 1]) else None
            if upper is None:
                out.append(piece)
        if len(out) - first > 1:  # measures of their own above the code's line
            out[first] = replace(out[first], cells={**out[first].cells, "kpi": row.cells["kpi"]})
            out[-1] = replace(out[-1], cells={**out[-1].cells, "kpi": ""})
    return out


def _runs_on(upper: SourceRow, lower: SourceRow) -> bool:
    """Whether `upper` is the upper part of the row `lower` (a row segmented at a line inside it):
    it prints no values, or the plan it names runs on in `lower` (a plan cell not starting with a code),
    or `lower` prints nothing but its KPI's name, under cells merged over both (a bottom-aligned name)."""
    plans = clean_cell(lower.cells.get("plans"))
    return (not _has_values(upper) or bool(clean_cell(upper.cells.get("plans")) and plans and not PLAN_CODE.match(plans))
            or all(text is None for role, text in lower.cells.items() if role != "kpi"))


def _has_values(row: SourceRow) -> bool:
    return any(clean_cell(text) for role, text in row.cells.items() if split_value_role(role))


def _joined(upper: str | None, lower: str | None) -> str | None:
    if upper is None or not upper.strip():
        return lower
    return upper if lower is None or not lower.strip() else f"{upper}\n{lower}"


def _plan_kpis(row: SourceRow) -> set[str]:
    """The KPIs the plan codes printed in a row's plan cell name."""
    return {m.group(1).rstrip(".").rsplit(".", 1)[0] for m in PLAN_CODE.finditer(clean_cell(row.cells.get("plans")))}


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
    if raw is not None and not raw.strip() and (beside := _numbers_beside(row, role)):
        # never a blank where a number was printed: its raw text and a warning, no number
        problems.append(Problem("warning", "number_read_beside_its_column", beside, None, row.page, kpi_code, kind))
        return Value(beside, kind="unparsed")
    if value.kind in REVIEW_KINDS:
        what = REVIEW_KINDS[value.kind]
        problems.append(Problem("warning", what, value.raw, None, row.page, kpi_code, kind))
    return value


def _numbers_beside(row: SourceRow, role: str) -> str:
    """The whole numbers the row's other cells begin with (NUMBER_BESIDE) or its text cells end
    with (NUMBER_AFTER), joined."""
    found = [m.group(0).strip() for other, text in row.cells.items()
             if other != role and text and ((m := NUMBER_BESIDE.match(text.strip()))
                                            or (not split_value_role(other) and (m := NUMBER_AFTER.search(text.strip()))))]
    return " | ".join(found)
