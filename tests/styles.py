"""A seeded generator of table styles: the bundled report printed in one drawn at random per seed.

Each axis a report's producer varies is drawn from its own stream of the seed's random numbers:
producer (Chromium, LibreOffice), rules (grid, rows only, heading only, none), fills (none, heading
cells filled one by one, the heading row as one box, white on a dark heading, zebra bands), vertical
alignment, number alignment, font and size, page size and orientation, column order and extra
columns (達成率 …), the heading repeated on every page or printed once, rows split across pages or
kept whole, and the year the header prints (the scorecard's own most of the time). The same seed always
gives the same Layout (tests/render.py prints it).
"""
from __future__ import annotations

import random
from dataclasses import replace

from render import COLUMNS, EXTRA_COLUMNS, Layout

FONTS = ("WenQuanYi Micro Hei", "AR PL UMing TW", "Noto Sans CJK TC", "Noto Serif CJK TC")
# paper, and the font sizes a table fits it in
PAGES = (("A4", ("9pt", "10pt", "11pt")), ("A4 landscape", ("10pt", "11pt")), ("letter", ("9pt", "10pt")),
         ("B5", ("9pt", "10pt")), ("A5", ("8pt",)))
# other years' reports: two- and three-digit ROC years, one the formulas print too (109)
YEARS = (98, 99, 100, 105, 109, 113, 114)


def style(seed: int) -> Layout:
    """The Layout of a seed."""
    rng = random.Random(seed)
    page, sizes = rng.choice(PAGES)
    narrow = page in ("A5", "B5")
    # the KPI column stays first (a row starts at its code); the others in any order, extra ones among them
    rest = list(COLUMNS[1:]) + rng.sample(sorted(EXTRA_COLUMNS), rng.choice((0, 0, 1, 2) if not narrow else (0, 0, 1)))
    rng.shuffle(rest)
    rules = rng.choice(("grid", "rows", "header", "none"))
    once = rng.random() < 0.25
    layout = Layout(
        producer=rng.choice(("chromium", "libreoffice")),
        rules=rules,
        fill=rng.choice(("none", "cells", "box", "dark", "zebra")),
        valign=rng.choice(("top", "middle", "bottom")),
        number_align=rng.choice(("left", "right", "center")),
        font=rng.choice(FONTS),
        font_size=rng.choice(sizes),
        page=page,
        columns=("kpi", *rest),
        # a heading printed once, whatever the rules: the next pages' rows continue the open table
        repeat_header=not once,
        keep_rows=rng.random() < 0.25,
    )
    # drawn last, so every other axis of a seed is what it was before years were drawn
    return replace(layout, year=rng.choice(YEARS) if rng.random() < 0.2 else None)


def describe(layout: Layout) -> str:
    """A style in a few words, for reports and test ids."""
    extras = [c for c in layout.columns if c in EXTRA_COLUMNS]
    order = "" if layout.columns[:6] == COLUMNS and not extras else " order " + "/".join(c[:3] for c in layout.columns)
    return (f"{layout.producer} rules={layout.rules} fill={layout.fill} {layout.vertical} numbers-{layout.number_align} "
            f"{layout.font} {layout.font_size} {layout.page}{order}"
            f"{'' if layout.repeat_header else ' heading-once'}{' rows-whole' if layout.keep_rows else ''}"
            f"{f' year {layout.year}' if layout.year else ''}")
