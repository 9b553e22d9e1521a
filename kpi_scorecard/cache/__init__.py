"""What earlier runs left behind, so that work already done is not done again: the scorecards
of documents read (scorecards.py) and the record of the last run over a warehouse (runs.py).
Nothing here imports a PDF library or DuckDB."""
