"""Read a target/actual cell ("44,000", "≧80%", "46 億元", ...) into a `Value`.

Grammar, applied in this order to the cell text (the raw text is kept as is):

1. Tidy: full-width ASCII -> ASCII (but Chinese ，：；！？ stay), "−" -> "-",
   spaces repaired (`repair_spaces`).  Blank -> kind 'empty'.
2. Footnote markers ①..⑳ are cut out and mentioned in the note ("註①").
3. Parenthesized parts "(...)" are cut out into the note; a cell that is
   only one "(...)" is read from inside it.  Numbers in them never count,
   nor in the text before a ")" that closes nothing (the end of a note whose
   start was printed elsewhere, "度,以108年實際值12.8為計算基準)").
4. In the rest, quantities are found: a number ("44,000", "12.9", "-3.5")
   or a sum of numbers with Chinese magnitudes 億/萬/千 ("6億5,202萬" ->
   652020000, "9萬4,000" -> 94000, "46 億" -> 4600000000).  A quantity
   followed by 年/年度/月/日/都 or preceded by 第 is a label, not a value.
5. Exactly one value quantity -> kind 'number'.  op from a sign right
   before it (≤ ≦ <= -> '<=', ≥ ≧ >= -> '>=', '<', '>', '±') or a
   以上/以下 after it.  "%" is dropped.  The note is what remains: the text
   around the quantity with it replaced by one space, edges stripped of
   blanks and ":,;、" ("累積啟動 19,661 戶" -> "累積啟動 戶", "46 億元" ->
   "元"), then the parenthesized parts and footnotes, joined by "; ".
   Before that, a number that cannot be read with certainty makes the cell kind 'unparsed' (no
   value): digits whose grouping is malformed ("27,000,00", the rest of it wrapped away; "1.2.3")
   or a character the PDF's text layer could not name (U+FFFD).
6. Two or more, or amounts run together ("300萬308萬": magnitudes not
   falling) -> kind 'compound' (none picked).
7. None -> kind 'none' if the text explains missing data (尚未, 無數據,
   不適用, 提供, ...) or has no comparison word; kind 'qualitative' if it
   compares without a number (高於6都平均值, 優於全國平均, 完成).
   For 6-7 the note is the whole tidied text.
"""
from __future__ import annotations

import re
from decimal import Decimal
from itertools import pairwise

from kpi_scorecard.extract.blocks import UNMAPPED
from kpi_scorecard.normalize.records import Value
from kpi_scorecard.normalize.text import repair_spaces

_KEEP_FULLWIDTH = "，：；！？"
_TIDY: dict[int, int | str] = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F) if chr(c) not in _KEEP_FULLWIDTH}
_TIDY.update({0x3000: " ", 0x2212: "-"})

_FOOTNOTE = re.compile("[\u2460-\u2473]")
_PAREN = re.compile(r"\(([^()]*)(?:\)|$)")

_NUM = r"(?<![A-Za-z0-9.,])[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?!\d|,\d)"
_MAGNITUDES = {"億": Decimal(10) ** 8, "萬": Decimal(10) ** 4, "千": Decimal(1000), "": Decimal(1)}
_QTY = re.compile(rf"(?:{_NUM}\s*[億萬千]\s*)+(?:{_NUM})?|{_NUM}")
_QTY_PART = re.compile(rf"({_NUM})\s*([億萬千]?)")
_LABEL_AFTER = re.compile(r"\s*(?:年|月|日|都)")
_LABEL_BEFORE = re.compile(r"第\s*$")

