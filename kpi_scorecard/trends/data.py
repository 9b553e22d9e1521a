"""The warehouse → what the trend report shows: per theme and year, per KPI over its years, and
the lists an analyst looks at first. Values come from kpi_trend (chosen by precedence) and
conflicts; nothing is computed here that the warehouse already decides (achieved, precedence)."""
from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby, pairwise

import duckdb

from kpi_scorecard.normalize.layout import squeeze
from kpi_scorecard.warehouse.export import natural_key, summary

MOVERS = 15  # how many of the biggest moves the report lists


@dataclass(frozen=True)
class Print:
    """One printed value of a conflict: where, and what it said."""

    source_file: str
    page: int | None
    source: str  # 'kpi table', 'results table', 'tasks table'
    raw: str
    chosen: bool


@dataclass(frozen=True)
class Point:
    """One KPI measure in one year: the target and actual the warehouse chose, and where they were printed."""

    roc_year: int
    target_raw: str | None
    target_value: float | None
    target_op: str | None
    target_source: str | None
    target_page: int | None
    actual_raw: str | None
    actual_value: float | None
    actual_source: str | None
    actual_page: int | None
    achieved: bool | None
    target_conflict: tuple[Print, ...] = ()
    actual_conflict: tuple[Print, ...] = ()


@dataclass(frozen=True)
class Series:
    measure_no: int
    direction: str  # 'positive' | 'negative'
    unit: str | None
    agency: str | None
    points: tuple[Point, ...]

    @property
    def better(self) -> str:
        """Which way the KPI wants its actual to go, by the rule achieved() follows: the operator
        printed with the latest target ('±': within it), else the direction (負向指標: lower)."""
        op = next((p.target_op for p in reversed(self.points) if p.target_op), None)
        if op == "±":
            return "nearer zero"
        if op in ("<=", "<") or (op is None and self.direction == "negative"):
            return "lower"
        return "higher"


@dataclass(frozen=True)
class Name:
    """The code and name a KPI was printed with in a year's documents."""

    roc_year: int
    kpi_code: str
    kpi_name: str
    source_files: str


@dataclass(frozen=True)
class Kpi:
    kpi_id: str
    kpi_code: str
    kpi_name: str
    theme_code: str | None
    objective_code: str | None
    names: tuple[Name, ...]
    series: tuple[Series, ...]

    @property
    def renamed(self) -> bool:
        return len({(n.kpi_code, squeeze(n.kpi_name)) for n in self.names}) > 1


@dataclass(frozen=True)
class ThemeYear:
    """One theme in one year: KPI measures achieved, missed and without a number to compare, and
    each document's stated KPI count against the KPIs read from it."""

    roc_year: int
    achieved: int
    missed: int
    no_number: int
    stated: tuple[tuple[str, int | None, int], ...]  # (source_file, stated, counted)


@dataclass(frozen=True)
class Theme:
    theme_code: str | None
    theme_name: str | None
    years: tuple[ThemeYear, ...]


@dataclass(frozen=True)
class Run:
    """Years a KPI measure missed its target one after another."""

    kpi: Kpi
    series: Series
    years: tuple[int, ...]


@dataclass(frozen=True)
class Move:
    """A measure's actual from one year with a number to the next."""

    kpi: Kpi
    series: Series
    before: Point
    after: Point

    def _actuals(self) -> tuple[float, float]:
        before, after = self.before.actual_value, self.after.actual_value
        assert before is not None and after is not None, "biggest_movers pairs points with an actual"
        return before, after

    @property
    def change(self) -> float:
        """Relative change of the actual (+0.25: a quarter more)."""
        before, after = self._actuals()
        return (after - before) / abs(before)

    @property
    def better(self) -> bool:
        """Whether the move went the way the KPI wants (for a 負向指標, down)."""
        before, after = self._actuals()
        wanted = self.series.better
        return abs(after) < abs(before) if wanted == "nearer zero" else (after < before) == (wanted == "lower")


@dataclass(frozen=True)
class Change:
    """A KPI new in a year's annual report, or no longer in it."""

    kpi: Kpi
    roc_year: int  # the year it was first printed, or last printed


@dataclass(frozen=True)
class ReviewValue:
    """A printed value left for review (no single number could be read from it)."""

    source_file: str
    page: int | None
    kpi_code: str | None
    kpi_id: str | None
    column: str
    what: str
    raw: str


