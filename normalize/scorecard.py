"""Blocks of one document → its Scorecard (the whole normalize stage in one call)."""
from __future__ import annotations

from collections import Counter

from kpi_scorecard.extract.blocks import Block
from kpi_scorecard.extract.errors import InputError
from kpi_scorecard.normalize.contents import blocks_to_contents
from kpi_scorecard.normalize.deck import is_deck, read_deck_tables
from kpi_scorecard.normalize.kpis import rows_to_kpis
from kpi_scorecard.normalize.recognised import flag_uncertain, repair_recognised
from kpi_scorecard.normalize.reconcile import reconcile
from kpi_scorecard.normalize.records import Kpi, Observation, Problem, Scorecard
from kpi_scorecard.normalize.stitch import blocks_to_rows
from kpi_scorecard.normalize.textlayer import repair_text_layer, unmapped_share

# Above this share of characters without a Unicode value, what is left cannot be read as a report.
UNMAPPED_LIMIT = 0.2


class NoScorecardTables(InputError):
    """The document has text but no KPI table (關鍵績效指標 … 目標值 … 實際值) was found."""


class UnmappedTextLayer(InputError):
    """Most of the PDF's text has no Unicode value (fonts without a ToUnicode map)."""


def blocks_to_scorecard(blocks: list[Block], source_file: str, pages: int | None = None) -> Scorecard:
    blocks, problems = repair_text_layer(blocks)
    blocks, recognised = repair_recognised(blocks)
    problems += recognised
    problems += unmapped_problems(blocks, source_file)
    stitched = blocks_to_rows(blocks)
    if not stitched.rows:
        raise NoScorecardTables(source_file, "no KPI scorecard tables found")
    kpis, found = rows_to_kpis(stitched.rows)
    found += flag_uncertain(kpis, blocks)
    years = Counter(stitched.years)
    if not years:
        raise NoScorecardTables(source_file, "no reported year in the KPI table headers (e.g. '110 年目標值')")
    roc_year = years.most_common(1)[0][0]
    scorecard = Scorecard(source_file, roc_year, kpis, [], problems + stitched.problems + found, pages)
    scorecard.observations = kpi_table_observations(kpis, roc_year)
    if is_deck(blocks):
        deck = read_deck_tables(blocks, kpis, roc_year)
        scorecard.kind = "briefing_deck"
        scorecard.kpis = deck.kpis
        scorecard.observations += deck.observations
        scorecard.scores, scorecard.perspectives = deck.scores, deck.perspectives
        scorecard.problems += deck.problems
    scorecard.counts = reconcile(stitched.themes, scorecard.kpis, blocks_to_contents(blocks))
    return scorecard


def unmapped_problems(blocks: list[Block], source_file: str) -> list[Problem]:
    """A warning per page with characters the text layer cannot name; an error when they are
    too many to read around."""
    share, per_page = unmapped_share(blocks)
    if share > UNMAPPED_LIMIT:
        raise UnmappedTextLayer(
            source_file,
            f"PDF text layer has no Unicode mapping for {share:.0%} of its characters (fonts without ToUnicode); "
            "run OCR first, e.g. ocrmypdf",
        )
    return [Problem("warning", "unmapped_characters", f"{count} characters without a Unicode value", page=page,
                    occurrences=count) for page, count in per_page.items()]


def kpi_table_observations(kpis: list[Kpi], roc_year: int) -> list[Observation]:
    """Every value the KPI tables print, as observations (before other tables complete them)."""
    return [
        Observation(kpi.code, m.measure_no, m.roc_year or roc_year, kind, value, m.page, "kpi table", table=m.table, row=m.row)
        for kpi in kpis
        for m in kpi.measures
        for kind, value in (("target", m.target), ("actual", m.actual))
        if value.kind != "empty"
    ]
