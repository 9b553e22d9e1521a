"""python -m kpi_scorecard: the kpi-scorecard command."""
from kpi_scorecard.cli import main

main(prog_name="kpi-scorecard")
