"""What each theme says it contains against what was read: the completeness checksum."""
from __future__ import annotations

from kpi_scorecard.normalize.layout import squeeze
from kpi_scorecard.normalize.records import Kpi, ThemeCount
from kpi_scorecard.normalize.stitch import Theme


def plan_keys(kpi: Kpi) -> set[str]:
    """A KPI's action plans, each identified by its code and name together.

    The same plan listed under two KPIs counts once; two different plans printed with one code
    (a misprint kept as printed) count twice: that is how the reports count them.
    """
    return {squeeze(str(plan)) for m in kpi.measures for plan in m.action_plans}


def reconcile(themes: list[Theme], kpis: list[Kpi], contents: dict[str, str] | None = None) -> list[ThemeCount]:
    """Stated against counted per theme; with contents (code → name), every theme they list and
    nothing was read of gets a count of its own (found=False): a report cut short says so."""
    counts = []
    for theme in merge_repeated(themes):
        mine = [k for k in kpis if k.theme_code == theme.code]
        if not (mine or theme.stated):
            continue
        plans = set().union(*(plan_keys(k) for k in mine)) if mine else set()
        counts.append(
            ThemeCount(
                theme_code=theme.code,
                theme_name=theme.name,
                stated_objectives=theme.stated.get("objectives"),
                stated_kpis=theme.stated.get("kpis"),
                stated_plans=theme.stated.get("action_plans"),
                counted_objectives=len({k.objective_code for k in mine}),
                counted_kpis=len(mine),
                counted_plans=len(plans),
                listed=theme.code in contents if contents else None,
            )
        )
    found = {c.theme_code for c in counts}
    missing = [
        ThemeCount(code, name, None, None, None, 0, 0, 0, listed=True, found=False)
        for code, name in (contents or {}).items()
        if code not in found
    ]
    order = list(contents or {})  # the contents' order; a theme they do not list goes last
    return sorted(counts + missing, key=lambda c: order.index(c.theme_code) if c.theme_code in order else len(order))


def merge_repeated(themes: list[Theme]) -> list[Theme]:
    """One theme per code: a heading printed again (a running header, a repeated section) adds
    the counts it states to the first, and no second count of its own."""
    merged: dict[str, Theme] = {}
    for theme in themes:
        first = merged.setdefault(theme.code, Theme(theme.code, theme.name))
        first.name = first.name or theme.name
        for item, stated in theme.stated.items():
            first.stated.setdefault(item, stated)
    return list(merged.values())
