"""KPI identity across documents and years: which printed KPIs are the same KPI.

Documents are taken oldest first (annual reports after decks of the same year). A KPI joins the
identity that carries its code when the names agree (a slightly reworded name, a renamed agency
do not matter); a code printed for a clearly different name is a reused code and starts a new
identity; a KPI whose code is new joins an identity of its theme only by a clearly matching name
(a renumbered KPI). Two near-equal candidates are 'ambiguous': a new identity, flagged, never a
silent merge. Analysts pin or split links with overrides, kept in the warehouse
(warehouse/overrides.py), that every load honours.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz import fuzz

from normalize.layout import squeeze

SAME_CODE = 60  # name similarity under which a code is taken as reused for another KPI
RENUMBERED = 85  # name similarity at which a KPI with a new code joins an existing identity
AMBIGUOUS = 5  # candidates this close in score are not told apart


class OverrideError(Exception):
    """The KPI link override file cannot be read."""


@dataclass(frozen=True)
class KpiRef:
    document_id: str
    document_year: int
    document_kind: str
    kpi_code: str
    kpi_name: str
    theme_code: str | None


@dataclass(frozen=True)
class Link:
    document_id: str
    kpi_code: str
    kpi_name: str
    kpi_id: str
    decision: str  # new | matched | ambiguous | pinned | split
    score: float | None = None
    compared_to: str | None = None
    reason: str | None = None


@dataclass(frozen=True)
class Override:
    document: str
    kpi_code: str
    action: str  # 'pin' (to kpi_id) | 'split' (a new identity of its own)
    kpi_id: str | None
    note: str | None = None  # why, in the analyst's words


def read_overrides(path: Path | None) -> list[Override]:
    """Rows of a CSV with columns document, kpi_code, action (pin|split), kpi_id[, note]; UTF-8
    with or without the BOM that Excel writes, any line ends."""
    if path is None or not path.exists():
        return []
    try:
        with path.open(encoding="utf-8-sig", newline="") as f:
            rows = [r for r in csv.DictReader(f) if any((v or "").strip() for v in r.values())]
        overrides = [
            Override(
                r["document"].strip(), r["kpi_code"].strip(), r["action"].strip(),
                (r.get("kpi_id") or "").strip() or None if r["action"].strip() == "pin" else None,
                (r.get("note") or "").strip() or None,
            )
            for r in rows
        ]
    except (KeyError, UnicodeDecodeError, csv.Error) as e:
        raise OverrideError(f"{path.name}: needs UTF-8 CSV columns document, kpi_code, action, kpi_id ({e})") from None
    for o in overrides:
        if o.action not in ("pin", "split") or (o.action == "pin" and not o.kpi_id):
            raise OverrideError(f"{path.name}: {o.document} {o.kpi_code}: action must be 'pin' with a kpi_id, or 'split'")
    return overrides


def _similarity(a: str, b: str) -> float:
    return fuzz.ratio(squeeze(a).casefold(), squeeze(b).casefold())


def link_kpis(refs: list[KpiRef], overrides: list[Override] = ()) -> list[Link]:
    """One link per document KPI; deterministic for the same inputs whatever the load order."""
    by_key = {(o.document, o.kpi_code): o for o in overrides}
    identities: dict[str, KpiRef] = {}  # kpi_id → its latest member
    links: list[Link] = []
    order = sorted(refs, key=lambda r: (r.document_year, r.document_kind == "annual_report", r.document_id, r.kpi_code))
    for doc in dict.fromkeys(r.document_id for r in order):
        taken: set[str] = set()  # one document links one KPI to an identity at most
        for ref in (r for r in order if r.document_id == doc):
            link = _link_one(ref, identities, taken, by_key.get((ref.document_id, ref.kpi_code)))
            identities[link.kpi_id] = ref
            taken.add(link.kpi_id)
            links.append(link)
    return links


def _link_one(ref: KpiRef, identities: dict[str, KpiRef], taken: set[str], override: Override | None) -> Link:
    def link(kpi_id: str, decision: str, score=None, compared_to=None, reason=None) -> Link:
        return Link(ref.document_id, ref.kpi_code, ref.kpi_name, kpi_id, decision, score, compared_to, reason)

    if override and override.action == "pin":
        return link(override.kpi_id, "pinned", reason=override.note or "override")
    free = {kpi_id: member for kpi_id, member in identities.items() if kpi_id not in taken}
    if override and override.action == "split":
        return link(_new_id(ref.kpi_code, identities), "split", reason=override.note or "override")
    same_code = [i for i, m in free.items() if m.kpi_code == ref.kpi_code]
    scored = sorted(((_similarity(ref.kpi_name, m.kpi_name), i) for i, m in free.items()
                     if m.theme_code == ref.theme_code or i in same_code), reverse=True)
    for score, kpi_id in scored:
        if kpi_id in same_code and score >= SAME_CODE:
            return link(kpi_id, "matched", score, reason="same code, similar name")
    best = [(s, i) for s, i in scored if s >= RENUMBERED and i not in same_code]
    if len(best) > 1 and best[0][0] - best[1][0] < AMBIGUOUS:
        return link(_new_id(ref.kpi_code, identities), "ambiguous", best[0][0], best[0][1],
                    f"names as close to {best[0][1]} as to {best[1][1]}")
    if best:
        return link(best[0][1], "matched", best[0][0], reason="new code, same name (renumbered)")
    if same_code:
        score = next(s for s, i in scored if i in same_code)
        return link(_new_id(ref.kpi_code, identities), "new", score, same_code[0],
                    f"code {ref.kpi_code} reused for a different KPI")
    return link(_new_id(ref.kpi_code, identities), "new", scored[0][0] if scored else None,
                scored[0][1] if scored else None, "no earlier KPI with this code or name")


def _new_id(code: str, identities: dict[str, KpiRef]) -> str:
    """The code itself, or code#2, code#3 … when an identity already carries it."""
    if code not in identities:
        return code
    n = 2
    while f"{code}#{n}" in identities:
        n += 1
    return f"{code}#{n}"
