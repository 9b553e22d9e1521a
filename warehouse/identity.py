"""KPI identity across documents and years: which printed KPIs are the same KPI.

Documents are linked oldest first (a briefing deck before the annual report of its year), each
against the identities of the documents before it: every identity keeps every name and formula it
was printed with and its latest print (`Identity`). Within a theme, one document's KPIs and the
identities are paired by one optimal assignment (the Hungarian method, per group of KPIs that
compete for the same identities) on a score in which the name weighs most, then the formula, then
whether code and objective stayed the same; plans, unit and agency only break near-ties. So a
renumbered KPI (the old AP5.5 printed as AP5.3 while AP5.3 now names another KPI) follows its
name, not its code, and a code reused for another KPI starts a new identity.

A pair whose name is too far apart is no match (a new identity). A pairing that another pairing
comes within AMBIGUOUS points of is 'ambiguous': a new identity, flagged, never a silent merge.
Analysts pin or split links with overrides, kept in the warehouse (warehouse/overrides.py); linking
honours them.

Linking a document needs only the identities as they stand before it, so a warehouse that keeps
them (warehouse/links.py) links a new document without relinking the others.
"""
from __future__ import annotations

import csv
import functools
import hashlib
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz import fuzz, process

from kpi_scorecard.normalize.layout import squeeze

NAME_FLOOR = 50  # name similarity (0–100) under which two KPIs are never the same
NAME_WEIGHT = 0.7  # the text score: this much name, the rest formula (name again when no formula)
SAME_CODE = 8  # points for the code the identity was last printed with
SAME_OBJECTIVE = 4  # points for its last objective
HINTS = (2.0, 0.5, 0.5)  # at most this many points for the plans, the unit, the agency
ACCEPT = 70  # total score at which a KPI joins an identity
AMBIGUOUS = 3  # another pairing this close in total score: not told apart


class OverrideError(Exception):
    """The KPI link override file cannot be read."""


def document_order(year: int, kind: str, document_id: str) -> tuple:
    """Documents are linked in this order: by year, a briefing deck before that year's report."""
    return (year, kind == "annual_report", document_id)


@dataclass(frozen=True)
class KpiRef:
    """A document's KPI and what it is known by."""

    document_id: str
    document_year: int
    document_kind: str
    kpi_code: str
    kpi_name: str
    theme_code: str | None
    objective_code: str | None = None
    formula: str = ""
    unit: str | None = None
    agency: str = ""
    plans: str = ""  # action plan names, one per line

    @property
    def order(self) -> tuple:
        return document_order(self.document_year, self.document_kind, self.document_id)


@dataclass(frozen=True)
class Identity:
    """One KPI across documents: its latest print and every name and formula it was printed with."""

    kpi_id: str
    latest: KpiRef
    names: tuple[str, ...]  # latest first
    formulas: tuple[str, ...]

    def joined_by(self, ref: KpiRef) -> Identity:
        return Identity(self.kpi_id, ref, _latest_first(ref.kpi_name, self.names), _latest_first(ref.formula, self.formulas))


def _latest_first(value: str, values: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(v for v in (value, *values) if v))


@dataclass(frozen=True)
class Link:
    document_id: str
    kpi_code: str
    kpi_name: str
    kpi_id: str
    decision: str  # matched | renamed | renumbered | new | ambiguous | pinned | split
    score: float | None = None  # name similarity to the identity joined or compared to
    compared_to: str | None = None  # the nearest identity, when it was not joined
    reason: str | None = None
    previous_document: str | None = None  # the identity's (or nearest identity's) print before
    previous_code: str | None = None
    previous_name: str | None = None


REVIEWED = ("renamed", "renumbered", "ambiguous")  # decisions below a clear match


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


RULES = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()  # this module's text: its rules


def links_fingerprint(overrides: Iterable[Override]) -> str:
    """Changes when the overrides or this module's rules change: links made under another
    fingerprint are all made again."""
    return hashlib.sha256("\n".join([RULES, *sorted(map(repr, set(overrides)))]).encode()).hexdigest()


