"""Blocks → scorecard rows: tables joined across pages, headings carried, repeated headers dropped.

A KPI table that starts on a new page without a heading before it continues the previous one. Its
repeated header row goes; its first row, when it carries no KPI code and does not start a measure of
its own, is the rest of the row the page break cut, and is joined back cell by cell.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from kpi_scorecard.extract.blocks import Block, Table
from kpi_scorecard.normalize.codes import KPI_CODE, PLAN_CODE
from kpi_scorecard.normalize.layout import (
    header_problem,
    header_roles,
    header_years,
    objective_heading,
    split_value_role,
    squeeze,
    stated_counts,
    table_kind,
    theme_heading,
)
from kpi_scorecard.normalize.records import Problem
from kpi_scorecard.normalize.text import clean_cell
from kpi_scorecard.normalize.values import parse_value

Cells = dict[str, str | None]  # column role → cell text ('\n' between lines); None: under a merged cell


@dataclass
class Theme:
    code: str
    name: str | None
    stated: dict[str, int] = field(default_factory=dict)


@dataclass
class SourceRow:
    """One printed table row, whole again, with the headings it sits under."""

    cells: Cells
    page: int | None
    theme: Theme
    objective_code: str
    objective_name: str
    table: int | None = None  # an office file's table number (Table.number) and the row's number in it
    row: int | None = None


@dataclass
class Stitched:
    rows: list[SourceRow]
    themes: list[Theme]
    years: list[int]  # the years each KPI table reports actuals for (else targets for), in order
    problems: list[Problem]


def blocks_to_rows(blocks: list[Block]) -> Stitched:
    """Walk the blocks in reading order and emit whole rows under their theme and objective."""
    out = Stitched(rows=[], themes=[], years=[], problems=[])
    theme: Theme | None = None
    objective: tuple[str, str] | None = None
    last_page: int | None = None
    last: Table | None = None  # the last KPI table, and its column roles
    last_roles: dict[str, int] = {}
    continuing = False  # the next KPI table continues the last one (no heading in between)
    last_header: list[str | None] | None = None  # the header row the last KPI table printed
    blank_at_foot: Cells | None = None  # the last KPI table's last row, printed blank (cut at the page's foot)
    for block in blocks:
        if not isinstance(block, Table):
            text = block.text
            if found := theme_heading(text):
                theme = Theme(*found)
                out.themes.append(theme)
                objective, continuing = None, False
            elif theme and (counts := stated_counts(text)):
                theme.stated.update(counts)
                continuing = False
            elif found := objective_heading(text):
                if theme is None:
                    # no theme heading read (a --pages range): the code's first letter names the theme
                    theme = Theme(found[0][0], None)
                    out.themes.append(theme)
                objective, continuing = found, False
            continue
        new_page = block.page is None or block.page != last_page
        kind, header_at = table_kind(block.rows)
        roles = header_roles(block.rows[header_at]) if kind == "kpi" else None
        if roles is None and kind is None and continuing and new_page and _same_columns(block, last):
            roles, header_at = last_roles, -1  # the table goes on without repeating its header row
        elif roles is None:
            if kind is None and any(squeeze(c) for row in block.rows for c in row):
                # a KPI table's header it cannot read costs that table, with the reason, never the document
                what = next((r for row in block.rows[:2] if (r := header_problem(row))), "table_not_recognised")
                shown = block.rows[:2] if what != "table_not_recognised" else block.rows[:1]
                out.problems.append(Problem("skipped_table", what, _row_text(shown), page=block.page))
            continuing = False  # another kind of table (strategy map, contents, a deck's) ends the flow
            continue
        else:
            out.years.extend(sorted(header_years(roles, "actual") or header_years(roles, "target")))
        if theme is None or objective is None:
            out.problems.append(Problem("warning", "table_without_heading", _row_text(block.rows[header_at + 1 :]), page=block.page))
            continue
        data = [(number, row) for number, row in enumerate(block.rows, 1) if number > header_at + 1 and header_roles(row) is None]
        whole_rows = block.number is not None  # an office file's rows are never cut by a page break
        if header_at >= 0 and continuing and new_page and not whole_rows and out.rows and last_header is not None:
            # a cut row's rest printed right under the repeated header can read as its names' last line
            if rest := _below_header(block.rows[header_at], last_header, roles):
                _join(out.rows, rest, block.page, out.problems)
        cut_blank, blank_at_foot = (blank_at_foot if continuing and new_page and not whole_rows else None), None
        for index, (number, row) in enumerate(data):
            cells = {role: (row[i] if i < len(row) else "") for role, i in roles.items()}
            if not any(squeeze(c) for c in cells.values()):
                if index == len(data) - 1 and index > 0:  # under a row it can be merged with
                    blank_at_foot = cells
                continue
            if (index == 0 and cut_blank is not None and out.rows and not KPI_CODE.match(squeeze(cells.get("kpi")))
                    and not _is_rest_of_cut_row(cells, out.rows[-1].cells)):
                # the page's foot cut a row before it printed anything (cells aligned to the bottom):
                # its text under a cell merged from above is that merged cell's rest (seed 170)
                merged = {role: cell for role, cell in cells.items() if cut_blank.get(role, "") is None and not split_value_role(role)}
                _join(out.rows, merged, block.page, out.problems)
                cells = {role: None if role in merged else cell for role, cell in cells.items()}
            # a page-top plan cell merged over the next measure too is the rest of the merged cell the
            # page break cut, not a plan of its own (seeds 213, 227: CP2.1.6-7 under CP2.1's 3 measures)
            spanning = index == 0 and len(data) > 1 and "plans" in roles and _under_merged(data[1][1], roles["plans"])
            if index == 0 and continuing and new_page and not whole_rows and out.rows and _is_rest_of_cut_row(
                    cells, out.rows[-1].cells, spanning):
                values = {role: cell for role, cell in cells.items() if split_value_role(role)}
                if not _own_numbers(values, out.rows[-1].cells):
                    _join(out.rows, cells, block.page, out.problems)
                    continue
                # merged cells go on beside a measure of their own (LibreOffice moves the row whole);
                # a plan code, an agency or an extra column it prints begins that measure's own (seed 174:
                # CC1.1.2, 文化局, 達成)
                own = {role for role in cells if role not in values and not (spanning and role == "plans")
                       and _begins_own(role, cells[role], out.rows[-1].cells.get(role))}
                _join(out.rows, {role: cell for role, cell in cells.items() if role not in values and role not in own}, block.page, out.problems)
                joined = {role for role in cells if role not in values and role not in own and squeeze(cells[role])}
                cells = {role: None if role in joined else cell for role, cell in cells.items()}
            out.rows.append(SourceRow(cells, block.page, theme, *objective, block.number, number if whole_rows else None))
        if header_at >= 0:
            last_header = block.rows[header_at]
        continuing, last_page, last, last_roles = True, block.page, block, roles
    return out


def _below_header(header: list[str | None], before: list[str | None], roles: dict[str, int]) -> Cells:
    """Per role, the lines a repeated header's cell prints beyond the same cell of the header
    before it (whose lines it starts with): text of the row cut above, not the column's name."""
    rest: Cells = {}
    for role, i in roles.items():
        if i >= len(header) or i >= len(before) or not header[i] or not before[i]:
            continue
        lines, name = (header[i] or "").split("\n"), squeeze(before[i])
        for n in range(1, len(lines)):
            if squeeze("".join(lines[:n])) == name:
                rest[role] = "\n".join(lines[n:]).strip("\n")
                break
    return {role: text for role, text in rest.items() if squeeze(text)}


