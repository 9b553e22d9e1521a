"""A document's pages read by this process and by helper processes at once.

Helpers are spawned, not forked (the same on Windows, macOS and Linux), once per run: a helper pays
its start (a Python process importing the PDF libraries) once, whatever the number of documents.
The pages go to the helpers from the last one backwards while this process reads from the first
one forwards; it takes each page back from the helpers' queue (Future.cancel) until it meets a page
a helper has started. The two ends meet wherever the work does, without knowing what a page costs.
"""
from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from functools import cache
from typing import TypeVar

T = TypeVar("T")
MIN_PAGES = 12  # helpers pay on a document of this many pages: below, their start costs more than they save


@cache
def helpers(count: int) -> ProcessPoolExecutor | None:
    """The run's pool of `count` helper processes, started now (they import the page reader while
    this process does other work) and shut down when the interpreter exits; None where a spawned
    process could not import this program's main module (a script read from stdin)."""
    main_file = getattr(sys.modules["__main__"], "__file__", None)
    if main_file is not None and not os.path.isfile(main_file):
        return None
    pool = ProcessPoolExecutor(max_workers=count, mp_context=multiprocessing.get_context("spawn"))
    for _ in range(count):
        pool.submit(_import_reader)
    return pool


def _import_reader() -> None:
    import extract.pdf  # noqa: F401  the PDF libraries, before the first page comes


def read_pages(
    numbers: list[int],
    read_here: Callable[[int], T],
    read_in_helper: Callable[[int], T],
    workers: int,
    on_page: Callable[[int], None] | None = None,
) -> list[T]:
    """read(n) for every page number, in order, by this process and up to workers - 1 helpers.
    `read_in_helper` must be picklable (a module-level function or a partial of one). An error
    raised for a page is raised here, the earliest page's first, as when the pages are read in turn."""
    if workers < 2 or len(numbers) < MIN_PAGES:
        return [_done(n, read_here(n), on_page) for n in numbers]
    pool = helpers(workers - 1)
    try:
        queued: dict[int, Future] = {n: pool.submit(read_in_helper, n) for n in reversed(numbers)} if pool else {}
    except BrokenProcessPool:  # the helpers could not start
        queued = {}
    if not queued:
        return [_done(n, read_here(n), on_page) for n in numbers]
    read: dict[int, T] = {}
    try:
        for n in numbers:
            if not queued[n].cancel():  # a helper has it: the rest is theirs
                break
            read[n] = _done(n, read_here(n), on_page)
        return [read[n] if n in read else _done(n, _result(queued[n], n, read_here), on_page) for n in numbers]
    finally:
        for future in queued.values():
            future.cancel()  # after an error, the pages not started yet


def _result(future: Future, number: int, read_here: Callable[[int], T]) -> T:
    try:
        return future.result()
    except BrokenProcessPool:  # a helper died (it could not start, or was killed): read it here
        return read_here(number)


def _done(number: int, result: T, on_page: Callable[[int], None] | None) -> T:
    if on_page:
        on_page(number)
    return result
