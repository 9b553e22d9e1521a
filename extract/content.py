"""Page content → pdfplumber's objects, in a third of the time pdfplumber takes.

Two costs make up most of reading a page. pdfminer reads content streams byte by byte through a
state machine: one regular expression over the whole stream yields the same objects several
times faster (content with inline images, BI … ID … EI, whose binary data only pdfminer's reader
scans, still goes through it). And each char becomes a pdfminer LTChar, then a dict through
pdfplumber's generic walk over its attributes: CharDevice makes the dict at once. The objects
are pdfplumber's own, to the byte; tests/test_content.py compares them.
"""
from __future__ import annotations

import contextlib
import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Any
from unicodedata import normalize

from pdfminer import settings
from pdfminer.layout import LTPage
from pdfminer.pdfcolor import PDFColorSpace
from pdfminer.pdffont import PDFFont, PDFUnicodeNotDefined
from pdfminer.pdfinterp import PDFGraphicState, PDFInterpreterError, PDFPageInterpreter
from pdfminer.pdftypes import PDFStream, stream_value
from pdfminer.psparser import KWD, LIT, PSKeyword, PSSyntaxError, keyword_name, literal_name
from pdfminer.utils import Matrix
from pdfplumber.page import Page, PDFPageAggregatorWithMarkedContent, fix_fontname_bytes
from pdfplumber.utils import resolve_all, resolve_and_decode
from pdfplumber.utils.exceptions import PdfminerException

# One match per token, whitespace and comments before it skipped. The alternatives end tokens
# where pdfminer's END_* patterns do; strings nest one level deep here (deeper ones, unbalanced
# ones and inline images go back to pdfminer's reader).
_DELIMITED = rb"[^#/%\[\]()<>{}\s]"
_STRING_PART = rb"(?:[^()\\]|\\[\s\S])*"
_TOKEN = re.compile(
    rb"(?:[\s\x00]|%[^\r\n]*)*(?:"
    rb"(?P<int>[-+]?[0-9]+)(?![.0-9])"
    rb"|(?P<float>[-+0-9][0-9]*(?:\.[0-9]*)?|\.[0-9]*)"  # a lone sign or dot too: float() drops it
    rb"|(?P<keyword>[A-Za-z]" + _DELIMITED + rb"*)"
    rb"|<(?!<)(?P<hex>[0-9a-fA-F\s]*)"  # its '>' is read as pdfminer reads it: '>>' after it ends a dict
    rb"|/(?P<literal>(?:" + _DELIMITED + rb"|#[0-9a-fA-F]{0,2})*)"
    rb"|(?P<open>\[|\{|<<)"
    rb"|(?P<close>\]|\}|>>)"
    rb"|\((?P<string>" + _STRING_PART + rb"(?:\(" + _STRING_PART + rb"\)" + _STRING_PART + rb")*)\)"
    rb"|(?P<other>[^\s\x00])"
    rb"|\Z)"
)
INT, FLOAT, KEYWORD, HEX, LITERAL, OPEN, CLOSE, STRING, OTHER = range(1, 10)
_OPENER = {b"]": b"[", b"}": b"{", b">>": b"<<"}
_NAME_ESCAPE = re.compile(rb"#([0-9a-fA-F]{0,2})")
_STRING_ESCAPE = re.compile(rb"\\(?:([0-7]{1,3})|\r\n|([\s\S]))")
_ESCAPED = {b"b": b"\b", b"t": b"\t", b"n": b"\n", b"f": b"\f", b"r": b"\r", b"(": b"(", b")": b")", b"\\": b"\\"}
_SPACE = re.compile(rb"\s")
_INLINE_IMAGE = (KWD(b"BI"), KWD(b"ID"))


class Unhandled(Exception):
    """Content this reader leaves to pdfminer's: inline images, deeply nested strings."""


