#!/usr/bin/env python
"""`python run_pipeline.py …` from a checkout is the installed `kpi-scorecard …`: the CLI that
chains the stages (extract → normalize → warehouse) lives in kpi_scorecard/cli.py."""
from kpi_scorecard.command import main

if __name__ == "__main__":
    main()