@dataclass(frozen=True)
class Report:
    documents: tuple[tuple[str, int, str], ...]  # (source_file, roc_year, kind)
    themes: tuple[Theme, ...]
    kpis: tuple[Kpi, ...]
    missed_running: tuple[Run, ...]
    movers: tuple[Move, ...]
    new: tuple[Change, ...]
    dropped: tuple[Change, ...]
    review: tuple[ReviewValue, ...]
    conflicts: int  # values (KPI, measure, year, target or actual) printed with different numbers

    @property
    def renamed(self) -> tuple[Kpi, ...]:
        return tuple(k for k in self.kpis if k.renamed)

    @property
    def years(self) -> list[int]:
        return sorted({p.roc_year for k in self.kpis for s in k.series for p in s.points})


def warehouse_to_report(con: duckdb.DuckDBPyConnection) -> Report:
    kpis = read_kpis(con)
    new, dropped = read_changes(con, {k.kpi_id: k for k in kpis})
    return Report(
        documents=tuple(con.execute("SELECT source_file, roc_year, kind FROM documents ORDER BY roc_year, kind, source_file").fetchall()),
        themes=read_themes(con),
        kpis=kpis,
        missed_running=missed_running(kpis),
        movers=biggest_movers(kpis),
        new=new,
        dropped=dropped,
        review=read_review(con),
        conflicts=summary(con)["conflicts"],
    )


def read_themes(con: duckdb.DuckDBPyConnection) -> tuple[Theme, ...]:
    counts = con.execute("""
        SELECT theme_code, roc_year, count(*) FILTER (WHERE achieved), count(*) FILTER (WHERE NOT achieved),
               count(*) FILTER (WHERE achieved IS NULL)
        FROM kpi_trend GROUP BY ALL ORDER BY theme_code NULLS LAST, roc_year
    """).fetchall()
    stated: dict[tuple[str, int], list] = {}
    for theme, year, source, n_stated, n_counted in con.execute("""
        SELECT r.theme_code, d.roc_year, d.source_file, r.stated, r.counted
        FROM reconciliation AS r JOIN documents AS d USING (document_id)
        WHERE r.scope = 'theme' AND r.item = 'kpis' ORDER BY d.source_file
    """).fetchall():
        stated.setdefault((theme, year), []).append((source, n_stated, n_counted))
    names = dict(con.execute("SELECT theme_code, max(theme_name) FROM themes GROUP BY ALL").fetchall())
    return tuple(
        Theme(theme, names.get(theme), tuple(
            ThemeYear(year, achieved, missed, none, tuple(stated.get((theme, year), ())))
            for _, year, achieved, missed, none in rows
        ))
        for theme, rows in groupby(counts, key=lambda r: r[0])
    )


def read_kpis(con: duckdb.DuckDBPyConnection) -> tuple[Kpi, ...]:
    """Every KPI identity with its series, ordered by theme and code."""
    rows = con.execute(f"""
        WITH latest AS (  -- kpi_trend names each year as printed; a KPI is shown as its latest year names it
            SELECT DISTINCT ON (kpi_id) kpi_id, kpi_code, kpi_name, theme_code, objective_code
            FROM kpi_trend ORDER BY kpi_id, roc_year DESC
        )
        SELECT t.kpi_id, l.kpi_code, l.kpi_name, l.theme_code, l.objective_code, t.measure_no, t.direction,
               t.roc_year, t.target_raw, t.target_value, t.target_op, t.target_source, t.target_page,
               t.actual_raw, t.actual_value, t.actual_source, t.actual_page, t.achieved
        FROM kpi_trend AS t JOIN latest AS l USING (kpi_id)
        ORDER BY l.theme_code NULLS LAST, {natural_key('t.kpi_id')}, t.measure_no, t.roc_year
    """).fetchall()
    conflicts: dict[tuple, list[Print]] = {}
    for kpi_id, measure_no, year, kind, *printed in con.execute("""
        SELECT kpi_id, measure_no, roc_year, kind, source_file, page, source, raw, chosen
        FROM conflicts ORDER BY chosen DESC, source_file, obs_no
    """).fetchall():
        conflicts.setdefault((kpi_id, measure_no, year, kind), []).append(Print(*printed))
    latest = {(i, m): (unit, agency) for i, m, unit, agency in con.execute("""
        SELECT DISTINCT ON (kpi_id, measure_no) kpi_id, measure_no, unit, agency
        FROM kpi_history WHERE kpi_id IS NOT NULL ORDER BY kpi_id, measure_no, roc_year DESC, source_file
    """).fetchall()}
    names: dict[str, list[Name]] = {}
    for kpi_id, *name in con.execute("""
        SELECT l.kpi_id, d.roc_year, l.kpi_code, l.kpi_name, string_agg(DISTINCT d.source_file, ', ' ORDER BY d.source_file)
        FROM kpi_links AS l JOIN documents AS d USING (document_id)
        GROUP BY ALL ORDER BY l.kpi_id, d.roc_year, l.kpi_code, l.kpi_name
    """).fetchall():
        names.setdefault(kpi_id, []).append(Name(*name))

    kpis = []
    for (kpi_id, code, name, theme, objective), kpi_rows in groupby(rows, key=lambda r: r[:5]):
        series = []
        for (measure_no, direction), measure_rows in groupby(kpi_rows, key=lambda r: r[5:7]):
            points = tuple(
                # the row's columns from r[7] are Point's fields before the conflicts (mypy cannot count a row)
                Point(*r[7:], target_conflict=tuple(conflicts.get((kpi_id, measure_no, r[7], "target"), ())),  # type: ignore[misc]
                      actual_conflict=tuple(conflicts.get((kpi_id, measure_no, r[7], "actual"), ())))
                for r in measure_rows
            )
            series.append(Series(measure_no, direction, *latest.get((kpi_id, measure_no), (None, None)), points))
        kpis.append(Kpi(kpi_id, code, name, theme, objective, tuple(names.get(kpi_id, ())), tuple(series)))
    return tuple(kpis)


