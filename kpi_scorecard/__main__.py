"""python -m kpi_scorecard: the kpi-scorecard command."""
from kpi_scorecard.command import main

main(prog_name="kpi-scorecard")
