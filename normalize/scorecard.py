"""Blocks of one document → its Scorecard (the whole normalize stage in one call)."""
from __future__ import annotations

from collections import Counter

from extract.blocks import Block
from extract.errors import InputError
from normalize.kpis import rows_to_kpis
from normalize.reconcile import reconcile
from normalize.records import Problem, Scorecard
from normalize.stitch import blocks_to_rows


class NoScorecardTables(InputError):
    """The document has text but no KPI table (關鍵績效指標 … 目標值 … 實際值) was found."""


def blocks_to_scorecard(blocks: list[Block], source_file: str, pages: int | None = None) -> Scorecard:
    stitched = blocks_to_rows(blocks)
    if not stitched.rows:
        raise NoScorecardTables(source_file, "no KPI scorecard tables found")
    kpis, problems = rows_to_kpis(stitched.rows)
    years = Counter(stitched.years)
    roc_year = years.most_common(1)[0][0] if years else None
    if roc_year is None:
        raise NoScorecardTables(source_file, "no reported year in the KPI table headers (e.g. '110 年目標值')")
    if len(years) > 1:
        problems.append(Problem("warning", "mixed_header_years", str(dict(years)), str(roc_year)))
    return Scorecard(
        source_file=source_file,
        roc_year=roc_year,
        kpis=kpis,
        counts=reconcile(stitched.themes, kpis),
        problems=stitched.problems + problems,
        pages=pages,
    )
