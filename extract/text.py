"""Text dump → blocks: tab-separated lines are table rows, a blank line ends a table."""
from __future__ import annotations

import codecs
from pathlib import Path

from kpi_scorecard.extract.blocks import Block, Table, TextLine
from kpi_scorecard.extract.errors import UnreadableText


def read_text(path: Path) -> str:
    """The dump's text; only UTF-8 (with or without BOM) is accepted, never guessed."""
    data = path.read_bytes()
    if not data.strip():
        raise UnreadableText(path, "file is empty")
    if b"\x00" in data:  # UTF-16 text of ASCII letters would otherwise pass as UTF-8
        raise UnreadableText(path, not_utf8_message(data, data.index(b"\x00"), path.name))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise UnreadableText(path, not_utf8_message(data, e.start, path.name)) from None


def not_utf8_message(data: bytes, at: int, name: str) -> str:
    """What the dump looks like and the command that converts it; the guess is for the message only."""
    encoding = likely_encoding(data)
    if encoding is None:
        return f"not UTF-8 text (invalid byte at offset {at}); convert it to UTF-8 first, e.g. with iconv"
    return f"not UTF-8 text (looks like {encoding}); convert it first: iconv -f {encoding} -t UTF-8 {name} > utf8-{name}"


def likely_encoding(data: bytes) -> str | None:
    """iconv's name for the encoding the bytes decode in, of the few a dump comes in; None: unknown."""
    head = data[:4096]
    if head[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE) or head.count(0) > len(head) // 8:
        return "UTF-16"  # without a BOM: every other byte of Latin text is NUL
    for name in ("BIG5", "CP950"):  # Taiwan's legacy encodings; CP950 extends Big5
        try:
            data.decode(name)
            return name
        except UnicodeDecodeError:
            continue
    return None


def text_to_blocks(text: str) -> list[Block]:
    """Split a dump into text lines and tables; pages are unknown in a dump (None)."""
    blocks: list[Block] = []
    rows: list[list[str | None]] = []
    for line in text.splitlines():
        if "\t" in line:
            rows.append([*line.split("\t")])
            continue
        if rows:
            blocks.append(Table(rows=rows, page=None))
            rows = []
        if line.strip():
            blocks.append(TextLine(text=line.strip(), page=None))
    if rows:
        blocks.append(Table(rows=rows, page=None))
    return blocks
