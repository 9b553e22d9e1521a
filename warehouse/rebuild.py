"""Reading documents again: which documents the warehouse lists and what they were read from, and
what a new reading changed in each (KPIs, measures, values and the other printed fields)."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

Key = tuple[str, int, int]  # kpi_code, measure_no, roc_year
State = dict[Key, dict[str, Any]]

VALUES = ("target", "actual")
VALUE_FIELDS = ("raw", "value", "op")
KPI_FIELDS = ("kpi_name", "objective_code")
MEASURE_FIELDS = ("formula", "unit", "direction", "action_plans", "agency", "page")


@dataclass(frozen=True)
class Listed:
    """A document the warehouse lists, and what it was read from (None: not recorded)."""

    document_id: str
    sha256: str | None
    path: Path | None
    pages: list[int] | None


@dataclass
class DocumentChanges:
    """What a new reading of one document changed."""

    kpis_added: list[str] = field(default_factory=list)
    kpis_removed: list[str] = field(default_factory=list)
    measures_added: list[Key] = field(default_factory=list)
    measures_removed: list[Key] = field(default_factory=list)
    values: list[str] = field(default_factory=list)  # one line per target or actual changed
    others: list[str] = field(default_factory=list)  # one line per other field changed

    def summary(self) -> str:
        parts = [
            f"{len(items)} {noun}{'s' if len(items) > 1 else ''} {verb}" for items, noun, verb in (
                (self.kpis_added, "KPI", "added"), (self.kpis_removed, "KPI", "removed"),
                (self.measures_added, "measure", "added"), (self.measures_removed, "measure", "removed"),
                (self.values, "value", "changed"), (self.others, "other field", "changed"),
            ) if items
        ]
        return ", ".join(parts) or "unchanged"

    def lines(self) -> list[str]:
        return (
            [f"+ KPI {code}" for code in self.kpis_added] + [f"- KPI {code}" for code in self.kpis_removed]
            + [f"+ {_where(key)}" for key in self.measures_added] + [f"- {_where(key)}" for key in self.measures_removed]
            + self.values + self.others
        )


def listed_documents(con: duckdb.DuckDBPyConnection) -> list[Listed]:
    rows = con.execute(
        "SELECT document_id, sha256, source_path, read_pages FROM documents ORDER BY roc_year, document_id"
    ).fetchall()
    return [Listed(doc, sha, Path(path) if path else None, pages) for doc, sha, path, pages in rows]


def document_state(con: duckdb.DuckDBPyConnection, doc_id: str) -> State:
    """Every measure of a document with its KPI's fields, by KPI code, measure and year."""
    fields = [f"{v}_{f}" for v in VALUES for f in VALUE_FIELDS] + list(MEASURE_FIELDS + KPI_FIELDS)
    cursor = con.execute(
        f"SELECT m.kpi_code, m.measure_no, m.roc_year, {', '.join(fields)} "
        "FROM measures AS m LEFT JOIN kpis AS k USING (document_id, kpi_code) WHERE m.document_id = ?",
        [doc_id],
    )
    return {(code, no, year): dict(zip(fields, rest, strict=True)) for code, no, year, *rest in cursor.fetchall()}


def state_changes(before: State, after: State) -> DocumentChanges:
    codes_before, codes_after = {k[0] for k in before}, {k[0] for k in after}
    changes = DocumentChanges(
        kpis_added=sorted(codes_after - codes_before), kpis_removed=sorted(codes_before - codes_after),
        measures_added=sorted(k for k in after.keys() - before.keys() if k[0] in codes_before),
        measures_removed=sorted(k for k in before.keys() - after.keys() if k[0] in codes_after),
    )
    kpis_before, kpis_after = ({k[0]: state[k] for k in sorted(state, reverse=True)} for state in (before, after))
    for code in sorted(kpis_before.keys() & kpis_after.keys()):
        changes.others += _changed(code, KPI_FIELDS, kpis_before[code], kpis_after[code])
    for key in sorted(before.keys() & after.keys()):
        old, new = before[key], after[key]
        for kind in VALUES:
            was, now = (tuple(row[f"{kind}_{f}"] for f in VALUE_FIELDS) for row in (old, new))
            if was != now:
                changes.values.append(f"{_where(key)} {kind}: {_value(was)} → {_value(now)}")
        changes.others += _changed(_where(key), MEASURE_FIELDS, old, new)
    return changes


def _changed(where: str, names: tuple[str, ...], old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    return [f"{where} {name}: {_text(old[name])} → {_text(new[name])}" for name in names if old[name] != new[name]]


def _where(key: Key) -> str:
    code, measure_no, year = key
    return f"{code} measure {measure_no} ({year})"


def _value(value: tuple) -> str:
    raw, number, op = value
    return f"{_text(raw)} [{op or ''}{'no number' if number is None else f'{number:g}'}]"


def _text(value: Any) -> str:
    if value is None:
        return "NULL"
    text = " ".join(str(value).split())
    return repr(text if len(text) <= 60 else text[:59] + "…")
