"""The README's Python API example runs as written (taken from the README itself, so it cannot rot)."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import duckdb
from conftest import SAMPLES

README = Path(__file__).parent.parent / "README.md"


def api_example() -> str:
    """The first python code block under the README's "## Python API" heading."""
    section = README.read_text(encoding="utf-8").split("\n## Python API\n", 1)[1].split("\n## ", 1)[0]
    return re.search(r"```python\n(.*?)```", section, re.S).group(1)


def test_readme_example_runs_as_written(tmp_path, monkeypatch, capsys):
    shutil.copytree(SAMPLES, tmp_path / "samples")  # the example's paths are the project folder's
    monkeypatch.chdir(tmp_path)
    names: dict = {}
    exec(compile(api_example(), str(README), "exec"), names)
    assert "Warehouse: 2 documents, 178 KPIs, 217 measures" in capsys.readouterr().out
    assert len(names["card"].kpis) == 172 and names["card"].reconciliation.ok.all()
    assert list(names["hp32"].roc_year) == [109, 110, 111] and list(names["hp32"].actual_page)[:2] == [15, 50]
    with duckdb.connect("notebook.duckdb", read_only=True) as con:
        missed = con.execute("SELECT kpi_code FROM kpi_history WHERE theme_code = 'H' AND roc_year = 110 AND NOT achieved").fetchall()
    assert sorted(names["missed"].kpi_code) == sorted(code for (code,) in missed) and len(missed) == 3
    assert (tmp_path / "trends.html").read_text(encoding="utf-8").count('<article class="kpi') == 164
