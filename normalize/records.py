"""Plain records that normalize/ produces and warehouse/ loads."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Value:
    """A target or actual cell: the printed text and what can be read from it.

    kind: 'number' (value set), 'none' (no number printed, note says why),
    'qualitative' (a comparison without a number, e.g. 高於6都平均值),
    'compound' (several numbers, none picked), 'empty' (blank cell).
    """

    raw: str
    value: float | None = None
    op: str | None = None  # '<=', '>=', '<', '>', '±' or None (plain value)
    note: str | None = None
    kind: str = "empty"
    confidence: float | None = None  # recognised from an image: the OCR engine's 0–100; else None
    box: tuple[float, float, float, float] | None = None  # recognised: the cell's bbox on its page, in points


@dataclass(frozen=True)
class ActionPlan:
    """One action plan: its code (None where none is printed) and its name."""

    code: str | None
    name: str

    def __str__(self) -> str:
        return f"{self.code} {self.name}".strip() if self.code else self.name


@dataclass
class Measure:
    """One target/actual pair of a KPI (a KPI with merged cells has several)."""

    measure_no: int
    formula: str
    unit: str | None
    direction: str  # 'positive' | 'negative'
    action_plans: list[ActionPlan]
    agency: str
    target: Value
    actual: Value
    page: int | None
    roc_year: int | None = None  # the year these values are for; None: the document's year
    table: int | None = None  # in an office file: the table's number (on its slide, for a deck) and the row's
    row: int | None = None
    extras: dict[str, str] = field(default_factory=dict)  # an extra column's header text → this measure's cell text


@dataclass
class Kpi:
    code: str
    name: str
    objective_code: str
    objective_name: str
    theme_code: str
    theme_name: str | None
    measures: list[Measure] = field(default_factory=list)

    @property
    def page(self) -> int | None:
        return self.measures[0].page if self.measures else None


@dataclass(frozen=True)
class Problem:
    """Something found while normalizing: a repair made or a cell left for review."""

    kind: str  # 'repair' | 'warning' | 'stitch' | 'skipped_table'
    what: str  # short machine-friendly label, e.g. 'plan_code_prefix'
    raw: str
    fixed: str | None = None
    page: int | None = None
    row: str | None = None  # KPI code (or best locator) of the row
    column: str | None = None
    occurrences: int = 1  # how many times it was found (a text-layer repair counts characters)


@dataclass(frozen=True)
class ThemeCount:
    """Counts a theme states about itself next to what was found."""

    theme_code: str
    theme_name: str | None
    stated_objectives: int | None
    stated_kpis: int | None
    stated_plans: int | None
    counted_objectives: int
    counted_kpis: int
    counted_plans: int
    listed: bool | None = None  # in the table of contents; None: no contents read
    found: bool = True  # False: listed in the contents, but nothing of it was read


@dataclass(frozen=True)
class Observation:
    """A value printed somewhere other than the KPI's own table row (a deck's results or tasks
    table); kept beside the measures so that differing prints of one value can be compared."""

    kpi_code: str
    measure_no: int
    roc_year: int
    kind: str  # 'target' | 'actual'
    value: Value
    page: int | None
    source: str  # 'results table', 'tasks table', ...
    note: str | None = None  # how it was tied to the KPI, e.g. "task matched by name, score 91"
    table: int | None = None  # in an office file: the KPI table's number and the row's (see Measure)
    row: int | None = None


@dataclass(frozen=True)
class Score:
    """A deck's assessment of one KPI for a year: achievement % and the three review scores."""

    kpi_code: str
    roc_year: int
    achievement: Value
    innovation: Value
    challenge: Value
    contribution: Value
    page: int | None


# A deck counts a KPI achieved (達成數) when its 目標達成度 reaches 100 %, missed (未達成數) below:
# the summary names each missed KPI with its 目標達成度 (償債率(99.07%)). Its stated counts are
# reconciled by this rule; kpi_history's value rule can differ (a target not printed, a value
# read from another table) and is kept beside them (warehouse/load.py).
ACHIEVED_AT = 100.0


@dataclass(frozen=True)
class PerspectiveCount:
    """A deck's summary row: what one perspective (顧客構面 …, or 合計) states it achieved."""

    theme_code: str
    perspective: str
    letter: str | None  # the perspective's letter in objective codes (C, P, L, F); None: all (合計)
    stated_objectives: int | None
    stated_kpis: int | None
    stated_achieved: int | None
    stated_missed: int | None
    page: int | None


@dataclass
class Scorecard:
    """Everything read from one source document."""

    source_file: str
    roc_year: int
    kpis: list[Kpi]
    counts: list[ThemeCount]
    problems: list[Problem]
    pages: int | None = None
    kind: str = "annual_report"  # or 'briefing_deck'
    observations: list[Observation] = field(default_factory=list)
    scores: list[Score] = field(default_factory=list)
    perspectives: list[PerspectiveCount] = field(default_factory=list)
