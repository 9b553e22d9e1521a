"""A helper process of extract/parallel.py: it reads the pages it is sent until its input ends.

Each request is a pickled (read, page number, position) on stdin; each answer a pickled
("done", position, what read(page number) gave) or ("error", position, the exception) on stdout,
which carries nothing else: whatever a library would print goes nowhere.
"""
from __future__ import annotations

import os
import pickle
import sys


def serve() -> None:
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
