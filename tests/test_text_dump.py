"""Text dumps on their own (extract/text.py): lines and tables, and what an encoding is taken for."""
from __future__ import annotations

import pytest

from kpi_scorecard.extract.blocks import Table, TextLine
from kpi_scorecard.extract.errors import UnreadableText
from kpi_scorecard.extract.text import likely_encoding, read_text, text_to_blocks


def test_tab_separated_lines_are_tables_and_a_blank_line_ends_one():
    text = "營造永續環境(A)\n\n關鍵績效指標\t110 年目標值\nAC1.1 x\t12.9\n\t\n  AC1 提升環境品質  \nKPI\t目標值\n"
    assert text_to_blocks(text) == [
        TextLine("營造永續環境(A)", None),
        Table([["關鍵績效指標", "110 年目標值"], ["AC1.1 x", "12.9"], ["", ""]], None),
        TextLine("AC1 提升環境品質", None),
        Table([["KPI", "目標值"]], None),
    ]
    assert text_to_blocks("") == [] and text_to_blocks("a\tb") == [Table([["a", "b"]], None)]


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        ("營造永續環境".encode("big5"), "BIG5"),
        ("碁銹".encode("cp950"), "CP950"),  # CP950 only
        ("AC1.1".encode("utf-16"), "UTF-16"),  # with its BOM
        ("AC1.1 營造".encode("utf-16-le"), "UTF-16"),  # without: every other byte NUL
        (b"AC1.1 \xa1 ", None),  # a Big5 lead byte with no trail byte
    ],
)
def test_likely_encoding(data, encoding):
    assert likely_encoding(data) == encoding


@pytest.mark.parametrize(
    ("data", "text", "message"),
    [
        ("\ufeffAC1.1\t12.9".encode(), "AC1.1\t12.9", None),  # the BOM dropped
        (b" \n\t", None, "file is empty"),
        ("營造".encode("big5"), None, "not UTF-8 text (looks like BIG5); convert it first: iconv -f BIG5 -t UTF-8 d.txt > utf8-d.txt"),
        ("AC".encode("utf-16-le"), None, "not UTF-8 text (looks like UTF-16); convert it first: iconv -f UTF-16 -t UTF-8 d.txt > utf8-d.txt"),
        (b"AC1.1 \xa1 ", None, "not UTF-8 text (invalid byte at offset 6); convert it to UTF-8 first, e.g. with iconv"),
    ],
)
def test_read_text(tmp_path, data, text, message):
    path = tmp_path / "d.txt"
    path.write_bytes(data)
    if message is None:
        assert read_text(path) == text
        return
    with pytest.raises(UnreadableText) as raised:
        read_text(path)
    assert str(raised.value) == f"d.txt: {message}"
