"""The documents the default run loads: the ROC-110 annual report (PDF and its text dump) and the
H-group 109 briefing deck. Package data, read through importlib.resources (run_pipeline.bundled_samples),
so that a regular install finds them as an editable one does."""
