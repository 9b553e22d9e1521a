"""Text dump → blocks: tab-separated lines are table rows, a blank line ends a table."""
from __future__ import annotations

from pathlib import Path

from extract.blocks import Block, TextLine, Table
from extract.errors import UnreadableText


def read_text(path: Path) -> str:
    """The dump's text; only UTF-8 (with or without BOM) is accepted, never guessed."""
    data = path.read_bytes()
    if not data.strip():
        raise UnreadableText(path, "file is empty")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise UnreadableText(path, f"not UTF-8 text (byte {e.start}); convert it with iconv first") from None


def text_to_blocks(text: str) -> list[Block]:
    """Split a dump into text lines and tables; pages are unknown in a dump (None)."""
    blocks: list[Block] = []
    rows: list[list[str | None]] = []
    for line in text.splitlines():
        if "\t" in line:
            rows.append(line.split("\t"))
            continue
        if rows:
            blocks.append(Table(rows=rows, page=None))
            rows = []
        if line.strip():
            blocks.append(TextLine(text=line.strip(), page=None))
    if rows:
        blocks.append(Table(rows=rows, page=None))
    return blocks
