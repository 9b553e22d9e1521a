"""What a PDF text layer's characters stand for, where the layer names the wrong one.

PDF producers write a glyph's Unicode value from the font's cmap; where a font maps several code
points to one glyph (Noto CJK maps 行 and the Kangxi radical ⾏ to one outline), the text layer may
name the wrong one. The table here says which character was meant:

- Kangxi radicals, CJK radicals supplement, CJK strokes → the unified ideograph Unicode names as
  equivalent (EquivalentUnifiedIdeograph.txt, shipped with the package);
- CJK compatibility ideographs (年 U+F98E) → their canonical ideograph (NFKC);
- full-width ASCII (Ａ１, ０.５, ％) → ASCII (NFKC), except the punctuation Chinese text writes
  full-width: ，：；！？（）;
- characters that share one glyph with a commoner one in CJK fonts (Noto CJK's cmap: ∕ is drawn
  as ／, ‒ as –, 〜 as ～, ‧ • ・ as ·) → that one.

normalize/textlayer.py repairs every block with it and records what it changed; the extractor
folds text with it only to recognise words (a table header printed as ⾏動計畫).
"""
from __future__ import annotations

import re
import unicodedata
from functools import cache
from importlib.resources import files

KEEP_FULLWIDTH = "，：；！？（）"
SHARED_GLYPHS = {"∕": "/", "‒": "–", "〜": "~", "‧": "·", "•": "·", "・": "·"}


@cache
def substitutions() -> dict[str, tuple[str, str]]:
    """Character → (the character meant, the kind of substitution)."""
    table: dict[str, tuple[str, str]] = {}
    data = files("kpi_scorecard.extract").joinpath("data", "EquivalentUnifiedIdeograph.txt").read_text(encoding="utf-8")
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
def substituted() -> frozenset[str]:
    """The characters the table substitutes: whether a text holds any is a set look-up per
    character, where a search by pattern() costs about a microsecond per character."""
    return frozenset(substitutions())


@cache
def pattern() -> re.Pattern[str]:
    """Matches any character the table substitutes."""
    return re.compile("[" + "".join(re.escape(c) for c in substitutions()) + "]")


def fold(text: str) -> str:
    """text with every character the table substitutes replaced by the one meant."""
    return text.translate(_translation())


@cache
def _translation() -> dict[int, str]:
    """The table as str.translate takes it: a tenth of the time of a substitution by pattern()."""
    return {ord(char): meant for char, (meant, _) in substitutions().items()}
