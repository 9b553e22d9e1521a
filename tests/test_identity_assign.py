"""The pairing of a document's KPIs with the identities of earlier years (warehouse/identity.py's
_assign), on made-up scores: the pairing whose accepted scores sum highest, each group of KPIs
competing for the same identities on its own, and no pair below acceptance."""
from __future__ import annotations

import pytest

from kpi_scorecard.warehouse.identity import Score, _assign


def s(total: float, name: float | None = None) -> Score:
    return Score(total, total if name is None else name, None)


@pytest.mark.parametrize(
    ("scores", "assigned"),
    [
        ({0: {"x": s(95)}}, {0: "x"}),
        ({0: {"x": s(80)}, 1: {"x": s(95)}}, {1: "x"}),  # two KPIs for one identity: the better one
        ({0: {"x": s(95)}, 1: {"x": s(80)}}, {0: "x"}),
        ({0: {"x": s(90), "y": s(85)}, 1: {"x": s(88)}}, {0: "y", 1: "x"}),  # 85 + 88 beats 90 alone
        ({0: {"x": s(90)}, 1: {"y": s(90)}}, {0: "x", 1: "y"}),  # two groups
        ({0: {"x": s(10)}}, {}),  # not accepted: no pair
        ({0: {"x": s(95), "y": s(92)}}, {0: "x"}),  # one KPI, two identities
    ],
)
def test_assign(scores, assigned):
    assert _assign(scores) == assigned
