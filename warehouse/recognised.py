"""A document read by OCR, checked against what the warehouse already holds for the same KPI code
before it is loaded (normalize/recognised.py did what the document alone tells).

- A KPI name, formula, action plans or agency close to the spelling the latest other document
  gave the same code (rapidfuzz ratio ≥ SNAP_SCORE) is taken in that spelling: OCR misreads a
  character or two (劑減 for 削減); each snap is a `repairs` row with both texts and the score.
  Never across codes.
- An agency near one of the closed list (normalize/recognised.py's, with the agencies the
  warehouse holds from other documents) and no other is taken in its spelling, a `repairs` row.
- A target or actual an order of magnitude (×10 or more) off every value that code's history has
  for it is left unread (NULL, raw text kept) with a `warning`: a digit lost or gained.
"""
from __future__ import annotations

from dataclasses import replace

import duckdb
from rapidfuzz import fuzz

from kpi_scorecard.normalize.codes import WELL_FORMED_PLAN
from kpi_scorecard.normalize.recognised import known_agencies, snap_agency
from kpi_scorecard.normalize.records import ActionPlan, Kpi, Measure, Problem, Scorecard, Value

SNAP_SCORE = 85.0
MAGNITUDE = 10.0


def is_recognised(scorecard: Scorecard) -> bool:
    """Whether any value of the scorecard was read from a page image."""
    return any(v.confidence is not None for k in scorecard.kpis for m in k.measures for v in (m.target, m.actual))


def check_against_history(con: duckdb.DuckDBPyConnection, scorecard: Scorecard, doc_id: str) -> Scorecard:
    """The scorecard with earlier spellings snapped, agencies read against the closed list and
    values off their history left unread; unchanged when it was not recognised."""
    if not is_recognised(scorecard):
        return scorecard
    earlier = _earlier(con, doc_id)
    problems: list[Problem] = []
    kpis = [_checked(kpi, earlier.get(kpi.code), problems) for kpi in scorecard.kpis]
    agencies = _agencies(con, doc_id)
    kpis = [replace(kpi, measures=[_known_agency(m, kpi, agencies, problems) for m in kpi.measures]) for kpi in kpis]
    return replace(scorecard, kpis=kpis, problems=scorecard.problems + problems) if problems else scorecard


def _agencies(con: duckdb.DuckDBPyConnection, doc_id: str) -> tuple[str, ...]:
    """The closed list of agencies: those the bundled reports print and those the warehouse holds
    from other documents."""
    held = con.execute("SELECT DISTINCT agency FROM measures WHERE document_id <> ? AND agency IS NOT NULL AND length(agency) <= 8",
                       [doc_id]).fetchall()
    return tuple(sorted(set(known_agencies()) | {a for (a,) in held if a}))


def _known_agency(m: Measure, kpi: Kpi, agencies: tuple[str, ...], problems: list[Problem]) -> Measure:
    """The measure with its agency in the closed list's spelling, where one alone is near it."""
    if not m.agency or not (snapped := snap_agency(m.agency, agencies)):
        return m
    problems.append(Problem("repair", f"ocr_agency (score {snapped[1]:.0f})", m.agency, snapped[0], m.page, kpi.code, "agency"))
    return replace(m, agency=snapped[0])


def _earlier(con: duckdb.DuckDBPyConnection, doc_id: str) -> dict[str, dict]:
    """Per KPI code: its name as the latest other document printed it, per measure number its
    formula, plans and agency as printed there (a KPI's measures differ in them: a text is never
    taken from another measure), and every number its history gives for targets and actuals."""
    rows = con.execute("""
        SELECT m.kpi_code, m.measure_no, k.kpi_name, m.formula, m.action_plans, m.agency, m.target_value, m.actual_value
        FROM measures AS m
        JOIN documents AS d USING (document_id)
        LEFT JOIN kpis AS k ON k.document_id = m.document_id AND k.kpi_code = m.kpi_code
        WHERE m.document_id <> ?
        ORDER BY m.kpi_code, d.roc_year DESC, d.loaded_at DESC, m.measure_no
    """, [doc_id]).fetchall()
    out: dict[str, dict] = {}
    for code, measure_no, name, formula, plans, agency, target, actual in rows:
        entry = out.setdefault(code, {"name": name, "measures": {}, "numbers": []})
        entry["measures"].setdefault(measure_no, {"formula": formula, "plans": plans, "agency": agency})
        entry["numbers"] += [abs(v) for v in (target, actual) if v]
    return out


def _checked(kpi: Kpi, earlier: dict | None, problems: list[Problem]) -> Kpi:
    if earlier is None:
        return kpi
    name = _snap(kpi.name, earlier["name"], kpi, "name", problems)
    return replace(kpi, name=name, measures=[
        _checked_measure(m, kpi, {**earlier["measures"].get(m.measure_no, {}), "numbers": earlier["numbers"]}, problems)
        for m in kpi.measures])


def _checked_measure(m: Measure, kpi: Kpi, earlier: dict, problems: list[Problem]) -> Measure:
    formula = _snap(m.formula, earlier.get("formula"), kpi, "formula", problems, m.page)
    agency = _snap(m.agency, earlier.get("agency"), kpi, "agency", problems, m.page)
    plans = m.action_plans
    printed = "\n".join(map(str, plans))
    if (snapped := _snap(printed, earlier.get("plans"), kpi, "plans", problems, m.page)) != printed:
        plans = [ActionPlan(*parts) if WELL_FORMED_PLAN.match((parts := line.split(" ", 1))[0]) and len(parts) == 2
                 else ActionPlan(None, line) for line in snapped.split("\n")]
    target = _in_history(m.target, earlier["numbers"], kpi, "target", problems, m.page)
    actual = _in_history(m.actual, earlier["numbers"], kpi, "actual", problems, m.page)
    return replace(m, formula=formula, agency=agency, action_plans=plans, target=target, actual=actual)


def _snap(text: str, before: str | None, kpi: Kpi, column: str, problems: list[Problem], page=None) -> str:
    if not text or not before or text == before:
        return text
    score = fuzz.ratio(text, before)
    if score < SNAP_SCORE:
        return text
    problems.append(Problem("repair", f"ocr_earlier_spelling (score {score:.0f})", text, before, page or kpi.page,
                            kpi.code, column))
    return before


def _in_history(value: Value, numbers: list[float], kpi: Kpi, kind: str, problems: list[Problem], page) -> Value:
    if value.value is None or value.kind != "number" or not value.value or not numbers:
        return value
    number = abs(value.value)
    if all(max(number, n) / min(number, n) >= MAGNITUDE for n in numbers):
        problems.append(Problem("warning", "ocr_magnitude_break", value.raw, None, page, kpi.code, kind))
        return Value(value.raw, None, None, "OCR: an order of magnitude off this KPI's history", "unparsed",
                     value.confidence, value.box)
    return value