def _same_columns(table: Table, last: Table | None, tolerance: float = 0.05) -> bool:
    """Whether `table` has the columns of `last`, the KPI table before it: as many cells a row,
    and (where both were printed) the same left edge. Not the right: a table without rules ends
    where its text does, a zebra band at the page's side (seed 125: 748 against 799 pt)."""
    if last is None or {len(row) for row in table.rows} != {len(last.rows[-1])}:
        return False
    if table.bbox is None or last.bbox is None:
        return True
    return abs(table.bbox[0] - last.bbox[0]) <= tolerance * (last.bbox[2] - last.bbox[0])


def _under_merged(row: list[str | None], column: int) -> bool:
    """Whether a row's cell in `column` lies under a merged cell from above."""
    return column < len(row) and row[column] is None


def _is_rest_of_cut_row(cells: Cells, above: Cells, spanning: bool = False) -> bool:
    """A page-top row is the rest of a cut row unless it starts a KPI or a measure of its own.

    The rest of a KPI's name (text without a code), a blank target, or a cell that closes a bracket
    its cell above left open ("衛生局 (社會" above "局)") means a cut row. A measure of its own prints its target, plus
    an agency or a plan code of its own (not in a plan cell `spanning` the next row too), or nothing
    but numbers (a sub-row under merged KPI/formula/plan cells).
    """
    text = {role: squeeze(cell) for role, cell in cells.items()}
    if KPI_CODE.match(text.get("kpi", "")):
        return False
    kinds = {role: split[0] for role in text if (split := split_value_role(role))}
    targets = any(text[role] for role, kind in kinds.items() if kind == "target")
    if text.get("kpi") or not targets or any(text[role] and open_bracket(above.get(role)) for role in text):
        return True
    own_measure = (
        text.get("agency")
        or not spanning and PLAN_CODE.match(text.get("plans", ""))
        or not (text.get("formula") or text.get("plans"))
    )
    return not own_measure


