"""KPI tables printed without vertical rules (extract/unruled.py rebuilds their columns and rows),
without a printer at test time: themes of the bundled report as LibreOffice printed them from
tests/render.py's HTML (tests/samples/): theme B with horizontal rules only and cells centred
vertically, and with no rule but the one under the header row; theme C so too, whose CC1.1 prints
7 measures beside merged cells (rows found where several columns start a paragraph together).
Each must read as the bundled PDF reads the theme, field for field, cut rows joined back."""
from __future__ import annotations

from pathlib import Path

import pytest
from conftest import read
from test_other_renderings import history
from test_report import STATED

SAMPLES = Path(__file__).parent / "samples"


@pytest.mark.parametrize(("name", "theme", "kpis", "measures", "warnings"), [
    ("kpi-table-with-horizontal-rules-only-centred", "B", 25, 26, 0),  # BP2.1 prints 2 measures
    ("kpi-table-with-no-rules-but-under-its-header", "B", 25, 26, 0),
    # CC1.1.1, CC1.1.2 under CL1.1; CC2.1's and CC2.2's actuals 尚未調查完成
    ("kpi-table-with-no-rules-and-merged-cells-of-several-measures", "C", 20, 28, 4),
])
def test_a_theme_without_vertical_rules_reads_as_the_bundled_pdf(name, theme, kpis, measures, warnings, pdf_report):
    printed = read(SAMPLES / f"{name}.pdf")
    assert (printed.roc_year, printed.kind, len(printed.kpis)) == (110, "annual_report", kpis)
    assert sum(len(k.measures) for k in printed.kpis) == measures
    bundled = {key: row for key, row in history(pdf_report).items() if key[0][0] == theme}
    got = history(printed)
    assert {key: (got.get(key), row) for key, row in bundled.items() if got.get(key) != row} == {}
    assert got.keys() == bundled.keys()
    (count,) = printed.counts
    assert (count.theme_code, count.stated_objectives, count.stated_kpis, count.stated_plans) == (theme, *STATED[theme])
    assert (count.counted_objectives, count.counted_kpis, count.counted_plans) == STATED[theme]
    assert sorted(p.kind for p in printed.problems) == ["stitch"] * 3 + ["warning"] * warnings  # 3 rows cut by page breaks
