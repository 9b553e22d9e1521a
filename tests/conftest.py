"""Shared fixtures: the bundled report read once per test session, as PDF and as text dump."""
from __future__ import annotations

import subprocess
import sys
import textwrap
from contextlib import contextmanager
from pathlib import Path

import pytest

from kpi_scorecard.extract.document import document_to_blocks
from kpi_scorecard.normalize.records import Kpi, Scorecard
from kpi_scorecard.normalize.scorecard import blocks_to_scorecard

SAMPLES = Path(__file__).parent.parent / "samples"
REPORT_PDF = SAMPLES / "report-110.pdf"
REPORT_TXT = SAMPLES / "report-110.txt"


def read(path: Path) -> Scorecard:
    return blocks_to_scorecard(document_to_blocks(path), path.name)


@pytest.fixture(scope="session", autouse=True)
def own_cache(tmp_path_factory):
    """CLI runs keep their cache in the session's temporary folder, not in the user's."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("xdg-cache")))
        yield


@pytest.fixture(scope="session")
def pdf_report() -> Scorecard:
    return read(REPORT_PDF)


@pytest.fixture(scope="session")
def txt_report() -> Scorecard:
    return read(REPORT_TXT)


@pytest.fixture(scope="session", params=["pdf", "txt"])
def report(request, pdf_report, txt_report) -> Scorecard:
    """The same report from either rendering: assertions that must hold for both."""
    return pdf_report if request.param == "pdf" else txt_report


def kpi(scorecard: Scorecard, code: str) -> Kpi:
    return next(k for k in scorecard.kpis if k.code == code)


def comparable(scorecard: Scorecard) -> dict:
    """What a rendering must not change: every KPI field and value, whitespace aside (wrapping)."""
    import re

    def sq(text):
        return re.sub(r"\s+", "", text) if isinstance(text, str) else text

    def value(v):
        return (v.value, v.op, v.kind, sq(v.raw))

    return {
        (k.code, m.measure_no): (
            sq(k.name), k.objective_code, sq(k.objective_name), k.theme_code, sq(k.theme_name),
            sq(m.formula), sq(m.unit), m.direction, sq(m.agency),
            [(p.code, sq(p.name)) for p in m.action_plans], value(m.target), value(m.actual),
        )
        for k in scorecard.kpis
        for m in k.measures
    }


@contextmanager
def lock_held(db: Path):
    """Another process holding the DuckDB file open (its lock) while the block runs."""
    holder = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            import sys, duckdb
            con = duckdb.connect({str(db)!r})
            print("ready", flush=True)
            sys.stdin.read()
        """)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ready"
        yield
    finally:
        holder.communicate(timeout=30)
