"""Text recognised from page images (extract/ocr.py): known words repair it, and a number that
cannot be trusted is left unread.

- Codes follow the report's grammar: a theme letter, a perspective letter (C customer, P process,
  L learning, F finance), then numbers. A code whose numbers were read as look-alike letters
  (`API` → `AP1`, `ACL.1` → `AC1.1`, `AC]` → `AC1`) is put back, each a `repairs` row.
- Agencies come from a closed list (those the bundled reports print; at load, with those the
  warehouse holds: warehouse/recognised.py): a cell close to one of them takes its spelling, each
  a `repairs` row with the score.
- A value whose cell was read with low confidence, or whose readings disagreed (extract/ocr.py),
  is NULL with its raw text and a `warning`. (Its KPI's history is checked at load:
  warehouse/recognised.py.)
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from functools import cache

from rapidfuzz import fuzz, process

from kpi_scorecard.extract.blocks import Block, Table, TextLine
from kpi_scorecard.normalize.layout import COLUMN_ROLES, TABLE_SIGNATURES, VALUE_KINDS, squeeze
from kpi_scorecard.normalize.records import Kpi, Problem, Value
from kpi_scorecard.normalize.text import clean_cell

MIN_CONFIDENCE = 80.0  # Tesseract's confidence below which a recognised number is not stored
AGENCY_SCORE = 60.0  # rapidfuzz ratio from which a recognised agency is a known one …
AGENCY_MARGIN = 10.0  # … when no other known agency is this close to it

LOOKALIKE_DIGITS = str.maketrans({"O": "0", "o": "0", "D": "0", "I": "1", "l": "1", "L": "1", "|": "1", "]": "1",
                                  "!": "1", "i": "1", "S": "5", "B": "8", "Z": "2", ",": "."})
# A code as recognised at the start of a line: theme and perspective letters, then 1–3 numbers
# whose digits may be look-alike letters, separated by points (or commas), spaces around them.
CODE = re.compile(r"^([A-Z][CPLF])\s?([0-9OoDIlL|\]!iSBZ]{1,2}(?:\s?[.,]\s?[0-9OoDIlL|\]!iSBZ]{1,2}){0,2})(?=[\s.(\u3400-\u9fff]|$)")
HEADER_SCORE = 60.0  # rapidfuzz ratio from which a header cell is a known header word …
HEADER_MARGIN = 5.0  # … when no other is this close
YEAR_PREFIX = re.compile(r"^(\d{2,3})\s*年")
OBJECTIVE = re.compile(r"^([A-Z]{2}\d+)(?![.\d])")
KPI_CODE = re.compile(r"^[A-Z]{2}\d+\.\d+(?=[\s\u3400-\u9fff]|$)")  # a KPI's code at a cell's start
PLAN_KPI = re.compile(r"\b([A-Z]{2}\d+\.\d+)\.\d+")  # the KPI code of each plan code in a cell
UNIT = re.compile(r"(單位\s*[：:]\s*)([^\s(（]+)")
# 單位 at a line's start, its colon lost (a small 9 pt ：): a blank, or a known unit, after it
UNIT_NO_COLON = re.compile(r"(?m)^單位(?:[ \t]+(?=[^\s:：])|(?=(\S+)[ \t]*$))")
PER_MILLE = re.compile(r"%[0oO](?![\d.,])")
KPI_WORD = re.compile(r"[(（]\s*KP[IDl1]\s*[)）]?")


def repair_recognised(blocks: list[Block]) -> tuple[list[Block], list[Problem]]:
    """The blocks with the codes and known words of recognised text put back; one problem per
    repair. Blocks a text layer gave are left as they are."""
    if not any(isinstance(b, Table) and b.confidence is not None for b in blocks):
        return blocks, []
    problems: list[Problem] = []
    scanned = {b.page for b in blocks if isinstance(b, Table) and b.confidence is not None}  # pages read by OCR
    lines = {id(b): KPI_WORD.sub("(KPI)", _repair_lines(b.text, b.page, set(), problems))
             for b in blocks if isinstance(b, TextLine) and b.page in scanned}
    # the objectives the headings name: a code in a table is read so that it falls under one
    objectives = {m.group(1) for text in lines.values() for m in [OBJECTIVE.match(text)] if m}
    out: list[Block] = []
    for block in blocks:
        if isinstance(block, Table) and block.confidence is not None:
            rows = [[None if cell is None else _repair_lines(cell, block.page, objectives, problems) for cell in row]
                    for row in block.rows]
            rows[:2] = [[_repair_header(cell, block.page, problems) for cell in row] if _is_header(row) else row
                        for row in rows[:2]]
            rows = [[None if cell is None else _repair_units(cell, block.page, problems) for cell in row] for row in rows]
            rows = [_repair_by_plans(row, block.page, objectives, problems) for row in rows]
            out.append(replace(block, rows=_repair_agencies(rows, block.page, problems)))
        elif isinstance(block, TextLine) and id(block) in lines:
            out.append(replace(block, text=lines[id(block)]))
        else:
            out.append(block)
    return out, problems


def _repair_lines(text: str, page: int | None, objectives: set[str], problems: list[Problem]) -> str:
    return "\n".join(_repair_code(line, page, objectives, problems) for line in text.split("\n"))


def _repair_code(line: str, page: int | None, objectives: set[str], problems: list[Problem]) -> str:
    """The line with the code it starts with read by the grammar. A look-alike letter beside a
    digit is either that digit's double (`AC1l.1`: a `1` read twice) or a digit of its own
    (`AC1l.1` as AC11.1); the reading under an objective a heading names is taken."""
    m = CODE.match(line)
    if not m:
        return line
    letters, numbers = m.group(1), re.sub(r"\s", "", m.group(2))
    mapped = letters + numbers.translate(LOOKALIKE_DIGITS)
    doubled = letters + re.sub(r"(?<=\d)[OoDIlL|\]!iSBZ]|[OoDIlL|\]!iSBZ](?=\d)", "", numbers).translate(LOOKALIKE_DIGITS)
    fixed = doubled if _objective(doubled) in objectives and _objective(mapped) not in objectives else mapped
    if fixed == m.group(0) or not re.fullmatch(r"[A-Z]{2}\d+(\.\d+){0,2}", fixed):
        return line
    problems.append(Problem("repair", "ocr_code", m.group(0), fixed, page))
    return fixed + line[m.end():]


def _repair_by_plans(row: list[str | None], page: int | None, objectives: set[str], problems: list[Problem]) -> list[str | None]:
    """A row whose KPI code falls under no objective a heading names, and whose plans all carry one
    other KPI's code with the same numbers that does (`GE2.1` read for CP2.1, beside CP2.1.1 …
    CP2.1.4), takes that code: its letters were misread, not its plans'."""
    for i, cell in enumerate(row):
        m = KPI_CODE.match(cell) if cell else None
        if not m or not cell:
            continue
        code = m.group(0)
        plans = {p for j, other in enumerate(row) if j != i and other for p in PLAN_KPI.findall(other)}
        if len(plans) != 1 or _objective(code) in objectives:
            return row
        (kpi,) = plans
        if kpi == code or kpi[2:] != code[2:] or _objective(kpi) not in objectives:
            return row
        problems.append(Problem("repair", "ocr_code", code, kpi, page))
        return [*row[:i], kpi + cell[m.end():], *row[i + 1:]]
    return row


