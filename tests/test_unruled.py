"""KPI tables printed without vertical rules (extract/unruled.py rebuilds their columns and rows),
without a printer at test time: theme B of the bundled report as LibreOffice printed it from
tests/render.py's HTML, once with horizontal rules only and cells centred vertically, once with no
rule but the one under the header row (tests/samples/). Each must read as the bundled PDF reads
theme B, field for field, rows cut at page breaks joined back."""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import read
from test_other_renderings import history
from test_report import STATED

SAMPLES = Path(__file__).parent / "samples"


@pytest.mark.parametrize("name", ["kpi-table-with-horizontal-rules-only-centred", "kpi-table-with-no-rules-but-under-its-header"])
def test_theme_b_without_vertical_rules_reads_as_the_bundled_pdf(name, pdf_report):
    printed = read(SAMPLES / f"{name}.pdf")
    assert (printed.roc_year, printed.kind, len(printed.kpis)) == (110, "annual_report", 25)
    theme_b = {key: row for key, row in history(pdf_report).items() if key[0][0] == "B"}
    got = history(printed)
    assert {key: (got.get(key), row) for key, row in theme_b.items() if got.get(key) != row} == {}
    assert got.keys() == theme_b.keys()
    (count,) = printed.counts
    assert (count.theme_code, count.stated_objectives, count.stated_kpis, count.stated_plans) == ("B", *STATED["B"])
    assert (count.counted_objectives, count.counted_kpis, count.counted_plans) == STATED["B"]
    assert [p.kind for p in printed.problems] == ["stitch"] * 3  # three rows cut by page breaks, joined
