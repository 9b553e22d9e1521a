"""A table whose heading row is printed once: its rows on the next pages, read under that heading.

Pages are read one by one (in helper processes, extract/parallel.py), and a page whose rows no
header starts has only text lines to show for them. Once all pages are in, a page whose text begins
with rows (a row's code in the first column, or a cut row's rest in a later one) right after a page
whose last table runs to its foot continues that table: it is read again with the open table's
header printed above its text, where the header-first reader (extract/unruled.py) finds the columns
as on a page that repeats the header, and the header row is then left out of the table (the page
does not print it). normalize/stitch.py joins such a table to the one before, as any continued table.
A body in filled bands without rules shows on such a page as header-less tables (its shaded rows)
between text lines (the others): those fragments are its rows as well.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import lru_cache
from statistics import median
from typing import NamedTuple

from kpi_scorecard.extract.blocks import Block, Table, TextLine
from kpi_scorecard.extract.charmap import fold
from kpi_scorecard.extract.page import PageContent, text_lines
from kpi_scorecard.extract.settings import UnruledSettings
from kpi_scorecard.extract.unruled import SIZE, find_headers, holds_header, horizontal_rules

HEADING = 1.5  # a line this many times as high as the header's text is a heading (a row's line, mixed scripts and all, is not)


def has_header_words(chars: list[dict], settings: UnruledSettings) -> bool:
    """Whether the chars hold, each of its characters somewhere, a word of at least
    settings.min_columns of the header's columns (as find_headers reads them, folded)."""
    present = set(fold("".join({char["text"] for char in chars})))  # fold replaces char by char: each text once
    return sum(any(set(word) <= present for word in words) for words in settings.header_words) >= settings.min_columns


@dataclass
class OpenHeader:
    """The header of a table that runs to its page's foot: its chars and its columns' names' extents."""

    chars: list[dict]
    anchors: list[tuple[float, float]]
    tabled: bool  # a table under it on its page (else the header alone ends the page: its row is kept)
    sides: tuple[float, float] | None = None  # x0, x1 of that table (its rest on the next page has its sides)
    bodied: bool = True  # that table prints rows under the header (else no row can be cut at the page's foot)


class PageRead(NamedTuple):
    """A page as first read: its blocks, whether it has any text, whether its chars hold a header's
    words (header_words: a page without them prints no header, and is not read again to look for
    one), and the open headers (open_header) of pages the reader had at hand when it learnt that
    the page after begins with lines, by page number (those pages are not read again for them)."""

    blocks: list[Block]
    has_text: bool
    header_words: bool
    headers: dict[int, OpenHeader | None]


def may_be_open(blocks: list[Block], header_words: bool) -> bool:
    """Whether a page, as first read, can end with a header whose table goes on over the next page."""
    return header_words and (_runs_to_foot(blocks) or _ends_with_header(blocks))


def may_go_on(page: PageContent, blocks: list[Block]) -> bool:
    """Whether the next page's leading lines (blocks, as first read) can go on with a table of the
    page: its first line is no taller than HEADING times the page's tallest char, else it is a
    heading under whatever header the page ends with (_starts_rows), and the header need not be looked for."""
    lead = _leading(blocks)
    if not lead or lead[0].bbox is None or not page.chars:
        return True
    return lead[0].bbox[3] - lead[0].bbox[1] <= HEADING * max(c["bottom"] - c["top"] for c in page.chars)


def begins_with_lines(blocks: list[Block]) -> bool:
    """Whether a page, as first read, begins with lines before any table (rows, maybe, of the table
    the page before ends with)."""
    return bool(_leading(blocks))


