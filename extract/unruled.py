"""Tables printed without vertical rules: columns inferred from the header and the text's alignment.

Word's table styles with horizontal rules only, or with none at all, leave pdfplumber's `lines`
strategy no cells to find. Where a page prints a table header (a band of text lines naming the
columns, UnruledSettings.header_words) outside any ruled table, the table is rebuilt as explicit
rules for pdfplumber's table finder, so that its cells, merged cells and page-cut rows come out as
a ruled table's do:

- columns: each header name (its words wrapped over the band's lines) anchors its column; the
  boundary between two columns lies in a gap between their anchors that no character crosses:
  where a rule segment ends, else in the gap most body text starts right of (see
  column_boundaries);
- rows: the table's own horizontal rules; where the body has none, a row starts at each line
  whose first column begins like a row (UnruledSettings.row_start, e.g. a KPI code) and, in
  top-aligned cells, where two or more other columns start a paragraph at one height (a merged
  cell's next measure; see _row_starts); in centred or bottom-aligned cells, rows are the text
  blocks of two or more columns that share a middle (or bottom), merged cells (centred over the
  rows they span) are not cut, and a block above or below them all is a cut row's rest
  (_centred_rows, _merged);
- extent: from the header down to the next header, a line in another font size, a gap wider than
  a paragraph's, or the page's end; with rules, a line far below the last rule is not the table's.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations, islice, pairwise
from operator import itemgetter
from statistics import median

from pdfplumber.table import Table as PlumberTable

from kpi_scorecard.extract.charmap import fold
from kpi_scorecard.extract.page import PageContent, find_tables, text_lines
from kpi_scorecard.extract.settings import UnruledSettings

RULE_TOLERANCE = 1.5  # rules this close in height are one (a cell border drawn as a thin box)
SPACE = 0.35  # a gap narrower than this many font sizes is a word space: no column boundary there
GAP = 0.3  # a header's wrapped lines are closer than this many line heights; its body is farther
PARAGRAPH = 1.5  # a gap of this many line heights ends the table
SIZE = 0.15  # a line whose font size differs from the table's by more (a heading) ends it

NAME = re.compile(r"[\u4e00-\u9fff]{2}")  # a column's name: two ideographs at least (not a year's digits)

NUMBER = re.compile(r"[\d.,%]*\d[\d.,%]*")  # a run of text that is a number alone

Line = dict  # pdfplumber's text line: text, x0, x1, top, bottom, chars
_X0 = itemgetter("x0")


@dataclass(frozen=True)
class Rule:
    y: float
    x0: float
    x1: float


@dataclass
class Header:
    lines: list[Line]
    anchors: list[tuple[float, float]]  # x-extent of each column's header word, left to right

    @property
    def top(self) -> float:
        return min(line["top"] for line in self.lines)

    @property
    def bottom(self) -> float:
        return max(line["bottom"] for line in self.lines)


def unruled_tables(page: PageContent, lines: list[Line], settings: UnruledSettings, headers: list[Header] | None = None) -> list[PlumberTable]:
    """The page's tables without vertical rules, from its text lines outside ruled tables (headers:
    those page_headers found in these lines already)."""
    rules = horizontal_rules(page)
    if headers is None:
        headers = find_headers(lines, settings, [r.y for r in rules])
    if not headers:
        return []
    ends = [nxt.top for nxt in headers[1:]] + [page.bbox[3]]
    frames = [f for header, end in zip(headers, ends, strict=True) if (f := frame_table(page, header, lines, rules, end, settings))]
    # Whether cells are top-aligned shows at a row's KPI code line; a table of the page without
    # one (the rest of a table from the page before) is printed like the page's others.
    votes = [f.aligned for f in frames if f.aligned is not None]
    aligned = sum(votes) > len(votes) / 2 if votes else None
    return [t for f in frames if (t := frame_to_table(
        page, f, f.aligned if f.aligned is not None else aligned if aligned is not None else _blocks_top_aligned(f.column_lines)))]


def page_headers(page: PageContent, lines: list[Line], settings: UnruledSettings) -> list[Header]:
    """The headers among the page's lines (find_headers, under the page's horizontal rules)."""
    return find_headers(lines, settings, [r.y for r in horizontal_rules(page)])


def header_only(page: PageContent, bbox: tuple, settings: UnruledSettings, lines: int = 4) -> bool:
    """Whether bbox holds a header (find_headers) and no text below it: a grid drawn around a
    header row alone. Only boxes a few lines high are looked into."""
    if bbox[3] - bbox[1] > lines * 1.5 * page.largest_size:  # higher than the test below passes, whatever chars it holds
        return False
    chars = page.chars_inside(bbox)
    if not chars or bbox[3] - bbox[1] > lines * 1.5 * median(c["size"] for c in chars):
        return False
    # the lines a box this low holds are one band: the header's names, wrapped at any spacing
    headers = find_headers(text_lines(chars), settings, leading=bbox[3] - bbox[1])
    return bool(headers) and max(c["bottom"] for c in chars) <= headers[-1].bottom + RULE_TOLERANCE


def header_cuts(page: PageContent, bbox: tuple, settings: UnruledSettings, lines: int = 8) -> list[dict]:
    """The horizontal edges that cut through the lines of a header printed at the top of bbox (a
    table found by its rules): the header is one row, the boxes filled around its names (a name
    wrapped onto more lines than the others', aligned to the row's foot) do not cut it."""
    reach, size = bbox[1] + lines * page.largest_size, page.largest_size
    edges = [e for e in page.edges if e["orientation"] == "h" and bbox[1] + RULE_TOLERANCE < e["top"] < reach
             and e["x0"] < bbox[2] and e["x1"] > bbox[0]]
    # only where an edge runs through a line of text (not so under the usual header) is the header looked up
    cutting = {y for y in {round(e["top"], 1) for e in edges} if any(
        c["top"] + RULE_TOLERANCE < y < c["bottom"] - RULE_TOLERANCE
        for c in page.chars_inside((bbox[0], max(bbox[1], y - size), bbox[2], min(bbox[3], y + size))))}
    chars = page.chars_inside((bbox[0], bbox[1], bbox[2], min(bbox[3], reach))) if cutting else []
    if not chars:
        return []
    top = min(c["top"] for c in chars)
    headers = find_headers(text_lines([c for c in chars if c["top"] < top + lines * median(c["size"] for c in chars)]), settings)
    if not headers or headers[0].top > top + RULE_TOLERANCE:
        return []
    header = headers[0]
    return [e for e in edges if header.top + RULE_TOLERANCE < e["top"] < header.bottom - RULE_TOLERANCE]


def holds_header(page: PageContent, bbox: tuple, settings: UnruledSettings) -> bool:
    """Whether a header (find_headers) is printed inside bbox."""
    return bool(find_headers(text_lines(page.chars_inside(bbox)), settings))


def find_headers(lines: list[Line], settings: UnruledSettings, rules: Sequence[float] = (), leading: float | None = None) -> list[Header]:
    """Bands of lines that name at least settings.min_columns of the header words, top to bottom:
    a line naming some, and the lines right below it up to a rule (the header's wrapped names)."""
    headers: list[Header] = []
    ordered = sorted(lines, key=lambda line: line["top"])
    leading = leading if leading is not None else _leading(ordered)
    index = taken = 0  # taken: lines before it belong to a header already
    while index < len(ordered):
        if not _anchors(ordered[index], settings):
            index += 1
            continue
        band = [ordered[index]]
        first = index  # a centred name of more lines than the others starts above them ("110 年目" over "標值")
        # (a heading right above, in its own font size, is not)
        while first > taken and _touching(ordered[first - 1], band[0], rules, leading) and abs(
                _size(ordered[first - 1]) - _size(band[0])) <= SIZE * _size(band[0]):
            first -= 1
            band.insert(0, ordered[first])
        row_start = re.compile(settings.row_start)
        for line in ordered[index + 1:]:
            if not (_touching(band[-1], line, rules, leading) or _ruled_with(band, line, rules, leading)) or (
                    line["top"] >= band[-1]["bottom"] - 1 and not _under_names(band, line, row_start)):  # overlapping: names printed lower
                break
            band.append(line)
        found: dict[int, tuple[float, float]] = {}
        others = []  # names of columns beside the table's own (達成率, 備註 …): columns of their own
        for text, extent in _header_cells(band):
            column = next((c for c, words in enumerate(settings.header_words) if c not in found and any(w in text for w in words)), None)
            if column is not None:
                found[column] = extent
            elif NAME.search(text):
                others.append(extent)
        anchors = sorted([*found.values(), *others])
        if len(found) >= settings.min_columns and all(a[1] < b[0] for a, b in pairwise(anchors)):
            headers.append(Header(band, anchors))
            index = taken = first + len(band)
        else:  # its lines may still be the upper part of a header below (a name printed higher than the others)
            index += 1
    return headers


def _touching(upper: Line, lower: Line, rules: Sequence[float], leading: float | None = None) -> bool:
    """Whether `lower` is the next line of a name `upper` is printed in: close below it (no
    farther than a cell's lines are apart on the page, where that is known), no rule between."""
    gap = GAP * (lower["bottom"] - lower["top"]) if leading is None else leading + 1
    return lower["top"] <= upper["bottom"] + gap and not any(
        upper["bottom"] - RULE_TOLERANCE < y < lower["top"] + RULE_TOLERANCE for y in rules)


def _leading(ordered: list[Line], reach: float = 2.0) -> float | None:
    """The space between a cell's wrapped lines on this page: the most common gap between a run of
    text and the next one below it in its column (most of a table's lines are wrapped in their
    cells); None with too few to tell (fewer than 8 gaps, the most common one fewer than 4 times: a
    page holding only a header and a cut row's rest, seed 185). A new row's first line lies farther
    (the cells' padding).
    Runs, not whole lines: of cells centred side by side, lines of other columns fill the gaps
    inside a cell, and the gaps left between whole lines are rows' (seed 213: a header took in
    the first row under it)."""
    runs = sorted((line["top"], line["bottom"], x0, x1) for line in ordered for x0, x1 in _text_runs(line, SPACE * _height(line)))
    gaps: Counter[float] = Counter()
    for n, (top, bottom, x0, x1) in enumerate(runs):
        for below, _, a, b in islice(runs, n + 1, None):
            if below > bottom + reach * (bottom - top):  # farther than a cell's lines lie: none below it
                break
            if below >= bottom and a < x1 and x0 < b:
                gaps[round((below - bottom) * 4) / 4] += 1
                break
    gap, count = gaps.most_common(1)[0] if gaps else (None, 0)
    return gap if sum(gaps.values()) >= 8 or count >= 4 else None


def _under_names(band: list[Line], lower: Line, row_start: re.Pattern) -> bool:
    """Whether `lower` can be the wrapped rest of the names the band's lines print: it does not
    begin a row, and each of its characters lies under one of their names (within a font size);
    a table's first row, with no rule above it, runs wider than centred or wrapped names."""
    if row_start.match(lower["text"].strip()):
        return False
    size = _size(band[0])
    runs = [run for line in band for run in _text_runs(line, SPACE * size)]
    return all(any(a - size <= c["x0"] and c["x1"] <= b + size for a, b in runs)
               for c in lower["chars"] if not c["text"].isspace())


def _ruled_with(band: list[Line], lower: Line, rules: Sequence[float], leading: float | None) -> bool:
    """Whether `lower` lies in the ruled row of the band's lines, on a page too bare to tell its
    leading: rules close above the band and close below `lower`, none between, and it no farther
    below the band than a line's height (a header alone at a page's foot, its names' lines farther
    apart than GAP: seed 238's "值" under "110 年實際")."""
    height = _height(lower)
    return (leading is None and lower["top"] - band[-1]["bottom"] <= height
            and any(band[0]["top"] - height <= y <= band[0]["top"] + RULE_TOLERANCE for y in rules)
            and any(lower["bottom"] - RULE_TOLERANCE <= y <= lower["bottom"] + height for y in rules)
            and not any(band[-1]["bottom"] - RULE_TOLERANCE < y < lower["top"] + RULE_TOLERANCE for y in rules))


def _header_cells(band: list[Line]) -> list[tuple[str, tuple[float, float]]]:
    """The header's names: runs of text (no gap wider than a word space) that overlap across the
    band's lines are one name wrapped ("110 年目" over "標值"), read top to bottom."""
    runs: list[list] = []  # [x0, x1, top, line, text], grown char by char
    for line in band:
        chars = sorted((c for c in line["chars"] if not c["text"].isspace()), key=lambda c: c["x0"])
        size = median([c["size"] for c in chars] or [0])
        for c in chars:
            if runs and runs[-1][3] is line and c["x0"] - runs[-1][1] <= SPACE * size:
                runs[-1][1], runs[-1][4] = max(runs[-1][1], c["x1"]), runs[-1][4] + c["text"]
            else:
                runs.append([c["x0"], c["x1"], c["top"], line, c["text"]])
    cells: list[list] = []  # x0, x1, runs
    for run in sorted(runs, key=lambda r: r[0]):
        if cells and run[0] < cells[-1][1]:
            cells[-1][1] = max(cells[-1][1], run[1])
            cells[-1][2].append(run)
        else:
            cells.append([run[0], run[1], [run]])
    named = [("".join(fold(r[4]) for r in sorted(members, key=lambda r: r[2])), (x0, x1)) for x0, x1, members in cells]
    return _with_years(named)


def _with_years(cells: list[tuple[str, tuple[float, float]]]) -> list[tuple[str, tuple[float, float]]]:
    """The names, a year printed apart from its 年 (the "110" of "110 年實際值", a space wider than a
    word's in a font with wide spaces, seed 165) part of the name after it: its column reaches over
    the year (else a value printed under it falls into the column on its left). A number before
    anything else is no name."""
    out: list[tuple[str, tuple[float, float]]] = []
    for (text, (x0, x1)), after in zip(cells, [*cells[1:], None], strict=True):
        if not NUMBER.fullmatch(text):
            year = out.pop()[1][0] if out and out[-1][0] == "" else x0
            out.append((text, (min(x0, year), x1)))
        elif after is not None and after[0].startswith("年"):
            out.append(("", (x0, x1)))  # the year: taken into the next name
    return out


def _anchors(line: Line, settings: UnruledSettings) -> dict[int, tuple[float, float]]:
    """Header word group → the x-extent of where the line prints it."""
    chars = [c for c in line["chars"] if not c["text"].isspace()]
    text = "".join(fold(c["text"])[:1] or " " for c in chars)  # one character per char: positions stay
    found = {}
    for column, words in enumerate(settings.header_words):
        for word in words:
            at = text.find(word)
            if at >= 0:
                printed = chars[at:at + len(word)]
                found[column] = (min(c["x0"] for c in printed), max(c["x1"] for c in printed))
                break
    return found


def horizontal_rules(page: PageContent, min_length: float = 20) -> list[Rule]:
    """The page's horizontal rules, a box-drawn border's two edges and a rule's segments as one."""
    edges = sorted((e for e in page.edges if e["orientation"] == "h"), key=lambda e: (round(e["top"] / RULE_TOLERANCE), e["x0"]))
    rules: list[Rule] = []
    for edge in edges:
        last = rules[-1] if rules else None
        if last and abs(edge["top"] - last.y) <= RULE_TOLERANCE and edge["x0"] <= last.x1 + RULE_TOLERANCE:
            rules[-1] = Rule(last.y, last.x0, max(last.x1, edge["x1"]))
        else:
            rules.append(Rule(edge["top"], edge["x0"], edge["x1"]))
    return sorted((r for r in rules if r.x1 - r.x0 >= min_length), key=lambda r: r.y)


@dataclass
class Frame:
    """Where a table without vertical rules lies, and its columns and rows as far as rules show them."""

    top: float
    bottom: float
    columns: list[float]  # x of its left side, column boundaries, right side
    body_top: float  # below the header row
    body: list[Line]
    column_lines: list[list[tuple[float, float]]]  # (top, bottom) of each line of text, per column
    ruled_rows: bool  # rules separate its body rows
    code_lines: list[tuple[Line | None, Line]]  # (line before, line) where the first column begins a row
    aligned: bool | None  # cells top-aligned (None: no code line to tell)


def frame_table(
    page: PageContent, header: Header, lines: list[Line], rules: list[Rule], end: float,
    settings: UnruledSettings,
) -> Frame | None:
    """The frame of the table under `header`, ending at `end` at the latest; None when nothing
    but the header is there."""
    left, right = header.anchors[0][0], header.anchors[-1][1]
    spans = [r for r in rules if r.x0 <= left + RULE_TOLERANCE and r.x1 >= right - RULE_TOLERANCE and header.top - 5 < r.y < end]
    below = [r for r in spans if r.y >= header.lines[0]["bottom"] - RULE_TOLERANCE]
    # the rule closing the header row: close below it, with nothing but the rest of its names
    # between (the top of a shaded band under the first body row is not)
    header_end = below[0].y if below and below[0].y < header.bottom + 3 * (header.bottom - header.top) and all(
        _under_names(header.lines, line, re.compile(settings.row_start)) for line in lines
        if header.bottom < line["top"] and line["bottom"] <= below[0].y + RULE_TOLERANCE) else None
    body = _body_lines(header, lines, header_end, below, end)
    if not body:
        return None
    body_top = header_end if header_end is not None else body[0]["top"] - 1
    top = min([header.top - 1] + [r.y for r in spans if r.y < header.top])
    bottom = max([body[-1]["bottom"] + 1] + [r.y for r in below if r.y <= body[-1]["bottom"] + PARAGRAPH * _height(body[-1])])
    x0 = min([left] + [c["x0"] for line in header.lines + body for c in line["chars"]]) - 1
    x1 = max([right] + [c["x1"] for line in header.lines + body for c in line["chars"]]) + 1
    if spans:  # the rules' ends are the table's sides
        x0, x1 = min(x0, min(r.x0 for r in spans)), max(x1, max(r.x1 for r in spans))
    inside = [e for e in page.edges if e["orientation"] == "h" and top - RULE_TOLERANCE <= e["top"] <= bottom + RULE_TOLERANCE
              and e["x1"] > x0 and e["x0"] < x1]
    ends = [x for e in inside for x in (e["x0"], e["x1"]) if x0 + RULE_TOLERANCE < x < x1 - RULE_TOLERANCE]
    chars = [c for line in header.lines + body for c in line["chars"] if not c["text"].isspace()]
    columns = [x0, *column_boundaries(header.anchors, chars, ends, body, x0, re.compile(settings.entry_code)), x1]
    body_chars = [c for line in body for c in line["chars"] if not c["text"].isspace()]
    column_lines = [_column_lines(body_chars, a, b) for a, b in pairwise(columns)]
    pattern = re.compile(settings.row_start)
    code_lines = [(previous, line) for previous, line in zip([None, *body], body, strict=False)
                  if pattern.match(_first_column_text(line, columns))]
    ruled_rows = any(body_top + RULE_TOLERANCE < e["top"] < bottom - RULE_TOLERANCE for e in inside if e["width"] >= 3)
    aligned = _top_aligned(column_lines, [line["top"] - 0.5 for _, line in code_lines]) if code_lines else None
    return Frame(top, bottom, columns, body_top, body, column_lines, ruled_rows, code_lines, aligned)


def frame_to_table(page: PageContent, frame: Frame, aligned: bool | None) -> PlumberTable | None:
    """The table in `frame`, as pdfplumber's table finder reads it from the frame's rules."""
    x0, x1 = frame.columns[0], frame.columns[-1]
    verticals = [_line(x, x, frame.top, frame.bottom) for x in frame.columns]
    horizontals = [_line(x0, x1, y, y) for y in (frame.top, frame.body_top, frame.bottom)]
    region = page.within((x0 - 1, frame.top - 1, x1 + 1, frame.bottom + 1))
    if not frame.ruled_rows:
        horizontals += _row_starts(frame, aligned)
    else:  # rules drawn row by row (shaded bands) leave a merged cell's bottom open where the next row is unshaded
        horizontals += _open_code_rows(frame, region.edges)
        region.edges = _to_sides(_uncut(region.edges, frame), x0, x1)
    # the header is one row: the edges of boxes filled around its names do not cut it
    region.edges = [e for e in region.edges if not frame.top + RULE_TOLERANCE < e["top"] < frame.body_top - RULE_TOLERANCE]
    tables = find_tables(region, {
        "vertical_strategy": "explicit", "explicit_vertical_lines": verticals,
        "horizontal_strategy": "lines", "explicit_horizontal_lines": horizontals,
    })
    return max(tables, key=lambda t: len(t.rows), default=None)


def _to_sides(edges: list[dict], x0: float, x1: float, reach: float = 6.0) -> list[dict]:
    """The edges, horizontal ones that stop short of the table's sides by a little (a band shaded
    inside the cells' padding, text running out over it) drawn on to them."""
    out = []
    for e in edges:
        if e["orientation"] == "h" and (x0 < e["x0"] < x0 + reach or x1 - reach < e["x1"] < x1):
            a, b = (x0 if e["x0"] < x0 + reach else e["x0"]), (x1 if e["x1"] > x1 - reach else e["x1"])
            e = {**e, "x0": a, "x1": b, "width": b - a}
        out.append(e)
    return out


def _first_column_text(line: Line, columns: list[float]) -> str:
    return "".join(c["text"] for c in line["chars"] if c["x1"] <= columns[1] + 1).strip()


def _height(line: Line) -> float:
    return line["bottom"] - line["top"]


def _size(line: Line) -> float:
    return median(c["size"] for c in line["chars"])


def _body_lines(header: Header, lines: list[Line], header_end: float | None, rules: list[Rule], end: float) -> list[Line]:
    """The lines of the table's body: below its header, above `end`, until a heading (another
    font size) or a paragraph's gap; more than a paragraph's gap below its last rule is not it."""
    size = median(_size(line) for line in header.lines)
    start = header_end if header_end is not None else header.bottom
    body: list[Line] = []
    for line in sorted(lines, key=lambda line: line["top"]):
        middle = (line["top"] + line["bottom"]) / 2
        if middle <= start or line in header.lines:
            continue
        if line["top"] >= end or abs(_size(line) - size) > SIZE * size:
            break
        previous = body[-1]["bottom"] if body else start
        ruled_above = [r.y for r in rules if previous - RULE_TOLERANCE <= r.y <= line["top"]]
        gap = line["top"] - max([previous] + ruled_above)
        # the first row under a ruled header may print its text centred far below it (the rest
        # of a tall row cut at the page's top) while a rule closes it below
        first_ruled = not body and header_end is not None and any(r.y >= line["bottom"] for r in rules if r.y > header_end + RULE_TOLERANCE)
        if gap > PARAGRAPH * _height(line) and not first_ruled:
            break
        body.append(line)
    return body


def column_boundaries(
    anchors: list[tuple[float, float]], chars: list[dict], ends: Sequence[float] = (), body: Sequence[Line] = (),
    left_side: float | None = None, code: re.Pattern | None = None,
) -> list[float]:
    """Between each two neighbouring anchors, in a gap no character crosses: where a rule segment
    ends (a cell's border drawn cell by cell, a rule stopped by a merged cell); else the middle of
    the gap, wider than a word space, that most body text starts right of (left-aligned cells: a
    centred header above short text leaves a wider gap inside a column) or ends left of (numbers
    right-aligned: each meets its column's right edge), among those the nearest to where a header
    centred in its column puts the boundary, then the widest; else the middle between the
    anchors, where characters cross everywhere. Least of all a gap between a `code` and the
    name after it on its line ("BC3.1.1" | "公費…": plan codes all as wide leave a gap down
    the plan column, beside centred numbers, seed 120)."""
    spans = sorted(_ink(c) for c in chars)
    runs = [run for line in body for run in _text_runs(line)]
    named = [(a[1], b[0]) for line in body for a, b in pairwise(_worded_runs(line)) if code and code.fullmatch(a[2])]  # (code's x1, name's x0)
    size = median([c["size"] for c in chars] or [0])
    words = [run for line in body for run in _worded_runs(line, SPACE * size)]  # a number in a text's line is no run of its own
    boundaries: list[float] = []
    for (x0, left), (right, _) in pairwise(anchors):
        gaps, covered = [], left
        for a, b in spans:
            if b <= covered or a >= right:
                continue
            if a > covered:
                gaps.append((a - covered, covered, a))
            covered = max(covered, b)
        if covered < right:
            gaps.append((right - covered, covered, right))
        ruled = [(width, x) for width, a, b in gaps for x in ends if a - RULE_TOLERANCE <= x <= b + RULE_TOLERANCE]
        if ruled:  # a rule ending in a gap marks the boundary, however narrow the gap
            boundaries.append(max(ruled)[1])
            continue
        side = boundaries[-1] if boundaries else left_side
        centred = 2 * (x0 + left) / 2 - side if side is not None else None  # the column's other side

        # a number printed between the two names, under neither: nearer one name than the other,
        # it is that column's (pushed to the side of its cell it shares with the name's)
        between = [(b, a - left < right - b) for a, b, text in words if a >= left and b <= right and NUMBER.fullmatch(text)]  # (x1, nearer the left name)

        def score(gap: tuple[float, float, float], centred: float | None = centred, between: list = between) -> tuple:
            width, a, b = gap
            distance = 0.0 if centred is None else max(a - centred, centred - b, 0.0)
            aligned = sum(abs(x - b) < 1 for x, _ in runs) + sum(abs(x - a) < 1 for _, x in runs)
            nearer = sum((x1 <= a) == leftward for x1, leftward in between)
            splits = sum(x1 <= a + 1 and x0 >= b - 1 for x1, x0 in named)
            return -splits, aligned, nearer, -distance, width

        wide = [gap for gap in gaps if gap[0] >= SPACE * size] or gaps
        _, a, b = max(wide, key=score, default=(0, left, right))
        boundaries.append((a + b) / 2)
    return boundaries


def _ink(char: dict) -> tuple[float, float]:
    """(x0, x1) a char prints on: full-width punctuation fills only half its box ("」" its left
    half, "「" its right), the other half blank for a column's gap."""
    x0, x1 = char["x0"], char["x1"]
    text = char["text"]
    if len(text) == 1 and unicodedata.east_asian_width(text) in "WF" and unicodedata.category(text).startswith("P"):
        middle = (x0 + x1) / 2
        return (middle, x1) if unicodedata.category(text) in ("Ps", "Pi") else (x0, middle)
    return x0, x1


def _text_runs(line: Line, gap: float = 1.0) -> list[tuple[float, float]]:
    """(x0, x1) of each run of a line's characters no wider space interrupts."""
    return [(x0, x1) for x0, x1, _ in _worded_runs(line, gap)]


def _worded_runs(line: Line, gap: float = 1.0) -> list[tuple[float, float, str]]:
    """(x0, x1, text) of each run of a line's characters no wider space interrupts."""
    runs: list[tuple[float, float, str]] = []
    x0 = x1 = 0.0
    text: list[str] = []  # the run's chars so far (none: no run yet); kept in locals, the page's leading reads every line
    for c in sorted(line["chars"], key=_X0):
        if c["text"].isspace():
            continue
        if text and c["x0"] - x1 <= gap:
            x1 = max(x1, c["x1"])
            text.append(c["text"])
        else:
            if text:
                runs.append((x0, x1, "".join(text)))
            x0, x1, text = c["x0"], c["x1"], [c["text"]]
    if text:
        runs.append((x0, x1, "".join(text)))
    return runs


def _row_starts(frame: Frame, aligned: bool | None) -> list[dict]:
    """Rules where rows start in a body without rules between them: above each KPI code line of
    top-aligned cells (of centred ones, only when the first column printed something since the
    last start: a centred code line may sit below its row's top); and, where the cells are known
    to be top-aligned, where two or more other columns start a new paragraph at one height (the
    next measure of a KPI printed with merged cells), across the columns whose text does not run on there."""
    columns, lines = frame.columns, frame.column_lines
    paragraph = _paragraph(lines)
    between = _centred_rows(lines, paragraph) if aligned is False else []
    starts, since = [], False  # since: the first column printed something since the last start
    last = written = frame.body[0]["top"]  # the last code line's top; the bottom of the first column's last text
    for previous, line in zip([None, *frame.body], frame.body, strict=False):
        if previous is not None and (previous, line) in frame.code_lines:
            # of cells not top-aligned, a code line's row starts where their common middles or
            # bottoms part (between), else above it when the first column printed something since the last
            if aligned:
                starts.append((previous["bottom"] + line["top"]) / 2)
            elif since and not any(last < y < line["top"] for y in between):
                # a centred code line may sit below its row's first lines: the row starts in the
                # widest gap across the page since the first column's last text above it
                starts.append(_widest_gap(frame.body, written, line["top"]) or (previous["bottom"] + line["top"]) / 2)
                since = False
            last = line["top"]
        if _first_column_text(line, columns):
            since, written = True, line["bottom"]
    if not aligned:
        between = [y for y in between if not any(abs(y - t) < 3 for t in starts)]
        bounds = sorted([frame.body_top, *starts, *between, frame.bottom])
        # a merged cell's text is centred over the rows it spans: no rule crosses it there
        merged = [_merged(_paragraphs(col, paragraph), bounds) for col in lines]
        # (a merged cell never spans two KPIs: a code line's row starts across the table)
        return [_line(columns[0], columns[-1], y, y) for y in starts] + [
            _line(a, b, y, y) for y in between for col, spans, (a, b) in zip(lines, merged, pairwise(columns), strict=True)
            if not any(top < y < bottom for top, bottom in spans) and not _flows(col, y, paragraph)]
    rules = [_line(columns[0], columns[-1], y, y) for y in starts]
    fresh = sorted(top for col in lines[1:] for i, (top, _) in enumerate(col) if i == 0 or top - col[i - 1][1] > paragraph)
    taken = [frame.body[0]["top"], *starts, *(top for top, _ in lines[0])]
    for group in _clusters(fresh, 1.0):
        y = group[0] - 1
        if len(group) < 2 or any(abs(y - t) < 3 for t in taken):
            continue
        rules += [_line(a, b, y, y) for col, (a, b) in zip(lines, pairwise(columns), strict=True) if not _flows(col, y, paragraph)]
    return rules


def _merged(blocks: list[tuple[float, float]], bounds: list[float], tolerance: float = 2.0) -> list[tuple[float, float]]:
    """(top, bottom) of the rows each merged cell of a column spans: a block of its text that lies
    within two or more rows (bounds: where rows part, top to bottom) that hold no other block of
    it, centred on them."""
    spans = []
    for top, bottom in blocks:
        middle = (top + bottom) / 2
        first = max((i for i, y in enumerate(bounds) if y <= top + RULE_TOLERANCE), default=0)
        last = min((i for i, y in enumerate(bounds) if y >= bottom - RULE_TOLERANCE), default=len(bounds) - 1)
        for i in range(first, -1, -1):
            if i < first and any(bounds[i] < b and t < bounds[first] for t, b in blocks if (t, b) != (top, bottom)):
                break
            for j in range(last, len(bounds)):
                if j > last and any(bounds[last] < b and t < bounds[j] for t, b in blocks if (t, b) != (top, bottom)):
                    break
                if j - i >= 2 and abs((bounds[i] + bounds[j]) / 2 - middle) <= tolerance:
                    spans.append((bounds[i], bounds[j]))
    return spans


def _widest_gap(body: list[Line], top: float, bottom: float) -> float | None:
    """The middle of the widest band between top and bottom that no line of text crosses."""
    covered = sorted((max(line["top"], top), min(line["bottom"], bottom)) for line in body
                     if line["bottom"] > top and line["top"] < bottom)
    best, edge = None, top
    for a, b in covered + [(bottom, bottom)]:
        if a > edge and (best is None or a - edge > best[0]):
            best = (a - edge, (a + edge) / 2)
        edge = max(edge, b)
    return best[1] if best else None


def _centred_rows(lines: list[list[tuple[float, float]]], paragraph: float) -> list[float]:
    """Where rows part in a body whose cells are centred or bottom-aligned: a row's cells share
    the middle (or bottom) of their text, whichever more cells share; between two such rows, the
    middle of the gap every column they share leaves between them."""
    blocks = [[(c, block) for block in _paragraphs(col, paragraph)] for c, col in enumerate(lines)]
    flat = [entry for col in blocks for entry in col]

    def middle(block: tuple[float, float]) -> float:
        return (block[0] + block[1]) / 2

    def shared(key) -> list[list[tuple[int, tuple[float, float]]]]:
        entries = sorted(flat, key=lambda e: key(e[1]))
        groups: list[list] = []
        for entry in entries:
            if groups and key(entry[1]) - key(groups[-1][-1][1]) <= 1.0:
                groups[-1].append(entry)
            else:
                groups.append([entry])
        return [g for g in groups if len({c for c, _ in g}) >= 2]

    by_middle, by_bottom = shared(middle), shared(lambda b: b[1])
    groups = _one_row_apart(max(by_middle, by_bottom, key=lambda gs: sum(len(g) for g in gs)))
    # merged cells centred over the same rows share a middle too (bottom-aligned ones the last
    # row's bottom), over an extent that overlaps other rows': of a group overlapping others, the
    # blocks clear of them and below (or above) them all are a row where they are two columns or
    # more (the last row, beside merged cells at its foot; centred merged cells lie among the
    # rows) and the rows do not begin where it does, nor its blocks all lie within a paragraph's
    # gap of them (no cells' padding between: their lines go on from the rows', seed 241); else a
    # group overlapping two rows apart from each other is merged cells, and one overlapping one row
    # is part of it (some cells of a row printed at its top: LibreOffice does so beside
    # bottom-aligned ones)
    kept = sorted(groups, key=lambda g: _extent(g)[0] - _extent(g)[1])
    for n, group in enumerate(kept):
        others = [_extent(g) for g in kept if g is not group and g]
        over = [e for e in others if _overlap(e, _extent(group))] if group else []
        rest = [(c, b) for c, b in group if not any(_overlap(b, e) for e in over)]
        if over and len({c for c, _ in rest}) >= 2 and not any(abs(e[0] - _extent(rest)[0]) < 1 for e in over) and (
                all(_extent(rest)[0] >= e[1] for e in over) and any(b[0] - max(e[1] for e in over) > paragraph for _, b in rest)
                or all(_extent(rest)[1] <= e[0] for e in over) and any(min(e[0] for e in over) - b[1] > paragraph for _, b in rest)):
            kept[n] = rest
        elif any(not _overlap(a, b) for a, b in combinations(over, 2)):
            kept[n] = []
    rows = _spans([_extent(g) for g in kept if g])
    # a block above or below them all that shares its middle with none is a row of its own (the
    # rest of a row cut at the page's top, text of the next at its foot); a merged cell's lies
    # among the rows it spans
    grouped = {id(b) for g in groups for _, b in g}
    alone = [b for _, b in flat if id(b) not in grouped and rows and (b[1] <= min(t for t, _ in rows) or b[0] >= max(b for _, b in rows))]
    # a row reaches as far as the blocks that overlap it and no other row (a cut row's rest, top-aligned)
    own = [b for _, b in flat if sum(_overlap(b, row) for row in rows) == 1]
    ys = []
    for upper, lower in pairwise(_spans(rows + alone + own)):
        if upper[1] < lower[0]:
            ys.append((upper[1] + lower[0]) / 2)
    return ys


def _one_row_apart(groups: list[list[tuple[int, tuple[float, float]]]]) -> list[list[tuple[int, tuple[float, float]]]]:
    """The groups of blocks sharing a middle or bottom, two that overlap each other and no other
    group, begin at one height and print in no column of each other, joined: a row holds one cell
    per column, so they are one row's cells, some printed at its top (where its tallest cell
    begins) beside the others at its foot (LibreOffice does so beside bottom-aligned ones: seed
    201's CC2.2, its target read into a row of its own)."""
    out = [list(g) for g in groups]
    for group in out:
        over = [g for g in out if g is not group and g and group and _overlap(_extent(g), _extent(group))]
        if len(over) == 1 and abs(_extent(group)[0] - _extent(over[0])[0]) < 1 and not {c for c, _ in group} & {c for c, _ in over[0]} and [
                g for g in out if g is not over[0] and g and _overlap(_extent(g), _extent(over[0]))] == [group]:
            over[0].extend(group)
            group.clear()
    return [g for g in out if g]


def _extent(group: list[tuple[int, tuple[float, float]]]) -> tuple[float, float]:
    """From the top of a group's highest block to the bottom of its lowest."""
    return min(b[0] for _, b in group), max(b[1] for _, b in group)


def _overlap(a: tuple[float, float], b: tuple[float, float]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _spans(extents: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """(top, bottom) extents, those that overlap joined, top to bottom."""
    joined: list[list[float]] = []
    for top, bottom in sorted(extents):
        if joined and top < joined[-1][1]:
            joined[-1][1] = max(joined[-1][1], bottom)
        else:
            joined.append([top, bottom])
    return [(top, bottom) for top, bottom in joined]


def _paragraphs(column: list[tuple[float, float]], paragraph: float) -> list[tuple[float, float]]:
    """(top, bottom) of each run of a column's lines no wider gap than a paragraph's parts."""
    runs: list[list[float]] = []
    for top, bottom in column:
        if runs and top - runs[-1][1] <= paragraph:
            runs[-1][1] = bottom
        else:
            runs.append([top, bottom])
    return [(top, bottom) for top, bottom in runs]


def _uncut(edges: list[dict], frame: Frame) -> list[dict]:
    """The edges, horizontal ones cut back where a column's text runs on through them: a band
    shaded across a row does not end the merged cell whose text goes on over it."""
    paragraph = _paragraph(frame.column_lines)
    kept = [e for e in edges if e["orientation"] != "h"]
    for e in (e for e in edges if e["orientation"] == "h"):
        pieces = [(max(a, e["x0"]), min(b, e["x1"])) for col, (a, b) in zip(frame.column_lines, pairwise(frame.columns), strict=True)
                  if e["x0"] < b and e["x1"] > a and not _flows(col, e["top"], paragraph)]
        if len(pieces) == sum(e["x0"] < b and e["x1"] > a for a, b in pairwise(frame.columns)):
            kept.append(e)  # no column's text runs through it
            continue
        kept += [{**e, "x0": a, "x1": b, "width": b - a} for a, b in pieces]
    return kept


def _paragraph(lines: list[list[tuple[float, float]]]) -> float:
    """A gap wider than a paragraph's lines (the lowest quarter of the gaps: most cells hold few
    lines; or the least gap two pairs of lines leave, where it is lower) starts a new one."""
    # one gap per height: columns side by side leaving the same gap at the same place are one
    # row's rule or one leading, not many (a fragment of two one-line rows, three number columns
    # under a two-line plan: three row gaps outvoted the plan's leading, seed 170)
    spacing = sorted(b - a for a, b in {(round(a[1], 1), round(b[0], 1)) for col in lines for a, b in pairwise(col)})
    # where a few cells' lines are outnumbered by the gaps between rows: the least gap that two
    # pairs of lines leave (a cell's lines are evenly spaced), if less
    quarter = spacing[len(spacing) // 4] if spacing else 0
    repeated = [gap for gap, n in Counter(round(gap * 2) / 2 for gap in spacing).items() if n >= 2]
    return min([quarter, *repeated]) + 1.5


def _open_code_rows(frame: Frame, edges: list[dict]) -> list[dict]:
    """A rule across the first column above each KPI code line where no edge closes the cell
    above, which printed text of its own since its last edge (a code line centred in its cell
    may sit lower than other columns' first lines: nothing above it is another row's then), or
    which printed nothing but ends where a band does (_banded_above)."""
    a, b = frame.columns[0], frame.columns[1]
    crossing = sorted(e["top"] for e in edges if e["orientation"] == "h" and e["x0"] < b and e["x1"] > a)
    rules = []
    for previous, line in frame.code_lines:
        closed = max([frame.body_top] + [y for y in crossing if y <= line["top"] + RULE_TOLERANCE])
        if previous is None or closed >= previous["bottom"] - RULE_TOLERANCE:
            continue
        if any(closed < other["top"] < line["top"] and _first_column_text(other, frame.columns) for other in frame.body):
            y: float | None = (previous["bottom"] + line["top"]) / 2
        else:
            y = _banded_above(frame, line, closed, edges, crossing)
        if y is not None:
            rules.append(_line(a, b, y, y))
    return rules


def _banded_above(frame: Frame, line: Line, closed: float, edges: list[dict], crossing: list[float], tolerance: float = 2.0) -> float | None:
    """Where the row of a code line centred in its cell starts, above it, when the first column
    printed nothing since `closed`: at an edge across the other columns that stops at the first
    column (a band shaded over the rest of a row cut at the page's top, beside the cut merged cell
    above, seed 213), over which the code line's paragraph is centred down to the next edge across
    the first column or the table's foot; None where no such edge is."""
    b = frame.columns[1]
    below = min([y for y in crossing if y > line["bottom"]] + [frame.bottom])
    top, bottom = next((block for block in _paragraphs(frame.column_lines[0], _paragraph(frame.column_lines)) if block[1] > line["top"]),
                       (line["top"], line["bottom"]))  # (a code printed across the column's side: its own line)
    stops = {e["top"] for e in edges if e["orientation"] == "h" and closed + RULE_TOLERANCE < e["top"] < line["top"]
             and abs(e["x0"] - b) <= RULE_TOLERANCE}
    return next((y for y in sorted(stops, reverse=True) if abs((y + below) / 2 - (top + bottom) / 2) <= tolerance), None)


def _flows(column: list[tuple[float, float]], y: float, paragraph: float) -> bool:
    """Whether a column's text runs on through height y: a line crosses it, or the lines either
    side of it are no farther apart than a paragraph's lines (a merged cell's text)."""
    above = [bottom for top, bottom in column if bottom <= y]
    below = [top for top, bottom in column if top >= y]
    crossing = any(top < y < bottom for top, bottom in column)
    return crossing or bool(above and below and min(below) - max(above) <= paragraph)


def _clusters(values: list[float], tolerance: float) -> list[list[float]]:
    """Sorted values in runs whose neighbours lie within tolerance of each other."""
    runs: list[list[float]] = []
    for value in values:
        if runs and value - runs[-1][-1] <= tolerance:
            runs[-1].append(value)
        else:
            runs.append([value])
    return runs


def _top_aligned(lines: list[list[tuple[float, float]]], starts: list[float]) -> bool:
    """Whether the rows' cells start at one height (Word's default), not centred: in most rows
    from one of `starts` to the next, every column's first text there begins where the others' do
    (a paragraph begun above the row's start, a centred cell taller than the code line's, counts
    where it begins)."""
    paragraph = _paragraph(lines)
    blocks = [_paragraphs(col, paragraph) for col in lines]
    bounds = [*starts, float("inf")]  # rows that begin at a code line: above the first, a cut row's rest
    rows = [[next(top for top, bottom in col if bottom > a) for col in blocks if any(a < top < b or top < a < bottom for top, bottom in col)]
            for a, b in pairwise(bounds)]
    aligned = [max(tops) - min(tops) < 1 for tops in rows if tops]
    return sum(aligned) >= 0.8 * len(aligned) if aligned else False


def _blocks_top_aligned(lines: list[list[tuple[float, float]]]) -> bool | None:
    """Whether cells are top-aligned, told without a code line (a page holding only the rest of a
    table): of text blocks side by side in two columns, of different heights (where alignment
    shows), more share their top than their middle or bottom; None where none tell."""
    paragraph = _paragraph(lines)
    blocks = [(c, block) for c, col in enumerate(lines) for block in _paragraphs(col, paragraph)]
    top = other = 0
    for (c, (t, b)), (d, (u, v)) in combinations(blocks, 2):
        if c != d and t < v and u < b and abs((b - t) - (v - u)) > 1:
            top += abs(t - u) < 1
            other += abs((t + b) - (u + v)) < 2 or abs(b - v) < 1
    return top > other if top or other else None


def _column_lines(chars: list[dict], x0: float, x1: float) -> list[tuple[float, float]]:
    """(top, bottom) of each line of text between x0 and x1, top to bottom."""
    lines: list[list[float]] = []
    for c in sorted((c for c in chars if x0 <= (c["x0"] + c["x1"]) / 2 < x1), key=lambda c: c["top"]):
        if lines and c["top"] < lines[-1][1] - 1:
            lines[-1][1] = max(lines[-1][1], c["bottom"])
        else:
            lines.append([c["top"], c["bottom"]])
    return [(top, bottom) for top, bottom in lines]


def _line(x0: float, x1: float, top: float, bottom: float) -> dict:
    return {"x0": x0, "x1": x1, "top": top, "bottom": bottom, "width": x1 - x0, "height": bottom - top,
            "object_type": "line"}
