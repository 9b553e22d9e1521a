"""Text repair for table cells extracted from PDFs and text dumps.

`clean_cell` is the one entry point other modules call on every cell; the
other functions are its steps:

* `join_lines`  - join the wrapped lines of one cell (pdfplumber gives '\\n').
* `fix_scripts` - make super/subscripts plain ("PM _{2.5}" -> "PM2.5").
* `repair_spaces` - drop the spaces line-wrapping left between CJK characters.
"""
from __future__ import annotations

import re

# Han (URO, Ext A, Ext B+, compatibility), radicals, CJK symbols and
# punctuation, kana, Bopomofo, CJK compatibility forms, half/full-width forms.
CJK_CLASS = (
    "[\u2e80-\u2fdf\u3000-\u303f\u3040-\u30ff\u3100-\u312f\u31a0-\u31bf"
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef"
    "\U00020000-\U0002fa1f]"
)
CJK = re.compile(CJK_CLASS)

_LATIN = re.compile(r"[A-Za-z]")
# Where a line break falls inside one number: after its separator, before one, or inside a digit
# group ("27,000,00" has a last group too short to be one). Numbers do not wrap by the line-breaking
# rules; a cell too narrow for one breaks it anywhere.
_NUMBER_BREAK = re.compile(r"\d[,.]\n\d|\d\n[,.]\d|(?<![\d,])\d{1,3}(?:,\d{3})*,\d{1,2}\n\d")
# Full-width punctuation carries its own spacing: 、。「」（），：；！？
_CJK_PUNCT = "[\u3001-\u303f\uff01\uff08\uff09\uff0c\uff1a\uff1b\uff1f]"
_SPACE_BETWEEN_CJK = re.compile(
    rf"(?<={CJK_CLASS})\s+(?={CJK_CLASS})|(?<={_CJK_PUNCT})\s+|\s+(?={_CJK_PUNCT})"
)
_HTML_TAG = re.compile(r"</?\s*(?:p|br|div|span)\s*/?\s*>", re.IGNORECASE)
_INVISIBLE = re.compile("[\u200b\u200c\u200d\ufeff]")

_SUP = "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻"
_SUB = "₀₁₂₃₄₅₆₇₈₉₊₋"
_SCRIPTS = str.maketrans(_SUP + _SUB, "0123456789+-" * 2)
# An optional base character, blanks, then one script run in any notation.
_SCRIPT = re.compile(
    rf"(?P<base>\S)?[ \t]*(?:(?P<sup>[{_SUP}]+)|\^\{{(?P<supx>[^{{}}]*)\}}"
    rf"|(?P<sub>[{_SUB}]+)|_\{{(?P<subx>[^{{}}]*)\}})"
)


# Inline TeX that some converters leave in text dumps: "$\\times 100\\%$" → "× 100%".
_TEX_MATH = re.compile(r"\$([^$]*\\[^$]*)\$")
_TEX_COMMANDS = {r"\times": "×", r"\div": "÷", r"\cdot": "·", r"\leq": "≤", r"\geq": "≥", r"\le": "≤", r"\ge": "≥", r"\pm": "±", "\\%": "%"}
_TEX_COMMAND = re.compile(r"\\text\{([^{}]*)\}|" + "|".join(re.escape(c) for c in _TEX_COMMANDS))


def _tex_to_text(m: re.Match[str]) -> str:
    return _TEX_COMMAND.sub(lambda c: c[1] if c[1] is not None else _TEX_COMMANDS[c[0]], m[1])


def is_cjk(ch: str) -> bool:
    return bool(ch) and CJK.fullmatch(ch) is not None


def _separator(left: str, right: str) -> str:
    """What goes between two wrapped lines: '' or ' '."""
    a, b = left[-1], right[0]
    if is_cjk(a) or is_cjk(b):
        return ""
    # "e-" + "mail": a hyphen between Latin letters is kept, no space added.
    if a == "-" and len(left) > 1 and _LATIN.match(left[-2]) and _LATIN.match(b):
        return ""
    # A number a narrow cell broke: "27,537," + "119", "27,000,00" + "0", "12" + ".5".
    if _NUMBER_BREAK.search(left + "\n" + right[:2]):
        return ""
    return " "