def link_documents(
    refs: Iterable[KpiRef], overrides: Iterable[Override] = (), identities: dict[str, Identity] | None = None,
) -> tuple[list[Link], dict[str, Identity]]:
    """Link the documents of `refs` oldest first after those that made `identities` (none: these
    are all the documents). Returns the links and the identities after the last document."""
    state = dict(identities or {})
    by_document: dict[str, list[KpiRef]] = defaultdict(list)
    for ref in refs:
        by_document[ref.document_id].append(ref)
    pins = {(o.document, o.kpi_code): o for o in overrides}
    links: list[Link] = []
    for doc in sorted(by_document, key=lambda d: by_document[d][0].order):
        links += link_document(by_document[doc], state, pins)
    return links, state


def link_document(refs: list[KpiRef], identities: dict[str, Identity], pins: dict[tuple[str, str], Override]) -> list[Link]:
    """One document's links against the identities before it; `identities` is updated."""
    refs = sorted(refs, key=lambda r: r.kpi_code)
    overridden = {i: pins[(r.document_id, r.kpi_code)] for i, r in enumerate(refs) if (r.document_id, r.kpi_code) in pins}
    pinned = {o.kpi_id for o in overridden.values() if o.action == "pin"}
    free = {k: v for k, v in identities.items() if k not in pinned}
    index = _name_index(free)
    scores = {i: _scores(r, free, index) for i, r in enumerate(refs) if i not in overridden}
    assigned = _assign(scores)
    doubtful = _ambiguous(scores, assigned)
    before = dict(identities)
    links = []
    for i, ref in enumerate(refs):
        if i in overridden:
            link = _overridden(ref, overridden[i], before, identities)
        elif i in assigned and i not in doubtful:
            link = _joined(ref, before[assigned[i]], scores[i][assigned[i]])
        else:
            link = _new(ref, scores[i], assigned.get(i), doubtful.get(i), free, identities)
        old = identities.get(link.kpi_id)
        identities[link.kpi_id] = (old or Identity(link.kpi_id, ref, (), ())).joined_by(ref)
        links.append(link)
    return links


@dataclass(frozen=True)
class Score:
    total: float
    name: float
    formula: float | None

    @property
    def accepted(self) -> bool:
        return self.name >= NAME_FLOOR and self.total >= ACCEPT


@functools.lru_cache(maxsize=1 << 16)
def _normal(text: str) -> str:
    """Compared as: no spaces, half-width (（％） → (%)), one case, 臺 for its variant 台."""
    return unicodedata.normalize("NFKC", squeeze(text)).casefold().replace("台", "臺")


def _similarity(a: str, b: str) -> float:
    return fuzz.ratio(_normal(a), _normal(b))


def _name_index(identities: dict[str, Identity]) -> dict[str | None, tuple[list[str], list[str]]]:
    """Per theme, every name its identities were printed with, and whose it is."""
    index: dict[str | None, tuple[list[str], list[str]]] = defaultdict(lambda: ([], []))
    for kpi_id, identity in identities.items():
        names, owners = index[identity.latest.theme_code]
        for name in identity.names:
            names.append(_normal(name))
            owners.append(kpi_id)
    return index


def _scores(ref: KpiRef, identities: dict[str, Identity], index) -> dict[str, Score]:
    """How well ref fits each identity of its theme whose name is near enough; else the nearest."""
    names, owners = index.get(ref.theme_code, ([], []))
    near: dict[str, float] = {}
    for _, name, i in process.extract(_normal(ref.kpi_name), names, scorer=fuzz.ratio, score_cutoff=NAME_FLOOR, limit=None):
        near[owners[i]] = max(name, near.get(owners[i], 0))
    if not near and names:  # the nearest; of equals, the same one whatever order the identities were read in
        _, name, i = max(process.extract(_normal(ref.kpi_name), names, scorer=fuzz.ratio, limit=None),
                         key=lambda match: (match[1], owners[match[2]]))
        return {owners[i]: Score(round(name, 2), round(name, 1), None)}
    return {kpi_id: _score(ref, identities[kpi_id], name) for kpi_id, name in near.items()}


