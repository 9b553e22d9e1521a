"""Damaged inputs through the CLI: never a traceback, exit 0 or 1, a failed document leaves no row,
and loading the same batch again changes nothing.

Mutations are seeded (the same cases every run). Each batch of cases goes through one run into a
fresh warehouse, then through a second run into the same warehouse. The text cases mutate the
dump's contents and first theme (theme A: 23 KPIs); the PDF cases a lean one-page PDF cut from the
report (page 7, seven KPIs), so that a case costs a fraction of a second.
"""
from __future__ import annotations

import random
import re
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner
from conftest import REPORT_TXT, comparable
from pdfs import lean_page_pdf

from kpi_scorecard.cli import main
from kpi_scorecard.extract.document import document_to_blocks
from kpi_scorecard.extract.errors import InputError
from kpi_scorecard.extract.settings import PdfSettings
from kpi_scorecard.normalize.scorecard import blocks_to_scorecard

TEXT_CASES = 160
PDF_CASES = 64
BATCH = 16
Mutation = Callable[[random.Random, bytes], bytes]


# --- byte mutations: any input -----------------------------------------------------------------

def truncate(rng: random.Random, data: bytes) -> bytes:
    return data[: rng.randrange(len(data))]


def flip_bytes(rng: random.Random, data: bytes) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 20)):
        out[rng.randrange(len(out))] = rng.randrange(256)
    return bytes(out)


def overwrite_chunk(rng: random.Random, data: bytes) -> bytes:
    at, size = rng.randrange(len(data)), rng.randint(16, 512)
    return data[:at] + rng.randbytes(size) + data[at + size :]


def delete_chunk(rng: random.Random, data: bytes) -> bytes:
    at = rng.randrange(len(data))
    return data[:at] + data[at + rng.randint(1, 2048) :]


def duplicate_chunk(rng: random.Random, data: bytes) -> bytes:
    at = rng.randrange(len(data))
    return data[:at] + data[at : at + rng.randint(1, 2048)] + data[at:]


# --- line mutations: a text dump that is still UTF-8, for the normalizer ---------------------------

def on_lines(change: Callable[[random.Random, list[str]], None]) -> Mutation:
    def mutate(rng: random.Random, data: bytes) -> bytes:
        lines = data.decode("utf-8").split("\n")
        for _ in range(rng.randint(1, 8)):
            change(rng, lines)
        return "\n".join(lines).encode("utf-8")

    mutate.__name__ = change.__name__
    return mutate


def drop_line(rng: random.Random, lines: list[str]) -> None:
    del lines[rng.randrange(len(lines))]


def repeat_line(rng: random.Random, lines: list[str]) -> None:
    at = rng.randrange(len(lines))
    lines.insert(at, lines[at])


def swap_lines(rng: random.Random, lines: list[str]) -> None:
    at = rng.randrange(len(lines) - 1)
    lines[at], lines[at + 1] = lines[at + 1], lines[at]


def move_tab(rng: random.Random, lines: list[str]) -> None:
    at = rng.randrange(len(lines))
    line = lines[at].replace("\t", " ", 1) if rng.random() < 0.5 else lines[at]
    cut = rng.randrange(len(line) + 1)
    lines[at] = line[:cut] + "\t" + line[cut:]


def change_digits(rng: random.Random, lines: list[str]) -> None:
    at = rng.randrange(len(lines))
    lines[at] = re.sub(r"\d", lambda _: str(rng.randrange(10)), lines[at])


def insert_text(rng: random.Random, lines: list[str]) -> None:
    at = rng.randrange(len(lines))
    cut = rng.randrange(len(lines[at]) + 1)
    noise = rng.choice(["(A)", "AC1.1", "AC9 ", "110 年目標值", "±", "≤", "、", "\u3000", "目錄", "：12 項", "\t\t", "%%"])
    lines[at] = lines[at][:cut] + noise + lines[at][cut:]


BYTE_MUTATIONS: list[Mutation] = [truncate, flip_bytes, overwrite_chunk, delete_chunk, duplicate_chunk]
LINE_MUTATIONS: list[Mutation] = [on_lines(f) for f in (drop_line, repeat_line, swap_lines, move_tab, change_digits, insert_text)]