def content_objects(data: bytes) -> list[Any]:
    """The top-level objects of a content stream as pdfminer's PDFContentParser yields them:
    numbers, names (PSLiteral), strings (bytes), operators (PSKeyword), arrays and dicts."""
    out: list[Any] = []
    stack: list[tuple[bytes, list[Any]]] = []
    current = out
    for m in _TOKEN.finditer(data):
        kind = m.lastindex
        if kind == INT:
            current.append(int(m.group(kind)))
        elif kind == KEYWORD:
            text = m.group(kind)
            current.append(True if text == b"true" else False if text == b"false" else KWD(text))
            if current[-1] in _INLINE_IMAGE:
                raise Unhandled(text)
        elif kind == FLOAT:
            with contextlib.suppress(ValueError):  # a lone sign or dot: pdfminer drops it
                current.append(float(m.group(kind)))
        elif kind == HEX:
            current.append(_hex_bytes(_SPACE.sub(b"", m.group(kind))))
        elif kind == LITERAL:
            current.append(LIT(_name(m.group(kind))))
        elif kind == OPEN:
            stack.append((m.group(kind), current))
            current = []
        elif kind == CLOSE:
            if stack and stack[-1][0] == _OPENER[m.group(kind)]:  # a stray closer is dropped, as pdfminer does
                opener, parent = stack.pop()
                parent.append(_dict(current) if opener == b"<<" else current)
                current = parent
        elif kind == STRING:
            current.append(_STRING_ESCAPE.sub(_unescape, m.group(kind)))
        elif kind == OTHER:
            text = m.group(kind)
            if text == b"(":
                raise Unhandled(text)
            if text != b">":  # a lone '>' yields nothing in pdfminer
                current.append(KWD(text))
    return out  # objects inside an array left open at the end are lost, as in pdfminer


def _dict(items: list[Any]) -> dict[str, Any]:
    if len(items) % 2:
        raise PSSyntaxError(f"Invalid dictionary construct: {items!r}")
    return {literal_name(k): v for k, v in zip(items[::2], items[1::2])}


def _unescape(m: re.Match[bytes]) -> bytes:
    """A backslash escape in a literal string, read as pdfminer reads it: unknown escapes and
    escaped line breaks vanish."""
    if m.group(1):
        return bytes((int(m.group(1), 8) & 0xFF,))
    return _ESCAPED.get(m.group(2), b"")


def _name(raw: bytes) -> str | bytes:
    if b"#" in raw:
        raw = _NAME_ESCAPE.sub(lambda m: bytes((int(m.group(1), 16),)) if m.group(1) else b"", raw)
    try:
        return str(raw, "utf-8")
    except UnicodeDecodeError:
        return raw


def _hex_bytes(digits: bytes) -> bytes:
    if len(digits) % 2:  # pdfminer reads a trailing odd digit as a byte of its own
        return bytes.fromhex(digits[:-1].decode()) + bytes((int(digits[-1:], 16),))
    return bytes.fromhex(digits.decode())


class ContentInterpreter(PDFPageInterpreter):
    """pdfminer's page interpreter, reading content through content_objects()."""

    def execute(self, streams: Sequence[object]) -> None:
        valid: list[PDFStream] = []
        self.stream_ids.clear()
        for obj in streams:  # pdfminer's guard against content that invokes itself
            stream = stream_value(obj)
            if stream.objid is None or stream.objid in self.parent_stream_ids:
                continue
            valid.append(stream)
            self.stream_ids.add(stream.objid)
        try:
            # pdfminer ends a token at a stream's end, as if a line break followed it
            objects = content_objects(b"\n".join(s.get_data() for s in valid))
        except Unhandled:
            super().execute(streams)
            return
        operators: dict[PSKeyword, tuple[Any, int] | None] = {}
        for obj in objects:
            if not isinstance(obj, PSKeyword):
                self.argstack.append(obj)
                continue
            if obj not in operators:
                operators[obj] = self._operator(obj)
            operator = operators[obj]
            if operator is None:
                continue
            func, nargs = operator
            if nargs:
                args = self.pop(nargs)
                if len(args) == nargs:
                    func(*args)
            else:
                func()

    def _operator(self, keyword: PSKeyword) -> tuple[Any, int] | None:
        name = keyword_name(keyword)
        method = "do_" + name.replace("*", "_a").replace('"', "_w").replace("'", "_q")
        if not hasattr(self, method):
            if settings.STRICT:
                raise PDFInterpreterError(f"Unknown operator: {name!r}")
            return None
        func = getattr(self, method)
        return func, func.__code__.co_argcount - 1


