"""The report's table of contents: which themes it says it holds (to flag the ones not found)."""
from __future__ import annotations

import re

from kpi_scorecard.extract.blocks import Block, Table
from kpi_scorecard.normalize.layout import THEME_TITLE

# "營造永續環境(A).........1" or, in a text dump, "優化產業勞動(D)<tab>27": a theme, leaders, a page number.
CONTENTS_ENTRY = re.compile(rf"^{THEME_TITLE}\s*(?:[.…·]{{2,}}\s*|\s+)\d+$")


def blocks_to_contents(blocks: list[Block]) -> dict[str, str]:
    """Theme code → name for every theme the contents list, in their order; {} without contents."""
    listed: dict[str, str] = {}
    for block in blocks:
        lines = [" ".join(c.strip() for c in row if c) for row in block.rows] if isinstance(block, Table) else [block.text]
        for line in lines:
            if m := CONTENTS_ENTRY.match(line.strip()):
                listed.setdefault(m.group(2), m.group(1))
    return listed
