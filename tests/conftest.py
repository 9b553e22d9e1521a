"""Shared fixtures: the bundled report read once per test session, as PDF and as text dump."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import textwrap
import threading
from contextlib import contextmanager
from importlib import import_module
from pathlib import Path
from types import ModuleType

import pytest

from kpi_scorecard.extract.document import document_to_blocks
from kpi_scorecard.normalize.records import Kpi, Scorecard
from kpi_scorecard.normalize.scorecard import blocks_to_scorecard

SAMPLES = Path(__file__).parent.parent / "samples"
REPORT_PDF = SAMPLES / "report-110.pdf"
REPORT_TXT = SAMPLES / "report-110.txt"


# Programs a test may need, by the names Debian and other systems install them under.
PROGRAMS = {
    "chromium": ("chromium", "chromium-browser", "google-chrome"),
    "soffice": ("soffice", "libreoffice"),
    "tesseract": ("tesseract",),
}


def in_ci() -> bool:
    """CI services set CI (to "true", "1", ...); .ci/run sets it too."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def require(tool_or_module: str, why: str) -> str | ModuleType:
    """The program's path (a name in PROGRAMS) or the imported module (an optional extra).

    Missing: under CI the test fails naming it (CI installs everything, so nothing goes unchecked
    there); elsewhere it skips with the reason, which pytest's summary shows (-rs).
    """
    if tool_or_module in PROGRAMS:
        found = next((path for name in PROGRAMS[tool_or_module] if (path := shutil.which(name))), None)
    else:
        try:
            found = import_module(tool_or_module)
        except ImportError:
            found = None
    if found is None:
        message = f"{tool_or_module} is missing: {why}"
        if in_ci():
            pytest.fail(f"{message} (CI is set, so this fails instead of skipping)", pytrace=False)
        pytest.skip(message)
    return found


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


_WRAP = re.compile(r"(?<![A-Za-z0-9])\s+|\s+(?![A-Za-z0-9])")


def unwrapped(text):
    """Text as any line wrapping leaves it: whitespace dropped, except one space between two ASCII
    letters or digits, which the text repair keeps wherever the line broke ("Google Analytics",
    "12 15"); beside CJK text or punctuation a wrap is no evidence of a space either way."""
    return _WRAP.sub("", re.sub(r"\s+", " ", text.strip())) if isinstance(text, str) else text


def comparable(scorecard: Scorecard) -> dict:
    """What a rendering must not change: every KPI field and value, as wrapping leaves it."""
    sq = unwrapped

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
def lock_held(db: Path, release_after: float | None = None):
    """Another process holding the DuckDB file open (its lock) while the block runs, or, with
    `release_after`, until that many seconds into it."""
    holder = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            import sys, duckdb
            con = duckdb.connect({str(db)!r})
            print("ready", flush=True)
            sys.stdin.read()
        """)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    release = threading.Timer(release_after or 0, holder.stdin.close)  # its input ends: it exits
    try:
        assert holder.stdout.readline().strip() == "ready"
        if release_after is not None:
            release.start()
        yield
    finally:
        release.cancel()
        if release.is_alive():
            release.join()
        if holder.stdin.closed:
            holder.wait(timeout=30)
            holder.stdout.close()
        else:
            holder.communicate(timeout=30)
