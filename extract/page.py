"""One page as the table geometry reads it: chars and ruling edges, pdfplumber's plain dicts.

Whichever library parsed the page (PDFium by default, pdfminer through pdfplumber to compare), the
rest of extract/ sees only this; pdfplumber's table finder and text-line builder take it as they
take a pdfplumber page.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import cached_property
from operator import itemgetter

from pdfplumber.table import Table as PlumberTable, TableFinder, TableSettings, cells_to_tables
from pdfplumber.utils import extract_words
from pdfplumber.utils.text import LIGATURES, chars_to_textmap

BBox = tuple[float, float, float, float]


@dataclass
class PageContent:
    number: int
    width: float
    height: float
    chars: list[dict]
    edges: list[dict]  # horizontal ("h") and vertical ("v") segments of the page's lines and rectangles

    @property
    def bbox(self) -> BBox:
        return (0.0, 0.0, self.width, self.height)

    def extract_words(self, **kwargs) -> list[dict]:  # what pdfplumber's "text" table strategy calls
        return extract_words(self.chars, **kwargs)

    def within(self, bbox: BBox) -> PageContent:
        """The chars whose middle and the edges that lie in bbox (a region's own table finding)."""
        return PageContent(self.number, self.width, self.height, self.chars_inside(bbox), [e for e in self.edges if middle_inside(e, bbox)])

    def chars_inside(self, bbox: BBox) -> list[dict]:
        """The chars whose middle lies in bbox (middle_inside), in the page's order."""
        return [self.chars[i] for i in sorted(self._inside(bbox))]

    def chars_outside(self, boxes: list[BBox]) -> list[dict]:
        """The chars whose middle lies in none of the boxes, in the page's order."""
        inside = {i for bbox in boxes for i in self._inside(bbox)}
        return [c for i, c in enumerate(self.chars) if i not in inside]

    def _inside(self, bbox: BBox) -> list[int]:
        """The indexes of the chars whose middle lies in bbox: those at its heights found by
        bisection, not by a look at every char of the page."""
        x0, top, x1, bottom = bbox
        ys, order = self._by_middle
        middles = self._middles
        return [i for i in order[bisect_left(ys, top): bisect_right(ys, bottom)] if x0 <= middles[i][0] <= x1]

    @cached_property
    def largest_size(self) -> float:
        """The font size of the page's largest chars (0 without chars)."""
        return max((c["size"] for c in self.chars), default=0.0)

    def by_middle(self) -> tuple[list[tuple[float, float, dict]], list[float]]:
        """(x middle, y middle, char) sorted by the y middle, and those y middles (for bisection),
        from the middles computed once for the page."""
        (ys, order), middles, chars = self._by_middle, self._middles, self.chars
        return [(*middles[i], chars[i]) for i in order], ys

    def x_middles(self) -> list[float]:
        """The chars' x middles, in the page's order (as middle_inside computes them)."""
        return [x for x, _ in self._middles]

    @cached_property
    def _middles(self) -> list[tuple[float, float]]:  # as middle_inside computes them; chars are not changed once read
        return [((c["x0"] + c["x1"]) / 2, (c["top"] + c["bottom"]) / 2) for c in self.chars]

    @cached_property
    def _by_middle(self) -> tuple[list[float], list[int]]:
        """The chars' middle heights, sorted, and the index of the char of each."""
        ys = [y for _, y in self._middles]
        order = sorted(range(len(ys)), key=ys.__getitem__)
        return [ys[i] for i in order], order


def middle_inside(obj: dict, bbox: BBox) -> bool:
    """Whether the middle of a char or edge lies in bbox."""
    x0, top, x1, bottom = bbox
    return x0 <= (obj["x0"] + obj["x1"]) / 2 <= x1 and top <= (obj["top"] + obj["bottom"]) / 2 <= bottom


def find_tables(page: PageContent, settings: dict) -> list[PlumberTable]:
    return _TableFinder(page, settings).tables


class _TableFinder(TableFinder):
    """pdfplumber's TableFinder (its edges, tables and cells), with the same intersections and cells
    found without its two quadratic loops: every vertical edge against every horizontal one, sorted
    again for each, and every point against every later one, their edges' sets built at each
    comparison. Those were half the time the finder took on a report's page."""

    def __init__(self, page: PageContent, settings: dict):
        self.page = page  # type: ignore[assignment]  # PageContent has what TableFinder reads of a Page
        self.settings = TableSettings.resolve(settings)
        self.edges = _ruling_edges(page, self.settings) if _by_rules(self.settings) else self.get_edges()
        self.intersections = _intersections(self.edges, self.settings.intersection_x_tolerance, self.settings.intersection_y_tolerance)
        self.cells = _cells(self.intersections)
        self.tables = [PlumberTable(self.page, group) for group in cells_to_tables(self.cells)]


def _by_rules(settings: TableSettings) -> bool:
    """Whether the settings find tables by the page's rules and given horizontal lines only (as
    the default ones do, with closing_lines): the edges _ruling_edges merges."""
    return (settings.vertical_strategy == settings.horizontal_strategy == "lines" and not settings.explicit_vertical_lines
            and all(isinstance(line, dict) and line.get("object_type") == "line" for line in settings.explicit_horizontal_lines or ()))


def _ruling_edges(page: PageContent, settings: TableSettings) -> list[dict]:
    """TableFinder.get_edges for _by_rules settings: the same edges, snapped and joined as
    pdfplumber's merge_edges does, to the same coordinates (its arithmetic in its order), without
    its copy of every key of an edge at each move: the table finder's slowest step."""
    prefilter = settings.edge_min_length_prefilter
    v = [e for e in page.edges if e["orientation"] == "v" and e["height"] >= prefilter]
    h = [e for e in page.edges if e["orientation"] == "h" and e["width"] >= prefilter]
    # a given line is an edge where it is horizontal (pdfplumber's line_to_edge: top == bottom)
    h += [{**line, "orientation": "h"} for line in settings.explicit_horizontal_lines or ()
          if isinstance(line, dict) and line["top"] == line["bottom"]]
    if settings.snap_x_tolerance > 0 or settings.snap_y_tolerance > 0:
        v, h = _snapped(v, "x0", "x1", settings.snap_x_tolerance), _snapped(h, "top", "bottom", settings.snap_y_tolerance)
    edges = [*_joined(h, "top", "x0", "x1", "width", settings.join_x_tolerance),
             *_joined(v, "x0", "top", "bottom", "height", settings.join_y_tolerance)]
    return [e for e in edges if e["height" if e["orientation"] == "v" else "width"] >= settings.edge_min_length]


def _snapped(edges: list[dict], at: str, end: str, tolerance: float) -> list[dict]:
    """pdfplumber's snap_objects: edges whose positions (`at`) lie within the tolerance of the
    next one's are moved to their mean, by cluster, each cluster's edges in their order."""
    clusters: dict[float, list[dict]] = {}  # the first position of each cluster → its edges
    first, last = {}, None
    for value in sorted({e[at] for e in edges}):
        first[value] = value if last is None or value > last + tolerance else first[last]
        last = value
    for e in edges:
        clusters.setdefault(first[e[at]], []).append(e)
    out = []
    for start in sorted(clusters):
        cluster = clusters[start]
        mean = sum(e[at] for e in cluster) / len(cluster)
        for e in cluster:
            shift = mean - e[at]
            moved = {**e, at: e[at] + shift, end: e[end] + shift}
            if at == "top":  # pdfplumber's move_object moves the vertical coordinates a reader adds too
                if "doctop" in e:
                    moved["doctop"] = e["doctop"] + shift
                if "y0" in e:
                    moved["y0"], moved["y1"] = e["y0"] - shift, e["y1"] - shift
            out.append(moved)
    return out


def _joined(edges: list[dict], at: str, start: str, end: str, length: str, tolerance: float) -> list[dict]:
    """pdfplumber's join_edge_group over each line (edges at one position, by position): edges
    that overlap or lie within the tolerance of the one before along it are one edge."""
    lines: dict[float, list[dict]] = {}
    for e in edges:
        lines.setdefault(e[at], []).append(e)
    out = []
    for position in sorted(lines):
        joined: list[dict] = []
        for e in sorted(lines[position], key=itemgetter(start)):
            last = joined[-1] if joined else None
            if last is None or e[start] > last[end] + tolerance:
                joined.append(e)
            elif e[end] > last[end]:  # pdfplumber's resize_object: a length grown by the difference
                grown = e[end] - last[start] if end == "x1" else last[length] + (e[end] - last[end])
                joined[-1] = {**last, end: e[end], length: grown}
                if end == "bottom" and "y0" in last:
                    joined[-1]["y0"] = last["y0"] - (e[end] - last[end])
        out += joined
    return out


def _intersections(edges: list[dict], x_tolerance: float, y_tolerance: float) -> dict:
    """pdfplumber's edges_to_intersections: the same points, with the same edges in the same
    order; the horizontal edges a vertical one may meet are found by bisection on their tops."""
    h_edges = sorted((e for e in edges if e["orientation"] == "h"), key=itemgetter("top", "x0"))
    # the comparisons pdfplumber makes, as sorted keys: v.top <= h.top + tol and v.bottom >= h.top - tol
    raised = [e["top"] + y_tolerance for e in h_edges]
    lowered = [e["top"] - y_tolerance for e in h_edges]
    intersections: dict = {}
    for v in sorted((e for e in edges if e["orientation"] == "v"), key=itemgetter("x0", "top")):
        x = v["x0"]
        for h in h_edges[bisect_left(raised, v["top"]): bisect_right(lowered, v["bottom"])]:
            if x >= h["x0"] - x_tolerance and x <= h["x1"] + x_tolerance:
                vertex = (x, h["top"])
                if vertex not in intersections:
                    intersections[vertex] = {"v": [], "h": []}
                intersections[vertex]["v"].append(v)
                intersections[vertex]["h"].append(h)
    return intersections


def _cells(intersections: dict) -> list[tuple[float, float, float, float]]:
    """pdfplumber's intersections_to_cells: for each point, the smallest cell it is the top-left
    corner of, where edges connect it to the points below and right of it and to the corner opposite."""
    def bboxes(edges: list[dict]) -> set[tuple]:
        return {(e["x0"], e["top"], e["x1"], e["bottom"]) for e in edges}

    edge_sets = {point: (bboxes(found["v"]), bboxes(found["h"])) for point, found in intersections.items()}

    def connects(p1: tuple, p2: tuple) -> bool:
        return (p1[0] == p2[0] and not edge_sets[p1][0].isdisjoint(edge_sets[p2][0])) or (
            p1[1] == p2[1] and not edge_sets[p1][1].isdisjoint(edge_sets[p2][1]))

    points = sorted(intersections)
    columns: dict[float, list[tuple]] = {}  # points by x, top to bottom
    rows: dict[float, list[tuple]] = {}  # points by y, left to right
    for point in points:
        columns.setdefault(point[0], []).append(point)
        rows.setdefault(point[1], []).append(point)
    cells = []
    for point in points:
        column, row = columns[point[0]], rows[point[1]]
        below, right = column[column.index(point) + 1:], row[row.index(point) + 1:]
        cell = next(((point[0], point[1], r[0], b[1]) for b in below if connects(point, b) for r in right if connects(point, r)
                     if (r[0], b[1]) in edge_sets and connects((r[0], b[1]), r) and connects((r[0], b[1]), b)), None)
        if cell:
            cells.append(cell)
    return cells


def text_lines(chars: list[dict]) -> list[dict]:
    """The chars as lines of text (with their chars), as pdfplumber's extract_text_lines gives them
    (its text map with default settings: words of chars within 3 pt, lines of words whose tops lie
    within 3 pt in a chain). Upright chars without line breaks, as every page reader here gives, are
    grouped directly: pdfplumber's word dicts, text map and regular expression over it cost twice as
    much."""
    if not chars:
        return []
    upright = chars[0]["upright"]
    if not upright or any(c["upright"] != upright or "\n" in c["text"] for c in chars):
        return chars_to_textmap(chars).extract_text_lines(strip=True, return_chars=True)
    # a char of one letter, not a ligature, is one letter of the line: the line is its words' chars
    simple = all(len(c["text"]) == 1 and c["text"] not in LIGATURES for c in chars)
    words = [word for line in _clustered(chars, [c["top"] for c in chars]) for word in _words(sorted(line, key=_X0))]
    lines = []
    for line in _clustered(words, [min(c["top"] for c in word) for word in words], in_order=True):
        if simple:
            text, kept = " ".join("".join(c["text"] for c in word) for word in line), [c for word in line for c in word]
        else:
            text, kept = _letters(line)
            if not text.strip():
                continue
        lines.append({"text": text, "x0": min(c["x0"] for c in kept), "top": min(c["top"] for c in kept),
                      "x1": max(c["x1"] for c in kept), "bottom": max(c["bottom"] for c in kept), "chars": kept})
    return lines


_X0 = itemgetter("x0")
_TOLERANCE = 3  # pdfplumber's default x and y tolerance


def _letters(line: list[list[dict]]) -> tuple[str, list[dict]]:
    """A line's text as pdfplumber's text map writes it (words one space apart, ligatures expanded,
    spaces at its ends stripped), and the char of each of its letters (a ligature's once a letter)."""
    letters: list[tuple[str, dict | None]] = []
    for word in line:
        if letters:  # one space between words, once the line holds a letter
            letters.append((" ", None))
        letters += [(letter, c) for c in word for letter in LIGATURES.get(c["text"], c["text"])]
    text = "".join(letter for letter, _ in letters)
    start = len(text) - len(text.lstrip(" "))
    text = text.strip(" ")
    return text, [c for _, c in letters[start:start + len(text)] if c is not None]


def _clustered(objects: list, keys: list[float], in_order: bool = False) -> list[list]:
    """pdfplumber's cluster_objects: keys within the tolerance of the one before (sorted) are one
    cluster; the objects by cluster (in_order: runs of one cluster in the objects' order)."""
    values = sorted(set(keys))
    cluster, index, last = {}, 0, values[0]
    for value in values:
        if value > last + _TOLERANCE:
            index += 1
        cluster[value] = index
        last = value
    tagged = [(cluster[key], o) for key, o in zip(keys, objects, strict=True)]
    if not in_order:
        tagged.sort(key=itemgetter(0))
    out: list[list] = []
    previous = None
    for index, o in tagged:
        if index != previous:
            out.append([])
            previous = index
        out[-1].append(o)
    return out


def _words(line: list[dict]) -> list[list[dict]]:
    """pdfplumber's words of a line's chars (sorted by x0): a blank char ends a word, an empty one
    is a word of its own, a char before the last's start, beyond its end by more than the tolerance
    or off its top by more starts one."""
    words: list[list[dict]] = []
    current: list[dict] = []
    for char in line:
        text = char["text"]
        if text.isspace() or not text:
            if current:
                words.append(current)
            current = []
            if not text:
                words.append([char])
            continue
        if current:
            last = current[-1]
            if char["x0"] < last["x0"] or char["x0"] > last["x1"] + _TOLERANCE or abs(char["top"] - last["top"]) > _TOLERANCE:
                words.append(current)
                current = [char]
                continue
        current.append(char)
    if current:
        words.append(current)
    return words
