"""Recognise the report's own furniture: theme and objective headings, stated counts, table headers."""
from __future__ import annotations

import re
from functools import lru_cache

# "營造永續環境(A)" — a short title ending in a one-letter theme code; TOC lines carry dot leaders.
THEME_TITLE = r"([^\s.…]{2,16})\s*[（(]([A-Z])[)）]"  # groups: name, letter
THEME_HEADING = re.compile(f"^{THEME_TITLE}$")
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
)
VALUE_KINDS = (("actual", ("實際值",)), ("target", ("目標值",)))
YEAR_IN_HEADER = re.compile(r"(\d{2,3})年")
# "110年目標" / "110年度實際": a value column named by its year without 值 (or its 值 cut off, as a
# heading row split by a page break leaves it)
YEAR_VALUE_NAME = re.compile(r"^\d{2,3}年度?(目標|實際)$")
ROW_CODE = re.compile(r"[A-Z]{2}\d+\.\d+")  # a KPI or plan code opens a body row, never a header cell
# The other tables of the family, by the header cells each must have (a cell's text, whitespace
# removed, contains the keyword). A header takes the first signature it has every cell of, so the
# more specific comes first (a summary's 策略目標數 also contains an overview's 策略目標).
TABLE_SIGNATURES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("summary", ("構面", "策略目標數", "KPI個數", "達成數")),  # … | 未達成數 | 達成率
    ("results", ("策略目標", "主責", "KPI", "實際值", "達成度")),  # … | 創新度 | 挑戰度 | 貢獻度
    ("tasks", ("主要施政重點", "主要任務")),  # … | 110 | 111 ...
    ("overview", ("構面", "策略目標")),  # the report's objectives by perspective
    ("strategy_map", ("使命", "願景")),  # the report's strategy map
)
DECK_TABLES = ("summary", "results", "tasks")  # read by normalize/deck.py
NOT_READ = ("overview", "strategy_map")  # the report's own furniture: known, nothing to read


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


def table_kind(rows: list[list[str | None]]) -> tuple[str | None, int]:
    """(kind, index of its header row) of a table, by the header cells of its first or second row
    (a caption row may come first): 'kpi', one of TABLE_SIGNATURES' kinds, or (None, 0)."""
    for index, row in enumerate(rows[:2]):
        cells = [squeeze(cell) for cell in row]
        for kind, keywords in TABLE_SIGNATURES:
            if all(any(keyword in cell for cell in cells) for keyword in keywords):
                return kind, index
        if header_roles(row):
            return "kpi", index
    return None, 0


def value_role(kind: str, year: int | None) -> str:
    return f"{kind} {year}" if year else kind


EXTRA = "extra:"  # the role of an extra column: this prefix, then its header text


def extra_role(header: str) -> str:
    return EXTRA + header


def split_value_role(role: str) -> tuple[str, int | None] | None:
    """("target", 110) for "target 110"; None for a text column's role."""
    kind, _, year = role.partition(" ")
    if kind not in ("target", "actual"):
        return None
    return kind, int(year) if year else None


def header_roles(row: list[str | None]) -> dict[str, int] | None:
    """Column index per role if the row reads as a KPI table header, else None (table_kind tells
    it from the other tables' headers first).

    Value columns get roles like "target 110" / "actual 109": the year printed in their header
    ("110 年目標值"), or the one year the other value columns print.
    """
    roles = _header_roles(tuple(row))  # asked of every row, the header rows many times
    return dict(roles) if roles is not None else None


@lru_cache(maxsize=1024)
def _header_roles(row: tuple[str | None, ...]) -> dict[str, int] | None:
    roles: dict[str, int] = {}
    values: list[tuple[str, int | None, int]] = []
    for index, cell in enumerate(row):
        text = squeeze(cell)
        if ROW_CODE.match(text):
            return None  # a body row that names the header's words (a formula's "KPI", a note's "目標值")
        # a name's words with a neighbour's year read into them ("110年目標110值") are still its words
        words = re.sub(r"\d+", "", text)
        if len(YEAR_IN_HEADER.findall(text)) > 1 or sum(any(w in words for w in keywords) for _, keywords in VALUE_KINDS) > 1:
            return None  # two value columns read as one ("110年目標值110年實際值"): no cell of it can be trusted
        kind = next((k for k, keywords in VALUE_KINDS if any(w in words for w in keywords)), None)
        if not kind and (named := YEAR_VALUE_NAME.match(text)):
            kind = "target" if named.group(1) == "目標" else "actual"
        if kind:
            printed = YEAR_IN_HEADER.search(text)
            values.append((kind, int(printed.group(1)) if printed else None, index))
            continue
        role = next((r for r, keywords in COLUMN_ROLES if r not in roles and any(k in text for k in keywords)), None)
        if role:
            roles[role] = index
        elif text:  # a column beside the table's own (達成率, 備註 …): its text is kept, never read as a value
            roles.setdefault(extra_role(text), index)
    if "kpi" not in roles or not values:
        return None
    years = {year for _, year, _ in values if year}
    only = next(iter(years)) if len(years) == 1 else None
    for kind, year, index in values:
        roles[value_role(kind, year or only)] = index
    return roles


# Why a row that reads as a KPI table's header (at least two of its column names) cannot be read.
KPI_HEADER_WORDS = ("關鍵績效指標", "公式", "行動計畫", "主責", "目標值", "實際值")


def header_problem(row: list[str | None]) -> str | None:
    """The reason a KPI table's header cannot be read ('kpi_header_…'), or None when the row is
    no KPI header or a readable one."""
    cells = [squeeze(cell) for cell in row]
    if sum(any(word in cell for cell in cells) for word in KPI_HEADER_WORDS) < 2 or header_roles(row) is not None:
        return None
    if any(len(YEAR_IN_HEADER.findall(c)) > 1 or sum(any(w in c for w in words) for _, words in VALUE_KINDS) > 1 for c in cells):
        return "kpi_header_value_columns_merged"
    if not any(any(w in c for w in words) for c in cells for _, words in VALUE_KINDS):
        return "kpi_header_without_target_or_actual"
    return "kpi_header_without_kpi_column"


def header_years(roles: dict[str, int], kind: str) -> set[int]:
    """The years a KPI table header prints `kind` ('target' or 'actual') values for."""
    return {year for role in roles if (value := split_value_role(role)) and value[0] == kind and (year := value[1])}
