"""mypy over the package, with the stages named as they are imported.

A checkout keeps extract/, normalize/, warehouse/ and samples/ at the top of the repository; the
wheel (pyproject's package-dir) and kpi_scorecard/__init__.py make them kpi_scorecard.extract, … .
mypy has no setting for such a mapping and does not follow setuptools' editable-install finder, so
this script gives mypy the files named by module. Options and files come from pyproject.toml's
[tool.mypy]; arguments are passed on (.venv/bin/python .ci/typecheck.py [mypy options] [files]).
"""
from __future__ import annotations

import sys

from mypy import build
from mypy.errors import CompileError
from mypy.main import process_options
from mypy.modulefinder import BuildSource

STAGES = {"extract", "normalize", "warehouse", "samples"}


def package_name(module: str | None) -> str | None:
    return f"kpi_scorecard.{module}" if module and module.split(".")[0] in STAGES else module


def main() -> int:
    sources, options = process_options(sys.argv[1:])
    named = [BuildSource(s.path, package_name(s.module), s.text, s.base_dir) for s in sources]
    try:
        messages = build.build(named, options).errors
    except CompileError as e:  # a syntax error, a module found twice: mypy stops before checking
        messages = e.messages
    errors = [m for m in messages if ": error:" in m]
    if messages:
        print("\n".join(messages))
    if errors:
        print(f"Found {len(errors)} errors in {len({m.split(':')[0] for m in errors})} files (checked {len(named)} source files)")
    else:
        print(f"Success: no issues found in {len(named)} source files")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