_DIGIT_RUN = re.compile(r"\d[\d,.]*")
_WELL_FORMED = re.compile(r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")

_OP_BEFORE = re.compile(r"(<=|>=|[≤≦≥≧<>±])\s*$")
_OPS = {"<=": "<=", "≤": "<=", "≦": "<=", ">=": ">=", "≥": ">=", "≧": ">=",
        "<": "<", ">": ">", "±": "±"}
_OP_AFTER = re.compile(r"以上|以下")
_OP_WORDS = {"以上": ">=", "以下": "<="}

_ABSENT = re.compile(r"尚未|無數據|無資料|不適用|未提供|提供|統計中|停辦|未辦理|N/?A", re.I)
_QUALITATIVE = re.compile(
    r"[高低優劣大小多少]於|平均|持平|增加|減少|上升|下降|成長|以上|以下|達成|未達|完成|達標"
)
_EDGES = " :,;、，：；"


def parse_number(text: str) -> float | None:
    """The number `text` is, allowing 億/萬/千 parts; None if it is not one.

    "44,000" -> 44000.0, "57.9億" -> 5790000000.0, "6億5,202萬" -> 652020000.0.
    """
    text = text.strip().translate(_TIDY)
    if not _QTY.fullmatch(text):
        return None
    total = sum(
        (abs(Decimal(num.replace(",", ""))) * _MAGNITUDES[mag]
         for num, mag in _QTY_PART.findall(text)),
        Decimal(0),
    )
    return float(-total if text.startswith("-") else total)


def _value_quantities(text: str) -> list[re.Match[str]]:
    """Quantities in `text` that are not labels like 110年, 3月, 6都, 第2."""
    return [
        m for m in _QTY.finditer(text)
        if not _LABEL_AFTER.match(text, m.end())
        and not _LABEL_BEFORE.search(text[: m.start()])
    ]


def _one_quantity(text: str) -> bool:
    """Whether the magnitudes of a quantity fall from left to right, as one amount's do ("6億5,202萬",
    "9萬4,000"); "300萬308萬" is two amounts printed without a space."""
    scales = [_MAGNITUDES[mag] for _, mag in _QTY_PART.findall(text)]
    return all(a > b for a, b in pairwise(scales))


def _join(parts: list[str]) -> str | None:
    parts = [p for p in (q.strip() for q in parts) if p]
    return "; ".join(parts) or None


def parse_value(raw: str) -> Value:
    """Read one target/actual cell; see the module docstring for the rules."""
    text = repair_spaces((raw or "").translate(_TIDY))
    if not text:
        return Value(raw=raw, kind="empty")

    tidy = text
    marks = _FOOTNOTE.findall(text)
    text = _FOOTNOTE.sub(" ", text)
    extras: list[str] = []
    while m := _PAREN.search(text):
        extras.append(m[1])
        text = text[: m.start()] + " " + text[m.end():]
    head, _, text = text.rpartition(")")  # a ")" that closes nothing ends a note begun elsewhere
    main = text.strip()
    if not main and extras:
        main = extras.pop(0).strip()
    if head.strip():
        extras.insert(0, head.replace(")", " ").strip())
    extras += [f"註{mark}" for mark in marks]

    if UNMAPPED in main or not all(_WELL_FORMED.fullmatch(run.rstrip(",.")) for run in _DIGIT_RUN.findall(main)):
        return Value(raw=raw, note=tidy, kind="unparsed")
    qtys = _value_quantities(main)
    if len(qtys) > 1 or any(not _one_quantity(q[0]) for q in qtys):
        return Value(raw=raw, note=tidy, kind="compound")
    if not qtys:
        qualitative = _QUALITATIVE.search(main) and not _ABSENT.search(main)
        return Value(raw=raw, note=tidy, kind="qualitative" if qualitative else "none")

    q = qtys[0]
    before, after = main[: q.start()], main[q.end():]
    op = None
    if m := _OP_BEFORE.search(before):
        op = _OPS[m[1]]
        before = before[: m.start()]
    if m := _OP_AFTER.search(after):
        op = op or _OP_WORDS[m[0]]
        after = after[: m.start()] + after[m.end():]
    rest = re.sub(r"\s+", " ", f"{before} {after}".replace("%", " ")).strip(_EDGES)
    return Value(raw=raw, value=parse_number(q[0]), op=op,
                 note=_join([rest, *extras]), kind="number")
