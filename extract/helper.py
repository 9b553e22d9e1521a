"""A helper process of extract/parallel.py: it reads the pages it is sent until its input ends.

Each request is a pickled (read, page number, position) on stdin; each answer a pickled
("done", position, what read(page number) gave) or ("error", position, the exception) on stdout,
which carries nothing else: whatever a library would print goes nowhere.
"""
from __future__ import annotations

import gc
import os
import pickle
import sys

# A young collection once 10,000 objects more are alive, not 700: reading a page makes a dict per
# char that lives as long as the page, so the default's collections freed nothing and went on to
# scan the older generations (a run's collector, 520 pages: 941 collections, 0.22 CPU s → 17, 0.04).
YOUNG_COLLECTION = 10_000


def collect_less() -> None:
    """Python's cyclic collector in a process of ours (the CLI's, a helper's) set for reading pages;
    never in the library's callers' processes."""
    _, older, oldest = gc.get_threshold()
    gc.set_threshold(YOUNG_COLLECTION, older, oldest)


def serve() -> None:
    collect_less()
    import kpi_scorecard.extract.pdf  # noqa: F401  the page reader's libraries, imported before the first request comes

    requests = sys.stdin.buffer
    answers = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    while True:
        try:
            read, number, position = pickle.load(requests)
        except EOFError:
            return
        try:
            answer = ("done", position, read(number))
        except Exception as e:
            answer = ("error", position, e)
        try:
            data = pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:  # an exception that does not pickle: its type and words
            data = pickle.dumps(("error", position, RuntimeError(f"{type(answer[2]).__name__}: {answer[2]}")))
        answers.write(data)
        answers.flush()
