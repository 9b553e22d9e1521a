"""Outputs that are the same every time: two runs on the same inputs write byte-identical open data
(CSV and Parquet), every published table is ordered down to its key, and each input file's SHA-256
is computed once per run."""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from click.testing import CliRunner
from conftest import SAMPLES

from kpi_scorecard import pipeline
from kpi_scorecard.cli import main
from kpi_scorecard.warehouse.export import TABLES

INPUTS = [SAMPLES / "h-109-deck.pdf", SAMPLES / "report-110.txt"]


def run(tmp_path: Path, name: str, inputs: list[Path]) -> dict[str, bytes]:
    out = tmp_path / name
    result = CliRunner().invoke(main, [*map(str, inputs), "--db", str(out / "kpi.duckdb"), "--csv-dir", str(out / "open-data"),
                                       "--no-cache", "--jobs", "1"])
    assert result.exit_code == 0, result.output
    return {p.name: p.read_bytes() for p in sorted((out / "open-data").iterdir())}


def test_two_runs_write_byte_identical_open_data(tmp_path):
    first = run(tmp_path, "first", INPUTS)
    # another run, into another warehouse, loading the documents in the other order
    second = run(tmp_path, "second", INPUTS[::-1])
    assert len(first) == 2 * len(TABLES) + 1 and sorted(first) == sorted(second)
    assert [name for name in first if first[name] != second[name]] == []
    assert first["kpis.csv"].count(b"\n") == 1 + 164  # 164 identities, one line each


def test_every_published_table_is_ordered_down_to_its_key():
    """An ORDER BY that names every primary-key field leaves no two rows tied."""
    for table in TABLES:
        missing = [key for key in table.primary_key if not re.search(rf"\b{key}\b", table.order_by)]
        assert missing == [], table.name


def test_a_file_is_hashed_once_per_run(tmp_path, monkeypatch):
    hashed: list[str] = []
    digest = pipeline._sha256.__wrapped__

    def counted(path: str, *stat: int) -> str:
        hashed.append(Path(path).name)
        return digest(path, *stat)

    monkeypatch.setattr(pipeline, "_sha256", lru_cache(maxsize=16)(counted))
    run(tmp_path, "run", INPUTS)
    assert sorted(hashed) == ["h-109-deck.pdf", "report-110.txt"]