def _score(ref: KpiRef, identity: Identity, name: float) -> Score:
    last = identity.latest
    formula = max((_similarity(ref.formula, f) for f in identity.formulas), default=None) if ref.formula else None
    text = NAME_WEIGHT * name + (1 - NAME_WEIGHT) * (name if formula is None else formula)
    plans, unit, agency = HINTS
    hints = (
        (plans * _similarity(ref.plans, last.plans) / 100 if ref.plans and last.plans else 0)
        + (unit if ref.unit and ref.unit == last.unit else 0)
        + (agency * _similarity(ref.agency, last.agency) / 100 if ref.agency and last.agency else 0)
    )
    total = text + SAME_CODE * (ref.kpi_code == last.kpi_code) + SAME_OBJECTIVE * (ref.objective_code == last.objective_code) + hints
    return Score(round(total, 2), round(name, 1), None if formula is None else round(formula, 1))


def _assign(scores: dict[int, dict[str, Score]]) -> dict[int, str]:
    """The pairing of KPIs with identities that maximises the summed total score over accepted
    pairs; each group of KPIs competing for the same identities is solved on its own."""
    edges = {(i, k): s.total for i, row in scores.items() for k, s in row.items() if s.accepted}
    parent: dict = {}  # union-find over KPIs and identities

    def root(x):
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for i, k in edges:
        parent[root(("kpi", i))] = root(("id", k))
    groups: dict[tuple, set] = {}
    for i, k in edges:
        groups.setdefault(root(("id", k)), set()).update({("kpi", i), ("id", k)})
    assigned: dict[int, str] = {}
    for members in groups.values():
        rows = sorted(i for kind, i in members if kind == "kpi")
        cols = sorted(k for kind, k in members if kind == "id")
        if len(rows) == 1 and len(cols) == 1:
            assigned[rows[0]] = cols[0]
            continue
        from munkres import DISALLOWED, Munkres  # here: most groups are one KPI and one identity (3.5 ms an import)

        top = max(edges[e] for e in edges if e[0] in rows) + 1
        # cost of a pair: top - score; each KPI may also stay unpaired (its own column, cost top)
        matrix = [[top - edges[(i, k)] if (i, k) in edges else DISALLOWED for k in cols]
                  + [top if j == n else DISALLOWED for j in range(len(rows))] for n, i in enumerate(rows)]
        for r, c in Munkres().compute(matrix):
            if c < len(cols):
                assigned[rows[r]] = cols[c]
    return assigned


def _ambiguous(scores: dict[int, dict[str, Score]], assigned: dict[int, str]) -> dict[int, str]:
    """Assigned KPIs another pairing comes within AMBIGUOUS of → the identity it came close to:
    the KPI takes another identity that no KPI holds, or swaps with the KPI holding it."""
    holder = {k: i for i, k in assigned.items()}
    doubtful: dict[int, str] = {}
    for i, k in assigned.items():
        mine = scores[i][k].total
        for other, s in scores[i].items():
            if other == k or not s.accepted:
                continue
            j = holder.get(other)
            if j is None:
                margin = mine - s.total
            else:
                back = scores[j].get(k)
                margin = mine + scores[j][other].total - s.total - (back.total if back and back.accepted else 0)
            if margin < AMBIGUOUS:
                doubtful[i] = other
                if j is not None and back and back.accepted:
                    doubtful.setdefault(j, k)
    return doubtful


def _previous(identity: Identity | None) -> dict:
    if identity is None:
        return {}
    last = identity.latest
    return {"previous_document": last.document_id, "previous_code": last.kpi_code, "previous_name": last.kpi_name}


