"""KPI and action-plan codes: recognise them, split a plan cell into plans, repair misprints.

Codes nest: objective `AC1` → KPI `AC1.1` → action plan `AC1.1.1`. A plan code is expected to be its
KPI's code plus one more number; misprints that lose a leading letter (`F1.1.2` under `FF1.1`) or the
last number (`AC4.2.節電行動方案`) are repaired and reported, a well-formed code that names another
KPI is kept as printed and reported.
"""
from __future__ import annotations

import re

from kpi_scorecard.normalize.records import Problem

KPI_CODE = re.compile(r"^\s*([A-Z]{2}\d+\.\d+)(?![.\d])\s*")
# A plan code as printed: letters, then at least "n.n." with the last number optional (misprints).
PLAN_CODE = re.compile(r"(?<![A-Za-z0-9])([A-Z]{1,3}\d+\.\d+\.(?:\d+)?)[\s:：、.]*")
WELL_FORMED_PLAN = re.compile(r"^[A-Z]{2}\d+\.\d+\.\d+$")


def split_kpi_code(text: str) -> tuple[str, str] | None:
    """("AC1.1", "細懸浮微粒...") when the cell starts with a KPI code."""
    m = KPI_CODE.match(text)
    return (m.group(1), text[m.end():].strip()) if m else None


def split_plans(text: str, kpi_code: str) -> list[tuple[str | None, str]]:
    """A plan cell → [(printed code or None, plan name)].

    A code starts a new plan when it is the cell's first, or of the same family as the first or
    as the KPI; another code is a reference inside a plan's name ("針對 CC1.1.2 所列活動").
    """
    matches: list[re.Match] = []
    for m in PLAN_CODE.finditer(text):
        family = _family(m.group(1))
        if not matches or family in (_family(matches[0].group(1)), kpi_code) or kpi_code.endswith(family):
            matches.append(m)
    plans: list[tuple[str | None, str]] = []
    head = text[: matches[0].start()] if matches else text
    if head.strip():
        plans.append((None, head.strip()))
    for m, nxt in zip(matches, [*matches[1:], None], strict=False):  # each match and the next (None after the last)
        name = text[m.end(): nxt.start() if nxt else len(text)].strip()
        plans.append((m.group(1).rstrip("."), name))
    return plans


def _family(printed: str) -> str:
    """"AC2.1.3" → "AC2.1" (the KPI a plan code names)."""
    return printed.rstrip(".").rsplit(".", 1)[0] if printed.count(".") >= 2 else printed.rstrip(".")


def repair_plan_code(
    printed: str, kpi_code: str, taken: set[str]
) -> tuple[str, Problem | None]:
    """The plan code to store for `printed` under `kpi_code`, and the problem if any.

    `taken` holds the codes already given to this KPI's plans (to number a plan whose number is
    missing: the next free one).
    """
    expected_prefix = kpi_code + "."
    if printed.startswith(expected_prefix) and printed[len(expected_prefix):].isdigit():
        return printed, None
    if printed == kpi_code:  # "AC4.2." printed: the plan number is missing
        fixed = next(f"{expected_prefix}{n}" for n in range(1, len(taken) + 2) if f"{expected_prefix}{n}" not in taken)
        return fixed, Problem("repair", "plan_code_number_missing", printed + ".", fixed, column="plans")
    if WELL_FORMED_PLAN.match(printed):
        return printed, Problem("warning", "plan_code_under_other_kpi", printed, None, column="plans")
    number = printed.rsplit(".", 1)[-1]
    candidate = expected_prefix + number
    if number.isdigit() and candidate.endswith(printed):  # lost leading letter(s): F1.1.2 → FF1.1.2
        return candidate, Problem("repair", "plan_code_truncated", printed, candidate, column="plans")
    return printed, Problem("warning", "plan_code_unrecognised", printed, None, column="plans")