class ContentPage(Page):
    """A pdfplumber page read by ContentInterpreter into CharDevice: the same objects as
    pdfplumber's own Page gives (tests/test_content.py compares them), in less time."""

    cached_properties = Page.cached_properties + ["_chars"]

    @classmethod
    def of(cls, page: Page) -> ContentPage:
        return cls(page.pdf, page.page_obj, page.page_number, page.initial_doctop)

    @property
    def layout(self) -> LTPage:
        if not hasattr(self, "_layout"):
            device = CharDevice(self)
            try:
                ContentInterpreter(self.pdf.rsrcmgr, device).process_page(self.page_obj)
            except Exception as e:  # as pdfplumber's own Page.layout does
                raise PdfminerException(e) from e
            self._layout, self._chars = device.get_result(), device.chars
        return self._layout

    def parse_objects(self) -> dict[str, list[dict[str, Any]]]:
        objects = super().parse_objects()  # what the layout holds: every object but the chars
        if self._chars:
            objects["char"] = self._chars
        return objects


class CharDevice(PDFPageAggregatorWithMarkedContent):
    """pdfplumber's device, except that a char becomes pdfplumber's dict of it at once: most of a
    page's objects are chars, and pdfminer's LTChar, then pdfplumber's generic walk over its
    attributes, cost more than the rest of reading the page."""

    def __init__(self, page: ContentPage):
        super().__init__(page.pdf.rsrcmgr, pageno=page.page_number, laparams=page.pdf.laparams)
        self.page = page
        self.chars: list[dict[str, Any]] = []
        # what pdfplumber's process_object adds to pdfminer's coordinates, the same for every char
        self.x_shift, self.y_shift = page.mediabox[:2]
        self.height = page.height

    def render_char(
        self, matrix: Matrix, font: PDFFont, fontsize: float, scaling: float, rise: float, cid: int,
        ncs: PDFColorSpace, graphicstate: PDFGraphicState,
    ) -> float:
        """As pdfminer's PDFLayoutAnalyzer.render_char with LTChar, then pdfplumber's process_object."""
        try:
            text = font.to_unichr(cid)
        except PDFUnicodeNotDefined:
            text = self.handle_undefined_char(font, cid)
        adv = font.char_width(cid) * fontsize * scaling
        vertical = font.is_vertical()
        if vertical:
            vx, vy = font.char_disp(cid)
            vx = fontsize * 0.5 if vx is None else vx * fontsize * 0.001
            vy = (1000 - vy) * fontsize * 0.001
            bbox = (-vx, vy + rise + adv, -vx + fontsize, vy + rise)
        else:
            descent = font.get_descent() * fontsize
            bbox = (0, descent + rise, adv, descent + rise + fontsize)
        a, b, c, d, e, f = matrix
        # pdfminer's apply_matrix_rect inlined: the same sums, compared in the same order
        left, bottom, right, up = bbox
        xs = (a * left + c * bottom + e, a * left + c * up + e, a * right + c * bottom + e, a * right + c * up + e)
        ys = (b * left + d * bottom + f, b * right + d * bottom + f, b * right + d * up + f, b * left + d * up + f)
        x0, y0, x1, y1 = min(xs), min(ys), max(xs), max(ys)
        page = self.page
        top = self.height - y1 + self.y_shift
        if page.pdf.unicode_norm is not None:
            text = normalize(page.pdf.unicode_norm, text)
        fontname = font.fontname
        self.chars.append({
            "matrix": matrix, "fontname": fix_fontname_bytes(fontname) if isinstance(fontname, bytes) else fontname,
            "adv": adv, "upright": a * d * scaling > 0 and b * c <= 0,
            "x0": x0 + self.x_shift, "y0": y0, "x1": x1 + self.x_shift, "y1": y1, "width": x1 - x0, "height": y1 - y0,
            "size": x1 - x0 if vertical else y1 - y0, "mcid": resolve_all(self.cur_mcid), "tag": self.cur_tag,
            "object_type": "char", "page_number": page.page_number, "ncs": _colorspace_name(ncs.name), "text": text,
            "stroking_color": _color(graphicstate.scolor), "non_stroking_color": _color(graphicstate.ncolor),
            "top": top, "bottom": self.height - y0 + self.y_shift, "doctop": page.initial_doctop + top,
        })
        return adv


def _color(value: Any) -> tuple[Any, ...]:
    return value if isinstance(value, tuple) else (value,)


@lru_cache(maxsize=None)
def _colorspace_name(name: Any) -> Any:
    return resolve_and_decode(name)