def join_lines(lines: list[str]) -> str:
    """Join the wrapped lines of one cell.

    Lines are stripped and blank ones skipped.  Nothing is put between two
    lines when the character on either side of the break is CJK
    ("臺北市政" + "府環境保" -> "臺北市政府環境保"); otherwise a single space
    ("Google" + "Analytics" -> "Google Analytics", "12" + "9" -> "12 9").
    Exceptions without a space: a Latin hyphenation ("e-" + "mail") and a
    number broken inside ("27,537," + "119", "27,000,00" + "0", "12" + ".5");
    "12" + "9" stays two numbers ("12 9"): nothing shows they were one.
    """
    out = ""
    for line in lines:
        line = line.strip()
        if not line:
            continue
        out = out + _separator(out, line) + line if out else line
    return out


def _width(line: str) -> int:
    return sum(2 if is_cjk(ch) else 1 for ch in line)


def unwrap(text: str, full: float = 0.8) -> str:
    """Join the lines a narrow cell wrapped, keep the line breaks the author typed.

    The PDF extractor marks a typed break with a blank line ('\n\n'); without marks a line that
    fills the cell (at least `full` of its widest line) counts as wrapped.
    """
    if "\n\n" in text:
        blocks = [block.splitlines() for block in text.split("\n\n")]
    else:
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        widest = max(map(_width, lines), default=0)
        blocks, current = [], []
        for line in lines:
            current.append(line)
            if _width(line) < full * widest:
                blocks.append(current)
                current = []
        blocks.append(current)
    return "\n".join(joined for block in blocks if (joined := join_lines(block)))


def repair_spaces(text: str) -> str:
    """Remove the spaces that wrapping left inside CJK text.

    HTML-ish tags (<p>, </p>, <br>) become spaces first.  Whitespace runs
    between two CJK characters, or next to full-width punctuation, are
    removed ("臺北市政 府環境保 護局" -> "臺北市政府環境保護局", "會議、 展覽"
    -> "會議、展覽", "防洪計畫： 25 分" -> "防洪計畫：25 分"); all other runs collapse to one space, so Latin words and
    digit/CJK pairs keep theirs ("Google Analytics", "每 10 萬人").
    Note this also joins genuinely separate CJK words ("衛生局:100床 社會局"
    -> "...100床社會局"); the raw text is the place to look for those.
    """
    text = _INVISIBLE.sub("", _HTML_TAG.sub(" ", text))
    text = _SPACE_BETWEEN_CJK.sub("", text)
    return re.sub(r"\s+", " ", text).strip()


def _script_repl(m: re.Match[str]) -> str:
    base = m["base"] or ""
    sup = m["sup"] or m["supx"]
    if sup is not None:
        digits = sup.translate(_SCRIPTS).strip()
        # After a number a superscript is an exponent: "10 ⁶" -> "10^6".
        return base + ("^" if base.isdigit() else "") + digits
    return base + (m["sub"] or m["subx"] or "").translate(_SCRIPTS).strip()


def fix_scripts(text: str) -> str:
    """Write super/subscripts as plain characters glued to their base.

    Unicode scripts and LaTeX-ish artefacts are handled alike:
    "PM _{2.5}" -> "PM2.5", "CO₂" -> "CO2", "μg/m ³" / "m ^{3}" -> "μg/m3",
    "M ²" -> "M2".  A superscript directly after a digit is a power:
    "10 ⁶" / "10^{6}" -> "10^6".  Inline TeX math is unwrapped: "$\\times 100\\%$" -> "× 100%".
    """
    return _SCRIPT.sub(_script_repl, _TEX_MATH.sub(_tex_to_text, text))


def clean_cell(text: str | None) -> str:
    """Clean one table cell: join its lines, fix scripts, repair spaces."""
    if text is None:
        return ""
    return repair_spaces(fix_scripts(join_lines(text.splitlines())))