def missed_running(kpis: tuple[Kpi, ...]) -> tuple[Run, ...]:
    """Measures that missed their target in two or more consecutive years, each run once."""
    runs = []
    for kpi in kpis:
        for series in kpi.series:
            missed = [p.roc_year for p in series.points if p.achieved is False]
            run: list[int] = []
            for year in missed + [None]:
                if run and year == run[-1] + 1:
                    run.append(year)
                    continue
                if len(run) >= 2:
                    runs.append(Run(kpi, series, tuple(run)))
                run = [year] if year is not None else []
    return tuple(runs)


def biggest_movers(kpis: tuple[Kpi, ...], count: int = MOVERS) -> tuple[Move, ...]:
    """The largest relative changes of an actual from one year with a number to the next."""
    moves = [
        Move(kpi, series, before, after)
        for kpi in kpis for series in kpi.series
        for before, after in pairwise(p for p in series.points if p.actual_value is not None)
        if before.actual_value and after.actual_value != before.actual_value
    ]
    return tuple(sorted(moves, key=lambda m: (-abs(m.change), m.kpi.kpi_id, m.after.roc_year))[:count])


def read_changes(con: duckdb.DuckDBPyConnection, kpis: dict[str, Kpi]) -> tuple[tuple[Change, ...], tuple[Change, ...]]:
    """KPIs new in a year's annual report or no longer in it, compared with the annual reports
    before and after that cover the same theme (briefing decks show a part of a theme only)."""
    printed = con.execute("""
        SELECT l.kpi_id, o.theme_code, min(d.roc_year), max(d.roc_year)
        FROM kpi_links AS l JOIN documents AS d USING (document_id)
        JOIN kpis AS k USING (document_id, kpi_code)
        LEFT JOIN objectives AS o USING (document_id, objective_code)
        WHERE d.kind = 'annual_report' GROUP BY ALL
    """).fetchall()
    span: dict[str | None, tuple[int, int]] = {}  # the theme's first and last annual report
    for _, theme, first, last in printed:
        earliest, latest = span.get(theme, (first, last))
        span[theme] = (min(earliest, first), max(latest, last))
    new, dropped = [], []
    for kpi_id, theme, first, last in printed:
        if kpi_id in kpis and first > span[theme][0]:
            new.append(Change(kpis[kpi_id], first))
        if kpi_id in kpis and last < span[theme][1]:
            dropped.append(Change(kpis[kpi_id], last))
    position = {kpi_id: n for n, kpi_id in enumerate(kpis)}

    def ordered(changes: list[Change]) -> tuple[Change, ...]:
        return tuple(sorted(changes, key=lambda c: (c.roc_year, position[c.kpi.kpi_id])))

    return ordered(new), ordered(dropped)


def read_review(con: duckdb.DuckDBPyConnection) -> tuple[ReviewValue, ...]:
    """Target and actual cells from which no single number could be read (stored as NULL)."""
    return tuple(ReviewValue(*row) for row in con.execute(f"""
        SELECT r.document, r.page, r."row", l.kpi_id, r."column", r.what, r.raw
        FROM repairs AS r LEFT JOIN kpi_links AS l ON l.document_id = r.document_id AND l.kpi_code = r."row"
        WHERE r.kind = 'warning' AND r."column" IN ('target', 'actual')
        ORDER BY r.document, r.page NULLS LAST, {natural_key('r."row"')}, r.problem_no
    """).fetchall())
