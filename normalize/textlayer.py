"""Text layer repair: the characters a PDF's text layer gives in place of the ones printed
(extract/charmap.py says which), on every block before any pattern is matched.

Reading 110 年⽬標值 as 110 年目標值 is a repair of the text layer, not of the wording: the raw
texts keep it. Each kind of substitution is recorded once, with how often it was made.
"""
from __future__ import annotations

import re
from dataclasses import replace

from kpi_scorecard.extract.blocks import UNMAPPED, Block, Table
from kpi_scorecard.extract.charmap import pattern, substituted, substitutions
from kpi_scorecard.normalize.records import Problem


def repair_text_layer(blocks: list[Block]) -> tuple[list[Block], list[Problem]]:
    """Blocks with their text layer repaired, and one problem per kind of substitution made
    (occurrences = how many characters; raw/fixed = the distinct characters and what they became)."""
    table, found_in, substituted_chars = substitutions(), pattern(), substituted()
    found: dict[str, dict[str, int]] = {}  # kind → character → occurrences

    def one(m: re.Match[str]) -> str:
        to, kind = table[m[0]]
        chars = found.setdefault(kind, {})
        chars[m[0]] = chars.get(m[0], 0) + 1
        return to

    def fix(text: str) -> str:
        return text if substituted_chars.isdisjoint(text) else found_in.sub(one, text)

    repaired: list[Block] = []
    for block in blocks:
        if isinstance(block, Table):
            repaired.append(replace(block, rows=[[fix(cell) if cell else cell for cell in row] for row in block.rows]))
        else:
            repaired.append(replace(block, text=fix(block.text)))
    problems = [
        Problem("repair", f"text_layer_{kind}", "".join(chars), "".join(table[c][0] for c in chars),
                occurrences=sum(chars.values()))
        for kind, chars in found.items()
    ]
    return repaired, problems


def unmapped_share(blocks: list[Block]) -> tuple[float, dict[int | None, int]]:
    """The share of printed characters the text layer could not name, and their count per page."""
    total, per_page = 0, dict[int | None, int]()
    for block in blocks:
        texts = [c for row in block.rows for c in row if c] if isinstance(block, Table) else [block.text]
        for text in texts:
            total += sum(map(len, text.split()))  # the characters that are not white space
            if unmapped := text.count(UNMAPPED):
                per_page[block.page] = per_page.get(block.page, 0) + unmapped
    return (sum(per_page.values()) / total if total else 0.0), per_page
