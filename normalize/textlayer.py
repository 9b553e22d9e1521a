"""Text layer repair: characters a PDF's text layer gives in place of the ones printed.

PDF producers write a glyph's Unicode value from the font's cmap; where a font maps several code
points to one glyph (Noto CJK maps 行 and the Kangxi radical ⾏ to one outline), the text layer may
name the wrong one. Reading 110 年⽬標值 as 110 年目標值 is a repair of the text layer, not of the
wording, so it happens once, on every block, before any pattern is matched; each kind of
substitution is recorded with how often it was made.

- Kangxi radicals, CJK radicals supplement, CJK strokes → the unified ideograph Unicode names as
  equivalent (EquivalentUnifiedIdeograph.txt, shipped with the package);
- CJK compatibility ideographs (年 U+F98E) → their canonical ideograph (NFKC);
- full-width ASCII (Ａ１, ０.５, ％) → ASCII (NFKC), except the punctuation Chinese text writes
  full-width: ，：；！？（）;
- characters that share one glyph with a commoner one in CJK fonts (Noto CJK's cmap: ∕ is drawn
  as ／, ‒ as –, 〜 as ～, ‧ • ・ as ·) → that one.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import replace
from functools import cache
from importlib.resources import files

from extract.blocks import UNMAPPED, Block, Table
from normalize.records import Problem
KEEP_FULLWIDTH = "，：；！？（）"
SHARED_GLYPHS = {"∕": "/", "‒": "–", "〜": "~", "‧": "·", "•": "·", "・": "·"}


@cache
def substitutions() -> dict[str, tuple[str, str]]:
    """Character → (its replacement, the kind of substitution)."""
    table: dict[str, tuple[str, str]] = {}
    data = files("normalize").joinpath("data", "EquivalentUnifiedIdeograph.txt").read_text(encoding="utf-8")
    for line in data.splitlines():
        fields = line.split("#", 1)[0].split(";")
        if len(fields) != 2:
            continue
        first, _, last = fields[0].strip().partition("..")
        for code in range(int(first, 16), int(last or first, 16) + 1):
            table[chr(code)] = (chr(int(fields[1], 16)), _radical_kind(code))
    for start, end in ((0xF900, 0xFAFF), (0x2F800, 0x2FA1F)):
        for code in range(start, end + 1):
            if (nfkc := unicodedata.normalize("NFKC", chr(code))) != chr(code):
                table[chr(code)] = (nfkc, "compatibility_ideograph")
    for code in range(0xFF01, 0xFF5F):
        if chr(code) not in KEEP_FULLWIDTH:
            table[chr(code)] = (unicodedata.normalize("NFKC", chr(code)), "fullwidth_ascii")
    for char, to in SHARED_GLYPHS.items():
        table[char] = (to, "shared_glyph")
    return table


def _radical_kind(code: int) -> str:
    if 0x2F00 <= code <= 0x2FDF:
        return "kangxi_radical"
    return "cjk_radical_supplement" if code < 0x2F00 else "cjk_stroke"


@cache
def _pattern() -> re.Pattern[str]:
    return re.compile("[" + "".join(re.escape(c) for c in substitutions()) + "]")


def repair_text_layer(blocks: list[Block]) -> tuple[list[Block], list[Problem]]:
    """Blocks with their text layer repaired, and one problem per kind of substitution made
    (occurrences = how many characters; raw/fixed = the distinct characters and what they became)."""
    table, pattern = substitutions(), _pattern()
    found: dict[str, dict[str, int]] = {}  # kind → character → occurrences

    def fix(text: str | None) -> str | None:
        if not text or not pattern.search(text):
            return text

        def one(m: re.Match[str]) -> str:
            to, kind = table[m[0]]
            chars = found.setdefault(kind, {})
            chars[m[0]] = chars.get(m[0], 0) + 1
            return to

        return pattern.sub(one, text)

    repaired: list[Block] = []
    for block in blocks:
        if isinstance(block, Table):
            repaired.append(replace(block, rows=[[fix(cell) for cell in row] for row in block.rows]))
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
    total, per_page = 0, {}
    for block in blocks:
        texts = [c for row in block.rows for c in row if c] if isinstance(block, Table) else [block.text]
        for text in texts:
            total += sum(not c.isspace() for c in text)
            if unmapped := text.count(UNMAPPED):
                per_page[block.page] = per_page.get(block.page, 0) + unmapped
    return (sum(per_page.values()) / total if total else 0.0), per_page
