"""Word document (.docx) → blocks: its body's paragraphs as text lines and its tables cell by cell,
in document order, read from the WordprocessingML through lxml (see extract/officezip.py).

A merged cell comes out as the PDF reader gives one: its text in the first cell it covers, None in
the others (w:gridSpan across, w:vMerge="continue" down). A cell's paragraphs and typed line breaks
are ended by its author: they are kept apart with a blank line, as the PDF reader marks such breaks.
"""
from __future__ import annotations

from pathlib import Path

from lxml import etree

from kpi_scorecard.extract.blocks import UNMAPPED, Block, Table, TextLine
from kpi_scorecard.extract.errors import DamagedOffice
from kpi_scorecard.extract.officezip import Cells, OfficePackage, local_name

# Run content that is not the paragraph's text: deleted text, field codes, drawings and text boxes
# (their own paragraphs), alternate renderings, footnote marks.
SKIPPED = {"del", "delText", "instrText", "drawing", "pict", "object", "AlternateContent", "rPr", "pPr",
           "footnoteReference", "endnoteReference", "commentReference", "moveFrom"}
CONTAINERS = {"sdt", "sdtContent", "customXml", "ins", "moveTo", "smartTag"}  # block or run wrappers: read through
SYMBOL_FONT = {0xB3: "≥", 0xA3: "≤", 0xB1: "±", 0xB4: "×", 0xB8: "÷", 0xB0: "°", 0x3C: "<", 0x3E: ">", 0x25: "%"}
MAX_SPAN = 64  # a grid span wider than any table a report prints is damage, not a layout


def docx_to_blocks(path: Path) -> list[Block]:
    with OfficePackage(path) as package:
        root = package.xml(package.main_part())
    ns = root.tag[: root.tag.index("}") + 1] if root.tag.startswith("{") else ""
    body = root.find(f"{ns}body")
    if body is None:
        raise DamagedOffice(path, "Word file is damaged (its document has no body); save it again")
    blocks: list[Block] = []
    _read_body(path, body, ns, blocks)
    return blocks


def _read_body(path: Path, parent: etree._Element, ns: str, blocks: list[Block]) -> None:
    for child in parent:
        name = local_name(child)
        if name == "p":
            blocks.extend(TextLine(line.strip(), None) for line in _paragraph_text(child).split("\n") if line.strip())
        elif name == "tbl":
            number = sum(isinstance(b, Table) for b in blocks) + 1
            blocks.append(Table(_table_rows(child, ns, Cells(path)), None, number=number))
        elif name in CONTAINERS:
            _read_body(path, child, ns, blocks)


def _table_rows(table: etree._Element, ns: str, cells: Cells) -> list[list[str | None]]:
    rows: list[list[str | None]] = []
    for tr in _children(table, "tr"):
        if tr.find(f"{ns}trPr/{ns}del") is not None:
            continue  # a row deleted with changes tracked: not printed
        before = min(MAX_SPAN, max(0, _int_value(tr.find(f"{ns}trPr/{ns}gridBefore"), ns, 0)))
        cells.take(before)
        row: list[str | None] = [""] * before
        for tc in _children(tr, "tc"):
            properties = tc.find(f"{ns}tcPr")
            span = min(MAX_SPAN, max(1, _int_value(properties.find(f"{ns}gridSpan") if properties is not None else None, ns, 1)))
            covered = properties is not None and any(
                (merge := properties.find(f"{ns}{tag}")) is not None and merge.get(f"{ns}val", "continue") != "restart"
                for tag in ("vMerge", "hMerge")
            )
            cells.take(span)
            row.append(None if covered else _cell_text(tc))
            row.extend([None] * (span - 1))
        rows.append(row)
    return cells.grid(rows)


def _cell_text(cell: etree._Element) -> str:
    """The cell's paragraphs (those of a table nested in it too), a blank line between each."""
    paragraphs: list[str] = []
    for child in _children(cell, "p", "tbl"):
        if local_name(child) == "p":
            paragraphs.extend(_paragraph_text(child).split("\n"))
        else:
            paragraphs.extend(_cell_text(tc) for tr in _children(child, "tr") for tc in _children(tr, "tc"))
    return "\n\n".join(p.strip() for p in paragraphs if p.strip())


def _paragraph_text(paragraph: etree._Element) -> str:
    """A paragraph's text, '\\n' where its author typed a line break."""
    out: list[str] = []
    for element in paragraph:
        name = local_name(element)
        if name == "t":
            out.append(element.text or "")
        elif name in ("tab", "ptab"):
            out.append(" ")
        elif name in ("br", "cr"):
            out.append("\n")
        elif name == "noBreakHyphen":
            out.append("-")
        elif name == "sym":
            out.append(_symbol(element))
        elif name == "r" and _hidden(element):
            continue
        elif name not in SKIPPED:
            out.append(_paragraph_text(element))  # a run, hyperlink, inserted text, simple field …
    return "".join(out)


def _symbol(sym: etree._Element) -> str:
    """A character Word inserts from a symbol font (w:sym): the ones a KPI value prints in Symbol
    (≥ ≤ ± × ÷ °); any other stands as a glyph without Unicode, which normalize/ never reads as a number."""
    code = next((value for key, value in sym.attrib.items() if local_name(key) == "char"), "")
    font = next((value for key, value in sym.attrib.items() if local_name(key) == "font"), "")
    try:
        low = int(code, 16) & 0xFF  # Symbol's codes are given at F000 + code, or plain
    except ValueError:
        return UNMAPPED
    return SYMBOL_FONT.get(low, UNMAPPED) if font.lower() == "symbol" else UNMAPPED


def _hidden(run: etree._Element) -> bool:
    """A run formatted as hidden text (w:vanish): not printed, so not read."""
    for child in run:
        if local_name(child) == "rPr":
            vanish = next((prop for prop in child if local_name(prop) == "vanish"), None)
            value = "on" if vanish is None else next((v for k, v in vanish.attrib.items() if local_name(k) == "val"), "on")
            return vanish is not None and value not in ("0", "false", "off")
    return False


def _children(parent: etree._Element, *names: str):
    """Child elements named `names`, looking through content controls and custom XML wrappers."""
    for child in parent:
        name = local_name(child)
        if name in names:
            yield child
        elif name in CONTAINERS:
            yield from _children(child, *names)


def _int_value(element: etree._Element | None, ns: str, default: int) -> int:
    if element is None:
        return default
    try:
        return int(element.get(f"{ns}val", default))
    except ValueError:
        return default
