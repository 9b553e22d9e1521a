"""The kpi-scorecard command: a run that only repeats the last one is answered from the cache's
quick stamp (cache/quick.py) before the CLI (cli.py) and its libraries load; any other is the CLI's."""
from __future__ import annotations

import sys


def main(args: list[str] | None = None, prog_name: str | None = None) -> None:
    """The command on args (default: sys.argv[1:]), as cli.main takes them."""
    from kpi_scorecard.cache.quick import answer

    if (lines := answer(sys.argv[1:] if args is None else list(args))) is not None:
        sys.stdout.write(lines)
        return
    from kpi_scorecard.cli import main as cli
    from kpi_scorecard.extract.helper import collect_less

    collect_less()
    cli(args, prog_name=prog_name)