def _describe(score: Score) -> str:
    return f"name {score.name:.0f}" + ("" if score.formula is None else f", formula {score.formula:.0f}")


def _joined(ref: KpiRef, identity: Identity, score: Score) -> Link:
    last = identity.latest
    if ref.kpi_code != last.kpi_code:
        decision, reason = "renumbered", f"was {last.kpi_code}; {_describe(score)}"
    elif _normal(ref.kpi_name) == _normal(last.kpi_name):
        decision, reason = "matched", "same code and name"
    else:
        decision, reason = "renamed", f"same code; {_describe(score)}"
    return Link(ref.document_id, ref.kpi_code, ref.kpi_name, identity.kpi_id, decision, score.name, None, reason, **_previous(identity))


def _new(ref: KpiRef, scores: dict[str, Score], assigned: str | None, close_to: str | None,
         candidates: dict[str, Identity], identities: dict[str, Identity]) -> Link:
    kpi_id = _new_id(ref.kpi_code, identities)
    if close_to is not None:  # ambiguous
        assert assigned is not None, "a KPI is close to a second identity only beside the one it was assigned"
        a, b = scores[assigned], scores[close_to]
        return Link(ref.document_id, ref.kpi_code, ref.kpi_name, kpi_id, "ambiguous", a.name, assigned,
                    f"as close to {assigned} ({_describe(a)}) as to {close_to} ({_describe(b)})", **_previous(candidates[assigned]))
    same_code = next((k for k, i in candidates.items() if i.latest.kpi_code == ref.kpi_code and i.latest.theme_code == ref.theme_code), None)
    if same_code is not None:
        name = max((_similarity(ref.kpi_name, n) for n in candidates[same_code].names), default=0)
        return Link(ref.document_id, ref.kpi_code, ref.kpi_name, kpi_id, "new", round(name, 1), same_code,
                    f"code {ref.kpi_code} reused for a different KPI (name {name:.0f})", **_previous(candidates[same_code]))
    if not scores:
        return Link(ref.document_id, ref.kpi_code, ref.kpi_name, kpi_id, "new", reason="no earlier KPI in its theme")
    nearest = max(scores, key=lambda k: (scores[k].total, k))
    score = scores[nearest]
    reason = (f"the nearest, {nearest}, went to a closer KPI ({_describe(score)})" if score.accepted
              else f"no earlier KPI with a similar name; nearest {nearest} ({_describe(score)})")
    return Link(ref.document_id, ref.kpi_code, ref.kpi_name, kpi_id, "new", score.name, nearest, reason, **_previous(candidates[nearest]))


def _overridden(ref: KpiRef, override: Override, before: dict[str, Identity], identities: dict[str, Identity]) -> Link:
    if override.action == "pin":
        assert override.kpi_id, "read_overrides refuses a pin without a kpi_id"
        return Link(ref.document_id, ref.kpi_code, ref.kpi_name, override.kpi_id, "pinned", reason=override.note or "override",
                    **_previous(before.get(override.kpi_id)))
    return Link(ref.document_id, ref.kpi_code, ref.kpi_name, _new_id(ref.kpi_code, identities), "split",
                reason=override.note or "override")


def _new_id(code: str, identities: dict[str, Identity]) -> str:
    """The code itself, or code#2, code#3 … when an identity already carries it."""
    if code not in identities:
        return code
    n = 2
    while f"{code}#{n}" in identities:
        n += 1
    return f"{code}#{n}"


def identity_rows(identities: dict[str, Identity]) -> list[dict]:
    """Rows of the kpi_identities table."""
    return [{"kpi_id": k, **vars(v.latest), "names": list(v.names), "formulas": list(v.formulas)} for k, v in identities.items()]


def identity_from_row(row: dict) -> Identity:
    fields = {f: row[f] for f in KpiRef.__dataclass_fields__}
    return Identity(row["kpi_id"], KpiRef(**fields), tuple(row["names"]), tuple(row["formulas"]))