def cases(source: bytes, mutations: list[Mutation], count: int, suffix: str) -> list[tuple[str, bytes]]:
    """count (file name, bytes): case i uses mutation i mod len(mutations), seeded by i."""
    out = []
    for i in range(count):
        rng = random.Random(i)
        mutate = mutations[i % len(mutations)]
        out.append((f"case-{i:03d}-{mutate.__name__}{suffix}", mutate(rng, source)))
    return out


# --- the runs ------------------------------------------------------------------------------------

def document_rows(db: Path) -> dict[str, dict[str, int]]:
    """Rows per table per document."""
    with duckdb.connect(str(db), read_only=True) as con:
        tables = [t for (t,) in con.execute(
            "SELECT table_name FROM information_schema.columns WHERE column_name = 'document_id' "
            "AND table_name IN (SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE')"
        ).fetchall()]
        rows: dict[str, dict[str, int]] = {}
        for table in tables:
            for doc, n in con.execute(f'SELECT document_id, count(*) FROM "{table}" GROUP BY ALL').fetchall():
                rows.setdefault(doc, {})[table] = n
    return rows


def run_batch(folder: Path, db: Path) -> set[str]:
    """One run over the folder; the names of the documents it reports as failed."""
    # --no-cache: the second run really reads and loads again, and no damaged case is kept
    result = CliRunner().invoke(main, [str(folder), "--db", str(db), "--no-csv", "--no-cache"])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    assert result.exit_code in (0, 1), result.output
    assert "Traceback" not in result.output
    failed = set()
    for line in result.output.splitlines():
        if line.startswith("Error: "):
            name = line.removeprefix("Error: ").split(": ", 1)[0]
            assert name not in failed, f"two errors for one document: {line}"
            failed.add(name)
    assert (result.exit_code == 1) == bool(failed), result.output
    return failed


def check_batch(tmp_path: Path, batch: list[tuple[str, bytes]]) -> tuple[int, int]:
    """Run the batch twice into one warehouse; returns (documents loaded, documents failed)."""
    folder, db = tmp_path / "in", tmp_path / "kpi.duckdb"
    folder.mkdir()
    for name, data in batch:
        (folder / name).write_bytes(data)
    failed = run_batch(folder, db)
    first = document_rows(db)
    names = {name for name, _ in batch}
    assert failed <= names
    assert not failed & first.keys(), "a failed document left rows"
    assert first.keys() == names - failed, "a document neither loaded nor reported"
    assert run_batch(folder, db) == failed
    assert document_rows(db) == first, "loading the same documents again changed the rows"
    return len(first), len(failed)


@pytest.fixture(scope="module")
def text_source() -> bytes:
    """The dump's contents and theme A (up to theme B's heading)."""
    text = REPORT_TXT.read_text(encoding="utf-8")
    return text[: text.index("\n健全都市發展(B)\n")].encode("utf-8")


@pytest.fixture(scope="module")
def pdf_source() -> bytes:
    return lean_page_pdf(7)


@pytest.mark.parametrize("start", range(0, TEXT_CASES, BATCH))
def test_text_dump_mutations(tmp_path, text_source, start):
    all_cases = cases(text_source, BYTE_MUTATIONS + LINE_MUTATIONS, TEXT_CASES, ".txt")
    loaded, failed = check_batch(tmp_path, all_cases[start : start + BATCH])
    assert loaded + failed == BATCH


@pytest.mark.parametrize("start", range(0, PDF_CASES, BATCH))
def test_pdf_mutations(tmp_path, pdf_source, start):
    all_cases = cases(pdf_source, BYTE_MUTATIONS, PDF_CASES, ".pdf")
    loaded, failed = check_batch(tmp_path, all_cases[start : start + BATCH])
    assert loaded + failed == BATCH


def reading(path: Path, reader: str) -> tuple[str, object]:
    """What a reader makes of a PDF: its one-line error, or its KPI fields."""
    try:
        return "read", comparable(blocks_to_scorecard(document_to_blocks(path, PdfSettings(reader=reader)), path.name))
    except InputError as e:
        return "error", str(e)


def test_both_page_readers_make_the_same_of_every_damaged_pdf(tmp_path, pdf_source):
    """PDFium and pdfminer give the same error, or the same KPIs, for every PDF case."""
    for name, data in cases(pdf_source, BYTE_MUTATIONS, PDF_CASES, ".pdf"):
        path = tmp_path / name
        path.write_bytes(data)
        assert reading(path, "pdfium") == reading(path, "pdfminer"), name
