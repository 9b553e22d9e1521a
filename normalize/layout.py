"""Recognise the report's own furniture: theme and objective headings, stated counts, table headers."""
from __future__ import annotations

import re

# "營造永續環境(A)" — a short title ending in a one-letter theme code; TOC lines carry dot leaders.
THEME_HEADING = re.compile(r"^([^\s.…]{2,16})\s*[（(]([A-Z])[)）]$")
# "AC1 提升環境品質" — an objective code not followed by '.' (that would be a KPI code).
OBJECTIVE_HEADING = re.compile(r"^([A-Z]{2}\d+)(?![.\d])\s*([^\s\d.].{0,40})$")
STATED_COUNTS = {
    "objectives": re.compile(r"策略目標\s*[:：]\s*(\d+)\s*項"),
    "kpis": re.compile(r"關鍵績效指標\s*[(（]?\s*KPI\s*[)）]?\s*[:：]\s*(\d+)\s*項"),
    "action_plans": re.compile(r"行動(?:計畫|方案)\s*[:：]\s*(\d+)\s*項"),
}

# Header keywords → column role; matched on the cell text with all whitespace removed.
COLUMN_ROLES = (
    ("kpi", ("關鍵績效指標", "KPI")),
    ("formula", ("公式",)),
    ("plans", ("行動計畫", "行動方案")),
    ("agency", ("主責", "機關")),
    ("target", ("目標值",)),
    ("actual", ("實際值",)),
)
YEAR_IN_HEADER = re.compile(r"(\d{2,3})年")


def squeeze(text: str | None) -> str:
    return re.sub(r"\s+", "", text or "")


def theme_heading(text: str) -> tuple[str, str] | None:
    """(theme_code, theme_name) if the line is a theme heading."""
    m = THEME_HEADING.match(text.strip())
    return (m.group(2), m.group(1)) if m else None


def objective_heading(text: str) -> tuple[str, str] | None:
    """(objective_code, objective_name) if the line is an objective heading."""
    m = OBJECTIVE_HEADING.match(text.strip())
    return (m.group(1), squeeze(m.group(2))) if m else None


def stated_counts(text: str) -> dict[str, int]:
    """Counts a line states, e.g. {'kpis': 23} for "2. 關鍵績效指標(KPI)：23 項"."""
    return {item: int(m.group(1)) for item, rx in STATED_COUNTS.items() if (m := rx.search(text))}


def header_roles(row: list[str | None]) -> dict[str, int] | None:
    """Column index per role if the row is a KPI table header, else None."""
    roles: dict[str, int] = {}
    for index, cell in enumerate(row):
        text = squeeze(cell)
        for role, keywords in COLUMN_ROLES:
            if role not in roles and any(k in text for k in keywords):
                roles[role] = index
                break
    return roles if {"kpi", "target", "actual"} <= roles.keys() else None


def header_year(row: list[str | None], roles: dict[str, int]) -> int | None:
    """The reported year printed in the target/actual header ("110 年目標值" → 110)."""
    for role in ("target", "actual"):
        if m := YEAR_IN_HEADER.search(squeeze(row[roles[role]])):
            return int(m.group(1))
    return None