def header_words() -> list[str]:
    """The words the report's table headers are made of (normalize/layout.py's roles and
    signatures): the closed list a recognised header cell is read against."""
    words = [w for _, keywords in COLUMN_ROLES + VALUE_KINDS for w in keywords]
    words += [w for _, keywords in TABLE_SIGNATURES for w in keywords]
    return sorted({w for w in words if len(w) >= 3})


def _is_header(row: list[str | None]) -> bool:
    """Whether a row reads as a header: two of its cells hold a header word."""
    words = header_words()
    return sum(any(w in squeeze(cell) for w in words) for cell in row) >= 2


def _repair_header(cell: str | None, page: int | None, problems: list[Problem]) -> str | None:
    """A header cell none of whose words was read, taken as the one header word it is near
    (`110 年目標什` → `110 年目標值`), after the year it may start with."""
    text = squeeze(cell)
    words = header_words()
    if not text or any(w in text for w in words):
        return cell
    year = YEAR_PREFIX.match(text)
    rest = text[year.end():] if year else text
    found = process.extract(rest, words, scorer=fuzz.ratio, limit=2)
    if not found or found[0][1] < HEADER_SCORE or (len(found) > 1 and found[0][1] - found[1][1] < HEADER_MARGIN):
        return cell
    fixed = (f"{year.group(1)} 年" if year else "") + found[0][0]
    problems.append(Problem("repair", f"ocr_header (score {found[0][1]:.0f})", text, fixed, page))
    return fixed


def _objective(code: str) -> str:
    return code.split(".")[0]


@cache
def known_agencies() -> tuple[str, ...]:
    """The agencies the bundled reports print (主責機關), the closed list recognised ones snap to."""
    return tuple(sorted({agency for row in _sample_rows() if len(agency := clean_cell(row.cells.get("agency"))) <= 8 and agency}))


@cache
def known_units() -> frozenset[str]:
    """The units the bundled reports print (單位：人次), the closed list a recognised one is read against."""
    from kpi_scorecard.normalize.formula import split_formula

    # as a recognised cell is compared: cleaned (μg/m ³ → μg/m3)
    return frozenset(clean_cell(unit) for row in _sample_rows() for unit in (split_formula(row.cells.get("formula") or "")[1] or "").split("; ")
                     if unit)


