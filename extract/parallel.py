"""A document's pages read by this process and by helper processes at once.

A helper is a Python process started once per run (extract/helper.py; a plain subprocess, the same
on Windows, macOS and Linux, and it imports nothing of the program that started it but the page
reader). It pays its start once, whatever the number of documents, and starts when the run knows it
will read a PDF, so that it imports the PDF libraries while this process opens the warehouse.

The pages wait in one queue: this process takes them from the front, each helper from the back,
one page ahead of the one it reads (a thread per helper hands them over and takes the results in).
The two ends meet wherever the work does, without knowing what a page costs.
"""
from __future__ import annotations

import atexit
import pickle
import subprocess
import sys
import threading
from collections import deque
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

import kpi_scorecard

T = TypeVar("T")
MIN_PAGES = 12  # helpers pay on a document of this many pages: below, handing pages over costs more than it saves
AHEAD = 2  # pages a helper holds: the one it reads and the next, so that it never waits for this process


class Helper:
    """A helper process; requests and answers are pickled tuples on its stdin and stdout."""

    def __init__(self):
        # the modules this process imports, found where it finds them (a checkout, an install, tests);
        # -S: no site module to run, as the paths are given (an editable install's finder among them)
        paths = [str(Path(kpi_scorecard.__file__).resolve().parent.parent), *sys.path]
        command = f"import sys; sys.path[:] = {paths!r}; from kpi_scorecard.extract.helper import serve; serve()"
        self.process = subprocess.Popen([sys.executable, "-S", "-c", command], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self.alive = True
        self.busy = threading.Lock()  # held by the one thread that talks to it

    def send(self, message: tuple) -> None:
        pickle.dump(message, self.process.stdin)
        self.process.stdin.flush()

    def receive(self) -> tuple:
        return pickle.load(self.process.stdout)

    def stop(self) -> None:
        self.alive = False
        try:
            self.process.stdin.close()  # the helper ends at the end of its input
        except OSError:
            pass
        try:
            self.process.wait(timeout=5)  # after an interruption it may still be reading a page
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@cache
def helpers(count: int) -> list[Helper]:
    """The run's `count` helper processes, started now and stopped when this process exits; none
    where no Python process can be started (the pages are then read here)."""
    try:
        started = [Helper() for _ in range(count)]
    except OSError:
        return []

    def stop() -> None:
        for helper in started:
            helper.stop()

    atexit.register(stop)
    return started


def read_pages(
    numbers: list[int],
    read_here: Callable[[int], T],
    read_in_helper: Callable[[int], T],
    workers: int,
    on_page: Callable[[int], None] | None = None,
    min_pages: int = MIN_PAGES,
) -> list[T]:
    """read(n) for every page number, in order, by this process and workers - 1 helpers.
    `read_in_helper` must be picklable (a module-level function or a partial of one). An error
    raised for a page is raised here, the earliest page's, as when the pages are read in turn."""
    if workers < 2 or len(numbers) < min_pages:
        return [_done(n, read_here(n), on_page) for n in numbers]
    pages, threads = _take_early(numbers, read_in_helper) or _hand_over(numbers, read_in_helper, workers)
    try:
        while (position := pages.take_front()) is not None:
            try:
                pages.results[position] = read_here(numbers[position])
            except Exception as e:  # the pages after it are not read, as in turn
                pages.errors[position] = e
                pages.clear()
            pages.report(on_page)
    finally:
        pages.clear()  # an interruption: the helpers take no more pages
    for thread in threads:
        thread.join()
    for position in sorted(pages.lost):  # a helper that died: its pages are read here
        try:
            pages.results[position] = read_here(numbers[position])
        except Exception as e:
            pages.errors[position] = e
            break
    for position in range(len(numbers)):
        if position in pages.errors:
            raise pages.errors[position]
    pages.report(on_page, every=True)
    return [pages.results[position] for position in range(len(numbers))]


_early: list[tuple[tuple, _Pages, list[threading.Thread]]] = []  # queues start_early began: (whose, pages, threads)


def start_early(numbers: list[int], read_in_helper: Callable[[int], Any], workers: int) -> None:
    """Let the helpers begin on these pages now (from the back), before this process reads: the
    read_pages call with the same pages and reader takes up the queue."""
    if workers >= 2:
        _early.append((_whose(numbers, read_in_helper), *_hand_over(numbers, read_in_helper, workers)))


def _take_early(numbers: list[int], read_in_helper: Callable) -> tuple[_Pages, list[threading.Thread]] | None:
    whose = _whose(numbers, read_in_helper)
    for index, (key, pages, threads) in enumerate(_early):
        if key == whose:
            del _early[index]
            return pages, threads
    return None


def _whose(numbers: list[int], read: Callable) -> tuple:
    """What a queue reads: its pages and its reader (a partial: compared by function and arguments)."""
    return numbers, getattr(read, "func", read), getattr(read, "args", ()), getattr(read, "keywords", {})


def _hand_over(numbers: list[int], read_in_helper: Callable, workers: int) -> tuple[_Pages, list[threading.Thread]]:
    """The pages' queue, and a thread per live helper handing them over, started."""
    pages = _Pages(numbers)
    # daemon threads: an interrupted run exits without waiting for the helpers' pages
    threads = [threading.Thread(target=pages.hand_over, args=(helper, read_in_helper), daemon=True)
               for helper in helpers(workers - 1) if helper.alive]
    for thread in threads:
        thread.start()
    return pages, threads


class _Pages:
    """The pages of one document: the queue, what each reader made of its pages, and which
    pages' progress has been reported."""

    def __init__(self, numbers: list[int]):
        self.numbers = numbers
        self.queue = deque(range(len(numbers)))  # positions in numbers
        self.lock = threading.Lock()
        self.results: dict[int, Any] = {}  # what read_here made, or a helper sent (unpickled)
        self.errors: dict[int, Exception] = {}
        self.lost: list[int] = []
        self.reported: set[int] = set()

    def take_front(self) -> int | None:
        with self.lock:
            return self.queue.popleft() if self.queue else None

    def take_back(self) -> int | None:
        with self.lock:
            return self.queue.pop() if self.queue else None

    def clear(self) -> None:
        with self.lock:
            self.queue.clear()

    def hand_over(self, helper: Helper, read: Callable) -> None:
        """Keep a helper AHEAD pages ahead until the queue is empty (runs in its own thread; after
        an interrupted document, once the helper has answered for the pages it held)."""
        with helper.busy:
            self._hand_over(helper, read)

    def _hand_over(self, helper: Helper, read: Callable) -> None:
        held: list[int] = []

        def give() -> None:
            if (position := self.take_back()) is not None:
                held.append(position)
                helper.send((read, self.numbers[position], position))

        try:
            for _ in range(AHEAD):
                give()
            while held:
                kind, position, value = helper.receive()
                held.remove(position)
                (self.results if kind == "done" else self.errors)[position] = value
                give()
        except Exception:  # the helper died, never started, or sent what does not unpickle here
            self.lost.extend(held)
            helper.alive = False
            helper.process.kill()

    def report(self, on_page: Callable[[int], None] | None, every: bool = False) -> None:
        """on_page for the pages read since the last report (in this thread: progress bars are not
        thread-safe); every=True: all the rest."""
        if on_page is None:
            return
        for position in range(len(self.numbers)) if every else sorted(self.results):
            if position not in self.reported:
                self.reported.add(position)
                on_page(self.numbers[position])


def _done(number: int, result: T, on_page: Callable[[int], None] | None) -> T:
    if on_page:
        on_page(number)
    return result