def continue_tables(
    pages: list[PageRead], numbers: list[int], content: Callable[[int], PageContent],
    read_page: Callable[[PageContent, int], list[Block]], settings: UnruledSettings,
) -> list[tuple[list[Block], bool]]:
    """The pages' blocks, a page's leading rows under no header read as the open table's rest."""
    content = lru_cache(maxsize=2)(content)  # a page is asked for as the open one, then as the next one's page before
    out: list[tuple[list[Block], bool]] = []
    # where the pages' text area begins: the highest first line of any page
    margin = min((blocks[0].bbox[1] for blocks, *_ in pages if blocks and blocks[0].bbox is not None), default=0.0)
    known = {number: header for page in pages for number, header in page.headers.items()}
    header: OpenHeader | None = None
    open_page: tuple[int, list[Block]] | None = None  # the page a table runs to the foot of, its header not looked up yet
    for index, (blocks, has_text, header_words, _) in enumerate(pages):
        number = numbers[index]
        follows = index > 0 and numbers[index - 1] == number - 1
        lead = _leading(blocks)
        if follows and not lead and (open_page is not None or header is not None) and not _names_header(blocks, settings):
            lead = _fragments(blocks, content(number), settings)
        continued = False
        if follows and lead and (open_page is not None or header is not None):
            if header is None and open_page is not None:
                # the reader found it where the open page is as first read (not read under a header)
                header = known[open_page[0]] if open_page[0] in known and open_page[1] is pages[index - 1].blocks \
                    else open_header(content(open_page[0]), open_page[1], settings)
            if header is not None and _starts_rows(lead, header, settings):
                blocks, continued = _read_under(content(number), header, lead, blocks, margin, read_page, number)
        if continued and _runs_to_foot(blocks) and sum(isinstance(b, Table) for b in blocks) == 1:
            pass  # the same table goes on: its header stays open
        elif may_be_open(blocks, header_words):
            header, open_page = None, (number, blocks)
        else:
            header, open_page = None, None
        out.append((blocks, has_text))
    return out


def _leading(blocks: list[Block]) -> list[Block]:
    """The text lines a page begins with, before its first table."""
    lead: list[Block] = []
    for block in blocks:
        if isinstance(block, Table):
            break
        lead.append(block)
    return lead


def _fragments(blocks: list[Block], page: PageContent, settings: UnruledSettings) -> list[Block]:
    """The blocks a page begins with before its first table under a header, where they are tables
    without one with text lines among them (a body in filled bands, zebra or filled cells, without
    rules, whose shaded rows read as tables of their own and whose others as text lines), or such a
    table alone (the table's rest read whole)."""
    lead: list[Block] = []
    for block in blocks:
        if isinstance(block, Table) and (block.bbox is None or holds_header(page, block.bbox, settings)):
            break
        lead.append(block)
    return lead if lead and isinstance(lead[0], Table) and (len(lead) == 1 or any(isinstance(b, TextLine) for b in lead)) else []


def _names_header(blocks: list[Block], settings: UnruledSettings) -> bool:
    """Whether the page's first block is a table whose first row names a header's columns (most
    pages of a report repeating its header): no need to read the page again to look for one."""
    if not blocks or not isinstance(blocks[0], Table) or not blocks[0].rows:
        return False
    text = "".join(cell or "" for cell in blocks[0].rows[0])
    return sum(any(word in text for word in group) for group in settings.header_words) >= settings.min_columns


def _runs_to_foot(blocks: list[Block]) -> bool:
    """Whether the page's last block (a page number aside) is a table."""
    return isinstance(_last(blocks), Table)


def _ends_with_header(blocks: list[Block]) -> bool:
    """Whether the page ends with text lines (a header whose rows are all on the next page)."""
    return isinstance(_last(blocks), TextLine)


def _last(blocks: list[Block]) -> Block | None:
    """The page's last block, a page number aside."""
    return next((b for b in reversed(blocks) if not (isinstance(b, TextLine) and _page_number(b.text))), None)


def _page_number(text: str) -> bool:
    return bool(re.fullmatch(r"[\W\d_]*\d[\W\d_]*", text.strip()))


def open_header(page: PageContent, blocks: list[Block], settings: UnruledSettings) -> OpenHeader | None:
    """The last header printed on the page, where nothing but its table's body follows it."""
    lines = text_lines(page.chars)
    headers = find_headers(lines, settings, [r.y for r in horizontal_rules(page)])
    if not headers:
        return None
    last = headers[-1]
    if any(isinstance(b, TextLine) and b.bbox is not None and b.bbox[1] > last.bottom + 1 and not _page_number(b.text)
           for b in blocks):
        return None
    under = [b.bbox for b in blocks if isinstance(b, Table) and b.bbox is not None and b.bbox[3] > last.bottom]
    chars = [c for line in last.lines for c in line["chars"]]
    height = median(c["bottom"] - c["top"] for c in chars)
    return OpenHeader(chars, last.anchors, bool(under), (under[-1][0], under[-1][2]) if under else None,
                      any(bottom > last.bottom + height for *_, bottom in under))


