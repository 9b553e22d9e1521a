"""Formula cell → formula text, unit (after 單位：) and direction (負向指標 = lower is better)."""
from __future__ import annotations

import re

from kpi_scorecard.normalize.text import unwrap

NEGATIVE = re.compile(r"[(（]?\s*負向指標\s*[)）]?")
_UNIT_END = (
    r"(?=\s*\n"  # the end of its line
    r"|\s+[^\s:：]+(?:\s[^\s:：]+)?[:：]"  # the next "label：" in a dump whose lines were joined
    r"|\s+[\u4e00-\u9fff]{4}"  # a sentence: a note printed after the unit
    r"|[(（][^)）]*[:：%年][^)）]*[)）]"  # a parenthesised note "(權重：50%)", "(106年為基期年)"
    r"|\s*$)"
)
# a unit whose bracket a narrow cell broke onto the next line ("單位：床數(累" over "計)"): one line again
BROKEN_UNIT = re.compile(r"(單位\s*[:：]\s*[^\n()（）]*[(（][^\n)）]*)\s*\n+\s*([^\n)）]*[)）])")
UNIT = re.compile(r"[(（]\s*單位\s*[:：]\s*([^()（）\n]+?)\s*[)）]|單位\s*(?:[:：]\s*|(?=[%‰]))(.+?)" + _UNIT_END)


def split_formula(text: str) -> tuple[str, str | None, str]:
    """(formula, unit, direction) of a formula cell as extracted (line breaks kept).

    A unit ends with its paragraph; the unit clause is taken out of the formula, notes printed
    around it stay in the formula.
    """
    text = BROKEN_UNIT.sub(r"\1\2", unwrap(text))
    direction = "negative" if NEGATIVE.search(text) else "positive"
    text = NEGATIVE.sub(" ", text)
    units = [(m.group(1) or m.group(2)).strip().strip("「」") for m in UNIT.finditer(text)]
    formula = UNIT.sub(" ", text)
    return formula, "; ".join(dict.fromkeys(u for u in units if u)) or None, direction


def split_name(text: str) -> tuple[str, bool]:
    """A KPI name without a 負向指標 marker printed in it, and whether it had one."""
    return NEGATIVE.sub("", text).strip(), bool(NEGATIVE.search(text))
