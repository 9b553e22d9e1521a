"""PowerPoint deck (.pptx) → blocks: slide by slide (the slide number stands where a PDF has its
page), each slide's text and tables in reading order (top to bottom, then left to right), read from
the PresentationML through lxml (see extract/officezip.py).

A merged cell comes out as the PDF reader gives one: its text in the first cell, None in the cells
it covers (a:tc hMerge / vMerge). Paragraphs and typed line breaks in a cell are kept apart with a
blank line, as the PDF reader marks breaks its author typed.
"""
from __future__ import annotations

from pathlib import Path

from lxml import etree

from kpi_scorecard.extract.blocks import Block, Table, TextLine
from kpi_scorecard.extract.errors import DamagedOffice
from kpi_scorecard.extract.officezip import Cells, OfficePackage, local_name


def pptx_to_blocks(path: Path) -> list[Block]:
    with OfficePackage(path) as package:
        main = package.main_part()
        presentation = package.xml(main)
        targets = package.relationships(main)
        slide_ids = [el for el in presentation.iter() if local_name(el) == "sldId"]
        blocks: list[Block] = []
        for number, slide_id in enumerate(slide_ids, 1):
            rid = next((value for key, value in slide_id.attrib.items() if local_name(key) == "id" and key.startswith("{")), None)
            if rid not in targets:
                raise DamagedOffice(path, f"PowerPoint file is damaged (slide {number} is missing); save it again")
            slide = package.xml(targets[rid][1])
            if slide.get("show") in ("0", "false"):
                continue  # a hidden slide: not in the deck as shown or printed
            blocks.extend(_slide_blocks(path, slide, number))
    return blocks


def _slide_blocks(path: Path, slide: etree._Element, number: int) -> list[Block]:
    placed: list[tuple[float, float, int, list[Block]]] = []
    tree = next((el for el in slide.iter() if local_name(el) == "spTree"), None)
    if tree is not None:
        _shapes(path, tree, number, placed)
    placed.sort(key=lambda p: p[:3])
    blocks: list[Block] = []
    for _, _, _, shape_blocks in placed:
        for block in shape_blocks:
            if isinstance(block, Table):
                block = Table(block.rows, number, None, sum(isinstance(b, Table) for b in blocks) + 1)
            blocks.append(block)
    return blocks


def _shapes(path: Path, tree: etree._Element, number: int, placed: list, place=lambda y, x: (y, x)) -> None:
    """Each text shape's lines and each table of a shape tree, with its (top, left) on the slide."""
    for shape in tree:
        name = local_name(shape)
        if name == "grpSp":
            _shapes(path, shape, number, placed, _group_place(shape, place))
            continue
        if name not in ("sp", "graphicFrame"):
            continue
        y, x = _position(shape)
        if y >= 0:
            y, x = place(y, x)
        table = next((el for el in shape.iter() if local_name(el) == "tbl"), None)
        if table is not None:
            shape_blocks: list[Block] = [Table(_table_rows(table, Cells(path)), number)]
        else:
            body = next((el for el in shape if local_name(el) == "txBody"), None)
            lines = [] if body is None else [line for p in _paragraphs(body) for line in p.split("\n")]
            shape_blocks = [TextLine(line.strip(), number) for line in lines if line.strip()]
        placed.append((y, x, len(placed), shape_blocks))


def _position(shape: etree._Element) -> tuple[float, float]:
    """(top, left) of a shape in EMU, in its group's space; a placeholder that inherits its place
    from the layout comes first (-1)."""
    offset = next((el for el in shape.iter() if local_name(el) == "off"), None)
    if offset is None:
        return -1.0, -1.0
    try:
        return float(offset.get("y", 0)), float(offset.get("x", 0))
    except ValueError:
        return -1.0, -1.0


def _group_place(group: etree._Element, outer):
    """A group's children are placed in its own space (chOff, chExt) mapped onto its box (off, ext)."""
    frame = next((el for el in group.iter() if local_name(el) == "xfrm"), None)
    parts = {local_name(el): el for el in frame} if frame is not None else {}
    try:
        off, ext, child_off, child_ext = ((float(parts[k].get(a, 0)), float(parts[k].get(b, 0)))
                                          for k, a, b in (("off", "y", "x"), ("ext", "cy", "cx"), ("chOff", "y", "x"), ("chExt", "cy", "cx")))
    except (KeyError, ValueError):
        return outer
    scale = tuple(e / c if c else 1.0 for e, c in zip(ext, child_ext, strict=True))
    return lambda y, x: outer(off[0] + (y - child_off[0]) * scale[0], off[1] + (x - child_off[1]) * scale[1])


def _table_rows(table: etree._Element, cells: Cells) -> list[list[str | None]]:
    rows: list[list[str | None]] = []
    for tr in (el for el in table if local_name(el) == "tr"):
        row: list[str | None] = []
        for tc in (el for el in tr if local_name(el) == "tc"):
            cells.take(1)
            covered = tc.get("hMerge") in ("1", "true") or tc.get("vMerge") in ("1", "true")
            if covered:
                row.append(None)
                continue
            body = next((el for el in tc if local_name(el) == "txBody"), None)
            paragraphs = [] if body is None else [line for p in _paragraphs(body) for line in p.split("\n")]
            row.append("\n\n".join(p.strip() for p in paragraphs if p.strip()))
        rows.append(row)
    return cells.grid(rows)


def _paragraphs(body: etree._Element) -> list[str]:
    """A text body's paragraphs, '\\n' where a line break was typed."""
    out = []
    for paragraph in (el for el in body if local_name(el) == "p"):
        parts: list[str] = []
        for element in paragraph:
            name = local_name(element)
            if name in ("r", "fld"):
                parts.extend(t.text or "" for t in element if local_name(t) == "t")
            elif name == "br":
                parts.append("\n")
        out.append("".join(parts))
    return out