def _starts_rows(lead: list[Block], header: OpenHeader, settings: UnruledSettings) -> bool:
    """Whether the page begins with rows within the open table's sides, in its text's size: a cut
    row's rest (beside or right of the first column) or lines among which a row begins (its code),
    or a header-less table's fragments (_fragments)."""
    first = lead[0]
    if first.bbox is None:
        return False
    x0, x1 = header.anchors[0][0], header.anchors[-1][1]
    width = x1 - x0
    inside = first.bbox[0] >= x0 - 0.2 * width and first.bbox[2] <= x1 + 0.2 * width
    if not inside or isinstance(first, Table):
        return inside
    height = median(c["bottom"] - c["top"] for c in header.chars)
    if first.bbox[0] >= header.anchors[0][1]:  # beginning right of the first column: no heading does, but a centred title
        return first.bbox[3] - first.bbox[1] <= HEADING * height
    # in the first column: in the text's size (a heading is not), reaching past it or a row's code among the lines
    return abs(first.bbox[3] - first.bbox[1] - height) <= SIZE * height and (
        first.bbox[2] > header.anchors[1][0] or any(isinstance(line, TextLine) and re.match(settings.row_start, line.text) for line in lead))


def _read_under(page: PageContent, header: OpenHeader, lead: list[Block], original: list[Block], margin: float,
                read_page: Callable[[PageContent, int], list[Block]], number: int) -> tuple[list[Block], bool]:
    """The page read with the header printed above where its table goes on; the header row left out
    of the table found under it where the page before printed that table. (blocks, whether a table
    took the leading lines; else the page's blocks as read first)."""
    if not header.bodied and len(lead) > 1 and _header_rest(lead[0]):
        # the header's names cut by the page (seed 127: "110 年目標" | "值" in a dark box): no row of the table
        x0, top, x1, bottom = lead[0].bbox or (0, 0, 0, 0)
        page = replace(page, chars=[c for c in page.chars if not (x0 <= (c["x0"] + c["x1"]) / 2 <= x1 and top <= (c["top"] + c["bottom"]) / 2 <= bottom)])
        lead = lead[1:]
    first_top = min(line.bbox[1] for line in lead if line.bbox is not None)
    top, bottom = min(c["top"] for c in header.chars), max(c["bottom"] for c in header.chars)
    # The table goes on from where the page's text area begins (a cut row's rest is centred or
    # aligned in the cell from there): the header row's bottom rule there, the header above it.
    # A rule the page draws above its first line across the table (the header row's bottom border
    # drawn again) is that rule.
    x0, x1 = min(c["x0"] for c in header.chars), max(c["x1"] for c in header.chars)
    drawn = [r.y for r in horizontal_rules(page) if r.y <= first_top and r.x0 <= x0 and r.x1 >= x1]
    y = max(drawn) if drawn and max(drawn) >= min(first_top, margin) - 2 * (bottom - top) else min(first_top, margin) - 1
    dy = y - 2 - bottom
    room = max(0.0, -(top + dy) + 1)  # the page moved down where its top margin is too low for the header
    chars = [_moved(c, room) for c in page.chars] + [_moved(c, dy + room) for c in header.chars]
    y += room
    rule = {"object_type": "line", "orientation": "h", "x0": x0 - 1, "x1": x1 + 1, "top": y, "bottom": y, "width": x1 - x0 + 2,
            "height": 0.0, "doctop": y}
    edges = [_moved(e, room) for e in page.edges] + [rule]
    blocks = read_page(PageContent(page.number, page.width, page.height + room, chars, edges), number)
    out: list[Block] = []
    taken = False
    for block in blocks:
        bbox = block.bbox
        if bbox is not None:
            bbox = (bbox[0], bbox[1] - room, bbox[2], bbox[3] - room)
        if isinstance(block, Table) and not taken and bbox is not None and bbox[1] <= top + dy + 2:
            taken = True
            if header.tabled:
                left, right = header.sides or (bbox[0], bbox[2])
                block = replace(block, rows=block.rows[1:], bbox=(min(left, bbox[0]), first_top - 1, max(right, bbox[2]), bbox[3]))
            else:
                block = replace(block, bbox=bbox)
        else:
            block = replace(block, bbox=bbox)
        out.append(block)
    return (out, True) if taken else (original, False)


def _header_rest(block: Block) -> bool:
    """Whether a page's first block is one row with nothing in its first column (where a row's code
    is printed): the rest of a header whose names the page break cut, when no row was under it."""
    return isinstance(block, Table) and block.bbox is not None and len(block.rows) == 1 and not (block.rows[0][0] or "").strip()


def _moved(obj: dict, dy: float) -> dict:
    moved = dict(obj)
    for key in ("top", "bottom", "doctop"):
        if key in moved:
            moved[key] = moved[key] + dy
    return moved