def _repair_units(cell: str, page: int | None, problems: list[Problem]) -> str:
    """A cell's unit (after 單位：) that is no known unit, taken as the one known unit of its length
    it differs from in one character alone (人坎 → 人次; 交數 stays: 次數, 件數 and 家數 are as near).
    Before that, ‰ read as %0 or %o (neither chi_tra nor eng has ‰; no text prints % before a 0
    that starts no number, or before an o) is put back, and so is the colon of a line that starts 單位 and lost it."""
    def per_mille(m: re.Match) -> str:
        problems.append(Problem("repair", "ocr_per_mille", m.group(0), "‰", page))
        return "‰"
    cell = PER_MILLE.sub(per_mille, cell)

    def colon(m: re.Match) -> str:
        if m.group(1) is not None and clean_cell(m.group(1)) not in known_units():
            return m.group(0)
        problems.append(Problem("repair", "ocr_unit_colon", m.group(0), "單位：", page, column="unit"))
        return "單位："
    cell = UNIT_NO_COLON.sub(colon, cell)

    def snapped(m: re.Match) -> str:
        unit = m.group(2)
        if unit in known_units():
            return m.group(0)
        near = [u for u in known_units() if len(u) == len(unit) and sum(a != b for a, b in zip(u, unit, strict=True)) == 1]
        if len(near) != 1:
            return m.group(0)
        problems.append(Problem("repair", "ocr_unit", unit, near[0], page, column="unit"))
        return m.group(1) + near[0]
    return UNIT.sub(snapped, cell)


def _sample_rows() -> list:
    """The KPI rows of the bundled reports' text (the source of the closed lists)."""
    from importlib.resources import files

    from kpi_scorecard.extract.text import text_to_blocks
    from kpi_scorecard.normalize.stitch import blocks_to_rows

    return [row for entry in files("kpi_scorecard.samples").iterdir() if entry.name.endswith(".txt")
            for row in blocks_to_rows(text_to_blocks(entry.read_text(encoding="utf-8"))).rows]


def _repair_agencies(rows: list[list[str | None]], page: int | None, problems: list[Problem]) -> list[list[str | None]]:
    """Cells of the agency column (主責機關) taken in the closed list's spelling."""
    column = next((i for row in rows[:2] for i, cell in enumerate(row) if cell and "主責" in cell), None)
    if column is None:
        return rows
    agencies = known_agencies()
    for row in rows:
        cell = row[column] if column < len(row) else None
        text = clean_cell(cell)
        if not text or "主責" in text:
            continue
        if snapped := snap_agency(text, agencies):
            problems.append(Problem("repair", f"ocr_agency (score {snapped[1]:.0f})", text, snapped[0], page, column="agency"))
            row[column] = snapped[0]
    return rows


def snap_agency(text: str, agencies: Sequence[str]) -> tuple[str, float] | None:
    """The one agency of the closed list near enough to a recognised one, with the score; None
    when the text is one of them, or none or several are near."""
    if text in agencies:
        return None
    found = process.extract(text, agencies, scorer=fuzz.ratio, limit=2)
    # a short name read with one character wrong is 2/3 alike
    if found and found[0][1] >= AGENCY_SCORE and (len(found) == 1 or found[0][1] - found[1][1] >= AGENCY_MARGIN):
        return found[0][0], found[0][1]
    return None


def flag_uncertain(kpis: list[Kpi], blocks: list[Block]) -> list[Problem]:
    """Give each recognised value its confidence; a number read with less than MIN_CONFIDENCE is
    left unread (NULL, raw kept)."""
    confidence: dict[tuple[int | None, str], float] = {}
    boxes: dict[tuple[int | None, str], tuple | None] = {}
    for block in blocks:
        if isinstance(block, Table) and block.confidence is not None:
            boxes_of = block.boxes or [[None] * len(row) for row in block.rows]  # a table given no boxes: none per cell
            for row, scores, row_boxes in zip(block.rows, block.confidence, boxes_of, strict=False):
                for cell, score, box in zip(row, scores, row_boxes, strict=False):
                    if cell is not None and score is not None:
                        key = (block.page, clean_cell(cell))
                        if score <= confidence.get(key, score):
                            confidence[key], boxes[key] = score, box
    if not confidence:
        return []
    problems: list[Problem] = []
    for kpi in kpis:
        for m in kpi.measures:
            for kind in ("target", "actual"):
                key = (m.page, getattr(m, kind).raw)
                value, problem = uncertain(getattr(m, kind), confidence.get(key), boxes.get(key))
                if problem:
                    problems.append(replace(problem, page=m.page, row=kpi.code, column=kind))
                setattr(m, kind, value)
    return problems


def uncertain(value: Value, score: float | None, box: tuple | None) -> tuple[Value, Problem | None]:
    """A value with the confidence and box of the cell it was recognised from (score None: a text
    layer's, unchanged); a number read with less than MIN_CONFIDENCE is left unread (NULL, raw
    kept) with a warning."""
    if score is None or value.kind == "empty":
        return value, None
    if value.kind == "number" and score < MIN_CONFIDENCE:
        return (Value(value.raw, None, None, f"OCR confidence {score:.0f}", "unparsed", score, box),
                Problem("warning", "ocr_low_confidence", value.raw, None))
    return replace(value, confidence=score, box=box), None