def _begins_own(role: str, cell: str | None, above: str | None) -> bool:
    """Whether a page-top cell beside a measure's own numbers is that measure's own: a plan code,
    or an agency or extra column's text that closes no bracket the cell above left open (a KPI's
    name and a formula go on from above)."""
    text = squeeze(cell)
    if role == "plans":
        return bool(PLAN_CODE.match(text))
    return role not in ("kpi", "formula") and bool(text) and not open_bracket(above)


def _own_numbers(values: Cells, above: Cells) -> bool:
    """Whether a page-top row's value cells are a measure's own, not the end of the cut row's:
    each printed one is a bare number, and the cell above it a whole value, bare or its note closed
    ("15,000" above "20,000" or "2,350,000 (因應…調整)" (seed 128); not "公務 82 公彩" above "82")."""
    def bare(cell: str | None, closed: bool = False) -> bool:
        text = clean_cell(cell)
        value = parse_value(text)
        return value.kind == "number" and (value.note is None or closed and text.endswith((")", "）")) and not open_bracket(text))

    printed = [role for role, cell in values.items() if squeeze(cell)]
    return bool(printed) and all(bare(values[role]) and bare(above.get(role), closed=True) for role in printed)


def open_bracket(text: str | None) -> bool:
    """Whether text opens a bracket it does not close ("2,500,000(因應疫情修改")."""
    return bracket_balance(text) > 0


def bracket_balance(text: str | None) -> int:
    """The brackets text opens less those it closes, half or full width."""
    text = text or ""
    return text.count("(") + text.count("（") - text.count(")") - text.count("）")


def _join(rows: list[SourceRow], rest: Cells, page: int | None, problems: list[Problem]) -> None:
    """Append the rest of a cut row cell by cell; a column under a merged cell goes to the row
    that owns the merged cell (the nearest one above with a cell of its own there)."""
    for role, text in rest.items():
        if not (text and text.strip()):
            continue
        owner = next((r for r in reversed(rows) if r.cells.get(role) is not None), rows[-1])
        before = owner.cells.get(role)
        # The cut falls between two wrapped lines: join them the way this cell joins its own; a
        # value cell's rest goes on its own line (a number there begins a value: rows read as one)
        separator = "\n" if before and "\n" in before or split_value_role(role) else " "
        owner.cells[role] = f"{before}{separator}{text}" if before and before.strip() else text
    coded = next((m.group(1) for r in reversed(rows) if (m := KPI_CODE.match(squeeze(r.cells.get("kpi"))))), None)
    problems.append(Problem("stitch", "row_split_across_pages", _row_text([list(rest.values())]), None, page, coded))


def _row_text(rows: list[list[str | None]]) -> str:
    return " | ".join(squeeze(c) for row in rows for c in row if c)[:200]
