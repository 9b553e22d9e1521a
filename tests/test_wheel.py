"""The wheel as a data team installs it: one import namespace in site-packages, nothing else."""
from __future__ import annotations

import subprocess
import sys
import sysconfig
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def site_packages(venv: Path) -> Path:
    """A venv's purelib folder, on any platform."""
    scheme = "nt" if sys.platform == "win32" else "posix_prefix"
    return Path(sysconfig.get_path("purelib", scheme, vars={"base": str(venv), "platbase": str(venv)}))


def test_the_wheel_adds_only_the_kpi_scorecard_namespace_to_site_packages(tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", tmp_path / "dist", ROOT],
                   check=True, capture_output=True)
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", venv], check=True)
    site = site_packages(venv)
    before = {p.name for p in site.iterdir()}
    python = venv / ("Scripts/python.exe" if sys.platform == "win32" else "bin/python")
    wheel = next((tmp_path / "dist").glob("*.whl"))
    subprocess.run([python, "-m", "pip", "install", "-q", "--no-deps", wheel], check=True, capture_output=True)
    added = {p.name for p in site.iterdir()} - before
    assert added == {"kpi_scorecard", f"kpi_scorecard-{version('kpi-scorecard')}.dist-info"}
    package = site / "kpi_scorecard"
    assert {p.name for p in package.iterdir() if p.is_dir() and p.name != "__pycache__"} == {
        "cache", "extract", "normalize", "review", "samples", "trends", "warehouse"}
    assert sorted(p.name for p in (package / "samples").iterdir() if p.is_file() and p.suffix != ".py") == [
        "h-109-deck.pdf", "report-110.pdf", "report-110.txt"]
    assert (package / "warehouse" / "schema.sql").is_file()
    assert len(list((package / "warehouse").glob("empty-*-duckdb-*.duckdb.gz"))) == 1  # the shipped empty warehouse
    assert (package / "extract" / "data" / "EquivalentUnifiedIdeograph.txt").is_file()
    scripts = venv / ("Scripts" if sys.platform == "win32" else "bin")
    assert any(p.name.startswith("kpi-scorecard") for p in scripts.iterdir())
